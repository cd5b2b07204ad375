"""Celery application: long jobs run on Redis; without CELERY_BROKER_URL tasks run inline."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
app = Celery("socius")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

"""UI routes of consents, the register of processing activities and the breach log (issue 13),
included in web/urls.py under the "web" namespace."""

from django.urls import path

from socius.web.views import privacy_registers as views

urlpatterns: list = [
    path("persons/<int:pk>/consents/", views.person_consents, name="person_consents"),
    path("persons/<int:pk>/consents/section/", views.person_consents_section, name="person_consents_section"),
    path("persons/<int:pk>/consents/new/", views.person_consent_new, name="person_consent_new"),
    path("consents/<int:pk>/withdraw/", views.person_consent_withdraw, name="person_consent_withdraw"),
    path("privacy/", views.privacy_home, name="privacy_home"),
    path("privacy/register/", views.processing_register, name="processing_register"),
    path("privacy/register/pdf/", views.processing_register_pdf, name="processing_register_pdf"),
    path("privacy/register/seed/", views.processing_register_seed, name="processing_register_seed"),
    path("privacy/register/new/", views.processing_activity_new, name="processing_activity_new"),
    path("privacy/register/<int:pk>/edit/", views.processing_activity_edit, name="processing_activity_edit"),
    path("privacy/breaches/", views.breach_log, name="breach_log"),
    path("privacy/breaches/new/", views.breach_new, name="breach_new"),
    path("privacy/breaches/<int:pk>/", views.breach_detail, name="breach_detail"),
    path("privacy/breaches/<int:pk>/edit/", views.breach_edit, name="breach_edit"),
]

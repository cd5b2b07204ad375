import os
import sys

from django.apps import AppConfig

# Set by `make run`: the served demo warms the PDF engine up at start (see socius.web.pdf.warm_up). Tests and
# management commands leave it unset and pay nothing.
WARM_UP_ENV = "SOCIUS_PDF_WARM_UP"


def should_warm_up_pdf(environ=os.environ, argv=sys.argv) -> bool:
    if environ.get(WARM_UP_ENV) != "1":
        return False
    # runserver's autoreloader imports the project twice: only the child that serves requests warms up.
    return not ("runserver" in argv and "--noreload" not in argv and environ.get("RUN_MAIN") != "true")


class WebConfig(AppConfig):
    name = "socius.web"
    label = "web"

    def ready(self):
        if should_warm_up_pdf():
            from socius.web.pdf import warm_up_in_background

            warm_up_in_background()

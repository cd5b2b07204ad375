"""UI routes of the service catalogue, offers, decisions, waiting lists (svcweb) (issue 11), included in
web/urls.py under the "web" namespace."""

from django.urls import path

import socius.web.views.services_catalogue as catalogue
import socius.web.views.services_decisions as decisions
import socius.web.views.services_pdf as pdf
import socius.web.views.services_waiting as waiting

urlpatterns: list = [
    path("services/", catalogue.services_catalogue, name="services_catalogue"),
    path("services/offer/", catalogue.service_offer_edit, name="service_offer_edit"),
    path("services/providers/new/", catalogue.service_provider_form, name="service_provider_new"),
    path("services/providers/<int:pk>/", catalogue.service_provider_form, name="service_provider_edit"),
    path("services/workers/new/", catalogue.service_worker_form, name="service_worker_new"),
    path("services/workers/<int:pk>/", catalogue.service_worker_form, name="service_worker_edit"),
    path("services/decisions/", decisions.service_decisions, name="service_decisions"),
    path("services/decisions/new/", decisions.service_decision_new, name="service_decision_new"),
    path("services/decisions/<int:pk>/", decisions.service_decision, name="service_decision"),
    path("services/decisions/<int:pk>/edit/", decisions.service_decision_edit, name="service_decision_edit"),
    path("services/decisions/<int:pk>/issue/", decisions.service_decision_issue, name="service_decision_issue"),
    path("services/decisions/<int:pk>/suspend/", decisions.service_decision_suspend, name="service_decision_suspend"),
    path("services/decisions/<int:pk>/resume/", decisions.service_decision_resume, name="service_decision_resume"),
    path("services/decisions/<int:pk>/end/", decisions.service_decision_end, name="service_decision_end"),
    path("services/decisions/<int:pk>/cancel/", decisions.service_decision_cancel, name="service_decision_cancel"),
    path(
        "services/decisions/<int:pk>/copayment/",
        decisions.service_decision_copayment,
        name="service_decision_copayment",
    ),
    path("services/decisions/<int:pk>/pdf/", pdf.service_decision_pdf, name="service_decision_pdf"),
    path("services/waiting/", waiting.service_waiting_list, name="service_waiting_list"),
    path("services/waiting/new/", waiting.service_waiting_new, name="service_waiting_new"),
    path("services/waiting/<int:pk>/priority/", waiting.service_waiting_priority, name="service_waiting_priority"),
    path("services/waiting/<int:pk>/withdraw/", waiting.service_waiting_withdraw, name="service_waiting_withdraw"),
    path("services/waiting/<int:pk>/restore/", waiting.service_waiting_restore, name="service_waiting_restore"),
]

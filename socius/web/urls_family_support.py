"""UI routes of family_support (issue 10), included in web/urls.py under the "web" namespace."""

from django.urls import path

import socius.web.views.family_support as family
import socius.web.views.family_support_pages as pages
import socius.web.views.family_support_pdf as pdf

urlpatterns: list = [
    path("family/", pages.family_desk, name="family_desk"),
    path("family/loads/", pages.family_loads, name="family_loads"),
    path("family/enrolments/", pages.family_enrolments, name="family_enrolments"),
    path("family/enrol/", pages.family_enrol, name="family_enrol"),
    path("cases/<int:pk>/family-assistant/", pages.family_enrolment_request, name="family_enrolment_request"),
    path("family/enrolments/<int:pk>/", family.family_enrolment, name="family_enrolment"),
    path("family/enrolments/<int:pk>/sections/<slug:name>/", family.family_section, name="family_section"),
    path("family/enrolments/<int:pk>/decide/", pages.family_enrolment_decide, name="family_enrolment_decide"),
    path("family/enrolments/<int:pk>/consents/", family.family_consent_new, name="family_consent_new"),
    path("family/consents/<int:pk>/withdraw/", family.family_consent_withdraw, name="family_consent_withdraw"),
    path("family/enrolments/<int:pk>/plan/", family.family_plan, name="family_plan"),
    path("family/plan-items/<int:pk>/", family.family_plan_item, name="family_plan_item"),
    path("family/enrolments/<int:pk>/activities/", family.family_activities, name="family_activities"),
    path("family/enrolments/<int:pk>/assessments/new/", family.family_assessment_new, name="family_assessment_new"),
    path("family/assessments/<int:pk>/pdf/", pdf.family_assessment_pdf, name="family_assessment_pdf"),
    path("family/enrolments/<int:pk>/close/", family.family_close, name="family_close"),
    path("family/enrolments/<int:pk>/end-monitoring/", family.family_end_monitoring, name="family_end_monitoring"),
    path("family/timesheet/", pages.family_timesheet, name="family_timesheet"),
    path("family/timesheet/pdf/", pdf.family_timesheet_pdf, name="family_timesheet_pdf"),
]

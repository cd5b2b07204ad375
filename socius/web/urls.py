"""UI routes. Views live in socius/web/views/<area>.py; each declares its permission (web.access)."""

from django.contrib.auth import views as auth_views
from django.urls import path

import socius.web.views.assessments as assessments
import socius.web.views.benefit_approvers as benefit_approvers
import socius.web.views.benefit_decisions as benefit_decisions
import socius.web.views.benefit_gaps as benefit_gaps
import socius.web.views.benefits as benefits
import socius.web.views.benefits_calculator as benefits_calculator
import socius.web.views.case_page as case_page
import socius.web.views.casework_documents as casework_documents
import socius.web.views.casework_referrals as casework_referrals
import socius.web.views.casework_visits as casework_visits
import socius.web.views.documents_pdf as documents_pdf
import socius.web.views.overview as overview
import socius.web.views.payments as payments
import socius.web.views.payments_details as payments_details
import socius.web.views.payments_funds as payments_funds
import socius.web.views.payments_history as payments_history
import socius.web.views.payments_returns as payments_returns
import socius.web.views.plans as plans
import socius.web.views.timeline as timeline
from socius.web import (
    urls_blue_cards,
    urls_calendar,
    urls_child_protection,
    urls_community,
    urls_dashboard,
    urls_exports,
    urls_family_support,
    urls_privacy_registers,
    urls_reports,
    urls_retention,
    urls_rosters,
    urls_security,
    urls_service_statements,
    urls_services,
    urls_statistics,
    urls_subject_access,
)
from socius.web.access import public
from socius.web.views import (
    audit,
    audit_trail,
    casework,
    households,
    importing,
    language,
    persons,
    recalculation,
    search,
    signin,
    staff,
)

app_name = "web"

urlpatterns = [
    path("", search.home, name="home"),
    path("search/", search.search, name="search"),
    path("language/", language.set_language, name="set_language"),
    path("persons/", persons.person_list, name="person_list"),
    path("persons/new/", persons.person_create, name="person_create"),
    path("persons/validate/", persons.person_validate, name="person_validate"),
    path("persons/<int:pk>/", persons.person_detail, name="person_detail"),
    path("persons/<int:pk>/edit/", persons.person_edit, name="person_edit"),
    path("persons/<int:pk>/history/", persons.person_history, name="person_history"),
    path("persons/<int:pk>/move-out/", persons.person_move_out, name="person_move_out"),
    path("households/", households.household_list, name="household_list"),
    path("households/new/", households.household_create, name="household_create"),
    path("households/member-search/", households.member_search, name="household_member_search"),
    path("households/<int:pk>/", households.household_detail, name="household_detail"),
    path("households/<int:pk>/edit/", households.household_edit, name="household_edit"),
    path("households/<int:pk>/history/", households.household_history, name="household_history"),
    path("households/<int:pk>/timeline/", timeline.household_timeline_page, name="household_timeline"),
    path("persons/<int:pk>/timeline/", timeline.person_timeline_page, name="person_timeline"),
    path("import/", importing.import_page, name="import"),
    path("audit/", audit.audit_log, name="audit"),
    path("audit/trail/", audit_trail.audit_trail, name="audit_trail"),
    path("recalculations/", recalculation.recalculation_list, name="recalculation_list"),
    path("recalculations/<int:pk>/", recalculation.recalculation_detail, name="recalculation_detail"),
    path("recalculations/<int:pk>/progress/", recalculation.recalculation_progress, name="recalculation_progress"),
    path("recalculations/<int:pk>/approve/", recalculation.recalculation_approve, name="recalculation_approve"),
    # Centre administration (the centre's own administrator; /admin/ is Django's, for operators).
    path("admin-centre/staff/", staff.staff_list, name="staff_list"),
    path("admin-centre/staff/new/", staff.staff_create, name="staff_create"),
    path("admin-centre/staff/<int:pk>/", staff.staff_edit, name="staff_edit"),
    path("admin-centre/staff/<int:pk>/password/", staff.staff_reset_password, name="staff_reset_password"),
    path("admin-centre/teams/", staff.team_list, name="team_list"),
    path("admin-centre/teams/new/", staff.team_create, name="team_create"),
    path("admin-centre/teams/<int:pk>/", staff.team_edit, name="team_edit"),
    path("admin-centre/centre/", staff.centre_settings, name="centre_settings"),
    # Casework: contacts at the front desk, cases and caseloads.
    path("contacts/", casework.contact_list, name="contact_list"),
    path("contacts/new/", casework.contact_create, name="contact_create"),
    path("contacts/<int:pk>/", casework.contact_detail, name="contact_detail"),
    path("contacts/person-search/", casework.person_search, name="casework_person_search"),
    path("cases/", casework.case_list, name="case_list"),
    path("cases/new/", casework.case_create, name="case_create"),
    path("cases/reassign/", casework.case_reassign, name="case_reassign"),
    path("cases/caseload/", casework.caseload, name="caseload"),
    path("cases/flags/", overview.case_flags, name="case_flags"),
    path("cases/<int:pk>/", case_page.case_detail, name="case_detail"),
    path("cases/<int:pk>/sections/<slug:name>/", case_page.case_section, name="case_section"),
    path("cases/<int:pk>/activate/", casework.case_activate, name="case_activate"),
    path("cases/<int:pk>/suspend/", casework.case_suspend, name="case_suspend"),
    path("cases/<int:pk>/close/", casework.case_close, name="case_close"),
    path("cases/<int:pk>/reopen/", casework.case_reopen, name="case_reopen"),
    path("cases/<int:pk>/share/", casework.case_share, name="case_share"),
    path("cases/<int:pk>/unshare/", casework.case_unshare, name="case_unshare"),
    # Partner institutions and a case's referrals.
    path("partners/", casework_referrals.partner_list, name="partner_list"),
    path("partners/new/", casework_referrals.partner_create, name="partner_create"),
    path("partners/<int:pk>/", casework_referrals.partner_edit, name="partner_edit"),
    path("cases/<int:pk>/referrals/new/", casework_referrals.case_referral_create, name="case_referral_create"),
    path("referrals/<int:pk>/acknowledge/", casework_referrals.referral_acknowledge, name="referral_acknowledge"),
    path("referrals/<int:pk>/answer/", casework_referrals.referral_answer, name="referral_answer"),
    path("referrals/<int:pk>/close/", casework_referrals.referral_close, name="referral_close"),
    path("cases/<int:pk>/visits/", casework_visits.visit_plan, name="case_visit_plan"),
    path("cases/<int:pk>/visits/done/", casework_visits.visit_record, name="case_visit_record"),
    path("visits/<int:pk>/done/", casework_visits.visit_done, name="case_visit_done"),
    path("visits/<int:pk>/cancel/", casework_visits.visit_cancel, name="case_visit_cancel"),
    path("cases/<int:pk>/social-work/", casework_visits.activity_record, name="case_activity_record"),
    # Help plans and social contracts.
    path("cases/<int:pk>/plans/new/", plans.case_plan_create, name="case_plan_create"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/goals/", plans.plan_goal_add, name="plan_goal_add"),
    path("plans/<int:pk>/actions/", plans.plan_action_add, name="plan_action_add"),
    path("plans/<int:pk>/status/", plans.plan_status, name="plan_status"),
    path("plans/<int:pk>/review/", plans.plan_review, name="plan_review"),
    path("plan-actions/<int:pk>/status/", plans.plan_action_status, name="plan_action_status"),
    path("cases/<int:pk>/contracts/new/", plans.case_contract_create, name="case_contract_create"),
    path("contracts/<int:pk>/", plans.contract_detail, name="contract_detail"),
    path("contracts/<int:pk>/obligations/", plans.contract_obligation_add, name="contract_obligation_add"),
    path("obligations/<int:pk>/done/", plans.obligation_done, name="obligation_done"),
    path("contracts/<int:pk>/sign/", plans.contract_sign, name="contract_sign"),
    path("contracts/<int:pk>/start/", plans.contract_start, name="contract_start"),
    path("contracts/<int:pk>/breach/", plans.contract_breach, name="contract_breach"),
    path("contracts/<int:pk>/refuse/", plans.contract_refuse, name="contract_refuse"),
    path("contracts/<int:pk>/fulfil/", plans.contract_fulfil, name="contract_fulfil"),
    path("contracts/<int:pk>/terminate/", plans.contract_terminate, name="contract_terminate"),
    path("case-flags/<int:pk>/clear/", plans.flag_clear, name="case_flag_clear"),
    path("cases/<int:pk>/interviews/new/", assessments.assessment_start, name="assessment_start"),
    path("interviews/<int:pk>/", assessments.assessment_detail, name="assessment_detail"),
    path("interviews/<int:pk>/save/", assessments.assessment_save, name="assessment_save"),
    path("interviews/<int:pk>/sign/", assessments.assessment_sign, name="assessment_sign"),
    path("interviews/<int:pk>/print/", assessments.assessment_print, name="assessment_print"),
    # Printable PDF documents.
    path("interviews/<int:pk>/pdf/", documents_pdf.assessment_pdf, name="assessment_pdf"),
    path("plans/<int:pk>/pdf/", documents_pdf.plan_pdf, name="plan_pdf"),
    path("contracts/<int:pk>/pdf/", documents_pdf.contract_pdf, name="contract_pdf"),
    path("referrals/<int:pk>/pdf/", documents_pdf.referral_pdf, name="referral_pdf"),
    # Benefits: the calculator (what-if, writes nothing).
    path("benefits/calculator/", benefits_calculator.calculator, name="benefit_calculator"),
    path("benefits/queue/", benefit_decisions.queue, name="benefit_queue"),
    path("benefits/approvers/", benefit_approvers.approvers, name="benefit_approvers"),
    path("benefits/approvers/authorise/", benefit_approvers.approver_authorise, name="benefit_approver_authorise"),
    path("benefits/approvers/<int:pk>/revoke/", benefit_approvers.approver_revoke, name="benefit_approver_revoke"),
    path("case-flags/<int:pk>/propose/", benefit_gaps.flag_propose, name="case_flag_propose"),
    path(
        "benefits/decisions/<int:pk>/income-change/",
        benefit_decisions.decision_income_change,
        name="benefit_decision_income_change",
    ),
    path("households/<int:pk>/benefits/", benefits.household_benefits, name="household_benefits"),
    path("cases/<int:pk>/benefits/apply/", benefits.application_new, name="benefit_application_new"),
    path("benefits/applications/<int:pk>/", benefits.application_detail, name="benefit_application"),
    path("benefits/applications/<int:pk>/proposal/", benefits.application_proposal, name="benefit_proposal"),
    path("benefits/decisions/<int:pk>/", benefit_decisions.decision_detail, name="benefit_decision"),
    path("benefits/decisions/<int:pk>/approve/", benefit_decisions.decision_approve, name="benefit_decision_approve"),
    path("benefits/decisions/<int:pk>/return/", benefit_decisions.decision_return, name="benefit_decision_return"),
    path("benefits/decisions/<int:pk>/pdf/", benefit_decisions.decision_pdf, name="benefit_decision_pdf"),
    path(
        "benefits/decisions/<int:pk>/<slug:action>/", benefit_decisions.decision_change, name="benefit_decision_change"
    ),
    # Payments (issue 9): runs, funds, returns, bank statements, transfers, approvers; a household's history.
    path("payments/runs/", payments.run_list, name="payment_runs"),
    path("payments/runs/<int:pk>/", payments.run_detail, name="payment_run"),
    path("payments/runs/<int:pk>/progress/", payments.run_progress, name="payment_run_progress"),
    path("payments/runs/<int:pk>/payments/", payments.run_payments, name="payment_run_payments"),
    path("payments/runs/<int:pk>/check/", payments.run_check, name="payment_run_check"),
    path("payments/runs/<int:pk>/approve/", payments.run_approve, name="payment_run_approve"),
    path("payments/runs/<int:pk>/export/", payments.run_export, name="payment_run_export"),
    path("payments/runs/<int:pk>/draft/", payments.run_draft, name="payment_run_draft"),
    path("payments/runs/<int:pk>/cancel/", payments.run_cancel, name="payment_run_cancel"),
    path("payments/runs/<int:pk>/file/", payments.run_file, name="payment_run_file"),
    path("payments/funds/", payments_funds.fund_list, name="payment_funds"),
    path("payments/funds/<int:pk>/", payments_funds.fund_detail, name="payment_fund"),
    path("payments/transfers/", payments_funds.transfer_list, name="payment_transfers"),
    path("payments/transfers/<int:pk>/approve/", payments_funds.transfer_approve, name="payment_transfer_approve"),
    path("payments/transfers/<int:pk>/cancel/", payments_funds.transfer_cancel, name="payment_transfer_cancel"),
    path("payments/approvers/", payments_funds.approver_list, name="payment_approvers"),
    path("payments/returns/", payments_returns.returns_list, name="payment_returns"),
    path("payments/returns/<int:pk>/reissue/", payments_returns.return_reissue, name="payment_return_reissue"),
    path("payments/returns/<int:pk>/cancel/", payments_returns.return_cancel, name="payment_return_cancel"),
    path("payments/statements/", payments_returns.statement_list, name="payment_statements"),
    path("payments/statements/<int:pk>/", payments_returns.statement_detail, name="payment_statement"),
    path("households/<int:pk>/payments/", payments_history.household_payments, name="household_payments"),
    path("persons/<int:pk>/payment-details/", payments_details.person_payment_details, name="person_payment_details"),
    path("cases/<int:pk>/documents/", casework_documents.document_attach, name="case_document_attach"),
    path("documents/<int:pk>/download/", casework_documents.document_download, name="case_document_download"),
    path("documents/<int:pk>/remove/", casework_documents.document_remove, name="case_document_remove"),
    # Family assistants, child protection and the Blue Card (issue 10): one module of routes each.
    *urls_family_support.urlpatterns,
    *urls_child_protection.urlpatterns,
    *urls_blue_cards.urlpatterns,
    # Community work and social services (issue 11).
    *urls_community.urlpatterns,
    *urls_calendar.urlpatterns,
    *urls_services.urlpatterns,
    *urls_rosters.urlpatterns,
    *urls_service_statements.urlpatterns,
    # Reporting (issue 12): the monthly activity report, statutory statistics, dashboards, list exports.
    *urls_reports.urlpatterns,
    *urls_statistics.urlpatterns,
    *urls_dashboard.urlpatterns,
    *urls_exports.urlpatterns,
    # Production and privacy (issue 13): staff sign-in, data-subject rights, the DPO's registers.
    *urls_security.urlpatterns,
    *urls_subject_access.urlpatterns,
    *urls_retention.urlpatterns,
    *urls_privacy_registers.urlpatterns,
]

# Login/logout live outside the namespace so that settings.LOGIN_URL = "login" resolves.
auth_urlpatterns = [
    path("login/", public(signin.SignInView.as_view()), name="login"),
    # The login's second step (decision 0021): a code, or setting up the authenticator there and then.
    path("login/code/", signin.login_code, name="login_code"),
    path("login/enrol/", signin.login_enrol, name="login_enrol"),
    path("logout/", public(auth_views.LogoutView.as_view()), name="logout"),
]

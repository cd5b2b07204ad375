"""REST API v1 routes. Every view declares its permission (accounts.api.HasCapability) or is the token exchange."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from socius.accounts.api import AuditEventViewSet, ObtainTokenView
from socius.assessments.api import AssessmentViewSet
from socius.benefits.api import ApplicationViewSet, ApproverAuthorisationViewSet, BenefitViewSet, DecisionViewSet
from socius.benefits.api_recalculation import RecalculationViewSet
from socius.casework.api import ContactViewSet
from socius.casework.api_documents import CaseDocumentViewSet
from socius.casework.api_referrals import PartnerViewSet, ReferralViewSet
from socius.casework.api_visits import HomeVisitViewSet, SocialWorkViewSet
from socius.desk.api import (
    CaseloadView,
    CaseTimelineView,
    DeskView,
    HouseholdTimelineView,
    PersonTimelineView,
)
from socius.payments.api import (
    BankStatementViewSet,
    BenefitFundViewSet,
    FundViewSet,
    PaymentApproverViewSet,
    PaymentDetailsViewSet,
    PaymentRunViewSet,
    PaymentViewSet,
    TransferViewSet,
)
from socius.plans.api import HelpPlanViewSet, SocialContractViewSet
from socius.plans.api_flags import CaseFlagViewSet, CaseWithFlagsViewSet
from socius.registry.api import HouseholdViewSet, PersonViewSet
from socius.web import (
    api_urls_blue_cards,
    api_urls_calendar,
    api_urls_community,
    api_urls_family,
    api_urls_privacy_registers,
    api_urls_reports,
    api_urls_retention,
    api_urls_rosters,
    api_urls_security,
    api_urls_service_statements,
    api_urls_services,
    api_urls_statistics,
    api_urls_subject_access,
)
from socius.web.api_trail import ChangeTrailViewSet

# SimpleRouter: no browsable root view, so no route without a declared permission.
router = SimpleRouter()
router.register("persons", PersonViewSet, basename="api-person")
router.register("households", HouseholdViewSet, basename="api-household")
router.register("audit/events", AuditEventViewSet, basename="api-audit-event")
router.register("audit/trail", ChangeTrailViewSet, basename="api-audit-trail")
router.register("contacts", ContactViewSet, basename="api-contact")
router.register("cases", CaseWithFlagsViewSet, basename="api-case")
router.register("case-flags", CaseFlagViewSet, basename="api-case-flag")
router.register("partners", PartnerViewSet, basename="api-partner")
router.register("referrals", ReferralViewSet, basename="api-referral")
router.register("home-visits", HomeVisitViewSet, basename="api-home-visit")
router.register("social-work", SocialWorkViewSet, basename="api-social-work")
router.register("case-documents", CaseDocumentViewSet, basename="api-case-document")
router.register("help-plans", HelpPlanViewSet, basename="api-help-plan")
router.register("social-contracts", SocialContractViewSet, basename="api-social-contract")
router.register("assessments", AssessmentViewSet, basename="api-assessment")
router.register("benefits", BenefitViewSet, basename="api-benefit")
router.register("applications", ApplicationViewSet, basename="api-application")
router.register("decisions", DecisionViewSet, basename="api-decision")
router.register("approver-authorisations", ApproverAuthorisationViewSet, basename="api-approver-authorisation")
router.register("recalculations", RecalculationViewSet, basename="api-recalculation")
router.register("funds", FundViewSet, basename="api-fund")
router.register("benefit-funds", BenefitFundViewSet, basename="api-benefit-fund")
router.register("payment-runs", PaymentRunViewSet, basename="api-payment-run")
router.register("payments", PaymentViewSet, basename="api-payment")
router.register("bank-statements", BankStatementViewSet, basename="api-bank-statement")
router.register("transfers", TransferViewSet, basename="api-transfer")
router.register("payment-details", PaymentDetailsViewSet, basename="api-payment-details")
router.register("payment-approvers", PaymentApproverViewSet, basename="api-payment-approver")

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("desk/", DeskView.as_view({"get": "retrieve"}), name="api-desk"),
    path("caseload/", CaseloadView.as_view({"get": "list"}), name="api-caseload-list"),
    path(
        "households/<int:pk>/timeline/",
        HouseholdTimelineView.as_view({"get": "list"}),
        name="api-household-timeline",
    ),
    path("persons/<int:pk>/timeline/", PersonTimelineView.as_view({"get": "list"}), name="api-person-timeline"),
    # Before the router: the case timeline merges casework, assessments and plans, so it lives above them.
    path("cases/<int:pk>/timeline/", CaseTimelineView.as_view({"get": "list"}), name="api-case-timeline"),
    *router.urls,
    *api_urls_family.urlpatterns,  # /family-support/…, /child-protection/… (issue 10)
    *api_urls_blue_cards.urlpatterns,  # /blue-cards/… (issue 10)
    # Community work and social services (issue 11): /community/…, /services/…, /calendar.ics
    *api_urls_community.urlpatterns,
    *api_urls_calendar.urlpatterns,
    *api_urls_services.urlpatterns,
    *api_urls_rosters.urlpatterns,
    *api_urls_service_statements.urlpatterns,
    # Reporting (issue 12): /reports/…
    *api_urls_reports.urlpatterns,
    *api_urls_statistics.urlpatterns,
    # Production and privacy (issue 13): /auth/…, /subject-access/…, /retention/…, /consents/…, /privacy/…
    *api_urls_security.urlpatterns,
    *api_urls_subject_access.urlpatterns,
    *api_urls_retention.urlpatterns,
    *api_urls_privacy_registers.urlpatterns,
]

"""Template context shared by every page."""

from django.conf import settings

from socius.accounts import roles
from socius.accounts.roles import (
    APPROVE_DECISIONS,
    APPROVE_ENROLMENTS,
    APPROVE_PAYMENTS,
    APPROVE_RETENTION,
    APPROVE_SUBJECT_ACCESS,
    ASSIGN_CASES,
    AUTHORISE_APPROVERS,
    EDIT_REGISTRY,
    IMPORT_REGISTRY,
    MANAGE_FUNDS,
    MANAGE_SERVICES,
    MANAGE_STAFF,
    ORDER_SERVICES,
    PREPARE_PAYMENTS,
    PROPOSE_DECISIONS,
    RECORD_CONTACTS,
    RECORD_DELIVERIES,
    REQUEST_SUBJECT_ACCESS,
    START_BLUE_CARD,
    VIEW_ASSISTANT_LOADS,
    VIEW_AUDIT,
    VIEW_CASES,
    VIEW_PAYMENTS,
    VIEW_REGISTRY,
    VIEW_REPORTS,
    VIEW_SERVICES,
    VIEW_STAFF,
    WORK_CASES,
    WORK_CHILD_PROTECTION,
    WORK_FAMILY_SUPPORT,
)
from socius.benefits.recalculation import can_view_recalculations
from socius.benefits.selectors import can_approve_decisions
from socius.family.bluecards.selectors import blue_card_offered_to
from socius.payments.permissions import can_approve_payments
from socius.rulebook import get_jurisdiction

_CAPABILITIES = (VIEW_REGISTRY, EDIT_REGISTRY, IMPORT_REGISTRY, VIEW_AUDIT, VIEW_STAFF, MANAGE_STAFF)
_CAPABILITIES += (VIEW_CASES, RECORD_CONTACTS, WORK_CASES, ASSIGN_CASES)
_CAPABILITIES += (PROPOSE_DECISIONS, APPROVE_DECISIONS, AUTHORISE_APPROVERS)
_CAPABILITIES += (VIEW_PAYMENTS, PREPARE_PAYMENTS, APPROVE_PAYMENTS, MANAGE_FUNDS)
_CAPABILITIES += (ORDER_SERVICES, VIEW_SERVICES, MANAGE_SERVICES, RECORD_DELIVERIES)
_CAPABILITIES += (WORK_FAMILY_SUPPORT, APPROVE_ENROLMENTS, VIEW_ASSISTANT_LOADS, WORK_CHILD_PROTECTION, START_BLUE_CARD)
_CAPABILITIES += (VIEW_REPORTS,)  # the Reports and Statistics menu entries (issue 12)
_CAPABILITIES += (roles.VIEW_PRIVACY_REGISTERS,)  # the Data protection menu entry (issue 13, decision 0024)
_CAPABILITIES += (APPROVE_RETENTION, REQUEST_SUBJECT_ACCESS)  # retention and erasure (issue 13, decision 0023)
_CAPABILITIES += (REQUEST_SUBJECT_ACCESS, APPROVE_SUBJECT_ACCESS)  # subject access (issue 13)


def socius(request):
    user = getattr(request, "user", None)
    is_staff_member = user is not None and user.is_authenticated
    centre = user.centre if is_staff_member else None
    return {
        "current_centre": centre,
        # The statutory name of the centre's national ID (PESEL, IDNP, asmens kodas), shown untranslated.
        "national_id_name": get_jurisdiction(centre.jurisdiction).national_id_name if centre else "",
        "available_languages": settings.LANGUAGES,
        # {{ perms_socius.edit_registry }} etc.: what the menu and buttons may offer.
        "perms_socius": {cap: is_staff_member and user.can(cap) for cap in _CAPABILITIES},
        # Approving decisions and reading recalculations: by role, or staff the director authorised
        # (benefits.ApproverAuthorisation); callables, so the query runs only on pages that ask.
        "may_approve_decisions": (lambda: is_staff_member and bool(user.centre_id) and can_approve_decisions(user)),
        # Approving payment runs and transfers: the director, or staff the director authorised
        # (payments.PaymentApprover) whose role does not read payments: the menu offers them the runs too.
        "may_approve_payments": (lambda: is_staff_member and bool(user.centre_id) and can_approve_payments(user)),
        "may_recalculate": (lambda: is_staff_member and bool(user.centre_id) and can_view_recalculations(user)),
        # The Blue Card procedure exists only where the centre's pack has it (Poland); starting one is casework.
        "blue_card_offered": (lambda: is_staff_member and user.can(START_BLUE_CARD) and blue_card_offered_to(user)),
    }

"""Who may do what with funds and payments (decision 0014; capabilities in accounts.roles)."""

from __future__ import annotations

from socius.accounts.models import User
from socius.accounts.roles import APPROVE_PAYMENTS, MANAGE_FUNDS, PREPARE_PAYMENTS, VIEW_FULL_IBAN, VIEW_PAYMENTS


def is_authorised_payment_approver(actor: User) -> bool:
    """Staff the director authorised to approve runs and transfers (PaymentApprover not revoked), read once."""
    cached = getattr(actor, "_payments_authorised", None)
    if cached is None:
        from socius.payments.models import PaymentApprover

        cached = bool(
            actor.pk
            and actor.is_active
            and actor.centre_id
            and PaymentApprover.objects.filter(
                user_id=actor.pk, centre_id=actor.centre_id, revoked_at__isnull=True
            ).exists()
        )
        actor._payments_authorised = cached
    return cached


def reads_every_payment(actor: User) -> bool:
    """Finance, the director and auditors read every fund, run and payment of their centre; approvers too."""
    return actor.can(VIEW_PAYMENTS) or can_approve_payments(actor)


def can_prepare_payments(actor: User) -> bool:
    """Finance prepares, checks and exports runs, imports statements, handles returns, proposes transfers
    and records changes of payment details."""
    return actor.can(PREPARE_PAYMENTS)


def can_approve_payments(actor: User) -> bool:
    """The director by role; other staff when the director authorised them (never what they prepared)."""
    return bool(actor.centre_id) and (actor.can(APPROVE_PAYMENTS) or is_authorised_payment_approver(actor))


def can_manage_funds(actor: User) -> bool:
    """Funds, allocations and their amendments, and which fund a benefit draws on."""
    return actor.can(MANAGE_FUNDS)


def sees_full_iban(actor: User) -> bool:
    """Finance and auditors read IBANs in full; everyone else reads them masked (mask_iban)."""
    return actor.can(VIEW_FULL_IBAN)


def mask_iban(iban: str) -> str:
    """The country, check digits and last four characters, the rest hidden: "PL61 •••• 1234"."""
    compact = (iban or "").replace(" ", "").upper()
    if len(compact) < 8:
        return "••••" if compact else ""
    return f"{compact[:4]} •••• {compact[-4:]}"


def iban_for(actor: User, iban: str) -> str:
    """The IBAN as this actor may read it."""
    return iban if sees_full_iban(actor) else mask_iban(iban)

"""Consents as the person's page and the API handle them (decision 0024): recorded in the registry; a withdrawal
of the consent to the family assistant programme also withdraws the family's own consent row, so the programme
closes the work as it does when the withdrawal is recorded on the family's page."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from socius.accounts.models import User
from socius.family.models import OPEN_ENROLMENT, EnrolmentConsent, FamilyEnrolment
from socius.family.support import withdraw_consent as withdraw_family_consent
from socius.registry.models_consents import Consent, ConsentPurpose
from socius.registry.selectors_consents import get_consent_for
from socius.registry.services_consents import record_consent, withdraw_consent

__all__ = ["record_consent", "withdraw_person_consent"]


@transaction.atomic
def withdraw_person_consent(actor: User, consent, *, withdrawn_on: dt.date, note: str = "") -> Consent:
    """Withdraw a person's consent; for the family assistant programme, the live consent of the same person in
    an open enrolment too (that service checks the actor may work the family)."""
    consent = get_consent_for(actor, consent.pk if isinstance(consent, Consent) else consent)
    withdrawn = withdraw_consent(actor, consent, withdrawn_on=withdrawn_on, note=note)
    if withdrawn.purpose == ConsentPurpose.FAMILY_ASSISTANCE:
        rows = EnrolmentConsent.objects.filter(
            person_id=withdrawn.person_id,
            withdrawn_on__isnull=True,
            enrolment__centre_id=actor.centre_id,
            enrolment__in=FamilyEnrolment.objects.filter(OPEN_ENROLMENT).values("pk"),
            given_on__lte=withdrawn_on,
        ).values_list("pk", flat=True)
        for pk in list(rows):
            withdraw_family_consent(actor, pk, withdrawn_on=withdrawn_on, note=note)
    return withdrawn

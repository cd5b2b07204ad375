"""Assessments of the family's situation: the periodic one for the centre (at least every
`family_support/assessment_interval_months`), or the assistant's opinion on the family for a court."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from socius.accounts.audit import diff, snapshot
from socius.accounts.models import AuditAction, User
from socius.family.models import FamilyAssessment, FamilyEventKind
from socius.family.statuses import EnrolmentStatus, WorkArea
from socius.family.support._common import audit, check_date, check_text, event, is_date, raise_if, workable_enrolment


@transaction.atomic
def record_assessment(
    actor: User,
    enrolment,
    *,
    assessed_on,
    period_from,
    period_until,
    situation,
    recommendation,
    progress=None,
    strengths="",
    difficulties="",
    is_court_opinion=False,
    court_name="",
    court_reference="",
    requested_on=None,
) -> FamilyAssessment:
    locked = workable_enrolment(actor, enrolment, statuses=(EnrolmentStatus.ACTIVE, EnrolmentStatus.MONITORING))
    errors: dict = {}
    check_date(errors, "period_from", period_from, not_before=locked.started_on)
    check_date(errors, "period_until", period_until, not_before=period_from if is_date(period_from) else None)
    check_date(errors, "assessed_on", assessed_on, not_before=period_until if is_date(period_until) else None)
    situation = check_text(errors, "situation", situation)
    recommendation = check_text(errors, "recommendation", recommendation)
    strengths = check_text(errors, "strengths", strengths, required=False)
    difficulties = check_text(errors, "difficulties", difficulties, required=False)
    progress = progress or {}
    if not isinstance(progress, dict) or any(
        key not in WorkArea.values or not isinstance(value, str) for key, value in progress.items()
    ):
        errors["progress"] = [_("Describe the progress per area of work.")]
        progress = {}
    else:
        progress = {key: value.strip() for key, value in progress.items() if value.strip()}
    is_court_opinion = bool(is_court_opinion)
    court_name = check_text(errors, "court_name", court_name, max_length=200, required=is_court_opinion)
    court_reference = check_text(errors, "court_reference", court_reference, max_length=60, required=False)
    check_date(errors, "requested_on", requested_on, required=False)
    raise_if(errors)
    assessment = FamilyAssessment.objects.create(
        enrolment=locked,
        assessed_on=assessed_on,
        period_from=period_from,
        period_until=period_until,
        situation=situation,
        progress=progress,
        strengths=strengths,
        difficulties=difficulties,
        recommendation=recommendation,
        is_court_opinion=is_court_opinion,
        court_name=court_name if is_court_opinion else "",
        court_reference=court_reference if is_court_opinion else "",
        requested_on=requested_on if is_court_opinion else None,
        author=actor,
    )
    kind = FamilyEventKind.COURT_OPINION if is_court_opinion else FamilyEventKind.ASSESSMENT_MADE
    event(
        actor,
        locked,
        kind,
        {
            "assessment_id": assessment.pk,
            "assessed_on": assessed_on.isoformat(),
            "period_from": period_from.isoformat(),
            "period_until": period_until.isoformat(),
            **({"court_name": court_name, "court_reference": court_reference} if is_court_opinion else {}),
        },
    )
    audit(
        actor,
        AuditAction.CREATE,
        "family_assessment",
        assessment.pk,
        locked,
        diff({}, snapshot(assessment, FamilyAssessment.AUDITED_FIELDS)),
    )
    return assessment

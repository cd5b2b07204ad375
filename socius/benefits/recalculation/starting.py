"""Starting a recalculation (a run queued for the job), and a change of income reported after a decision."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from socius.accounts.audit import record_event
from socius.accounts.models import AuditAction, User
from socius.benefits import services
from socius.benefits.models import Application, IncomeDeclaration, IncomeKind
from socius.benefits.models_recalculation import RecalculationRun, RecalculationStatus
from socius.benefits.recalculation.access import as_int, can_start_recalculation
from socius.benefits.selectors import month_start
from socius.benefits.statuses import ApplicationStatus
from socius.common.errors import Conflict, Forbidden, NotFound, ValidationFailed
from socius.rulebook.engine import benefits as engine
from socius.rulebook.engine.jurisdiction import benefit_definition


def start_recalculation(actor: User, data: dict) -> RecalculationRun:
    """A run for the actor's centre: `month` (a date; its month is recalculated and amended from), `benefit`
    (a code of the centre's country, or empty for every benefit), `comment`. The job starts when the
    transaction commits. Conflict while another run of the centre is queued or running."""
    if not can_start_recalculation(actor):
        raise Forbidden()
    errors: dict[str, list] = {}
    month = data.get("month")
    if not isinstance(month, dt.date):
        errors["month"] = [_("Enter the month to recalculate from.")]
    benefit = data.get("benefit") or ""
    if benefit:
        try:
            definition = benefit_definition(benefit)
        except engine.UnknownBenefit:
            definition = None
        if definition is None or definition.country != actor.centre.jurisdiction:
            errors["benefit"] = [_("Choose a benefit of your centre's country.")]
        elif definition.payment != "monthly":
            errors["benefit"] = [_("Only monthly benefits are recalculated.")]
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        busy = (
            RecalculationRun.objects.select_for_update()
            .filter(centre_id=actor.centre_id, status__in=(RecalculationStatus.QUEUED, RecalculationStatus.RUNNING))
            .exists()
        )
        if busy:
            raise Conflict(_("A recalculation of this centre is already running."), code="recalculation_running")
        run = RecalculationRun.objects.create(
            centre_id=actor.centre_id,
            benefit=benefit,
            month=month_start(month),
            comment=str(data.get("comment") or "")[:300],
            started_by=actor,
        )
        record_event(
            actor,
            AuditAction.CREATE,
            object_type="benefit_recalculation",
            object_id=run.pk,
            centre_id=actor.centre_id,
            changes={"benefit": [None, benefit], "month": [None, run.month.isoformat()]},
        )
        transaction.on_commit(lambda: _enqueue(run.pk))
    return run


def _enqueue(run_id: int) -> None:
    from socius.benefits.tasks import recalculate_task

    recalculate_task.delay(run_id)


def report_income_change(actor: User, application_id, rows) -> list[IncomeDeclaration]:
    """Declare incomes for months after the application's month on a decided application (a change the client
    reported): rows as for services.declare_incomes; the months given replace what was declared for them. The
    next recalculation counts them (batch.reference_on). Nothing is written when any row is wrong."""
    with transaction.atomic():
        pk = as_int(application_id)
        case_id = (
            Application.objects.filter(pk=pk, centre_id=actor.centre_id).values_list("case_id", flat=True).first()
            if pk
            else None
        )
        if case_id is None:
            raise NotFound()
        case = services._workable_case(actor, case_id)
        application = Application.objects.select_for_update().get(pk=pk)
        if application.status != ApplicationStatus.DECIDED:
            raise Conflict(
                _("A change of income is reported on a decided application; declare incomes on the application."),
                code="application_not_decided",
            )
        if not isinstance(rows, list | tuple) or not rows or len(rows) > 500:
            raise ValidationFailed({"incomes": [_("Expected a list of incomes.")]})
        members = services._members_of_case(case, timezone.localdate()) | {application.applicant_id}
        first_month = month_start(application.applied_on)
        errors: dict[str, list] = {}
        clean = []
        for i, row in enumerate(rows):
            where = f"incomes[{i}]"
            row = row if isinstance(row, dict) else {}
            person = as_int(row.get("person"))
            if person is None or person not in members:
                errors[f"{where}.person"] = [_("Choose a member of the household.")]
            month = row.get("month")
            if not isinstance(month, dt.date) or month_start(month) < first_month:
                errors[f"{where}.month"] = [_("Enter a month from the application's month on.")]
            kind = row.get("kind")
            if kind not in IncomeKind.values:
                errors[f"{where}.kind"] = [_("Choose the kind of income.")]
            amount = services._money(row.get("amount"), f"{where}.amount", errors)
            deductions = services._money(row.get("deductions") or "0", f"{where}.deductions", errors)
            if not errors:
                clean.append(
                    IncomeDeclaration(
                        application=application,
                        person_id=person,
                        month=month_start(month),
                        kind=kind,
                        amount=amount,
                        deductions=deductions,
                        one_off=bool(row.get("one_off")),
                    )
                )
        if errors:
            raise ValidationFailed(errors)
        months = sorted({row.month for row in clean})
        application.incomes.filter(month__in=months).delete()
        created = IncomeDeclaration.objects.bulk_create(clean)
        services._audit(
            actor,
            AuditAction.UPDATE,
            "benefit_application",
            application,
            {"income_change": [None, [m.isoformat() for m in months]]},
        )
        return created

"""A help plan's change events on a household's case name every member of the household (decision 0007)."""

from __future__ import annotations

import datetime as dt

from socius.accounts.models import AuditAction, AuditEvent, AuditEventPerson
from socius.plans.services import create_plan


def test_creating_a_plan_on_a_household_case_names_every_member(pl_worker, case, mother, son):
    plan = create_plan(pl_worker, case.pk, {"title": "Plan", "valid_from": dt.date(2025, 3, 3)})

    event = AuditEvent.objects.get(object_type="help_plan", object_id=plan.pk, action=AuditAction.CREATE)
    named = {event.person_id, *AuditEventPerson.objects.filter(event=event).values_list("person_id", flat=True)}
    assert named - {None} == {mother.pk, son.pk}

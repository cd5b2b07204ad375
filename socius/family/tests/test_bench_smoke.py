"""bench/family_support.py keeps loading: its generator at a tiny scale, inside a test's transaction
(PostgreSQL only: it writes with COPY). The figures themselves are in docs/benchmarks.md."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

import pytest
from django.db import connection
from django.db.models import Count, F, Q

from socius.casework.models import Case, CaseShare
from socius.family.models import (
    AssistantActivity,
    EnrolmentConsent,
    FamilyAssessment,
    FamilyEnrolment,
    FamilyEvent,
    WorkPlan,
    WorkPlanItem,
)
from socius.testing.factories import CentreFactory, HouseholdFactory, MembershipFactory, PersonFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

BENCH = Path(__file__).resolve().parents[3] / "bench" / "family_support.py"
TODAY = dt.date(2026, 12, 7)


def bench_module():
    spec = importlib.util.spec_from_file_location("bench_family_support", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def centre():
    if connection.vendor != "postgresql":
        pytest.skip("the bench loader writes with COPY (PostgreSQL)")
    centre = CentreFactory(code="bench-smoke")
    for h in range(60):
        household = HouseholdFactory(centre=centre)
        parent = PersonFactory(centre=centre, birth_date=dt.date(1985, 1, 1) + dt.timedelta(days=h))
        child = PersonFactory(centre=centre, birth_date=dt.date(2015, 1, 1) + dt.timedelta(days=h))
        MembershipFactory(household=household, person=parent, relationship="head")
        MembershipFactory(household=household, person=child, relationship="child")
    single = HouseholdFactory(centre=centre)  # no child: never enrolled
    MembershipFactory(household=single, person=PersonFactory(centre=centre, birth_date=dt.date(1970, 1, 1)))
    return centre


def test_generator_writes_the_programme_as_the_services_would(centre):
    bench = bench_module()
    result = bench.load_family(
        centre, families=50, assistants=3, activities=2_000, months=24, seed=1, today=TODAY, quiet=True
    )

    enrolments = FamilyEnrolment.objects.filter(centre=centre)
    assert enrolments.count() == 50
    assert not enrolments.filter(household__memberships__person__birth_date__lt=dt.date(1971, 1, 1)).exists()
    # Never more than the PL cap of 15 active families per assistant, and some families in monitoring.
    loads = enrolments.filter(status="active").values("assistant").annotate(n=Count("id"))
    assert loads and max(row["n"] for row in loads) <= bench.CAP
    assert set(enrolments.values_list("status", flat=True)) >= {"active", "requested"}
    assert enrolments.filter(Q(status="monitoring") | Q(status="closed")).exists()
    assert Case.objects.filter(centre=centre).count() == 50
    assert (
        CaseShare.objects.filter(case__family_enrolments__assistant__isnull=False).count()
        == enrolments.exclude(assistant=None).count()
    )
    # Activities: exactly as many as asked, on weekdays, by the family's assistant, inside its work.
    activities = AssistantActivity.objects.filter(centre=centre)
    assert activities.count() == 2_000 == result["rows"]["activity"]
    weekend = sum(1 for on in activities.values_list("on", flat=True) if on.weekday() >= 5)
    assert weekend < 2_000 * 0.02
    assert not activities.exclude(assistant=F("enrolment__assistant")).exists()
    assert not activities.filter(on__lt=F("enrolment__started_on")).exists()
    assert not activities.filter(on__gt=TODAY).exists()
    # One ACTIVITY_LOGGED event per activity, with the services' data shape.
    logged = FamilyEvent.objects.filter(case__centre=centre, kind="activity_logged")
    assert logged.count() == 2_000
    event = logged.order_by("id").first()
    first = AssistantActivity.objects.get(pk=event.data["activity_id"])
    assert event.data == {"activity_id": first.pk, "minutes": first.minutes, "place": first.place, "areas": first.areas}
    assert (
        FamilyEvent.objects.filter(case__centre=centre, kind="plan_agreed").count()
        == WorkPlan.objects.filter(enrolment__centre=centre, agreed_on__isnull=False).count()
    )
    # Plans, items, consents, assessments exist and satisfy the models' constraints (COPY checked them).
    assert WorkPlan.objects.filter(enrolment__centre=centre, status="agreed").exists()
    assert WorkPlanItem.objects.filter(plan__enrolment__centre=centre).count() >= 4
    assert EnrolmentConsent.objects.filter(enrolment__centre=centre).exists()
    assert FamilyAssessment.objects.filter(enrolment__centre=centre).exists()
    # Sequences were moved past the ids written: the ORM can add rows after the load.
    enrolment = enrolments.filter(status="active").first()
    added = AssistantActivity.objects.create(
        centre=centre, enrolment=enrolment, assistant=enrolment.assistant, on=TODAY, minutes=30, place="office"
    )
    assert added.pk > activities.exclude(pk=added.pk).order_by("-pk").first().pk

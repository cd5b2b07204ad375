"""Family support rules: the pack parameters of the three jurisdictions, read on a day, and what a service does
on a day no rule covers."""

from __future__ import annotations

import datetime as dt

import pytest

from socius.family.models import FamilyEnrolment
from socius.family.rules import (
    NoRuleInForce,
    add_months,
    assessment_interval_months,
    caseload_cap,
    monitoring_months,
)
from socius.family.support import ConsentInput, enrol_family
from socius.registry.models import Membership

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("code", "on", "cap", "interval", "monitoring", "cap_confirmed"),
    [
        ("PL", dt.date(2012, 1, 1), 20, 6, 3, True),
        ("PL", dt.date(2014, 12, 31), 20, 6, 3, True),
        ("PL", dt.date(2015, 1, 1), 15, 6, 3, False),
        ("MD", dt.date(2025, 3, 3), 15, 6, 3, False),
        ("LT", dt.date(2025, 3, 3), 15, 6, 3, False),
    ],
)
def test_pack_values_by_jurisdiction_and_day(code, on, cap, interval, monitoring, cap_confirmed):
    assert caseload_cap(code, on).value == cap
    assert caseload_cap(code, on).confirmed is cap_confirmed
    assert assessment_interval_months(code, on).value == interval
    assert monitoring_months(code, on).value == monitoring
    for info in (caseload_cap(code, on), assessment_interval_months(code, on), monitoring_months(code, on)):
        assert info.legal_basis and info.source
        assert info.confirmed or "[NOT CONFIRMED]" in info.source


def test_a_day_before_the_law_has_no_rule():
    with pytest.raises(NoRuleInForce) as refused:
        caseload_cap("PL", dt.date(2011, 12, 31))
    assert refused.value.code == "no_rule_in_force"
    assert "family_support/caseload_cap" in str(refused.value.message)


def test_enrolment_on_a_day_no_rule_covers_is_refused_with_nothing_written(case, pl_worker, pl_assistant):
    with pytest.raises(NoRuleInForce):
        enrol_family(
            pl_worker,
            case=case,
            route="statutory",
            assistant=pl_assistant,
            started_on=dt.date(2011, 6, 1),
            legal_basis="x",
        )
    assert FamilyEnrolment.objects.count() == 0


def test_moldovan_centre_uses_its_own_pack(md_case, md_worker, md_assistant):
    enrolment = enrol_family(
        md_worker,
        case=md_case,
        route="statutory",
        assistant=md_assistant,
        started_on=dt.date(2025, 3, 3),
        legal_basis="Legea 140/2013",
        consent=ConsentInput(  # a statutory enrolment still needs the family's consent (decision 0024)
            person=Membership.objects.filter(household=md_case.household, relationship="head").get().person_id,
            given_on=dt.date(2025, 3, 3),
            method="written",
        ),
    )
    assert enrolment.centre.jurisdiction == "MD" and enrolment.status == "active"


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2025, 8, 31), 6, dt.date(2026, 2, 28)),
        (dt.date(2023, 8, 31), 6, dt.date(2024, 2, 29)),
        (dt.date(2025, 1, 15), 12, dt.date(2026, 1, 15)),
        (dt.date(2025, 11, 30), 3, dt.date(2026, 2, 28)),
        (dt.date(2025, 3, 10), 0, dt.date(2025, 3, 10)),
    ],
)
def test_add_months_clamps_to_the_months_last_day(day, months, expected):
    assert add_months(day, months) == expected

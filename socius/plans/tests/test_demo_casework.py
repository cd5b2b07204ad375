"""The demo's casework: written through the services in each demo centre, dated to its story, the same
for the same seed, and leaving the persons of the browser tests alone."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from socius.accounts.models import AuditEvent, Centre
from socius.assessments.models import Assessment, AssessmentEvent
from socius.casework.models import Case, CaseEvent, Contact, HomeVisit, Referral
from socius.plans.models import CaseFlag, HelpPlan, PlanEvent, SocialContract
from socius.registry.models import Household, Person


@pytest.fixture
def demo(db):
    call_command("load_demo", persons_per_centre=600, stdout=io.StringIO())  # four cases a centre


def test_every_demo_centre_gets_casework_of_every_kind(demo):
    for centre in Centre.objects.all():
        cases = Case.objects.filter(centre=centre)
        assert cases.count() == 4, centre.code
        assert HomeVisit.objects.filter(case__centre=centre, status="done").exists()
        assert HomeVisit.objects.filter(case__centre=centre, status="planned").exists()
        assert Assessment.objects.filter(case__centre=centre, status="signed").exists()
        assert HelpPlan.objects.filter(case__centre=centre, status="active", assessment__isnull=False).exists()
        assert SocialContract.objects.filter(case__centre=centre).exists()
        assert CaseFlag.objects.filter(case__centre=centre).exists()
        assert Referral.objects.filter(case__centre=centre).exists()
        assert Contact.objects.filter(centre=centre, persons__isnull=True).exists()  # anonymous ones count too


def test_the_timeline_is_dated_to_the_story_and_each_write_is_audited(demo):
    today = timezone.localdate()
    for model in (CaseEvent, AssessmentEvent, PlanEvent):
        days = {timezone.localtime(at).date() for at in model.objects.values_list("at", flat=True)}
        assert len(days) > 10 and max(days) <= today
    case = Case.objects.filter(status="closed").first()
    assert case is not None
    assert AuditEvent.objects.filter(object_type="case", object_id=case.pk, action="create").exists()
    opened = CaseEvent.objects.get(case=case, kind="opened")
    assert timezone.localtime(opened.at).date() == case.opened_on


def test_the_browser_tests_persons_have_no_casework(demo):
    for first, last in (("Łukasz", "Kowalski"), ("Ștefan", "Popescu"), ("Ąžuolas", "Kazlauskas")):
        person = Person.objects.get(first_name=first, last_name=last)
        assert not Contact.objects.filter(persons=person).exists()
        household = person.memberships.get(valid_until__isnull=True).household
        assert not Case.objects.filter(household=household).exists()


def test_no_casework_option_loads_the_registry_only(db):
    call_command("load_demo", persons_per_centre=100, no_casework=True, stdout=io.StringIO())
    assert Person.objects.exists() and not Case.objects.exists() and not Contact.objects.exists()


def test_each_cases_reasons_follow_its_household(demo):
    """No reason the family's story contradicts (orphanhood for a working mother, a refugee's integration)."""
    allowed = {"poverty", "unemployment", "labour_market_inactivity", "disability", "old_age"}
    allowed |= {"maternity_large_family", "large_family", "single_parent_family"}
    for case in Case.objects.select_related("household"):
        members = [m.person for m in case.household.memberships.filter(valid_until__isnull=True)]
        assert set(case.circumstances) <= allowed and "poverty" in case.circumstances, case.circumstances
        if "unemployment" in case.circumstances or "labour_market_inactivity" in case.circumstances:
            assert any(p.employment_status.startswith("unemployed") for p in members)
        if "disability" in case.circumstances:
            assert any(p.disability_degree not in ("", "none", "pending") for p in members)


def test_no_contract_deadline_is_left_stale(demo):
    """Running contracts are within their term and their past obligations met; the breached contract's missed
    obligation is recent, and the breach came after it."""
    today = timezone.localdate()
    for contract in SocialContract.objects.all():
        assert contract.valid_until > today
        late = [o for o in contract.obligations.all() if o.due_on and o.due_on < today and not o.is_done]
        if contract.status == "breached":
            assert len(late) == 1 and (today - late[0].due_on).days <= 45
            assert late[0].due_on < contract.ended_on <= today
        else:
            assert late == []


def test_registration_dates_are_spread_over_the_past_years_and_precede_the_cases(demo):
    today = timezone.localdate()
    households = {h.pk: timezone.localdate(h.created_at) for h in Household.objects.all()}
    persons = [(timezone.localdate(at), born) for at, born in Person.objects.values_list("created_at", "birth_date")]
    assert len({day.year for day in households.values()}) >= 5
    assert max(households.values()) <= today and max(day for day, _ in persons) <= today
    # Nobody was registered today, but a baby born today (registered with their household, on their birth day).
    assert all(born == today for day, born in persons if day == today)
    assert all(born is None or day >= born for day, born in persons)
    for case in Case.objects.all():
        assert households[case.household_id] < case.opened_on


def test_every_demo_centre_has_a_letterhead(demo):
    for centre in Centre.objects.all():
        assert centre.address and centre.locality and centre.phone and centre.email, centre.code
        assert centre.locality in centre.address

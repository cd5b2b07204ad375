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
from socius.registry.models import Person


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

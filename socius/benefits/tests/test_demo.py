"""The demo shows real benefits in every demo centre: grants approved by a second person, a proposal waiting
for approval, and a suspension proposed, each computed by its country's pack with its trace."""

import io

import pytest
from django.core.management import call_command

from socius.benefits.models import Decision
from socius.benefits.selectors import amounts_due, rendered_trace


@pytest.fixture(autouse=True)
def toy_pack():
    """The demo runs on the real packs (the module-level toy pack is not wanted here)."""


@pytest.mark.django_db
def test_each_demo_centre_has_decisions_of_its_countrys_benefits():
    call_command("load_demo", persons_per_centre=40, stdout=io.StringIO())

    for country, currency in (("PL", "PLN"), ("MD", "MDL"), ("LT", "EUR")):
        decisions = Decision.objects.filter(centre__jurisdiction=country)
        approved = decisions.filter(status="approved", kind="grant", state="active")
        assert approved.exists(), country
        assert decisions.filter(status="proposed").exists(), country
        assert {d.benefit.split(".")[0] for d in decisions} == {country.lower()}
        assert {d.currency for d in decisions} == {currency}
        for decision in approved:
            assert decision.approved_by_id != decision.proposed_by_id
            assert decision.trace and decision.rules_version
            assert decision.parameters or decision.one_off  # a one-off aid may read only the request
            assert all(step["label"] != step["code"] for step in rendered_trace(decision, "en"))
        month = approved.first().period_from
        assert amounts_due(approved.first().centre, month), country
    assert Decision.objects.filter(centre__jurisdiction="PL", kind="suspension", status="proposed").exists()

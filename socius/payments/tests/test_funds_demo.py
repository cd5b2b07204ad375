"""The demo's funds: each centre's funds fit its country, every benefit of its pack draws on one, the approved
demo decisions are committed, and Moldova pays the social canteen of Oxentea 2,000 lei a month."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone
from stdnum import iban as stdnum_iban

from socius.benefits.models import Decision
from socius.payments import funds
from socius.payments.models import BenefitFund, Commitment, Fund, Transfer
from socius.rulebook.engine.jurisdiction import get_jurisdiction


@pytest.fixture(autouse=True)
def toy_pack():
    """The demo runs on the real packs."""


@pytest.mark.django_db
def test_the_demo_has_funds_that_fit_each_country_and_commits_its_approved_decisions():
    call_command("load_demo", persons_per_centre=40, stdout=io.StringIO())
    year = timezone.localdate().year

    kinds = {
        country: set(Fund.objects.filter(centre__jurisdiction=country).values_list("kind", flat=True))
        for country in ("PL", "MD", "LT")
    }
    assert kinds == {
        "PL": {"state_commissioned", "own_tasks", "project"},
        "MD": {"state_budget", "local_support_fund", "social_canteen"},
        "LT": {"state_budget", "municipal"},
    }
    for fund in Fund.objects.select_related("centre"):
        assert stdnum_iban.is_valid(fund.debtor_iban) and fund.debtor_iban[:2] == fund.centre.jurisdiction
        assert fund.currency == get_jurisdiction(fund.centre.jurisdiction).currency
        assert funds.fund_statement(fund, year).allocation > 0
        assert funds.available(fund.pk, year) >= 0
    for country in ("PL", "MD", "LT"):
        mapped = set(BenefitFund.objects.filter(centre__jurisdiction=country).values_list("benefit", flat=True))
        assert mapped == {b.code for b in get_jurisdiction(country).benefits()}

    granting = Decision.objects.filter(status="approved", kind="grant", state="active", amount__gt=0)
    assert granting.exists()
    assert set(Commitment.objects.filter(decision__isnull=False).values_list("decision_id", flat=True)) == set(
        granting.values_list("pk", flat=True)
    )

    canteen = Transfer.objects.get(centre__jurisdiction="MD")
    assert (canteen.payee_name, canteen.amount, canteen.currency, canteen.status, canteen.fund.code) == (
        "Cantina socială Oxentea",
        Decimal("2000.00"),
        "MDL",
        "approved",
        "fond-local",
    )
    assert canteen.territory.name == "Oxentea"
    assert canteen.approved_by_id != canteen.proposed_by_id
    assert Commitment.objects.filter(transfer=canteen).aggregate(t=Sum("amount"))["t"] == Decimal("24000.00")

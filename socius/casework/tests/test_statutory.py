"""The adapter to the packs' statutory lists: the agreed interface, and nothing valid without it."""

import datetime as dt

import pytest

from socius.casework import statutory
from socius.casework.services import open_case
from socius.common.errors import ValidationFailed

DAY = dt.date(2025, 3, 3)


def test_lists_are_read_through_the_agreed_interface():
    assert [c.code for c in statutory.circumstances("PL", on=DAY)][:2] == ["poverty", "unemployment"]
    assert statutory.sensitive_codes(statutory.circumstances("PL", on=DAY)) == {
        "disability",
        "domestic_violence",
        "addiction",
    }
    assert [c.code for c in statutory.contact_topics("PL")] == ["information", "benefits", "housing", "health"]
    assert statutory.sensitive_codes(statutory.contact_topics("PL")) == {"health"}
    assert "referral" in [c.code for c in statutory.contact_outcomes("PL")]
    assert statutory.unknown_codes(["poverty", "x", "y"], statutory.circumstances("PL", on=DAY)) == ["x", "y"]


def test_a_pack_without_the_lists_validates_nothing(monkeypatch, pl_worker, pl_household, family_team):
    monkeypatch.setattr(statutory, "_jurisdiction", lambda code: object())
    assert statutory.circumstances("PL", on=DAY) == []
    assert statutory.contact_topics("PL") == []
    with pytest.raises(ValidationFailed) as refused:
        open_case(pl_worker, {"household": pl_household, "circumstances": ["poverty"], "opened_on": DAY})
    assert refused.value.errors == {"circumstances": ["Unknown code: poverty."]}


def test_an_unknown_jurisdiction_has_empty_lists(monkeypatch):
    def missing(code):
        raise KeyError(code)

    monkeypatch.setattr(statutory, "_jurisdiction", missing)
    assert statutory.contact_outcomes("XX") == []


@pytest.mark.parametrize("country", ["PL", "MD", "LT"])
def test_the_real_packs_provide_the_lists(monkeypatch, country):
    monkeypatch.undo()  # the real packs, not the fixture's
    codes = {c.code for c in statutory.circumstances(country, on=DAY)}
    assert "poverty" in codes
    assert "domestic_violence" in statutory.sensitive_codes(statutory.circumstances(country, on=DAY))
    assert "housing" in {c.code for c in statutory.contact_topics(country)}
    assert statutory.contact_outcomes(country)


def test_a_contact_and_a_case_validate_against_the_real_polish_pack(monkeypatch, pl_worker, pl_household, family_team):
    monkeypatch.undo()
    from django.utils import timezone

    from socius.casework.services import record_contact

    contact = record_contact(
        pl_worker,
        {
            "occurred_at": timezone.now(),
            "channel": "office",
            "topics": ["housing", "benefits_information"],
            "outcomes": ["case_opened"],
        },
    )
    case = open_case(
        pl_worker, {"household": pl_household, "circumstances": ["poverty", "unemployment"], "opened_on": DAY}
    )
    assert contact.topics == ["housing", "benefits_information"]
    assert case.circumstances == ["poverty", "unemployment"]

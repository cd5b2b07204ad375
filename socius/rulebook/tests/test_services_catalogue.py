"""The packs' service catalogues and co-payment rules as data: every service named in five languages with a
unit, a group, a legal basis and a rule that exists; malformed rules are refused when read."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from socius.rulebook import (
    CopaymentNotInForce,
    ServiceDefinition,
    UnknownCode,
    get_jurisdiction,
    service_catalogue,
    service_definition,
)
from socius.rulebook.engine import services as engine
from socius.rulebook.engine.data import PackDataError
from socius.rulebook.engine.lists import NOT_CONFIRMED
from socius.rulebook.engine.translations import LANGUAGES, missing_languages

COUNTRIES = ("PL", "MD", "LT")
# The spec's minimum: home help/care at home, canteen or meals, shelter, counselling, transport, day care;
# LT integrated care and preventive services.
REQUIRED = {
    "PL": {"pl.home_help", "pl.specialist_care", "pl.transport", "pl.day_centre", "pl.meals", "pl.shelter",
           "pl.night_shelter", "pl.counselling"},
    "MD": {"md.home_care", "md.social_canteen", "md.day_centre", "md.transport", "md.shelter", "md.counselling"},
    "LT": {"lt.home_help", "lt.integrated_care", "lt.day_care", "lt.transport", "lt.meals", "lt.night_shelter",
           "lt.counselling", "lt.prevention"},
}  # fmt: skip


@pytest.mark.parametrize("country", COUNTRIES)
def test_each_catalogue_has_the_required_services_with_unit_group_basis_and_an_existing_rule(country):
    catalogue = service_catalogue(country)
    assert REQUIRED[country] <= {service.code for service in catalogue}
    for service in catalogue:
        assert isinstance(service, ServiceDefinition)
        assert service.country == country
        assert service.unit in engine.UNITS and service.group in engine.GROUPS
        assert service.legal_basis and service.source
        if service.copayment != engine.FREE:
            assert engine.copayment_rule(country, service.copayment).versions


@pytest.mark.parametrize("country", COUNTRIES)
def test_every_service_rule_and_trace_step_has_every_translation_and_the_own_language_is_statutory(country):
    own = get_jurisdiction(country).default_language
    catalogue = service_catalogue(country)
    rules = {engine.copayment_rule(country, s.copayment) for s in catalogue if s.copayment != engine.FREE}
    labelled = [*catalogue, *rules]
    for item in labelled:
        assert missing_languages(item.translations, own) == [], (country, getattr(item, "code", item.label))
        assert item.label_in(own) == item.label == item.label_in(None)
        for language in LANGUAGES:
            if language != own:
                assert item.label_in(language) != item.label, (item.label, language)
    steps = engine.step_labels(country)
    assert set(steps) >= {"service", "income", "criterion", "band", "share_of_cost", "threshold", "income_cap"}
    for code, label in steps.items():
        assert missing_languages(label.translations, own) == [], (country, code)


def test_lt_services_carry_their_catalogue_codes_and_pl_and_md_have_none():
    assert service_definition("LT", "lt.home_help").statutory_code == "2.1.1"
    assert service_definition("LT", "lt.transport").statutory_code == "1.6"
    assert all(service.statutory_code == "" for service in service_catalogue("PL"))
    assert all(service.statutory_code == "" for service in service_catalogue("MD"))


def test_statutory_names_are_the_laws_and_translate():
    home_help = service_definition("PL", "pl.home_help")
    assert home_help.label == "usługi opiekuńcze"
    assert home_help.label_in("en") == "home help (care services)"
    assert home_help.unit == "hour" and home_help.copayment == "care_services"
    canteen = service_definition("MD", "md.social_canteen")
    assert canteen.label == "cantina de ajutor social" and canteen.unit == "meal"
    assert canteen.label_in("ru") == "социальная столовая"
    assert service_definition("LT", "lt.integrated_care").label_in("pl").startswith("dzienna opieka socjalna")


def test_an_unknown_service_or_country_is_refused():
    with pytest.raises(UnknownCode):
        service_definition("PL", "pl.spa_weekend")
    with pytest.raises(UnknownCode):
        service_definition("PL", "lt.home_help")
    with pytest.raises(UnknownCode):
        service_catalogue("XX")
    with pytest.raises(UnknownCode):
        engine.copayment_rule("PL", "../catalogue")
    with pytest.raises(UnknownCode):
        engine.evaluate_copayment("XX", "xx.help", engine.CopaymentFacts(Decimal("1")), dt.date(2024, 1, 1))


def test_a_day_before_the_first_rule_version_is_not_in_force():
    facts = engine.CopaymentFacts(income=Decimal("500"))
    with pytest.raises(CopaymentNotInForce):
        engine.evaluate_copayment("LT", "lt.home_help", facts, dt.date(2017, 12, 31))
    with pytest.raises(CopaymentNotInForce):  # the rule is in force, the PL criterion is not encoded before 2012
        engine.evaluate_copayment("PL", "pl.home_help", facts, dt.date(2010, 1, 1))
    with pytest.raises(CopaymentNotInForce):  # a "free" service before it existed
        engine.evaluate_copayment("LT", "lt.prevention", facts, dt.date(2023, 12, 31))


def test_bands_that_fall_or_do_not_rise_are_refused():
    falling = [{"up_to": "100", "single": "10", "family": "10"}, {"single": "5", "family": "10"}]
    with pytest.raises(PackDataError, match="smaller share"):
        engine._bands(falling, "test")
    not_rising = [{"up_to": "100", "single": "0", "family": "0"}, {"up_to": "100", "single": "5", "family": "5"},
                  {"single": "100", "family": "100"}]  # fmt: skip
    with pytest.raises(PackDataError, match="must rise"):
        engine._bands(not_rising, "test")
    open_middle = [{"single": "0", "family": "0"}, {"single": "5", "family": "5"}]
    with pytest.raises(PackDataError, match="the last has none"):
        engine._bands(open_middle, "test")
    with pytest.raises(PackDataError, match="out of range"):
        engine._bands([{"single": "101", "family": "0"}], "test")
    with pytest.raises(PackDataError, match="quoted decimal"):
        engine._bands([{"single": 1.5, "family": "0"}], "test")


def test_a_catalogue_naming_a_missing_rule_or_a_bad_unit_is_refused(tmp_path):
    (tmp_path / "services").mkdir()
    path = tmp_path / "services" / "catalogue.yaml"
    item = ("services:\n  - {code: xx.help, label: help, unit: %s, group: care, source: s, copayment: %s, "
            "since: 2020-01-01}\n")  # fmt: skip
    path.write_text(item % ("hour", "missing_rule"), encoding="utf-8")
    with pytest.raises(PackDataError, match="no co-payment rule"):
        engine._catalogue(tmp_path, "XX")
    path.write_text(item % ("fortnight", "free"), encoding="utf-8")
    engine._catalogue.cache_clear()
    with pytest.raises(PackDataError, match="'unit'"):
        engine._catalogue(tmp_path, "XX")
    engine._catalogue.cache_clear()


DOC = Path(__file__).resolve().parents[3] / "docs" / "unconfirmed-law" / "services.md"


@pytest.mark.parametrize("country", COUNTRIES)
def test_every_unconfirmed_value_says_so_in_its_source_and_is_listed_in_the_docs(country):
    listed = DOC.read_text(encoding="utf-8")
    for service in service_catalogue(country):
        if not service.is_confirmed:
            assert f"`{service.code}`" in listed or service.copayment in listed, service.code
        if service.copayment == engine.FREE:
            continue
        rule = engine.copayment_rule(country, service.copayment)
        for version in rule.versions:
            assert version.confirmed == (NOT_CONFIRMED not in version.source), (rule.name, version.valid_from)
            if not version.confirmed:
                assert f"`{rule.name}`" in listed, rule.name

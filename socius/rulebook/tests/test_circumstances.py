"""Qualifying circumstances per pack: statutory points, dated wording, sensitivity and sources."""

import datetime as dt

import pytest

from socius.rulebook import UnknownCode, get_jurisdiction, jurisdiction_codes
from socius.rulebook.engine.data import PackDataError
from socius.rulebook.engine.lists import all_circumstances

D = dt.date
TODAY_ISH = D(2025, 6, 1)


@pytest.mark.parametrize("country", ["PL", "MD", "LT"])
def test_circumstances_load_with_unique_codes_and_non_empty_labels_bases_and_sources(country):
    items = get_jurisdiction(country).circumstances(TODAY_ISH)

    assert items
    codes = [item.code for item in items]
    assert len(codes) == len(set(codes))
    for item in items:
        assert item.code.isascii() and item.code == item.code.lower() and " " not in item.code
        assert item.label.strip() and item.legal_basis.strip() and item.source.strip()


def test_every_country_has_a_pack_with_circumstances():
    assert jurisdiction_codes() == ["LT", "MD", "PL"]


def test_pl_art_7_has_the_statutory_points_in_order_and_pkt_10_is_absent():
    items = get_jurisdiction("PL").circumstances(TODAY_ISH)

    assert [item.point for item in items] == [
        "1", "2", "3", "4", "5", "6", "7", "7a", "8", "9", "11", "12", "13", "14", "15",
    ]  # fmt: skip
    assert "10" not in {item.point for item in get_jurisdiction("PL").all_circumstances()}
    assert {item.code: item.point for item in items}["human_trafficking"] == "7a"
    assert all(item.legal_basis.startswith(f"art. 7 pkt {item.point} ") for item in items)


def test_pl_domestic_violence_is_przemoc_w_rodzinie_until_21_june_2023_then_przemoc_domowa():
    pl = get_jurisdiction("PL")

    before = pl.circumstance("domestic_violence", D(2023, 6, 21))
    after = pl.circumstance("domestic_violence", D(2023, 6, 22))

    assert (before.label, before.valid_until) == ("przemoc w rodzinie", D(2023, 6, 22))
    assert (after.label, after.valid_from, after.valid_until) == ("przemoc domowa", D(2023, 6, 22), None)
    assert before.point == after.point == "7"
    assert "Dz.U. 2023 poz. 535" in after.legal_basis


def test_pl_each_day_has_exactly_one_domestic_violence_wording():
    pl = get_jurisdiction("PL")
    for day in (D(2010, 1, 1), D(2023, 6, 21), D(2023, 6, 22), D(2030, 1, 1)):
        assert [item.code for item in pl.circumstances(day)].count("domestic_violence") == 1


def test_no_pl_circumstance_before_the_act_came_into_force():
    assert get_jurisdiction("PL").circumstances(D(2004, 4, 30)) == []


def test_unknown_circumstance_code_is_refused():
    with pytest.raises(UnknownCode):
        get_jurisdiction("PL").circumstance("left_care_institution", TODAY_ISH)


@pytest.mark.parametrize(
    ("country", "code"),
    [("PL", "disability"), ("PL", "long_illness"), ("PL", "addiction"), ("PL", "domestic_violence"),
     ("MD", "disability"), ("MD", "domestic_violence"), ("LT", "addiction"), ("LT", "domestic_violence")],
)  # fmt: skip
def test_health_disability_addiction_and_violence_are_sensitive(country, code):
    assert get_jurisdiction(country).circumstance(code, TODAY_ISH).sensitive


@pytest.mark.parametrize(("country", "code"), [("PL", "poverty"), ("PL", "unemployment"), ("MD", "old_age")])
def test_poverty_unemployment_and_old_age_are_not_sensitive(country, code):
    assert not get_jurisdiction(country).circumstance(code, TODAY_ISH).sensitive


def test_a_shared_code_has_the_same_sensitivity_in_every_country():
    flags: dict[str, set[bool]] = {}
    for country in jurisdiction_codes():
        for item in get_jurisdiction(country).all_circumstances():
            flags.setdefault(item.code, set()).add(item.sensitive)
    assert {code: values for code, values in flags.items() if len(values) > 1} == {}


def test_shared_concepts_use_the_same_code_across_countries():
    codes = {
        country: {item.code for item in get_jurisdiction(country).circumstances(TODAY_ISH)}
        for country in jurisdiction_codes()
    }
    assert {"poverty", "disability", "domestic_violence", "addiction", "homelessness"} <= codes["PL"] & codes[
        "MD"
    ] & codes["LT"]


def test_lt_list_is_marked_not_confirmed_throughout_and_pl_only_where_dates_are_uncertain():
    assert not any(item.is_confirmed for item in get_jurisdiction("LT").all_circumstances())
    unconfirmed_pl = {item.point for item in get_jurisdiction("PL").all_circumstances() if not item.is_confirmed}
    assert unconfirmed_pl == {"7a", "11"}


def test_md_categories_without_a_statutory_source_or_with_uncertain_wording_say_so():
    unconfirmed = {item.code for item in get_jurisdiction("MD").all_circumstances() if not item.is_confirmed}
    assert unconfirmed == {"addiction", "homelessness", "disability"}


def test_overlapping_versions_of_one_code_are_rejected(tmp_path):
    (tmp_path / "circumstances.yaml").write_text(
        "legal_basis: test\n"
        "items:\n"
        "  - {code: poverty, label: a, source: s, valid_from: 2020-01-01, valid_until: 2022-01-01}\n"
        "  - {code: poverty, label: b, source: s, valid_from: 2021-01-01}\n",
        encoding="utf-8",
    )
    with pytest.raises(PackDataError, match="overlap"):
        all_circumstances(tmp_path)


def test_an_entry_without_a_source_is_rejected(tmp_path):
    (tmp_path / "circumstances.yaml").write_text(
        "legal_basis: test\nitems:\n  - {code: poverty, label: a, valid_from: 2020-01-01}\n", encoding="utf-8"
    )
    with pytest.raises(PackDataError, match="source"):
        all_circumstances(tmp_path)

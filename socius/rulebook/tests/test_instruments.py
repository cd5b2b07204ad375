"""Assessment instruments as data: the three countries' definitions load, and bad definitions are refused."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from socius.rulebook import get_jurisdiction
from socius.rulebook.engine import instruments as inst
from socius.rulebook.engine.data import PackDataError

D = dt.date


def _pack(code):
    return get_jurisdiction(code).data_dir


def test_pl_environmental_interview_in_force_has_the_confirmed_segments_and_part_iv():
    rws = inst.get_instrument(_pack("PL"), "rws-2021")

    assert (rws.jurisdiction, rws.version, rws.valid_from) == ("PL", "2021.2", D(2021, 11, 11))
    assert "Dz.U. 2021 poz. 893" in rws.legal_basis
    # Segments F and G of part I exist in the annex but their content is not found: left out, not invented.
    assert [s.code for s in rws.sections] == [f"I_{letter}" for letter in "ABCDEHIJ"] + ["IV_A"]
    assert [s.code for s in rws.sections if s.is_mandatory("initial")] == ["I_A", "I_H", "I_I", "I_J"]
    assert [s.code for s in rws.sections if s.is_mandatory("update")] == ["IV_A"]
    assert rws.section("I_H").title.startswith("Część I. H.")
    # Titles not confirmed from the regulation, and the missing segments, say so in the data.
    for code in ("I_B", "I_D", "I_E"):
        assert "NOT" in rws.section(code).source
    assert "I.F and I.G: title and content [NOT FOUND]" in rws.source
    assert "[NOT FOUND]" in rws.source
    assert not any(s.placeholder for s in rws.sections)


def test_pl_version_2021_1_keeps_segments_f_and_g_as_placeholders_for_the_answers_stored_under_them():
    old = inst.get_instrument(_pack("PL"), "rws-2021", version="2021.1")

    assert [s.code for s in old.sections] == [f"I_{letter}" for letter in "ABCDEFGHIJ"] + ["IV_A"]
    assert [s.code for s in old.sections if s.placeholder] == ["I_F", "I_G"]
    assert [s.title for s in old.sections if s.placeholder] == ["Część I. F.", "Część I. G."]
    assert old.section("I_F").field("notes").type == "long_text"
    for instrument in inst.instruments(_pack("PL")):
        for section in instrument.sections:
            assert "nieustalon" not in section.title


def test_a_placeholder_section_cannot_be_mandatory(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text(
        "code: x\nversion: 1\njurisdiction: PL\ntitle: X\nvalid_from: 2021-01-01\nlegal_basis: B\nsource: S\n"
        "sections:\n  - {code: a, title: A, mandatory: true, placeholder: true,"
        " fields: [{code: f, label: F, type: text}]}\n",
        encoding="utf-8",
    )
    with pytest.raises(PackDataError, match="placeholder section cannot be mandatory"):
        inst.load_instrument_file(path)


@pytest.mark.parametrize(
    ("country", "code", "version", "valid_from"),
    [
        ("MD", "ancheta-sociala-2008", "2008.1", D(2008, 10, 3)),
        ("LT", "poreikio-vertinimas-a1-94", "2021.1", D(2021, 4, 1)),
    ],
)
def test_md_and_lt_instruments_load_with_a_generic_structure_marked_not_confirmed(country, code, version, valid_from):
    item = inst.get_instrument(_pack(country), code)

    assert (item.jurisdiction, item.version, item.valid_from) == (country, version, valid_from)
    assert [s.code for s in item.sections] == ["family", "income", "housing", "health", "needs", "conclusions"]
    assert "[NOT CONFIRMED]" in item.source
    assert all("[NOT CONFIRMED]" in s.source for s in item.sections)
    assert [s.code for s in item.sections if s.is_mandatory("initial")] == ["family", "needs", "conclusions"]


def test_field_definitions_carry_types_options_and_limits():
    rws = inst.get_instrument(_pack("PL"), "rws-2021")
    size = rws.section("I_A").field("household_size")
    assert (size.type, size.required, size.min, size.max) == ("integer", True, 1, 30)
    income = rws.section("I_D").field("monthly_income")
    assert (income.type, income.min) == ("decimal", Decimal("0"))
    amenities = rws.section("I_C").field("amenities")
    assert amenities.type == "multi_choice" and "running_water" in amenities.option_codes()
    assert rws.section("I_H").field("needs_expectations").max_length == 4000


def test_version_in_force_on_a_day():
    pack = _pack("PL")
    assert [i.code for i in inst.instruments_in_force(pack, D(2025, 1, 1))] == ["rws-2021"]
    assert inst.instruments_in_force(pack, D(2021, 11, 10)) == ()
    with pytest.raises(inst.UnknownInstrument):
        inst.get_instrument(pack, "rws-2021", on=D(2021, 11, 10))
    with pytest.raises(inst.UnknownInstrument):
        inst.get_instrument(pack, "rws-2021", version="1999")


GOOD = """
code: demo
version: "1"
jurisdiction: PL
title: Demo
valid_from: 2025-01-01
legal_basis: none
source: test
sections:
  - code: a
    title: A
    mandatory: true
    fields:
      - {code: x, label: X, type: text, max_length: 5}
"""


def _write(tmp_path: Path, text: str, name="demo.yaml") -> Path:
    folder = tmp_path / "instruments"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_definition_loads(tmp_path):
    path = _write(tmp_path, GOOD)
    item = inst.load_instrument_file(path)
    assert item.section("a").field("x").max_length == 5
    assert item.section("a").mandatory_for == ("initial", "update")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "type: text, max_length: 5}",
            "type: text}\n      - {code: x, label: Y, type: text}",
            "field code 'x' is used twice",
        ),
        ("type: text, max_length: 5", "type: colour", "unknown type 'colour'"),
        ("type: text, max_length: 5", "type: choice", "needs a non-empty 'options'"),
        (
            "type: text, max_length: 5",
            "type: choice, options: [{code: a, label: A}, {code: a, label: B}]",
            "option code 'a'",
        ),
        ("type: text, max_length: 5", "type: integer, max_length: 5", "'max_length' is only for text"),
        ("type: text, max_length: 5", "type: text, min: 1", "'min' is only for integer"),
        ("type: text, max_length: 5", "type: integer, min: 5, max: 1", "'min' is greater than 'max'"),
        ("type: text, max_length: 5", "type: decimal, min: 0.5", "float"),
        ("type: text, max_length: 5", "type: text, options: [{code: a, label: A}]", "'options' is only for choice"),
        ("mandatory: true", "mandatory: [sometimes]", "'mandatory' must be"),
        ("title: Demo\n", "", "'title' must be non-empty"),
    ],
)
def test_bad_definitions_are_refused_with_the_reason(tmp_path, old, new, message):
    assert old in GOOD
    path = _write(tmp_path, GOOD.replace(old, new, 1))
    with pytest.raises(PackDataError, match=message):
        inst.load_instrument_file(path)


def test_duplicate_sections_and_duplicate_versions_are_refused(tmp_path):
    twice = GOOD + "  - code: a\n    title: A again\n    fields:\n      - {code: y, label: Y, type: boolean}\n"
    with pytest.raises(PackDataError, match="section code 'a' is used twice"):
        inst.load_instrument_file(_write(tmp_path, twice, "twice.yaml"))
    other = tmp_path / "other"
    _write(other, GOOD, "one.yaml")
    _write(other, GOOD, "two.yaml")
    with pytest.raises(PackDataError, match="version 1 defined twice"):
        inst.instruments(other)


def test_every_pack_instrument_loads():
    for country in ("PL", "MD", "LT"):
        items = inst.instruments(_pack(country))
        assert items and all(item.jurisdiction == country for item in items)


def test_roles_name_the_fields_the_application_fills_and_reads(tmp_path):
    item = inst.load_instrument_file(_write(tmp_path, GOOD + "roles:\n  applicant_name: a.x\n  diagnosis: a.x\n"))
    assert item.role("applicant_name") == ("a", "x") and item.role("diagnosis") == ("a", "x")
    assert item.role("address") is None
    assert inst.load_instrument_file(_write(tmp_path, GOOD, "plain.yaml")).roles == ()


@pytest.mark.parametrize(
    ("roles", "message"),
    [
        ("roles: [a.x]", "'roles' must map a role"),
        ("roles:\n  shoe_size: a.x", "unknown role 'shoe_size'"),
        ("roles:\n  diagnosis: a.y", "role 'diagnosis' names 'a.y', which is not a field"),
        ("roles:\n  diagnosis: b.x", "role 'diagnosis' names 'b.x', which is not a field"),
        ("roles:\n  household_size: a.x", "role 'household_size' cannot be played by a text field"),
    ],
)
def test_bad_roles_are_refused_with_the_reason(tmp_path, roles, message):
    with pytest.raises(PackDataError, match=message):
        inst.load_instrument_file(_write(tmp_path, GOOD + roles + "\n"))


@pytest.mark.parametrize("country", ["PL", "MD", "LT"])
def test_every_pack_instrument_says_where_its_diagnosis_and_conclusions_are(country):
    for item in inst.instruments(_pack(country)):
        assert item.role("diagnosis") and item.role("conclusions") and item.role("applicant_name")

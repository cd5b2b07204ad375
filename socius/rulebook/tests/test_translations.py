"""Every label a worker reads from a pack is translated into the five interface languages, with the
statutory wording (the pack's own language) as the authoritative text."""

from __future__ import annotations

import pytest

from socius.rulebook import get_jurisdiction, jurisdiction_codes
from socius.rulebook.engine import instruments as inst
from socius.rulebook.engine.contract_consequences import contract_consequences
from socius.rulebook.engine.data import PackDataError
from socius.rulebook.engine.translations import LANGUAGES, missing_languages, read_translations, text_in

PACKS = ["PL", "MD", "LT"]


def _list_items(code: str):
    pack = get_jurisdiction(code)
    items = [
        *pack.all_circumstances(),
        *pack.contact_topics(),
        *pack.contact_outcomes(),
        *contract_consequences(pack.data_dir),
        *pack.default_team_names(),
    ]
    return pack, items


def test_the_packs_are_the_three_demo_jurisdictions():
    assert jurisdiction_codes() == sorted(PACKS)


@pytest.mark.parametrize("code", PACKS)
def test_every_list_item_has_all_five_languages_and_its_own_language_is_the_statutory_label(code):
    pack, items = _list_items(code)
    own = pack.default_language
    assert len(items) > 30
    for item in items:
        assert missing_languages(item.translations, own) == [], (item.code, item.label)
        # The own language is never repeated in the map: the statutory label is its only home.
        assert own not in dict(item.translations), (item.code, item.label)
        assert item.label_in(own) == item.label
        assert item.label_in(None) == item.label
        for language in LANGUAGES:
            if language != own:
                assert item.label_in(language) == dict(item.translations)[language]
                assert item.label_in(language) != item.label, (item.code, language)


@pytest.mark.parametrize("code", PACKS)
def test_every_instrument_title_basis_section_field_and_option_has_all_five_languages(code):
    pack = get_jurisdiction(code)
    own = pack.default_language
    versions = inst.instruments(pack.data_dir)
    assert versions
    for instrument in versions:
        assert missing_languages(instrument.title_translations, own) == [], instrument.version
        assert missing_languages(instrument.legal_basis_translations, own) == [], instrument.version
        for section in instrument.sections:
            assert missing_languages(section.translations, own) == [], section.code
            for field in section.fields:
                assert missing_languages(field.translations, own) == [], (section.code, field.code)
                for option in field.options:
                    assert missing_languages(option.translations, own) == [], (section.code, field.code, option.code)


@pytest.mark.parametrize("code", PACKS)
def test_an_instrument_in_its_own_language_is_the_statutory_one_and_a_translation_keeps_it_beside(code):
    pack = get_jurisdiction(code)
    own = pack.default_language
    for instrument in inst.instruments(pack.data_dir):
        assert instrument.in_language(own, own) is instrument
        assert instrument.in_language(None, own) is instrument
        for language in LANGUAGES:
            if language == own:
                continue
            shown = instrument.in_language(language, own)
            assert shown.statutory is instrument and shown.statutory_language == own
            assert shown.title == dict(instrument.title_translations)[language] != instrument.title
            assert shown.legal_basis == dict(instrument.legal_basis_translations)[language]
            # Codes, versions and structure are untouched: stored answers are read the same way.
            assert (shown.code, shown.version) == (instrument.code, instrument.version)
            for before, after in zip(instrument.sections, shown.sections, strict=True):
                assert (after.code, after.mandatory_for, after.placeholder) == (
                    before.code,
                    before.mandatory_for,
                    before.placeholder,
                )
                assert after.title == dict(before.translations)[language]
                for field_before, field_after in zip(before.fields, after.fields, strict=True):
                    assert field_after.code == field_before.code and field_after.type == field_before.type
                    assert field_after.label == dict(field_before.translations)[language]
                    assert field_after.option_codes() == field_before.option_codes()
            # A translated copy is not translated again.
            assert shown.in_language("en", own) is shown


def test_the_russian_pl_interview_reads_in_russian_and_the_english_one_says_debts():
    pl = get_jurisdiction("PL")
    rws = inst.get_instrument(pl.data_dir, "rws-2021")
    assert rws.in_language("ru", "pl").section("I_D").field("debts").label == "Задолженность"
    assert rws.in_language("en-GB", "pl").section("I_D").field("debts").label == "Debts"
    assert rws.section("I_D").field("debts").label == "Zadłużenie"


def test_a_translation_written_for_another_wording_is_refused(tmp_path):
    folder = tmp_path / "instruments"
    (folder / "translations").mkdir(parents=True)
    (folder / "x.yaml").write_text(
        "code: x\nversion: 2\njurisdiction: PL\ntitle: Nowy tytuł\nvalid_from: 2021-01-01\nlegal_basis: B\n"
        "source: S\nsections:\n  - {code: a, title: A, fields: [{code: f, label: F, type: text}]}\n",
        encoding="utf-8",
    )
    (folder / "translations" / "x.yaml").write_text(
        'language: pl\ntitle: {pl: "Stary tytuł", ro: "Titlu", lt: "Pavadinimas", ru: "Название", en: "Title"}\n',
        encoding="utf-8",
    )
    with pytest.raises(PackDataError, match=r"translates 'Stary tytuł'.*give this version its own file x@2.yaml"):
        inst.load_instrument_file(folder / "x.yaml")
    # A version's own file wins over the shared one.
    (folder / "translations" / "x@2.yaml").write_text(
        'language: pl\ntitle: {pl: "Nowy tytuł", ro: "Titlu nou", lt: "Naujas", ru: "Новое", en: "New title"}\n',
        encoding="utf-8",
    )
    inst.load_instrument_file.cache_clear()
    loaded = inst.load_instrument_file(folder / "x.yaml")
    assert loaded.in_language("ru", "pl").title == "Новое"
    assert loaded.in_language("ru", "pl").sections[0].title == "A"  # untranslated: the statutory text


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"translations": ["ro"]}, "must map languages"),
        ({"translations": {"de": "Armut"}}, "unknown language 'de'"),
        ({"translations": {"ro": " "}}, "'translations.ro' must be non-empty text"),
    ],
)
def test_a_malformed_translations_map_is_refused(raw, message):
    with pytest.raises(PackDataError, match=message):
        read_translations(raw, "items[0]")


def test_text_in_falls_back_to_the_statutory_text_for_an_unknown_or_missing_language():
    translations = (("ru", "бедность"),)
    assert text_in("ubóstwo", translations, "ru-RU") == "бедность"
    assert text_in("ubóstwo", translations, "de") == "ubóstwo"
    assert text_in("ubóstwo", translations, None) == "ubóstwo"


@pytest.mark.parametrize("code", PACKS)
def test_the_default_teams_have_names_in_the_pack(code):
    pack = get_jurisdiction(code)
    assert tuple(team.code for team in pack.default_team_names()) == pack.default_teams

"""The packs' child-protection data: bodies with statutory names in five languages, legal basis, dated quorum
rules; the statutory names of the forms of care; malformed files are refused."""

from __future__ import annotations

import datetime as dt

import pytest

from socius.rulebook import get_jurisdiction
from socius.rulebook.engine import child_protection as cp
from socius.rulebook.engine.data import PackDataError
from socius.rulebook.engine.lists import UnknownCode
from socius.rulebook.engine.translations import LANGUAGES, missing_languages

PACKS = {
    "PL": ["pl_interdisciplinary_team", "pl_diagnostic_group"],
    "MD": ["md_commission"],
    "LT": ["lt_child_rights", "lt_case_management"],
}
FORMS = ["own_family", "extended_family", "foster_family", "family_type_home", "residential_care", "adoption"]


@pytest.mark.parametrize("code", sorted(PACKS))
def test_each_pack_has_its_bodies_with_basis_source_and_a_quorum_rule(code):
    data = cp.child_protection(get_jurisdiction(code).data_dir)
    assert [b.code for b in data.bodies] == PACKS[code]
    for body in data.bodies:
        assert body.legal_basis and body.source and body.quorum_rules
        assert all(rule.rule in cp.QUORUM_RULES for rule in body.quorum_rules)
        # Every quorum rule is marked unconfirmed: none was read in a primary text (see the YAML).
        assert all(not rule.is_confirmed for rule in body.quorum_rules)


@pytest.mark.parametrize("code", sorted(PACKS))
def test_every_name_has_all_five_languages_and_the_own_language_is_the_statutory_label(code):
    pack = get_jurisdiction(code)
    own = pack.default_language
    data = cp.child_protection(pack.data_dir)
    items = [*data.bodies, *data.forms_of_care]
    assert [f.code for f in data.forms_of_care] == FORMS
    for item in items:
        assert missing_languages(item.translations, own) == [], item.code
        assert own not in dict(item.translations)
        assert item.label_in(own) == item.label == item.label_in(None)
        for language in LANGUAGES:
            if language != own:
                assert item.label_in(language) != item.label, (item.code, language)


def test_the_md_commission_is_named_as_in_hg_7_2016():
    commission = cp.child_protection(get_jurisdiction("MD").data_dir).body("md_commission")
    assert commission.label == "Comisia pentru protecția copilului aflat în dificultate"
    assert commission.label_in("en") == "Commission for the protection of children in difficulty"
    assert "HG nr. 7 din 20.01.2016" in commission.legal_basis


@pytest.mark.parametrize(
    ("rule", "counts"),
    [
        (cp.MORE_THAN_HALF, {0: 1, 1: 1, 2: 2, 3: 2, 4: 3, 7: 4, 8: 5}),
        (cp.AT_LEAST_HALF, {0: 0, 1: 1, 2: 1, 3: 2, 7: 4, 8: 4}),
        (cp.AT_LEAST_TWO_THIRDS, {0: 0, 1: 1, 3: 2, 4: 3, 6: 4, 7: 5, 9: 6}),
        (cp.NO_QUORUM, {0: None, 5: None}),
    ],
)
def test_quorum_rules_count_the_voting_members(rule, counts):
    version = cp.QuorumRule(rule=rule, valid_from=dt.date(2020, 1, 1), source="test")
    assert {n: version.quorum(n) for n in counts} == counts


def test_a_minimum_raises_the_quorum_and_negative_counts_are_refused():
    version = cp.QuorumRule(rule=cp.MORE_THAN_HALF, valid_from=dt.date(2020, 1, 1), source="t", minimum=3)
    assert (version.quorum(2), version.quorum(9)) == (3, 5)
    with pytest.raises(ValueError):
        version.quorum(-1)


def _write(tmp_path, text: str):
    (tmp_path / cp.FILE_NAME).write_text(text, encoding="utf-8")
    cp.child_protection.cache_clear()
    return tmp_path


def test_dated_quorum_versions_apply_from_their_day(tmp_path):
    path = _write(
        tmp_path,
        """
bodies:
  - code: body
    label: "Organ"
    source: "s"
    quorum:
      2020-01-01: {rule: at_least_half, source: "old"}
      2024-07-01: {rule: at_least_two_thirds, source: "new"}
""",
    )
    body = cp.child_protection(path).body("body")
    assert body.quorum_on(dt.date(2019, 12, 31), 6) is None
    assert body.quorum_on(dt.date(2024, 6, 30), 6) == 3
    assert body.quorum_on(dt.date(2024, 7, 1), 6) == 4
    assert body.latest_quorum_rule.source == "new"
    with pytest.raises(UnknownCode):
        cp.child_protection(path).body("other")


def test_a_pack_without_the_file_has_no_bodies(tmp_path):
    cp.child_protection.cache_clear()
    data = cp.child_protection(tmp_path)
    assert data.bodies == () and data.forms_of_care == () and not data.has_body("md_commission")


@pytest.mark.parametrize(
    "text",
    [
        "bodies:\n  - {code: b, label: L, source: s}\n",  # no quorum
        "bodies:\n  - {code: b, label: L, source: s, quorum: {2020-01-01: {rule: most, source: s}}}\n",
        "bodies:\n  - {code: b, label: L, source: s, quorum: {2020-01-01: {rule: none}}}\n",  # no source
        "bodies:\n  - {code: b, label: L, source: s, quorum: {2020-01-01: {rule: none, source: s, minimum: -1}}}\n",
        "bodies:\n  - {code: b, label: L, source: s, quorum: {not-a-date: {rule: none, source: s}}}\n",
        "bodies:\n  - {code: b, label: L, source: s, quorum: {2020-01-01: {rule: none, source: s}}}\n"
        "  - {code: b, label: M, source: s, quorum: {2020-01-01: {rule: none, source: s}}}\n",  # duplicate
        "bodies:\n  - {code: b, label: L, source: s, translations: {xx: y}, quorum: {2020-01-01: {rule: none, source: s}}}\n",
        "forms_of_care:\n  - {code: f, label: L}\n",  # no source
        "- just a list\n",
    ],
)
def test_malformed_files_are_refused(tmp_path, text):
    path = _write(tmp_path, text)
    with pytest.raises(PackDataError):
        cp.child_protection(path)

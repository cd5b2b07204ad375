"""Retention periods in the packs (decision 0023): every pack gives each record type a dated, sourced period;
the statutory keeps say which statute; the counting follows `counted_from` and `period_of`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from socius.rulebook.engine.data import PackDataError
from socius.rulebook.engine.jurisdiction import get_jurisdiction
from socius.rulebook.engine.retention import _load_rule

RECORD_TYPES = {"registry_entry", "contact", "case_file", "benefit_decision", "payment"}


@pytest.mark.parametrize("code", ["PL", "MD", "LT"])
def test_every_pack_gives_every_record_type_a_dated_sourced_period(code):
    rules = get_jurisdiction(code).retention_rules()
    assert set(rules) == RECORD_TYPES
    for rule in rules.values():
        assert rule.periods, rule.record_type
        for period in rule.periods:
            assert period.years > 0 and period.source and period.legal_basis
    # Archival law keeps case files and decisions, accounting law payments; contacts and the registry record are
    # kept only as long as needed (storage limitation), so their erasure is never refused by a statute.
    assert {t for t, r in rules.items() if r.statutory_keep} == {"case_file", "benefit_decision", "payment"}
    assert all(rules[t].keep_reason for t in ("case_file", "benefit_decision", "payment"))


def test_pl_case_file_runs_ten_years_from_the_first_of_january_after_closing():
    rule = get_jurisdiction("PL").retention_rules()["case_file"]
    on = dt.date(2026, 12, 8)
    assert rule.expires_on(dt.date(2012, 6, 30), on) == dt.date(2023, 1, 1)
    assert rule.expires_on(dt.date(2012, 12, 31), on) == dt.date(2023, 1, 1)
    assert rule.expires_on(dt.date(2013, 1, 1), on) == dt.date(2024, 1, 1)
    assert rule.expires_on(dt.date(2003, 6, 30), on) is None  # before the u.p.s.: no period, kept
    assert "archiwalnym" in rule.keep_reason


def test_pl_payment_is_an_accounting_record_of_five_years():
    rule = get_jurisdiction("PL").retention_rules()["payment"]
    assert rule.expires_on(dt.date(2020, 3, 10), dt.date(2026, 12, 8)) == dt.date(2026, 1, 1)
    assert "rachunkowości" in rule.keep_reason


def test_a_storage_limitation_period_is_the_one_in_force_on_the_review_day():
    rule = get_jurisdiction("PL").retention_rules()["contact"]
    assert rule.period_of == "review_day"
    # A contact of 2010 (before the GDPR's period was recorded) still expires under today's period.
    assert rule.expires_on(dt.date(2010, 5, 1), dt.date(2026, 12, 8)) == dt.date(2016, 1, 1)
    assert rule.expires_on(dt.date(2010, 5, 1), dt.date(2017, 1, 1)) is None


def test_a_statutory_keep_without_its_reason_is_refused(tmp_path: Path):
    path = tmp_path / "case_file.yaml"
    path.write_text(
        "description: x\nrecord_type: case_file\nanchor: case_closed\nstatutory_keep: true\nlegal_basis: x\n"
        "values:\n  2004-05-01:\n    years: 10\n    source: x\n",
        encoding="utf-8",
    )
    with pytest.raises(PackDataError, match="keep_reason"):
        _load_rule(path)
    path.write_text(path.read_text().replace("anchor: case_closed", "anchor: whenever"), encoding="utf-8")
    with pytest.raises(PackDataError, match="anchor"):
        _load_rule(path)

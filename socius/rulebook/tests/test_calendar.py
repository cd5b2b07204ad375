"""Working-day arithmetic per country, checked against worked examples computed by hand."""

import datetime as dt

import pytest

from socius.rulebook import get_jurisdiction
from socius.rulebook.engine.calendar import (
    UnknownCalendar,
    add_working_days,
    is_public_holiday,
    is_working_day,
    working_days_between,
)

D = dt.date


def test_pl_14_working_days_from_14_april_2025_skip_weekends_easter_monday_and_1_may():
    # Start Mon 14.04.2025 (not counted). Working days: 15, 16, 17, 18 Apr (1-4; Good Friday is a
    # working day in PL), 19-20 weekend, 21 Easter Monday (holiday), 22, 23, 24, 25 (5-8),
    # 26-27 weekend, 28, 29, 30 Apr (9-11), 1 May holiday, 2 May (12), 3 May holiday on a Saturday
    # (no effect), 4 Sunday, 5 May (13), 6 May (14).
    assert add_working_days(D(2025, 4, 14), 14, "PL") == D(2025, 5, 6)


def test_pl_interview_deadline_from_the_pack_gives_the_same_worked_example():
    assert get_jurisdiction("PL").due_on("casework/assessment/deadline", D(2025, 4, 14)) == D(2025, 5, 6)


def test_pl_urgent_interview_2_working_days_across_a_weekend():
    # Thu 13.03.2025 -> Fri 14 (1), Sat/Sun skipped, Mon 17 (2).
    assert get_jurisdiction("PL").due_on("casework/assessment/urgent_deadline", D(2025, 3, 13)) == D(2025, 3, 17)
    # Fri 14.03.2025 -> Mon 17 (1), Tue 18 (2).
    assert add_working_days(D(2025, 3, 14), 2, "PL") == D(2025, 3, 18)


def test_pl_christmas_eve_is_a_day_off_from_2025_but_not_in_2024():
    # Wigilia became a public holiday in 2025; in 2024 it was an ordinary working Tuesday.
    assert add_working_days(D(2024, 12, 23), 1, "PL") == D(2024, 12, 24)
    # Tue 23.12.2025 -> 24, 25, 26 holidays, 27-28 weekend -> Mon 29.12.
    assert add_working_days(D(2025, 12, 23), 1, "PL") == D(2025, 12, 29)


def test_pl_new_year_and_epiphany_are_skipped():
    # Wed 31.12.2025 -> Thu 1.01 holiday -> Fri 2.01 (1), Mon 5.01 (2), Tue 6.01 Epiphany, Wed 7.01 (3).
    assert add_working_days(D(2025, 12, 31), 1, "PL") == D(2026, 1, 2)
    assert add_working_days(D(2025, 12, 31), 3, "PL") == D(2026, 1, 7)


def test_md_orthodox_christmas_7_and_8_january_are_days_off():
    assert is_public_holiday(D(2026, 1, 7), "MD")
    assert is_public_holiday(D(2026, 1, 8), "MD")
    # Tue 6.01.2026 -> Wed 7 and Thu 8 holidays -> Fri 9.01.
    assert add_working_days(D(2026, 1, 6), 1, "MD") == D(2026, 1, 9)


def test_md_new_year_and_new_style_christmas_are_days_off():
    # Wed 24.12.2025 -> Thu 25 (Crăciun, stil nou) -> Fri 26 (1).
    assert add_working_days(D(2025, 12, 24), 1, "MD") == D(2025, 12, 26)
    # Wed 31.12.2025 -> Thu 1.01 holiday -> Fri 2.01 (1).
    assert add_working_days(D(2025, 12, 31), 1, "MD") == D(2026, 1, 2)


def test_7_january_is_a_working_day_in_pl_and_lt_but_not_in_md():
    day = D(2026, 1, 7)  # Wednesday
    assert is_working_day(day, "PL")
    assert is_working_day(day, "LT")
    assert not is_working_day(day, "MD")


def test_lt_christmas_eve_to_second_day_of_christmas_are_days_off():
    # Tue 23.12.2025 -> 24, 25, 26 holidays, weekend -> Mon 29.12.
    assert add_working_days(D(2025, 12, 23), 1, "LT") == D(2025, 12, 29)
    # Wed 31.12.2025 -> Thu 1.01 holiday -> Fri 2.01.
    assert add_working_days(D(2025, 12, 31), 1, "LT") == D(2026, 1, 2)


def test_lt_service_need_assessment_is_14_calendar_days_even_over_holidays():
    # Calendar days: 20.12.2025 + 14 = 3.01.2026, holidays and weekends included.
    assert get_jurisdiction("LT").due_on("casework/assessment/deadline", D(2025, 12, 20)) == D(2026, 1, 3)


@pytest.mark.parametrize("country", ["PL", "MD", "LT"])
def test_weekends_are_never_working_days(country):
    assert not is_working_day(D(2025, 3, 15), country)  # Saturday
    assert not is_working_day(D(2025, 3, 16), country)  # Sunday
    assert is_working_day(D(2025, 3, 17), country)  # Monday, no holiday anywhere


def test_zero_working_days_is_the_start_and_negative_counts_back():
    assert add_working_days(D(2025, 4, 19), 0, "PL") == D(2025, 4, 19)
    # Back from Tue 22.04.2025: Mon 21 Easter Monday skipped, weekend skipped -> Fri 18.04.
    assert add_working_days(D(2025, 4, 22), -1, "PL") == D(2025, 4, 18)


def test_working_days_between_inverts_add_working_days():
    assert working_days_between(D(2025, 4, 14), D(2025, 5, 6), "PL") == 14
    assert working_days_between(D(2025, 5, 6), D(2025, 4, 14), "PL") == -14


def test_jurisdiction_delegates_to_the_calendar_with_its_own_code():
    md = get_jurisdiction("MD")
    assert not md.is_working_day(D(2026, 1, 7))
    assert md.add_working_days(D(2026, 1, 6), 1) == D(2026, 1, 9)


def test_unknown_country_calendar_is_refused():
    with pytest.raises(UnknownCalendar):
        is_working_day(D(2025, 1, 2), "XX")

"""Months inside a sentence are written as each language writes them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from socius.common.formatting import month_in_text

DECEMBER = dt.date(2026, 12, 1)


@pytest.mark.parametrize(
    "language,expected",
    [
        ("pl", "grudzień 2026"),
        ("ro", "decembrie 2026"),
        ("ru", "декабрь 2026 г."),
        ("lt", "2026 m. gruodis"),
        ("en", "December 2026"),
    ],
)
def test_a_month_inside_a_sentence_is_written_as_the_language_writes_it(language, expected):
    with translation.override(language):
        assert month_in_text(DECEMBER) == expected


def test_the_polish_payment_run_title_reads_lista_wyplat_za_grudzien():
    with translation.override("pl"):
        title = translation.gettext("Payment run for %(month)s") % {"month": month_in_text(DECEMBER)}
    assert title == "Lista wypłat za grudzień 2026"

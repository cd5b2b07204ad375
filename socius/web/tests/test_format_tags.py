import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from socius.common.formatting import format_money
from socius.web.templatetags.socius_format import duration_words, money


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [(15, "15 minutes"), (1, "1 minute"), (60, "1 hour"), (90, "1 hour 30 minutes"), (0.2, "1 minute")],
)
def test_duration_words_in_english(minutes, expected):
    with translation.override("en"):
        assert duration_words(dt.timedelta(minutes=minutes)) == expected


def test_no_duration_is_empty():
    assert duration_words(None) == ""


# --- money -----------------------------------------------------------------------------------------

NBSP = "\xa0"


@pytest.mark.parametrize(
    ("language", "currency", "expected"),
    [
        ("pl", "PLN", "1 878,91 zł"),
        ("ro", "MDL", "1.878,91 lei"),
        ("ru", "MDL", "1 878,91 лей"),
        ("lt", "EUR", "1 878,91 €"),
        ("ru", "EUR", "1 878,91 €"),
        ("en", "EUR", "€1,878.91"),
        ("en", "PLN", "PLN 1,878.91"),
    ],
)
def test_money_is_written_as_the_language_writes_it(language, currency, expected):
    with translation.override(language):
        assert money(Decimal("1878.91"), currency) == expected.replace(" ", NBSP)


def test_money_rounds_half_up_to_the_cent_never_through_float():
    assert format_money("0.005", "PLN", "pl") == f"0,01{NBSP}zł"
    assert format_money(Decimal("-1234567.5"), "EUR", "lt") == f"-1{NBSP}234{NBSP}567,50{NBSP}€"
    assert format_money(12, "MDL", "ro") == f"12,00{NBSP}lei"


def test_no_amount_is_empty_and_an_unknown_currency_shows_its_code():
    assert format_money(None, "PLN", "pl") == ""
    assert format_money("5", "USD", "pl") == f"5,00{NBSP}USD"


def test_the_money_filter_in_a_template_follows_the_active_language():
    template = Template('{% load socius_format %}{{ amount|money:"PLN" }}')
    with translation.override("pl"):
        assert template.render(Context({"amount": Decimal("1878.91")})) == f"1{NBSP}878,91{NBSP}zł"

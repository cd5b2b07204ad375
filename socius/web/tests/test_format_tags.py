import datetime as dt

import pytest
from django.utils import translation

from socius.web.templatetags.socius_format import duration_words


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [(15, "15 minutes"), (1, "1 minute"), (60, "1 hour"), (90, "1 hour 30 minutes"), (0.2, "1 minute")],
)
def test_duration_words_in_english(minutes, expected):
    with translation.override("en"):
        assert duration_words(dt.timedelta(minutes=minutes)) == expected


def test_no_duration_is_empty():
    assert duration_words(None) == ""

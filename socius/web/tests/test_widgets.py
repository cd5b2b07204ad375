import datetime as dt

from django.utils import translation

from socius.web.widgets import IsoDateInput


def test_date_inputs_carry_iso_values_whatever_the_language():
    with translation.override("pl"):
        html = IsoDateInput().render("on", dt.date(2026, 11, 22))

    assert 'type="date"' in html
    assert 'value="2026-11-22"' in html

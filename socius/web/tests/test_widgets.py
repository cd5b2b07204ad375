"""Dates and times are typed and shown in the interface language's format, whatever the browser's locale."""

import datetime as dt

import pytest
from django import forms
from django.utils import timezone, translation

from socius.web.apps import should_warm_up_pdf
from socius.web.widgets import IsoDateInput, LocalDateInput, LocalDateTimeInput, LocalTimeInput, input_hint

DAY = dt.date(2026, 11, 22)


class DatesForm(forms.Form):
    on = forms.DateField(widget=LocalDateInput)
    at = forms.DateTimeField(widget=LocalDateTimeInput, required=False)
    time = forms.TimeField(widget=LocalTimeInput, required=False)


@pytest.mark.parametrize(
    ("language", "shown", "hint"),
    [
        ("pl", "22.11.2026", "dd.mm.rrrr"),
        ("ro", "22.11.2026", "zz.ll.aaaa"),
        ("ru", "22.11.2026", "дд.мм.гггг"),
        ("lt", "2026-11-22", "mmmm-mm-dd"),  # the Lithuanian national standard writes the year first
        ("en", "22/11/2026", "dd/mm/yyyy"),  # day first: a European product
    ],
)
def test_a_date_input_shows_the_value_and_its_format_in_the_interface_language(language, shown, hint):
    with translation.override(language):
        html = LocalDateInput().render("on", DAY)

    assert 'type="text"' in html  # never type="date": the browser would draw it in its own locale
    assert f'value="{shown}"' in html  # a localised value is shown, never an empty field
    assert f'placeholder="{hint}"' in html
    assert 'inputmode="numeric"' in html


@pytest.mark.parametrize(
    ("language", "typed"),
    [
        ("pl", "22.11.2026"),
        ("pl", "22112026"),
        ("pl", "2026-11-22"),  # ISO in every language
        ("ro", "22.11.2026"),
        ("ru", "22.11.2026"),
        ("lt", "2026-11-22"),
        ("lt", "20261122"),
        ("en", "22/11/2026"),
        ("en", "2026-11-22"),
    ],
)
def test_a_date_is_read_in_the_interface_language(language, typed):
    with translation.override(language):
        form = DatesForm({"on": typed})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["on"] == DAY


@pytest.mark.parametrize(("language", "typed"), [("en", "11/22/2026"), ("pl", "11/22/2026"), ("pl", "31.02.2026")])
def test_a_month_first_or_impossible_date_is_refused_on_its_field(language, typed):
    with translation.override(language):
        form = DatesForm({"on": typed})
        assert not form.is_valid()
        assert list(form.errors) == ["on"]


def test_the_day_and_month_are_never_swapped():
    with translation.override("en"):
        form = DatesForm({"on": "03/04/1950"})
        assert form.is_valid()
    assert form.cleaned_data["on"] == dt.date(1950, 4, 3)


@pytest.mark.parametrize(
    ("language", "typed", "shown"),
    [
        ("pl", "07.12.2026 14:05", "07.12.2026 14:05"),
        ("ro", "07.12.2026 14:05", "07.12.2026 14:05"),
        ("ru", "07.12.2026 14:05", "07.12.2026 14:05"),
        ("lt", "2026-12-07 14:05", "2026-12-07 14:05"),
        ("en", "07/12/2026 14:05", "07/12/2026 14:05"),
    ],
)
def test_date_times_are_typed_and_shown_on_the_24_hour_clock(language, typed, shown):
    with translation.override(language):
        form = DatesForm({"on": "2026-12-07", "at": typed, "time": "14:05"})
        assert form.is_valid(), form.errors
        html = LocalDateTimeInput().render("at", form.cleaned_data["at"])
    assert timezone.localtime(form.cleaned_data["at"]).replace(tzinfo=None) == dt.datetime(2026, 12, 7, 14, 5)
    assert form.cleaned_data["time"] == dt.time(14, 5)
    assert f'value="{shown}"' in html
    assert f'placeholder="{input_hint("DATETIME_INPUT_FORMATS", language)}"' in html


def test_time_hints_name_the_hours_in_each_language():
    assert [input_hint("TIME_INPUT_FORMATS", code) for code in ("pl", "ro", "lt", "ru", "en")] == [
        "gg:mm",
        "hh:mm",
        "vv:mm",
        "чч:мм",
        "hh:mm",
    ]


def test_the_old_widget_name_gives_the_localised_input():
    assert IsoDateInput is LocalDateInput


@pytest.mark.parametrize(
    ("environ", "argv", "expected"),
    [
        ({}, ["manage.py", "runserver"], False),  # tests and commands: never
        ({"SOCIUS_PDF_WARM_UP": "1"}, ["manage.py", "runserver"], False),  # the autoreloader's parent
        ({"SOCIUS_PDF_WARM_UP": "1", "RUN_MAIN": "true"}, ["manage.py", "runserver"], True),
        ({"SOCIUS_PDF_WARM_UP": "1"}, ["manage.py", "runserver", "--noreload"], True),
        ({"SOCIUS_PDF_WARM_UP": "1"}, ["gunicorn", "config.wsgi"], True),
    ],
)
def test_the_pdf_engine_warms_up_only_in_the_serving_process_of_make_run(environ, argv, expected):
    assert should_warm_up_pdf(environ, argv) is expected

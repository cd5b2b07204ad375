"""The benefit calculator: the household table without JavaScript and with htmx, the outcome and its trace,
bad input beside its field, and that it writes nothing."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from socius.accounts.models import AuditEvent
from socius.web.tests import benefit_toy

URL = reverse("web:benefit_calculator")


@pytest.fixture
def toy_benefit(monkeypatch):
    return benefit_toy.install(monkeypatch)


def form_data(benefit="pl.web_toy_allowance", month="3", year="2025", rows=None, **extra):
    rows = rows if rows is not None else [{"role": "applicant", "income": "600,00", "birth_date": "02.04.1950"}]
    data = {
        "benefit": benefit,
        "month": month,
        "year": year,
        "members-TOTAL_FORMS": str(len(rows)),
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "1",
        "members-MAX_NUM_FORMS": "30",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"members-{index}-{key}"] = value
    data.update(extra)
    return data


@pytest.fixture
def worker(client, pl_worker, toy_benefit):
    client.force_login(pl_worker)
    client.cookies["django_language"] = "pl"
    return client


def test_the_page_offers_the_centres_benefits_in_the_users_language(client, pl_worker, toy_benefit):
    client.force_login(pl_worker)
    html = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Trial allowance" in html and "Permanent allowance" in html
    assert "Amount needed" not in html  # the first benefit is chosen, and it asks for no amount
    html = client.get(URL, {"benefit": "pl.web_toy_allowance"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Amount needed" in html  # the benefit's declared input
    assert "Stays abroad" in html  # its member flag, as a column


def test_a_calculation_shows_the_amount_range_and_a_readable_trace(worker):
    response = worker.post(URL, form_data(in_need="500,00", in_purpose="food", **{"members-0-flag_abroad": "on"}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Zasiłek próbny" in html
    # 500 − 600 / 2 = 200.00, in Polish money; minimum 20 zł
    assert re.search(r'class="outcome-amount">200,00\xa0zł<', html)
    assert "20,00\xa0zł – 200,00\xa0zł" in html
    # the trace: label, parameter name, value, effective date (Polish format), source
    assert "Termin wywiadu" in html and "casework/assessment/deadline" in html and "11.11.2021" in html
    assert "Dochód rodziny" in html and "art. 8 ust. 3" in html and "600,00\xa0zł" in html
    assert "Członek za granicą" in html


def test_the_statutory_wording_stands_beside_a_translated_label(client, pl_worker, toy_benefit):
    client.force_login(pl_worker)
    html = client.post(
        URL, form_data(in_need="500.00", rows=[{"role": "applicant", "income": "600.00"}]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Family income" in html and "Dochód rodziny" in html
    assert "€" not in html and "200.00" in html


def test_a_refusal_shows_its_reason(worker):
    html = worker.post(
        URL, form_data(in_need="500,00", rows=[{"role": "applicant", "income": "1000,00"}])
    ).content.decode()
    assert "Dochód nie jest niższy od kryterium" in html
    assert re.search(r'class="outcome-no">Nie<', html)


def test_bad_input_stands_beside_its_field_with_the_reasons_at_the_top(worker):
    response = worker.post(
        URL, form_data(in_need="", rows=[{"role": "applicant", "income": "dużo", "birth_date": "31.02.1950"}])
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "error-summary" in html
    summary = html.split('id="error-summary"')[1].split("</div>")[0]
    assert 'href="#calc_in_need"' in summary
    assert 'href="#id_members-0-income"' in summary and 'href="#id_members-0-birth_date"' in summary
    assert 'id="id_members-0-income-errors"' in html
    assert "outcome-amount" not in html


def test_exactly_one_applicant_is_required(worker):
    rows = [{"role": "spouse", "income": "0"}, {"role": "child", "income": "0"}]
    response = worker.post(URL, form_data(in_need="10", rows=rows))
    assert response.status_code == 400
    assert "outcome-amount" not in response.content.decode()


def test_a_month_before_the_benefit_exists_is_refused_beside_the_month(worker):
    response = worker.post(URL, form_data(in_need="10", year="2021"))
    assert response.status_code == 400
    assert 'href="#calc_month"' in response.content.decode()


def test_rows_are_added_and_removed_without_javascript_keeping_what_was_typed(worker):
    rows = [{"role": "applicant", "income": "600,00"}, {"role": "spouse", "income": "300,00"}]
    html = worker.post(URL, form_data(rows=rows, action="add")).content.decode()
    assert 'name="members-TOTAL_FORMS" value="3"' in html
    assert 'value="600,00"' in html and 'value="300,00"' in html
    assert "error-summary" not in html  # drawing again is not a calculation
    html = worker.post(URL, form_data(rows=rows, action="remove-0")).content.decode()
    assert 'name="members-TOTAL_FORMS" value="1"' in html
    assert 'value="300,00"' in html and 'value="600,00"' not in html


def test_with_htmx_the_form_alone_is_answered(worker):
    html = worker.post(URL, form_data(action="add"), HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in html and 'id="calculator"' in html
    assert "autofocus" in html


def test_it_writes_nothing(worker):
    before = AuditEvent.objects.count()
    worker.post(URL, form_data(in_need="500,00"))
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("persona", ["pl_finance", "pl_auditor"], indirect=True)
def test_roles_that_do_not_work_cases_are_refused(client, persona, toy_benefit):
    client.force_login(persona)
    assert client.get(URL).status_code == 403


def test_a_lost_income_is_passed_to_the_rules_with_the_month_as_the_application_day(worker, monkeypatch):
    seen = {}
    real = benefit_toy.toy_formula

    def spy(facts, t):
        seen.update(income_lost=facts.income_lost, application_on=facts.application_on)
        return real(facts, t)

    monkeypatch.setitem(benefit_toy.benefits._FORMULAS, "pl.web_toy_allowance", [])
    benefit_toy.benefits.formula("pl.web_toy_allowance", since="2022-01-01")(spy)
    worker.post(URL, form_data(in_need="500,00", income_lost="on"))
    assert seen == {"income_lost": True, "application_on": dt.date(2025, 3, 1)}


def selected_benefit(html: str) -> str:
    select = re.search(r'<select name="benefit".*?</select>', html, re.S).group(0)
    return re.search(r'<option value="([^"]+)" selected', select).group(1)


def test_md_defaults_to_a_benefit_in_force_and_offers_the_repealed_cold_season_aid_only_for_its_months(
    client, md_worker
):
    client.force_login(md_worker)

    today = client.get(URL).content.decode()
    assert selected_benefit(today) != "md.cold_season_aid"
    assert 'value="md.cold_season_aid"' not in today  # repealed from the 2023/24 season (HG 806/2023)
    assert 'value="md.social_aid"' in today

    winter_2022 = client.post(URL, {"action": "refresh", "month": "12", "year": "2022"}).content.decode()
    assert 'value="md.cold_season_aid"' in winter_2022
    assert selected_benefit(winter_2022) == "md.cold_season_aid"  # the first by code, in force then

    posted_now = client.post(URL, form_data(benefit="md.cold_season_aid", month="12", year="2024"))
    assert posted_now.status_code == 400  # not a choice for a month after the repeal


def test_changing_the_month_redraws_the_form(worker):
    html = worker.get(URL).content.decode()
    assert re.search(r'<select name="month"[^>]*hx-post="' + re.escape(URL) + '"', html)

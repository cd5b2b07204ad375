"""Every page's <title> is "<page title> · Socius": the page's own title first (what a tab, a bookmark and
a screen reader announce), then the product. base.html joins them with the `with_site_name` filter."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from socius.accounts.models import User
from socius.accounts.roles import Role
from socius.assessments.models import Assessment
from socius.casework.models import Case, Contact
from socius.plans.models import HelpPlan, SocialContract
from socius.web.tests.test_url_permissions import UI_VIEWS

TITLE = re.compile(r"<title>(.*?)</title>", re.S)
HEAD = re.compile(r"<head>(.*?)</head>", re.S)


def title_of(html: str) -> str:
    """The document's title: the one in <head> (an SVG's <title>s, such as the territory map's, name its shapes)."""
    (head,) = HEAD.findall(html)
    (title,) = TITLE.findall(head)
    return title


def assert_page_title(html: str, where: str) -> None:
    title = title_of(html)
    assert title.endswith(" · Socius"), (where, title)
    page_title = title.removesuffix(" · Socius")
    assert page_title.strip() and page_title == page_title.strip() and "  " not in page_title, (where, title)
    assert "·  ·" not in title and not page_title.endswith("·"), (where, title)


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        ("Persons", "Persons · Socius"),
        ("  Case\n  2025/0001 ", "Case 2025/0001 · Socius"),
        ("", "Socius"),
        ("\n ", "Socius"),
    ],
)
def test_the_title_joins_the_page_title_and_the_product(block, expected):
    template = Template("{% load socius_text %}{% filter with_site_name %}" + block + "{% endfilter %}")

    assert template.render(Context()) == expected


def test_a_title_with_markup_characters_stays_escaped_once():
    template = Template("{% load socius_text %}{% filter with_site_name %}{{ name }}{% endfilter %}")

    assert template.render(Context({"name": "Kowalski & <Syn>"})) == "Kowalski &amp; &lt;Syn&gt; · Socius"


def test_the_login_page_and_the_404_page_have_their_titles(client, db):
    assert title_of(client.get(reverse("login")).content.decode()) == "Log in · Socius"
    assert title_of(client.get("/no-such-page/").content.decode()) == "Not found · Socius"


@pytest.fixture
def demo(db):
    call_command("load_demo", persons_per_centre=30, stdout=io.StringIO())


def _parameterless(route: str) -> bool:
    return "<" not in route


def test_every_main_page_has_its_title_before_the_product(client, demo):
    case = Case.objects.filter(centre__jurisdiction="PL", household__isnull=False).first()
    director = User.objects.get(centre=case.centre, role=Role.DIRECTOR)
    pages = [
        reverse(name)
        for route, name, view in UI_VIEWS
        if name and _parameterless(route) and name not in ("logout", "web:set_language") and "export" not in route
    ]
    member = case.household.memberships.first().person
    pages += [
        reverse("web:person_detail", args=[member.pk]),
        reverse("web:household_detail", args=[case.household_id]),
        reverse("web:case_detail", args=[case.pk]),
        reverse("web:plan_detail", args=[HelpPlan.objects.filter(case__centre=case.centre).first().pk]),
        reverse("web:contract_detail", args=[SocialContract.objects.filter(case__centre=case.centre).first().pk]),
        reverse("web:assessment_detail", args=[Assessment.objects.filter(case__centre=case.centre).first().pk]),
    ]
    contact = Contact.objects.filter(centre=case.centre).first()
    if contact is not None:
        pages.append(reverse("web:contact_detail", args=[contact.pk]))
    client.force_login(director)
    checked = 0
    for url in pages:
        response = client.get(url)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        html = response.content.decode()
        if "<html" not in html:
            continue
        assert_page_title(html, url)
        checked += 1
    assert checked >= 15, checked
    auditor = User.objects.get(centre=case.centre, role=Role.AUDITOR)
    client.force_login(auditor)
    with translation.override(auditor.language):
        expected = [f"{gettext('Audit log')} · Socius", f"{gettext('Change trail')} · Socius"]
    titles = [title_of(client.get(reverse(name)).content.decode()) for name in ("web:audit", "web:audit_trail")]
    assert titles == expected

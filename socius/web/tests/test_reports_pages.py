"""The report pages (issue 12): the list and its form, the monthly report's page (tables per territory group,
sparklines with a table alternative, definitions, drill-down links), the narrative block, approval and new
versions, the drill-down list (narrowed, paged, audited) and the downloads.

The figures come from an indicator registered here over contacts (the real indicators are parts 1-2's and have
their own tests), so these tests know every count."""

from __future__ import annotations

import datetime as dt
import re
import sys
import types
import zoneinfo
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from socius.accounts.models import AuditAction, AuditEvent
from socius.accounts.roles import APPROVE_REPORTS, Role
from socius.casework.models import Contact, ContactChannel
from socius.casework.tests.factories import ContactFactory
from socius.community.selectors_calendar import centre_time_zone
from socius.reporting import indicators as ind
from socius.reporting.models import Report, ReportVersion
from socius.reporting.statuses import NarrativeStatus, ReportKind, VersionStatus
from socius.testing.factories import CentreFactory, PersonFactory, TerritoryFactory, UserFactory

MONTH = "2026-10"
CODE = "test_contacts"


def _period(scope):
    zone = centre_time_zone(scope.centre)  # the centre's days, as the real indicators count them
    start = dt.datetime.combine(scope.start, dt.time(), tzinfo=zone)
    end = dt.datetime.combine(scope.end, dt.time(), tzinfo=zone)
    return Contact.objects.filter(centre=scope.centre, occurred_at__gte=start, occurred_at__lt=end)


def _compute(scope):
    base = _period(scope)
    total = ind.count_by_group(base, "territory_id", scope)
    parts = []
    for channel, label in ContactChannel.choices:
        figure = ind.count_by_group(base.filter(channel=channel), "territory_id", scope)
        if figure.total:
            parts.append(ind.Part(channel, str(label), figure.total, figure.by_group))
    return ind.Figure(total.total, total.by_group, tuple(parts))


def _records(scope, group, part):
    qs = _period(scope).filter(scope.in_group("territory_id", group))
    return qs.filter(channel=part) if part else qs


def _visible(actor, qs):
    """Test rule: who may not approve reports does not see phone contacts (narrows the list for them)."""
    return qs if actor.can(APPROVE_REPORTS) else qs.exclude(channel=ContactChannel.PHONE)


TEST_INDICATOR = ind.Indicator(
    code=CODE,
    section="casework",
    label="Test contacts",
    unit=ind.Unit.COUNT,
    definition="Contacts of the month where they happened (test).",
    compute=_compute,
    records=_records,
    visible=_visible,
    columns=(
        ind.Column(
            "When", lambda c: c.occurred_at.date().isoformat(), lambda c: reverse("web:contact_detail", args=(c.pk,))
        ),
        ind.Column("Channel", lambda c: c.get_channel_display()),
    ),
    persons_of=lambda rows: [p.pk for c in rows for p in c.persons.all()],
    audit_object_type="contact",
    kinds=frozenset({ReportKind.MONTHLY_ACTIVITY}),
    order=-100,
    stamp_fields=("pk", "updated_at", "territory_id"),
)


@pytest.fixture
def indicator():
    ind.register(TEST_INDICATOR)
    yield TEST_INDICATOR
    ind.REGISTRY.pop(CODE, None)


def at(day: int, month: int = 10, hour: int = 12):
    """A moment in Chișinău's civil time (the Moldovan centre's, in which its staff type times)."""
    return dt.datetime(2026, month, day, hour, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Chisinau"))


@pytest.fixture
def district(md_centre):
    root = md_centre.territory
    cosnita = TerritoryFactory(jurisdiction="MD", level="community", name="Coșnița", parent=root)
    molovata = TerritoryFactory(jurisdiction="MD", level="community", name="Molovata", parent=root)
    village = TerritoryFactory(jurisdiction="MD", level="village", name="Pohrebea", parent=cosnita)
    return {"root": root, "cosnita": cosnita, "molovata": molovata, "village": village}


@pytest.fixture
def contacts(md_centre, district):
    """October: Coșnița 3 (one in its village, one by phone), Molovata 2, none recorded 1; September 4;
    November 1 (outside); another centre's October contact (never counted)."""
    person = PersonFactory(centre=md_centre) if "centre" in PersonFactory._meta.declarations else PersonFactory()
    made = [
        ContactFactory(centre=md_centre, occurred_at=at(1, hour=0), territory=district["cosnita"]),
        ContactFactory(
            centre=md_centre, occurred_at=at(15), territory=district["village"], channel=ContactChannel.PHONE
        ),
        ContactFactory(centre=md_centre, occurred_at=at(31, hour=23), territory=district["cosnita"]),
        ContactFactory(centre=md_centre, occurred_at=at(10), territory=district["molovata"]),
        ContactFactory(centre=md_centre, occurred_at=at(11), territory=district["molovata"]),
        ContactFactory(centre=md_centre, occurred_at=at(12), territory=None),
    ]
    made[0].persons.add(person)
    for day in (3, 4, 5, 6):
        ContactFactory(centre=md_centre, occurred_at=at(day, month=9), territory=district["cosnita"])
    ContactFactory(centre=md_centre, occurred_at=at(1, month=11), territory=district["cosnita"])
    other = CentreFactory(jurisdiction="MD")
    ContactFactory(centre=other, occurred_at=at(15), territory=district["cosnita"])
    return {"october": made, "person": person}


def _user(centre, role):
    return UserFactory(centre=centre, role=role)


def _open(client, territory=None):
    query = {"month": MONTH}
    if territory is not None:
        query["territory"] = territory.pk
    return client.get(reverse("web:report_monthly"), query)


def _started(client, md_director, territory=None) -> Report:
    client.force_login(md_director)
    response = _open(client, territory)
    assert response.status_code == 302
    return Report.objects.get(pk=int(re.search(r"/reports/(\d+)/", response["Location"]).group(1)))


# --- the list and the form ---------------------------------------------------------------------------------------


def test_the_list_offers_the_previous_month_and_the_centres_territories(client, md_director, district):
    client.force_login(md_director)
    response = client.get(reverse("web:report_list"))
    assert response.status_code == 200
    html = response.content.decode()
    today = timezone.localdate()
    previous = (today.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    assert f'value="{previous}"' in html
    assert "Coșnița" in html and "Molovata" in html and "Pohrebea" in html
    assert 'href="/reports/"' in html  # the menu's link


def test_the_menu_link_is_only_for_report_readers(client, md_centre, md_worker):
    client.force_login(md_worker)
    assert 'href="/reports/"' not in client.get(reverse("web:home")).content.decode()
    assert client.get(reverse("web:report_list")).status_code == 403


@pytest.mark.parametrize(
    ("query", "field", "text"),
    [
        ({"month": "2026-13"}, "month", "2026-10"),
        ({"month": "october"}, "month", "2026-10"),
        ({"month": ""}, "month", "required"),
        ({"month": MONTH, "territory": "999999"}, "territory", "Select a valid choice"),
        ({"month": MONTH, "territory": "x"}, "territory", "Select a valid choice"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(
    client, md_director, district, query, field, text
):
    client.force_login(md_director)
    response = client.get(reverse("web:report_monthly"), query)
    assert response.status_code == 400
    html = response.content.decode()
    assert f'href="#report_{field}"' in html
    assert text in html
    assert not Report.objects.exists()


def test_another_jurisdictions_territory_is_refused(client, md_director, district, pl_centre):
    client.force_login(md_director)
    response = _open(client, pl_centre.territory)
    assert response.status_code == 400
    assert not Report.objects.exists()


def test_opening_a_month_starts_the_report_with_a_draft_once(client, md_director, district, indicator):
    report = _started(client, md_director, district["cosnita"])
    assert (report.kind, report.period, report.territory) == (ReportKind.MONTHLY_ACTIVITY, MONTH, district["cosnita"])
    assert list(report.versions.values_list("number", "status")) == [(1, VersionStatus.DRAFT)]
    again = _started(client, md_director, district["cosnita"])
    assert again.pk == report.pk
    assert Report.objects.count() == 1 and ReportVersion.objects.count() == 1


# --- the report's page ------------------------------------------------------------------------------------------


def _cell_links(html: str) -> dict[str, str]:
    return {unescape(href): text for href, text in re.findall(r'<a href="([^"]*/records/[^"]*)">([^<]*)</a>', html)}


def test_the_page_shows_each_figure_per_group_linked_to_its_records(client, md_director, contacts, district, indicator):
    report = _started(client, md_director)
    response = client.get(reverse("web:report_detail", args=(report.pk,)))
    assert response.status_code == 200
    html = response.content.decode()
    assert "October 2026" in html
    links = _cell_links(html)
    base = f"/reports/{report.pk}/records/{CODE}/"
    assert links[base] == "6"
    assert links[f"{base}?group={district['cosnita'].pk}"] == "3"
    assert links[f"{base}?group={district['molovata'].pk}"] == "2"
    assert links[f"{base}?group=0"] == "1"
    assert links[f"{base}?part=phone"] == "1"
    assert links[f"{base}?part=office"] == "5"
    assert links[f"{base}?group={district['cosnita'].pk}&part=office"] == "2"
    # The columns are the district's communities, then the records that name no locality.
    assert html.index(">Coșnița<") < html.index(">Molovata<") < html.index("Locality not recorded")
    # The definition, the chart and its table alternative (12 previous months and October).
    assert "Contacts of the month where they happened (test)." in html
    assert '<svg class="sparkline"' in html
    assert "September 2026</th><td>4</td>" in html
    assert "October 2026</th><td>6</td>" in html
    assert '<th scope="row">' in html and '<th scope="col"' in html


def test_a_reader_of_another_centre_does_not_find_the_report(client, md_director, contacts, indicator):
    report = _started(client, md_director)
    stranger = _user(CentreFactory(jurisdiction="MD"), Role.DIRECTOR)
    client.force_login(stranger)
    assert client.get(reverse("web:report_detail", args=(report.pk,))).status_code == 404
    assert client.get(reverse("web:report_drilldown", args=(report.pk, CODE))).status_code == 404
    assert client.get(reverse("web:report_export_csv", args=(report.pk,))).status_code == 404


def test_a_reader_who_may_not_start_it_reads_it_live_until_it_is_started(
    client, md_centre, md_director, contacts, indicator
):
    finance = _user(md_centre, Role.FINANCE_OFFICER)
    client.force_login(finance)
    response = _open(client)
    assert response.status_code == 302
    report = Report.objects.get()
    assert response["Location"] == f"/reports/{report.pk}/"
    assert not report.versions.exists()  # opened, not started: no version, nothing to approve
    html = client.get(response["Location"]).content.decode()
    assert 'id="report-unstarted"' in html and "Start the report" not in html
    assert _cell_links(html)[f"/reports/{report.pk}/records/{CODE}/"] == "6"
    assert 'id="approve-report"' not in html and "<textarea" not in html
    # The director opening the same month starts it: its draft v1, the same report.
    again = _started(client, md_director)
    assert again.pk == report.pk
    assert list(report.versions.values_list("number", "status")) == [(1, VersionStatus.DRAFT)]


# --- the drill-down ---------------------------------------------------------------------------------------------


def test_every_drilldown_lists_as_many_records_as_its_figure(client, md_director, contacts, district, indicator):
    """Every number of the page, of every indicator registered (this test's and parts 1-2's), opens a list of the
    records behind it: as many rows as the figure counts (or, for a sum, rows whose sum is the figure)."""
    report = _started(client, md_director)
    html = client.get(reverse("web:report_detail", args=(report.pk,))).content.decode()
    links = _cell_links(html)
    ours = {href: figure for href, figure in links.items() if f"/records/{CODE}/" in href}
    assert len(ours) == 4 * 3  # the total and 3 groups, for the figure and its two parts (office, phone)
    for href, figure in links.items():
        page = client.get(href)
        assert page.status_code == 200, href
        body = page.content.decode()
        code = re.search(r"/records/([^/]+)/", href).group(1)
        if ind.get_indicator(code).amount_field:
            assert f'<dd id="records-sum">{figure}</dd>' in body, href
            continue
        assert f'<dd id="records-behind">{figure}</dd>' in body, href
        rows = body.count('<tr><th scope="row">')
        if href in ours or 'id="records-fewer"' not in body:
            assert rows == min(int(figure), 25), href


def test_the_drilldown_is_audited_under_the_persons_it_names(client, md_director, contacts, indicator):
    report = _started(client, md_director)
    before = AuditEvent.objects.filter(action=AuditAction.VIEW, object_type="contact").count()
    response = client.get(reverse("web:report_drilldown", args=(report.pk, CODE)))
    assert response.status_code == 200
    events = AuditEvent.objects.filter(action=AuditAction.VIEW, object_type="contact")
    assert events.count() == before + 1
    event = events.latest("id")
    assert event.person_id == contacts["person"].pk
    assert event.actor == md_director
    assert f"report {report.pk} {CODE}" in str(event.changes)


def test_a_reader_who_sees_fewer_records_is_told(client, md_centre, md_director, contacts, indicator):
    report = _started(client, md_director)
    leader = _user(md_centre, Role.TEAM_LEADER)
    client.force_login(leader)
    response = client.get(reverse("web:report_drilldown", args=(report.pk, CODE)))
    html = response.content.decode()
    assert html.count('<tr><th scope="row">') == 5
    assert 'id="records-fewer"' in html and "You see 5 of the 6 records" in html


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ({"group": "123456"}, "Choose one of the report"),
        ({"group": "x"}, "Choose one of the report"),
        ({"part": "nonsense"}, "Choose one of the figure"),
    ],
)
def test_a_drilldown_of_an_unknown_column_or_line_is_refused(client, md_director, contacts, indicator, query, text):
    report = _started(client, md_director)
    before = AuditEvent.objects.filter(object_type="contact").count()
    response = client.get(reverse("web:report_drilldown", args=(report.pk, CODE)), query)
    assert response.status_code == 400
    assert text in response.content.decode()
    assert AuditEvent.objects.filter(object_type="contact").count() == before


def test_an_unknown_indicator_is_not_found(client, md_director, contacts, indicator):
    report = _started(client, md_director)
    assert client.get(reverse("web:report_drilldown", args=(report.pk, "no_such_figure"))).status_code == 404


# --- narrative, approval, new versions --------------------------------------------------------------------------


def test_the_narrative_is_written_and_signed_off_in_its_section(client, md_centre, md_director, contacts, indicator):
    report = _started(client, md_director)
    leader = _user(md_centre, Role.TEAM_LEADER)
    client.force_login(leader)
    url = reverse("web:report_narrative", args=(report.pk,))
    response = client.post(url, {"text": "October: 6 citizens heard."}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="card page-section report-narrative" id="narrative"')
    assert "The narrative is saved." in html
    version = report.versions.get()
    assert version.narrative == "October: 6 citizens heard."
    response = client.post(reverse("web:report_narrative_sign", args=(report.pk,)), headers={"HX-Request": "true"})
    assert response.status_code == 200
    version.refresh_from_db()
    assert version.narrative_status == NarrativeStatus.SIGNED and version.narrative_signed_by == leader
    # Signed: locked, no form any more; writing again is refused with the reason and nothing changes.
    assert "<textarea" not in response.content.decode()
    response = client.post(url, {"text": "changed"}, headers={"HX-Request": "true"})
    assert response.status_code == 409
    version.refresh_from_db()
    assert version.narrative == "October: 6 citizens heard."


def test_a_narrative_too_long_is_refused_naming_the_field(client, md_centre, md_director, contacts, indicator):
    report = _started(client, md_director)
    response = client.post(
        reverse("web:report_narrative", args=(report.pk,)), {"text": "x" * 20_001}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 400
    assert "Narrative:" in response.content.decode()
    assert report.versions.get().narrative == ""


def test_who_may_not_write_or_approve_is_refused(client, md_centre, md_director, contacts, indicator):
    report = _started(client, md_director)
    for role in (Role.FINANCE_OFFICER, Role.AUDITOR, Role.SOCIAL_WORKER):
        client.force_login(_user(md_centre, role))
        assert client.post(reverse("web:report_narrative", args=(report.pk,)), {"text": "x"}).status_code == 403
        assert client.post(reverse("web:report_approve", args=(report.pk,))).status_code == 403
    client.force_login(_user(md_centre, Role.TEAM_LEADER))
    assert client.post(reverse("web:report_approve", args=(report.pk,))).status_code == 403
    version = report.versions.get()
    assert (version.status, version.narrative) == (VersionStatus.DRAFT, "")


def test_approval_waits_for_the_signed_narrative(client, md_director, contacts, indicator):
    report = _started(client, md_director)
    response = client.post(reverse("web:report_approve", args=(report.pk,)), follow=True)
    assert "has not been signed off" in response.content.decode()
    assert report.versions.get().status == VersionStatus.DRAFT


def _sign(client, report, md_director):
    client.post(reverse("web:report_narrative", args=(report.pk,)), {"text": "Month as planned."})
    client.post(reverse("web:report_narrative_sign", args=(report.pk,)))


def test_approval_freezes_and_a_late_correction_shows_as_a_difference(
    client, md_director, contacts, district, indicator
):
    report = _started(client, md_director)
    _sign(client, report, md_director)
    response = client.post(reverse("web:report_approve", args=(report.pk,)), follow=True)
    html = response.content.decode()
    assert "Version 1 is approved" in html
    version = report.versions.get()
    assert version.status == VersionStatus.APPROVED and version.approved_by == md_director
    assert 'id="approve-report"' not in html
    # Three contacts recorded late for October.
    for _i in range(3):
        ContactFactory(centre=report.centre, occurred_at=at(20), territory=district["molovata"])
    html = client.get(reverse("web:report_detail", args=(report.pk,))).content.decode()
    links = _cell_links(html)
    assert links[f"/reports/{report.pk}/records/{CODE}/"] == "6"  # the frozen figure, not 9
    assert 'id="report-differences"' in html
    assert "3 added after approval" in html
    # A new version: a draft reading live, the approved one stays readable.
    response = client.post(
        reverse("web:report_new_version", args=(report.pk,)), {"reason": "3 contacts recorded late"}, follow=True
    )
    assert "Version 2 is started" in response.content.decode()
    assert list(report.versions.order_by("number").values_list("number", "status")) == [
        (1, VersionStatus.APPROVED),
        (2, VersionStatus.DRAFT),
    ]
    html = client.get(reverse("web:report_detail", args=(report.pk,))).content.decode()
    assert _cell_links(html)[f"/reports/{report.pk}/records/{CODE}/"] == "9"
    old = client.get(reverse("web:report_detail", args=(report.pk,)), {"version": 1}).content.decode()
    assert _cell_links(old)[f"/reports/{report.pk}/records/{CODE}/"] == "6"
    assert "You are reading an earlier version" in old


def test_a_new_version_needs_a_reason(client, md_director, contacts, indicator):
    report = _started(client, md_director)
    _sign(client, report, md_director)
    client.post(reverse("web:report_approve", args=(report.pk,)))
    response = client.post(reverse("web:report_new_version", args=(report.pk,)), {"reason": "  "}, follow=True)
    assert "Reason for a new version:" in response.content.decode()
    assert report.versions.count() == 1


def test_an_unknown_version_is_not_found(client, md_director, contacts, indicator):
    report = _started(client, md_director)
    for number in ("7", "x"):
        assert client.get(reverse("web:report_detail", args=(report.pk,)), {"version": number}).status_code == 404


# --- downloads --------------------------------------------------------------------------------------------------


@pytest.fixture
def fake_exports(monkeypatch):
    """Part 5's document functions, faked: the pages' wiring and audit are what is tested here."""
    module = types.ModuleType("socius.reporting.exports")
    seen = []

    def make(fmt):
        def render(data, **kwargs):
            seen.append((fmt, data.row(CODE).figure.total if data.row(CODE) else None))
            return f"{fmt}:{data.report.period}".encode()

        return render

    module.report_pdf, module.report_xlsx, module.report_csv = make("pdf"), make("xlsx"), make("csv")
    monkeypatch.setitem(sys.modules, "socius.reporting.exports", module)
    import socius.reporting

    monkeypatch.setattr(socius.reporting, "exports", module, raising=False)
    return seen


@pytest.mark.parametrize(
    ("fmt", "content_type"), [("pdf", "application/pdf"), ("xlsx", "spreadsheetml"), ("csv", "text/csv")]
)
def test_each_download_is_the_report_and_is_audited_as_an_export(
    client, md_director, contacts, indicator, fake_exports, fmt, content_type
):
    report = _started(client, md_director)
    response = client.get(reverse(f"web:report_export_{fmt}", args=(report.pk,)))
    assert response.status_code == 200
    assert content_type in response["Content-Type"]
    assert f'filename="report-monthly_activity-{MONTH}.{fmt}"' in response["Content-Disposition"]
    assert response.content == f"{fmt}:{MONTH}".encode()
    assert fake_exports == [(fmt, 6)]
    event = AuditEvent.objects.filter(action=AuditAction.EXPORT, object_type="report").get()
    assert (event.object_id, event.actor) == (report.pk, md_director)
    assert event.changes["format"] == [None, fmt]


def test_money_is_shown_in_the_readers_language(client, md_director, contacts, indicator):
    """A MONEY indicator's cells are formatted with the currency, never through float."""
    from socius.web.views.reports import _format

    assert _format(Decimal("27300.00"), ind.Unit.MONEY, "MDL").replace("\xa0", " ") in (
        "27,300.00 lei",
        "27 300,00 lei",
        "MDL 27,300.00",
        "27,300.00 MDL",
    )

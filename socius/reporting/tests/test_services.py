"""The report engine: starting a report, the narrative, approval freezing figures and fingerprints, a new version
superseding the old (which stays readable), the differences after approval in words, and every refusal leaving
nothing written."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from socius.accounts.models import AuditEvent
from socius.accounts.roles import Role
from socius.common.errors import Conflict, Forbidden, NotFound, ValidationFailed
from socius.reporting import selectors, services
from socius.reporting.errors import InvalidVersionTransition, NarrativeNotSigned, ReportFrozen
from socius.reporting.models import Report, ReportVersion
from socius.reporting.report import report_data
from socius.reporting.statuses import NarrativeStatus, ReportKind, VersionStatus
from socius.reporting.tests.engine_helpers import contacts, make_md_area, use_engine_indicators
from socius.testing.factories import CentreFactory, TerritoryFactory, UserFactory

MONTHLY = ReportKind.MONTHLY_ACTIVITY
pytestmark = pytest.mark.usefixtures("engine_registry")


@pytest.fixture
def engine_registry(monkeypatch):
    return use_engine_indicators(monkeypatch)


@pytest.fixture
def md_area(md_centre):
    return make_md_area(md_centre)


@pytest.fixture
def md_teamlead(md_centre):
    return UserFactory(username="md_teamlead", centre=md_centre, role=Role.TEAM_LEADER)


@pytest.fixture
def md_finance(md_centre):
    return UserFactory(username="md_finance", centre=md_centre, role=Role.FINANCE_OFFICER)


@pytest.fixture
def other_director(db):
    root = TerritoryFactory(jurisdiction="MD", level="district", name="Criuleni")
    centre = CentreFactory(code="md-other", jurisdiction="MD", territory=root)
    return UserFactory(username="other_director", centre=centre, role=Role.DIRECTOR)


def _signed_draft(director, territory_id=None, text="October went well."):
    report = services.start_report(director, MONTHLY, "2026-10", territory_id)
    version = report.versions.get()
    services.write_narrative(director, version.pk, text)
    services.sign_narrative(director, version.pk)
    return report, version


def _approved(director, territory_id=None):
    report, version = _signed_draft(director, territory_id)
    return report, services.approve_version(director, version.pk)


# --- finding and starting -------------------------------------------------------------------------------------


def test_find_report_answers_an_unsaved_report_for_the_period_and_territory(md_director, md_area):
    report = selectors.find_report(md_director, MONTHLY, "2026-10", md_area["first"].pk)
    assert report.pk is None
    assert (report.period, report.period_start.isoformat(), report.period_end.isoformat()) == (
        "2026-10",
        "2026-10-01",
        "2026-11-01",
    )
    assert report.territory == md_area["first"]
    assert Report.objects.count() == 0


def test_find_report_reads_the_centre_root_as_the_whole_centre(md_director, md_area):
    assert selectors.find_report(md_director, MONTHLY, "2026-10", md_area["root"].pk).territory is None


@pytest.mark.parametrize(
    ("kind", "period", "field"),
    [
        ("weekly", "2026-10", "kind"),
        (MONTHLY, "2026-13", "period"),
        (MONTHLY, "2026-Q3", "period"),  # the monthly report is per month
        (ReportKind.MRPIPS_03, "2026-10", "period"),
        (MONTHLY, "", "period"),
    ],
)
def test_find_report_refuses_bad_kind_or_period_naming_the_field(md_director, kind, period, field):
    with pytest.raises(ValidationFailed) as caught:
        selectors.find_report(md_director, kind, period)
    assert list(caught.value.errors) == [field]


@pytest.mark.parametrize("bad", ["abc", -1, 0, 10**20, True])
def test_find_report_refuses_a_territory_that_is_not_one(md_director, bad):
    with pytest.raises(ValidationFailed) as caught:
        selectors.find_report(md_director, MONTHLY, "2026-10", bad)
    assert list(caught.value.errors) == ["territory"]


def test_find_report_refuses_a_territory_outside_the_centre_area(md_director, md_area):
    elsewhere = TerritoryFactory(jurisdiction="MD", level="district", name="Orhei")
    polish = TerritoryFactory(jurisdiction="PL", level="municipality", name="Łódź")
    for territory in (elsewhere, polish):
        with pytest.raises(ValidationFailed) as caught:
            selectors.find_report(md_director, MONTHLY, "2026-10", territory.pk)
        assert list(caught.value.errors) == ["territory"]


def test_find_report_is_refused_to_a_worker(md_worker):
    with pytest.raises(Forbidden):
        selectors.find_report(md_worker, MONTHLY, "2026-10")


def test_start_report_creates_the_report_and_its_draft_v1_audited(md_director, md_area):
    report = services.start_report(md_director, MONTHLY, "2026-10", md_area["first"].pk)
    version = report.versions.get()
    assert (version.number, version.status, version.narrative_status) == (1, VersionStatus.DRAFT, "empty")
    assert report.created_by == md_director and report.centre_id == md_director.centre_id
    assert AuditEvent.objects.filter(object_type="report", object_id=report.pk, action="create").count() == 1
    assert AuditEvent.objects.filter(object_type="report_version", object_id=version.pk, action="create").count() == 1


def test_start_report_twice_returns_the_same_report(md_director, md_teamlead):
    first = services.start_report(md_director, MONTHLY, "2026-10")
    second = services.start_report(md_teamlead, MONTHLY, "2026-10")
    assert first.pk == second.pk
    assert (Report.objects.count(), ReportVersion.objects.count()) == (1, 1)


@pytest.mark.parametrize("role", [Role.FINANCE_OFFICER, Role.AUDITOR, Role.SOCIAL_WORKER])
def test_start_report_is_refused_to_those_who_neither_write_nor_approve(md_centre, role):
    actor = UserFactory(centre=md_centre, role=role)
    with pytest.raises(Forbidden):
        services.start_report(actor, MONTHLY, "2026-10")
    assert Report.objects.count() == 0 and AuditEvent.objects.count() == 0


def test_get_report_for_another_centre_is_not_found(md_director, other_director):
    report = services.start_report(md_director, MONTHLY, "2026-10")
    with pytest.raises(NotFound):
        selectors.get_report_for(other_director, report.pk)
    assert selectors.get_report_for(md_director, report.pk) == report
    assert list(selectors.list_reports_for(other_director)) == []
    assert list(selectors.list_reports_for(md_director)) == [report]


# --- the narrative ------------------------------------------------------------------------------------------------


def test_narrative_written_and_signed_by_the_team_leader(md_director, md_teamlead):
    report = services.start_report(md_director, MONTHLY, "2026-10")
    version = report.versions.get()
    services.write_narrative(md_teamlead, version.pk, "  In October the district heard 467 citizens.  ")
    version.refresh_from_db()
    assert (version.narrative, version.narrative_status) == (
        "In October the district heard 467 citizens.",
        NarrativeStatus.WRITTEN,
    )
    services.sign_narrative(md_teamlead, version.pk)
    version.refresh_from_db()
    assert version.narrative_status == NarrativeStatus.SIGNED
    assert version.narrative_signed_by == md_teamlead and version.narrative_signed_at is not None
    # The audit says the narrative changed, never what it says.
    for event in AuditEvent.objects.filter(object_type="report_version"):
        assert "467" not in str(event.changes)


def test_signed_narrative_cannot_be_rewritten_or_signed_again(md_director):
    _report, version = _signed_draft(md_director)
    with pytest.raises(Conflict) as caught:
        services.write_narrative(md_director, version.pk, "Another text")
    assert caught.value.code == "narrative_signed"
    with pytest.raises(Conflict):
        services.sign_narrative(md_director, version.pk)
    version.refresh_from_db()
    assert version.narrative == "October went well."


def test_empty_narrative_cannot_be_signed(md_director):
    report = services.start_report(md_director, MONTHLY, "2026-10")
    version = report.versions.get()
    with pytest.raises(ValidationFailed) as caught:
        services.sign_narrative(md_director, version.pk)
    assert list(caught.value.errors) == ["narrative"]
    version.refresh_from_db()
    assert version.narrative_status == NarrativeStatus.EMPTY


@pytest.mark.parametrize("bad", ["x" * (services.NARRATIVE_MAX + 1), 12, ["a"]])
def test_bad_narrative_is_refused_on_the_field(md_director, bad):
    version = services.start_report(md_director, MONTHLY, "2026-10").versions.get()
    with pytest.raises(ValidationFailed) as caught:
        services.write_narrative(md_director, version.pk, bad)
    assert list(caught.value.errors) == ["narrative"]
    version.refresh_from_db()
    assert version.narrative == ""


def test_narrative_refused_to_finance_and_to_another_centre(md_director, md_finance, other_director):
    version = services.start_report(md_director, MONTHLY, "2026-10").versions.get()
    with pytest.raises(Forbidden):
        services.write_narrative(md_finance, version.pk, "text")
    with pytest.raises(NotFound):
        services.write_narrative(other_director, version.pk, "text")
    with pytest.raises(NotFound):
        services.write_narrative(md_director, 10**6, "text")
    version.refresh_from_db()
    assert version.narrative == ""


# --- approval -----------------------------------------------------------------------------------------------------


def test_approval_freezes_figures_and_fingerprints(md_director, md_area):
    contacts(md_director.centre, md_area["first"], 3)
    contacts(md_director.centre, md_area["village"], 2)  # in the first community's subtree
    contacts(md_director.centre, md_area["second"], 1)
    contacts(md_director.centre, None, 1)  # no locality: the whole centre's report only
    _report, version = _approved(md_director)
    version.refresh_from_db()
    assert version.status == VersionStatus.APPROVED
    assert version.approved_by == md_director and version.approved_at is not None
    assert version.figures["t_contacts"]["total"] == 7
    assert version.figures["t_contacts"]["by_group"] == {
        str(md_area["first"].pk): 5,
        str(md_area["second"].pk): 1,
        "0": 1,
    }
    assert version.figures["t_amount"]["total"] == "350.00"  # money frozen with its two places
    assert version.fingerprints["t_contacts"]["count"] == 7
    assert len(version.fingerprints["t_contacts"]["digest"]) == 64


def test_approval_needs_the_narrative_signed_for_the_monthly_report(md_director):
    version = services.start_report(md_director, MONTHLY, "2026-10").versions.get()
    services.write_narrative(md_director, version.pk, "Written, not signed.")
    events = AuditEvent.objects.count()
    with pytest.raises(NarrativeNotSigned):
        services.approve_version(md_director, version.pk)
    version.refresh_from_db()
    assert (version.status, version.figures, version.approved_by) == (VersionStatus.DRAFT, {}, None)
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("role", [Role.TEAM_LEADER, Role.FINANCE_OFFICER, Role.AUDITOR])
def test_approval_is_the_director_s(md_director, md_centre, role):
    _report, version = _signed_draft(md_director)
    with pytest.raises(Forbidden):
        services.approve_version(UserFactory(centre=md_centre, role=role), version.pk)
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT


def test_approving_twice_is_a_conflict_and_changes_nothing(md_director, md_area):
    contacts(md_director.centre, md_area["first"], 2)
    _report, version = _approved(md_director)
    contacts(md_director.centre, md_area["first"], 5)
    with pytest.raises(InvalidVersionTransition) as caught:
        services.approve_version(md_director, version.pk)
    assert caught.value.code == "invalid_transition"
    version.refresh_from_db()
    assert version.figures["t_contacts"]["total"] == 2


def test_approved_version_narrative_is_frozen(md_director):
    _report, version = _approved(md_director)
    with pytest.raises(ReportFrozen):
        services.write_narrative(md_director, version.pk, "changed")


def test_another_kind_is_approved_without_a_narrative(md_director):
    report = services.start_report(md_director, ReportKind.MD_YEARLY_AID, "2026")
    version = services.approve_version(md_director, report.versions.get().pk)
    assert version.status == VersionStatus.APPROVED


# --- a correction after approval --------------------------------------------------------------------------------


def test_record_corrected_after_approval_shows_as_a_difference_and_the_frozen_figure_stays(md_director, md_area):
    centre = md_director.centre
    contacts(centre, md_area["first"], 4)
    contacts(centre, md_area["second"], 1)
    report, _version = _approved(md_director)
    contacts(centre, md_area["first"], 3)  # three added after approval

    data = report_data(md_director, report, history=False)
    assert data.is_frozen
    assert data.row("t_contacts").figure.total == 5  # frozen
    assert data.row("t_contacts").live.total == 8
    with translation.override("en"):
        found = services.differences(data)
    assert found["t_contacts"].kind == "added" and found["t_contacts"].delta == 3
    assert found["t_contacts"].text == "Citizens heard: 3 added after approval"
    assert found["t_amount"].kind == "amount" and found["t_amount"].delta == Decimal("150.00")
    assert found["t_amount"].text == "Amount paid: amount changed by MDL\xa0150.00 after approval"
    with translation.override("pl"):
        assert "150,00" in services.differences(data)["t_amount"].text
    # The stored figures are untouched by the correction.
    assert report.versions.get().figures["t_contacts"]["total"] == 5


def test_record_moved_to_another_community_shows_as_changed_with_the_same_total(md_director, md_area):
    (contact,) = contacts(md_director.centre, md_area["first"], 1)
    report, _version = _approved(md_director)
    contact.territory = md_area["second"]
    contact.save()
    data = report_data(md_director, report, history=False)
    found = services.differences(data)
    assert found["t_contacts"].kind == "changed" and found["t_contacts"].delta == 0
    assert data.row("t_contacts").figure.total == data.row("t_contacts").live.total == 1
    assert data.row("t_contacts").figure.by_group == {md_area["first"].pk: 1}


def test_record_changed_with_the_same_count_and_group_shows_as_changed(md_director, md_area):
    centre = md_director.centre
    (contact,) = contacts(centre, md_area["first"], 1)
    report, _version = _approved(md_director)
    contact.notes = "corrected"
    contact.save()  # updated_at moves: the fingerprint's digest changes
    data = report_data(md_director, report, history=False)
    found = services.differences(data)
    assert found["t_contacts"].kind == "changed"
    assert "t_amount" in found  # its stamp holds updated_at too


def test_removed_record_shows_as_removed(md_director, md_area):
    centre = md_director.centre
    made = contacts(centre, md_area["first"], 3)
    report, _version = _approved(md_director)
    made[0].delete()
    made[1].delete()
    with translation.override("en"):
        found = services.differences(report_data(md_director, report, history=False))
    assert (found["t_contacts"].kind, found["t_contacts"].delta) == ("removed", -2)
    assert found["t_contacts"].text == "Citizens heard: 2 removed after approval"


def test_no_change_no_difference_and_a_draft_has_none(md_director, md_area):
    contacts(md_director.centre, md_area["first"], 2)
    report, version = _signed_draft(md_director)
    assert services.differences(report_data(md_director, report, history=False)) == {}
    services.approve_version(md_director, version.pk)
    assert services.differences(report_data(md_director, report, history=False)) == {}


# --- new versions ----------------------------------------------------------------------------------------------


def test_new_version_approved_supersedes_and_the_old_stays_readable(md_director, md_area):
    centre = md_director.centre
    contacts(centre, md_area["first"], 2)
    report, v1 = _approved(md_director)
    contacts(centre, md_area["first"], 1)
    v2 = services.issue_new_version(md_director, report.pk, "A contact recorded late.")
    assert (v2.number, v2.status, v2.reason) == (2, VersionStatus.DRAFT, "A contact recorded late.")
    assert (v2.narrative, v2.narrative_status) == ("October went well.", NarrativeStatus.WRITTEN)
    services.sign_narrative(md_director, v2.pk)
    services.approve_version(md_director, v2.pk)
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert (v1.status, v2.status) == (VersionStatus.SUPERSEDED, VersionStatus.APPROVED)
    assert (v1.figures["t_contacts"]["total"], v2.figures["t_contacts"]["total"]) == (2, 3)
    old = report_data(md_director, report, v1, history=False)
    assert old.is_frozen and old.row("t_contacts").figure.total == 2
    assert report_data(md_director, report, history=False).version == v2
    assert selectors.approved_version(report) == v2


def test_new_version_refusals(md_director, md_teamlead):
    report, version = _signed_draft(md_director)
    with pytest.raises(Conflict) as caught:
        services.issue_new_version(md_director, report.pk, "why")
    assert caught.value.code == "draft_exists"
    services.approve_version(md_director, version.pk)
    with pytest.raises(ValidationFailed) as caught:
        services.issue_new_version(md_director, report.pk, "   ")
    assert list(caught.value.errors) == ["reason"]
    with pytest.raises(Forbidden):
        services.issue_new_version(md_teamlead, report.pk, "why")
    services.issue_new_version(md_director, report.pk, "why")
    with pytest.raises(Conflict) as caught:
        services.issue_new_version(md_director, report.pk, "again")
    assert caught.value.code == "draft_exists"
    assert report.versions.count() == 2


def test_new_version_of_a_report_never_approved_is_a_conflict(md_director):
    report = services.start_report(md_director, ReportKind.MD_YEARLY_AID, "2026")
    report.versions.all().delete()
    with pytest.raises(Conflict) as caught:
        services.issue_new_version(md_director, report.pk, "why")
    assert caught.value.code == "not_approved"
    assert report.versions.count() == 0


# --- opening a report for any reader ------------------------------------------------------------------------------


def test_open_report_stores_the_report_without_a_version_for_any_reader(md_director, md_finance, md_area):
    report = services.open_report(md_finance, MONTHLY, "2026-10", md_area["second"].pk)
    assert report.pk is not None and report.versions.count() == 0
    assert services.open_report(md_director, MONTHLY, "2026-10", md_area["second"].pk).pk == report.pk
    assert AuditEvent.objects.filter(object_type="report", action="create").count() == 1
    data = report_data(md_finance, report, history=False)
    assert data.version is None and not data.is_frozen
    # Started later, the opened report gets its draft v1.
    started = services.start_report(md_director, MONTHLY, "2026-10", md_area["second"].pk)
    assert started.pk == report.pk and [v.number for v in report.versions.all()] == [1]


def test_open_report_refused_to_a_worker_and_an_unsaved_report_reads_live(md_worker, md_finance, md_area):
    with pytest.raises(Forbidden):
        services.open_report(md_worker, MONTHLY, "2026-10")
    assert Report.objects.count() == 0
    contacts(md_finance.centre, md_area["first"], 2)
    unsaved = selectors.find_report(md_finance, MONTHLY, "2026-10")
    data = report_data(md_finance, unsaved, history=False)
    assert data.version is None and data.row("t_contacts").figure.total == 2

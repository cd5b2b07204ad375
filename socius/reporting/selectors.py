"""Reads of reports and their versions (decision 0017): find the report of a kind, period and territory, list a
centre's reports, fetch one for its reader. Another centre's report is "not found"; a role that may not read
reports is refused."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from socius.accounts.models import Territory, User
from socius.accounts.selectors import is_in_centre_area
from socius.common.errors import Forbidden, NotFound, ValidationFailed
from socius.common.limits import ID_MAX
from socius.common.validation import as_int
from socius.reporting.models import Report, ReportVersion
from socius.reporting.periods import Period, parse_period
from socius.reporting.permissions import can_view_report, can_view_reports
from socius.reporting.statuses import ReportKind, VersionStatus

# The periods each kind of report is made for (REPORTS.md): the monthly report per month, MRPiPS-03 per half year
# and year, the LT cash assistance report per quarter, OZPS and the MD yearly figures per year.
PERIOD_KINDS: dict[str, tuple[str, ...]] = {
    ReportKind.MONTHLY_ACTIVITY: ("month",),
    ReportKind.MRPIPS_03: ("half", "year"),
    ReportKind.OZPS: ("year",),
    ReportKind.LT_CASH_ASSISTANCE: ("quarter",),
    ReportKind.MD_YEARLY_AID: ("year",),
}


def _require_reader(actor: User) -> None:
    if not can_view_reports(actor):
        raise Forbidden()


def check_kind(kind, *, field: str = "kind") -> str:
    if kind not in ReportKind.values:
        raise ValidationFailed({field: [_("Choose a kind of report.")]})
    return kind


def check_period(kind: str, period_key, *, field: str = "period") -> Period:
    """The period of a report of `kind` (a month for the monthly report…), or ValidationFailed on `field`."""
    return parse_period(period_key, field=field, kinds=PERIOD_KINDS.get(kind, ("month", "quarter", "half", "year")))


def check_territory(actor: User, territory_id, *, field: str = "territory") -> Territory | None:
    """The territory of a report: none (the whole centre) or a node of the centre's area; else ValidationFailed
    on `field`."""
    if territory_id in (None, ""):
        return None
    pk = None if isinstance(territory_id, bool) else as_int(territory_id)
    found = Territory.objects.filter(pk=pk).first() if pk is not None and 1 <= pk <= ID_MAX else None
    if found is None or actor.centre is None or not is_in_centre_area(actor.centre, found):
        raise ValidationFailed({field: [_("Choose a territory of your centre's area.")]})
    if found.pk == actor.centre.territory_id:
        return None  # the centre's own root is the whole centre's report
    return found


def find_report(
    actor: User,
    kind: str,
    period_key: str,
    territory_id: int | None = None,
    *,
    period_field: str = "period",
    territory_field: str = "territory",
) -> Report:
    """The report of the actor's centre for a kind, a period and a territory (None: the whole centre): the one
    stored, or an unsaved one (pk None, no versions) that reads live. Bad input is ValidationFailed on the field
    (`period_field`, `territory_field`; the API says `month`); a reader without the right is refused (Forbidden)."""
    _require_reader(actor)
    check_kind(kind)
    period = check_period(kind, period_key, field=period_field)
    territory = check_territory(actor, territory_id, field=territory_field)
    found = Report.objects.select_related("centre", "territory").filter(
        centre_id=actor.centre_id, kind=kind, period=period.key, territory=territory
    )
    report = found.first()
    if report is not None:
        return report
    return Report(
        centre=actor.centre,
        kind=kind,
        period=period.key,
        period_start=period.start,
        period_end=period.end,
        territory=territory,
    )


def list_reports_for(
    actor: User,
    *,
    kind: str | None = None,
    period: str | None = None,
    territory: int | None = None,
) -> QuerySet[Report]:
    """The centre's stored reports, newest period first, with their versions (newest first) prefetched."""
    _require_reader(actor)
    qs = Report.objects.filter(centre_id=actor.centre_id).select_related("territory", "created_by")
    if kind:
        qs = qs.filter(kind=check_kind(kind))
    if period:
        qs = qs.filter(period=str(period).strip())
    if territory not in (None, ""):
        found = check_territory(actor, territory)
        qs = qs.filter(territory=found) if found is not None else qs.filter(territory__isnull=True)
    versions = ReportVersion.objects.select_related("approved_by", "narrative_signed_by").order_by("-number")
    return qs.prefetch_related(Prefetch("versions", queryset=versions)).order_by("-period_start", "kind", "id")


def get_report_for(actor: User, report_id) -> Report:
    """One report of the actor's centre; another centre's (or none) is NotFound."""
    _require_reader(actor)
    pk = as_int(report_id)
    report = (
        Report.objects.select_related("centre", "territory", "created_by").filter(pk=pk).first()
        if pk is not None and 1 <= pk <= ID_MAX
        else None
    )
    if report is None or not can_view_report(actor, report):
        raise NotFound()
    return report


def get_version_for(actor: User, version_id) -> ReportVersion:
    """One version of a report of the actor's centre; else NotFound."""
    _require_reader(actor)
    pk = as_int(version_id)
    version = (
        ReportVersion.objects.select_related(
            "report", "report__centre", "report__territory", "approved_by", "narrative_signed_by"
        )
        .filter(pk=pk)
        .first()
        if pk is not None and 1 <= pk <= ID_MAX
        else None
    )
    if version is None or not can_view_report(actor, version.report):
        raise NotFound()
    return version


def versions_of(report: Report) -> list[ReportVersion]:
    """A report's versions, newest first (none for an unsaved report)."""
    if report.pk is None:
        return []
    return list(report.versions.select_related("approved_by", "narrative_signed_by").order_by("-number"))


def current_version(report: Report) -> ReportVersion | None:
    """The version a report reads by default: the draft if there is one, else the newest (the approved one)."""
    if report.pk is None:
        return None
    return report.versions.order_by("-number").first()


def approved_version(report: Report) -> ReportVersion | None:
    if report.pk is None:
        return None
    return report.versions.filter(status=VersionStatus.APPROVED).first()

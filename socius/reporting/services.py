"""Writes of reports (decision 0017): start a report (its draft v1), write and sign off the narrative, approve a
version (its figures and the fingerprints of the records behind them frozen, the previously approved version
superseded), issue a new version; and `differences()`, what changed in the records since approval, in words.

Every write is atomic, takes the report's row lock first (so two approvals of one report run one after the other,
and the second finds the version already approved: 409), checks the actor's right (403, or 404 for another
centre's report) and the version's state (409 with the reason), and is audited. Figures are counts and sums:
the audit names no person.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from socius.accounts.audit import record_event
from socius.accounts.models import AuditAction, User
from socius.common.errors import Conflict, Forbidden, NotFound
from socius.common.formatting import format_money
from socius.common.limits import ID_MAX
from socius.common.validation import as_int, check_text, raise_if
from socius.reporting.errors import InvalidVersionTransition, NarrativeNotSigned, ReportFrozen
from socius.reporting.indicators import Figure, Part, Unit, fingerprint, indicators_for
from socius.reporting.models import Report, ReportVersion
from socius.reporting.permissions import can_approve_report, can_view_report, can_view_reports, can_write_narrative
from socius.reporting.report import ReportData, compute_figures, scope_of
from socius.reporting.selectors import find_report
from socius.reporting.statuses import VERSION_TRANSITIONS, NarrativeStatus, ReportKind, VersionStatus

REPORT = "report"  # audit object types
REPORT_VERSION = "report_version"
NARRATIVE_MAX = 20_000
CENT = Decimal("0.01")
REASON_MAX = 2_000

# The kinds whose approval needs the narrative signed off by the head of service first.
NARRATIVE_REQUIRED = frozenset({ReportKind.MONTHLY_ACTIVITY})


# --- locks --------------------------------------------------------------------------------------------------


def _locked_report(actor: User, report_id) -> Report:
    """The report under its row lock (inside the caller's transaction); another centre's or none: NotFound."""
    if not can_view_reports(actor):
        raise Forbidden()
    report = Report.objects.select_for_update().filter(pk=report_id).first()
    if report is None or not can_view_report(actor, report):
        raise NotFound()
    return report


def _locked_version(actor: User, version_id) -> ReportVersion:
    """The version and its report, both locked, report first (the order every write takes)."""
    if not can_view_reports(actor):
        raise Forbidden()
    report_id = ReportVersion.objects.filter(pk=version_id).values_list("report_id", flat=True).first()
    if report_id is None:
        raise NotFound()
    report = _locked_report(actor, report_id)
    version = ReportVersion.objects.select_for_update().get(pk=version_id)
    version.report = report
    return version


def _as_pk(value) -> int:
    """A version's or report's id (or the record itself); anything else is NotFound."""
    pk = None if isinstance(value, bool) else as_int(value)
    if pk is None or not 1 <= pk <= ID_MAX:
        raise NotFound()
    return pk


def _check_move(version: ReportVersion, to: str) -> None:
    if to not in VERSION_TRANSITIONS.get(version.status, frozenset()):
        raise InvalidVersionTransition(version, to)


def _audit(actor: User, action: str, version: ReportVersion, changes: dict) -> None:
    record_event(
        actor,
        action,
        object_type=REPORT_VERSION,
        object_id=version.pk,
        centre_id=version.report.centre_id,
        changes=changes,
    )


# --- starting a report -----------------------------------------------------------------------------------------


def open_report(actor: User, kind: str, period_key: str, territory_id: int | None = None) -> Report:
    """The stored report of a kind, period and territory (None: the whole centre), created without a version if it
    is not stored yet, so that its drill-down and downloads have an id. Any report reader may open one: a report
    is counts and sums, and it reads live until a version is started. Bad input is ValidationFailed on `kind`,
    `period` or `territory`; a role that may not read reports is Forbidden."""
    report = find_report(actor, kind, period_key, territory_id)
    if report.pk is not None:
        return report
    try:
        with transaction.atomic():
            report.created_by = actor
            report.save()
            record_event(
                actor,
                AuditAction.CREATE,
                object_type=REPORT,
                object_id=report.pk,
                centre_id=report.centre_id,
                changes={
                    "kind": [None, report.kind],
                    "period": [None, report.period],
                    "territory": [None, report.territory_id],
                },
            )
    except IntegrityError:
        # Opened at the same moment by someone else: theirs is the report.
        return find_report(actor, kind, period_key, territory_id)
    return report


def start_report(actor: User, kind: str, period_key: str, territory_id: int | None = None) -> Report:
    """The report of a kind, period and territory (None: the whole centre) with its draft v1, created if it has no
    version yet (a report already started is returned as it is). The head of service or the director (who write
    the narrative or approve); bad input is ValidationFailed on `kind`, `period` or `territory`."""
    report = find_report(actor, kind, period_key, territory_id)
    if not (can_write_narrative(actor, report) or can_approve_report(actor, report)):
        raise Forbidden()
    report = open_report(actor, kind, period_key, territory_id)
    with transaction.atomic():
        report = _locked_report(actor, report.pk)
        if not report.versions.exists():
            version = ReportVersion.objects.create(report=report, number=1, created_by=actor)
            version.report = report
            _audit(actor, AuditAction.CREATE, version, {"number": [None, 1], "status": [None, version.status]})
    return report


# --- the narrative ---------------------------------------------------------------------------------------------


def _draft_for_narrative(actor: User, version_id) -> ReportVersion:
    version = _locked_version(actor, _as_pk(version_id))
    if not can_write_narrative(actor, version.report):
        raise Forbidden()
    if version.status != VersionStatus.DRAFT:
        raise ReportFrozen(version)
    return version


def write_narrative(actor: User, version_id, text) -> ReportVersion:
    """Write (or rewrite) the narrative of a draft: the head of service or the director. Empty text leaves it not
    written. Signed off, it is locked (409 narrative_signed) until a new version is issued."""
    with transaction.atomic():
        version = _draft_for_narrative(actor, version_id)
        if version.narrative_status == NarrativeStatus.SIGNED:
            raise Conflict(
                _("The narrative is signed off; it cannot be changed in this version."), code="narrative_signed"
            )
        errors: dict = {}
        if text is not None and not isinstance(text, str):
            errors["narrative"] = [_("Enter the narrative as text.")]
        cleaned = check_text(errors, "narrative", text or "", max_length=NARRATIVE_MAX, required=False)
        raise_if(errors)
        before = (version.narrative, version.narrative_status)
        version.narrative = cleaned
        version.narrative_status = NarrativeStatus.WRITTEN if cleaned else NarrativeStatus.EMPTY
        version.save(update_fields=["narrative", "narrative_status"])
        # The audit says that the narrative changed and how long it is, not what it says.
        _audit(
            actor,
            AuditAction.UPDATE,
            version,
            {
                "narrative_length": [len(before[0]), len(cleaned)],
                "narrative_status": [before[1], version.narrative_status],
            },
        )
    return version


def sign_narrative(actor: User, version_id) -> ReportVersion:
    """Sign off the narrative of a draft (the head of service or the director): it is then locked, and the director
    may approve the monthly report. An empty narrative is refused on `narrative`; signed twice, 409."""
    with transaction.atomic():
        version = _draft_for_narrative(actor, version_id)
        if version.narrative_status == NarrativeStatus.SIGNED:
            raise Conflict(_("The narrative is already signed off."), code="narrative_signed")
        if not version.narrative.strip():
            raise_if({"narrative": [_("Write the narrative before signing it off.")]})
        version.narrative_status = NarrativeStatus.SIGNED
        version.narrative_signed_by = actor
        version.narrative_signed_at = timezone.now()
        version.save(update_fields=["narrative_status", "narrative_signed_by", "narrative_signed_at"])
        _audit(
            actor,
            AuditAction.UPDATE,
            version,
            {"narrative_status": [NarrativeStatus.WRITTEN, version.narrative_status]},
        )
    return version


# --- approval ----------------------------------------------------------------------------------------------------


def freeze(report: Report) -> tuple[dict, dict]:
    """The figures of every indicator of the report's kind, as JSON, and the fingerprints of the records behind
    them, computed from the records now (what approval stores)."""
    scope = scope_of(report)
    indicators = indicators_for(report.kind)
    figures = compute_figures(scope, indicators)
    money = {i.code for i in indicators if i.unit == Unit.MONEY}
    return (
        {code: (_cents(figure) if code in money else figure).as_json() for code, figure in figures.items()},
        {i.code: fingerprint(i, scope) for i in indicators},
    )


def _cents(figure: Figure) -> Figure:
    """A money figure with every amount in two places (a database may sum to "350" or "350.0000")."""

    def q(value) -> Decimal:
        return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)

    return Figure(
        total=q(figure.total),
        by_group={k: q(v) for k, v in figure.by_group.items()},
        parts=tuple(Part(p.code, p.label, q(p.total), {k: q(v) for k, v in p.by_group.items()}) for p in figure.parts),
    )


def approve_version(actor: User, version_id) -> ReportVersion:
    """Approve a draft (the director): its figures and fingerprints are frozen, the report's approved version (if
    any) becomes superseded and stays readable. The monthly report needs the narrative signed off (409
    narrative_not_signed); a version already approved or superseded is 409 invalid_transition."""
    with transaction.atomic():
        version = _locked_version(actor, _as_pk(version_id))
        report = version.report
        if not can_approve_report(actor, report):
            raise Forbidden()
        _check_move(version, VersionStatus.APPROVED)
        if report.kind in NARRATIVE_REQUIRED and version.narrative_status != NarrativeStatus.SIGNED:
            raise NarrativeNotSigned(version)
        previous = (
            ReportVersion.objects.select_for_update()
            .filter(report=report, status=VersionStatus.APPROVED)
            .exclude(pk=version.pk)
            .first()
        )
        if previous is not None:
            _check_move(previous, VersionStatus.SUPERSEDED)
            previous.status = VersionStatus.SUPERSEDED
            previous.save(update_fields=["status"])
            _audit(actor, AuditAction.UPDATE, previous, {"status": [VersionStatus.APPROVED, VersionStatus.SUPERSEDED]})
        version.figures, version.fingerprints = freeze(report)
        version.status = VersionStatus.APPROVED
        version.approved_by = actor
        version.approved_at = timezone.now()
        version.save(update_fields=["figures", "fingerprints", "status", "approved_by", "approved_at"])
        _audit(
            actor,
            AuditAction.UPDATE,
            version,
            {"status": [VersionStatus.DRAFT, VersionStatus.APPROVED], "indicators": [None, len(version.figures)]},
        )
    return version


def issue_new_version(actor: User, report_id, reason) -> ReportVersion:
    """A new draft of an approved report (the director), with the reason; the approved version stays until the new
    one is approved. The narrative is carried over, not signed. 409 when the report has a draft already
    (draft_exists) or nothing approved yet (not_approved); the reason is required."""
    with transaction.atomic():
        report = _locked_report(actor, _as_pk(report_id))
        if not can_approve_report(actor, report):
            raise Forbidden()
        errors: dict = {}
        if reason is not None and not isinstance(reason, str):
            errors["reason"] = [_("Say why a new version is issued.")]
        cleaned = check_text(errors, "reason", reason or "", max_length=REASON_MAX)
        versions = list(report.versions.order_by("-number"))
        if any(v.status == VersionStatus.DRAFT for v in versions):
            raise Conflict(_("This report has a draft version already; change that one."), code="draft_exists")
        last = versions[0] if versions else None
        if last is None or not any(v.status == VersionStatus.APPROVED for v in versions):
            raise Conflict(_("Only an approved report gets a new version."), code="not_approved")
        raise_if(errors)
        version = ReportVersion.objects.create(
            report=report,
            number=last.number + 1,
            narrative=last.narrative,
            narrative_status=NarrativeStatus.WRITTEN if last.narrative.strip() else NarrativeStatus.EMPTY,
            reason=cleaned,
            created_by=actor,
        )
        version.report = report
        _audit(
            actor,
            AuditAction.CREATE,
            version,
            {"number": [None, version.number], "status": [None, version.status], "reason": [None, cleaned]},
        )
    return version


# --- differences after approval ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    """What changed behind a frozen figure since approval.

    `kind`: "added" (the live figure is larger), "removed" (smaller), "amount" (a sum changed) or "changed" (the
    same figure, but records behind it were changed, moved between groups or replaced). `delta` is live minus
    frozen (0 for "changed"); `text` says it in the reader's language."""

    code: str
    kind: str
    delta: int | Decimal
    text: str
    frozen: int | Decimal
    live: int | Decimal

    def as_json(self) -> dict:
        def num(v):
            return str(v) if isinstance(v, Decimal) else v

        return {
            "kind": self.kind,
            "delta": num(self.delta),
            "frozen": num(self.frozen),
            "live": num(self.live),
            "text": self.text,
        }


def _words(label: str, unit: str, delta, currency: str, kind: str) -> str:
    if kind == "amount":
        return _("%(label)s: amount changed by %(amount)s after approval") % {
            "label": label,
            "amount": format_money(delta, currency),
        }
    if kind == "changed":
        return _("%(label)s: records behind the figure changed after approval") % {"label": label}
    n = abs(int(delta))
    if kind == "added":
        return ngettext("%(label)s: %(count)s added after approval", "%(label)s: %(count)s added after approval", n) % {
            "label": label,
            "count": n,
        }
    return ngettext("%(label)s: %(count)s removed after approval", "%(label)s: %(count)s removed after approval", n) % {
        "label": label,
        "count": n,
    }


def difference_of(row, stored_fingerprint: dict | None, live_fingerprint: dict | None, currency: str):
    """The Difference of one row of a frozen report (None when nothing changed)."""
    frozen: Figure = row.figure
    live: Figure = row.live
    unit = row.indicator.unit
    delta = live.total - frozen.total
    if unit == Unit.MONEY:
        kind = "amount" if delta != 0 else None
    else:
        kind = "added" if delta > 0 else "removed" if delta < 0 else None
    if kind is None:
        digest_changed = bool(stored_fingerprint and live_fingerprint) and (
            stored_fingerprint.get("digest") != live_fingerprint.get("digest")
            or stored_fingerprint.get("count") != live_fingerprint.get("count")
        )
        if not digest_changed and _same(frozen, live):
            return None
        kind = "changed"
    return Difference(
        code=row.indicator.code,
        kind=kind,
        delta=delta if kind != "changed" else (Decimal("0") if unit == Unit.MONEY else 0),
        text=_words(str(row.indicator.label), unit, delta, currency, kind),
        frozen=frozen.total,
        live=live.total,
    )


def _same(a: Figure, b: Figure) -> bool:
    """Equal figures, a group or part with nothing and an absent one alike."""

    def norm(by_group: dict) -> dict:
        return {k: v for k, v in by_group.items() if v}

    if a.total != b.total or norm(a.by_group) != norm(b.by_group):
        return False
    pa = {p.code: (p.total, norm(p.by_group)) for p in a.parts if p.total or norm(p.by_group)}
    pb = {p.code: (p.total, norm(p.by_group)) for p in b.parts if p.total or norm(p.by_group)}
    return pa == pb


def differences(data: ReportData) -> dict[str, Difference]:
    """Per indicator of a frozen (approved or superseded) report, what changed in the records since approval:
    the live figure against the frozen one, and the records' fingerprint against the stored one (a record
    corrected with the figure unchanged shows as "changed"). Empty for a draft or a report read live."""
    if not data.is_frozen or data.version is None:
        return {}
    stored = data.version.fingerprints or {}
    out: dict[str, Difference] = {}
    for row in data.rows:
        if row.indicator.code not in (data.version.figures or {}):
            continue  # an indicator added after approval has no frozen figure to compare with
        stored_fp = stored.get(row.indicator.code)
        live_fp = fingerprint(row.indicator, data.scope) if stored_fp else None
        found = difference_of(row, stored_fp, live_fp, data.currency)
        if found is not None:
            out[row.indicator.code] = found
    return out

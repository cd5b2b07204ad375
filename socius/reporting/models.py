"""Reports and their versions: the figures computed from the records, frozen with a fingerprint of the data
behind them when the director approves (decision 0017), and a cache of computed figures."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from socius.accounts.models import Centre, Territory, User
from socius.reporting.statuses import NarrativeStatus, ReportKind, VersionStatus


class Report(models.Model):
    """One report of a centre: a kind, a period and a territory (none: the whole centre).

    `period` is the period's key: `2026-10` (a month), `2026-H1` (a half year), `2026-Q3` (a quarter) or `2026`
    (a year); `socius.reporting.periods` parses and names it.
    """

    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("report"), max_length=30, choices=ReportKind.choices)
    period = models.CharField(_("period"), max_length=10)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"))  # exclusive: the day after the period's last day
    territory = models.ForeignKey(
        Territory, verbose_name=_("territory"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-period_start", "kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "kind", "period", "territory"],
                condition=Q(territory__isnull=False),
                name="report_unique_per_territory",
            ),
            models.UniqueConstraint(
                fields=["centre", "kind", "period"],
                condition=Q(territory__isnull=True),
                name="report_unique_for_centre",
            ),
            models.CheckConstraint(condition=Q(period_end__gt=models.F("period_start")), name="report_period_order"),
        ]
        indexes = [models.Index(fields=["centre", "kind", "-period_start"], name="report_centre_kind_period")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period}"


class ReportVersion(models.Model):
    """A version of a report. A draft shows live figures; approval stores the figures, and per indicator a
    fingerprint of the records behind them, so a later correction shows as a difference, never as a silently
    changed figure. A new version may be issued and approved; the old one stays (superseded)."""

    report = models.ForeignKey(Report, verbose_name=_("report"), on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    # Frozen at approval: {indicator code: figure as JSON (socius.reporting.indicators.Figure.as_json)}.
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    # Frozen at approval: {indicator code: {"count": rows, "digest": sha256 hex}} of the records behind it.
    fingerprints = models.JSONField(_("fingerprints"), default=dict, blank=True)
    narrative = models.TextField(_("narrative"), blank=True)
    narrative_status = models.CharField(
        _("narrative"), max_length=10, choices=NarrativeStatus.choices, default=NarrativeStatus.EMPTY
    )
    narrative_signed_by = models.ForeignKey(
        User,
        verbose_name=_("narrative signed off by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    narrative_signed_at = models.DateTimeField(_("narrative signed off at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        User, verbose_name=_("approved by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    reason = models.TextField(_("reason for a new version"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("report version")
        verbose_name_plural = _("report versions")
        ordering = ["report", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="reportversion_unique_number"),
            # At most one draft and one approved version of a report at a time.
            models.UniqueConstraint(fields=["report"], condition=Q(status="draft"), name="reportversion_one_draft"),
            models.UniqueConstraint(
                fields=["report"], condition=Q(status="approved"), name="reportversion_one_approved"
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(approved_at__isnull=False, approved_by__isnull=False),
                name="reportversion_approved_has_approver",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} v{self.number}"


class FigureCache(models.Model):
    """Figures already computed for a report's scope, kept so a computed month answers fast (issue 12's
    200 ms). `stamp` says which state of the data they were computed from (socius.reporting.cache); a cache
    row whose stamp no longer matches is recomputed, never served."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30, choices=ReportKind.choices)
    period = models.CharField(max_length=10)
    territory = models.ForeignKey(Territory, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    stamp = models.CharField(max_length=128)
    figures = models.JSONField(default=dict)
    # What the stamp is made of (socius.reporting.cache): the tables' clocks at the last check, per indicator
    # the stamp of its records, the columns' digest, the parts' labels per language, seconds per indicator.
    stamps = models.JSONField(default=dict, blank=True)
    computed_at = models.DateTimeField()
    seconds = models.FloatField(default=0)  # how long the computation took

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "kind", "period", "territory"],
                condition=Q(territory__isnull=False),
                name="figurecache_unique_per_territory",
            ),
            models.UniqueConstraint(
                fields=["centre", "kind", "period"],
                condition=Q(territory__isnull=True),
                name="figurecache_unique_for_centre",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.period}"

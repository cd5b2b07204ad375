"""Partner institutions of a centre and the referrals a case sends to them or receives from them."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from socius.accounts.models import Centre, User
from socius.casework.statuses import ReferralStatus
from socius.common.models import TimeStamped


class PartnerKind(models.TextChoices):
    SCHOOL = "school", _("School")
    POLICE = "police", _("Police")
    HEALTH_SERVICE = "health_service", _("Health service")
    COURT = "court", _("Court")
    COURT_CURATOR = "court_curator", _("Court curator")
    LABOUR_OFFICE = "labour_office", _("Labour office")
    NGO = "ngo", _("Non-governmental organisation")
    OTHER_CENTRE = "other_centre", _("Other social welfare centre")
    OTHER = "other", _("Other")


class Partner(TimeStamped):
    """An institution the centre works with. Never deleted (referrals name it): deactivated instead."""

    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=PartnerKind.choices)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    contact_person = models.CharField(_("contact person"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    AUDITED_FIELDS = ("name", "kind", "address", "phone", "email", "contact_person", "notes", "is_active")

    class Meta:
        verbose_name = _("partner institution")
        verbose_name_plural = _("partner institutions")
        ordering = ["name", "id"]
        constraints = [
            # The service compares with casefold (non-ASCII too); this is the last guard.
            models.UniqueConstraint(Lower("name"), "centre", name="partner_unique_name_per_centre"),
        ]
        indexes = [models.Index(fields=["centre", "is_active", "kind"], name="partner_centre_active_kind")]

    def __str__(self) -> str:
        return self.name


class ReferralDirection(models.TextChoices):
    OUTGOING = "outgoing", _("Outgoing")
    INCOMING = "incoming", _("Incoming")


class Referral(TimeStamped):
    """A referral of a case to a partner (outgoing) or from one (incoming); case content.

    Status moves only through `casework.services.change_referral_status`. Whether it is overdue depends
    on the day, so selectors annotate `is_overdue` for the day they are asked about.
    """

    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        "casework.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="referrals"
    )
    direction = models.CharField(_("direction"), max_length=10, choices=ReferralDirection.choices)
    partner = models.ForeignKey(
        Partner, verbose_name=_("partner institution"), on_delete=models.PROTECT, related_name="referrals"
    )
    reason = models.TextField(_("reason"))
    documents = models.JSONField(_("documents"), default=list, blank=True)
    sent_on = models.DateField(_("sent on"))
    response_due_on = models.DateField(_("response due on"))
    status = models.CharField(_("status"), max_length=15, choices=ReferralStatus.choices, default=ReferralStatus.SENT)
    outcome = models.TextField(_("outcome"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    AUDITED_FIELDS = (
        "case", "direction", "partner", "reason", "documents", "sent_on", "response_due_on", "status", "outcome",
        "answered_on", "closed_on",
    )  # fmt: skip

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-sent_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(response_due_on__gte=models.F("sent_on")), name="referral_due_not_before_sent"
            ),
            models.CheckConstraint(
                condition=Q(status__in=[ReferralStatus.SENT, ReferralStatus.ACKNOWLEDGED]) | ~Q(outcome=""),
                name="referral_outcome_when_done",
            ),
            models.CheckConstraint(
                condition=~Q(status=ReferralStatus.ANSWERED) | Q(answered_on__isnull=False),
                name="referral_answered_on_when_answered",
            ),
        ]
        indexes = [
            models.Index(fields=["case", "-sent_on"], name="referral_case_sent"),
            models.Index(fields=["centre", "status", "response_due_on"], name="referral_centre_status_due"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.partner_id} ({self.sent_on})"

    @property
    def is_open(self) -> bool:
        return self.status != ReferralStatus.CLOSED

"""Community work: outreach events per territory, the potential recipients found there, staff group
supervision and the centre's calendar (decision 0016).

Tables only; writes go through the services of `outreach.py`, `supervision.py` and `calendar.py`, reads
through the selectors. An event's territory is a node of the territorial tree (eldership, village, community,
sołectwo); what the territory view shows is read from these rows.
"""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from socius.accounts.models import Centre, Territory, User
from socius.common.models import TimeStamped
from socius.community.statuses import (
    AttendeeConsent,
    CalendarKind,
    EventKind,
    EventStatus,
    FacilitatorKind,
    PartnerRole,
    RecipientStatus,
    SupervisionStatus,
)
from socius.registry.models import Person

# --- outreach -----------------------------------------------------------------------------------------


class OutreachEvent(TimeStamped):
    """A meeting with a community in one territory: planned, then held (with attendance, leaflets, questions,
    follow-ups and the potential recipients found) or cancelled."""

    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+")
    territory = models.ForeignKey(
        Territory, verbose_name=_("territory"), on_delete=models.PROTECT, related_name="outreach_events"
    )
    kind = models.CharField(_("type"), max_length=24, choices=EventKind.choices)
    status = models.CharField(_("status"), max_length=10, choices=EventStatus.choices, default=EventStatus.PLANNED)
    title = models.CharField(_("title"), max_length=200, blank=True)
    date = models.DateField(_("date"))  # planned date; once held, the day it was held
    starts_at = models.TimeField(_("starts at"), null=True, blank=True)
    ends_at = models.TimeField(_("ends at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)  # e.g. the eldership's hall
    staff = models.ManyToManyField(User, verbose_name=_("staff"), blank=True, related_name="outreach_events")
    headcount = models.PositiveIntegerField(_("attendance (headcount)"), null=True, blank=True)
    questions = models.TextField(_("questions raised"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    cancelled_reason = models.TextField(_("reason for cancelling"), blank=True)
    held_recorded_by = models.ForeignKey(
        User, verbose_name=_("recorded by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        User, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    AUDITED_FIELDS = (
        "territory", "kind", "status", "title", "date", "starts_at", "ends_at", "place", "headcount", "questions",
        "notes", "cancelled_reason",
    )  # fmt: skip

    class Meta:
        verbose_name = _("outreach event")
        verbose_name_plural = _("outreach events")
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["centre", "-date"], name="outreach_centre_date"),
            models.Index(fields=["territory", "date"], name="outreach_territory_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(starts_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="outreach_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.get_kind_display()} {self.date:%Y-%m-%d}"


class EventPartner(models.Model):
    """A partner present at (or invited to) an event: the elder, a sub-elder, the mayor, a school…"""

    event = models.ForeignKey(OutreachEvent, verbose_name=_("event"), on_delete=models.CASCADE, related_name="partners")
    role = models.CharField(_("role"), max_length=20, choices=PartnerRole.choices)
    name = models.CharField(_("name"), max_length=200, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    # A partner institution already in the centre's list (casework.Partner), when it is one.
    partner = models.ForeignKey(
        "casework.Partner", verbose_name=_("partner institution"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("event partner")
        verbose_name_plural = _("event partners")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name or self.organisation or self.get_role_display()


class EventAttendee(models.Model):
    """A named attendee, recorded only with their consent; everyone else is in the headcount."""

    event = models.ForeignKey(
        OutreachEvent, verbose_name=_("event"), on_delete=models.CASCADE, related_name="attendees"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200, blank=True)  # when the person is not in the registry
    consent = models.CharField(_("consent"), max_length=10, choices=AttendeeConsent.choices)
    consent_on = models.DateField(_("consent given on"))
    # A registered person's consent is also theirs in the registry (decision 0024): the list links to it.
    registry_consent = models.ForeignKey(
        "registry.Consent", verbose_name=_("consent in the registry"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(person__isnull=False) | ~Q(name=""), name="attendee_named"),
            models.UniqueConstraint(fields=["event", "person"], name="attendee_once_per_event"),
        ]

    def __str__(self) -> str:
        return self.name or str(self.person_id)


class LeafletCount(models.Model):
    """Leaflets handed out at an event about one service of the catalogue (services.catalogue code)."""

    event = models.ForeignKey(OutreachEvent, verbose_name=_("event"), on_delete=models.CASCADE, related_name="leaflets")
    service_code = models.CharField(_("service"), max_length=60)
    count = models.PositiveIntegerField(_("leaflets"))

    class Meta:
        verbose_name = _("leaflets handed out")
        verbose_name_plural = _("leaflets handed out")
        ordering = ["service_code"]
        constraints = [
            models.UniqueConstraint(fields=["event", "service_code"], name="leaflets_once_per_service"),
            models.CheckConstraint(condition=Q(count__gt=0), name="leaflets_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.service_code}: {self.count}"


class EventFollowUp(models.Model):
    """Something promised at an event: who does it and by when; done when it is."""

    event = models.ForeignKey(
        OutreachEvent, verbose_name=_("event"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    text = models.TextField(_("follow-up"))
    responsible = models.ForeignKey(
        User, verbose_name=_("responsible"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class PotentialRecipient(TimeStamped):
    """Someone who may need help but has not asked, found in the community (usually at an event).

    A name or a description, the need and the place. Turning it into a contact ("citizen heard") or a referral
    happens once (the status moves away from OPEN and the link is set in the same transaction); the report
    counts how many did.
    """

    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+")
    event = models.ForeignKey(
        OutreachEvent, verbose_name=_("event"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="potential_recipients",
    )  # fmt: skip
    name = models.CharField(_("name"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)  # when the name is not known
    need = models.TextField(_("need"))
    territory = models.ForeignKey(
        Territory, verbose_name=_("place"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    place = models.CharField(_("address or place"), max_length=200, blank=True)
    person = models.ForeignKey(
        Person, verbose_name=_("person"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # set when the person is (or becomes) known in the registry
    status = models.CharField(_("status"), max_length=10, choices=RecipientStatus.choices, default=RecipientStatus.OPEN)
    contact = models.OneToOneField(
        "casework.Contact", verbose_name=_("contact"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="potential_recipient",
    )  # fmt: skip
    referral = models.OneToOneField(
        "casework.Referral", verbose_name=_("referral"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="potential_recipient",
    )  # fmt: skip
    converted_on = models.DateField(_("followed up on"), null=True, blank=True)
    converted_by = models.ForeignKey(
        User, verbose_name=_("followed up by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    dismissed_reason = models.TextField(_("reason for dismissing"), blank=True)
    found_by = models.ForeignKey(User, verbose_name=_("found by"), on_delete=models.PROTECT, related_name="+")
    found_on = models.DateField(_("found on"))

    AUDITED_FIELDS = (
        "name", "description", "need", "territory", "place", "person", "status", "contact", "referral",
        "converted_on", "dismissed_reason",
    )  # fmt: skip

    class Meta:
        verbose_name = _("potential recipient")
        verbose_name_plural = _("potential recipients")
        ordering = ["-found_on", "-id"]
        indexes = [models.Index(fields=["centre", "status", "-found_on"], name="potrec_centre_status")]
        constraints = [
            models.CheckConstraint(condition=~Q(name="") | ~Q(description=""), name="potrec_name_or_description"),
            # A contact is recorded only by turning the recipient into one, and then it is set: counted once.
            models.CheckConstraint(
                condition=~Q(status=RecipientStatus.CONTACTED) | Q(contact__isnull=False), name="potrec_contact_set"
            ),
            models.CheckConstraint(
                condition=~Q(status=RecipientStatus.REFERRED) | Q(referral__isnull=False), name="potrec_referral_set"
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.description[:60]


# --- staff group supervision ---------------------------------------------------------------------------


class Supervision(TimeStamped):
    """A staff group supervision session. Its topics, notes and follow-ups are read only by its participants,
    its facilitator (when on staff) and the director; everyone else (the report too) sees that it took place,
    when, and how many took part."""

    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("starts at"), null=True, blank=True)
    ends_at = models.TimeField(_("ends at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SupervisionStatus.choices, default=SupervisionStatus.PLANNED
    )
    facilitator_kind = models.CharField(_("facilitator"), max_length=10, choices=FacilitatorKind.choices)
    facilitator = models.ForeignKey(
        User, verbose_name=_("facilitator (staff)"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    facilitator_name = models.CharField(_("facilitator (external)"), max_length=200, blank=True)
    participants = models.ManyToManyField(User, verbose_name=_("participants"), related_name="supervisions")
    topics = models.TextField(_("topics"), blank=True)  # restricted
    notes = models.TextField(_("notes"), blank=True)  # restricted
    created_by = models.ForeignKey(
        User, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    AUDITED_FIELDS = (
        "date",
        "starts_at",
        "ends_at",
        "status",
        "facilitator_kind",
        "facilitator",
        "facilitator_name",
    )  # fmt: skip  (topics and notes are restricted: the change trail says they changed, not what they say)

    class Meta:
        verbose_name = _("supervision")
        verbose_name_plural = _("supervisions")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["centre", "-date"], name="supervision_centre_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(facilitator__isnull=False) | ~Q(facilitator_name=""), name="supervision_has_facilitator"
            ),
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.date:%Y-%m-%d}"


class SupervisionFollowUp(models.Model):
    supervision = models.ForeignKey(
        Supervision, verbose_name=_("supervision"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    text = models.TextField(_("follow-up"))
    responsible = models.ForeignKey(
        User, verbose_name=_("responsible"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("supervision follow-up")
        verbose_name_plural = _("supervision follow-ups")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.text[:60]


# --- the centre's calendar -----------------------------------------------------------------------------


class CalendarEntry(TimeStamped):
    """A training, an office closure or another date of the centre. Outreach events, commission meetings and
    supervisions are drawn into the calendar from their own records, not copied here."""

    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("type"), max_length=16, choices=CalendarKind.choices)
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))  # inclusive; the same day for a one-day entry
    starts_at = models.TimeField(_("starts at"), null=True, blank=True)  # none: all day
    ends_at = models.TimeField(_("ends at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    territory = models.ForeignKey(
        Territory, verbose_name=_("territory"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    staff = models.ManyToManyField(User, verbose_name=_("staff"), blank=True, related_name="calendar_entries")
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    AUDITED_FIELDS = (
        "kind",
        "title",
        "starts_on",
        "ends_on",
        "starts_at",
        "ends_at",
        "place",
        "territory",
        "description",
    )

    class Meta:
        verbose_name = _("calendar entry")
        verbose_name_plural = _("calendar entries")
        ordering = ["starts_on", "starts_at", "id"]
        indexes = [models.Index(fields=["centre", "starts_on"], name="calentry_centre_start")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="calentry_ends_after_start"),
            models.CheckConstraint(
                condition=Q(kind__in=["training", "office_closure", "other"]), name="calentry_own_kinds"
            ),
        ]

    def __str__(self) -> str:
        return self.title


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeedToken(models.Model):
    """A user's private iCalendar feed address. Whoever holds the token reads that user's calendar (what the
    user may see, no personal data beyond it); rotating it revokes the old address."""

    user = models.OneToOneField(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"{self.user_id}"

"""The family assistant programme, child protection and the Blue Card (decision 0015).

Tables only; writes go through the services of `support.py`, `protection.py` and `bluecards.py`, and
reads through `selectors.py`. A family is a household of the registry (who lives with whom stays its
membership), a child is a person of the registry; every record hangs on a case of casework, except the
Blue Card, which is restricted to its group and kept apart from the case.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from socius.accounts.models import Centre, User
from socius.common.models import TimeStamped
from socius.family.statuses import (
    ActivityPlace,
    BlueCardClosureGround,
    BlueCardForm,
    BlueCardInitiator,
    BlueCardRole,
    BlueCardStatus,
    ChildStatus,
    ClosureOutcome,
    ConsentMethod,
    EnrolmentRoute,
    EnrolmentStatus,
    FormOfCare,
    MeetingBody,
    MeetingStatus,
    PlanItemStatus,
    TaskStatus,
    WorkArea,
    WorkPlanStatus,
)
from socius.registry.models import Household, Person

OPEN_ENROLMENT = Q(status__in=[EnrolmentStatus.REQUESTED, EnrolmentStatus.ACTIVE, EnrolmentStatus.MONITORING])


class AppendOnlyError(Exception):
    """An event row was about to be changed or deleted."""


class AppendOnly(models.Model):
    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} rows are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{type(self).__name__} rows are append-only.")


# --- the family assistant programme -------------------------------------------------------------------


class FamilyEnrolment(TimeStamped):
    """A family (household) in the family assistant programme, on a case, with one assistant.

    Requested by the social worker (the head of the centre approves and assigns the assistant), ordered
    by a court, or enrolled without a request where the law says so. Only ACTIVE enrolments count against
    the assistant's caseload cap (pack parameter `family_support/caseload_cap`). Closing the work gives an
    outcome and starts the monitoring the law gives (`family_support/monitoring_months`).
    """

    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        "casework.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="family_enrolments"
    )
    household = models.ForeignKey(
        Household, verbose_name=_("family"), on_delete=models.PROTECT, related_name="family_enrolments"
    )
    assistant = models.ForeignKey(
        User,
        verbose_name=_("family assistant"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="family_enrolments",
    )
    route = models.CharField(_("route"), max_length=12, choices=EnrolmentRoute.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=EnrolmentStatus.choices, default=EnrolmentStatus.REQUESTED
    )
    reason = models.TextField(_("reason"), blank=True)  # why the family needs an assistant (the interview's finding)
    requested_by = models.ForeignKey(User, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+")
    requested_on = models.DateField(_("requested on"))
    decided_by = models.ForeignKey(
        User, verbose_name=_("decided by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)
    court_name = models.CharField(_("court"), max_length=200, blank=True)
    court_reference = models.CharField(_("court file reference"), max_length=60, blank=True)
    court_order_on = models.DateField(_("court order dated"), null=True, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)
    started_on = models.DateField(_("work started on"), null=True, blank=True)
    closed_on = models.DateField(_("work closed on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=ClosureOutcome.choices, blank=True)
    closure_note = models.TextField(_("closure note"), blank=True)
    monitoring_until = models.DateField(_("monitoring until"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)  # monitoring over: the enrolment is closed
    # A family assistant project can run with its own fund (payments.Fund, kind "project").
    fund = models.ForeignKey(
        "payments.Fund", verbose_name=_("project fund"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="family_enrolments",
    )  # fmt: skip
    created_by = models.ForeignKey(
        User, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    AUDITED_FIELDS = (
        "case", "household", "assistant", "route", "status", "reason", "decided_by", "decided_on", "refusal_reason",
        "court_name", "court_reference", "court_order_on", "legal_basis", "started_on", "closed_on", "outcome",
        "closure_note", "monitoring_until", "ended_on", "fund",
    )  # fmt: skip

    class Meta:
        verbose_name = _("family enrolment")
        verbose_name_plural = _("family enrolments")
        ordering = ["-requested_on", "-id"]
        constraints = [
            # One open enrolment per family: a second request waits until the first is closed.
            models.UniqueConstraint(
                fields=["household"], condition=OPEN_ENROLMENT, name="enrolment_one_open_per_family"
            ),
            models.CheckConstraint(
                condition=Q(status__in=[EnrolmentStatus.REQUESTED, EnrolmentStatus.REFUSED])
                | Q(assistant__isnull=False, started_on__isnull=False),
                name="enrolment_assistant_when_working",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[EnrolmentStatus.MONITORING, EnrolmentStatus.CLOSED])
                | Q(closed_on__isnull=False) & ~Q(outcome="")
                | Q(status=EnrolmentStatus.CLOSED, started_on__isnull=True),
                name="enrolment_outcome_when_closed",
            ),
            models.CheckConstraint(
                condition=~Q(route=EnrolmentRoute.COURT_ORDER) | ~Q(court_name=""),
                name="enrolment_court_named_when_ordered",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(closed_on__gte=models.F("started_on")),
                name="enrolment_dates_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["assistant", "status"], name="enrolment_assistant_status"),
            models.Index(fields=["centre", "status"], name="enrolment_centre_status"),
            models.Index(fields=["case"], name="enrolment_case"),
        ]

    def __str__(self) -> str:
        return f"{_('Family enrolment')} {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in (EnrolmentStatus.REQUESTED, EnrolmentStatus.ACTIVE, EnrolmentStatus.MONITORING)


class EnrolmentConsent(models.Model):
    """A family member's consent to work with the assistant: who, when and how. Withdrawing it (a date on
    the row, never a deletion) ends the work unless a court ordered it."""

    enrolment = models.ForeignKey(
        FamilyEnrolment, verbose_name=_("enrolment"), on_delete=models.CASCADE, related_name="consents"
    )
    person = models.ForeignKey(Person, verbose_name=_("who consented"), on_delete=models.PROTECT, related_name="+")
    given_on = models.DateField(_("given on"))
    method = models.CharField(_("how"), max_length=12, choices=ConsentMethod.choices)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(User, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+")
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_note = models.TextField(_("reason for withdrawal"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    AUDITED_FIELDS = ("enrolment", "person", "given_on", "method", "note", "withdrawn_on", "withdrawal_note")

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["given_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "person"],
                condition=Q(withdrawn_on__isnull=True),
                name="consent_one_live_per_person",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=models.F("given_on")),
                name="consent_withdrawn_after_given",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.given_on}"


class WorkPlan(models.Model):
    """One version of the family's work plan (PL art. 15 ust. 1 pkt 1 and ust. 3): drafted by the assistant,
    agreed with the family and the social worker. Re-agreeing writes a new version and supersedes the old one,
    so the versions are the plan's history."""

    enrolment = models.ForeignKey(
        FamilyEnrolment, verbose_name=_("enrolment"), on_delete=models.PROTECT, related_name="work_plans"
    )
    version = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=12, choices=WorkPlanStatus.choices, default=WorkPlanStatus.DRAFT)
    agreed_on = models.DateField(_("agreed on"), null=True, blank=True)
    agreed_with = models.ManyToManyField(Person, verbose_name=_("agreed with"), blank=True, related_name="+")
    social_worker = models.ForeignKey(
        User, verbose_name=_("social worker consulted"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    review_on = models.DateField(_("review on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(User, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    AUDITED_FIELDS = ("enrolment", "version", "status", "agreed_on", "social_worker", "review_on", "note")

    class Meta:
        verbose_name = _("work plan")
        verbose_name_plural = _("work plans")
        ordering = ["enrolment", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "version"], name="workplan_unique_version"),
            models.UniqueConstraint(
                fields=["enrolment"], condition=Q(status=WorkPlanStatus.AGREED), name="workplan_one_agreed"
            ),
            models.UniqueConstraint(
                fields=["enrolment"], condition=Q(status=WorkPlanStatus.DRAFT), name="workplan_one_draft"
            ),
            models.CheckConstraint(
                condition=Q(status=WorkPlanStatus.DRAFT) | Q(agreed_on__isnull=False), name="workplan_agreed_dated"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} v{self.version}"


class WorkPlanItem(models.Model):
    """One line of a work plan: in an area, a goal, the action, who does it, by when, and the effect expected."""

    plan = models.ForeignKey(WorkPlan, verbose_name=_("work plan"), on_delete=models.CASCADE, related_name="items")
    area = models.CharField(_("area"), max_length=20, choices=WorkArea.choices)
    goal = models.CharField(_("goal"), max_length=500)
    action = models.TextField(_("action"))
    responsible = models.CharField(_("who does it"), max_length=200)
    due_on = models.DateField(_("deadline"), null=True, blank=True)
    expected_effect = models.TextField(_("expected effect"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=PlanItemStatus.choices, default=PlanItemStatus.PLANNED
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    AUDITED_FIELDS = ("area", "goal", "action", "responsible", "due_on", "expected_effect", "status", "done_on")

    class Meta:
        verbose_name = _("work plan item")
        verbose_name_plural = _("work plan items")
        ordering = ["plan", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=PlanItemStatus.DONE) | Q(done_on__isnull=False), name="workplanitem_done_dated"
            ),
        ]
        indexes = [models.Index(fields=["plan", "status", "due_on"], name="workplanitem_plan_status_due")]

    def __str__(self) -> str:
        return self.goal


class AssistantActivity(models.Model):
    """One entry of the assistant's activity log: when, where, how long, the areas worked on, who took part.
    The monthly timesheet sums `minutes` per assistant."""

    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+")
    enrolment = models.ForeignKey(
        FamilyEnrolment, verbose_name=_("enrolment"), on_delete=models.PROTECT, related_name="activities"
    )
    assistant = models.ForeignKey(
        User, verbose_name=_("family assistant"), on_delete=models.PROTECT, related_name="family_activities"
    )
    on = models.DateField(_("date"))
    minutes = models.PositiveIntegerField(_("duration (minutes)"))
    place = models.CharField(_("place"), max_length=12, choices=ActivityPlace.choices)
    areas = models.JSONField(_("areas worked on"), default=list)
    family_members = models.ManyToManyField(
        Person, verbose_name=_("family members present"), blank=True, related_name="+"
    )
    partners = models.ManyToManyField(
        "casework.Partner", verbose_name=_("partner institutions present"), blank=True, related_name="+"
    )
    others_present = models.CharField(_("others present"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    AUDITED_FIELDS = ("enrolment", "assistant", "on", "minutes", "place", "areas", "others_present", "notes")

    class Meta:
        verbose_name = _("assistant activity")
        verbose_name_plural = _("assistant activities")
        ordering = ["-on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(minutes__gt=0, minutes__lte=24 * 60), name="activity_minutes_in_a_day"),
        ]
        indexes = [
            models.Index(fields=["assistant", "on"], name="activity_assistant_on"),
            models.Index(fields=["enrolment", "-on", "-id"], name="activity_enrolment_on"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} {self.on}"


class FamilyAssessment(models.Model):
    """A periodic assessment of the family's situation (PL art. 15 ust. 1, at least every
    `family_support/assessment_interval_months`), for the centre; or, at a court's request, the assistant's
    opinion on the family for the court (`court_name` set)."""

    enrolment = models.ForeignKey(
        FamilyEnrolment, verbose_name=_("enrolment"), on_delete=models.PROTECT, related_name="assessments"
    )
    assessed_on = models.DateField(_("assessed on"))
    period_from = models.DateField(_("period from"))
    period_until = models.DateField(_("period until"))
    situation = models.TextField(_("the family's situation"))
    progress = models.JSONField(_("progress per area"), default=dict, blank=True)  # {area: text}
    strengths = models.TextField(_("strengths"), blank=True)
    difficulties = models.TextField(_("difficulties"), blank=True)
    recommendation = models.TextField(_("recommendation"))
    is_court_opinion = models.BooleanField(_("opinion for the court"), default=False)
    court_name = models.CharField(_("court"), max_length=200, blank=True)
    court_reference = models.CharField(_("court file reference"), max_length=60, blank=True)
    requested_on = models.DateField(_("requested on"), null=True, blank=True)
    author = models.ForeignKey(User, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    AUDITED_FIELDS = (
        "enrolment", "assessed_on", "period_from", "period_until", "situation", "progress", "strengths",
        "difficulties", "recommendation", "is_court_opinion", "court_name", "court_reference", "requested_on",
    )  # fmt: skip

    class Meta:
        verbose_name = _("family assessment")
        verbose_name_plural = _("family assessments")
        ordering = ["-assessed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_until__gte=models.F("period_from")), name="assessment_period_ordered"
            ),
            models.CheckConstraint(
                condition=Q(is_court_opinion=False) | ~Q(court_name=""), name="assessment_court_named_for_opinion"
            ),
        ]
        indexes = [models.Index(fields=["enrolment", "-assessed_on"], name="assessment_enrolment_on")]

    def __str__(self) -> str:
        return f"{self.enrolment_id} {self.assessed_on}"


# --- child protection ------------------------------------------------------------------------------------


class ChildInDifficulty(TimeStamped):
    """A child of the registry recorded as in difficulty in a centre, on a case, with a responsible worker.
    Risks are codes of `ChildRisk`; the form of care is the child's `placements` (the current one has no end)."""

    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey(Person, verbose_name=_("child"), on_delete=models.PROTECT, related_name="child_records")
    case = models.ForeignKey(
        "casework.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="children_in_difficulty"
    )
    responsible_worker = models.ForeignKey(
        User, verbose_name=_("responsible worker"), on_delete=models.PROTECT, related_name="children_in_difficulty"
    )
    risks = models.JSONField(_("risks"), default=list)
    status = models.CharField(_("status"), max_length=10, choices=ChildStatus.choices, default=ChildStatus.OPEN)
    identified_on = models.DateField(_("identified on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closure_note = models.TextField(_("closure note"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    AUDITED_FIELDS = (
        "child", "case", "responsible_worker", "risks", "status", "identified_on", "closed_on", "closure_note", "notes",
    )  # fmt: skip

    class Meta:
        verbose_name = _("child in difficulty")
        verbose_name_plural = _("children in difficulty")
        ordering = ["-identified_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "child"],
                condition=Q(status=ChildStatus.OPEN),
                name="child_one_open_record_per_centre",
            ),
            models.CheckConstraint(
                condition=Q(status=ChildStatus.OPEN, closed_on__isnull=True)
                | Q(status=ChildStatus.CLOSED, closed_on__isnull=False),
                name="child_closure_consistent",
            ),
        ]
        indexes = [
            models.Index(fields=["centre", "status"], name="child_centre_status"),
            models.Index(fields=["responsible_worker", "status"], name="child_worker_status"),
            models.Index(fields=["case"], name="child_case"),
        ]

    def __str__(self) -> str:
        return f"{_('Child')} {self.child_id}"


class Placement(models.Model):
    """A form of care of a child for a period: the history of forms of care, the current one without an end.
    A meeting's decision may have ordered it."""

    record = models.ForeignKey(
        ChildInDifficulty, verbose_name=_("child"), on_delete=models.CASCADE, related_name="placements"
    )
    form = models.CharField(_("form of care"), max_length=20, choices=FormOfCare.choices)
    valid_from = models.DateField(_("from"))
    valid_until = models.DateField(_("until"), null=True, blank=True)  # exclusive
    carer = models.CharField(_("carer or institution"), max_length=300, blank=True)
    partner = models.ForeignKey(
        "casework.Partner", verbose_name=_("institution"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    decision = models.ForeignKey(
        "MeetingDecision", verbose_name=_("decision"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="placements",
    )  # fmt: skip
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(User, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    AUDITED_FIELDS = (
        "record",
        "form",
        "valid_from",
        "valid_until",
        "carer",
        "partner",
        "decision",
        "legal_basis",
        "note",
    )

    class Meta:
        verbose_name = _("form of care")
        verbose_name_plural = _("forms of care")
        ordering = ["record", "valid_from", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["record"], condition=Q(valid_until__isnull=True), name="placement_one_current_per_child"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gt=models.F("valid_from")),
                name="placement_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.record_id} {self.form} {self.valid_from}"


class Meeting(TimeStamped):
    """A meeting of a body on children's cases (MD commission, PL interdisciplinary team or group, LT
    meetings): a schedule, an agenda of the cases put forward, the members present, minutes, decisions."""

    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+")
    body = models.CharField(_("body"), max_length=30, choices=MeetingBody.choices)
    scheduled_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    chair = models.ForeignKey(
        User, verbose_name=_("chair"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The quorum the pack sets for the body on the meeting's day (None: the law sets none).
    quorum = models.PositiveSmallIntegerField(_("quorum"), null=True, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    held_on = models.DateField(_("held on"), null=True, blank=True)
    cancellation_reason = models.TextField(_("reason for cancellation"), blank=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    AUDITED_FIELDS = (
        "body",
        "scheduled_at",
        "place",
        "status",
        "chair",
        "quorum",
        "minutes",
        "held_on",
        "cancellation_reason",
    )

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-scheduled_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=MeetingStatus.HELD) | Q(held_on__isnull=False), name="meeting_held_dated"
            ),
        ]
        indexes = [models.Index(fields=["centre", "scheduled_at"], name="meeting_centre_scheduled")]

    def __str__(self) -> str:
        return f"{self.get_body_display()} {self.scheduled_at:%Y-%m-%d}"


class MeetingMember(models.Model):
    """A member of the meeting (staff, or a member from a partner institution) and whether they were present."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        User, verbose_name=_("staff member"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200, blank=True)  # a member who is not staff of the centre
    partner = models.ForeignKey(
        "casework.Partner", verbose_name=_("institution"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    role = models.CharField(_("role"), max_length=100, blank=True)
    is_voting = models.BooleanField(_("voting member"), default=True)
    is_present = models.BooleanField(_("present"), null=True, blank=True)  # None until the meeting is held

    class Meta:
        verbose_name = _("meeting member")
        verbose_name_plural = _("meeting members")
        ordering = ["meeting", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(user__isnull=False) | ~Q(name=""), name="meetingmember_named"),
            models.UniqueConstraint(
                fields=["meeting", "user"], condition=Q(user__isnull=False), name="meetingmember_user_once"
            ),
        ]

    def __str__(self) -> str:
        return self.name or str(self.user_id)


class AgendaItem(models.Model):
    """A case put forward for a meeting (for one child, or the family as a whole)."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="agenda")
    case = models.ForeignKey("casework.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey(
        ChildInDifficulty, verbose_name=_("child"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="agenda_items",
    )  # fmt: skip
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    summary = models.TextField(_("question for the meeting"))
    proposed_by = models.ForeignKey(User, verbose_name=_("put forward by"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "child"], condition=Q(child__isnull=False), name="agenda_child_once_per_meeting"
            ),
        ]
        indexes = [models.Index(fields=["case"], name="agenda_case")]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.case_id}"


class MeetingDecision(models.Model):
    """The meeting's decision on one agenda item: the form of care (when it decides one), the support
    measures, who answers for them, and when the case comes back for review."""

    item = models.OneToOneField(
        AgendaItem, verbose_name=_("agenda item"), on_delete=models.PROTECT, related_name="decision"
    )
    form_of_care = models.CharField(_("form of care"), max_length=20, choices=FormOfCare.choices, blank=True)
    care_from = models.DateField(_("form of care from"), null=True, blank=True)
    support_measures = models.TextField(_("support measures"), blank=True)
    text = models.TextField(_("decision"))
    responsible = models.ManyToManyField(User, verbose_name=_("responsible persons"), blank=True, related_name="+")
    review_on = models.DateField(_("review on"), null=True, blank=True)
    decided_by = models.ForeignKey(User, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    AUDITED_FIELDS = ("item", "form_of_care", "care_from", "support_measures", "text", "review_on")

    class Meta:
        verbose_name = _("meeting decision")
        verbose_name_plural = _("meeting decisions")
        constraints = [
            models.CheckConstraint(
                condition=Q(form_of_care="") | Q(care_from__isnull=False), name="decision_care_dated"
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Decision')} {self.pk}"


class FollowUpTask(models.Model):
    """A task that goes back to the case: from a meeting's decision (or set on the case by hand); it is on
    the assigned worker's desk until done."""

    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        "casework.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="follow_up_tasks"
    )
    decision = models.ForeignKey(
        MeetingDecision, verbose_name=_("decision"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="tasks",
    )  # fmt: skip
    assigned_to = models.ForeignKey(
        User, verbose_name=_("assigned to"), on_delete=models.PROTECT, related_name="follow_up_tasks"
    )
    description = models.CharField(_("task"), max_length=500)
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    created_by = models.ForeignKey(User, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    AUDITED_FIELDS = ("case", "decision", "assigned_to", "description", "due_on", "status", "done_on", "outcome")

    class Meta:
        verbose_name = _("follow-up task")
        verbose_name_plural = _("follow-up tasks")
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=TaskStatus.DONE) | Q(done_on__isnull=False), name="task_done_dated"
            ),
        ]
        indexes = [
            models.Index(fields=["assigned_to", "status", "due_on"], name="task_assignee_status_due"),
            models.Index(fields=["case", "status"], name="task_case_status"),
        ]

    def __str__(self) -> str:
        return self.description


class FamilyEventKind(models.TextChoices):
    ENROLMENT_REQUESTED = "enrol_requested", _("Family assistant requested")
    ENROLMENT_APPROVED = "enrol_approved", _("Family assistant assigned")
    ENROLMENT_REFUSED = "enrol_refused", _("Family assistant refused")
    ENROLMENT_ORDERED = "enrol_ordered", _("Family assistant ordered by a court")
    ENROLMENT_STATUTORY = "enrol_statutory", _("Family assistant assigned by law")
    ASSISTANT_CHANGED = "assistant_changed", _("Family assistant changed")
    CONSENT_GIVEN = "consent_given", _("Consent given")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")
    WORK_PLAN_AGREED = "plan_agreed", _("Work plan agreed")
    ACTIVITY_LOGGED = "activity_logged", _("Family assistant's work")
    ASSESSMENT_MADE = "assessment_made", _("Family situation assessed")
    COURT_OPINION = "court_opinion", _("Opinion for the court")
    WORK_CLOSED = "work_closed", _("Family assistant's work closed")
    WORK_RESUMED = "work_resumed", _("Family assistant's work resumed")
    MONITORING_ENDED = "monitoring_ended", _("Monitoring ended")
    CHILD_RECORDED = "child_recorded", _("Child in difficulty recorded")
    CHILD_CLOSED = "child_closed", _("Child no longer in difficulty")
    RISKS_CHANGED = "risks_changed", _("Risks changed")
    CARE_CHANGED = "care_changed", _("Form of care changed")
    AGENDA_ADDED = "agenda_added", _("Put forward to a meeting")
    MEETING_DECISION = "meeting_decision", _("Meeting decision")
    TASK_CREATED = "task_created", _("Follow-up task")
    TASK_DONE = "task_done", _("Follow-up task done")


class FamilyEvent(AppendOnly):
    """One row of a case's timeline from this app (case timeline's UNION ALL, decision 0006)."""

    case = models.ForeignKey(
        "casework.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="family_events"
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        User, verbose_name=_("user"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=FamilyEventKind.choices)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("family event")
        verbose_name_plural = _("family events")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at", "id"], name="familyevent_case_at")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"


# --- the Blue Card ---------------------------------------------------------------------------------------


class BlueCardCounter(models.Model):
    """The last Blue Card number per centre and year; its row lock serialises numbering."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["centre", "year"], name="bluecardcounter_unique_centre_year")]

    def __str__(self) -> str:
        return f"{self.centre_id}/{self.year}: {self.last_number}"


class BlueCard(TimeStamped):
    """A Blue Card procedure (PL "Niebieska Karta"). Restricted: only the members of its diagnostic-and-
    support group and the director see it (everyone else, auditors included, is answered "not found"),
    every view is audited, and nothing about the persons affected is ever shown or sent to the person
    suspected of violence. Not on the case timeline: the case's other readers must not learn of it."""

    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    number = models.PositiveIntegerField(_("number"), editable=False)
    reference = models.CharField(_("reference number"), max_length=24, editable=False)
    initiator = models.CharField(_("started by"), max_length=20, choices=BlueCardInitiator.choices)
    initiator_name = models.CharField(_("name of who filled in NK-A"), max_length=200, blank=True)
    initiator_institution = models.CharField(_("institution"), max_length=200, blank=True)
    started_on = models.DateField(_("NK-A filled in on"))
    received_on = models.DateField(_("received on"))  # by the chair of the interdisciplinary team
    status = models.CharField(
        _("status"), max_length=12, choices=BlueCardStatus.choices, default=BlueCardStatus.STARTED
    )
    household = models.ForeignKey(
        Household, verbose_name=_("household"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    first_meeting_due_on = models.DateField(_("first group meeting due on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closure_ground = models.CharField(
        _("closure ground"), max_length=20, choices=BlueCardClosureGround.choices, blank=True
    )
    closure_note = models.TextField(_("closure note"), blank=True)
    recorded_by = models.ForeignKey(User, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+")

    AUDITED_FIELDS = (
        "initiator", "initiator_name", "initiator_institution", "started_on", "received_on", "status", "household",
        "first_meeting_due_on", "closed_on", "closure_ground", "closure_note",
    )  # fmt: skip

    class Meta:
        verbose_name = _("Blue Card")
        verbose_name_plural = _("Blue Cards")
        ordering = ["-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "reference"], name="bluecard_unique_reference_per_centre"),
            models.CheckConstraint(
                condition=Q(status=BlueCardStatus.CLOSED, closed_on__isnull=False) & ~Q(closure_ground="")
                | ~Q(status=BlueCardStatus.CLOSED) & Q(closed_on__isnull=True, closure_ground=""),
                name="bluecard_closure_consistent",
            ),
        ]
        indexes = [models.Index(fields=["centre", "status"], name="bluecard_centre_status")]

    def __str__(self) -> str:
        return self.reference


class BlueCardParty(models.Model):
    """A person the procedure is about: affected by violence, suspected of it, or a witness."""

    card = models.ForeignKey(BlueCard, verbose_name=_("Blue Card"), on_delete=models.CASCADE, related_name="parties")
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=10, choices=BlueCardRole.choices)

    class Meta:
        verbose_name = _("person in the procedure")
        verbose_name_plural = _("persons in the procedure")
        constraints = [models.UniqueConstraint(fields=["card", "person"], name="bluecardparty_person_once")]
        indexes = [models.Index(fields=["person"], name="bluecardparty_person")]

    def __str__(self) -> str:
        return f"{self.card_id} {self.role} {self.person_id}"


class BlueCardMember(models.Model):
    """A member of the card's diagnostic-and-support group (at least a social worker and a police officer).
    Staff members (`user`) see the card while they are members (`removed_on` empty)."""

    card = models.ForeignKey(BlueCard, verbose_name=_("Blue Card"), on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        User, verbose_name=_("staff member"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    institution = models.CharField(_("institution"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=100, blank=True)  # e.g. social worker, police officer
    added_on = models.DateField(_("member since"))
    removed_on = models.DateField(_("member until"), null=True, blank=True)

    class Meta:
        verbose_name = _("group member")
        verbose_name_plural = _("group members")
        ordering = ["card", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(user__isnull=False) | ~Q(name=""), name="bluecardmember_named"),
            models.UniqueConstraint(
                fields=["card", "user"], condition=Q(user__isnull=False, removed_on__isnull=True),
                name="bluecardmember_user_once",
            ),
        ]  # fmt: skip
        indexes = [models.Index(fields=["user", "removed_on"], name="bluecardmember_user")]

    def __str__(self) -> str:
        return self.name or str(self.user_id)


class BlueCardFormRecord(models.Model):
    """A filled form of the procedure: NK-A (start), NK-B (handed to the person affected), NK-C (with the
    person affected), NK-D (with the person suspected). `answers` holds the form's sections as JSON."""

    card = models.ForeignKey(BlueCard, verbose_name=_("Blue Card"), on_delete=models.CASCADE, related_name="forms")
    form = models.CharField(_("form"), max_length=4, choices=BlueCardForm.choices)
    person = models.ForeignKey(
        Person, verbose_name=_("filled in with"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    filled_on = models.DateField(_("filled in on"))
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    filled_by = models.ForeignKey(User, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("Blue Card form")
        verbose_name_plural = _("Blue Card forms")
        ordering = ["card", "filled_on", "id"]

    def __str__(self) -> str:
        return f"{self.card_id} {self.form}"


class BlueCardMeeting(models.Model):
    """A meeting of the card's group: who was there, what was agreed, when it meets next."""

    card = models.ForeignKey(BlueCard, verbose_name=_("Blue Card"), on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    present = models.ManyToManyField(BlueCardMember, verbose_name=_("present"), blank=True, related_name="+")
    notes = models.TextField(_("notes"))
    next_meeting_on = models.DateField(_("next meeting on"), null=True, blank=True)
    recorded_by = models.ForeignKey(User, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("group meeting")
        verbose_name_plural = _("group meetings")
        ordering = ["card", "held_on", "id"]

    def __str__(self) -> str:
        return f"{self.card_id} {self.held_on}"


class BlueCardPlanItem(models.Model):
    """A measure of the individual help plan the group drafts with the person affected (after NK-C)."""

    card = models.ForeignKey(BlueCard, verbose_name=_("Blue Card"), on_delete=models.CASCADE, related_name="plan_items")
    person = models.ForeignKey(Person, verbose_name=_("for"), on_delete=models.PROTECT, related_name="+")
    measure = models.TextField(_("measure"))
    responsible = models.CharField(_("who does it"), max_length=200)
    due_on = models.DateField(_("deadline"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    agreed_on = models.DateField(_("agreed on"))
    recorded_by = models.ForeignKey(User, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("help plan measure")
        verbose_name_plural = _("help plan measures")
        ordering = ["card", "agreed_on", "id"]

    def __str__(self) -> str:
        return self.measure[:60]


class BlueCardMonitoring(models.Model):
    """A monitoring note (during the procedure and after it is closed)."""

    card = models.ForeignKey(BlueCard, verbose_name=_("Blue Card"), on_delete=models.CASCADE, related_name="monitoring")
    on = models.DateField(_("date"))
    note = models.TextField(_("note"))
    recorded_by = models.ForeignKey(User, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("monitoring note")
        verbose_name_plural = _("monitoring notes")
        ordering = ["card", "on", "id"]

    def __str__(self) -> str:
        return f"{self.card_id} {self.on}"


class BlueCardEvent(AppendOnly):
    """The card's own history (status moves, forms, meetings, membership), seen only by who sees the card."""

    card = models.ForeignKey(BlueCard, verbose_name=_("Blue Card"), on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        User, verbose_name=_("user"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=30)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("Blue Card event")
        verbose_name_plural = _("Blue Card events")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["card", "at"], name="bluecardevent_card_at")]

    def __str__(self) -> str:
        return f"{self.card_id} {self.kind}"

"""API shapes for casework: contacts, cases (summary or content), timelines and actions. Shape only.

Business checks (codes of the jurisdiction, persons of the centre, allowed transitions) live in the
services; the serializers only type the input so the services get ints, dates and lists.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from socius.casework import statutory
from socius.casework.models import ContactChannel
from socius.casework.statuses import CaseStatus, ClosureReason
from socius.common.api import IdField, IdListField
from socius.common.limits import NOTES_MAX_LENGTH


def _name(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


class CodeLabelSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField(help_text="In the reader's language (Accept-Language, else the user's language).")
    statutory_label = serializers.CharField(help_text="The jurisdiction's own wording: the authoritative text.")
    legal_basis = serializers.CharField(help_text="The provision it rests on; empty for practice lists.")


def code_labels(codes, items) -> list[dict]:
    """[{code, label, statutory_label, legal_basis}] for the codes, in their order (an unknown code: itself)."""
    by_code = {item.code: item for item in items}
    result = []
    for code in codes:
        item = by_code.get(code)
        result.append(
            {
                "code": code,
                "label": item.label if item else code,
                "statutory_label": item.statutory if item else code,
                "legal_basis": item.legal_basis if item else "",
            }
        )
    return result


# --- contacts -------------------------------------------------------------------------------------


class ContactSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    occurred_at = serializers.DateTimeField(help_text="When the contact took place (ISO 8601); not in the future.")
    channel = serializers.ChoiceField(choices=ContactChannel.choices)
    persons = IdListField(
        required=False,
        default=list,
        help_text="Ids of the persons heard (of your centre); empty for an anonymous contact.",
    )
    household = IdField(source="household_id", required=False, allow_null=True, help_text="Household id, or null.")
    topics = serializers.ListField(
        child=serializers.CharField(max_length=60),
        required=False,
        default=list,
        help_text="Topic codes of your centre's jurisdiction; at least one.",
    )
    outcomes = serializers.ListField(
        child=serializers.CharField(max_length=60),
        required=False,
        default=list,
        help_text="What was done: outcome codes of your centre's jurisdiction.",
    )
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=NOTES_MAX_LENGTH)
    handled_by = IdField(
        source="handled_by_id",
        required=False,
        allow_null=True,
        help_text="The member of staff who handled it (user id); you when left out.",
    )
    created_at = serializers.DateTimeField(read_only=True)
    content_withheld = serializers.BooleanField(
        read_only=True,
        default=False,
        help_text="True for readers who do no casework (finance, auditor, administrator): notes are empty and "
        "sensitive topics (health, violence, disability) left out.",
    )

    topic_labels = serializers.SerializerMethodField(help_text="The topics with their labels (codes as in topics).")
    outcome_labels = serializers.SerializerMethodField(help_text="The outcomes with their labels.")

    def _jurisdiction(self, contact) -> str:
        # The caller's centre: every contact they may read is of it (one query per response, not per contact).
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is not None and getattr(user, "centre_id", None) == contact.centre_id:
            return user.centre.jurisdiction
        return contact.centre.jurisdiction

    @extend_schema_field(CodeLabelSerializer(many=True))
    def get_topic_labels(self, contact) -> list[dict]:
        topics = contact.shown_topics if getattr(contact, "content_withheld", False) else contact.topics
        return code_labels(topics, statutory.contact_topics(self._jurisdiction(contact)))

    @extend_schema_field(CodeLabelSerializer(many=True))
    def get_outcome_labels(self, contact) -> list[dict]:
        return code_labels(contact.outcomes, statutory.contact_outcomes(self._jurisdiction(contact)))

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if getattr(instance, "content_withheld", False):
            data["notes"] = ""
            data["topics"] = list(instance.shown_topics)
        return data

    def service_data(self) -> dict:
        data = self.validated_data
        return {
            "occurred_at": data["occurred_at"],
            "channel": data["channel"],
            "persons": data.get("persons") or [],
            "household": data.get("household_id"),
            "topics": data.get("topics") or [],
            "outcomes": data.get("outcomes") or [],
            "notes": data.get("notes") or "",
            "handled_by": data.get("handled_by_id"),
        }


class ContactQuerySerializer(serializers.Serializer):
    """The filters of the contact list, read from the query string."""

    person = IdField(required=False, help_text="Contacts with this person (id).")
    household = IdField(required=False, help_text="Contacts of this household (id).")
    date_from = serializers.DateField(required=False, help_text="On or after this day (inclusive).")
    date_to = serializers.DateField(required=False, help_text="On or before this day (inclusive).")


# --- cases ----------------------------------------------------------------------------------------


class _CaseBase(serializers.Serializer):
    """Works on both a Case and a selectors.CaseSummary: the fields they share."""

    id = serializers.IntegerField(read_only=True)
    reference = serializers.CharField(read_only=True, help_text="The centre's reference number, e.g. 2026/0007.")
    status = serializers.ChoiceField(choices=CaseStatus.choices, read_only=True)
    opened_on = serializers.DateField(read_only=True)
    closed_on = serializers.DateField(read_only=True, allow_null=True)
    household = serializers.SerializerMethodField(help_text="The household's id, or null for a single person's case.")
    person = serializers.SerializerMethodField(help_text="The person's id for a single person's case, or null.")
    assigned_worker = serializers.SerializerMethodField(help_text="Who holds the case (user id).")
    assigned_worker_name = serializers.SerializerMethodField()
    team = serializers.SerializerMethodField(help_text="The team (problem group) of the case (id).")
    team_name = serializers.SerializerMethodField()

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_household(self, case) -> int | None:
        return case.household.pk if case.household is not None else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_person(self, case) -> int | None:
        return case.person.pk if case.person is not None else None

    def get_assigned_worker(self, case) -> int:
        return case.assigned_worker.pk

    def get_assigned_worker_name(self, case) -> str:
        return _name(case.assigned_worker)

    def get_team(self, case) -> int:
        return case.team.pk

    def get_team_name(self, case) -> str:
        return case.team.label


class CaseSummarySerializer(_CaseBase):
    """What everyone of the centre may see: that the case exists and who holds it."""

    content_visible = serializers.BooleanField(
        source="can_view_content",
        read_only=True,
        help_text="Whether you may read the case's content (GET /cases/{id}/ then answers it).",
    )


class CaseSerializer(_CaseBase):
    """A case as GET /cases/{id}/ answers it: the content fields are null unless content_visible."""

    content_visible = serializers.SerializerMethodField(
        help_text="True for the assigned worker, the team leader of the case's team, the director and staff the "
        "case is shared with (the view is audited); false for the rest of the centre, who get the summary only."
    )
    circumstances = serializers.SerializerMethodField(help_text="Qualifying circumstance codes; null without content.")
    circumstance_labels = serializers.SerializerMethodField(
        help_text="The circumstances with their labels in the reader's language and the statutory wording; "
        "null without content."
    )
    closure_reason = serializers.SerializerMethodField(
        help_text="Why it was closed; null when open or without content."
    )
    notes = serializers.SerializerMethodField(help_text="Null without content.")
    shared_with = serializers.SerializerMethodField(
        help_text="Ids of staff the case is shared with; null without content."
    )

    def _visible(self) -> bool:
        return bool(self.context.get("content_visible"))

    def get_content_visible(self, case) -> bool:
        return self._visible()

    @extend_schema_field(serializers.ListField(child=serializers.CharField(), allow_null=True))
    def get_circumstances(self, case):
        return list(case.circumstances) if self._visible() else None

    @extend_schema_field(CodeLabelSerializer(many=True, allow_null=True))
    def get_circumstance_labels(self, case):
        if not self._visible():
            return None
        return code_labels(case.circumstances, statutory.circumstances(case.centre.jurisdiction, on=case.opened_on))

    @extend_schema_field(serializers.ChoiceField(choices=ClosureReason.choices, allow_null=True))
    def get_closure_reason(self, case):
        return (case.closure_reason or None) if self._visible() else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_notes(self, case):
        return case.notes if self._visible() else None

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField(), allow_null=True))
    def get_shared_with(self, case):
        if not self._visible():
            return None
        return sorted(case.shares.values_list("user_id", flat=True))


class CaseOpenSerializer(serializers.Serializer):
    """Input of POST /cases/: for a household or a single person (exactly one of the two)."""

    household = IdField(required=False, allow_null=True)
    person = IdField(required=False, allow_null=True)
    circumstances = serializers.ListField(
        child=serializers.CharField(max_length=60),
        required=False,
        default=list,
        help_text="Qualifying circumstance codes in force on opened_on; at least one.",
    )
    assigned_worker = IdField(
        required=False,
        allow_null=True,
        help_text="User id; you when left out (only team leaders and the director may assign someone else).",
    )
    team = IdField(required=False, allow_null=True, help_text="Team id; the worker's only team when left out.")
    opened_on = serializers.DateField(required=False, allow_null=True, help_text="Today when left out.")
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=NOTES_MAX_LENGTH)
    status = serializers.ChoiceField(
        choices=[(s.value, s.label) for s in (CaseStatus.OPENED, CaseStatus.ACTIVE)],
        required=False,
        default=CaseStatus.OPENED.value,
        help_text='"opened" when left out; "active" opens the case and moves it to active at once (both moves on '
        "the timeline).",
    )


class CaseStatusSerializer(serializers.Serializer):
    """What an action endpoint answers: the case's status after the change."""

    id = serializers.IntegerField(read_only=True)
    reference = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(choices=CaseStatus.choices, read_only=True)
    closure_reason = serializers.SerializerMethodField()
    opened_on = serializers.DateField(read_only=True)
    closed_on = serializers.DateField(read_only=True, allow_null=True)

    @extend_schema_field(CodeLabelSerializer(many=True, allow_null=True))
    def get_circumstance_labels(self, case):
        if not self._visible():
            return None
        return code_labels(case.circumstances, statutory.circumstances(case.centre.jurisdiction, on=case.opened_on))

    @extend_schema_field(serializers.ChoiceField(choices=ClosureReason.choices, allow_null=True))
    def get_closure_reason(self, case):
        return case.closure_reason or None


class StatusChangeSerializer(serializers.Serializer):
    """Body of /activate/ and /suspend/."""

    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Optional, on the timeline.",
        max_length=NOTES_MAX_LENGTH,
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=NOTES_MAX_LENGTH)
    on = serializers.DateField(required=False, allow_null=True, help_text="Day of the change; today when left out.")


class CloseSerializer(serializers.Serializer):
    # Text, not an enum here: the service checks the code after the transition (409 comes before 400).
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="The closure reason, one of: " + ", ".join(ClosureReason.values) + ".",
        max_length=NOTES_MAX_LENGTH,
    )
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text='Required when the reason is "other".',
        max_length=NOTES_MAX_LENGTH,
    )
    on = serializers.DateField(required=False, allow_null=True, help_text="Day of closing; today when left out.")


class ReopenSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Why the case is reopened (required).",
        max_length=NOTES_MAX_LENGTH,
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=NOTES_MAX_LENGTH)
    on = serializers.DateField(required=False, allow_null=True, help_text="Day of reopening; today when left out.")


class ReassignSerializer(serializers.Serializer):
    cases = serializers.ListField(child=IdField(), required=False, default=list, help_text="Case ids.")
    worker = IdField(required=False, allow_null=True, help_text="The new worker.")
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=NOTES_MAX_LENGTH)


class ReassignResultSerializer(serializers.Serializer):
    reassigned = serializers.ListField(child=serializers.IntegerField(), help_text="Ids of the cases reassigned.")
    unchanged = serializers.ListField(
        child=serializers.IntegerField(), help_text="Ids of the cases the worker already held."
    )


class ShareSerializer(serializers.Serializer):
    user = IdField(help_text="A member of your centre's staff (user id).")


class CaseQuerySerializer(serializers.Serializer):
    """The filters of the case list, read from the query string."""

    status = serializers.MultipleChoiceField(
        choices=CaseStatus.choices, required=False, help_text="One or more statuses (repeat the parameter)."
    )
    open_only = serializers.BooleanField(required=False, default=False, help_text="Opened, active or suspended.")
    worker = IdField(required=False, help_text="Held by this worker (user id).")
    team = IdField(required=False, help_text="Of this team (id).")
    household = IdField(required=False, help_text="Of this household (id).")
    person = IdField(required=False, help_text="The person's own cases and those of their current household.")

    def as_selector_kwargs(self) -> dict:
        data = self.validated_data
        return {
            "status": sorted(data["status"]) if data.get("status") else None,
            "open_only": data.get("open_only", False),
            "worker": data.get("worker"),
            "team": data.get("team"),
            "household": data.get("household"),
            "person": data.get("person"),
        }


# --- caseload -------------------------------------------------------------------------------------


class CaseloadRowSerializer(serializers.Serializer):
    worker = serializers.IntegerField(source="worker.pk", read_only=True, help_text="User id.")
    worker_name = serializers.SerializerMethodField()
    opened = serializers.IntegerField(read_only=True)
    active = serializers.IntegerField(read_only=True)
    suspended = serializers.IntegerField(read_only=True)
    open_cases = serializers.IntegerField(read_only=True)
    visits_this_month = serializers.IntegerField(
        read_only=True, help_text="Home visits done this calendar month (so far), the worker being one of the visitors."
    )
    visits_planned_this_month = serializers.IntegerField(
        read_only=True,
        help_text="Home visits still planned from today to the month's end, the worker being one of the visitors "
        "(those planned before today are overdue).",
    )

    def get_worker_name(self, row) -> str:
        return _name(row.worker)


class CaseloadQuerySerializer(serializers.Serializer):
    team = IdField(required=False, help_text="One team (id); yours by default.")

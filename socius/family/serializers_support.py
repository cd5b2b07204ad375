"""API shapes of the family assistant programme (decision 0015). Shape only: the services check every value
(who may, the family's members, the caseload cap, the states)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import serializers

from socius.common.api import IdField, IdListField
from socius.common.limits import NOTES_MAX_LENGTH, SHORT_TEXT_MAX_LENGTH
from socius.family.statuses import (
    ActivityPlace,
    ClosureOutcome,
    ConsentMethod,
    EnrolmentRoute,
    EnrolmentStatus,
    PlanItemStatus,
    WorkArea,
    WorkPlanStatus,
)

_NOTES = {"max_length": NOTES_MAX_LENGTH}
_SHORT = {"max_length": SHORT_TEXT_MAX_LENGTH}


def _family_name(household) -> str:
    return household.display_name if household is not None else ""


# --- enrolments ---------------------------------------------------------------------------------------


class EnrolmentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    case = serializers.IntegerField(source="case_id", read_only=True)
    case_reference = serializers.CharField(source="case.reference", read_only=True)
    household = serializers.IntegerField(source="household_id", read_only=True)
    family_name = serializers.SerializerMethodField(help_text="The family's name (its head, or its first member).")
    assistant = serializers.IntegerField(source="assistant_id", read_only=True, allow_null=True)
    assistant_name = serializers.SerializerMethodField()
    route = serializers.ChoiceField(choices=EnrolmentRoute.choices, read_only=True)
    status = serializers.ChoiceField(choices=EnrolmentStatus.choices, read_only=True)
    reason = serializers.CharField(read_only=True)
    requested_by = serializers.IntegerField(source="requested_by_id", read_only=True)
    requested_on = serializers.DateField(read_only=True)
    decided_by = serializers.IntegerField(source="decided_by_id", read_only=True, allow_null=True)
    decided_on = serializers.DateField(read_only=True, allow_null=True)
    refusal_reason = serializers.CharField(read_only=True)
    court_name = serializers.CharField(read_only=True)
    court_reference = serializers.CharField(read_only=True)
    court_order_on = serializers.DateField(read_only=True, allow_null=True)
    legal_basis = serializers.CharField(read_only=True)
    started_on = serializers.DateField(read_only=True, allow_null=True)
    closed_on = serializers.DateField(read_only=True, allow_null=True)
    outcome = serializers.ChoiceField(choices=ClosureOutcome.choices, allow_blank=True, read_only=True)
    closure_note = serializers.CharField(read_only=True)
    monitoring_until = serializers.DateField(read_only=True, allow_null=True)
    ended_on = serializers.DateField(read_only=True, allow_null=True)
    fund = serializers.IntegerField(source="fund_id", read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    def get_family_name(self, obj) -> str:
        return _family_name(obj.household)

    def get_assistant_name(self, obj) -> str:
        if obj.assistant is None:
            return ""
        return obj.assistant.get_full_name() or obj.assistant.username


class EnrolmentQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=EnrolmentStatus.choices, required=False)
    assistant = IdField(required=False, help_text="The assistant (user id).")
    household = IdField(required=False, help_text="The family (household id).")
    case = IdField(required=False, help_text="The case (id).")
    q = serializers.CharField(required=False, max_length=100, help_text="A family name or a case reference.")

    def as_selector_kwargs(self) -> dict:
        data = self.validated_data
        return {
            "status": data.get("status"),
            "assistant_id": data.get("assistant"),
            "household_id": data.get("household"),
            "case_id": data.get("case"),
            "q": data.get("q") or None,
        }


class EnrolmentConsentInputSerializer(serializers.Serializer):
    person = IdField(help_text="A member of the family's household (person id).")
    given_on = serializers.DateField()
    method = serializers.ChoiceField(choices=ConsentMethod.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", **_NOTES)


class EnrolmentCreateSerializer(serializers.Serializer):
    route = serializers.ChoiceField(
        choices=EnrolmentRoute.choices,
        help_text="request: asked for the head of the centre to approve (no assistant yet); court_order or "
        "statutory: enrolled at once with the assistant named.",
    )
    case = IdField(help_text="The case (id) whose family needs an assistant.")
    household = IdField(required=False, allow_null=True, help_text="The family; the case's household when left out.")
    reason = serializers.CharField(required=False, allow_blank=True, default="", **_NOTES)
    requested_on = serializers.DateField(required=False, allow_null=True, help_text="route request; today if left out.")
    assistant = IdField(required=False, allow_null=True, help_text="court_order / statutory: the assistant (user id).")
    started_on = serializers.DateField(
        required=False, allow_null=True, help_text="court_order / statutory; today if left out."
    )
    consent = EnrolmentConsentInputSerializer(required=False, allow_null=True)
    court_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    court_reference = serializers.CharField(required=False, allow_blank=True, default="", max_length=60)
    court_order_on = serializers.DateField(required=False, allow_null=True)
    legal_basis = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    fund = IdField(required=False, allow_null=True, help_text="A project fund of your centre (id).")

    def validate(self, attrs):
        if attrs["route"] != EnrolmentRoute.REQUEST and not attrs.get("assistant"):
            raise serializers.ValidationError({"assistant": [serializers.Field.default_error_messages["required"]]})
        return attrs


class EnrolmentApproveSerializer(serializers.Serializer):
    assistant = IdField(help_text="The family assistant (user id) of your centre.")
    decided_on = serializers.DateField(required=False, allow_null=True, help_text="Today when left out.")
    fund = IdField(required=False, allow_null=True)
    consent = EnrolmentConsentInputSerializer(required=False, allow_null=True)


class EnrolmentRefuseSerializer(serializers.Serializer):
    reason = serializers.CharField(**_NOTES)
    decided_on = serializers.DateField(required=False, allow_null=True, help_text="Today when left out.")


class EnrolmentCloseSerializer(serializers.Serializer):
    closed_on = serializers.DateField(required=False, allow_null=True, help_text="Today when left out.")
    outcome = serializers.ChoiceField(choices=ClosureOutcome.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", **_NOTES)


class EnrolmentEndMonitoringSerializer(serializers.Serializer):
    ended_on = serializers.DateField(required=False, allow_null=True, help_text="Today when left out.")
    note = serializers.CharField(required=False, allow_blank=True, default="", **_NOTES)


class EnrolmentResumeSerializer(serializers.Serializer):
    on = serializers.DateField(required=False, allow_null=True, help_text="Today when left out.")
    reason = serializers.CharField(**_NOTES)


class EnrolmentChangeAssistantSerializer(serializers.Serializer):
    assistant = IdField(help_text="The new family assistant (user id).")
    on = serializers.DateField(required=False, allow_null=True, help_text="Today when left out.")
    reason = serializers.CharField(**_NOTES)


# --- consents -----------------------------------------------------------------------------------------


class EnrolmentConsentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    enrolment = serializers.IntegerField(source="enrolment_id", read_only=True)
    person = serializers.IntegerField(source="person_id", read_only=True)
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    given_on = serializers.DateField(read_only=True)
    method = serializers.ChoiceField(choices=ConsentMethod.choices, read_only=True)
    note = serializers.CharField(read_only=True)
    recorded_by = serializers.IntegerField(source="recorded_by_id", read_only=True)
    withdrawn_on = serializers.DateField(read_only=True, allow_null=True)
    withdrawal_note = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class EnrolmentConsentCreateSerializer(EnrolmentConsentInputSerializer):
    enrolment = IdField(help_text="The enrolment (id).")


class EnrolmentFilterSerializer(serializers.Serializer):
    enrolment = IdField(required=False, help_text="One enrolment's (id).")


class ConsentWithdrawSerializer(serializers.Serializer):
    withdrawn_on = serializers.DateField(required=False, allow_null=True, help_text="Today when left out.")
    note = serializers.CharField(**_NOTES)


# --- work plans ---------------------------------------------------------------------------------------


class WorkPlanItemSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    plan = serializers.IntegerField(source="plan_id", read_only=True)
    area = serializers.ChoiceField(choices=WorkArea.choices, read_only=True)
    goal = serializers.CharField(read_only=True)
    action = serializers.CharField(read_only=True)
    responsible = serializers.CharField(read_only=True)
    due_on = serializers.DateField(read_only=True, allow_null=True)
    expected_effect = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(choices=PlanItemStatus.choices, read_only=True)
    done_on = serializers.DateField(read_only=True, allow_null=True)
    position = serializers.IntegerField(read_only=True)


class WorkPlanSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    enrolment = serializers.IntegerField(source="enrolment_id", read_only=True)
    version = serializers.IntegerField(read_only=True)
    status = serializers.ChoiceField(choices=WorkPlanStatus.choices, read_only=True)
    agreed_on = serializers.DateField(read_only=True, allow_null=True)
    agreed_with = IdListField(read_only=True, help_text="The family members it was agreed with (person ids).")
    social_worker = serializers.IntegerField(source="social_worker_id", read_only=True, allow_null=True)
    review_on = serializers.DateField(read_only=True, allow_null=True)
    note = serializers.CharField(read_only=True)
    created_by = serializers.IntegerField(source="created_by_id", read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    items = WorkPlanItemSerializer(many=True, read_only=True)


class WorkPlanCreateSerializer(serializers.Serializer):
    enrolment = IdField(help_text="The enrolment (id): a new draft version, copying the agreed plan's items.")


class WorkPlanItemCreateSerializer(serializers.Serializer):
    area = serializers.ChoiceField(choices=WorkArea.choices)
    goal = serializers.CharField(max_length=500)
    action = serializers.CharField(**_NOTES)
    responsible = serializers.CharField(max_length=200)
    due_on = serializers.DateField(required=False, allow_null=True)
    expected_effect = serializers.CharField(required=False, allow_blank=True, default="", **_NOTES)


class WorkPlanItemUpdateSerializer(serializers.Serializer):
    area = serializers.ChoiceField(choices=WorkArea.choices, required=False)
    goal = serializers.CharField(max_length=500, required=False)
    action = serializers.CharField(required=False, **_NOTES)
    responsible = serializers.CharField(max_length=200, required=False)
    due_on = serializers.DateField(required=False, allow_null=True)
    expected_effect = serializers.CharField(required=False, allow_blank=True, **_NOTES)


class WorkPlanItemStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=PlanItemStatus.choices)
    on = serializers.DateField(required=False, allow_null=True, help_text="Today when left out.")


class WorkPlanAgreeSerializer(serializers.Serializer):
    agreed_on = serializers.DateField(required=False, allow_null=True, help_text="Today when left out.")
    agreed_with = serializers.ListField(
        child=IdField(), max_length=50, help_text="The family members who agreed (person ids)."
    )
    social_worker = IdField(help_text="The social worker consulted (user id).")
    review_on = serializers.DateField(required=False, allow_null=True)


# --- activities ---------------------------------------------------------------------------------------


class AssistantActivitySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    enrolment = serializers.IntegerField(source="enrolment_id", read_only=True)
    assistant = serializers.IntegerField(source="assistant_id", read_only=True)
    on = serializers.DateField(read_only=True)
    minutes = serializers.IntegerField(read_only=True)
    place = serializers.ChoiceField(choices=ActivityPlace.choices, read_only=True)
    areas = serializers.ListField(child=serializers.ChoiceField(choices=WorkArea.choices), read_only=True)
    family_members = IdListField(read_only=True)
    partners = IdListField(read_only=True)
    others_present = serializers.CharField(read_only=True)
    notes = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class AssistantActivityQuerySerializer(serializers.Serializer):
    enrolment = IdField(required=False)
    assistant = IdField(required=False, help_text="The assistant (user id).")
    date_from = serializers.DateField(required=False)
    date_until = serializers.DateField(required=False)


class AssistantActivityCreateSerializer(serializers.Serializer):
    enrolment = IdField()
    on = serializers.DateField()
    minutes = serializers.IntegerField(min_value=1, max_value=24 * 60)
    place = serializers.ChoiceField(choices=ActivityPlace.choices)
    areas = serializers.ListField(
        child=serializers.ChoiceField(choices=WorkArea.choices), min_length=1, max_length=len(WorkArea.choices)
    )
    family_members = serializers.ListField(child=IdField(), required=False, default=list, max_length=50)
    partners = serializers.ListField(child=IdField(), required=False, default=list, max_length=50)
    others_present = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    notes = serializers.CharField(required=False, allow_blank=True, default="", **_NOTES)


# --- assessments --------------------------------------------------------------------------------------


class FamilyAssessmentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    enrolment = serializers.IntegerField(source="enrolment_id", read_only=True)
    assessed_on = serializers.DateField(read_only=True)
    period_from = serializers.DateField(read_only=True)
    period_until = serializers.DateField(read_only=True)
    situation = serializers.CharField(read_only=True)
    progress = serializers.DictField(child=serializers.CharField(), read_only=True, help_text="{area: text}")
    strengths = serializers.CharField(read_only=True)
    difficulties = serializers.CharField(read_only=True)
    recommendation = serializers.CharField(read_only=True)
    is_court_opinion = serializers.BooleanField(read_only=True)
    court_name = serializers.CharField(read_only=True)
    court_reference = serializers.CharField(read_only=True)
    requested_on = serializers.DateField(read_only=True, allow_null=True)
    author = serializers.IntegerField(source="author_id", read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class FamilyAssessmentCreateSerializer(serializers.Serializer):
    enrolment = IdField()
    assessed_on = serializers.DateField()
    period_from = serializers.DateField()
    period_until = serializers.DateField()
    situation = serializers.CharField(**_NOTES)
    recommendation = serializers.CharField(**_NOTES)
    progress = serializers.DictField(
        child=serializers.CharField(max_length=NOTES_MAX_LENGTH),
        required=False,
        allow_null=True,
        help_text="{area code: text}: the progress in each area worked on.",
    )
    strengths = serializers.CharField(required=False, allow_blank=True, default="", **_NOTES)
    difficulties = serializers.CharField(required=False, allow_blank=True, default="", **_NOTES)
    is_court_opinion = serializers.BooleanField(required=False, default=False)
    court_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    court_reference = serializers.CharField(required=False, allow_blank=True, default="", max_length=60)
    requested_on = serializers.DateField(required=False, allow_null=True)

    def validate_progress(self, value):
        if value:
            unknown = [k for k in value if k not in WorkArea.values]
            if unknown:
                raise serializers.ValidationError(
                    _("Not an area of work: %(codes)s.") % {"codes": ", ".join(unknown[:5])}
                )
        return value

    def validate(self, attrs):
        if attrs["period_until"] < attrs["period_from"]:
            raise serializers.ValidationError({"period_until": [_("The period cannot end before it starts.")]})
        return attrs


# --- loads and timesheets -----------------------------------------------------------------------------


class AssistantLoadSerializer(serializers.Serializer):
    assistant = serializers.IntegerField(source="assistant.pk")
    assistant_name = serializers.SerializerMethodField()
    active = serializers.IntegerField()
    monitoring = serializers.IntegerField()
    requested_waiting = serializers.IntegerField()
    cap = serializers.IntegerField(source="cap.value")
    legal_basis = serializers.CharField(source="cap.legal_basis")

    def get_assistant_name(self, obj) -> str:
        return obj.assistant.get_full_name() or obj.assistant.username


class AssistantTimesheetEntrySerializer(serializers.Serializer):
    enrolment = serializers.IntegerField()
    family_name = serializers.CharField()
    place = serializers.ChoiceField(choices=ActivityPlace.choices)
    areas = serializers.ListField(child=serializers.ChoiceField(choices=WorkArea.choices))
    minutes = serializers.IntegerField()


class AssistantTimesheetDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    minutes = serializers.IntegerField()
    entries = AssistantTimesheetEntrySerializer(many=True)


class AssistantTimesheetFamilySerializer(serializers.Serializer):
    enrolment = serializers.IntegerField()
    family_name = serializers.CharField()
    minutes = serializers.IntegerField()


class AssistantTimesheetSerializer(serializers.Serializer):
    assistant = serializers.IntegerField()
    assistant_name = serializers.CharField()
    month = serializers.CharField(help_text="YYYY-MM")
    rows = AssistantTimesheetDaySerializer(many=True)
    total_minutes = serializers.IntegerField()
    minutes_per_area = serializers.DictField(
        child=serializers.IntegerField(),
        help_text='{area code: minutes}: an entry\'s minutes split evenly over its areas ("—" for none).',
    )
    minutes_per_family = AssistantTimesheetFamilySerializer(many=True, help_text="By family name.")


class AssistantTimesheetQuerySerializer(serializers.Serializer):
    month = serializers.RegexField(
        r"^(19|20)\d{2}-(0[1-9]|1[0-2])$", required=False, help_text="YYYY-MM; left out: the current month."
    )
    assistant = IdField(
        required=False, help_text="One assistant (user id); left out: your own, or (team leaders, director) all."
    )

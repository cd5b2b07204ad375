"""API shapes of child protection: children in difficulty, their forms of care, meetings of the bodies on
children's cases, their decisions and the follow-up tasks (decision 0015). Shape only: the services check
every value (the child's case, the pack's bodies, the quorum, the states)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import serializers

from socius.common.api import IdField, IdListField
from socius.common.limits import NOTES_MAX_LENGTH, SHORT_TEXT_MAX_LENGTH
from socius.family.statuses import ChildRisk, ChildStatus, FormOfCare, MeetingBody, MeetingStatus, TaskStatus

_NOTES = {"max_length": NOTES_MAX_LENGTH}


class RiskListField(serializers.ListField):
    child = serializers.ChoiceField(choices=ChildRisk.choices)


# --- children -----------------------------------------------------------------------------------------


class ChildPlacementSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    child_record = serializers.IntegerField(source="record_id", read_only=True, help_text="The child record (id).")
    form = serializers.ChoiceField(choices=FormOfCare.choices, read_only=True)
    valid_from = serializers.DateField(read_only=True)
    valid_until = serializers.DateField(read_only=True, allow_null=True, help_text="Exclusive; empty: current.")
    carer = serializers.CharField(read_only=True)
    partner = serializers.IntegerField(source="partner_id", read_only=True, allow_null=True)
    decision = serializers.IntegerField(source="decision_id", read_only=True, allow_null=True)
    legal_basis = serializers.CharField(read_only=True)
    note = serializers.CharField(read_only=True)
    recorded_by = serializers.IntegerField(source="recorded_by_id", read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class ChildSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    child = serializers.IntegerField(source="child_id", read_only=True, help_text="The child (person id).")
    child_name = serializers.CharField(source="child.full_name", read_only=True)
    birth_date = serializers.DateField(source="child.birth_date", read_only=True, allow_null=True)
    case = serializers.IntegerField(source="case_id", read_only=True)
    case_reference = serializers.CharField(source="case.reference", read_only=True)
    responsible_worker = serializers.IntegerField(source="responsible_worker_id", read_only=True)
    risks = RiskListField(read_only=True)
    status = serializers.ChoiceField(choices=ChildStatus.choices, read_only=True)
    identified_on = serializers.DateField(read_only=True)
    closed_on = serializers.DateField(read_only=True, allow_null=True)
    closure_note = serializers.CharField(read_only=True)
    notes = serializers.CharField(read_only=True)
    form_of_care = serializers.ChoiceField(
        choices=FormOfCare.choices, source="current_form", read_only=True, allow_null=True, help_text="The current one."
    )
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


class ChildDetailSerializer(ChildSerializer):
    placements = ChildPlacementSerializer(many=True, read_only=True, help_text="The history of forms of care.")


class ChildQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ChildStatus.choices, required=False)
    risk = serializers.ChoiceField(choices=ChildRisk.choices, required=False)
    worker = IdField(required=False, help_text="The responsible worker (user id).")
    q = serializers.CharField(required=False, max_length=100, help_text="The child's name or the case reference.")

    def as_selector_kwargs(self) -> dict:
        data = self.validated_data
        return {
            "status": data.get("status"),
            "risk": data.get("risk"),
            "worker_id": data.get("worker"),
            "q": data.get("q") or None,
        }


class ChildCreateSerializer(serializers.Serializer):
    case = IdField(help_text="The case (id) the child belongs to.")
    child = IdField(help_text="The child (person id): the case's client or a member of its household, a minor.")
    responsible_worker = IdField(required=False, allow_null=True, help_text="User id; yourself when left out.")
    risks = RiskListField(min_length=1, max_length=len(ChildRisk.choices))
    identified_on = serializers.DateField()
    form_of_care = serializers.ChoiceField(choices=FormOfCare.choices)
    care_from = serializers.DateField(required=False, allow_null=True, help_text="identified_on when left out.")
    carer = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    partner = IdField(required=False, allow_null=True, help_text="A partner institution (id).")
    notes = serializers.CharField(required=False, allow_blank=True, default="", **_NOTES)


class CareChangeSerializer(serializers.Serializer):
    form = serializers.ChoiceField(choices=FormOfCare.choices)
    valid_from = serializers.DateField()
    carer = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    partner = IdField(required=False, allow_null=True)
    legal_basis = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    note = serializers.CharField(required=False, allow_blank=True, default="", **_NOTES)


class ChildRisksSerializer(serializers.Serializer):
    risks = RiskListField(min_length=1, max_length=len(ChildRisk.choices))
    on = serializers.DateField(required=False, allow_null=True, help_text="Today when left out.")
    note = serializers.CharField(required=False, allow_blank=True, default="", **_NOTES)


class ChildCloseSerializer(serializers.Serializer):
    closed_on = serializers.DateField(required=False, allow_null=True, help_text="Today when left out.")
    note = serializers.CharField(**_NOTES)


class ChildPlacementQuerySerializer(serializers.Serializer):
    child_record = IdField(required=False, help_text="One child record's forms of care (id).")


# --- meetings -----------------------------------------------------------------------------------------


class MeetingMemberSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    user = serializers.IntegerField(source="user_id", read_only=True, allow_null=True)
    name = serializers.SerializerMethodField()
    partner = serializers.IntegerField(source="partner_id", read_only=True, allow_null=True)
    role = serializers.CharField(read_only=True)
    is_voting = serializers.BooleanField(read_only=True)
    is_present = serializers.BooleanField(read_only=True, allow_null=True)

    def get_name(self, obj) -> str:
        if obj.user_id and obj.user is not None:
            return obj.user.get_full_name() or obj.user.username
        return obj.name


class MeetingMemberInputSerializer(serializers.Serializer):
    user = IdField(required=False, allow_null=True, help_text="A staff member of your centre (user id).")
    name = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    partner = IdField(required=False, allow_null=True, help_text="The member's institution (partner id).")
    role = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    is_voting = serializers.BooleanField(required=False, default=True)

    def validate(self, attrs):
        if not attrs.get("user") and not attrs.get("name", "").strip():
            raise serializers.ValidationError({"name": [_("Name the member, or choose a staff member.")]})
        return attrs


class MeetingDecisionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    agenda_item = serializers.IntegerField(source="item_id", read_only=True)
    meeting = serializers.IntegerField(source="item.meeting_id", read_only=True)
    case = serializers.IntegerField(source="item.case_id", read_only=True)
    child_record = serializers.IntegerField(source="item.child_id", read_only=True, allow_null=True)
    text = serializers.CharField(read_only=True)
    form_of_care = serializers.ChoiceField(choices=FormOfCare.choices, allow_blank=True, read_only=True)
    care_from = serializers.DateField(read_only=True, allow_null=True)
    support_measures = serializers.CharField(read_only=True)
    responsible = IdListField(read_only=True, help_text="User ids.")
    review_on = serializers.DateField(read_only=True, allow_null=True)
    decided_by = serializers.IntegerField(source="decided_by_id", read_only=True)
    decided_at = serializers.DateTimeField(read_only=True)


class MeetingAgendaItemSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    position = serializers.IntegerField(read_only=True)
    visible = serializers.BooleanField(
        read_only=True, help_text="False: a case you may not read; only its worker is shown, no content."
    )
    case = serializers.IntegerField(read_only=True, allow_null=True)
    case_reference = serializers.CharField(read_only=True)
    worker_name = serializers.CharField(read_only=True)
    child_record = serializers.IntegerField(read_only=True, allow_null=True)
    child_name = serializers.CharField(read_only=True)
    summary = serializers.CharField(read_only=True)
    decision = MeetingDecisionSerializer(read_only=True, allow_null=True)


class MeetingSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    body = serializers.ChoiceField(choices=MeetingBody.choices, read_only=True)
    scheduled_at = serializers.DateTimeField(read_only=True)
    place = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(choices=MeetingStatus.choices, read_only=True)
    chair = serializers.IntegerField(source="chair_id", read_only=True, allow_null=True)
    quorum = serializers.IntegerField(read_only=True, allow_null=True)
    held_on = serializers.DateField(read_only=True, allow_null=True)
    cancellation_reason = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class MeetingDetailSerializer(MeetingSerializer):
    minutes = serializers.CharField(read_only=True)
    members = MeetingMemberSerializer(many=True, read_only=True)
    agenda = MeetingAgendaItemSerializer(many=True, read_only=True, source="agenda_rows")


class MeetingQuerySerializer(serializers.Serializer):
    date_from = serializers.DateField(required=False)
    date_until = serializers.DateField(required=False)
    body = serializers.ChoiceField(choices=MeetingBody.choices, required=False)


class MeetingCreateSerializer(serializers.Serializer):
    body = serializers.ChoiceField(choices=MeetingBody.choices, help_text="One of the bodies of your centre's pack.")
    scheduled_at = serializers.DateTimeField()
    place = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    chair = IdField(required=False, allow_null=True, help_text="A staff member (user id).")
    members = MeetingMemberInputSerializer(many=True, required=False, default=list, max_length=100)


class MeetingMembersSerializer(serializers.Serializer):
    members = MeetingMemberInputSerializer(many=True, max_length=100)


class MeetingAgendaAddSerializer(serializers.Serializer):
    case = IdField(help_text="A case whose content you may read (id).")
    summary = serializers.CharField(**_NOTES)
    child_record = IdField(required=False, allow_null=True, help_text="One child of the case (child record id).")


class MeetingAttendanceSerializer(serializers.Serializer):
    present = serializers.ListField(
        child=IdField(), max_length=100, help_text="The members present (meeting member ids)."
    )


class MeetingHoldSerializer(serializers.Serializer):
    held_on = serializers.DateField(required=False, allow_null=True, help_text="Today when left out.")
    minutes = serializers.CharField(**_NOTES)


class ChildProtectionReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=SHORT_TEXT_MAX_LENGTH)


# --- decisions and tasks ------------------------------------------------------------------------------


class FollowUpTaskInputSerializer(serializers.Serializer):
    assigned_to = IdField(help_text="A staff member of your centre (user id).")
    description = serializers.CharField(max_length=500)
    due_on = serializers.DateField()


class MeetingDecisionCreateSerializer(serializers.Serializer):
    agenda_item = IdField(help_text="The agenda item decided (id).")
    text = serializers.CharField(**_NOTES)
    form_of_care = serializers.ChoiceField(choices=FormOfCare.choices, required=False, allow_blank=True, default="")
    care_from = serializers.DateField(required=False, allow_null=True)
    support_measures = serializers.CharField(required=False, allow_blank=True, default="", **_NOTES)
    responsible = serializers.ListField(child=IdField(), required=False, default=list, max_length=20)
    review_on = serializers.DateField(required=False, allow_null=True)
    tasks = FollowUpTaskInputSerializer(many=True, required=False, default=list, max_length=50)

    def validate(self, attrs):
        if attrs.get("form_of_care") and not attrs.get("care_from"):
            raise serializers.ValidationError({"care_from": [_("Give the day the form of care starts.")]})
        return attrs


class MeetingDecisionQuerySerializer(serializers.Serializer):
    meeting = IdField(required=False)
    child_record = IdField(required=False)


class FollowUpTaskSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    case = serializers.IntegerField(source="case_id", read_only=True)
    case_reference = serializers.CharField(source="case.reference", read_only=True)
    decision = serializers.IntegerField(source="decision_id", read_only=True, allow_null=True)
    assigned_to = serializers.IntegerField(source="assigned_to_id", read_only=True)
    description = serializers.CharField(read_only=True)
    due_on = serializers.DateField(read_only=True)
    status = serializers.ChoiceField(choices=TaskStatus.choices, read_only=True)
    done_on = serializers.DateField(read_only=True, allow_null=True)
    outcome = serializers.CharField(read_only=True)
    created_by = serializers.IntegerField(source="created_by_id", read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class FollowUpTaskQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[*TaskStatus.choices, ("all", "all")], required=False, default="open", help_text="open by default."
    )
    case = IdField(required=False)


class FollowUpTaskCreateSerializer(FollowUpTaskInputSerializer):
    case = IdField(help_text="The case (id) the task goes back to.")


class FollowUpTaskDoneSerializer(serializers.Serializer):
    done_on = serializers.DateField(required=False, allow_null=True, help_text="Today when left out.")
    outcome = serializers.CharField(required=False, allow_blank=True, default="", **_NOTES)

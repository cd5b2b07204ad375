"""API shapes of the Blue Card. Shape only: the services check every value and name the field at fault."""

from __future__ import annotations

from rest_framework import serializers

from socius.common.api import IdField
from socius.common.limits import NOTES_MAX_LENGTH
from socius.family.statuses import BlueCardClosureGround, BlueCardForm, BlueCardInitiator, BlueCardRole, BlueCardStatus

ANSWERS_HELP = "The form's sections as {section code: text} (at most 60 sections of 5,000 characters)."


class _Answers(serializers.DictField):
    child = serializers.CharField(max_length=5000, allow_blank=True)


# --- output ------------------------------------------------------------------------------------------


class BlueCardPartySerializer(serializers.Serializer):
    person = serializers.IntegerField(source="person_id", read_only=True)
    name = serializers.CharField(source="person.full_name", read_only=True)
    role = serializers.ChoiceField(choices=BlueCardRole.choices, read_only=True)


class BlueCardMemberSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    user = serializers.IntegerField(source="user_id", read_only=True, allow_null=True)
    name = serializers.SerializerMethodField()
    institution = serializers.CharField(read_only=True)
    role = serializers.CharField(read_only=True, help_text="What the member does (e.g. police officer).")
    added_on = serializers.DateField(read_only=True)
    removed_on = serializers.DateField(read_only=True, allow_null=True)

    def get_name(self, member) -> str:
        if member.user_id:
            return member.user.get_full_name() or member.user.username
        return member.name


class BlueCardFormSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    form = serializers.ChoiceField(choices=BlueCardForm.choices, read_only=True)
    person = serializers.IntegerField(source="person_id", read_only=True, allow_null=True)
    filled_on = serializers.DateField(read_only=True)
    answers = _Answers(read_only=True, help_text=ANSWERS_HELP)
    filled_by = serializers.IntegerField(source="filled_by_id", read_only=True)


class BlueCardMeetingSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    held_on = serializers.DateField(read_only=True)
    place = serializers.CharField(read_only=True)
    present = serializers.SerializerMethodField(help_text="Ids of the group members present.")
    notes = serializers.CharField(read_only=True)
    next_meeting_on = serializers.DateField(read_only=True, allow_null=True)

    def get_present(self, meeting) -> list[int]:
        return [m.pk for m in meeting.present.all()]


class BlueCardPlanItemSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    person = serializers.IntegerField(source="person_id", read_only=True)
    measure = serializers.CharField(read_only=True)
    responsible = serializers.CharField(read_only=True)
    agreed_on = serializers.DateField(read_only=True)
    due_on = serializers.DateField(read_only=True, allow_null=True)
    done_on = serializers.DateField(read_only=True, allow_null=True)


class BlueCardMonitoringSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    on = serializers.DateField(read_only=True)
    note = serializers.CharField(read_only=True)


class BlueCardDeadlineSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    due_on = serializers.DateField(read_only=True)
    days = serializers.IntegerField(read_only=True, help_text="Working days.")
    legal_basis = serializers.CharField(read_only=True)
    source = serializers.CharField(read_only=True)
    confirmed = serializers.BooleanField(read_only=True, help_text="False: not confirmed in the text of the law.")


class BlueCardSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    reference = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(choices=BlueCardStatus.choices, read_only=True)
    initiator = serializers.ChoiceField(choices=BlueCardInitiator.choices, read_only=True)
    started_on = serializers.DateField(read_only=True)
    received_on = serializers.DateField(read_only=True)
    first_meeting_due_on = serializers.DateField(read_only=True, allow_null=True)
    closed_on = serializers.DateField(read_only=True, allow_null=True)
    closure_ground = serializers.CharField(read_only=True, help_text="violence_ceased or not_justified once closed.")
    parties = BlueCardPartySerializer(many=True, read_only=True)


class BlueCardDetailSerializer(BlueCardSerializer):
    """Built from selectors.BlueCardPage (card fields read through `card`)."""

    id = serializers.IntegerField(source="card.id", read_only=True)
    reference = serializers.CharField(source="card.reference", read_only=True)
    status = serializers.ChoiceField(source="card.status", choices=BlueCardStatus.choices, read_only=True)
    initiator = serializers.ChoiceField(source="card.initiator", choices=BlueCardInitiator.choices, read_only=True)
    initiator_name = serializers.CharField(source="card.initiator_name", read_only=True)
    initiator_institution = serializers.CharField(source="card.initiator_institution", read_only=True)
    started_on = serializers.DateField(source="card.started_on", read_only=True)
    received_on = serializers.DateField(source="card.received_on", read_only=True)
    household = serializers.IntegerField(source="card.household_id", read_only=True, allow_null=True)
    first_meeting_due_on = serializers.DateField(source="card.first_meeting_due_on", read_only=True, allow_null=True)
    closed_on = serializers.DateField(source="card.closed_on", read_only=True, allow_null=True)
    closure_ground = serializers.CharField(source="card.closure_ground", read_only=True)
    closure_note = serializers.CharField(source="card.closure_note", read_only=True)
    members = BlueCardMemberSerializer(many=True, read_only=True, help_text="Current members of the group.")
    former_members = BlueCardMemberSerializer(many=True, read_only=True)
    forms = BlueCardFormSerializer(many=True, read_only=True)
    meetings = BlueCardMeetingSerializer(many=True, read_only=True)
    plan_items = BlueCardPlanItemSerializer(many=True, read_only=True)
    monitoring = BlueCardMonitoringSerializer(many=True, read_only=True)
    deadlines = BlueCardDeadlineSerializer(many=True, read_only=True)
    moves = serializers.ListField(
        child=serializers.ChoiceField(choices=BlueCardStatus.choices),
        read_only=True,
        help_text="The statuses the card may move to now.",
    )


# --- input -------------------------------------------------------------------------------------------


class BlueCardQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=BlueCardStatus.choices, required=False)
    q = serializers.CharField(required=False, max_length=100, help_text="Reference, or a party's family name.")


class BlueCardCreateSerializer(serializers.Serializer):
    initiator = serializers.ChoiceField(choices=BlueCardInitiator.choices)
    initiator_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    initiator_institution = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    started_on = serializers.DateField(help_text="The day form NK-A was filled in.")
    received_on = serializers.DateField(help_text="The day the chair of the interdisciplinary team received it.")
    victims = serializers.ListField(child=IdField(), max_length=50, help_text="Every person affected (≥ 1).")
    suspects = serializers.ListField(child=IdField(), max_length=50, help_text="Every person suspected (≥ 1).")
    witnesses = serializers.ListField(child=IdField(), max_length=50, required=False, default=list)
    household = IdField(required=False, allow_null=True, default=None)
    answers = _Answers(required=False, default=dict, help_text=ANSWERS_HELP)


class BlueCardMemberCreateSerializer(serializers.Serializer):
    on = serializers.DateField()
    user = IdField(required=False, allow_null=True, default=None, help_text="A staff member of your centre; or:")
    name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    institution = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    role = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class BlueCardMemberRemoveSerializer(serializers.Serializer):
    member = IdField()
    on = serializers.DateField()


class BlueCardFormCreateSerializer(serializers.Serializer):
    form = serializers.ChoiceField(choices=BlueCardForm.choices, help_text="nk_b, nk_c or nk_d (nk_a starts the card).")
    person = IdField(help_text="nk_b, nk_c: a person affected listed on the card; nk_d: a suspect.")
    filled_on = serializers.DateField()
    answers = _Answers(required=False, default=dict, help_text=ANSWERS_HELP)


class BlueCardMeetingCreateSerializer(serializers.Serializer):
    held_on = serializers.DateField()
    place = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    notes = serializers.CharField(max_length=NOTES_MAX_LENGTH)
    present = serializers.ListField(child=IdField(), max_length=100, required=False, default=list)
    next_meeting_on = serializers.DateField(required=False, allow_null=True, default=None)


class BlueCardPlanItemCreateSerializer(serializers.Serializer):
    person = IdField(help_text="A person affected listed on the card.")
    measure = serializers.CharField(max_length=NOTES_MAX_LENGTH)
    responsible = serializers.CharField(max_length=200)
    agreed_on = serializers.DateField()
    due_on = serializers.DateField(required=False, allow_null=True, default=None)


class BlueCardPlanItemDoneSerializer(serializers.Serializer):
    item = IdField()
    done_on = serializers.DateField()


class BlueCardMonitoringCreateSerializer(serializers.Serializer):
    on = serializers.DateField()
    note = serializers.CharField(max_length=NOTES_MAX_LENGTH)


class BlueCardMoveSerializer(serializers.Serializer):
    to = serializers.ChoiceField(
        choices=BlueCardStatus.choices, help_text="in_progress or monitoring (close: /close/)."
    )
    on = serializers.DateField()


class BlueCardCloseSerializer(serializers.Serializer):
    on = serializers.DateField()
    closure_ground = serializers.ChoiceField(choices=BlueCardClosureGround.choices)
    closure_note = serializers.CharField(max_length=NOTES_MAX_LENGTH, required=False, allow_blank=True, default="")

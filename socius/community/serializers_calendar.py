"""API shapes of staff group supervision, the centre's calendar and its entries (decision 0016). Shape only:
the services check every value (staff of the centre, territories in its area, the states)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from socius.common.api import IdField, IdListField
from socius.community.statuses import ENTRY_KINDS, CalendarKind, FacilitatorKind, SupervisionStatus

NOTES_MAX = 10_000


@extend_schema_field(
    {
        "type": "string",
        "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$",
        "example": "10:00",
        "description": "The centre's wall-clock time (its time zone), HH:MM.",
    }
)
class WallTimeField(serializers.TimeField):
    """A time of day in the centre's time zone, HH:MM (no offset: RFC 3339's `time` would demand one)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%H:%M")
        kwargs.setdefault("input_formats", ["%H:%M", "%H:%M:%S"])
        super().__init__(**kwargs)


ENTRY_KIND_CHOICES = [(k, CalendarKind(k).label) for k in ENTRY_KINDS]


# --- supervision --------------------------------------------------------------------------------------


class SupervisionFollowUpSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    text = serializers.CharField(read_only=True)
    responsible = serializers.IntegerField(source="responsible_id", read_only=True, allow_null=True)
    due_on = serializers.DateField(read_only=True, allow_null=True)
    done_on = serializers.DateField(read_only=True, allow_null=True)


class SupervisionSerializer(serializers.Serializer):
    """What everyone who reads cases sees of a session: no topics, notes or follow-ups."""

    id = serializers.IntegerField(read_only=True)
    date = serializers.DateField(read_only=True)
    starts_at = WallTimeField(read_only=True, allow_null=True)
    ends_at = WallTimeField(read_only=True, allow_null=True)
    status = serializers.ChoiceField(choices=SupervisionStatus.choices, read_only=True)
    facilitator_kind = serializers.ChoiceField(choices=FacilitatorKind.choices, read_only=True)
    facilitator = serializers.IntegerField(source="facilitator_id", read_only=True, allow_null=True)
    facilitator_name = serializers.SerializerMethodField()
    participant_count = serializers.IntegerField(read_only=True)
    can_read_notes = serializers.BooleanField(
        read_only=True, help_text="Whether you take part, facilitate it or direct the centre."
    )

    def get_facilitator_name(self, obj) -> str:
        if obj.facilitator_id:
            return obj.facilitator.get_full_name() or obj.facilitator.username
        return obj.facilitator_name


class SupervisionDetailSerializer(SupervisionSerializer):
    """A session; `participants`, `topics`, `notes` and `follow_ups` are empty unless can_read_notes."""

    participants = serializers.SerializerMethodField()
    topics = serializers.CharField(read_only=True)
    notes = serializers.CharField(read_only=True)
    follow_ups = SupervisionFollowUpSerializer(source="follow_up_list", many=True, read_only=True)

    def get_participants(self, obj) -> list[int]:
        return [u.pk for u in obj.participant_list] if obj.can_read_notes else []


class SupervisionQuerySerializer(serializers.Serializer):
    date_from = serializers.DateField(required=False)
    date_until = serializers.DateField(required=False)
    status = serializers.ChoiceField(choices=SupervisionStatus.choices, required=False)


class SupervisionCreateSerializer(serializers.Serializer):
    date = serializers.DateField()
    starts_at = WallTimeField(required=False, allow_null=True, default=None)
    ends_at = WallTimeField(required=False, allow_null=True, default=None)
    facilitator_kind = serializers.ChoiceField(choices=FacilitatorKind.choices)
    facilitator = IdField(required=False, allow_null=True, default=None, help_text="A staff member (user id).")
    facilitator_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    participants = IdListField(required=False, default=list, max_length=200, help_text="Staff members (user ids).")
    topics = serializers.CharField(required=False, allow_blank=True, default="", max_length=NOTES_MAX)


class SupervisionFollowUpInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=2000)
    responsible = IdField(required=False, allow_null=True, default=None, help_text="A staff member (user id).")
    due_on = serializers.DateField(required=False, allow_null=True, default=None)


class SupervisionHeldSerializer(serializers.Serializer):
    participants = IdListField(max_length=200, help_text="Who took part (user ids); replaces the list.")
    topics = serializers.CharField(required=False, allow_blank=True, default="", max_length=NOTES_MAX)
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=NOTES_MAX)
    follow_ups = SupervisionFollowUpInputSerializer(many=True, required=False, default=list, max_length=100)


class SupervisionCancelSerializer(serializers.Serializer):
    """Nothing to send (an empty object)."""


# --- the calendar -------------------------------------------------------------------------------------


class CalendarItemSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CalendarKind.choices, read_only=True)
    source_id = serializers.IntegerField(read_only=True, help_text="The record's id in its own collection.")
    uid = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)
    starts_on = serializers.DateField(read_only=True)
    ends_on = serializers.DateField(read_only=True, help_text="The last day (inclusive).")
    starts_at = WallTimeField(read_only=True, allow_null=True, help_text="Empty: all day.")
    ends_at = WallTimeField(read_only=True, allow_null=True)
    all_day = serializers.BooleanField(read_only=True)
    place = serializers.CharField(read_only=True)
    territory = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    cancelled = serializers.BooleanField(read_only=True)
    restricted = serializers.BooleanField(
        read_only=True, help_text="A supervision you do not take part in: only its date is shown."
    )
    description = serializers.CharField(read_only=True)


class CalendarQuerySerializer(serializers.Serializer):
    date_from = serializers.DateField(required=False, help_text="Default: the first day of this month.")
    date_until = serializers.DateField(required=False, help_text="Default: the last day of that month.")
    staff = IdField(required=False, help_text="A staff member (user id): what concerns them.")
    territory = IdField(required=False, help_text="A territory (id): what takes place there or below.")
    kind = serializers.MultipleChoiceField(choices=CalendarKind.choices, required=False)

    def validate(self, attrs):
        start, end = attrs.get("date_from"), attrs.get("date_until")
        if start and end:
            if end < start:
                raise serializers.ValidationError({"date_until": [_("The end cannot come before the start.")]})
            if (end - start).days > 400:
                raise serializers.ValidationError({"date_until": [_("Ask for at most 400 days at a time.")]})
        return attrs


class CalendarEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    kind = serializers.ChoiceField(choices=ENTRY_KIND_CHOICES, read_only=True)
    title = serializers.CharField(read_only=True)
    starts_on = serializers.DateField(read_only=True)
    ends_on = serializers.DateField(read_only=True)
    starts_at = WallTimeField(read_only=True, allow_null=True)
    ends_at = WallTimeField(read_only=True, allow_null=True)
    place = serializers.CharField(read_only=True)
    territory = serializers.IntegerField(source="territory_id", read_only=True, allow_null=True)
    staff = IdListField(read_only=True)
    description = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


class CalendarEntryInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ENTRY_KIND_CHOICES)
    title = serializers.CharField(max_length=200)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True, default=None, help_text="Default: starts_on.")
    starts_at = WallTimeField(required=False, allow_null=True, default=None, help_text="Empty: all day.")
    ends_at = WallTimeField(required=False, allow_null=True, default=None)
    place = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    territory = IdField(required=False, allow_null=True, default=None)
    staff = IdListField(required=False, default=list, max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class CalendarEntryQuerySerializer(serializers.Serializer):
    date_from = serializers.DateField(required=False)
    date_until = serializers.DateField(required=False)
    kind = serializers.ChoiceField(choices=ENTRY_KIND_CHOICES, required=False)

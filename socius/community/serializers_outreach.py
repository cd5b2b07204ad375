"""API shapes of outreach: events, potential recipients, the territory view and the diagnosis (decision 0016).
Shape only: the services check every value (the centre's area, consent, the catalogue, the states)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from socius.common.api import IdField, IdListField
from socius.common.limits import NOTES_MAX_LENGTH, SHORT_TEXT_MAX_LENGTH
from socius.community.statuses import AttendeeConsent, EventKind, EventStatus, PartnerRole, RecipientStatus

_NOTES = {"max_length": NOTES_MAX_LENGTH}
_SHORT = {"max_length": SHORT_TEXT_MAX_LENGTH}
_NAME = {"max_length": 200}
_LIST = {"max_length": 500}


def _person_name(person) -> str:
    return f"{person.first_name} {person.last_name}" if person is not None else ""


@extend_schema_field({"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$", "example": "10:00", "nullable": True})
class ClockTimeField(serializers.Field):
    """A time of day as the clock shows it: "HH:MM" (null when none), never a time zone or seconds."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return value.strftime("%H:%M") if value is not None else None


# --- events: output ---------------------------------------------------------------------------------------


class TerritoryBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    level = serializers.CharField(read_only=True)


class StaffBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.SerializerMethodField()

    def get_name(self, user) -> str:
        return user.get_full_name() or user.username


class EventPartnerSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=PartnerRole.choices, read_only=True)
    name = serializers.CharField(read_only=True)
    organisation = serializers.CharField(read_only=True)
    partner = serializers.IntegerField(source="partner_id", read_only=True, allow_null=True)


class EventAttendeeSerializer(serializers.Serializer):
    person = serializers.IntegerField(source="person_id", read_only=True, allow_null=True)
    name = serializers.SerializerMethodField(help_text="The registered person's name, or the name given.")
    consent = serializers.ChoiceField(choices=AttendeeConsent.choices, read_only=True)
    consent_on = serializers.DateField(read_only=True)

    def get_name(self, attendee) -> str:
        return attendee.name or _person_name(attendee.person)


class LeafletSerializer(serializers.Serializer):
    service_code = serializers.CharField(read_only=True)
    count = serializers.IntegerField(read_only=True)


class FollowUpSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    text = serializers.CharField(read_only=True)
    responsible = serializers.IntegerField(source="responsible_id", read_only=True, allow_null=True)
    due_on = serializers.DateField(read_only=True, allow_null=True)
    done_on = serializers.DateField(read_only=True, allow_null=True)


class RecipientSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    event = serializers.IntegerField(source="event_id", read_only=True, allow_null=True)
    name = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    need = serializers.CharField(read_only=True)
    territory = TerritoryBriefSerializer(read_only=True, allow_null=True)
    place = serializers.CharField(read_only=True)
    person = serializers.IntegerField(source="person_id", read_only=True, allow_null=True)
    status = serializers.ChoiceField(choices=RecipientStatus.choices, read_only=True)
    contact = serializers.IntegerField(source="contact_id", read_only=True, allow_null=True)
    referral = serializers.IntegerField(source="referral_id", read_only=True, allow_null=True)
    converted_on = serializers.DateField(read_only=True, allow_null=True)
    converted_by = serializers.IntegerField(source="converted_by_id", read_only=True, allow_null=True)
    dismissed_reason = serializers.CharField(read_only=True)
    found_by = serializers.IntegerField(source="found_by_id", read_only=True)
    found_on = serializers.DateField(read_only=True)


class EventListSerializer(serializers.Serializer):
    """An event in a list: no named attendee, no recipient (a list names no one)."""

    id = serializers.IntegerField(read_only=True)
    territory = TerritoryBriefSerializer(read_only=True)
    kind = serializers.ChoiceField(choices=EventKind.choices, read_only=True)
    status = serializers.ChoiceField(choices=EventStatus.choices, read_only=True)
    title = serializers.CharField(read_only=True)
    date = serializers.DateField(read_only=True)
    starts_at = ClockTimeField()
    ends_at = ClockTimeField()
    place = serializers.CharField(read_only=True)
    staff = StaffBriefSerializer(many=True, read_only=True)
    headcount = serializers.IntegerField(read_only=True, allow_null=True)
    recipient_count = serializers.IntegerField(read_only=True, default=0, allow_null=True)
    leaflet_total = serializers.IntegerField(read_only=True, default=0, allow_null=True)


class EventSerializer(serializers.Serializer):
    """An event with everything recorded: its partners, named attendees, leaflets, follow-ups, recipients."""

    id = serializers.IntegerField(read_only=True)
    territory = TerritoryBriefSerializer(read_only=True)
    kind = serializers.ChoiceField(choices=EventKind.choices, read_only=True)
    status = serializers.ChoiceField(choices=EventStatus.choices, read_only=True)
    title = serializers.CharField(read_only=True)
    date = serializers.DateField(read_only=True)
    starts_at = ClockTimeField()
    ends_at = ClockTimeField()
    place = serializers.CharField(read_only=True)
    staff = StaffBriefSerializer(many=True, read_only=True)
    headcount = serializers.IntegerField(read_only=True, allow_null=True)
    questions = serializers.CharField(read_only=True)
    notes = serializers.CharField(read_only=True)
    cancelled_reason = serializers.CharField(read_only=True)
    partners = EventPartnerSerializer(many=True, read_only=True)
    attendees = EventAttendeeSerializer(many=True, read_only=True)
    leaflets = LeafletSerializer(many=True, read_only=True)
    follow_ups = FollowUpSerializer(many=True, read_only=True)
    potential_recipients = RecipientSerializer(many=True, read_only=True)


# --- events: input ----------------------------------------------------------------------------------------


class EventQuerySerializer(serializers.Serializer):
    territory = IdField(required=False, help_text="A territory of the centre's area: that node and below.")
    kind = serializers.ChoiceField(choices=EventKind.choices, required=False)
    status = serializers.ChoiceField(choices=EventStatus.choices, required=False)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)
    staff = IdField(required=False, help_text="A member of staff (user id).")
    q = serializers.CharField(required=False, max_length=100, help_text="Title, place or territory name.")

    def as_selector_kwargs(self) -> dict:
        d = self.validated_data
        return {
            "territory": d.get("territory"),
            "kind": d.get("kind"),
            "status": d.get("status"),
            "date_from": d.get("date_from"),
            "date_to": d.get("date_to"),
            "staff": d.get("staff"),
            "search": d.get("q") or None,
        }


class PartnerInputSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=PartnerRole.choices)
    name = serializers.CharField(required=False, allow_blank=True, default="", **_NAME)
    organisation = serializers.CharField(required=False, allow_blank=True, default="", **_NAME)
    partner = IdField(required=False, allow_null=True, help_text="A partner institution of the centre.")


class EventCreateSerializer(serializers.Serializer):
    territory = IdField(help_text="A node of the centre's territorial tree (eldership, village, sołectwo…).")
    kind = serializers.ChoiceField(choices=EventKind.choices)
    date = serializers.DateField()
    title = serializers.CharField(required=False, allow_blank=True, default="", **_NAME)
    starts_at = serializers.TimeField(required=False, allow_null=True)
    ends_at = serializers.TimeField(required=False, allow_null=True)
    place = serializers.CharField(required=False, allow_blank=True, default="", **_NAME)
    staff = IdListField(required=False, help_text="Members of staff (user ids); you when left out.")
    partners = PartnerInputSerializer(many=True, required=False)
    notes = serializers.CharField(required=False, allow_blank=True, default="", **_NOTES)


class EventUpdateSerializer(serializers.Serializer):
    territory = IdField(required=False)
    kind = serializers.ChoiceField(choices=EventKind.choices, required=False)
    date = serializers.DateField(required=False)
    title = serializers.CharField(required=False, allow_blank=True, **_NAME)
    starts_at = serializers.TimeField(required=False, allow_null=True)
    ends_at = serializers.TimeField(required=False, allow_null=True)
    place = serializers.CharField(required=False, allow_blank=True, **_NAME)
    staff = IdListField(required=False)
    partners = PartnerInputSerializer(many=True, required=False)
    notes = serializers.CharField(required=False, allow_blank=True, **_NOTES)


class AttendeeInputSerializer(serializers.Serializer):
    person = IdField(required=False, allow_null=True, help_text="A person of the registry (or give a name).")
    name = serializers.CharField(required=False, allow_blank=True, default="", **_NAME)
    consent = serializers.ChoiceField(
        choices=AttendeeConsent.choices, required=False, help_text="How the attendee agreed to be named: required."
    )
    consent_on = serializers.DateField(required=False)


class LeafletInputSerializer(serializers.Serializer):
    service_code = serializers.CharField(max_length=60, help_text="A service code of the jurisdiction's catalogue.")
    count = serializers.IntegerField(min_value=1, max_value=100000)


class FollowUpInputSerializer(serializers.Serializer):
    text = serializers.CharField(**_SHORT)
    responsible = IdField(required=False, allow_null=True)
    due_on = serializers.DateField(required=False, allow_null=True)


class EventHeldSerializer(serializers.Serializer):
    held_on = serializers.DateField(required=False, help_text="The day it took place (the planned day if left out).")
    headcount = serializers.IntegerField(min_value=0, max_value=100000)
    partners = PartnerInputSerializer(many=True, required=False)
    attendees = AttendeeInputSerializer(many=True, required=False, max_length=500)
    leaflets = LeafletInputSerializer(many=True, required=False, max_length=100)
    questions = serializers.CharField(required=False, allow_blank=True, default="", **_NOTES)
    notes = serializers.CharField(required=False, allow_blank=True, **_NOTES)
    follow_ups = FollowUpInputSerializer(many=True, required=False, max_length=100)


class EventCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(**_SHORT)


class EventReplanSerializer(serializers.Serializer):
    date = serializers.DateField()
    starts_at = serializers.TimeField(required=False, allow_null=True)
    ends_at = serializers.TimeField(required=False, allow_null=True)


class FollowUpDoneSerializer(serializers.Serializer):
    follow_up = IdField(help_text="A follow-up of this event.")
    done = serializers.BooleanField(required=False, default=True)


# --- potential recipients: input --------------------------------------------------------------------------


class RecipientQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=RecipientStatus.choices, required=False)
    event = IdField(required=False)
    territory = IdField(required=False)
    q = serializers.CharField(required=False, max_length=100, help_text="Name, description or need.")


class RecipientCreateSerializer(serializers.Serializer):
    event = IdField(required=False, allow_null=True)
    name = serializers.CharField(required=False, allow_blank=True, default="", **_NAME)
    description = serializers.CharField(required=False, allow_blank=True, default="", **_SHORT)
    need = serializers.CharField(**_NOTES)
    territory = IdField(required=False, allow_null=True)
    place = serializers.CharField(required=False, allow_blank=True, default="", **_NAME)
    person = IdField(required=False, allow_null=True)
    found_on = serializers.DateField(required=False)


class NewPersonSerializer(serializers.Serializer):
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    birth_date = serializers.DateField(required=False, allow_null=True)
    national_id = serializers.CharField(required=False, allow_blank=True, max_length=20)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=40)
    street_address = serializers.CharField(required=False, allow_blank=True, max_length=200)


class MakeContactSerializer(serializers.Serializer):
    topics = serializers.ListField(
        child=serializers.CharField(max_length=60), required=False, max_length=20, help_text="Contact topic codes."
    )
    outcomes = serializers.ListField(child=serializers.CharField(max_length=60), required=False, max_length=20)
    notes = serializers.CharField(required=False, allow_blank=True, **_NOTES)
    person = IdField(required=False, allow_null=True, help_text="The person, when registered.")
    new_person = NewPersonSerializer(required=False, help_text="Register the person on the way.")


class ReferSerializer(serializers.Serializer):
    partner = IdField(help_text="An active partner institution of the centre.")
    reason = serializers.CharField(required=False, allow_blank=True, **_NOTES)
    documents = serializers.ListField(child=serializers.CharField(max_length=200), required=False, max_length=50)
    sent_on = serializers.DateField(required=False)
    response_due_on = serializers.DateField(required=False, allow_null=True)
    case = IdField(required=False, allow_null=True, help_text="The case (the person's open case when left out).")


class DismissSerializer(serializers.Serializer):
    reason = serializers.CharField(**_SHORT)


class EmptySerializer(serializers.Serializer):
    pass


# --- the territory view and the diagnosis -----------------------------------------------------------------


class TerritoryViewQuerySerializer(serializers.Serializer):
    root = IdField(required=False, help_text="A node of the centre's area (the centre's territory if left out).")
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)


class TerritoryRowSerializer(serializers.Serializer):
    territory = serializers.IntegerField(source="territory_id", read_only=True)
    name = serializers.CharField(read_only=True)
    level = serializers.CharField(read_only=True)
    parent = serializers.IntegerField(source="parent_id", read_only=True, allow_null=True)
    depth = serializers.IntegerField(read_only=True)
    state = serializers.ChoiceField(
        choices=[("visited", "visited"), ("planned", "planned"), ("not_reached", "not_reached")], read_only=True
    )
    held_count = serializers.IntegerField(read_only=True)
    last_held_on = serializers.DateField(read_only=True, allow_null=True)
    planned_count = serializers.IntegerField(read_only=True)
    next_planned_on = serializers.DateField(read_only=True, allow_null=True)


class TerritoryCountsSerializer(serializers.Serializer):
    visited = serializers.IntegerField(read_only=True)
    planned = serializers.IntegerField(read_only=True)
    not_reached = serializers.IntegerField(read_only=True)


class TerritoryViewSerializer(serializers.Serializer):
    root = TerritoryBriefSerializer(read_only=True)
    year = serializers.IntegerField(read_only=True)
    counts = TerritoryCountsSerializer(
        read_only=True, help_text="The root's children (elderships, communes, sołectwa) by state."
    )
    rows = TerritoryRowSerializer(many=True, read_only=True)


class DiagnosisQuerySerializer(serializers.Serializer):
    territory = IdField(required=False, help_text="A node of the centre's area (the centre's territory if left out).")
    on = serializers.DateField(required=False)


class CodeCountSerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True)
    count = serializers.IntegerField(read_only=True)


class RecipientCountsSerializer(serializers.Serializer):
    found = serializers.IntegerField(read_only=True)
    open = serializers.IntegerField(read_only=True)
    contacted = serializers.IntegerField(read_only=True)
    referred = serializers.IntegerField(read_only=True)
    dismissed = serializers.IntegerField(read_only=True)


class EventCountsSerializer(serializers.Serializer):
    held = serializers.IntegerField(read_only=True)
    planned = serializers.IntegerField(read_only=True)


class DiagnosisSerializer(serializers.Serializer):
    territory = TerritoryBriefSerializer(read_only=True)
    on = serializers.DateField(read_only=True)
    population = serializers.IntegerField(read_only=True)
    households = serializers.IntegerField(read_only=True)
    open_cases = serializers.IntegerField(read_only=True)
    cases_by_circumstance = serializers.SerializerMethodField()
    beneficiaries = serializers.IntegerField(read_only=True)
    benefits = serializers.SerializerMethodField()
    service_clients = serializers.IntegerField(read_only=True)
    services = serializers.SerializerMethodField()
    recipients = RecipientCountsSerializer(read_only=True)
    events = EventCountsSerializer(read_only=True)

    @staticmethod
    def _pairs(pairs) -> list[dict]:
        return [{"code": code, "count": count} for code, count in pairs]

    @extend_schema_field(CodeCountSerializer(many=True))
    def get_cases_by_circumstance(self, d) -> list[dict]:
        return self._pairs(d.cases_by_circumstance)

    @extend_schema_field(CodeCountSerializer(many=True))
    def get_benefits(self, d) -> list[dict]:
        return self._pairs(d.benefits)

    @extend_schema_field(CodeCountSerializer(many=True))
    def get_services(self, d) -> list[dict]:
        return self._pairs(d.services)

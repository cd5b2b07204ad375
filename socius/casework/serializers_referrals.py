"""API shapes for partner institutions and referrals. Shape only: the services check every value."""

from __future__ import annotations

from rest_framework import serializers

from socius.casework.models import PartnerKind, ReferralDirection
from socius.casework.statuses import ReferralStatus
from socius.common.api import IdField
from socius.common.limits import NOTES_MAX_LENGTH

# --- partners -------------------------------------------------------------------------------------


class PartnerSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=200, help_text="Unique in your centre (whatever the letter case).")
    kind = serializers.ChoiceField(choices=PartnerKind.choices)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=50, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    contact_person = serializers.CharField(max_length=200, required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=NOTES_MAX_LENGTH)
    is_active = serializers.BooleanField(
        required=False, default=True, help_text="False: no longer offered for new referrals (never deleted)."
    )
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


class PartnerQuerySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=PartnerKind.choices, required=False)
    active = serializers.ChoiceField(
        choices=[("true", "true"), ("false", "false"), ("all", "all")],
        required=False,
        default="true",
        help_text="Active partners (default), inactive ones, or all.",
    )

    def as_selector_kwargs(self) -> dict:
        data = self.validated_data
        return {"kind": data.get("kind"), "active": {"true": True, "false": False, "all": None}[data["active"]]}


# --- referrals ------------------------------------------------------------------------------------


class ReferralSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    case = serializers.IntegerField(source="case_id", read_only=True)
    case_reference = serializers.CharField(source="case.reference", read_only=True)
    direction = serializers.ChoiceField(choices=ReferralDirection.choices, read_only=True)
    partner = serializers.IntegerField(source="partner_id", read_only=True)
    partner_name = serializers.CharField(source="partner.name", read_only=True)
    reason = serializers.CharField(read_only=True)
    documents = serializers.ListField(child=serializers.CharField(), read_only=True)
    sent_on = serializers.DateField(read_only=True)
    response_due_on = serializers.DateField(read_only=True)
    status = serializers.ChoiceField(choices=ReferralStatus.choices, read_only=True)
    outcome = serializers.CharField(read_only=True)
    answered_on = serializers.DateField(read_only=True, allow_null=True)
    closed_on = serializers.DateField(read_only=True, allow_null=True)
    is_overdue = serializers.BooleanField(
        read_only=True, help_text="Still awaiting an answer (sent or acknowledged) and due before today."
    )
    created_at = serializers.DateTimeField(read_only=True)


class ReferralCreateSerializer(serializers.Serializer):
    case = IdField(help_text="The case (id); you must work it and it must be open.")
    direction = serializers.ChoiceField(choices=ReferralDirection.choices)
    partner = IdField(help_text="An active partner institution of your centre (id).")
    reason = serializers.CharField(max_length=NOTES_MAX_LENGTH)
    documents = serializers.ListField(
        child=serializers.CharField(max_length=300), required=False, default=list, help_text="Documents sent."
    )
    sent_on = serializers.DateField(required=False, allow_null=True, help_text="Today when left out.")
    response_due_on = serializers.DateField(
        required=False, allow_null=True, help_text="14 days after sent_on when left out; not before it."
    )


class ReferralQuerySerializer(serializers.Serializer):
    case = IdField(required=False, help_text="The referrals of this case (id).")
    overdue = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="Only overdue ones (true) or only others (false)."
    )


class ReferralMoveSerializer(serializers.Serializer):
    outcome = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Required to answer or close (closing an answered referral keeps its outcome when left out).",
        max_length=NOTES_MAX_LENGTH,
    )
    on = serializers.DateField(required=False, allow_null=True, help_text="Day of the change; today when left out.")

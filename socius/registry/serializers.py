"""API shapes for the registry: persons and households. Shape only; business checks live in services."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from socius.common.api import IdField, IdRelatedField
from socius.common.limits import NOTES_MAX_LENGTH
from socius.common.serializers import BuiltOnceFieldsMixin
from socius.registry.models import Household, Person, Relationship, Sex
from socius.registry.selectors import current_membership_of
from socius.registry.services import MemberSpec

_NOT_LOADED = object()


class UnknownAsNullChoiceField(serializers.ChoiceField):
    """A choice the model stores as "" when unknown: null in JSON, and null or "" accepted on input."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def validate_empty_values(self, data):
        is_empty, value = super().validate_empty_values(data)
        if is_empty and value is None:
            return True, ""
        return is_empty, value

    def to_internal_value(self, data):
        if data == "":
            return ""
        return super().to_internal_value(data)

    def to_representation(self, value):
        if value in ("", None):
            return None
        return super().to_representation(value)


class BlankAsNullCharField(serializers.CharField):
    """Text the model stores as "" when absent: null in JSON, and null or "" accepted on input."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def validate_empty_values(self, data):
        is_empty, value = super().validate_empty_values(data)
        if is_empty and value is None:
            return True, ""
        return is_empty, value

    def to_representation(self, value):
        if value in ("", None):
            return None
        return super().to_representation(value)


class PersonSerializer(BuiltOnceFieldsMixin, serializers.ModelSerializer):
    serializer_related_field = IdRelatedField
    sex = UnknownAsNullChoiceField(choices=Sex.choices, help_text="F, M, or null when unknown.")
    national_id = BlankAsNullCharField(
        max_length=20, help_text="PESEL, IDNP or asmens kodas, checked by the centre's country rules; null if none."
    )
    latin_name = serializers.CharField(
        read_only=True, help_text="Latin transliteration of a name written in Cyrillic; empty otherwise."
    )
    household = serializers.SerializerMethodField(help_text="The current household's id, or null.")
    ignore_similar = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text="On registration: save even though persons with a similar name and the same birth date "
        "exist (answered as possible_duplicates).",
    )

    class Meta:
        model = Person
        fields = [
            "id",
            "first_name",
            "last_name",
            "latin_name",
            "birth_date",
            "sex",
            "national_id",
            "citizenship",
            "territory",
            "street_address",
            "phone",
            "email",
            "education",
            "employment_status",
            "disability_degree",
            "notes",
            "household",
            "created_at",
            "updated_at",
            "ignore_similar",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]
        extra_kwargs = {"notes": {"max_length": NOTES_MAX_LENGTH}}
        # Uniqueness (national ID per centre) is a business rule: register_person/update_person check it.
        validators = []

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_household(self, person: Person) -> int | None:
        # Lists attach `current_membership` in one query (selectors.attach_current_households).
        membership = getattr(person, "current_membership", _NOT_LOADED)
        if membership is _NOT_LOADED:
            membership = current_membership_of(person)
        return membership.household_id if membership else None


class MemberSerializer(serializers.Serializer):
    person = IdField(source="person_id", help_text="Person id (of your centre).")
    relationship = serializers.ChoiceField(choices=Relationship.choices, help_text="Relationship to the head.")
    name = serializers.CharField(source="person.full_name", read_only=True)
    valid_from = serializers.DateField(read_only=True, help_text="Member since.")


class HouseholdSerializer(serializers.ModelSerializer):
    serializer_related_field = IdRelatedField
    members = MemberSerializer(
        many=True,
        source="current_members",
        help_text="Current members. On write, the full list: persons left out move out of the household; "
        "exactly one head.",
    )
    move = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text="Move listed persons out of their current household instead of refusing.",
    )

    class Meta:
        model = Household
        fields = [
            "id",
            "territory",
            "street_address",
            "external_ref",
            "notes",
            "members",
            "move",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]
        extra_kwargs = {"notes": {"max_length": NOTES_MAX_LENGTH}}
        # Reference uniqueness per centre is checked by create_household/update_household.
        validators = []

    def member_specs(self) -> list[MemberSpec] | None:
        """The members written, for the services; None when not sent (PATCH keeps the members)."""
        members = self.validated_data.get("current_members")
        if members is None:
            return None
        return [MemberSpec(person_id=m["person_id"], relationship=m["relationship"]) for m in members]

    def household_data(self) -> dict:
        return {k: v for k, v in self.validated_data.items() if k not in ("current_members", "move")}

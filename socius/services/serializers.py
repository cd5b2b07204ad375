"""API shapes of social services (decision 0016). Shape only: the services check every value (who may, the
catalogue, the case, the capacity, the states)."""

from __future__ import annotations

from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from socius.common.api import IdField
from socius.common.limits import NOTES_MAX_LENGTH
from socius.services.statuses import (
    DecisionStatus,
    QuantityPer,
    ServiceUnit,
    WaitingPriority,
    WaitingStatus,
    WorkerKind,
)

_NOTES = {"max_length": NOTES_MAX_LENGTH}
_MONEY = {"max_digits": 12, "decimal_places": 2}
_UNITS = {"max_digits": 8, "decimal_places": 2}
_CODE = {"max_length": 60}


def service_label(code: str) -> str:
    """The service's name in the reader's language (the code names its pack: "pl.home_help")."""
    from socius.services.catalogue import service_definition

    try:
        return service_definition(code.split(".", 1)[0].upper(), code).label_in(get_language())
    except LookupError:
        return code


def _name(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


# --- the catalogue and the offer -------------------------------------------------------------------------------


class ServiceOfferSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    service_code = serializers.CharField(read_only=True)
    valid_from = serializers.DateField(read_only=True)
    unit_cost = serializers.DecimalField(read_only=True, **_MONEY)
    capacity_per_week = serializers.DecimalField(
        read_only=True,
        allow_null=True,
        help_text="Units a week of the centre's staff; null: no limit.",
        **_UNITS,
    )
    cost_source = serializers.CharField(read_only=True)
    is_active = serializers.BooleanField(read_only=True)


class ServiceCatalogueRowSerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True)
    label = serializers.SerializerMethodField(help_text="The service's name in the language of Accept-Language.")
    statutory_label = serializers.CharField(source="definition.label", read_only=True)
    unit = serializers.ChoiceField(source="definition.unit", choices=ServiceUnit.choices, read_only=True)
    statutory_code = serializers.CharField(source="definition.statutory_code", read_only=True)
    group = serializers.CharField(source="definition.group", read_only=True)
    legal_basis = serializers.CharField(source="definition.legal_basis", read_only=True)
    copayment = serializers.CharField(source="definition.copayment", read_only=True)
    offer = ServiceOfferSerializer(
        read_only=True, allow_null=True, help_text="The centre's offer in force; null: not offered."
    )
    used_this_week = serializers.DecimalField(read_only=True, **_UNITS)
    capacity_left = serializers.DecimalField(read_only=True, allow_null=True, **_UNITS)

    def get_label(self, obj) -> str:
        return obj.definition.label_in(get_language())


class ServiceCatalogueQuerySerializer(serializers.Serializer):
    on = serializers.DateField(
        required=False, help_text="The day of the offer and of the week's use; today if left out."
    )
    offered = serializers.BooleanField(required=False, default=False, help_text="Only the services the centre offers.")


class ServiceOfferQuerySerializer(serializers.Serializer):
    service_code = serializers.CharField(required=False, **_CODE)


class ServiceOfferCreateSerializer(serializers.Serializer):
    service_code = serializers.CharField(**_CODE)
    valid_from = serializers.DateField()
    unit_cost = serializers.DecimalField(min_value=0, **_MONEY)
    capacity_per_week = serializers.DecimalField(required=False, allow_null=True, min_value=0, **_UNITS)
    cost_source = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    is_active = serializers.BooleanField(required=False, default=True)


# --- providers and workers -------------------------------------------------------------------------------------


class ServiceProviderCapacitySerializer(serializers.Serializer):
    service_code = serializers.CharField(**_CODE)
    units_per_week = serializers.DecimalField(min_value=0, allow_null=True, **_UNITS)


class ServiceProviderSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    partner = serializers.IntegerField(source="partner_id", read_only=True, allow_null=True)
    contract_reference = serializers.CharField(read_only=True)
    contract_from = serializers.DateField(read_only=True, allow_null=True)
    contract_until = serializers.DateField(read_only=True, allow_null=True)
    is_active = serializers.BooleanField(read_only=True)
    capacities = ServiceProviderCapacitySerializer(many=True, read_only=True)


class ServiceProviderWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    partner = IdField(required=False, allow_null=True, help_text="A partner institution of your centre (id).")
    contract_reference = serializers.CharField(required=False, allow_blank=True, max_length=100)
    contract_from = serializers.DateField(required=False, allow_null=True)
    contract_until = serializers.DateField(required=False, allow_null=True)
    is_active = serializers.BooleanField(required=False)


class ServiceProviderQuerySerializer(serializers.Serializer):
    active = serializers.BooleanField(required=False, allow_null=True, default=None)


class ServiceWorkerSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    kind = serializers.ChoiceField(choices=WorkerKind.choices, read_only=True)
    user = serializers.IntegerField(source="user_id", read_only=True, allow_null=True)
    provider = serializers.IntegerField(source="provider_id", read_only=True, allow_null=True)
    weekly_hours = serializers.DecimalField(read_only=True, max_digits=5, decimal_places=2)
    service_codes = serializers.ListField(child=serializers.CharField(), read_only=True)
    is_active = serializers.BooleanField(read_only=True)


class ServiceWorkerWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=WorkerKind.choices, required=False)
    user = IdField(required=False, allow_null=True, help_text="The worker's staff account (user id), if any.")
    provider = IdField(required=False, allow_null=True, help_text="The provider (id); null: the centre's staff.")
    weekly_hours = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0)
    service_codes = serializers.ListField(child=serializers.CharField(**_CODE), required=False, max_length=50)
    is_active = serializers.BooleanField(required=False)


class ServiceWorkerQuerySerializer(serializers.Serializer):
    service_code = serializers.CharField(required=False, **_CODE)
    provider = IdField(required=False)
    active = serializers.BooleanField(required=False, allow_null=True, default=None)


# --- decisions ---------------------------------------------------------------------------------------------------


class ServicePatternRowSerializer(serializers.Serializer):
    weekday = serializers.IntegerField(min_value=0, max_value=6, help_text="0 Monday … 6 Sunday.")
    start = serializers.RegexField(r"^([01]\d|2[0-3]):[0-5]\d$", help_text="HH:MM")
    units = serializers.DecimalField(min_value=0, max_value=24, **_UNITS)


class ServiceCopaymentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    valid_from = serializers.DateField(read_only=True)
    income = serializers.DecimalField(read_only=True, **_MONEY)
    household_size = serializers.IntegerField(read_only=True)
    lives_alone = serializers.BooleanField(read_only=True)
    free = serializers.BooleanField(read_only=True)
    share_of_cost_percent = serializers.DecimalField(read_only=True, max_digits=6, decimal_places=2)
    income_cap_percent = serializers.DecimalField(read_only=True, max_digits=6, decimal_places=2, allow_null=True)
    rule_version = serializers.DateField(read_only=True)
    rules_version = serializers.CharField(read_only=True)
    trace = serializers.JSONField(read_only=True)
    computed_by = serializers.IntegerField(source="computed_by_id", read_only=True)
    computed_at = serializers.DateTimeField(read_only=True)


class ServiceCopaymentFactsSerializer(serializers.Serializer):
    income = serializers.DecimalField(**_MONEY, min_value=0)
    household_size = serializers.IntegerField(min_value=1, max_value=30)
    lives_alone = serializers.BooleanField()


class ServiceDecisionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    number = serializers.CharField(read_only=True, help_text="<prefix>/<year>/<seq>, given when issued.")
    status = serializers.ChoiceField(choices=DecisionStatus.choices, read_only=True)
    case = serializers.IntegerField(source="case_id", read_only=True, allow_null=True)
    case_reference = serializers.SerializerMethodField()
    person = serializers.IntegerField(source="person_id", read_only=True)
    person_name = serializers.SerializerMethodField()
    household = serializers.IntegerField(source="household_id", read_only=True, allow_null=True)
    service_code = serializers.CharField(read_only=True)
    service_label = serializers.SerializerMethodField()
    unit = serializers.ChoiceField(choices=ServiceUnit.choices, read_only=True)
    quantity = serializers.DecimalField(read_only=True, **_UNITS)
    per = serializers.ChoiceField(choices=QuantityPer.choices, read_only=True)
    weekly_pattern = ServicePatternRowSerializer(many=True, read_only=True)
    starts_on = serializers.DateField(read_only=True)
    ends_on = serializers.DateField(read_only=True, allow_null=True)
    provider = serializers.IntegerField(source="provider_id", read_only=True, allow_null=True)
    provider_name = serializers.SerializerMethodField()
    legal_basis = serializers.CharField(read_only=True)
    notes = serializers.CharField(read_only=True)
    drafted_by = serializers.IntegerField(source="drafted_by_id", read_only=True)
    drafted_by_name = serializers.SerializerMethodField()
    issued_by = serializers.IntegerField(source="issued_by_id", read_only=True, allow_null=True)
    issued_on = serializers.DateField(read_only=True, allow_null=True)
    suspended_on = serializers.DateField(read_only=True, allow_null=True)
    suspension_reason = serializers.CharField(read_only=True)
    ended_on = serializers.DateField(read_only=True, allow_null=True)
    end_reason = serializers.CharField(read_only=True)
    waiting_entry = serializers.IntegerField(source="waiting_entry_id", read_only=True, allow_null=True)
    copayment_facts = serializers.SerializerMethodField(help_text="The income facts the drafter gave; null: none.")
    copayment = serializers.SerializerMethodField(help_text="The newest co-payment assessment; null: none.")
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    @extend_schema_field(ServiceCopaymentFactsSerializer(allow_null=True))
    def get_copayment_facts(self, obj) -> dict | None:
        return dict(obj.copayment_facts) if obj.copayment_facts else None

    def get_case_reference(self, obj) -> str:
        return obj.case.reference if obj.case_id else ""

    def get_person_name(self, obj) -> str:
        return f"{obj.person.first_name} {obj.person.last_name}".strip()

    def get_service_label(self, obj) -> str:
        return service_label(obj.service_code)

    def get_provider_name(self, obj) -> str:
        return obj.provider.name if obj.provider_id else ""

    def get_drafted_by_name(self, obj) -> str:
        return _name(obj.drafted_by)

    @extend_schema_field(ServiceCopaymentSerializer(allow_null=True))
    def get_copayment(self, obj) -> dict | None:
        rows = getattr(obj, "copayments_newest", None)
        if rows is None:
            rows = list(obj.copayments.order_by("-valid_from", "-id")[:1])
        return ServiceCopaymentSerializer(rows[0]).data if rows else None


class ServiceDecisionQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=DecisionStatus.choices, required=False)
    service_code = serializers.CharField(required=False, **_CODE)
    provider = IdField(required=False)
    person = IdField(required=False)
    case = IdField(required=False)
    in_force_on = serializers.DateField(required=False, help_text="Only decisions issued and in force on the day.")
    q = serializers.CharField(required=False, max_length=100, help_text="The client's name or the number.")


class ServiceDecisionWriteSerializer(serializers.Serializer):
    case = IdField(required=False, allow_null=True, help_text="The case (id) the decision is made on.")
    person = IdField(help_text="The client (person id): the case's person or a member of its household.")
    service_code = serializers.CharField(**_CODE)
    quantity = serializers.DecimalField(min_value=0, **_UNITS)
    per = serializers.ChoiceField(choices=QuantityPer.choices, required=False, default=QuantityPer.WEEK)
    weekly_pattern = ServicePatternRowSerializer(many=True, required=False, max_length=28)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True)
    provider = IdField(required=False, allow_null=True, help_text="The provider (id); null: the centre's staff.")
    legal_basis = serializers.CharField(required=False, allow_blank=True, max_length=300)
    notes = serializers.CharField(required=False, allow_blank=True, **_NOTES)
    waiting_entry = IdField(required=False, allow_null=True, help_text="The waiting-list entry it comes from (id).")
    income = serializers.DecimalField(required=False, allow_null=True, min_value=0, **_MONEY)
    household_size = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=30)
    lives_alone = serializers.BooleanField(required=False, allow_null=True)


class ServiceDecisionUpdateSerializer(ServiceDecisionWriteSerializer):
    case = None
    person = None
    service_code = serializers.CharField(required=False, **_CODE)
    quantity = serializers.DecimalField(required=False, min_value=0, **_UNITS)
    per = serializers.ChoiceField(choices=QuantityPer.choices, required=False)
    starts_on = serializers.DateField(required=False)


class ServiceIssueSerializer(serializers.Serializer):
    on = serializers.DateField(required=False, help_text="The day of issue; today when left out.")


class ServiceSuspendSerializer(serializers.Serializer):
    on = serializers.DateField(required=False, help_text="Today when left out.")
    reason = serializers.CharField(**_NOTES)


class ServiceResumeSerializer(serializers.Serializer):
    on = serializers.DateField(required=False, help_text="Today when left out.")


class ServiceCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", **_NOTES)


class ServiceAssessSerializer(ServiceCopaymentFactsSerializer):
    valid_from = serializers.DateField(required=False, help_text="The decision's first day when left out.")


# --- waiting lists ------------------------------------------------------------------------------------------------


class ServiceWaitingEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    service_code = serializers.CharField(read_only=True)
    service_label = serializers.SerializerMethodField()
    person = serializers.IntegerField(source="person_id", read_only=True)
    person_name = serializers.SerializerMethodField()
    case = serializers.IntegerField(source="case_id", read_only=True, allow_null=True)
    priority = serializers.ChoiceField(choices=WaitingPriority.choices, read_only=True)
    reason = serializers.CharField(read_only=True)
    requested_on = serializers.DateField(read_only=True)
    status = serializers.ChoiceField(choices=WaitingStatus.choices, read_only=True)
    placed_on = serializers.DateField(read_only=True, allow_null=True)
    withdrawn_on = serializers.DateField(read_only=True, allow_null=True)
    withdrawn_reason = serializers.CharField(read_only=True)
    position = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Place in the service's queue (waiting entries of the page's list)."
    )

    def get_person_name(self, obj) -> str:
        return f"{obj.person.first_name} {obj.person.last_name}".strip()

    def get_service_label(self, obj) -> str:
        return service_label(obj.service_code)


class ServiceWaitingQuerySerializer(serializers.Serializer):
    service_code = serializers.CharField(required=False, **_CODE)
    status = serializers.ChoiceField(
        choices=[*WaitingStatus.choices, ("all", "all")], required=False, default=WaitingStatus.WAITING
    )
    person = IdField(required=False)
    priority = serializers.ChoiceField(choices=WaitingPriority.choices, required=False)


class ServiceWaitingCreateSerializer(serializers.Serializer):
    person = IdField()
    service_code = serializers.CharField(**_CODE)
    case = IdField(required=False, allow_null=True)
    priority = serializers.ChoiceField(choices=WaitingPriority.choices, required=False, default=WaitingPriority.NORMAL)
    reason = serializers.CharField(**_NOTES)
    requested_on = serializers.DateField(required=False, help_text="Today when left out.")


class ServicePrioritySerializer(serializers.Serializer):
    priority = serializers.ChoiceField(choices=WaitingPriority.choices)
    reason = serializers.CharField(**_NOTES)


class ServiceWithdrawSerializer(serializers.Serializer):
    on = serializers.DateField(required=False, help_text="Today when left out.")
    reason = serializers.CharField(**_NOTES)


class ServicePlaceSerializer(serializers.Serializer):
    """A draft decision from the entry (its person, service and case), to be issued by another person."""

    quantity = serializers.DecimalField(min_value=0, **_UNITS)
    per = serializers.ChoiceField(choices=QuantityPer.choices, required=False, default=QuantityPer.WEEK)
    weekly_pattern = ServicePatternRowSerializer(many=True, required=False, max_length=28)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True)
    provider = IdField(required=False, allow_null=True)
    legal_basis = serializers.CharField(required=False, allow_blank=True, max_length=300)
    notes = serializers.CharField(required=False, allow_blank=True, **_NOTES)

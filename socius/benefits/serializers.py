"""API shapes for benefits, applications and decisions. Shape only: the services check the rest."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from socius.benefits.models import IncomeKind
from socius.benefits.selectors import benefit_name, rendered_reasons, rendered_trace
from socius.benefits.statuses import ApplicationStatus, DecisionKind, DecisionStatus, GrantState, PaymentMethod
from socius.casework.statutory import reader_language
from socius.common.api import IdField
from socius.common.limits import NOTES_MAX_LENGTH, SHORT_TEXT_MAX_LENGTH
from socius.rulebook.engine.benefits import INCOME_KINDS

MONTH_PATTERN = r"^(19[0-9]{2}|2[01][0-9]{2})-(0[1-9]|1[0-2])$"
CODE_PATTERN = r"^[a-z]{2}\.[a-z_]{1,56}$"
FLAG_PATTERN = r"^[a-z][a-z0-9_]{0,39}$"
MONEY_KW = {"max_digits": 12, "decimal_places": 2, "min_value": Decimal("0"), "coerce_to_string": True}


@extend_schema_field({"type": "string", "pattern": MONTH_PATTERN, "example": "2025-03"})
class MonthField(serializers.Field):
    """A month as YYYY-MM; read into the month's first day."""

    default_error_messages = {"invalid": _("Enter a month as YYYY-MM.")}

    def to_internal_value(self, data):
        if not isinstance(data, str) or len(data) != 7:
            self.fail("invalid")
        try:
            day = dt.date.fromisoformat(data + "-01")
        except ValueError:
            self.fail("invalid")
        if not 1900 <= day.year <= 2199:
            self.fail("invalid")
        return day

    def to_representation(self, value):
        return value.strftime("%Y-%m") if value else None


@extend_schema_field({"type": "string", "pattern": MONTH_PATTERN, "nullable": True, "example": "2025-08"})
class NullableMonthField(MonthField):
    def __init__(self, **kwargs):
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)


class MoneyField(serializers.DecimalField):
    """An amount as a string ("950.00"): a JSON number would pass through a float, so it is refused."""

    default_error_messages = {"not_a_string": _('Send the amount as a string, such as "950.00".')}

    def __init__(self, **kwargs):
        for key, value in MONEY_KW.items():
            kwargs.setdefault(key, value)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("not_a_string")
        return super().to_internal_value(data)


def _money(**kwargs):
    return MoneyField(**kwargs)


def _nullable_money(**kwargs):
    return MoneyField(allow_null=True, **kwargs)


def _flags(**kwargs):
    return serializers.ListField(
        child=serializers.RegexField(FLAG_PATTERN, max_length=40), max_length=40, required=False, **kwargs
    )


# --- the catalogue and the what-if calculation ---------------------------------------------------------


class BenefitParameterSerializer(serializers.Serializer):
    name = serializers.CharField()
    value = serializers.CharField(allow_null=True, help_text="In force on the day asked; null when none is.")
    unit = serializers.CharField()
    valid_from = serializers.DateField(allow_null=True)
    legal_basis = serializers.CharField()
    source = serializers.CharField()
    confirmed = serializers.BooleanField(help_text="False where the value could not be confirmed in a primary source.")


class BenefitDocumentSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField(help_text="In the language of Accept-Language.")
    statutory_label = serializers.CharField()
    required = serializers.BooleanField()


class BenefitSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField(help_text="In the language of Accept-Language.")
    statutory_name = serializers.CharField()
    jurisdiction = serializers.CharField()
    legal_basis = serializers.CharField()
    payment = serializers.ChoiceField(choices=[("monthly", "monthly"), ("one_off", "one_off")])
    currency = serializers.CharField()
    on = serializers.DateField(help_text="The day the parameters are in force.")
    versions = serializers.ListField(child=serializers.DateField(), help_text="Days its formula versions took effect.")
    parameters = BenefitParameterSerializer(many=True)
    documents = BenefitDocumentSerializer(many=True)


class BenefitQuerySerializer(serializers.Serializer):
    on = serializers.DateField(required=False, help_text="Parameters in force on this day (today by default).")
    jurisdiction = serializers.ChoiceField(choices=["PL", "MD", "LT"], required=False)


class IncomeRecordSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[(k, k) for k in INCOME_KINDS])
    amount = _money()
    month = MonthField(required=False, allow_null=True, default=None, help_text="Null: every month counted.")
    deductions = _money(required=False, default=Decimal("0"))
    one_off = serializers.BooleanField(required=False, default=False)
    covers_months = serializers.IntegerField(required=False, default=1, min_value=1, max_value=120)


class MemberFactsSerializer(serializers.Serializer):
    role = serializers.ChoiceField(
        choices=[(r, r) for r in ("applicant", "spouse", "partner", "child", "parent", "other", "member")],
        required=False,
        default="member",
    )
    birth_date = serializers.DateField(required=False, allow_null=True, default=None)
    income = _nullable_money(
        required=False, default=None, help_text="Monthly net income as the law counts it: a shortcut for incomes."
    )
    incomes = IncomeRecordSerializer(many=True, required=False, default=list, max_length=200)
    unable_to_work = serializers.BooleanField(required=False, default=False)
    unemployed = serializers.BooleanField(required=False, default=False)
    disabled = serializers.BooleanField(required=False, default=False)
    benefit_months_received = serializers.IntegerField(required=False, default=0, min_value=0, max_value=1200)
    flags = _flags(default=list)


class EvaluateSerializer(serializers.Serializer):
    benefit = serializers.RegexField(
        CODE_PATTERN, max_length=60, help_text="A benefit code, e.g. pl.permanent_allowance."
    )
    period = MonthField(help_text="The month evaluated.")
    household = MemberFactsSerializer(many=True, min_length=1, max_length=50)
    application_on = serializers.DateField(required=False, allow_null=True, default=None)
    income_lost = serializers.BooleanField(required=False, default=False)
    amounts = serializers.DictField(
        child=MoneyField(), required=False, default=dict, help_text='e.g. {"need": "300.00"}'
    )
    flags = _flags(default=list)
    purpose = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)

    def validate_amounts(self, value):
        if len(value) > 20 or any(not isinstance(k, str) or not 0 < len(k) <= 40 for k in value):
            raise serializers.ValidationError("At most 20 named amounts, each name up to 40 characters.")
        return value


class ReasonSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField(help_text="In the language of Accept-Language.")
    statutory_label = serializers.CharField()


class TraceStepSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField(help_text="In the language of Accept-Language.")
    statutory_label = serializers.CharField()
    value = serializers.CharField()
    unit = serializers.CharField(allow_blank=True)
    parameter = serializers.CharField(allow_null=True)
    valid_from = serializers.DateField(allow_null=True, help_text="The parameter value's effective date.")
    legal_basis = serializers.CharField(allow_blank=True)
    source = serializers.CharField(allow_blank=True)
    confirmed = serializers.BooleanField()


class OutcomeSerializer(serializers.Serializer):
    benefit = serializers.CharField()
    period = serializers.CharField()
    version = serializers.DateField(help_text="The day the formula version applied took effect.")
    rules_version = serializers.CharField()
    eligible = serializers.BooleanField()
    amount = serializers.CharField(help_text="A decimal as a string, in the pack's currency and rounding.")
    minimum = serializers.CharField(allow_null=True)
    maximum = serializers.CharField(allow_null=True)
    currency = serializers.CharField()
    reasons = ReasonSerializer(many=True)
    trace = TraceStepSerializer(many=True)


# --- applications --------------------------------------------------------------------------------------


class IncomeSerializer(serializers.Serializer):
    person = IdField(source="person_id", help_text="A member of the household (id).")
    month = MonthField()
    kind = serializers.ChoiceField(choices=IncomeKind.choices)
    amount = _money()
    deductions = _money(required=False, default=Decimal("0"))
    one_off = serializers.BooleanField(required=False, default=False)
    covers_months = serializers.IntegerField(required=False, default=1, min_value=1, max_value=120)


class IncomesSerializer(serializers.Serializer):
    incomes = IncomeSerializer(many=True, max_length=500, help_text="Replaces the whole declaration.")


class ApplicationMemberSerializer(serializers.Serializer):
    person = IdField(source="person_id", help_text="A member of the household (id).")
    unable_to_work = serializers.BooleanField(required=False, default=False)
    benefit_months_received = serializers.IntegerField(required=False, default=0, min_value=0, max_value=1200)
    flags = _flags(default=list)


class MembersSerializer(serializers.Serializer):
    members = ApplicationMemberSerializer(many=True, max_length=50, help_text="Replaces what was recorded.")


class ApplicationSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    case = IdField(source="case_id", help_text="The case (id).")
    household = serializers.IntegerField(source="household_id", read_only=True, allow_null=True)
    applicant = IdField(
        source="applicant_id", required=False, help_text="A member of the case's household (id); its head by default."
    )
    benefit = serializers.RegexField(CODE_PATTERN, max_length=60)
    benefit_name = serializers.SerializerMethodField()
    applied_on = serializers.DateField()
    ex_officio = serializers.BooleanField(required=False, default=False)
    period_from = MonthField(required=False, help_text="The first month asked for; the application's month by default.")
    period_to = NullableMonthField(
        required=False, default=None, help_text="The last month; null: open-ended or one-off."
    )
    purpose = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    need_amount = _nullable_money(required=False, default=None)
    amounts = serializers.DictField(child=MoneyField(), required=False, default=dict)
    income_lost = serializers.BooleanField(required=False, default=False)
    flags = _flags(default=list)
    documents = serializers.DictField(
        child=serializers.BooleanField(), required=False, default=dict, help_text="{document code: received}"
    )
    status = serializers.ChoiceField(choices=ApplicationStatus.choices, read_only=True)
    incomes = IncomeSerializer(many=True, read_only=True)
    members = ApplicationMemberSerializer(source="member_facts", many=True, read_only=True)
    created_at = serializers.DateTimeField(read_only=True)

    @extend_schema_field(serializers.CharField())
    def get_benefit_name(self, obj) -> str:
        return benefit_name(obj.benefit, reader_language())

    def validate_amounts(self, value):
        if len(value) > 20 or any(not 0 < len(k) <= 40 for k in value):
            raise serializers.ValidationError("At most 20 named amounts, each name up to 40 characters.")
        return value

    def validate_documents(self, value):
        if len(value) > 50 or any(not 0 < len(k) <= 60 for k in value):
            raise serializers.ValidationError("At most 50 documents.")
        return value


class ApplicationUpdateSerializer(ApplicationSerializer):
    case = serializers.IntegerField(source="case_id", read_only=True)
    benefit = serializers.CharField(read_only=True)
    applied_on = serializers.DateField(required=False)

    class Meta:
        ref_name = "ApplicationUpdate"


class ApplicationQuerySerializer(serializers.Serializer):
    case = IdField(required=False, help_text="Of this case (id).")
    household = IdField(required=False)
    person = IdField(required=False, help_text="Whose applicant is this person (id).")
    status = serializers.ChoiceField(choices=ApplicationStatus.choices, required=False)
    benefit = serializers.RegexField(CODE_PATTERN, max_length=60, required=False)


class ProposeSerializer(serializers.Serializer):
    amount = _nullable_money(
        required=False, default=None, help_text="Within the law's minimum–maximum where it gives one."
    )
    payment_method = serializers.ChoiceField(choices=PaymentMethod.choices, required=False, allow_blank=True)
    iban = serializers.CharField(required=False, allow_blank=True, max_length=42)
    justification = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=NOTES_MAX_LENGTH,
        help_text="Written from the trace when left out.",
    )


# --- decisions ----------------------------------------------------------------------------------------


class DecisionSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField(help_text="The number per centre and year, given at approval; empty before.")
    kind = serializers.ChoiceField(choices=DecisionKind.choices)
    status = serializers.ChoiceField(choices=DecisionStatus.choices)
    state = serializers.CharField(
        help_text="active, suspended, revoked, ended or superseded: a grant's state; empty otherwise."
    )
    benefit = serializers.CharField()
    benefit_name = serializers.SerializerMethodField()
    case = serializers.IntegerField(source="case_id")
    household = serializers.IntegerField(source="household_id", allow_null=True)
    applicant = serializers.IntegerField(source="applicant_id")
    application = serializers.IntegerField(source="application_id", allow_null=True)
    changes = serializers.IntegerField(source="changes_id", allow_null=True, help_text="The decision it changes.")
    one_off = serializers.BooleanField()
    period_from = MonthField()
    period_to = NullableMonthField()
    amount = serializers.CharField()
    currency = serializers.CharField()
    minimum = serializers.CharField(allow_null=True)
    maximum = serializers.CharField(allow_null=True)
    payment_method = serializers.CharField(help_text="bank_transfer, cash, or empty (no payment).")
    eligible = serializers.BooleanField(allow_null=True)
    proposed_by = serializers.IntegerField(source="proposed_by_id")
    proposed_at = serializers.DateTimeField()
    approved_by = serializers.IntegerField(source="approved_by_id", allow_null=True)
    approved_at = serializers.DateTimeField(allow_null=True)
    decided_on = serializers.DateField(allow_null=True)

    @extend_schema_field(serializers.CharField())
    def get_benefit_name(self, obj) -> str:
        return benefit_name(obj.benefit, reader_language())

    def to_representation(self, instance):
        data = super().to_representation(instance)
        for name in ("amount", "minimum", "maximum"):
            value = getattr(instance, name)
            data[name] = None if value is None else str(value)
        data["state"] = instance.state or ""
        data["payment_method"] = instance.payment_method or ""
        return data


class DecisionSerializer(DecisionSummarySerializer):
    iban = serializers.CharField(allow_blank=True)
    justification = serializers.CharField(allow_blank=True)
    reasons = serializers.SerializerMethodField()
    trace = serializers.SerializerMethodField()
    parameters = serializers.DictField(
        child=serializers.DictField(child=serializers.CharField(allow_blank=True)),
        help_text="{name: {value, valid_from, source}} of every parameter the computation read.",
    )
    facts = serializers.DictField(help_text="The facts snapshot the decision was computed from.")
    persons = serializers.ListField(source="member_ids", child=serializers.IntegerField(), help_text="Persons counted.")
    rules_version = serializers.CharField(allow_blank=True)
    formula_version = serializers.DateField(allow_null=True)
    contract = serializers.IntegerField(source="contract_id", allow_null=True, help_text="The social contract cited.")
    flag = serializers.IntegerField(source="flag_id", allow_null=True)
    returned_by = serializers.IntegerField(source="returned_by_id", allow_null=True)
    returned_at = serializers.DateTimeField(allow_null=True)
    returned_comment = serializers.CharField(allow_blank=True)
    changed_by = serializers.SerializerMethodField(help_text="The decisions (and proposals) that change this one.")

    @extend_schema_field(ReasonSerializer(many=True))
    def get_reasons(self, obj):
        return rendered_reasons(obj, reader_language())

    @extend_schema_field(TraceStepSerializer(many=True))
    def get_trace(self, obj):
        return rendered_trace(obj, reader_language())

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_changed_by(self, obj):
        return list(obj.changed_by.order_by("id").values_list("id", flat=True))


class DecisionQuerySerializer(serializers.Serializer):
    case = IdField(required=False, help_text="Of this case (id).")
    household = IdField(required=False)
    person = IdField(required=False, help_text="Whose party is this person (id).")
    application = IdField(required=False)
    status = serializers.ChoiceField(choices=DecisionStatus.choices, required=False)
    state = serializers.ChoiceField(choices=GrantState.choices, required=False)
    kind = serializers.ChoiceField(choices=DecisionKind.choices, required=False)
    benefit = serializers.RegexField(CODE_PATTERN, max_length=60, required=False)
    to_approve = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="true: the proposals you may approve (not your own)."
    )


class ReturnSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=SHORT_TEXT_MAX_LENGTH * 8, help_text="What must be corrected.")


class ChangeSerializer(serializers.Serializer):
    from_month = MonthField(help_text="The month from which the new decision applies.")
    justification = serializers.CharField(max_length=NOTES_MAX_LENGTH)


class AmendSerializer(serializers.Serializer):
    from_month = MonthField(help_text="The month from which the amendment applies; recomputed with its law.")
    amount = _nullable_money(required=False, default=None)
    payment_method = serializers.ChoiceField(choices=PaymentMethod.choices, required=False)
    iban = serializers.CharField(required=False, allow_blank=True, max_length=42)
    justification = serializers.CharField(required=False, allow_blank=True, default="", max_length=NOTES_MAX_LENGTH)


class IncomeChangeSerializer(serializers.Serializer):
    incomes = IncomeSerializer(
        many=True,
        min_length=1,
        max_length=500,
        help_text="The incomes of the months of the change (from the application's month on); they replace what "
        "was declared for those months.",
    )
    from_month = MonthField(
        required=False,
        help_text="The month the amendment applies from; by default the month after the latest month reported "
        "(a month's benefit counts the income of the month before).",
    )
    amount = _nullable_money(required=False, default=None, help_text="Within the law's range, where it gives one.")
    justification = serializers.CharField(required=False, allow_blank=True, default="", max_length=NOTES_MAX_LENGTH)


class BreachProposalSerializer(serializers.Serializer):
    flag = IdField(help_text="The case flag of the refused or breached social contract (id).")
    application = IdField(required=False, help_text="refuse_cash_aid: the open application to refuse.")
    decision = IdField(required=False, help_text="The grant to revoke, suspend or reduce.")
    from_month = MonthField(required=False, help_text="For a change of a grant.")
    amount = _nullable_money(required=False, default=None, help_text="reduce_cash_aid: the lower amount.")
    justification = serializers.CharField(required=False, allow_blank=True, default="", max_length=NOTES_MAX_LENGTH)


class AuthorisationSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    user = IdField(source="user_id", help_text="A member of staff of your centre (id).")
    granted_by = serializers.IntegerField(source="granted_by_id", read_only=True)
    granted_at = serializers.DateTimeField(read_only=True)
    revoked_by = serializers.IntegerField(source="revoked_by_id", read_only=True, allow_null=True)
    revoked_at = serializers.DateTimeField(read_only=True, allow_null=True)

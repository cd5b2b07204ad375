"""API shapes for funds, payment runs, payments, bank statements, transfers, payment details and payment
approvers. Shape only: the services check the rest (states, scope, IBAN checksums, budgets).

Amounts are strings ("950.00"), never JSON numbers; months are YYYY-MM. IBANs are shown in full only to
finance and auditors (payments.permissions.iban_for), masked for everyone else.
"""

from __future__ import annotations

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from socius.benefits.serializers import CODE_PATTERN, MoneyField, MonthField, NullableMonthField
from socius.common.api import IdField
from socius.payments.permissions import iban_for
from socius.payments.statuses import (
    AllocationKind,
    EntryOutcome,
    FundKind,
    JobState,
    PaymentChannel,
    PaymentStatus,
    RunKind,
    RunStatus,
    StatementFormat,
    TransferStatus,
)

YEAR_MIN, YEAR_MAX = 1900, 2199
CURRENCY_PATTERN = r"^[A-Z]{3}$"
# An IBAN as people type it (spaces allowed); its checksum and country are the service's (python-stdnum).
IBAN_MAX_LENGTH = 42
FILE_FORMATS = (("pain001", "pain001"), ("csv", "csv"), ("pdf", "pdf"))
# A statement upload: camt.053 files of 1,000,000 entries weigh a few hundred MB; the service streams them.
STATEMENT_FILE_NAME_MAX = 200


CENT = Decimal("0.01")


def money_text(value) -> str:
    """An amount as the API writes it: a string with two decimals ("552.00"), whatever the database summed."""
    return str(Decimal(value).quantize(CENT))


@extend_schema_field({"type": "string", "example": "PL61 •••• 2874"})
class ActorIbanField(serializers.Field):
    """An IBAN as the caller may read it: in full for finance and auditors, else masked (read only)."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        actor = self.context.get("actor")
        return iban_for(actor, value or "") if actor is not None else ""


class AmountField(serializers.CharField):
    """An amount shown as a string with two decimals."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return money_text(value)


class SignedMoneyField(MoneyField):
    """An amendment may lower an allocation: a signed amount, still a string."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", Decimal("-9999999999.99"))
        super().__init__(**kwargs)


# --- funds ------------------------------------------------------------------------------------------------


class FundSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    code = serializers.SlugField(max_length=40, help_text="Unique in the centre (letters, digits, - and _).")
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=FundKind.choices)
    currency = serializers.RegexField(CURRENCY_PATTERN, max_length=3, help_text="ISO 4217: PLN, MDL, EUR.")
    valid_from = serializers.DateField(required=False, allow_null=True, default=None, help_text="A project's start.")
    valid_until = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="A project's end (exclusive); empty: open."
    )
    debtor_name = serializers.CharField(max_length=140, required=False, allow_blank=True, default="")
    debtor_iban = serializers.CharField(
        max_length=IBAN_MAX_LENGTH,
        required=False,
        allow_blank=True,
        default="",
        help_text="The account its bank files pay from; masked unless you are finance or an auditor.",
    )
    debtor_bic = serializers.RegexField(
        r"^[A-Za-z0-9]{8}([A-Za-z0-9]{3})?$", max_length=11, required=False, allow_blank=True, default=""
    )
    is_active = serializers.BooleanField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        actor = self.context.get("actor")
        data["debtor_iban"] = iban_for(actor, instance.debtor_iban) if actor is not None else ""
        return data


class FundUpdateSerializer(serializers.Serializer):
    """Only the fields sent change; code, kind and currency never do."""

    name = serializers.CharField(max_length=200, required=False)
    valid_from = serializers.DateField(required=False, allow_null=True)
    valid_until = serializers.DateField(required=False, allow_null=True)
    debtor_name = serializers.CharField(max_length=140, required=False, allow_blank=True)
    debtor_iban = serializers.CharField(max_length=IBAN_MAX_LENGTH, required=False, allow_blank=True)
    debtor_bic = serializers.RegexField(
        r"^[A-Za-z0-9]{8}([A-Za-z0-9]{3})?$", max_length=11, required=False, allow_blank=True
    )
    is_active = serializers.BooleanField(required=False, help_text="false closes the fund: nothing new draws on it.")


class AllocationSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    fund = serializers.IntegerField(source="fund_id", read_only=True)
    year = serializers.IntegerField(min_value=YEAR_MIN, max_value=YEAR_MAX)
    kind = serializers.ChoiceField(
        choices=AllocationKind.choices,
        required=False,
        help_text="initial: the year's allocation; amendment: a correction (signed). Absent: the first row of "
        "the year is the allocation, the next ones amendments.",
    )
    amount = SignedMoneyField(help_text='A string such as "120000.00"; an amendment may be negative.')
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    decided_on = serializers.DateField(help_text="The day the budget resolution or its amendment was adopted.")
    recorded_by = serializers.IntegerField(source="recorded_by_id", read_only=True)
    recorded_at = serializers.DateTimeField(read_only=True)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["amount"] = money_text(instance.amount)
        return data


class FundQuerySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=FundKind.choices, required=False)
    active = serializers.BooleanField(required=False, allow_null=True, default=None)


class FundStatementQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=YEAR_MIN, max_value=YEAR_MAX, help_text="The budget year.")


class StatementMonthSerializer(serializers.Serializer):
    month = MonthField()
    committed = serializers.CharField()
    spent = serializers.CharField()
    committed_to_date = serializers.CharField(help_text="Year to date, this month included.")
    spent_to_date = serializers.CharField(help_text="Year to date, this month included.")
    available = serializers.CharField(help_text="What the fund still has for the year after this month.")


class FundStatementSerializer(serializers.Serializer):
    fund = serializers.IntegerField()
    fund_name = serializers.CharField()
    year = serializers.IntegerField()
    currency = serializers.CharField()
    allocation = serializers.CharField(help_text="The year's allocation with its amendments.")
    committed = serializers.CharField(help_text="Committed for the year by approved decisions and transfers.")
    spent = serializers.CharField(
        help_text="Payments of approved runs in the year, not cancelled, returned or reissued."
    )
    uncommitted = serializers.CharField(help_text="Spending no commitment covers.")
    available = serializers.CharField(help_text="Allocation less committed less uncommitted.")
    months = StatementMonthSerializer(many=True)


class BenefitFundSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    benefit = serializers.RegexField(
        CODE_PATTERN, max_length=60, help_text="A benefit code, such as pl.zasilek_okresowy."
    )
    fund = IdField(source="fund_id", help_text="A fund of your centre (id).")
    fund_name = serializers.CharField(source="fund.name", read_only=True)


# --- payment runs -----------------------------------------------------------------------------------------


class RunQuerySerializer(serializers.Serializer):
    month = MonthField(required=False)
    status = serializers.ChoiceField(choices=RunStatus.choices, required=False)
    kind = serializers.ChoiceField(choices=RunKind.choices, required=False)


class RunPrepareSerializer(serializers.Serializer):
    month = MonthField(help_text="The month paid (YYYY-MM).")
    extra = serializers.BooleanField(
        required=False,
        default=False,
        help_text="An extra run (corrections, reissues of returned payments) instead of the month's regular run.",
    )
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, help_text="Why; kept with the record.")


class RunSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    month = MonthField()
    number = serializers.IntegerField(help_text="1: the regular run of the month; 2, 3, ...: extra runs.")
    kind = serializers.ChoiceField(choices=RunKind.choices)
    status = serializers.ChoiceField(choices=RunStatus.choices)
    note = serializers.CharField()
    payment_count = serializers.IntegerField()
    total = AmountField()
    prepared_by = serializers.IntegerField(source="prepared_by_id")
    prepared_at = serializers.DateTimeField()
    checked_by = serializers.IntegerField(source="checked_by_id", allow_null=True)
    checked_at = serializers.DateTimeField(allow_null=True)
    approved_by = serializers.IntegerField(source="approved_by_id", allow_null=True)
    approved_at = serializers.DateTimeField(allow_null=True)
    exported_by = serializers.IntegerField(source="exported_by_id", allow_null=True)
    exported_at = serializers.DateTimeField(allow_null=True)
    reconciled_at = serializers.DateTimeField(allow_null=True)
    cancelled_by = serializers.IntegerField(source="cancelled_by_id", allow_null=True)
    cancelled_at = serializers.DateTimeField(allow_null=True)
    cancel_reason = serializers.CharField()
    is_locked = serializers.BooleanField(help_text="Approved or later: its payments never change.")
    anomaly_count = serializers.SerializerMethodField()

    @extend_schema_field(serializers.IntegerField())
    def get_anomaly_count(self, obj) -> int:
        return len(obj.anomalies or [])


class RunTotalSerializer(serializers.Serializer):
    fund = serializers.IntegerField(allow_null=True, help_text="Null: payments without a fund (an anomaly).")
    fund_name = serializers.CharField()
    territory = serializers.IntegerField(allow_null=True)
    territory_name = serializers.CharField()
    persons = serializers.IntegerField()
    households = serializers.IntegerField()
    payments = serializers.IntegerField()
    total = serializers.CharField()
    currency = serializers.CharField()


class AnomalySerializer(serializers.Serializer):
    code = serializers.CharField(help_text="no_iban, amount_changed, paid_twice, paid_in_two_centres, no_fund, ...")
    message = serializers.CharField(help_text="In the language of Accept-Language.")
    payment = serializers.IntegerField(allow_null=True)
    person = serializers.IntegerField(allow_null=True)
    params = serializers.DictField(help_text="The figures behind it (amounts as strings).")


class ProgressSerializer(serializers.Serializer):
    job = serializers.CharField(help_text="prepare, check, export, import: the work in progress or last done.")
    job_state = serializers.ChoiceField(choices=JobState.choices)
    job_done = serializers.IntegerField()
    job_total = serializers.IntegerField()
    percent = serializers.IntegerField()
    job_error = serializers.CharField()


class RunDetailSerializer(RunSerializer):
    totals = RunTotalSerializer(many=True, help_text="The payment lists: per fund and territory.")
    anomalies = AnomalySerializer(many=True, help_text="The check list of the last check.")
    progress = ProgressSerializer()


class RunFileQuerySerializer(serializers.Serializer):
    format = serializers.ChoiceField(
        choices=FILE_FORMATS,
        help_text="pain001: the ISO 20022 credit transfers (XML; a ZIP when the run needs several messages); "
        "csv: the same run as CSV; pdf: the cash payment list with a signature column.",
    )


# --- payments ---------------------------------------------------------------------------------------------


class PaymentQuerySerializer(serializers.Serializer):
    run = IdField(required=False)
    person = IdField(required=False)
    status = serializers.ChoiceField(choices=PaymentStatus.choices, required=False)
    month = MonthField(required=False)


class PaymentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    run = serializers.IntegerField(source="run_id")
    fund = serializers.IntegerField(source="fund_id", allow_null=True)
    decision = serializers.IntegerField(source="decision_id", allow_null=True)
    transfer = serializers.IntegerField(source="transfer_id", allow_null=True)
    reissue_of = serializers.IntegerField(source="reissue_of_id", allow_null=True)
    person = serializers.IntegerField(source="person_id", allow_null=True)
    household = serializers.IntegerField(source="household_id", allow_null=True)
    territory = serializers.IntegerField(source="territory_id", allow_null=True)
    payee_name = serializers.CharField()
    benefit = serializers.CharField()
    purpose = serializers.CharField()
    month = MonthField()
    amount = AmountField()
    currency = serializers.CharField()
    channel = serializers.ChoiceField(choices=PaymentChannel.choices)
    iban = ActorIbanField(help_text="Masked unless you are finance or an auditor.")
    end_to_end_id = serializers.CharField()
    status = serializers.ChoiceField(choices=PaymentStatus.choices)
    paid_on = serializers.DateField(allow_null=True)
    return_code = serializers.CharField(help_text="The bank's reason code of a return (AC04: account closed).")
    return_reason = serializers.CharField()
    returned_on = serializers.DateField(allow_null=True)
    cancel_reason = serializers.CharField()


class ReissueSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(
        choices=PaymentChannel.choices, required=False, help_text="Corrected channel; absent: as before."
    )
    iban = serializers.CharField(
        max_length=IBAN_MAX_LENGTH, required=False, allow_blank=True, help_text="Corrected IBAN (checked)."
    )
    holder_name = serializers.CharField(
        max_length=140, required=False, allow_blank=True, help_text="Corrected account holder's name."
    )
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


# --- bank statements --------------------------------------------------------------------------------------


class StatementUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        max_length=STATEMENT_FILE_NAME_MAX, allow_empty_file=False, help_text="A camt.053 (XML) or CSV statement."
    )
    format = serializers.ChoiceField(
        choices=StatementFormat.choices, required=False, help_text="Guessed from the content when absent."
    )


class BankStatementSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    format = serializers.ChoiceField(choices=StatementFormat.choices)
    file_name = serializers.CharField()
    statement_ref = serializers.CharField()
    account_iban = ActorIbanField()
    imported_by = serializers.IntegerField(source="imported_by_id")
    imported_at = serializers.DateTimeField()
    entries = serializers.IntegerField(help_text="Lines read.")
    paid = serializers.IntegerField(help_text="Payments marked paid.")
    returned = serializers.IntegerField(help_text="Payments marked returned, to reissue or cancel.")
    unmatched = serializers.IntegerField(help_text="Lines matching no payment of the centre (see lines).")
    already = serializers.IntegerField(help_text="Lines already recorded by an earlier import: nothing changed.")
    job_state = serializers.ChoiceField(choices=JobState.choices)
    job_done = serializers.IntegerField()
    job_total = serializers.IntegerField()
    job_error = serializers.CharField()


class StatementLineQuerySerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=EntryOutcome.choices, required=False)


class StatementLineSerializer(serializers.Serializer):
    line = serializers.IntegerField()
    end_to_end_id = serializers.CharField()
    amount = AmountField()
    currency = serializers.CharField()
    booked_on = serializers.DateField(allow_null=True)
    returned = serializers.BooleanField()
    reason_code = serializers.CharField()
    reason_text = serializers.CharField()
    outcome = serializers.ChoiceField(choices=EntryOutcome.choices)
    payment = serializers.IntegerField(source="payment_id", allow_null=True)
    person = serializers.SerializerMethodField()

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_person(self, obj) -> int | None:
        return obj.payment.person_id if obj.payment_id else None


# --- transfers --------------------------------------------------------------------------------------------


class TransferQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=TransferStatus.choices, required=False)
    fund = IdField(required=False)


class TransferSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    fund = IdField(source="fund_id", help_text="The fund it is paid from (id).")
    payee_name = serializers.CharField(max_length=140, help_text="The institution or person paid.")
    person = IdField(source="person_id", required=False, allow_null=True, default=None, help_text="When a person.")
    channel = serializers.ChoiceField(choices=PaymentChannel.choices)
    iban = serializers.CharField(
        max_length=IBAN_MAX_LENGTH,
        required=False,
        allow_blank=True,
        default="",
        help_text="For a bank transfer (checked); shown masked unless you are finance or an auditor.",
    )
    purpose = serializers.CharField(max_length=140)
    territory = IdField(source="territory_id", required=False, allow_null=True, default=None)
    amount = MoneyField(help_text='Each month\'s amount, a string such as "2000.00".')
    currency = serializers.CharField(read_only=True)
    month_from = MonthField()
    month_to = NullableMonthField(required=False, default=None, help_text="Inclusive; empty: paid once.")
    status = serializers.ChoiceField(choices=TransferStatus.choices, read_only=True)
    proposed_by = serializers.IntegerField(source="proposed_by_id", read_only=True)
    proposed_at = serializers.DateTimeField(read_only=True)
    approved_by = serializers.IntegerField(source="approved_by_id", read_only=True, allow_null=True)
    approved_at = serializers.DateTimeField(read_only=True, allow_null=True)
    cancelled_by = serializers.IntegerField(source="cancelled_by_id", read_only=True, allow_null=True)
    cancelled_at = serializers.DateTimeField(read_only=True, allow_null=True)
    cancel_reason = serializers.CharField(read_only=True)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        actor = self.context.get("actor")
        data["iban"] = iban_for(actor, instance.iban) if actor is not None else ""
        data["amount"] = money_text(instance.amount)
        return data


# --- payment details --------------------------------------------------------------------------------------


class PaymentDetailsQuerySerializer(serializers.Serializer):
    person = IdField(required=False)


class PaymentDetailsSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    person = IdField(source="person_id", help_text="The person paid (id).")
    decision = IdField(
        source="decision_id",
        required=False,
        allow_null=True,
        default=None,
        help_text="Only this decision; empty: every decision of the person in your centre.",
    )
    channel = serializers.ChoiceField(choices=PaymentChannel.choices)
    iban = serializers.CharField(
        max_length=IBAN_MAX_LENGTH,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required for a bank transfer; checked (PL, LT, MD ...). Masked unless finance or an auditor.",
    )
    holder_name = serializers.CharField(max_length=140, required=False, allow_blank=True, default="")
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    changed_by = serializers.IntegerField(source="changed_by_id", read_only=True)
    changed_at = serializers.DateTimeField(read_only=True)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        actor = self.context.get("actor")
        data["iban"] = iban_for(actor, instance.iban) if actor is not None else ""
        return data


# --- who may approve payments -----------------------------------------------------------------------------


class PaymentApproverSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    user = IdField(source="user_id", help_text="A member of staff of your centre (id).")
    granted_by = serializers.IntegerField(source="granted_by_id", read_only=True)
    granted_at = serializers.DateTimeField(read_only=True)
    revoked_by = serializers.IntegerField(source="revoked_by_id", read_only=True, allow_null=True)
    revoked_at = serializers.DateTimeField(read_only=True, allow_null=True)

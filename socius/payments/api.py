"""API for payments: /api/v1/funds/, /api/v1/benefit-funds/, /api/v1/payment-runs/, /api/v1/payments/,
/api/v1/bank-statements/, /api/v1/transfers/, /api/v1/payment-details/ and /api/v1/payment-approvers/
(decision 0014).

Finance, the director, auditors and staff the director authorised to approve read every fund, run,
statement and transfer of their centre; social workers read the payments of the clients whose cases they
read (payments only). Writes call one service each; a state that does not allow the move answers 409 with
the reason, four eyes 403 with its message, nothing changed. IBANs are masked except for finance and
auditors. Every answer showing a person's data is audited under that person.
"""

from __future__ import annotations

from django.http import FileResponse, HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from socius.accounts.api import API_PERMISSIONS
from socius.accounts.audit import record_views
from socius.accounts.roles import (
    AUTHORISE_APPROVERS,
    MANAGE_FUNDS,
    PREPARE_PAYMENTS,
    VIEW_CASES,
    VIEW_PAYMENTS,
)
from socius.common.api import BAD_INPUT, NOT_FOUND
from socius.common.api import pk_or_404 as _pk
from socius.common.errors import Conflict, NotFound
from socius.payments import exports, funds, runs, selectors, statements
from socius.payments.errors import FourEyesPayments
from socius.payments.models import (
    BankStatement,
    BenefitFund,
    Fund,
    Payment,
    PaymentApprover,
    PaymentDetailsChange,
    PaymentRun,
    StatementEntry,
    Transfer,
)
from socius.payments.permissions import (
    can_approve_payments,
    can_manage_funds,
    can_prepare_payments,
    reads_every_payment,
    sees_full_iban,
)
from socius.payments.serializers import (
    AllocationSerializer,
    AnomalySerializer,
    BankStatementSerializer,
    BenefitFundSerializer,
    FundQuerySerializer,
    FundSerializer,
    FundStatementQuerySerializer,
    FundStatementSerializer,
    FundUpdateSerializer,
    PaymentApproverSerializer,
    PaymentDetailsQuerySerializer,
    PaymentDetailsSerializer,
    PaymentQuerySerializer,
    PaymentSerializer,
    ProgressSerializer,
    ReasonSerializer,
    ReissueSerializer,
    RunDetailSerializer,
    RunFileQuerySerializer,
    RunPrepareSerializer,
    RunQuerySerializer,
    RunSerializer,
    StatementLineQuerySerializer,
    StatementLineSerializer,
    StatementUploadSerializer,
    TransferQuerySerializer,
    TransferSerializer,
    money_text,
)

_FORBIDDEN = OpenApiResponse(description="Your role does not allow this.")
_CONFLICT = OpenApiResponse(
    description='The state does not allow this (or the fund has too little): {"detail": reason, "code": ...}; '
    "nothing was changed."
)
_FOUR_EYES = OpenApiResponse(
    description="Your role does not allow this, or you prepared (proposed) it yourself: four eyes "
    '({"detail": reason}); nothing was changed.'
)
_WRITE = {400: BAD_INPUT, 403: _FORBIDDEN, 404: NOT_FOUND, 409: _CONFLICT}
_READ = {403: _FORBIDDEN, 404: NOT_FOUND}


def _query(serializer_class, request) -> dict:
    query = serializer_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    return {k: v for k, v in query.validated_data.items() if v is not None}


def _body(serializer_class, request) -> dict:
    body = serializer_class(data=request.data)
    body.is_valid(raise_exception=True)
    return dict(body.validated_data)


def _four_eyes(call):
    try:
        return call()
    except FourEyesPayments as refusal:
        raise PermissionDenied(detail=str(refusal.message), code="four_eyes") from None


class AllowedBy(BasePermission):
    """On top of the declared capability, the view's predicate for the action (payments.permissions):
    approvers the director authorised hold no payments capability by role, and a capability such as
    VIEW_CASES is wider than "reads every payment"."""

    def has_permission(self, request, view) -> bool:
        rule = getattr(view, "rules", {}).get(getattr(view, "action", None))
        return rule is None or bool(rule(request.user))


PERMISSIONS = [*API_PERMISSIONS, AllowedBy]


def _prepares_or_approves(actor) -> bool:
    return can_prepare_payments(actor) or can_approve_payments(actor)


class _PaymentsViewSet(viewsets.GenericViewSet):
    permission_classes = PERMISSIONS
    filter_backends = []
    lookup_value_regex = r"\d+"

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "actor": self.request.user}

    def _out(self, serializer_class, instance, code=status.HTTP_200_OK, **kwargs):
        return Response(serializer_class(instance, context={"actor": self.request.user}, **kwargs).data, status=code)


# --- audit --------------------------------------------------------------------------------------------------


def audit_payments(actor, payments) -> None:
    """One VIEW per payment shown that pays a person, under that person (institutions are nobody's data)."""
    record_views(
        actor,
        [
            {
                "object_type": "payment",
                "object_id": p.pk,
                "centre_id": p.centre_id,
                "person_id": p.person_id,
            }
            for p in payments
            if p.person_id
        ],
    )


def _audit_records(actor, object_type: str, records) -> None:
    record_views(
        actor,
        [
            {"object_type": object_type, "object_id": r.pk, "centre_id": r.centre_id, "person_id": r.person_id}
            for r in records
            if r.person_id
        ],
    )


# --- funds ----------------------------------------------------------------------------------------------------


def _funds_of(actor):
    return Fund.objects.filter(centre_id=actor.centre_id).order_by("code", "id")


def _fund_for(actor, pk) -> Fund:
    fund = _funds_of(actor).filter(pk=_pk(pk)).first()
    if fund is None:
        raise NotFound()
    return fund


def _money(value) -> str:
    return money_text(value or 0)


def _statement_data(statement) -> dict:
    """The fund statement (funds.fund_statement) as the API answers it: amounts as strings."""
    fund = statement.fund
    return {
        "fund": fund.pk,
        "fund_name": fund.name,
        "year": statement.year,
        "currency": statement.currency,
        "allocation": _money(statement.allocation),
        "committed": _money(statement.committed),
        "spent": _money(statement.spent),
        "uncommitted": _money(statement.uncommitted),
        "available": _money(statement.available),
        "months": [
            {
                "month": m.month,
                "committed": _money(m.committed),
                "spent": _money(m.spent),
                "committed_to_date": _money(m.committed_to_date),
                "spent_to_date": _money(m.spent_to_date),
                "available": _money(m.available),
            }
            for m in statement.months
        ],
    }


@extend_schema_view(
    list=extend_schema(
        parameters=[FundQuerySerializer],
        responses={200: FundSerializer(many=True), 403: _FORBIDDEN},
        description="The funds of your centre, by code.",
    ),
)
@extend_schema(tags=["funds"])
class FundViewSet(mixins.ListModelMixin, _PaymentsViewSet):
    """Funds with their yearly allocations and amendments, and their statements."""

    serializer_class = FundSerializer
    capabilities = {
        **dict.fromkeys(("list", "retrieve", "statement", "allocations", "options"), VIEW_CASES),
        "create": MANAGE_FUNDS,
        "partial_update": MANAGE_FUNDS,
    }
    rules = dict.fromkeys(("list", "retrieve", "statement", "allocations"), reads_every_payment)
    queryset = Fund.objects.none()

    def get_queryset(self):
        query = _query(FundQuerySerializer, self.request)
        funds_ = _funds_of(self.request.user)
        if "kind" in query:
            funds_ = funds_.filter(kind=query["kind"])
        if "active" in query:
            funds_ = funds_.filter(is_active=query["active"])
        return funds_

    @extend_schema(responses={200: FundSerializer, **_READ}, description="One fund.")
    def retrieve(self, request, pk=None):
        return self._out(FundSerializer, _fund_for(request.user, pk))

    @extend_schema(
        request=FundSerializer,
        responses={201: FundSerializer, **_WRITE},
        description="A new fund of your centre (finance, the director). 400 on a code already used or a bad IBAN.",
    )
    def create(self, request):
        fund = funds.create_fund(request.user, _body(FundSerializer, request))
        return self._out(FundSerializer, fund, status.HTTP_201_CREATED)

    @extend_schema(
        request=FundUpdateSerializer,
        responses={200: FundSerializer, **_WRITE},
        description="Change a fund's name, period or debtor account, or close it (`is_active` false); only the "
        "fields sent change (finance, the director; audited). Code, kind and currency never change.",
    )
    def partial_update(self, request, pk=None):
        body = FundUpdateSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        fund = funds.update_fund(request.user, _fund_for(request.user, pk).pk, dict(body.validated_data))
        return self._out(FundSerializer, fund)

    @extend_schema(
        methods=["GET"],
        responses={200: AllocationSerializer(many=True), **_READ},
        description="The fund's allocations and amendments, oldest first (rows are never edited).",
    )
    @extend_schema(
        methods=["POST"],
        request=AllocationSerializer,
        responses={201: AllocationSerializer, **_WRITE},
        description="Record the year's allocation (`initial`) or an amendment to it (finance, the director).",
    )
    @action(detail=True, methods=["get", "post"], serializer_class=AllocationSerializer)
    def allocations(self, request, pk=None):
        if request.method == "POST" and not can_manage_funds(request.user):
            raise PermissionDenied()
        fund = _fund_for(request.user, pk)
        if request.method == "POST":
            allocation = funds.allocate(request.user, fund.pk, _body(AllocationSerializer, request))
            return self._out(AllocationSerializer, allocation, status.HTTP_201_CREATED)
        rows = fund.allocations.order_by("year", "recorded_at", "id")
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(AllocationSerializer(page, many=True).data)

    @extend_schema(
        parameters=[FundStatementQuerySerializer],
        responses={200: FundStatementSerializer, 400: BAD_INPUT, **_READ},
        description="The fund statement for `?year=`: the allocation, what is committed, spent and available, per "
        "month and year to date.",
    )
    @action(detail=True, methods=["get"], serializer_class=FundStatementSerializer)
    def statement(self, request, pk=None):
        fund = _fund_for(request.user, pk)
        year = _query(FundStatementQuerySerializer, request)["year"]
        return Response(FundStatementSerializer(_statement_data(funds.fund_statement(fund, year))).data)


@extend_schema_view(
    list=extend_schema(
        responses={200: BenefitFundSerializer(many=True), 403: _FORBIDDEN},
        description="Which fund each benefit draws on in your centre.",
    ),
)
@extend_schema(tags=["funds"])
class BenefitFundViewSet(mixins.ListModelMixin, _PaymentsViewSet):
    """Which fund each benefit draws on, per centre: set (or changed) by POST, one row per benefit."""

    serializer_class = BenefitFundSerializer
    capabilities = {"list": VIEW_CASES, "options": VIEW_CASES, "create": MANAGE_FUNDS}
    rules = {"list": reads_every_payment}
    queryset = BenefitFund.objects.none()

    def get_queryset(self):
        return (
            BenefitFund.objects.filter(centre_id=self.request.user.centre_id)
            .select_related("fund")
            .order_by("benefit", "id")
        )

    @extend_schema(
        request=BenefitFundSerializer,
        responses={201: BenefitFundSerializer, **_WRITE},
        description="Set the fund a benefit draws on in your centre (replaces the previous setting).",
    )
    def create(self, request):
        data = _body(BenefitFundSerializer, request)
        setting = funds.set_benefit_fund(request.user, data["benefit"], data["fund_id"])
        return self._out(BenefitFundSerializer, setting, status.HTTP_201_CREATED)


# --- payment runs ------------------------------------------------------------------------------------------


def _runs_of(actor):
    return PaymentRun.objects.filter(centre_id=actor.centre_id)


def _run_for(actor, pk) -> PaymentRun:
    run = _runs_of(actor).filter(pk=_pk(pk)).first()
    if run is None:
        raise NotFound()
    return run


def _anomaly_message(anomaly: dict) -> str:
    return str(runs.anomaly_message(anomaly))


def _run_detail(actor, run: PaymentRun) -> dict:
    anomalies = list(run.anomalies or [])
    payment_ids = [a.get("payment") for a in anomalies if isinstance(a.get("payment"), int)]
    persons = dict(Payment.objects.filter(pk__in=payment_ids).values_list("pk", "person_id")) if payment_ids else {}
    rows = []
    for anomaly in anomalies:
        params = anomaly.get("params") or {}
        rows.append(
            {
                "code": anomaly.get("code", ""),
                "message": _anomaly_message(anomaly),
                "payment": anomaly.get("payment"),
                "person": persons.get(anomaly.get("payment")),
                "params": {k: str(v) if not isinstance(v, int | bool | None) else v for k, v in params.items()},
            }
        )
    named = [p for p in dict.fromkeys(persons.values()) if p]
    if named:
        record_views(
            actor,
            [
                {
                    "object_type": "payment_run",
                    "object_id": run.pk,
                    "centre_id": run.centre_id,
                    "person_ids": named,
                }
            ],
        )
    totals = [
        {
            "fund": row.fund_id,
            "fund_name": row.fund_name,
            "territory": row.territory_id,
            "territory_name": row.territory_name,
            "persons": row.persons,
            "households": row.households,
            "payments": row.payments,
            "total": money_text(row.total),
            "currency": row.currency,
        }
        for row in selectors.payment_lists(run)
    ]
    data = RunSerializer(run).data
    data.update(
        totals=totals,
        anomalies=AnomalySerializer(rows, many=True).data,
        progress=ProgressSerializer(run).data,
    )
    return data


def _progress(run) -> dict:
    return ProgressSerializer(run).data


@extend_schema_view(
    list=extend_schema(
        parameters=[RunQuerySerializer],
        responses={200: RunSerializer(many=True), 400: BAD_INPUT, 403: _FORBIDDEN},
        description="The payment runs of your centre, newest month first; `?month=`, `?status=`, `?kind=` narrow.",
    ),
)
@extend_schema(tags=["payment runs"])
class PaymentRunViewSet(mixins.ListModelMixin, _PaymentsViewSet):
    """Monthly payment runs: prepared and checked by finance, approved by another authorised person (four
    eyes), exported to bank files and cash lists, reconciled by the bank statement."""

    serializer_class = RunSerializer
    capabilities = {
        **dict.fromkeys(("list", "retrieve", "progress", "options"), VIEW_CASES),
        **dict.fromkeys(("create", "check", "export"), PREPARE_PAYMENTS),
        # The director approves by role, other staff when the director authorised them: the rules decide.
        **dict.fromkeys(("approve", "cancel", "draft"), VIEW_CASES),
        "file": VIEW_PAYMENTS,
    }
    rules = {
        **dict.fromkeys(("list", "retrieve", "progress"), reads_every_payment),
        "approve": can_approve_payments,
        **dict.fromkeys(("cancel", "draft"), _prepares_or_approves),
    }
    queryset = PaymentRun.objects.none()

    def get_queryset(self):
        query = _query(RunQuerySerializer, self.request)
        runs = _runs_of(self.request.user)
        for key in ("month", "status", "kind"):
            if key in query:
                runs = runs.filter(**{key: query[key]})
        return runs.order_by("-month", "-number", "-id")

    def perform_content_negotiation(self, request, force=False):
        # ?format= names the run's file (pain001, csv, pdf), not one of DRF's renderers; errors answer JSON.
        if getattr(self, "action", None) == "file":
            renderer = JSONRenderer()
            return renderer, renderer.media_type
        return super().perform_content_negotiation(request, force)

    def _detail(self, request, pk, code=status.HTTP_200_OK):
        return Response(_run_detail(request.user, _run_for(request.user, pk)), status=code)

    @extend_schema(
        responses={200: RunDetailSerializer, **_READ},
        description="A run with its totals by fund and territory (the payment lists), the anomalies of its last "
        "check (each in the language of Accept-Language) and the progress of its background work.",
    )
    def retrieve(self, request, pk=None):
        return self._detail(request, pk)

    @extend_schema(
        request=RunPrepareSerializer,
        responses={201: RunDetailSerializer, **_WRITE},
        description="Prepare the month's regular run (or, with `extra`, an extra run): every amount due from "
        "active decisions, approved transfers' months and returned payments marked for reissue. Preparing a "
        "month again adds only what is missing. Large runs continue in the background: follow `progress`.",
    )
    def create(self, request):
        data = _body(RunPrepareSerializer, request)
        run = runs.prepare_run(
            request.user, request.user.centre_id, data["month"], extra=data["extra"], note=data["note"]
        )
        return self._detail(request, run.pk, status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses={200: RunDetailSerializer, **_WRITE},
        description="Check a draft run: lists its anomalies (no IBAN for a transfer, amount changed since last "
        "month, paid twice, paid in two centres, no fund for a benefit ...) and moves it to `checked`.",
    )
    @action(detail=True, methods=["post"])
    def check(self, request, pk=None):
        runs.check_run(request.user, _run_for(request.user, pk).pk)
        return self._detail(request, pk)

    @extend_schema(
        request=None,
        responses={200: RunDetailSerializer, 400: BAD_INPUT, 403: _FOUR_EYES, 404: NOT_FOUND, 409: _CONFLICT},
        description="Approve a checked run (the director or staff the director authorised; never who prepared or "
        "checked it — 403). The funds are checked under row locks: a fund with too little answers 409 naming it "
        "and the amount missing. Of two approvals at once, exactly one succeeds; the other answers 409.",
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        run = _run_for(request.user, pk)
        _four_eyes(lambda: runs.approve_run(request.user, run.pk))
        return self._detail(request, pk)

    @extend_schema(
        request=None,
        responses={200: RunDetailSerializer, **_WRITE},
        description="Export an approved run: write its pain.001 files (validated against the XSD), CSV and cash "
        "list, and mark its payments sent. Large runs continue in the background: follow `progress`.",
    )
    @action(detail=True, methods=["post"])
    def export(self, request, pk=None):
        exports.export_run(request.user, _run_for(request.user, pk).pk)
        return self._detail(request, pk)

    @extend_schema(
        request=ReasonSerializer,
        responses={200: RunDetailSerializer, **_WRITE},
        description="Cancel a run not yet approved, with the reason (finance or an approver; an approved run is "
        "locked: 409). Its payments are cancelled, so the month can be prepared again.",
    )
    @action(detail=True, methods=["post"], serializer_class=ReasonSerializer)
    def cancel(self, request, pk=None):
        reason = _body(ReasonSerializer, request)["reason"]
        runs.cancel_run(request.user, _run_for(request.user, pk).pk, reason)
        return self._detail(request, pk)

    @extend_schema(
        request=None,
        responses={200: RunDetailSerializer, **_WRITE},
        description="Return a checked run to draft for corrections (finance or an approver); 409 from any other state.",
    )
    @action(detail=True, methods=["post"])
    def draft(self, request, pk=None):
        runs.return_to_draft(request.user, _run_for(request.user, pk).pk)
        return self._detail(request, pk)

    @extend_schema(
        responses={200: ProgressSerializer, **_READ},
        description="The progress of the run's background work (preparing, checking, writing its files).",
    )
    @action(detail=True, methods=["get"], serializer_class=ProgressSerializer)
    def progress(self, request, pk=None):
        return Response(_progress(_run_for(request.user, pk)))

    @extend_schema(
        parameters=[RunFileQuerySerializer],
        responses={
            (200, "application/xml"): OpenApiTypes.BINARY,
            (200, "application/zip"): OpenApiTypes.BINARY,
            (200, "text/csv"): OpenApiTypes.BINARY,
            (200, "application/pdf"): OpenApiTypes.BINARY,
            400: BAD_INPUT,
            403: _FORBIDDEN,
            404: NOT_FOUND,
            409: _CONFLICT,
        },
        description="A file of an exported run, as an attachment (the download is audited): `pain001` the "
        "ISO 20022 pain.001.001.03 credit transfers (application/xml; application/zip when the run needs several "
        "messages: one per debtor account, split at the file limit), `csv` the run as CSV (text/csv), `pdf` the "
        "cash payment list with a signature column (application/pdf). Bank files hold full IBANs: finance and "
        "auditors only. 409 before the run is exported.",
    )
    @action(detail=True, methods=["get"])
    def file(self, request, pk=None):
        query = _query(RunFileQuerySerializer, request)
        run = _run_for(request.user, pk)
        if query["format"] in ("pain001", "csv") and not sees_full_iban(request.user):
            raise PermissionDenied(
                detail=_("Bank files show account numbers in full: only finance and auditors download them.")
            )
        name, content_type, content = exports.open_run_file(request.user, run.pk, query["format"])
        if isinstance(content, bytes | str):
            response = HttpResponse(content, content_type=content_type)
            response["Content-Disposition"] = f'attachment; filename="{name}"'
        else:
            response = FileResponse(content, as_attachment=True, filename=name, content_type=content_type)
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


# --- payments ------------------------------------------------------------------------------------------------


def _payments_for(actor, **filters):
    return selectors.list_payments_for(actor, **filters)


def _payment_for(actor, pk) -> Payment:
    pk = _pk(pk)
    payment = _payments_for(actor).filter(pk=pk).first()
    if payment is None:
        if Payment.objects.filter(pk=pk, centre_id=actor.centre_id).exists():
            raise PermissionDenied()
        raise NotFound()
    return payment


@extend_schema_view(
    list=extend_schema(
        parameters=[PaymentQuerySerializer],
        responses={200: PaymentSerializer(many=True), 400: BAD_INPUT, 403: _FORBIDDEN},
        description="Payments you may read: every payment of your centre for finance, the director, auditors and "
        "authorised approvers; the payments of your clients for social workers. `?run=`, `?person=`, "
        "`?status=`, `?month=` narrow. IBANs are masked unless you are finance or an auditor.",
    ),
)
@extend_schema(tags=["payments"])
class PaymentViewSet(mixins.ListModelMixin, _PaymentsViewSet):
    serializer_class = PaymentSerializer
    capabilities = {
        **dict.fromkeys(("list", "retrieve", "options"), VIEW_CASES),
        **dict.fromkeys(("reissue", "cancel"), PREPARE_PAYMENTS),
    }
    queryset = Payment.objects.none()

    def get_queryset(self):
        return _payments_for(self.request.user, **_query(PaymentQuerySerializer, self.request))

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            audit_payments(self.request.user, page)
        return page

    def _answer(self, request, pk):
        payment = _payment_for(request.user, pk)
        audit_payments(request.user, [payment])
        return self._out(PaymentSerializer, payment)

    @extend_schema(responses={200: PaymentSerializer, **_READ}, description="One payment.")
    def retrieve(self, request, pk=None):
        return self._answer(request, pk)

    @extend_schema(
        request=ReissueSerializer,
        responses={200: PaymentSerializer, **_WRITE},
        description="Mark a returned payment for reissue in the next extra run, with corrected details (IBAN "
        "checked). 409 unless the payment is returned.",
    )
    @action(detail=True, methods=["post"], serializer_class=ReissueSerializer)
    def reissue(self, request, pk=None):
        data = _body(ReissueSerializer, request)
        statements.reissue_payment(request.user, _payment_for(request.user, pk).pk, data)
        return self._answer(request, pk)

    @extend_schema(
        request=ReasonSerializer,
        responses={200: PaymentSerializer, **_WRITE},
        description="Cancel a returned payment with the reason (it is not paid again). 409 unless it is returned.",
    )
    @action(detail=True, methods=["post"], serializer_class=ReasonSerializer)
    def cancel(self, request, pk=None):
        reason = _body(ReasonSerializer, request)["reason"]
        statements.cancel_returned_payment(request.user, _payment_for(request.user, pk).pk, reason)
        return self._answer(request, pk)


# --- bank statements -----------------------------------------------------------------------------------------


def _statements_of(actor):
    return BankStatement.objects.filter(centre_id=actor.centre_id).order_by("-imported_at", "-id")


def _statement_for(actor, pk) -> BankStatement:
    statement = _statements_of(actor).filter(pk=_pk(pk)).first()
    if statement is None:
        raise NotFound()
    return statement


def audit_statement_lines(actor, statement, lines) -> None:
    """The lines shown name the persons of the payments they matched: one VIEW of the statement naming them."""
    persons = [line.payment.person_id for line in lines if line.payment_id and line.payment.person_id]
    if persons:
        record_views(
            actor,
            [
                {
                    "object_type": "bank_statement",
                    "object_id": statement.pk,
                    "centre_id": statement.centre_id,
                    "person_ids": persons,
                }
            ],
        )


@extend_schema_view(
    list=extend_schema(
        responses={200: BankStatementSerializer(many=True), 403: _FORBIDDEN},
        description="The bank statements imported in your centre, newest first, with what each did.",
    ),
)
@extend_schema(tags=["bank statements"])
class BankStatementViewSet(mixins.ListModelMixin, _PaymentsViewSet):
    serializer_class = BankStatementSerializer
    capabilities = {
        **dict.fromkeys(("list", "retrieve", "lines", "options"), VIEW_CASES),
        "create": PREPARE_PAYMENTS,
    }
    rules = dict.fromkeys(("list", "retrieve", "lines"), reads_every_payment)
    parser_classes = [MultiPartParser, FormParser]
    queryset = BankStatement.objects.none()

    def get_queryset(self):
        return _statements_of(self.request.user)

    @extend_schema(responses={200: BankStatementSerializer, **_READ}, description="One statement and its counts.")
    def retrieve(self, request, pk=None):
        return self._out(BankStatementSerializer, _statement_for(request.user, pk))

    @extend_schema(
        request={"multipart/form-data": StatementUploadSerializer},
        responses={201: BankStatementSerializer, **_WRITE},
        description="Import a bank statement (multipart/form-data: `file`, a camt.053 or CSV, and optionally "
        "`format`). Lines are matched on the end-to-end id: each payment is marked paid, or returned with its "
        "reason code; unmatched lines are reported. The answer counts what was paid, returned, unmatched and "
        "already recorded; `lines/` lists them. The same statement imported again is refused (409) and changes "
        "nothing.",
    )
    def create(self, request):
        data = _body(StatementUploadSerializer, request)
        statement = statements.import_statement(
            request.user, request.user.centre_id, data["file"], format=data.get("format")
        )
        statement.refresh_from_db()
        return self._out(BankStatementSerializer, statement, status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[StatementLineQuerySerializer],
        responses={200: StatementLineSerializer(many=True), 400: BAD_INPUT, **_READ},
        description="The statement's lines with what each did (paid, returned with its reason, unmatched, already "
        "recorded) and the payment it matched; `?outcome=` narrows.",
    )
    @action(detail=True, methods=["get"], serializer_class=StatementLineSerializer)
    def lines(self, request, pk=None):
        statement = _statement_for(request.user, pk)
        query = _query(StatementLineQuerySerializer, request)
        lines = StatementEntry.objects.filter(statement=statement).select_related("payment").order_by("line")
        if "outcome" in query:
            lines = lines.filter(outcome=query["outcome"])
        page = self.paginate_queryset(lines)
        audit_statement_lines(request.user, statement, page)
        return self.get_paginated_response(StatementLineSerializer(page, many=True).data)


# --- transfers -----------------------------------------------------------------------------------------------


def _transfers_of(actor):
    return Transfer.objects.filter(centre_id=actor.centre_id).order_by("-month_from", "-id")


def _transfer_for(actor, pk) -> Transfer:
    transfer = _transfers_of(actor).filter(pk=_pk(pk)).first()
    if transfer is None:
        raise NotFound()
    return transfer


@extend_schema_view(
    list=extend_schema(
        parameters=[TransferQuerySerializer],
        responses={200: TransferSerializer(many=True), 400: BAD_INPUT, 403: _FORBIDDEN},
        description="Transfers to institutions and one-off payments of your centre, newest first.",
    ),
)
@extend_schema(tags=["transfers"])
class TransferViewSet(mixins.ListModelMixin, _PaymentsViewSet):
    """A transfer is a payment too (the monthly sum to a social canteen, with its purpose): proposed by finance,
    approved by another authorised person (four eyes), which commits it on its fund."""

    serializer_class = TransferSerializer
    capabilities = {
        **dict.fromkeys(("list", "retrieve", "options", "approve", "cancel"), VIEW_CASES),
        "create": PREPARE_PAYMENTS,
    }
    rules = {
        **dict.fromkeys(("list", "retrieve"), reads_every_payment),
        "approve": can_approve_payments,
        "cancel": _prepares_or_approves,
    }
    queryset = Transfer.objects.none()

    def get_queryset(self):
        query = _query(TransferQuerySerializer, self.request)
        transfers = _transfers_of(self.request.user)
        if "status" in query:
            transfers = transfers.filter(status=query["status"])
        if "fund" in query:
            transfers = transfers.filter(fund_id=query["fund"])
        return transfers

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            _audit_records(self.request.user, "transfer", page)
        return page

    def _answer(self, request, pk, code=status.HTTP_200_OK):
        transfer = _transfer_for(request.user, pk)
        _audit_records(request.user, "transfer", [transfer])
        return self._out(TransferSerializer, transfer, code)

    @extend_schema(responses={200: TransferSerializer, **_READ}, description="One transfer.")
    def retrieve(self, request, pk=None):
        return self._answer(request, pk)

    @extend_schema(
        request=TransferSerializer,
        responses={201: TransferSerializer, **_WRITE},
        description="Propose a transfer (finance): monthly from `month_from` to `month_to`, or once.",
    )
    def create(self, request):
        data = _body(TransferSerializer, request)
        for key in ("fund", "person", "territory"):
            data[key] = data.pop(f"{key}_id", None)
        transfer = funds.propose_transfer(request.user, data)
        return self._answer(request, transfer.pk, status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses={200: TransferSerializer, 400: BAD_INPUT, 403: _FOUR_EYES, 404: NOT_FOUND, 409: _CONFLICT},
        description="Approve a proposed transfer (never your own — 403): it is committed on its fund; a fund "
        "with too little answers 409 naming it and the amount missing.",
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        transfer = _transfer_for(request.user, pk)
        _four_eyes(lambda: funds.approve_transfer(request.user, transfer.pk))
        return self._answer(request, pk)

    @extend_schema(
        request=ReasonSerializer,
        responses={200: TransferSerializer, **_WRITE},
        description="Cancel a transfer with the reason: its months not yet paid are released from the fund.",
    )
    @action(detail=True, methods=["post"], serializer_class=ReasonSerializer)
    def cancel(self, request, pk=None):
        reason = _body(ReasonSerializer, request)["reason"]
        funds.cancel_transfer(request.user, _transfer_for(request.user, pk).pk, reason)
        return self._answer(request, pk)


# --- payment details -----------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        parameters=[PaymentDetailsQuerySerializer],
        responses={200: PaymentDetailsSerializer(many=True), 400: BAD_INPUT, 403: _FORBIDDEN},
        description="Changes of payment details recorded in your centre, newest first; `?person=` narrows.",
    ),
)
@extend_schema(tags=["payments"])
class PaymentDetailsViewSet(mixins.ListModelMixin, _PaymentsViewSet):
    """How a person is paid, as changed over time (audited; never edited): a change applies from the next run
    not yet approved."""

    serializer_class = PaymentDetailsSerializer
    capabilities = {"list": VIEW_CASES, "options": VIEW_CASES, "create": PREPARE_PAYMENTS}
    rules = {"list": reads_every_payment}
    queryset = PaymentDetailsChange.objects.none()

    def get_queryset(self):
        query = _query(PaymentDetailsQuerySerializer, self.request)
        rows = PaymentDetailsChange.objects.filter(centre_id=self.request.user.centre_id)
        if "person" in query:
            rows = rows.filter(person_id=query["person"])
        return rows.order_by("-changed_at", "-id")

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            _audit_records(self.request.user, "payment_details", page)
        return page

    @extend_schema(
        request=PaymentDetailsSerializer,
        responses={201: PaymentDetailsSerializer, **_WRITE},
        description="Record a change of a person's payment details (finance): a bank transfer to an IBAN "
        "(checked with its country's rules: PL, LT, MD ...) or cash. It applies to the runs not yet approved.",
    )
    def create(self, request):
        data = _body(PaymentDetailsSerializer, request)
        person_id = data.pop("person_id")
        change = runs.change_payment_details(request.user, person_id, data)
        _audit_records(request.user, "payment_details", [change])
        return self._out(PaymentDetailsSerializer, change, status.HTTP_201_CREATED)


# --- who may approve payments --------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        responses={200: PaymentApproverSerializer(many=True), 403: _FORBIDDEN},
        description="The director's authorisations of staff to approve payment runs and transfers, newest first.",
    ),
)
@extend_schema(tags=["payment runs"])
class PaymentApproverViewSet(mixins.ListModelMixin, _PaymentsViewSet):
    """Staff the director authorised to approve runs and transfers; revoked, never deleted."""

    serializer_class = PaymentApproverSerializer
    capabilities = dict.fromkeys(("list", "options", "create", "revoke"), AUTHORISE_APPROVERS)
    queryset = PaymentApprover.objects.none()

    def get_queryset(self):
        return PaymentApprover.objects.filter(centre_id=self.request.user.centre_id).order_by("-granted_at", "-id")

    @extend_schema(
        request=PaymentApproverSerializer,
        responses={201: PaymentApproverSerializer, **_WRITE},
        description="Authorise a member of staff of your centre to approve payment runs and transfers.",
    )
    def create(self, request):
        data = _body(PaymentApproverSerializer, request)
        grant = funds.authorise_payment_approver(request.user, data["user_id"])
        return self._out(PaymentApproverSerializer, grant, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: PaymentApproverSerializer, **_WRITE}, description="Revoke it.")
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        grant = PaymentApprover.objects.filter(pk=_pk(pk), centre_id=request.user.centre_id).first()
        if grant is None:
            raise NotFound()
        if grant.revoked_at is not None:
            raise Conflict(_("This authorisation was already revoked."), code="already_revoked")
        funds.revoke_payment_approver(request.user, grant.user_id)
        grant.refresh_from_db()
        return self._out(PaymentApproverSerializer, grant)


__all__ = [
    "BankStatementViewSet",
    "BenefitFundViewSet",
    "FundViewSet",
    "PaymentApproverViewSet",
    "PaymentDetailsViewSet",
    "PaymentRunViewSet",
    "PaymentViewSet",
    "TransferViewSet",
]

"""API for benefits: /api/v1/benefits/ (catalogue, what-if evaluation), /api/v1/applications/,
/api/v1/decisions/ and /api/v1/approver-authorisations/.

Applications and decisions are case content: lists hold what the caller may read (the cases whose content
they read; every decision of the centre for approvers, finance, auditors and the director), filters narrow
them, and every answer that shows a person's data is audited naming the persons. State moves are POST
actions answering 409 with a reason when the decision's state does not allow them; nothing is edited.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from socius.accounts.api import API_PERMISSIONS
from socius.accounts.audit import record_views
from socius.accounts.roles import AUTHORISE_APPROVERS, PROPOSE_DECISIONS, VIEW_CASES
from socius.benefits import services
from socius.benefits.income_change import report_income_change_and_propose
from socius.benefits.models import Application, ApproverAuthorisation, Decision
from socius.benefits.selectors import (
    applications_readable_by,
    decisions_readable_by,
    get_application_for,
    get_decision_for,
    persons_shown_by,
    proposals_to_approve,
)
from socius.benefits.serializers import (
    AmendSerializer,
    ApplicationQuerySerializer,
    ApplicationSerializer,
    ApplicationUpdateSerializer,
    AuthorisationSerializer,
    BenefitQuerySerializer,
    BenefitSerializer,
    BreachProposalSerializer,
    ChangeSerializer,
    DecisionQuerySerializer,
    DecisionSerializer,
    DecisionSummarySerializer,
    EvaluateSerializer,
    IncomeChangeSerializer,
    IncomesSerializer,
    MembersSerializer,
    OutcomeSerializer,
    ProposeSerializer,
    ReturnSerializer,
)
from socius.casework.selectors import persons_shown_by_cases
from socius.casework.statutory import reader_language
from socius.common.api import BAD_INPUT as _BAD_INPUT
from socius.common.api import NOT_FOUND as _NOT_FOUND
from socius.common.api import pk_or_404 as _pk
from socius.common.errors import Conflict, NotFound, ValidationFailed
from socius.rulebook.engine import benefits as engine
from socius.rulebook.engine.benefit_documents import benefit_documents
from socius.rulebook.engine.data import PackDataError
from socius.rulebook.engine.jurisdiction import benefit_definitions, get_jurisdiction
from socius.rulebook.engine.parameters import ParameterError

_FORBIDDEN = OpenApiResponse(description="Your role (or relation to the case) does not allow this.")
_CONFLICT = OpenApiResponse(
    description='The state does not allow this: {"detail": reason, "code": ...}; nothing was changed.'
)
_WRITE = {400: _BAD_INPUT, 403: _FORBIDDEN, 404: _NOT_FOUND, 409: _CONFLICT}


def _query(serializer_class, request) -> dict:
    query = serializer_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    return {k: v for k, v in query.validated_data.items() if v is not None}


def _audit_page(actor, object_type: str, records) -> None:
    """One VIEW per record shown, naming its party, the persons it counted and its case's persons."""
    records = list(records)
    if not records:
        return
    shown = persons_shown_by(records)
    by_case = persons_shown_by_cases({r.case_id: r.case for r in records}.values())
    record_views(
        actor,
        [
            {
                "object_type": object_type,
                "object_id": r.pk,
                "centre_id": r.centre_id,
                "person_id": r.applicant_id,
                "person_ids": [*shown[r.pk], *by_case.get(r.case_id, [])],
            }
            for r in records
        ],
    )


def _four_eyes(call):
    try:
        return call()
    except services.FourEyes:
        raise PermissionDenied(
            detail=_("Nobody approves their own proposal: another person with the right must approve it."),
            code="four_eyes",
        ) from None


# --- the catalogue and the what-if calculation --------------------------------------------------------


def _benefit_row(definition, on: dt.date, language: str | None) -> dict:
    pack = get_jurisdiction(definition.country)
    parameters = []
    for name in definition.parameters:
        try:
            value = pack.parameter_in_force(name, on)
        except ParameterError:
            parameters.append(
                {
                    "name": name,
                    "value": None,
                    "unit": "",
                    "valid_from": None,
                    "legal_basis": "",
                    "source": "",
                    "confirmed": True,
                }
            )
            continue
        parameters.append(
            {
                "name": name,
                "value": str(value.value),
                "unit": value.unit,
                "valid_from": value.valid_from,
                "legal_basis": value.legal_basis,
                "source": value.source,
                "confirmed": value.confirmed,
            }
        )
    documents = benefit_documents(pack.data_dir).get(definition.code, ()) if pack.data_dir else ()
    return {
        "code": definition.code,
        "name": definition.label_in(language),
        "statutory_name": definition.label,
        "jurisdiction": definition.country,
        "legal_basis": definition.legal_basis,
        "payment": definition.payment,
        "currency": pack.currency,
        "on": on,
        "versions": list(definition.versions()),
        "parameters": parameters,
        "documents": [
            {"code": d.code, "label": d.label_in(language), "statutory_label": d.label, "required": d.required}
            for d in documents
        ],
    }


@extend_schema(tags=["benefits"])
class BenefitViewSet(viewsets.GenericViewSet):
    """The benefits the packs declare, and the what-if calculation (no registry data is read or written)."""

    serializer_class = BenefitSerializer
    permission_classes = API_PERMISSIONS
    capabilities = {"list": VIEW_CASES, "retrieve": VIEW_CASES, "evaluate": VIEW_CASES, "options": VIEW_CASES}
    filter_backends = []
    lookup_field = "code"
    lookup_value_regex = r"[a-z]{2}\.[a-z_]+"

    def get_queryset(self):
        return []

    @extend_schema(
        parameters=[BenefitQuerySerializer],
        responses={200: BenefitSerializer(many=True)},
        description="Every benefit code with its name in the language of Accept-Language, its jurisdiction, and "
        "its parameters in force on `?on=` (today by default); `?jurisdiction=` narrows.",
    )
    def list(self, request):
        query = _query(BenefitQuerySerializer, request)
        on = query.get("on") or timezone.localdate()
        language = reader_language()
        rows = [
            _benefit_row(d, on, language)
            for d in benefit_definitions()
            if "jurisdiction" not in query or d.country == query["jurisdiction"]
        ]
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(BenefitSerializer(page, many=True).data)

    @extend_schema(
        parameters=[BenefitQuerySerializer],
        responses={200: BenefitSerializer, 404: _NOT_FOUND},
        description="One benefit, with its parameters in force on `?on=`.",
    )
    def retrieve(self, request, code=None):
        query = _query(BenefitQuerySerializer, request)
        on = query.get("on") or timezone.localdate()
        for definition in benefit_definitions():
            if definition.code == code:
                return Response(BenefitSerializer(_benefit_row(definition, on, reader_language())).data)
        raise NotFound()

    @extend_schema(
        request=EvaluateSerializer,
        responses={200: OutcomeSerializer, 400: _BAD_INPUT},
        description="Evaluate facts for a benefit and a month with the law in force that month: eligible, amount, "
        "minimum, maximum, currency, reasons and the trace (each step's label in the language of "
        "Accept-Language, its parameter, value, effective date and legal source). `income` is a member's monthly "
        "net income as the law counts it; `incomes` may list typed records instead. Touches no registry data.",
    )
    @action(detail=False, methods=["post"], serializer_class=EvaluateSerializer)
    def evaluate(self, request):
        body = EvaluateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        facts = engine.Facts(
            period=data["period"],
            members=tuple(
                engine.Member(
                    role=m["role"],
                    birth_date=m["birth_date"],
                    income=m["income"],
                    incomes=tuple(
                        engine.IncomeRecord(
                            kind=r["kind"],
                            amount=r["amount"],
                            month=r["month"],
                            deductions=r["deductions"],
                            one_off=r["one_off"],
                            covers_months=r["covers_months"],
                        )
                        for r in m["incomes"]
                    ),
                    unable_to_work=m["unable_to_work"],
                    unemployed=m["unemployed"],
                    disabled=m["disabled"],
                    benefit_months_received=m["benefit_months_received"],
                    flags=frozenset(m["flags"]),
                )
                for m in data["household"]
            ),
            application_on=data["application_on"],
            income_lost=data["income_lost"],
            amounts=tuple(sorted(data["amounts"].items())),
            flags=frozenset(data["flags"]),
            purpose=data["purpose"],
        )
        try:
            outcome = engine.evaluate(data["benefit"], facts)
        except engine.UnknownBenefit:
            raise ValidationFailed({"benefit": [_("No benefit has this code.")]}) from None
        except engine.BenefitNotInForce:
            raise ValidationFailed({"period": [_("The benefit has no rules in force for this month.")]}) from None
        except (ParameterError, PackDataError):
            raise ValidationFailed({"period": [_("The law for this month is not in the rulebook.")]}) from None
        return Response(outcome.as_dict(reader_language()))


# --- applications --------------------------------------------------------------------------------------


def _filtered_applications(actor, query: dict):
    queryset = applications_readable_by(actor)
    if "case" in query:
        queryset = queryset.filter(case_id=query["case"])
    if "household" in query:
        queryset = queryset.filter(household_id=query["household"])
    if "person" in query:
        queryset = queryset.filter(applicant_id=query["person"])
    if "status" in query:
        queryset = queryset.filter(status=query["status"])
    if "benefit" in query:
        queryset = queryset.filter(benefit=query["benefit"])
    return queryset


def _application_payload(data: dict) -> dict:
    payload = dict(data)
    payload.pop("case_id", None)
    if "applicant_id" in payload:
        payload["applicant"] = payload.pop("applicant_id")
    return payload


@extend_schema_view(
    list=extend_schema(parameters=[ApplicationQuerySerializer], description="Applications you may read, newest first."),
)
@extend_schema(tags=["benefit applications"])
class ApplicationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = ApplicationSerializer
    permission_classes = API_PERMISSIONS
    capabilities = {
        "list": VIEW_CASES,
        "retrieve": VIEW_CASES,
        "options": VIEW_CASES,
        **dict.fromkeys(("create", "partial_update", "incomes", "members", "propose", "withdraw"), PROPOSE_DECISIONS),
    }
    filter_backends = []
    lookup_value_regex = r"\d+"
    queryset = Application.objects.none()

    def get_queryset(self):
        return _filtered_applications(self.request.user, _query(ApplicationQuerySerializer, self.request))

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            _audit_page(self.request.user, "benefit_application", page)
        return page

    def _answer(self, request, pk, code=status.HTTP_200_OK):
        application = get_application_for(request.user, _pk(pk))
        _audit_page(request.user, "benefit_application", [application])
        return Response(ApplicationSerializer(application).data, status=code)

    @extend_schema(responses={200: ApplicationSerializer, 403: _FORBIDDEN, 404: _NOT_FOUND})
    def retrieve(self, request, pk=None):
        return self._answer(request, pk)

    @extend_schema(
        request=ApplicationSerializer,
        responses={201: ApplicationSerializer, **_WRITE},
        description="A draft application on an open case you work, the client's or ex officio.",
    )
    def create(self, request):
        body = ApplicationSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        application = services.file_application(
            request.user, body.validated_data["case_id"], _application_payload(body.validated_data)
        )
        return self._answer(request, application.pk, status.HTTP_201_CREATED)

    @extend_schema(
        request=ApplicationUpdateSerializer,
        responses={200: ApplicationSerializer, **_WRITE},
        description="Change a draft or returned application (not its case or benefit).",
    )
    def partial_update(self, request, pk=None):
        body = ApplicationUpdateSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        services.update_application(request.user, _pk(pk), _application_payload(body.validated_data))
        return self._answer(request, pk)

    @extend_schema(
        request=IncomesSerializer,
        responses={200: ApplicationSerializer, **_WRITE},
        description="Replace the income declaration: per member, per month, by kind.",
    )
    @action(detail=True, methods=["post"], serializer_class=IncomesSerializer)
    def incomes(self, request, pk=None):
        body = IncomesSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        rows = [{**row, "person": row.pop("person_id")} for row in body.validated_data["incomes"]]
        services.declare_incomes(request.user, _pk(pk), rows)
        return self._answer(request, pk)

    @extend_schema(
        request=MembersSerializer,
        responses={200: ApplicationSerializer, **_WRITE},
        description="Replace what the registry lacks about members: unable to work, months received, flags.",
    )
    @action(detail=True, methods=["post"], serializer_class=MembersSerializer)
    def members(self, request, pk=None):
        body = MembersSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        rows = [{**row, "person": row.pop("person_id")} for row in body.validated_data["members"]]
        services.set_member_facts(request.user, _pk(pk), rows)
        return self._answer(request, pk)

    @extend_schema(
        request=ProposeSerializer,
        responses={201: DecisionSerializer, **_WRITE},
        description="Compute the decision from the registry and the incomes with the law in force and propose it "
        "(a grant when eligible, else a refusal). 409 when the application is not draft or returned, or when the "
        "law's environmental interview is missing or too old.",
    )
    @action(detail=True, methods=["post"], serializer_class=ProposeSerializer)
    def propose(self, request, pk=None):
        body = ProposeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        decision = services.propose_decision(request.user, _pk(pk), body.validated_data)
        return _decision_answer(request, decision.pk, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: ApplicationSerializer, **_WRITE}, description="Withdraw it.")
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        services.withdraw_application(request.user, _pk(pk))
        return self._answer(request, pk)


# --- decisions ----------------------------------------------------------------------------------------


def _decision_answer(request, pk, code=status.HTTP_200_OK):
    decision = get_decision_for(request.user, pk)
    _audit_page(request.user, "benefit_decision", [decision])
    return Response(DecisionSerializer(decision).data, status=code)


def _filtered_decisions(actor, query: dict):
    queryset = decisions_readable_by(actor)
    if query.get("to_approve"):
        queryset = queryset.filter(pk__in=proposals_to_approve(actor).values("pk"))
    for key, field in (
        ("case", "case_id"),
        ("household", "household_id"),
        ("person", "applicant_id"),
        ("application", "application_id"),
        ("status", "status"),
        ("state", "state"),
        ("kind", "kind"),
        ("benefit", "benefit"),
    ):
        if key in query:
            queryset = queryset.filter(**{field: query[key]})
    return queryset


_CHANGE_DOC = (
    "A proposal of a new decision linked to this grant, to be approved like any other; {what}. 409 when the "
    "grant's state does not allow it or a change is already waiting."
)


@extend_schema_view(
    list=extend_schema(
        parameters=[DecisionQuerySerializer],
        responses={200: DecisionSummarySerializer(many=True)},
        description="Decisions and proposals you may read, newest first; `?to_approve=true`: those you may approve.",
    ),
)
@extend_schema(tags=["benefit decisions"])
class DecisionViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = DecisionSummarySerializer
    permission_classes = API_PERMISSIONS
    capabilities = {
        "list": VIEW_CASES,
        "retrieve": VIEW_CASES,
        "options": VIEW_CASES,
        # Approvers are team leaders, the director and staff the director authorised: the service decides.
        "approve": VIEW_CASES,
        "return_": VIEW_CASES,
        **dict.fromkeys(("suspend", "resume", "revoke", "amend", "end", "breach", "income_change"), PROPOSE_DECISIONS),
    }
    filter_backends = []
    lookup_value_regex = r"\d+"
    queryset = Decision.objects.none()

    def get_queryset(self):
        return _filtered_decisions(self.request.user, _query(DecisionQuerySerializer, self.request))

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            _audit_page(self.request.user, "benefit_decision", page)
        return page

    @extend_schema(responses={200: DecisionSerializer, 403: _FORBIDDEN, 404: _NOT_FOUND})
    def retrieve(self, request, pk=None):
        return _decision_answer(request, _pk(pk))

    @extend_schema(
        request=None,
        responses={200: DecisionSerializer, **_WRITE},
        description="Approve a proposal (four eyes: never your own — 403): it gets the centre's next number of "
        "the year and today's date, and changes the grant it links to.",
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        _four_eyes(lambda: services.approve_decision(request.user, _pk(pk)))
        return _decision_answer(request, _pk(pk))

    @extend_schema(
        request=ReturnSerializer,
        responses={200: DecisionSerializer, **_WRITE},
        description="Return a proposal to its author with a comment.",
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return", serializer_class=ReturnSerializer)
    def return_(self, request, pk=None):
        body = ReturnSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        _four_eyes(lambda: services.return_decision(request.user, _pk(pk), body.validated_data["comment"]))
        return _decision_answer(request, _pk(pk))

    def _change(self, request, pk, service):
        body = ChangeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        decision = service(request.user, _pk(pk), body.validated_data)
        return _decision_answer(request, decision.pk, status.HTTP_201_CREATED)

    @extend_schema(
        request=ChangeSerializer,
        responses={201: DecisionSerializer, **_WRITE},
        description=_CHANGE_DOC.format(what="suspends an active grant from `from_month`"),
    )
    @action(detail=True, methods=["post"], serializer_class=ChangeSerializer)
    def suspend(self, request, pk=None):
        return self._change(request, pk, services.propose_suspension)

    @extend_schema(
        request=ChangeSerializer,
        responses={201: DecisionSerializer, **_WRITE},
        description=_CHANGE_DOC.format(what="resumes a suspended grant from `from_month`"),
    )
    @action(detail=True, methods=["post"], serializer_class=ChangeSerializer)
    def resume(self, request, pk=None):
        return self._change(request, pk, services.propose_resumption)

    @extend_schema(
        request=ChangeSerializer,
        responses={201: DecisionSerializer, **_WRITE},
        description=_CHANGE_DOC.format(what="revokes the grant from `from_month`"),
    )
    @action(detail=True, methods=["post"], serializer_class=ChangeSerializer)
    def revoke(self, request, pk=None):
        return self._change(request, pk, services.propose_revocation)

    @extend_schema(
        request=ChangeSerializer,
        responses={201: DecisionSerializer, **_WRITE},
        description=_CHANGE_DOC.format(what="ends the grant from `from_month`"),
    )
    @action(detail=True, methods=["post"], serializer_class=ChangeSerializer)
    def end(self, request, pk=None):
        return self._change(request, pk, services.propose_ending)

    @extend_schema(
        request=AmendSerializer,
        responses={201: DecisionSerializer, **_WRITE},
        description=_CHANGE_DOC.format(
            what="amends it from `from_month`, recomputed from the registry and the incomes with that month's law "
            "(the old decision keeps its own)"
        ),
    )
    @action(detail=True, methods=["post"], serializer_class=AmendSerializer)
    def amend(self, request, pk=None):
        body = AmendSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        decision = services.propose_amendment(request.user, _pk(pk), body.validated_data)
        return _decision_answer(request, decision.pk, status.HTTP_201_CREATED)

    @extend_schema(
        request=IncomeChangeSerializer,
        responses={201: DecisionSerializer, **_WRITE},
        description="A change in the household's income reported after this grant: the incomes are declared for "
        "the months of the change and an amendment is proposed, recomputed with the law in force from the month "
        "the change first counts (the month after the latest month reported, unless `from_month` names a later "
        "one). Answers the proposal. 409 when the grant's state does not allow it or a change is already waiting; "
        "nothing is written when anything is refused.",
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="income-change",
        url_name="income-change",
        serializer_class=IncomeChangeSerializer,
    )
    def income_change(self, request, pk=None):
        body = IncomeChangeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        data["incomes"] = [{**row, "person": row.pop("person_id")} for row in data["incomes"]]
        _incomes, proposal = report_income_change_and_propose(request.user, _pk(pk), data)
        return _decision_answer(request, proposal.pk, status.HTTP_201_CREATED)

    @extend_schema(
        request=BreachProposalSerializer,
        responses={201: DecisionSerializer, **_WRITE},
        description="The proposal a refused or breached social contract's flag asks for (art. 11 ust. 2 u.p.s.), "
        "citing the contract: refuse the open application (or revoke a grant), suspend a grant, or reduce it.",
    )
    @action(detail=False, methods=["post"], serializer_class=BreachProposalSerializer)
    def breach(self, request):
        body = BreachProposalSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        decision = services.propose_breach_consequence(request.user, data.pop("flag"), data)
        return _decision_answer(request, decision.pk, status.HTTP_201_CREATED)


# --- who may approve --------------------------------------------------------------------------------------


@extend_schema(tags=["benefit decisions"])
class ApproverAuthorisationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The director's authorisations of staff to approve decisions (team leaders and the director approve
    by their role); revoked, never deleted."""

    serializer_class = AuthorisationSerializer
    permission_classes = API_PERMISSIONS
    capabilities = dict.fromkeys(("list", "options", "create", "revoke"), AUTHORISE_APPROVERS)
    filter_backends = []
    lookup_value_regex = r"\d+"
    queryset = ApproverAuthorisation.objects.none()

    def get_queryset(self):
        return ApproverAuthorisation.objects.filter(centre_id=self.request.user.centre_id).order_by(
            "-granted_at", "-id"
        )

    @extend_schema(
        request=AuthorisationSerializer,
        responses={201: AuthorisationSerializer, **_WRITE},
        description="Authorise a member of staff of your centre to approve decisions.",
    )
    def create(self, request):
        body = AuthorisationSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        grant = services.authorise_approver(request.user, body.validated_data["user_id"])
        return Response(AuthorisationSerializer(grant).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: AuthorisationSerializer, **_WRITE}, description="Revoke it.")
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        grant = ApproverAuthorisation.objects.filter(pk=_pk(pk), centre_id=request.user.centre_id).first()
        if grant is None:
            raise NotFound()
        if grant.revoked_at is not None:
            raise Conflict(_("This authorisation was already revoked."), code="already_revoked")
        return Response(AuthorisationSerializer(services.revoke_approver(request.user, grant.user_id)).data)

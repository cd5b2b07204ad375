"""API of the family assistant programme: /api/v1/family-support/enrolments/, consents/, work-plans/,
work-plan-items/, activities/, assessments/, loads/ and timesheets/ (decision 0015).

Every collection lists what the caller may see (the families they are the assistant of, those of the cases
whose content they read; the director and the team leader of the case's team all of theirs); filters narrow
it; a family the caller may not see is "not found". State moves are actions (approve, refuse, close,
end-monitoring, resume, change-assistant, withdraw, agree, status) answering 409 with the reason when the
state, the assistant's caseload cap or the missing consent refuses them, nothing written. Every answer
showing a family's data is audited under its members.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from socius.accounts.roles import APPROVE_ENROLMENTS, VIEW_ASSISTANT_LOADS, WORK_FAMILY_SUPPORT
from socius.common.api import BAD_INPUT
from socius.common.errors import Forbidden, NotFound, ValidationFailed
from socius.family import selectors_support as selectors
from socius.family import support
from socius.family.api_common import (
    READ,
    WRITE,
    FamilyViewSet,
    audit_list,
    audit_read,
    body,
    cases,
    family_persons,
    in_centre,
    many_in_centre,
    partners,
    persons,
    query,
    staff,
    today,
    visible,
)
from socius.family.models import (
    AssistantActivity,
    EnrolmentConsent,
    FamilyAssessment,
    FamilyEnrolment,
    WorkPlan,
    WorkPlanItem,
)
from socius.family.permissions import can_view_timesheet
from socius.family.serializers_support import (
    AssistantActivityCreateSerializer,
    AssistantActivityQuerySerializer,
    AssistantActivitySerializer,
    AssistantLoadSerializer,
    AssistantTimesheetQuerySerializer,
    AssistantTimesheetSerializer,
    ConsentWithdrawSerializer,
    EnrolmentApproveSerializer,
    EnrolmentChangeAssistantSerializer,
    EnrolmentCloseSerializer,
    EnrolmentConsentCreateSerializer,
    EnrolmentConsentSerializer,
    EnrolmentCreateSerializer,
    EnrolmentEndMonitoringSerializer,
    EnrolmentFilterSerializer,
    EnrolmentQuerySerializer,
    EnrolmentRefuseSerializer,
    EnrolmentResumeSerializer,
    EnrolmentSerializer,
    FamilyAssessmentCreateSerializer,
    FamilyAssessmentSerializer,
    WorkPlanAgreeSerializer,
    WorkPlanCreateSerializer,
    WorkPlanItemCreateSerializer,
    WorkPlanItemSerializer,
    WorkPlanItemStatusSerializer,
    WorkPlanItemUpdateSerializer,
    WorkPlanSerializer,
)
from socius.family.statuses import WorkPlanStatus
from socius.registry.selectors import attach_household_heads

TAG = "family support"

# --- reading -------------------------------------------------------------------------------------------


def _enrolments(actor, **filters):
    return selectors.list_enrolments_for(actor, **filters).select_related("case", "household", "assistant")


def _enrolment(actor, pk) -> FamilyEnrolment:
    return visible(selectors.get_enrolment_for, actor, pk)


def _enrolment_named(actor, pk, field: str = "enrolment") -> FamilyEnrolment:
    """An enrolment a body names: one the caller may not see is "not found" (404), as its own URL would be."""
    return _enrolment(actor, pk)


def _visible_ids(actor):
    return selectors.list_enrolments_for(actor).values("pk")


def _show_enrolment(actor, enrolment: FamilyEnrolment, code=status.HTTP_200_OK):
    enrolment = _enrolments(actor).filter(pk=enrolment.pk).first() or enrolment
    attach_household_heads([enrolment.household])
    audit_read(actor, object_type="family_enrolment", record=enrolment, person_ids=family_persons([enrolment]))
    return Response(EnrolmentSerializer(enrolment).data, status=code)


def _family_of(records) -> list[int]:
    return family_persons([r.enrolment for r in records])


# --- enrolments ----------------------------------------------------------------------------------------


def _move(description: str, request_serializer):
    return extend_schema(
        request=request_serializer, responses={200: EnrolmentSerializer, **WRITE}, description=description
    )


@extend_schema_view(
    list=extend_schema(
        parameters=[EnrolmentQuerySerializer],
        responses={200: EnrolmentSerializer(many=True), **READ, 400: BAD_INPUT},
        description="The families in the programme you may see, newest first. Audited under their members.",
    ),
    retrieve=extend_schema(responses={200: EnrolmentSerializer, **READ}),
    create=extend_schema(
        request=EnrolmentCreateSerializer,
        responses={201: EnrolmentSerializer, **WRITE},
        description="route request: ask for an assistant for a case's family (the head of the centre decides); "
        "route court_order or statutory: enrol the family at once with the assistant named (caseload cap: "
        "409 caseload_cap_reached).",
    ),
)
@extend_schema(tags=[TAG])
class EnrolmentViewSet(mixins.ListModelMixin, FamilyViewSet):
    serializer_class = EnrolmentSerializer
    queryset = FamilyEnrolment.objects.none()  # for the schema; requests read through the selectors
    capabilities = {
        "list": WORK_FAMILY_SUPPORT,
        "retrieve": WORK_FAMILY_SUPPORT,
        "options": WORK_FAMILY_SUPPORT,
        "create": WORK_FAMILY_SUPPORT,
        "approve": APPROVE_ENROLMENTS,
        "refuse": APPROVE_ENROLMENTS,
        "close": WORK_FAMILY_SUPPORT,
        "end_monitoring": WORK_FAMILY_SUPPORT,
        "resume": WORK_FAMILY_SUPPORT,
        "change_assistant": WORK_FAMILY_SUPPORT,
    }

    def list(self, request):
        filters = EnrolmentQuerySerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        records = _enrolments(request.user, **filters.as_selector_kwargs())

        def audit(page):
            attach_household_heads([e.household for e in page])
            audit_list(request.user, object_type="family_enrolment", person_ids=family_persons(page))

        return self.page(records, EnrolmentSerializer, audit=audit)

    def retrieve(self, request, pk=None):
        return _show_enrolment(request.user, _enrolment(request.user, pk))

    def create(self, request):
        actor = request.user
        data = body(EnrolmentCreateSerializer, request)
        case = in_centre(actor, cases(actor), data["case"], "case")
        household = in_centre(actor, _households(actor), data.get("household"), "household")
        if data["route"] == "request":
            enrolment = support.request_enrolment(
                actor,
                case=case,
                reason=data["reason"],
                requested_on=data.get("requested_on") or today(),
                household=household,
            )
        else:
            enrolment = support.enrol_family(
                actor,
                case=case,
                route=data["route"],
                assistant=in_centre(actor, staff(actor), data["assistant"], "assistant"),
                started_on=data.get("started_on") or today(),
                consent=_consent(actor, data.get("consent")),
                court_name=data["court_name"],
                court_reference=data["court_reference"],
                court_order_on=data.get("court_order_on"),
                legal_basis=data["legal_basis"],
                reason=data["reason"],
                household=household,
                fund=in_centre(actor, _funds(actor), data.get("fund"), "fund"),
            )
        return _show_enrolment(actor, enrolment, status.HTTP_201_CREATED)

    @_move(
        "The head of the centre approves the request and assigns the assistant: requested → active.",
        EnrolmentApproveSerializer,
    )
    @action(detail=True, methods=["post"], serializer_class=EnrolmentApproveSerializer)
    def approve(self, request, pk=None):
        actor = request.user
        enrolment = _enrolment(actor, pk)
        data = body(EnrolmentApproveSerializer, request)
        enrolment = support.approve_enrolment(
            actor,
            enrolment,
            assistant=in_centre(actor, staff(actor), data["assistant"], "assistant"),
            decided_on=data.get("decided_on") or today(),
            fund=in_centre(actor, _funds(actor), data.get("fund"), "fund"),
            consent=_consent(actor, data.get("consent")),
        )
        return _show_enrolment(actor, enrolment)

    @_move("The head of the centre refuses the request: requested → refused.", EnrolmentRefuseSerializer)
    @action(detail=True, methods=["post"], serializer_class=EnrolmentRefuseSerializer)
    def refuse(self, request, pk=None):
        actor = request.user
        enrolment = _enrolment(actor, pk)
        data = body(EnrolmentRefuseSerializer, request)
        enrolment = support.refuse_enrolment(
            actor, enrolment, reason=data["reason"], decided_on=data.get("decided_on") or today()
        )
        return _show_enrolment(actor, enrolment)

    @_move(
        "Close the assistant's work with an outcome: active → monitoring for the period the law gives "
        "(→ closed when it gives none).",
        EnrolmentCloseSerializer,
    )
    @action(detail=True, methods=["post"], serializer_class=EnrolmentCloseSerializer)
    def close(self, request, pk=None):
        actor = request.user
        enrolment = _enrolment(actor, pk)
        data = body(EnrolmentCloseSerializer, request)
        enrolment = support.close_work(
            actor, enrolment, closed_on=data.get("closed_on") or today(), outcome=data["outcome"], note=data["note"]
        )
        return _show_enrolment(actor, enrolment)

    @_move("Monitoring is over: monitoring → closed.", EnrolmentEndMonitoringSerializer)
    @action(detail=True, methods=["post"], url_path="end-monitoring", serializer_class=EnrolmentEndMonitoringSerializer)
    def end_monitoring(self, request, pk=None):
        actor = request.user
        enrolment = _enrolment(actor, pk)
        data = body(EnrolmentEndMonitoringSerializer, request)
        enrolment = support.end_monitoring(
            actor, enrolment, ended_on=data.get("ended_on") or today(), note=data["note"]
        )
        return _show_enrolment(actor, enrolment)

    @_move("Take the work up again: monitoring → active (caseload cap).", EnrolmentResumeSerializer)
    @action(detail=True, methods=["post"], serializer_class=EnrolmentResumeSerializer)
    def resume(self, request, pk=None):
        actor = request.user
        enrolment = _enrolment(actor, pk)
        data = body(EnrolmentResumeSerializer, request)
        enrolment = support.resume_work(actor, enrolment, on=data.get("on") or today(), reason=data["reason"])
        return _show_enrolment(actor, enrolment)

    @_move(
        "Give the family another assistant (director, team leader; caseload cap).", EnrolmentChangeAssistantSerializer
    )
    @action(
        detail=True, methods=["post"], url_path="change-assistant", serializer_class=EnrolmentChangeAssistantSerializer
    )
    def change_assistant(self, request, pk=None):
        actor = request.user
        enrolment = _enrolment(actor, pk)
        data = body(EnrolmentChangeAssistantSerializer, request)
        enrolment = support.change_assistant(
            actor,
            enrolment,
            assistant=in_centre(actor, staff(actor), data["assistant"], "assistant"),
            on=data.get("on") or today(),
            reason=data["reason"],
        )
        return _show_enrolment(actor, enrolment)


def _households(actor):
    from socius.registry.models import Household

    return Household.objects.filter(centre_id=actor.centre_id)


def _funds(actor):
    from socius.payments.models import Fund

    return Fund.objects.filter(centre_id=actor.centre_id)


def _consent(actor, data):
    if not data:
        return None
    return support.ConsentInput(
        person=in_centre(actor, persons(actor), data["person"], "consent"),
        given_on=data["given_on"],
        method=data["method"],
        note=data.get("note", ""),
    )


# --- consents ------------------------------------------------------------------------------------------


def _consents(actor):
    return EnrolmentConsent.objects.filter(enrolment__in=_visible_ids(actor)).select_related("person", "enrolment")


def _consent_for(actor, pk) -> EnrolmentConsent:
    return visible(lambda a, p: _consents(a).get(pk=p), actor, pk)


def _show(actor, serializer_class, record, object_type, person_ids, code=status.HTTP_200_OK):
    audit_read(actor, object_type=object_type, record=record, person_ids=person_ids)
    return Response(serializer_class(record).data, status=code)


@extend_schema_view(
    list=extend_schema(
        parameters=[EnrolmentFilterSerializer],
        responses={200: EnrolmentConsentSerializer(many=True), **READ, 400: BAD_INPUT},
        description="The consents of the families you may see (?enrolment= one family's). Audited.",
    ),
    retrieve=extend_schema(responses={200: EnrolmentConsentSerializer, **READ}),
    create=extend_schema(
        request=EnrolmentConsentCreateSerializer,
        responses={201: EnrolmentConsentSerializer, **WRITE},
        description="Record a family member's consent to work with the assistant.",
    ),
)
@extend_schema(tags=[TAG])
class ConsentViewSet(mixins.ListModelMixin, FamilyViewSet):
    serializer_class = EnrolmentConsentSerializer
    queryset = EnrolmentConsent.objects.none()
    capabilities = {
        "list": WORK_FAMILY_SUPPORT,
        "retrieve": WORK_FAMILY_SUPPORT,
        "options": WORK_FAMILY_SUPPORT,
        "create": WORK_FAMILY_SUPPORT,
        "withdraw": WORK_FAMILY_SUPPORT,
    }

    def list(self, request):
        data = query(EnrolmentFilterSerializer, request)
        records = _consents(request.user).order_by("-given_on", "-id")
        if data.get("enrolment"):
            records = records.filter(enrolment_id=data["enrolment"])

        def audit(page):
            audit_list(request.user, object_type="family_consent", person_ids=[c.person_id for c in page])

        return self.page(records, EnrolmentConsentSerializer, audit=audit)

    def retrieve(self, request, pk=None):
        consent = _consent_for(request.user, pk)
        return _show(request.user, EnrolmentConsentSerializer, consent, "family_consent", [consent.person_id])

    def create(self, request):
        actor = request.user
        data = body(EnrolmentConsentCreateSerializer, request)
        enrolment = _enrolment_named(actor, data["enrolment"])
        consent = support.record_consent(
            actor,
            enrolment,
            person=in_centre(actor, persons(actor), data["person"], "person"),
            given_on=data["given_on"],
            method=data["method"],
            note=data["note"],
        )
        consent = _consent_for(actor, consent.pk)
        return _show(
            actor, EnrolmentConsentSerializer, consent, "family_consent", [consent.person_id], status.HTTP_201_CREATED
        )

    @extend_schema(
        request=ConsentWithdrawSerializer,
        responses={200: EnrolmentConsentSerializer, **WRITE},
        description="The family member withdraws their consent. Unless a court ordered the work, when no consent "
        "remains the work closes (outcome consent_withdrawn).",
    )
    @action(detail=True, methods=["post"], serializer_class=ConsentWithdrawSerializer)
    def withdraw(self, request, pk=None):
        actor = request.user
        consent = _consent_for(actor, pk)
        data = body(ConsentWithdrawSerializer, request)
        support.withdraw_consent(actor, consent, withdrawn_on=data.get("withdrawn_on") or today(), note=data["note"])
        consent = _consent_for(actor, consent.pk)
        return _show(actor, EnrolmentConsentSerializer, consent, "family_consent", [consent.person_id])


# --- work plans ----------------------------------------------------------------------------------------


def _plans(actor):
    return (
        WorkPlan.objects.filter(enrolment__in=_visible_ids(actor))
        .select_related("enrolment")
        .prefetch_related("items", "agreed_with")
    )


def _plan_for(actor, pk) -> WorkPlan:
    return visible(lambda a, p: _plans(a).get(pk=p), actor, pk)


def _show_plan(actor, plan, code=status.HTTP_200_OK):
    plan = _plan_for(actor, plan.pk)
    return _show(actor, WorkPlanSerializer, plan, "family_work_plan", family_persons([plan.enrolment]), code)


@extend_schema_view(
    list=extend_schema(
        parameters=[EnrolmentFilterSerializer],
        responses={200: WorkPlanSerializer(many=True), **READ, 400: BAD_INPUT},
        description="Work plans (every version, with their items) of the families you may see. Audited.",
    ),
    retrieve=extend_schema(responses={200: WorkPlanSerializer, **READ}),
    create=extend_schema(
        request=WorkPlanCreateSerializer,
        responses={201: WorkPlanSerializer, 200: WorkPlanSerializer, **WRITE},
        description="Draft a new version of the family's work plan (copies the agreed plan's items): 201; the "
        "draft there is already, when there is one: 200.",
    ),
)
@extend_schema(tags=[TAG])
class WorkPlanViewSet(mixins.ListModelMixin, FamilyViewSet):
    serializer_class = WorkPlanSerializer
    queryset = WorkPlan.objects.none()
    capabilities = {
        "list": WORK_FAMILY_SUPPORT,
        "retrieve": WORK_FAMILY_SUPPORT,
        "options": WORK_FAMILY_SUPPORT,
        "create": WORK_FAMILY_SUPPORT,
        "items": WORK_FAMILY_SUPPORT,
        "agree": WORK_FAMILY_SUPPORT,
    }

    def list(self, request):
        data = query(EnrolmentFilterSerializer, request)
        records = _plans(request.user).order_by("enrolment_id", "-version")
        if data.get("enrolment"):
            records = records.filter(enrolment_id=data["enrolment"])

        def audit(page):
            audit_list(request.user, object_type="family_work_plan", person_ids=_family_of(page))

        return self.page(records, WorkPlanSerializer, audit=audit)

    def retrieve(self, request, pk=None):
        plan = _plan_for(request.user, pk)
        return _show(request.user, WorkPlanSerializer, plan, "family_work_plan", family_persons([plan.enrolment]))

    def create(self, request):
        actor = request.user
        data = body(WorkPlanCreateSerializer, request)
        enrolment = _enrolment_named(actor, data["enrolment"])
        drafted = WorkPlan.objects.filter(enrolment=enrolment, status=WorkPlanStatus.DRAFT).exists()
        plan = support.draft_work_plan(actor, enrolment)
        return _show_plan(actor, plan, status.HTTP_200_OK if drafted else status.HTTP_201_CREATED)

    @extend_schema(
        request=WorkPlanItemCreateSerializer,
        responses={201: WorkPlanItemSerializer, **WRITE},
        description="Add an item to a draft plan (409 when the plan is no longer a draft).",
    )
    @action(detail=True, methods=["post"], serializer_class=WorkPlanItemCreateSerializer)
    def items(self, request, pk=None):
        actor = request.user
        plan = _plan_for(actor, pk)
        data = body(WorkPlanItemCreateSerializer, request)
        item = support.add_plan_item(actor, plan, **data)
        item = _items(actor).get(pk=item.pk)
        return _show(actor, WorkPlanItemSerializer, item, "family_work_plan", family_persons([plan.enrolment]), 201)

    @extend_schema(
        request=WorkPlanAgreeSerializer,
        responses={200: WorkPlanSerializer, **WRITE},
        description="Agree the draft with the family and the social worker: it becomes the plan in force and "
        "supersedes the previous version (needs an item and, unless court-ordered, the family's consent: "
        "409 consent_required).",
    )
    @action(detail=True, methods=["post"], serializer_class=WorkPlanAgreeSerializer)
    def agree(self, request, pk=None):
        actor = request.user
        plan = _plan_for(actor, pk)
        data = body(WorkPlanAgreeSerializer, request)
        plan = support.agree_work_plan(
            actor,
            plan,
            agreed_on=data.get("agreed_on") or today(),
            agreed_with=many_in_centre(actor, persons(actor), data["agreed_with"], "agreed_with"),
            social_worker=in_centre(actor, staff(actor), data["social_worker"], "social_worker"),
            review_on=data.get("review_on"),
        )
        return _show_plan(actor, plan)


def _items(actor):
    return WorkPlanItem.objects.filter(plan__enrolment__in=_visible_ids(actor)).select_related("plan__enrolment")


def _item_for(actor, pk) -> WorkPlanItem:
    return visible(lambda a, p: _items(a).get(pk=p), actor, pk)


@extend_schema_view(
    retrieve=extend_schema(responses={200: WorkPlanItemSerializer, **READ}),
    partial_update=extend_schema(
        request=WorkPlanItemUpdateSerializer,
        responses={200: WorkPlanItemSerializer, **WRITE},
        description="Change an item of a draft plan (409 when the plan is no longer a draft).",
    ),
    destroy=extend_schema(
        responses={204: None, **WRITE}, description="Remove an item of a draft plan (409 when agreed)."
    ),
)
@extend_schema(tags=[TAG])
class PlanItemViewSet(FamilyViewSet):
    serializer_class = WorkPlanItemSerializer
    queryset = WorkPlanItem.objects.none()
    capabilities = {
        "retrieve": WORK_FAMILY_SUPPORT,
        "options": WORK_FAMILY_SUPPORT,
        "partial_update": WORK_FAMILY_SUPPORT,
        "destroy": WORK_FAMILY_SUPPORT,
        "set_status": WORK_FAMILY_SUPPORT,
    }

    def _family(self, item):
        return family_persons([item.plan.enrolment])

    def retrieve(self, request, pk=None):
        item = _item_for(request.user, pk)
        return _show(request.user, WorkPlanItemSerializer, item, "family_work_plan", self._family(item))

    def partial_update(self, request, pk=None):
        actor = request.user
        item = _item_for(actor, pk)
        serializer = WorkPlanItemUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        fields = {k: v for k, v in serializer.validated_data.items() if k in request.data}
        if not fields:
            raise ValidationFailed({"non_field_errors": [_nothing_to_change()]})
        support.update_plan_item(actor, item, **fields)
        item = _item_for(actor, item.pk)
        return _show(actor, WorkPlanItemSerializer, item, "family_work_plan", self._family(item))

    def destroy(self, request, pk=None):
        actor = request.user
        support.remove_plan_item(actor, _item_for(actor, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=WorkPlanItemStatusSerializer,
        responses={200: WorkPlanItemSerializer, **WRITE},
        description="How an item of the agreed plan stands: planned, in progress, done (dated), dropped.",
    )
    @action(detail=True, methods=["post"], url_path="status", serializer_class=WorkPlanItemStatusSerializer)
    def set_status(self, request, pk=None):
        actor = request.user
        item = _item_for(actor, pk)
        data = body(WorkPlanItemStatusSerializer, request)
        support.set_plan_item_status(actor, item, status=data["status"], on=data.get("on") or today())
        item = _item_for(actor, item.pk)
        return _show(actor, WorkPlanItemSerializer, item, "family_work_plan", self._family(item))


def _nothing_to_change():
    from django.utils.translation import gettext

    return gettext("Nothing to change.")


# --- activities ----------------------------------------------------------------------------------------


def _activities(actor):
    return (
        AssistantActivity.objects.filter(enrolment__in=_visible_ids(actor))
        .select_related("enrolment")
        .prefetch_related("family_members", "partners")
    )


def _activity_for(actor, pk) -> AssistantActivity:
    return visible(lambda a, p: _activities(a).get(pk=p), actor, pk)


@extend_schema_view(
    list=extend_schema(
        parameters=[AssistantActivityQuerySerializer],
        responses={200: AssistantActivitySerializer(many=True), **READ, 400: BAD_INPUT},
        description="The assistant's activity log of the families you may see, newest first. Audited.",
    ),
    retrieve=extend_schema(responses={200: AssistantActivitySerializer, **READ}),
    create=extend_schema(
        request=AssistantActivityCreateSerializer,
        responses={201: AssistantActivitySerializer, **WRITE},
        description="Log a piece of the assistant's work with the family (active or monitored families).",
    ),
)
@extend_schema(tags=[TAG])
class ActivityViewSet(mixins.ListModelMixin, FamilyViewSet):
    serializer_class = AssistantActivitySerializer
    queryset = AssistantActivity.objects.none()
    capabilities = {
        "list": WORK_FAMILY_SUPPORT,
        "retrieve": WORK_FAMILY_SUPPORT,
        "options": WORK_FAMILY_SUPPORT,
        "create": WORK_FAMILY_SUPPORT,
    }

    def list(self, request):
        data = query(AssistantActivityQuerySerializer, request)
        records = _activities(request.user).order_by("-on", "-id")
        if data.get("enrolment"):
            records = records.filter(enrolment_id=data["enrolment"])
        if data.get("assistant"):
            records = records.filter(assistant_id=data["assistant"])
        if data.get("date_from"):
            records = records.filter(on__gte=data["date_from"])
        if data.get("date_until"):
            records = records.filter(on__lte=data["date_until"])

        def audit(page):
            audit_list(request.user, object_type="family_activity", person_ids=_family_of(page))

        return self.page(records, AssistantActivitySerializer, audit=audit)

    def retrieve(self, request, pk=None):
        record = _activity_for(request.user, pk)
        return _show(request.user, AssistantActivitySerializer, record, "family_activity", _family_of([record]))

    def create(self, request):
        actor = request.user
        data = body(AssistantActivityCreateSerializer, request)
        enrolment = _enrolment_named(actor, data["enrolment"])
        record = support.log_activity(
            actor,
            enrolment,
            on=data["on"],
            minutes=data["minutes"],
            place=data["place"],
            areas=list(dict.fromkeys(data["areas"])),
            family_members=many_in_centre(actor, persons(actor), data["family_members"], "family_members"),
            partners=many_in_centre(actor, partners(actor), data["partners"], "partners"),
            others_present=data["others_present"],
            notes=data["notes"],
        )
        record = _activity_for(actor, record.pk)
        return _show(actor, AssistantActivitySerializer, record, "family_activity", _family_of([record]), 201)


# --- assessments ---------------------------------------------------------------------------------------


def _assessments(actor):
    return FamilyAssessment.objects.filter(enrolment__in=_visible_ids(actor)).select_related("enrolment")


def _assessment_for(actor, pk) -> FamilyAssessment:
    return visible(lambda a, p: _assessments(a).get(pk=p), actor, pk)


@extend_schema_view(
    list=extend_schema(
        parameters=[EnrolmentFilterSerializer],
        responses={200: FamilyAssessmentSerializer(many=True), **READ, 400: BAD_INPUT},
        description="Assessments of the families' situation (and opinions for the court), newest first. Audited.",
    ),
    retrieve=extend_schema(responses={200: FamilyAssessmentSerializer, **READ}),
    create=extend_schema(
        request=FamilyAssessmentCreateSerializer,
        responses={201: FamilyAssessmentSerializer, **WRITE},
        description="Record a periodic assessment, or (is_court_opinion, court_name) the opinion a court asked for.",
    ),
)
@extend_schema(tags=[TAG])
class AssessmentViewSet(mixins.ListModelMixin, FamilyViewSet):
    serializer_class = FamilyAssessmentSerializer
    queryset = FamilyAssessment.objects.none()
    capabilities = {
        "list": WORK_FAMILY_SUPPORT,
        "retrieve": WORK_FAMILY_SUPPORT,
        "options": WORK_FAMILY_SUPPORT,
        "create": WORK_FAMILY_SUPPORT,
    }

    def list(self, request):
        data = query(EnrolmentFilterSerializer, request)
        records = _assessments(request.user).order_by("-assessed_on", "-id")
        if data.get("enrolment"):
            records = records.filter(enrolment_id=data["enrolment"])

        def audit(page):
            audit_list(request.user, object_type="family_assessment", person_ids=_family_of(page))

        return self.page(records, FamilyAssessmentSerializer, audit=audit)

    def retrieve(self, request, pk=None):
        record = _assessment_for(request.user, pk)
        return _show(request.user, FamilyAssessmentSerializer, record, "family_assessment", _family_of([record]))

    def create(self, request):
        actor = request.user
        data = body(FamilyAssessmentCreateSerializer, request)
        enrolment = _enrolment_named(actor, data.pop("enrolment"))
        data["progress"] = data.get("progress") or None
        record = support.record_assessment(actor, enrolment, **data)
        record = _assessment_for(actor, record.pk)
        return _show(actor, FamilyAssessmentSerializer, record, "family_assessment", _family_of([record]), 201)


# --- loads and timesheets ------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        responses={200: AssistantLoadSerializer(many=True), 403: READ[403]},
        description="Each family assistant's load against the caseload cap (team leaders, the director).",
    ),
)
@extend_schema(tags=[TAG])
class LoadViewSet(FamilyViewSet):
    serializer_class = AssistantLoadSerializer
    pagination_class = None
    capabilities = {"list": VIEW_ASSISTANT_LOADS, "options": VIEW_ASSISTANT_LOADS}

    def list(self, request):
        return Response(AssistantLoadSerializer(selectors.assistant_loads(request.user, today()), many=True).data)


def _month(text: str) -> dt.date:
    year, month = text.split("-")
    return dt.date(int(year), int(month), 1)


def _timesheet_data(sheet) -> dict:
    """A selectors_support.Timesheet as the API answers it."""
    assistant = sheet.assistant
    return {
        "assistant": assistant.pk,
        "assistant_name": assistant.get_full_name() or assistant.username,
        "month": f"{sheet.month:%Y-%m}",
        "rows": [
            {
                "date": row.date,
                "minutes": row.minutes,
                "entries": [
                    {
                        "enrolment": e.enrolment_id,
                        "family_name": e.family_name,
                        "place": e.place,
                        "areas": list(e.areas),
                        "minutes": e.minutes,
                    }
                    for e in row.entries
                ],
            }
            for row in sheet.rows
        ],
        "total_minutes": sheet.total_minutes,
        "minutes_per_area": dict(sheet.minutes_per_area),
        "minutes_per_family": [
            {"enrolment": enrolment_id, "family_name": name, "minutes": minutes}
            for enrolment_id, name, minutes in sheet.minutes_per_family
        ],
    }


@extend_schema_view(
    list=extend_schema(
        parameters=[AssistantTimesheetQuerySerializer],
        responses={200: AssistantTimesheetSerializer(many=True), **READ, 400: BAD_INPUT},
        description="Monthly timesheets: yours, one assistant's (?assistant=), or (team leaders, the director) "
        "every assistant's of your centre. Audited under the families shown (their heads).",
    ),
)
@extend_schema(tags=[TAG])
class TimesheetViewSet(FamilyViewSet):
    serializer_class = AssistantTimesheetSerializer
    pagination_class = None
    capabilities = {"list": WORK_FAMILY_SUPPORT, "options": WORK_FAMILY_SUPPORT}

    def list(self, request):
        actor = request.user
        data = query(AssistantTimesheetQuerySerializer, request)
        month = _month(data["month"]) if data.get("month") else timezone.localdate().replace(day=1)
        if data.get("assistant"):
            assistant = staff(actor).filter(pk=data["assistant"]).first()
            if assistant is None:
                raise NotFound()
            if not can_view_timesheet(actor, assistant):
                raise Forbidden()
            sheets = [selectors.timesheet(actor, assistant, month)]
        elif _reads_all(actor):
            sheets = selectors.timesheets(actor, month)
        else:
            sheets = [selectors.timesheet(actor, actor, month)]
        # The selectors audit the read under the families shown.
        return Response(AssistantTimesheetSerializer([_timesheet_data(s) for s in sheets], many=True).data)


def _reads_all(actor) -> bool:
    from socius.family.permissions import can_view_assistant_loads

    return can_view_assistant_loads(actor)

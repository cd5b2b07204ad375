"""API of child protection: /api/v1/child-protection/children/, placements/, meetings/, decisions/ and
tasks/ (decision 0015).

Children are seen by their responsible worker and whoever reads their case's content; meetings by those who
do child protection work in the centre, an agenda item's content only by the meeting's members, the director
and the case's readers (others see "a case of <worker>"); tasks by the person they are assigned to and the
case's readers. Anything else is "not found". State moves are actions answering 409 with the reason (the
quorum not met, a body the centre's pack does not have, a state that does not allow it), nothing written.
Every answer showing a child's or a family's data is audited under them.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from socius.accounts.roles import WORK_CHILD_PROTECTION, Role
from socius.casework.selectors import persons_shown_by_cases, readable_case_ids
from socius.common.api import BAD_INPUT
from socius.common.errors import NotFound, ValidationFailed
from socius.family import protection
from socius.family import selectors_protection as selectors
from socius.family.api_common import (
    READ,
    UNKNOWN,
    WRITE,
    FamilyViewSet,
    audit_list,
    audit_read,
    body,
    cases,
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
    AgendaItem,
    ChildInDifficulty,
    FollowUpTask,
    Meeting,
    MeetingDecision,
    MeetingMember,
    Placement,
)
from socius.family.permissions import can_view_agenda_item
from socius.family.serializers_protection import (
    CareChangeSerializer,
    ChildCloseSerializer,
    ChildCreateSerializer,
    ChildDetailSerializer,
    ChildPlacementQuerySerializer,
    ChildPlacementSerializer,
    ChildProtectionReasonSerializer,
    ChildQuerySerializer,
    ChildRisksSerializer,
    ChildSerializer,
    FollowUpTaskCreateSerializer,
    FollowUpTaskDoneSerializer,
    FollowUpTaskQuerySerializer,
    FollowUpTaskSerializer,
    MeetingAgendaAddSerializer,
    MeetingAttendanceSerializer,
    MeetingCreateSerializer,
    MeetingDecisionCreateSerializer,
    MeetingDecisionQuerySerializer,
    MeetingDecisionSerializer,
    MeetingDetailSerializer,
    MeetingHoldSerializer,
    MeetingMembersSerializer,
    MeetingQuerySerializer,
    MeetingSerializer,
)

TAG = "child protection"


# --- children ------------------------------------------------------------------------------------------


def _with_current_form(records) -> list:
    records = list(records)
    for record in records:
        record.current_form = next((p.form for p in record.placements.all() if p.valid_until is None), None)
    return records


def _children(actor, **filters):
    return selectors.list_children_for(actor, **filters).select_related("child", "case").prefetch_related("placements")


def _child(actor, pk) -> ChildInDifficulty:
    """The child's record if the caller may see it, else "not found" (the read is audited where it is shown)."""
    return visible(lambda a, p: selectors.get_child_for(a, p, audit=False), actor, pk)


def _child_for(actor, pk) -> ChildInDifficulty:
    record = _child(actor, pk)
    return _children(actor).filter(pk=record.pk).first() or record


def _show_child(actor, record, code=status.HTTP_200_OK):
    record = _child_for(actor, record.pk)
    _with_current_form([record])
    audit_read(actor, object_type="child_in_difficulty", record=record, person_ids=[record.child_id])
    return Response(ChildDetailSerializer(record).data, status=code)


def _move(description: str, request_serializer, response=ChildDetailSerializer):
    return extend_schema(request=request_serializer, responses={200: response, **WRITE}, description=description)


@extend_schema_view(
    list=extend_schema(
        parameters=[ChildQuerySerializer],
        responses={200: ChildSerializer(many=True), **READ, 400: BAD_INPUT},
        description="The children in difficulty you may see (yours, and those of the cases whose content you "
        "read). Audited under the children shown.",
    ),
    retrieve=extend_schema(responses={200: ChildDetailSerializer, **READ}),
    create=extend_schema(
        request=ChildCreateSerializer,
        responses={201: ChildDetailSerializer, **WRITE},
        description="Record a child of a case as in difficulty, with the risks and the current form of care.",
    ),
)
@extend_schema(tags=[TAG])
class ChildViewSet(mixins.ListModelMixin, FamilyViewSet):
    serializer_class = ChildSerializer
    queryset = ChildInDifficulty.objects.none()
    capabilities = {
        "list": WORK_CHILD_PROTECTION,
        "retrieve": WORK_CHILD_PROTECTION,
        "options": WORK_CHILD_PROTECTION,
        "create": WORK_CHILD_PROTECTION,
        "care": WORK_CHILD_PROTECTION,
        "risks": WORK_CHILD_PROTECTION,
        "close": WORK_CHILD_PROTECTION,
    }

    def list(self, request):
        filters = ChildQuerySerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        records = _children(request.user, **filters.as_selector_kwargs())
        page = _with_current_form(self.paginate_queryset(records))
        audit_list(request.user, object_type="child_in_difficulty", person_ids=[r.child_id for r in page])
        return self.get_paginated_response(ChildSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return _show_child(request.user, _child(request.user, pk))

    def create(self, request):
        actor = request.user
        data = body(ChildCreateSerializer, request)
        worker = in_centre(actor, staff(actor), data.get("responsible_worker"), "responsible_worker") or actor
        record = protection.record_child(
            actor,
            case=in_centre(actor, cases(actor), data["case"], "case"),
            child=in_centre(actor, persons(actor), data["child"], "child"),
            responsible_worker=worker,
            risks=list(dict.fromkeys(data["risks"])),
            identified_on=data["identified_on"],
            form_of_care=data["form_of_care"],
            care_from=data.get("care_from") or data["identified_on"],
            carer=data["carer"],
            partner=in_centre(actor, partners(actor), data.get("partner"), "partner"),
            notes=data["notes"],
        )
        return _show_child(actor, record, status.HTTP_201_CREATED)

    @_move("A new form of care from a day: the current one ends that day.", CareChangeSerializer)
    @action(detail=True, methods=["post"], serializer_class=CareChangeSerializer)
    def care(self, request, pk=None):
        actor = request.user
        record = _child(actor, pk)
        data = body(CareChangeSerializer, request)
        protection.change_form_of_care(
            actor,
            record,
            form=data["form"],
            valid_from=data["valid_from"],
            carer=data["carer"],
            partner=in_centre(actor, partners(actor), data.get("partner"), "partner"),
            legal_basis=data["legal_basis"],
            note=data["note"],
        )
        return _show_child(actor, record)

    @_move("The risks the child faces now.", ChildRisksSerializer)
    @action(detail=True, methods=["post"], serializer_class=ChildRisksSerializer)
    def risks(self, request, pk=None):
        actor = request.user
        record = _child(actor, pk)
        data = body(ChildRisksSerializer, request)
        protection.update_risks(
            actor, record, risks=list(dict.fromkeys(data["risks"])), on=data.get("on") or today(), note=data["note"]
        )
        return _show_child(actor, record)

    @_move("The child is no longer in difficulty: open → closed.", ChildCloseSerializer)
    @action(detail=True, methods=["post"], serializer_class=ChildCloseSerializer)
    def close(self, request, pk=None):
        actor = request.user
        record = _child(actor, pk)
        data = body(ChildCloseSerializer, request)
        protection.close_child(actor, record, closed_on=data.get("closed_on") or today(), note=data["note"])
        return _show_child(actor, record)


# --- placements ----------------------------------------------------------------------------------------


def _visible_children(actor):
    return selectors.list_children_for(actor).values("pk")


def _placements(actor):
    return Placement.objects.filter(record__in=_visible_children(actor)).select_related("record")


@extend_schema_view(
    list=extend_schema(
        parameters=[ChildPlacementQuerySerializer],
        responses={200: ChildPlacementSerializer(many=True), **READ, 400: BAD_INPUT},
        description="Forms of care of the children you may see (?child_record= one child's history). Audited.",
    ),
    retrieve=extend_schema(responses={200: ChildPlacementSerializer, **READ}),
)
@extend_schema(tags=[TAG])
class PlacementViewSet(mixins.ListModelMixin, FamilyViewSet):
    serializer_class = ChildPlacementSerializer
    queryset = Placement.objects.none()
    capabilities = {
        "list": WORK_CHILD_PROTECTION,
        "retrieve": WORK_CHILD_PROTECTION,
        "options": WORK_CHILD_PROTECTION,
    }

    def list(self, request):
        data = query(ChildPlacementQuerySerializer, request)
        records = _placements(request.user).order_by("record_id", "valid_from", "id")
        if data.get("child_record"):
            records = records.filter(record_id=data["child_record"])

        def audit(page):
            audit_list(request.user, object_type="placement", person_ids=[p.record.child_id for p in page])

        return self.page(records, ChildPlacementSerializer, audit=audit)

    def retrieve(self, request, pk=None):
        placement = visible(lambda a, p: _placements(a).get(pk=p), request.user, pk)
        audit_read(request.user, object_type="placement", record=placement, person_ids=[placement.record.child_id])
        return Response(ChildPlacementSerializer(placement).data)


# --- meetings ------------------------------------------------------------------------------------------


def _meeting_for(actor, pk) -> Meeting:
    return visible(selectors.get_meeting_for, actor, pk)


def _agenda_rows(actor, meeting) -> list[dict]:
    """The agenda as the caller may see it (selectors.meeting_agenda, which audits the read under the persons
    of the items shown): an item on a case the caller may not read shows only its worker and case number."""
    rows = []
    for item, can_read in selectors.meeting_agenda(actor, meeting):
        if not can_read:
            worker = item.worker
            rows.append(
                {
                    "id": item.pk,
                    "position": item.position,
                    "visible": False,
                    "case": None,
                    "case_reference": item.case_reference,
                    "worker_name": (worker.get_full_name() or worker.username) if worker else "",
                    "child_record": None,
                    "child_name": "",
                    "summary": "",
                    "decision": None,
                }
            )
            continue
        worker = item.case.assigned_worker
        rows.append(
            {
                "id": item.pk,
                "position": item.position,
                "visible": True,
                "case": item.case_id,
                "case_reference": item.case.reference,
                "worker_name": (worker.get_full_name() or worker.username) if worker else "",
                "child_record": item.child_id,
                "child_name": item.child.child.full_name if item.child_id else "",
                "summary": item.summary,
                "decision": item.decision if _has_decision(item) else None,
            }
        )
    return rows


def _has_decision(item) -> bool:
    try:
        return item.decision is not None
    except MeetingDecision.DoesNotExist:
        return False


def _show_meeting(actor, meeting, code=status.HTTP_200_OK):
    meeting = selectors.get_meeting_for(actor, meeting.pk)
    meeting.agenda_rows = _agenda_rows(actor, meeting)
    return Response(MeetingDetailSerializer(meeting).data, status=code)


def _members(actor, rows) -> list:
    out = []
    for row in rows:
        out.append(
            protection.MemberInput(
                user=in_centre(actor, staff(actor), row.get("user"), "members"),
                name=row.get("name", ""),
                partner=in_centre(actor, partners(actor), row.get("partner"), "members"),
                role=row.get("role", ""),
                is_voting=row.get("is_voting", True),
            )
        )
    return out


_MEETING_WRITE = {200: MeetingDetailSerializer, **WRITE}


@extend_schema_view(
    list=extend_schema(
        parameters=[MeetingQuerySerializer],
        responses={200: MeetingSerializer(many=True), **READ, 400: BAD_INPUT},
        description="The meetings of your centre's bodies on children's cases, latest first.",
    ),
    retrieve=extend_schema(
        responses={200: MeetingDetailSerializer, **READ},
        description="A meeting with its members and agenda: items on cases you may not read show only their "
        "worker (visible false). Audited under the persons of the items shown.",
    ),
    create=extend_schema(
        request=MeetingCreateSerializer,
        responses={201: MeetingDetailSerializer, **WRITE},
        description="Schedule a meeting of one of the bodies your centre's pack has (else 409 not_in_pack).",
    ),
)
@extend_schema(tags=[TAG])
class MeetingViewSet(mixins.ListModelMixin, FamilyViewSet):
    serializer_class = MeetingSerializer
    queryset = Meeting.objects.none()
    capabilities = {
        "list": WORK_CHILD_PROTECTION,
        "retrieve": WORK_CHILD_PROTECTION,
        "options": WORK_CHILD_PROTECTION,
        "create": WORK_CHILD_PROTECTION,
        "agenda": WORK_CHILD_PROTECTION,
        "members": WORK_CHILD_PROTECTION,
        "attendance": WORK_CHILD_PROTECTION,
        "hold": WORK_CHILD_PROTECTION,
        "cancel": WORK_CHILD_PROTECTION,
    }

    def list(self, request):
        data = query(MeetingQuerySerializer, request)
        records = selectors.list_meetings_for(
            request.user, date_from=data.get("date_from"), date_until=data.get("date_until"), body=data.get("body")
        )
        return self.page(records, MeetingSerializer)

    def retrieve(self, request, pk=None):
        return _show_meeting(request.user, _meeting_for(request.user, pk))

    def create(self, request):
        actor = request.user
        data = body(MeetingCreateSerializer, request)
        meeting = protection.schedule_meeting(
            actor,
            body=data["body"],
            scheduled_at=data["scheduled_at"],
            place=data["place"],
            chair=in_centre(actor, staff(actor), data.get("chair"), "chair"),
            members=_members(actor, data["members"]),
        )
        return _show_meeting(actor, meeting, status.HTTP_201_CREATED)

    @_move(
        "Put a case (or one child of it) on the meeting's agenda; you must read the case.",
        MeetingAgendaAddSerializer,
        _MEETING_WRITE[200],
    )
    @action(detail=True, methods=["post"], serializer_class=MeetingAgendaAddSerializer)
    def agenda(self, request, pk=None):
        actor = request.user
        meeting = _meeting_for(actor, pk)
        data = body(MeetingAgendaAddSerializer, request)
        case = in_centre(actor, cases(actor), data["case"], "case")
        child = None
        if data.get("child_record"):
            child = ChildInDifficulty.objects.filter(pk=data["child_record"], case_id=case.pk).first()
            if child is None:
                raise ValidationFailed({"child_record": [UNKNOWN]})
        protection.put_on_agenda(actor, meeting, case=case, summary=data["summary"], child=child)
        return _show_meeting(actor, meeting)

    @_move(
        "Set the meeting's members (replaces the list; before it is held).",
        MeetingMembersSerializer,
        MeetingDetailSerializer,
    )
    @action(detail=True, methods=["post"], serializer_class=MeetingMembersSerializer)
    def members(self, request, pk=None):
        actor = request.user
        meeting = _meeting_for(actor, pk)
        data = body(MeetingMembersSerializer, request)
        protection.set_meeting_members(actor, meeting, _members(actor, data["members"]))
        return _show_meeting(actor, meeting)

    @_move("Who of the members is present.", MeetingAttendanceSerializer, MeetingDetailSerializer)
    @action(detail=True, methods=["post"], serializer_class=MeetingAttendanceSerializer)
    def attendance(self, request, pk=None):
        actor = request.user
        meeting = _meeting_for(actor, pk)
        data = body(MeetingAttendanceSerializer, request)
        present = list(dict.fromkeys(data["present"]))
        known = set(meeting.members.filter(pk__in=present).values_list("pk", flat=True))
        if len(known) != len(present):
            raise ValidationFailed({"present": [UNKNOWN]})
        protection.record_attendance(actor, meeting, present_member_ids=present)
        return _show_meeting(actor, meeting)

    @_move(
        "The meeting was held, with its minutes: scheduled → held (409 quorum_not_met when fewer voting "
        "members are present than the quorum).",
        MeetingHoldSerializer,
        MeetingDetailSerializer,
    )
    @action(detail=True, methods=["post"], serializer_class=MeetingHoldSerializer)
    def hold(self, request, pk=None):
        actor = request.user
        meeting = _meeting_for(actor, pk)
        data = body(MeetingHoldSerializer, request)
        protection.hold_meeting(actor, meeting, held_on=data.get("held_on") or today(), minutes=data["minutes"])
        return _show_meeting(actor, meeting)

    @_move("Cancel the meeting: scheduled → cancelled.", ChildProtectionReasonSerializer, MeetingDetailSerializer)
    @action(detail=True, methods=["post"], serializer_class=ChildProtectionReasonSerializer)
    def cancel(self, request, pk=None):
        actor = request.user
        meeting = _meeting_for(actor, pk)
        data = body(ChildProtectionReasonSerializer, request)
        protection.cancel_meeting(actor, meeting, reason=data["reason"])
        return _show_meeting(actor, meeting)


# --- decisions -----------------------------------------------------------------------------------------


def _decisions(actor):
    """Decisions on the agenda items the caller may read (meetings of their centre, then the item's rule)."""
    readable = Q(item__meeting__centre_id=actor.centre_id)
    if actor.role != Role.DIRECTOR:
        member = MeetingMember.objects.filter(meeting_id=OuterRef("item__meeting_id"), user_id=actor.pk)
        readable &= Exists(member) | Q(item__meeting__chair_id=actor.pk) | Q(item__case_id__in=readable_case_ids(actor))
    return (
        MeetingDecision.objects.filter(readable)
        .select_related("item__meeting", "item__case", "item__child")
        .prefetch_related("responsible")
        .order_by("-decided_at", "-id")
    )


def _decision_persons(decisions) -> list[int]:
    shown = persons_shown_by_cases([d.item.case for d in decisions])
    out = [d.item.child.child_id for d in decisions if d.item.child_id]
    return [*out, *(p for d in decisions for p in shown[d.item.case_id])]


def _decision_for(actor, pk) -> MeetingDecision:
    def get(a, p):
        return _decisions(a).get(pk=p)

    return visible(get, actor, pk)


@extend_schema_view(
    list=extend_schema(
        parameters=[MeetingDecisionQuerySerializer],
        responses={200: MeetingDecisionSerializer(many=True), **READ, 400: BAD_INPUT},
        description="The meetings' decisions on the cases you may read (?meeting=, ?child_record=). Audited.",
    ),
    retrieve=extend_schema(responses={200: MeetingDecisionSerializer, **READ}),
    create=extend_schema(
        request=MeetingDecisionCreateSerializer,
        responses={201: MeetingDecisionSerializer, **WRITE},
        description="Record the meeting's decision on an agenda item: a form of care different from the child's "
        "current one starts from care_from; each task goes back to the case.",
    ),
)
@extend_schema(tags=[TAG])
class DecisionViewSet(mixins.ListModelMixin, FamilyViewSet):
    serializer_class = MeetingDecisionSerializer
    queryset = MeetingDecision.objects.none()
    capabilities = {
        "list": WORK_CHILD_PROTECTION,
        "retrieve": WORK_CHILD_PROTECTION,
        "options": WORK_CHILD_PROTECTION,
        "create": WORK_CHILD_PROTECTION,
    }

    def list(self, request):
        data = query(MeetingDecisionQuerySerializer, request)
        records = _decisions(request.user)
        if data.get("meeting"):
            records = records.filter(item__meeting_id=data["meeting"])
        if data.get("child_record"):
            records = records.filter(item__child_id=data["child_record"])

        def audit(page):
            audit_list(request.user, object_type="meeting_decision", person_ids=_decision_persons(page))

        return self.page(records, MeetingDecisionSerializer, audit=audit)

    def retrieve(self, request, pk=None):
        decision = _decision_for(request.user, pk)
        audit_read(
            request.user, object_type="meeting_decision", record=decision, person_ids=_decision_persons([decision])
        )
        return Response(MeetingDecisionSerializer(decision).data)

    def create(self, request):
        actor = request.user
        data = body(MeetingDecisionCreateSerializer, request)
        item = (
            AgendaItem.objects.filter(pk=data["agenda_item"], meeting__centre_id=actor.centre_id)
            .select_related("meeting", "case")
            .first()
        )
        if item is None or not can_view_agenda_item(actor, item):
            raise NotFound()
        tasks = [
            protection.TaskInput(
                assigned_to=in_centre(actor, staff(actor), t["assigned_to"], "tasks"),
                description=t["description"],
                due_on=t["due_on"],
            )
            for t in data["tasks"]
        ]
        decision = protection.record_decision(
            actor,
            item,
            text=data["text"],
            form_of_care=data["form_of_care"],
            care_from=data.get("care_from"),
            support_measures=data["support_measures"],
            responsible=many_in_centre(actor, staff(actor), data["responsible"], "responsible"),
            review_on=data.get("review_on"),
            tasks=tasks,
        )
        decision = _decision_for(actor, decision.pk)
        audit_read(actor, object_type="meeting_decision", record=decision, person_ids=_decision_persons([decision]))
        return Response(MeetingDecisionSerializer(decision).data, status=status.HTTP_201_CREATED)


# --- follow-up tasks -----------------------------------------------------------------------------------


def _tasks(actor):
    """Tasks assigned to the caller, and those on the cases whose content they read (permissions.can_work_task)."""
    readable = Q(assigned_to_id=actor.pk) | Q(case_id__in=readable_case_ids(actor))
    return FollowUpTask.objects.filter(readable, centre_id=actor.centre_id).select_related("case")


def _task_for(actor, pk) -> FollowUpTask:
    return visible(selectors.get_task_for, actor, pk)


def _task_persons(tasks) -> list[int]:
    shown = persons_shown_by_cases([t.case for t in tasks])
    return [p for t in tasks for p in shown[t.case_id]]


def _show_task(actor, task, code=status.HTTP_200_OK):
    task = _task_for(actor, task.pk)
    audit_read(actor, object_type="follow_up_task", record=task, person_ids=_task_persons([task]))
    return Response(FollowUpTaskSerializer(task).data, status=code)


@extend_schema_view(
    list=extend_schema(
        parameters=[FollowUpTaskQuerySerializer],
        responses={200: FollowUpTaskSerializer(many=True), **READ, 400: BAD_INPUT},
        description="Follow-up tasks: assigned to you, or on cases whose content you read (?status=, default open; "
        "?case=). Audited under the cases' persons.",
    ),
    retrieve=extend_schema(responses={200: FollowUpTaskSerializer, **READ}),
    create=extend_schema(
        request=FollowUpTaskCreateSerializer,
        responses={201: FollowUpTaskSerializer, **WRITE},
        description="Set a follow-up task on a case by hand.",
    ),
)
@extend_schema(tags=[TAG])
class TaskViewSet(mixins.ListModelMixin, FamilyViewSet):
    serializer_class = FollowUpTaskSerializer
    queryset = FollowUpTask.objects.none()
    capabilities = {
        "list": WORK_CHILD_PROTECTION,
        "retrieve": WORK_CHILD_PROTECTION,
        "options": WORK_CHILD_PROTECTION,
        "create": WORK_CHILD_PROTECTION,
        "done": WORK_CHILD_PROTECTION,
        "cancel": WORK_CHILD_PROTECTION,
    }

    def list(self, request):
        actor = request.user
        data = query(FollowUpTaskQuerySerializer, request)
        records = _tasks(actor).order_by("due_on", "id")
        if data["status"] != "all":
            records = records.filter(status=data["status"])
        if data.get("case"):
            records = records.filter(case_id=data["case"])

        def audit(page):
            audit_list(actor, object_type="follow_up_task", person_ids=_task_persons(page))

        return self.page(records, FollowUpTaskSerializer, audit=audit)

    def retrieve(self, request, pk=None):
        return _show_task(request.user, _task_for(request.user, pk))

    def create(self, request):
        actor = request.user
        data = body(FollowUpTaskCreateSerializer, request)
        task = protection.create_task(
            actor,
            case=in_centre(actor, cases(actor), data["case"], "case"),
            assigned_to=in_centre(actor, staff(actor), data["assigned_to"], "assigned_to"),
            description=data["description"],
            due_on=data["due_on"],
        )
        return _show_task(actor, task, status.HTTP_201_CREATED)

    @_move("The task is done: open → done.", FollowUpTaskDoneSerializer, FollowUpTaskSerializer)
    @action(detail=True, methods=["post"], serializer_class=FollowUpTaskDoneSerializer)
    def done(self, request, pk=None):
        actor = request.user
        task = _task_for(actor, pk)
        data = body(FollowUpTaskDoneSerializer, request)
        protection.complete_task(actor, task, done_on=data.get("done_on") or today(), outcome=data["outcome"])
        return _show_task(actor, task)

    @_move("The task is no longer needed: open → cancelled.", ChildProtectionReasonSerializer, FollowUpTaskSerializer)
    @action(detail=True, methods=["post"], serializer_class=ChildProtectionReasonSerializer)
    def cancel(self, request, pk=None):
        actor = request.user
        task = _task_for(actor, pk)
        data = body(ChildProtectionReasonSerializer, request)
        protection.cancel_task(actor, task, reason=data["reason"])
        return _show_task(actor, task)

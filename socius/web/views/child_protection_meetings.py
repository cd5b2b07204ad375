"""UI views: meetings on children's cases — the commission calendar (a month grid and the upcoming meetings),
scheduling a meeting, the meeting page (agenda, members and attendance with the quorum, a decision per agenda
item with its follow-up tasks, holding it with minutes, cancelling it), the minutes PDF, and the worker's
follow-up tasks.

The meeting page is one section ("meeting"): each write is one service of socius.family.protection through
`run_action` (htmx swaps the section in place; without JavaScript, a redirect to the page at the action's
anchor). An agenda item the reader may not read shows only whose case it is (selectors_protection.meeting_agenda).
"""

from __future__ import annotations

import calendar
import contextlib
import datetime as dt

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from socius.accounts.roles import WORK_CHILD_PROTECTION
from socius.casework.selectors import attach_case_clients, cases_in_scope, readable_case_ids
from socius.casework.statuses import OPEN_STATUSES
from socius.common.errors import Conflict, ValidationFailed
from socius.family import permissions, rules_protection
from socius.family import protection as services
from socius.family import selectors_protection as selectors
from socius.family.models import AgendaItem, ChildInDifficulty, Meeting
from socius.family.rules_protection import form_of_care_labels
from socius.family.statuses import ChildStatus, MeetingStatus
from socius.web.access import requires
from socius.web.forms_child_protection import (
    CASE_CHOICES_SHOWN,
    AgendaForm,
    AttendanceForm,
    CancelMeetingForm,
    DecisionForm,
    HoldForm,
    MeetingForm,
    StaffMembersForm,
    TaskDoneForm,
    TaskRows,
    case_search_q,
    external_members,
)
from socius.web.pdf import document_language, pdf_response, render_pdf
from socius.web.views._helpers import add_domain_errors, domain_404
from socius.web.views._sections import Refusal, Section, reasons_of
from socius.web.views.plans import _WholePage

UPCOMING_SHOWN = 10


def get_meeting_or_404(actor, pk) -> Meeting:
    try:
        return selectors.get_meeting_for(actor, pk)
    except Meeting.DoesNotExist:
        raise Http404() from None


def body_labels(centre) -> dict[str, str]:
    """{body code: its statutory name in the reader's language} from the centre's pack."""
    return {body.code: body.label for body in rules_protection.meeting_bodies(centre)}


def label_bodies(meetings, centre) -> None:
    labels = body_labels(centre)
    for meeting in meetings:
        meeting.body_label = labels.get(meeting.body) or meeting.get_body_display()


def member_inputs(staff_form: StaffMembersForm, externals) -> list:
    members = [services.MemberInput(user=user) for user in staff_form.cleaned_data["staff"]]
    members += [
        services.MemberInput(name=m["name"], partner=m["partner"], role=m["role"], is_voting=m["is_voting"])
        for m in externals.members()
    ]
    return members


# --- the calendar -------------------------------------------------------------------------------------


def _month(request) -> dt.date:
    """The first day of `?month=YYYY-MM`; this month for a missing or malformed value."""
    raw = (request.GET.get("month") or "").strip()
    try:
        year, month = (int(part) for part in raw.split("-"))
        if 1900 <= year <= 2200 and 1 <= month <= 12:
            return dt.date(year, month, 1)
    except ValueError:
        pass
    return timezone.localdate().replace(day=1)


def _shift(month: dt.date, by: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + by
    return dt.date(index // 12, index % 12 + 1, 1)


@requires(WORK_CHILD_PROTECTION)
def meetings(request):
    actor = request.user
    month = _month(request)
    today = timezone.localdate()
    # Django counts the first day of the week from Sunday (0), Python's calendar from Monday (0).
    first_weekday = (int(formats.get_format("FIRST_DAY_OF_WEEK")) - 1) % 7
    weeks = calendar.Calendar(firstweekday=first_weekday).monthdatescalendar(month.year, month.month)
    first, last = weeks[0][0], weeks[-1][-1]
    by_day: dict[dt.date, list[Meeting]] = {}
    for meeting in selectors.list_meetings_for(actor, date_from=first, date_until=last):
        by_day.setdefault(timezone.localtime(meeting.scheduled_at).date(), []).append(meeting)
    for day_meetings in by_day.values():
        day_meetings.sort(key=lambda m: m.scheduled_at)
    upcoming = [
        m
        for m in selectors.list_meetings_for(actor, date_from=today)
        if m.status == MeetingStatus.SCHEDULED and timezone.localtime(m.scheduled_at).date() >= today
    ]
    upcoming.sort(key=lambda m: m.scheduled_at)
    label_bodies([m for day in by_day.values() for m in day] + upcoming, actor.centre)
    grid = [
        [{"day": day, "in_month": day.month == month.month, "meetings": by_day.get(day, [])} for day in week]
        for week in weeks
    ]
    weekdays = [formats.date_format(day, "D") for day in weeks[0]]
    return render(
        request,
        "web/meetings_calendar.html",
        {
            "month": month,
            "grid": grid,
            "weekdays": weekdays,
            "today": today,
            "previous_month": _shift(month, -1),
            "next_month": _shift(month, 1),
            "this_month": today.replace(day=1),
            "upcoming": upcoming[:UPCOMING_SHOWN],
        },
    )


# --- scheduling ---------------------------------------------------------------------------------------


@requires(WORK_CHILD_PROTECTION)
def meeting_new(request):
    actor = request.user
    bodies = rules_protection.meeting_bodies(actor.centre)
    data = request.POST if request.method == "POST" else None
    initial_day = _month(request) if request.GET.get("month") else timezone.localdate()
    if request.GET.get("on"):
        with contextlib.suppress(ValueError):
            initial_day = dt.date.fromisoformat(request.GET["on"])
    form = MeetingForm(
        data, actor=actor, bodies=bodies, initial={"on": initial_day, "at": dt.time(10, 0), "chair": actor.pk},
        auto_id="meeting_%s",
    )  # fmt: skip
    externals = external_members(data, actor=actor, prefix="external")
    refusal, status = None, 200
    if data is not None:
        status = 400
        if form.is_valid() and externals.is_valid():
            try:
                meeting = services.schedule_meeting(
                    actor,
                    body=form.cleaned_data["body"],
                    scheduled_at=form.scheduled_at(),
                    place=form.cleaned_data["place"],
                    chair=form.cleaned_data["chair"],
                    members=member_inputs(form, externals),
                )
            except Conflict as exc:
                status, refusal = 409, Refusal(_("The meeting was not scheduled."), [str(exc.message)])
            except ValidationFailed as exc:
                add_domain_errors(form, exc)
            else:
                messages.success(request, _("The meeting is scheduled."))
                return redirect("web:meeting_detail", pk=meeting.pk)
        if refusal is None:
            reasons = reasons_of(form) + [str(e) for f in externals.forms for es in f.errors.values() for e in es]
            refusal = Refusal(_("The meeting was not scheduled."), reasons)
    return render(
        request,
        "web/meetings_form.html",
        {"form": form, "externals": externals, "refusal": refusal, "bodies": bodies},
        status=status,
    )


# --- the meeting page ---------------------------------------------------------------------------------


def _agenda_choices(request, actor):
    """What the "put a case forward" picker offers: the open cases the actor reads (searched with
    `?case_q=`), and the open children of those cases."""
    readable = cases_in_scope(actor).filter(pk__in=readable_case_ids(actor), status__in=OPEN_STATUSES)
    query = (request.GET.get("case_q") or request.POST.get("case_q") or "").strip()[:100]
    shown = readable.filter(case_search_q(query)).distinct() if query else readable
    shown_cases = list(shown.order_by("-opened_on", "-id")[:CASE_CHOICES_SHOWN])
    attach_case_clients(shown_cases)
    children = ChildInDifficulty.objects.filter(
        centre_id=actor.centre_id, status=ChildStatus.OPEN, case__in=readable
    ).select_related("child", "case")
    shown_children = list(children.filter(case_id__in=[c.pk for c in shown_cases]).order_by("case_id", "child_id"))
    return query, readable, children, shown_cases, shown_children


def _decision_of(item):
    try:
        return item.decision
    except ObjectDoesNotExist:
        return None


def build_meeting(request, meeting: Meeting, forms_: dict) -> dict:
    actor = request.user
    may_manage = permissions.can_manage_meeting(actor, meeting)
    scheduled = meeting.status == MeetingStatus.SCHEDULED
    label_bodies([meeting], meeting.centre)
    members = sorted(meeting.members.all(), key=lambda m: m.pk)
    voting = [m for m in members if m.is_voting]
    present_voting = sum(1 for m in voting if m.is_present)
    agenda = []
    care_labels = form_of_care_labels(meeting.centre)
    for item, visible in selectors.meeting_agenda(actor, meeting):
        row = {"item": item, "visible": visible, "decision": _decision_of(item) if visible else None}
        if row["decision"] is not None:
            row["care_label"] = care_labels.get(row["decision"].form_of_care, "")
            row["tasks"] = list(row["decision"].tasks.all())
            row["responsible"] = list(row["decision"].responsible.all())
        elif visible and may_manage and meeting.status != MeetingStatus.CANCELLED:
            prefix = f"d{item.pk}"
            row["decision_form"] = forms_.get(f"decision-{item.pk}") or DecisionForm(actor=actor, prefix=prefix)
            row["task_rows"] = forms_.get(f"tasks-{item.pk}") or TaskRows(
                prefix=f"{prefix}-tasks", form_kwargs={"actor": actor}
            )
        agenda.append(row)
    context = {
        "meeting": meeting,
        "members": members,
        "voting_count": len(voting),
        "present_voting": present_voting,
        "quorum": meeting.quorum,
        "quorum_met": meeting.quorum is None or present_voting >= meeting.quorum,
        "agenda": agenda,
        "may_manage": may_manage and scheduled,
        "may_pdf": meeting.status == MeetingStatus.HELD,
    }
    if may_manage and scheduled:
        query, _readable, _children, shown_cases, shown_children = _agenda_choices(request, actor)
        context.update(
            case_q=query,
            agenda_form=forms_.get("agenda")
            or AgendaForm(
                cases=_readable,
                children=_children,
                shown_cases=shown_cases,
                shown_children=shown_children,
                auto_id="agenda_%s",
            ),
            staff_form=forms_.get("members")
            or StaffMembersForm(
                actor=actor,
                initial={"chair": meeting.chair_id, "staff": [m.user_id for m in members if m.user_id]},
                auto_id="members_%s",
            ),
            externals=forms_.get("externals")
            or external_members(
                None,
                actor=actor,
                prefix="external",
                initial=[
                    {"name": m.name, "partner": m.partner_id, "role": m.role, "is_voting": m.is_voting}
                    for m in members
                    if not m.user_id
                ],
            ),
            attendance_form=forms_.get("attendance")
            or AttendanceForm(
                members=members,
                initial={"present": [str(m.pk) for m in members if m.is_present]},
                auto_id="attendance_%s",
            ),
            hold_form=forms_.get("hold")
            or HoldForm(
                initial={"held_on": timezone.localtime(meeting.scheduled_at).date()},
                auto_id="hold_%s",
            ),
            cancel_form=forms_.get("cancel") or CancelMeetingForm(auto_id="cancel_%s"),
        )
    return context


class MeetingPage(_WholePage):
    url_name = "web:meeting_detail"
    page_template = "web/meetings_detail.html"
    section_name = "meeting"
    sections = {"meeting": Section("meeting", gettext_lazy("Meeting"), "web/meetings_section.html", build_meeting)}

    def subject(self, request, pk):
        return get_meeting_or_404(request.user, pk)  # the agenda's read is audited by meeting_agenda


MEETING_PAGE = MeetingPage()


@requires(WORK_CHILD_PROTECTION)
@domain_404
def meeting_detail(request, pk):
    return MEETING_PAGE.render_page(request, pk)


def _meeting_write(request, pk, *, form, write, key: str, done: str, failed: str, anchor: str):
    meeting = get_meeting_or_404(request.user, pk)
    return MEETING_PAGE.run_action(
        request, pk, "meeting", form=form, write=lambda data: write(meeting, data), key=key, done=done,
        failed=failed, anchor=anchor,
    )  # fmt: skip


@requires(WORK_CHILD_PROTECTION)
@domain_404
def meeting_agenda_add(request, pk):
    """GET: the page with the case picker narrowed by `?case_q=` (htmx: the section alone). POST: put the
    chosen case (and child) on the agenda."""
    actor = request.user
    if request.method != "POST":
        return MEETING_PAGE.section_view(request, pk, "meeting")
    _query, readable, children, shown_cases, shown_children = _agenda_choices(request, actor)
    form = AgendaForm(
        request.POST,
        cases=readable,
        children=children,
        shown_cases=shown_cases,
        shown_children=shown_children,
        auto_id="agenda_%s",
    )
    return _meeting_write(
        request,
        pk,
        form=form,
        write=lambda meeting, d: services.put_on_agenda(
            actor, meeting, case=d["case"], summary=d["summary"], child=d["child"]
        ),
        key="agenda",
        done=_("The case is on the agenda."),
        failed=_("The case was not put on the agenda."),
        anchor="agenda",
    )


@requires(WORK_CHILD_PROTECTION)
@require_POST
@domain_404
def meeting_members(request, pk):
    actor = request.user
    staff_form = StaffMembersForm(request.POST, actor=actor, auto_id="members_%s")
    externals = external_members(request.POST, actor=actor, prefix="external")
    if not externals.is_valid():
        for form in externals.forms:
            for errors in form.errors.values():
                for error in errors:
                    staff_form.add_error(None, error)

    return _meeting_write(
        request,
        pk,
        form=staff_form,
        write=lambda meeting, d: services.set_meeting_members(actor, meeting, member_inputs(staff_form, externals)),
        key="members",
        done=_("The members are saved."),
        failed=_("The members were not changed."),
        anchor="members",
    )


@requires(WORK_CHILD_PROTECTION)
@require_POST
@domain_404
def meeting_attendance(request, pk):
    actor = request.user
    meeting = get_meeting_or_404(actor, pk)
    form = AttendanceForm(request.POST, members=list(meeting.members.all()), auto_id="attendance_%s")
    return _meeting_write(
        request,
        pk,
        form=form,
        write=lambda m, d: services.record_attendance(actor, m, present_member_ids=[int(i) for i in d["present"]]),
        key="attendance",
        done=_("The attendance is saved."),
        failed=_("The attendance was not saved."),
        anchor="members",
    )


@requires(WORK_CHILD_PROTECTION)
@require_POST
@domain_404
def meeting_decision(request, pk):
    """A decision on one agenda item (pk: the item), with its follow-up tasks."""
    actor = request.user
    items = AgendaItem.objects.filter(pk=pk, meeting__centre_id=actor.centre_id)
    meeting_id = items.values_list("meeting_id", flat=True).first()
    meeting = get_meeting_or_404(actor, meeting_id if meeting_id is not None else 0)
    item = next((i for i, visible in selectors.meeting_agenda(actor, meeting) if i.pk == pk and visible), None)
    if item is None:
        raise Http404
    prefix = f"d{pk}"
    form = DecisionForm(request.POST, actor=actor, prefix=prefix)
    tasks = TaskRows(request.POST, prefix=f"{prefix}-tasks", form_kwargs={"actor": actor})
    if not tasks.is_valid():
        for row in tasks.forms:
            for name, errors in row.errors.items():
                label = row.fields[name].label if name in row.fields else ""
                for error in errors:
                    form.add_error(None, f"{label}: {error}" if label else error)

    def write(_meeting, d):
        return services.record_decision(
            actor,
            item,
            text=d["text"],
            form_of_care=d["form_of_care"],
            care_from=d["care_from"],
            support_measures=d["support_measures"],
            responsible=list(d["responsible"]),
            review_on=d["review_on"],
            tasks=[
                services.TaskInput(assigned_to=t["assigned_to"], description=t["description"], due_on=t["due_on"])
                for t in tasks.tasks()
            ],
        )

    response = MEETING_PAGE.run_action(
        request,
        meeting.pk,
        "meeting",
        form=form,
        write=lambda data: write(meeting, data),
        key=f"decision-{pk}",
        done=_("The decision is recorded."),
        failed=_("The decision was not recorded."),
        anchor=f"item-{pk}",
    )
    return response


@requires(WORK_CHILD_PROTECTION)
@require_POST
@domain_404
def meeting_hold(request, pk):
    actor = request.user
    return _meeting_write(
        request,
        pk,
        form=HoldForm(request.POST, auto_id="hold_%s"),
        write=lambda m, d: services.hold_meeting(actor, m, held_on=d["held_on"], minutes=d["minutes"]),
        key="hold",
        done=_("The meeting is held; its minutes are recorded."),
        failed=_("The meeting was not recorded as held."),
        anchor="hold",
    )


@requires(WORK_CHILD_PROTECTION)
@require_POST
@domain_404
def meeting_cancel(request, pk):
    actor = request.user
    return _meeting_write(
        request,
        pk,
        form=CancelMeetingForm(request.POST, auto_id="cancel_%s"),
        write=lambda m, d: services.cancel_meeting(actor, m, reason=d["reason"]),
        key="cancel",
        done=_("The meeting is cancelled."),
        failed=_("The meeting was not cancelled."),
        anchor="meeting",
    )


@requires(WORK_CHILD_PROTECTION)
@domain_404
def meeting_minutes_pdf(request, pk):
    """The minutes in the centre's language (`?lang=` another). The minutes hold every item whole; an item the
    reader may not read (as on the page) keeps only its case's reference."""
    actor = request.user
    meeting = get_meeting_or_404(actor, pk)
    visible = [shown for _item, shown in selectors.meeting_agenda(actor, meeting)]  # audits the read
    language = document_language(request, meeting.centre.jurisdiction)
    minutes = selectors.minutes_context(meeting, language)
    for row, shown in zip(minutes.items, visible, strict=False):
        row.visible = shown
        if not shown:
            row.child_name, row.summary, row.decision, row.form_of_care, row.responsible, row.tasks = (
                "", "", None, "", [], []
            )  # fmt: skip
    members = minutes.present + minutes.absent
    context = {
        "minutes": minutes,
        "meeting": minutes.meeting,
        "centre": minutes.meeting.centre,
        "issued_on": timezone.localdate(),
        "scheduled_on": timezone.localtime(meeting.scheduled_at).date(),
        "members": sorted(members, key=lambda m: m.pk),
        "voting_count": sum(1 for m in members if m.is_voting),
    }
    content = render_pdf(
        "web/meetings_minutes_pdf.html", context, language=language, base_url=request.build_absolute_uri("/")
    )
    return pdf_response(content, f"minutes-{context['scheduled_on']:%Y-%m-%d}-{meeting.pk}")


# --- follow-up tasks ----------------------------------------------------------------------------------


def _render_tasks(request, *, forms_=None, refusal=None, status: int = 200):
    rows = list(selectors.tasks_for(request.user, status="open"))
    label_bodies([t.decision.item.meeting for t in rows if t.decision_id], request.user.centre)
    today = timezone.localdate()
    for task in rows:
        task.done_form = (forms_ or {}).get(task.pk) or TaskDoneForm(
            initial={"done_on": today}, auto_id=f"task{task.pk}_%s"
        )
        task.is_overdue = task.due_on < today
    context = {"tasks": rows, "today": today, "refusal": refusal}
    return render(request, "web/meetings_tasks.html", context, status=status)


@requires(WORK_CHILD_PROTECTION)
def tasks(request):
    return _render_tasks(request)


@requires(WORK_CHILD_PROTECTION)
@require_POST
@domain_404
def task_done(request, pk):
    actor = request.user
    task = selectors.get_task_for(actor, pk)  # TaskNotFound (404) unless assigned to the actor or on a case they read
    form = TaskDoneForm(request.POST, auto_id=f"task{pk}_%s")
    status, reasons = 400, []
    if form.is_valid():
        try:
            data = form.cleaned_data
            services.complete_task(actor, task, done_on=data["done_on"], outcome=data["outcome"])
        except Conflict as exc:
            status, reasons = 409, [str(exc.message)]
        except ValidationFailed as exc:
            add_domain_errors(form, exc)
            reasons = reasons_of(form)
        else:
            messages.success(request, _("The task is done: %(task)s") % {"task": task.description})
            back = request.POST.get("next") or ""
            safe = url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=False)
            return redirect(back if back and safe else reverse("web:tasks"))
    else:
        reasons = reasons_of(form)
    refusal = Refusal(_("The task was not marked done."), reasons)
    return _render_tasks(request, forms_={task.pk: form}, refusal=refusal, status=status)

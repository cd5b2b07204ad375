"""Pages of the Blue Card procedure (PL "Niebieska Karta"): the list, starting a card (NK-A) and the card's page
with its sections (parties, group, forms, meetings, plan, monitoring, status), and its PDFs.

A card is seen only by the current staff members of its group and the director; anyone else is answered 404,
and the pages do not exist (404) in a centre whose pack has no Blue Card. Every page showing a card is
audited under the persons of the procedure. Each action posts to its own URL, calls one service, then
redirects to the card's section; a refusal re-draws the page with the reason beside the field (400, or 409
for a state that does not allow it).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from socius.accounts.audit import record_list_view
from socius.accounts.models import User
from socius.accounts.roles import START_BLUE_CARD
from socius.common.errors import Conflict, ValidationFailed
from socius.family.bluecards import services
from socius.family.bluecards.documents import nka_print_context, suspect_notice_context
from socius.family.bluecards.selectors import (
    audit_blue_card_list,
    audit_blue_card_view,
    blue_card_offered_to,
    blue_card_page,
    get_blue_card_for,
    list_blue_cards_for,
)
from socius.family.permissions import can_start_blue_card
from socius.family.statuses import BlueCardRole, BlueCardStatus
from socius.registry.selectors import list_persons_for, search_persons_for
from socius.web.access import AUTHENTICATED, requires
from socius.web.forms_blue_cards import (
    FormRecordForm,
    MeetingForm,
    MemberForm,
    MonitoringForm,
    NoticeForm,
    PlanDoneForm,
    PlanItemForm,
    RemoveMemberForm,
    StartForm,
    StatusForm,
)
from socius.web.pdf import document_language, pdf_response, render_pdf
from socius.web.views._helpers import add_domain_errors, domain_404, paginate

ROLE_CHOICES = [("", "—"), *BlueCardRole.choices]
MAX_SEARCH_TERMS = 5


def _offered_or_404(request) -> None:
    if not blue_card_offered_to(request.user):
        raise Http404()


# --- the list ------------------------------------------------------------------------------------


@requires(AUTHENTICATED)
@domain_404
def blue_cards(request):
    _offered_or_404(request)
    status = request.GET.get("status") or None
    if status not in BlueCardStatus.values:
        status = None
    q = (request.GET.get("q") or "").strip()[:100]
    page = paginate(request, list_blue_cards_for(request.user, status=status, q=q))
    audit_blue_card_list(request.user, page.object_list, query=q)
    context = {
        "page": page,
        "status": status or "",
        "q": q,
        "statuses": BlueCardStatus.choices,
        "may_start": can_start_blue_card(request.user),
    }
    return render(request, "web/bluecards_list.html", context)


# --- starting a card (NK-A) --------------------------------------------------------------------------


def _search(request, raw: str) -> list:
    """Persons of the registry for every comma-separated term (a family with different surnames)."""
    found, seen = [], set()
    for term in [t.strip() for t in raw.split(",") if t.strip()][:MAX_SEARCH_TERMS]:
        for person in search_persons_for(request.user, term[:100], limit=10):
            if person.pk not in seen:
                seen.add(person.pk)
                found.append(person)
    return found


def _chosen_roles(post) -> dict[int, str]:
    chosen = {}
    for key, value in post.items():
        if key.startswith("role_") and value in BlueCardRole.values:
            try:
                chosen[int(key.removeprefix("role_"))] = value
            except ValueError:
                continue
    return chosen


@requires(START_BLUE_CARD)
@domain_404
def blue_card_new(request):
    _offered_or_404(request)
    actor = request.user
    q = (request.POST.get("q") if request.method == "POST" else request.GET.get("q")) or ""
    q = q.strip()[:200]
    chosen = _chosen_roles(request.POST) if request.method == "POST" else {}
    candidates = _search(request, q) if q else []
    missing = [pk for pk in chosen if pk not in {p.pk for p in candidates}]
    if missing:
        candidates = list(list_persons_for(actor).filter(pk__in=missing)) + candidates
    if candidates:
        record_list_view(actor, object_type="person", person_ids=[p.pk for p in candidates], query=q)
    form = StartForm(request.POST if request.method == "POST" else None)
    party_errors: dict[str, list] = {}
    status = 200
    if form.is_bound:
        if form.is_valid():
            data = form.cleaned_data
            answers = {k: v for k, v in (("IV", data["violence"]), ("XIII", data["notes"])) if v}
            try:
                card = services.start_blue_card(
                    actor,
                    initiator=data["initiator"],
                    initiator_name=data["initiator_name"],
                    initiator_institution=data["initiator_institution"],
                    started_on=data["started_on"],
                    received_on=data["received_on"],
                    victims=[pk for pk, role in chosen.items() if role == BlueCardRole.VICTIM],
                    suspects=[pk for pk, role in chosen.items() if role == BlueCardRole.SUSPECT],
                    witnesses=[pk for pk, role in chosen.items() if role == BlueCardRole.WITNESS],
                    answers=answers,
                )
            except ValidationFailed as exc:
                party_errors = {k: v for k, v in exc.errors.items() if k in ("victims", "suspects", "witnesses")}
                add_domain_errors(
                    form, ValidationFailed({k: v for k, v in exc.errors.items() if k not in party_errors})
                )
            else:
                messages.success(
                    request, _("Blue Card %(reference)s has been started.") % {"reference": card.reference}
                )
                return redirect("web:blue_card", pk=card.pk)
        status = 400
    rows = [{"person": p, "role": chosen.get(p.pk, "")} for p in candidates]
    context = {"form": form, "q": q, "rows": rows, "roles": ROLE_CHOICES, "party_errors": party_errors}
    return render(request, "web/bluecards_new.html", context, status=status)


# --- the card's page ---------------------------------------------------------------------------------


def _staff(card, page) -> list[User]:
    current = {m.user_id for m in page.members if m.user_id}
    users = User.objects.filter(centre_id=card.centre_id, is_active=True).order_by("last_name", "first_name", "pk")
    return [u for u in users if u.pk not in current and can_start_blue_card(u)]


def _render_card(request, card, *, bound: dict | None = None, errors: dict | None = None, status: int = 200):
    actor = request.user
    page = blue_card_page(actor, card)
    audit_blue_card_view(actor, card)
    bound = bound or {}
    forms_ = {
        "member_form": bound.get("member_form") or MemberForm(staff=_staff(card, page)),
        "remove_form": RemoveMemberForm(),
        "record_form": bound.get("record_form") or FormRecordForm(page=page),
        "meeting_form": bound.get("meeting_form") or MeetingForm(page=page),
        "plan_form": bound.get("plan_form") or PlanItemForm(page=page),
        "done_form": PlanDoneForm(),
        "monitoring_form": bound.get("monitoring_form") or MonitoringForm(),
        "status_form": bound.get("status_form") or StatusForm(page=page),
        "notice_form": bound.get("notice_form") or NoticeForm(page=page, initial=_notice_initial(page)),
    }
    context = {"card": card, "p": page, "errors": errors or {}, **forms_}
    return render(request, "web/bluecards_detail.html", context, status=status)


def _notice_initial(page) -> dict:
    upcoming = [m.next_meeting_on for m in page.meetings if m.next_meeting_on]
    return {"meeting_on": upcoming[-1] if upcoming else None}


@requires(AUTHENTICATED)
@domain_404
def blue_card(request, pk):
    card = get_blue_card_for(request.user, pk)
    return _render_card(request, card)


def _act(request, pk, *, key: str, section: str, make_form, call, done: str):
    """Validate the posted form, call one service, then go back to the card's section; else re-draw with why."""
    actor = request.user
    card = get_blue_card_for(actor, pk)
    page = blue_card_page(actor, card)
    form = make_form(request.POST, page)
    status = 400
    if form.is_valid():
        try:
            call(actor, card, form.cleaned_data)
        except ValidationFailed as exc:
            add_domain_errors(form, exc)
        except Conflict as exc:
            form.add_error(None, exc.message)
            status = 409
        else:
            messages.success(request, done)
            return redirect(reverse("web:blue_card", args=[card.pk]) + f"#{section}")
    return _render_card(request, card, bound={key: form}, errors={section: True}, status=status)


@requires(START_BLUE_CARD)
@require_POST
@domain_404
def blue_card_member_add(request, pk):
    def make(post, page):
        return MemberForm(post, staff=_staff(page.card, page))

    def call(actor, card, d):
        services.add_group_member(
            actor,
            card,
            on=d["on"],
            user=d["user"] or None,
            name=d["name"],
            institution=d["institution"],
            role=d["role"],
        )

    return _act(
        request,
        pk,
        key="member_form",
        section="group",
        make_form=make,
        call=call,
        done=_("The member has been added to the group."),
    )


@requires(START_BLUE_CARD)
@require_POST
@domain_404
def blue_card_member_remove(request, pk):
    def call(actor, card, d):
        services.remove_group_member(actor, card, member=d["member"], on=d["on"])

    return _act(
        request,
        pk,
        key="remove_form",
        section="group",
        make_form=lambda post, page: RemoveMemberForm(post),
        call=call,
        done=_("The member has left the group."),
    )


@requires(START_BLUE_CARD)
@require_POST
@domain_404
def blue_card_form_add(request, pk):
    def call(actor, card, d):
        answers = {"summary": d["summary"]} if d["summary"] else {}
        services.record_form(actor, card, form=d["form"], person=d["person"], filled_on=d["filled_on"], answers=answers)

    return _act(
        request,
        pk,
        key="record_form",
        section="forms",
        make_form=lambda post, page: FormRecordForm(post, page=page),
        call=call,
        done=_("The form has been recorded."),
    )


@requires(START_BLUE_CARD)
@require_POST
@domain_404
def blue_card_meeting_add(request, pk):
    def call(actor, card, d):
        services.record_meeting(
            actor,
            card,
            held_on=d["held_on"],
            notes=d["notes"],
            place=d["place"],
            present=d["present"],
            next_meeting_on=d["next_meeting_on"],
        )

    return _act(
        request,
        pk,
        key="meeting_form",
        section="meetings",
        make_form=lambda post, page: MeetingForm(post, page=page),
        call=call,
        done=_("The meeting has been recorded."),
    )


@requires(START_BLUE_CARD)
@require_POST
@domain_404
def blue_card_plan_add(request, pk):
    def call(actor, card, d):
        services.add_plan_item(
            actor,
            card,
            person=d["person"],
            measure=d["measure"],
            responsible=d["responsible"],
            agreed_on=d["agreed_on"],
            due_on=d["due_on"],
        )

    return _act(
        request,
        pk,
        key="plan_form",
        section="plan",
        make_form=lambda post, page: PlanItemForm(post, page=page),
        call=call,
        done=_("The measure has been added to the help plan."),
    )


@requires(START_BLUE_CARD)
@require_POST
@domain_404
def blue_card_plan_done(request, pk):
    def call(actor, card, d):
        services.mark_plan_item_done(actor, card, item=d["item"], done_on=d["done_on"])

    return _act(
        request,
        pk,
        key="done_form",
        section="plan",
        make_form=lambda post, page: PlanDoneForm(post),
        call=call,
        done=_("The measure is marked done."),
    )


@requires(START_BLUE_CARD)
@require_POST
@domain_404
def blue_card_monitoring_add(request, pk):
    def call(actor, card, d):
        services.add_monitoring_note(actor, card, on=d["on"], note=d["note"])

    return _act(
        request,
        pk,
        key="monitoring_form",
        section="monitoring",
        make_form=lambda post, page: MonitoringForm(post),
        call=call,
        done=_("The monitoring note has been added."),
    )


@requires(START_BLUE_CARD)
@require_POST
@domain_404
def blue_card_status(request, pk):
    def make(post, page):
        form = StatusForm(post, page=page)
        form.fields["to"].choices = BlueCardStatus.choices  # an invalid move is the service's to refuse (409)
        return form

    def call(actor, card, d):
        services.change_blue_card_status(
            actor, card, to=d["to"], on=d["on"], closure_ground=d["closure_ground"], closure_note=d["closure_note"]
        )

    return _act(
        request,
        pk,
        key="status_form",
        section="status",
        make_form=make,
        call=call,
        done=_("The status of the card has been changed."),
    )


# --- PDFs --------------------------------------------------------------------------------------------


@requires(AUTHENTICATED)
@domain_404
def blue_card_nka_pdf(request, pk):
    """Form NK-A as filled in, for the members of the group."""
    card = get_blue_card_for(request.user, pk)
    audit_blue_card_view(request.user, card, what="nk_a_pdf")
    context = nka_print_context(card, issued_on=timezone.localdate())
    language = document_language(request, card.centre.jurisdiction)
    content = render_pdf(
        "web/bluecards_nka_pdf.html", context, language=language, base_url=request.build_absolute_uri("/")
    )
    return pdf_response(content, f"NK-A-{card.reference}")


@requires(START_BLUE_CARD)
@domain_404
def blue_card_notice_pdf(request, pk):
    """The notice to a person suspected of violence: built only from their data, the reference, day and place."""
    card = get_blue_card_for(request.user, pk)
    page = blue_card_page(request.user, card)
    form = NoticeForm(request.GET, page=page)
    if not form.is_valid():
        return _render_card(request, card, bound={"notice_form": form}, errors={"notice": True}, status=400)
    data = form.cleaned_data
    try:
        context = suspect_notice_context(
            card,
            int(data["suspect"]),
            meeting_on=data["meeting_on"],
            place=data["place"],
            issued_on=timezone.localdate(),
        )
    except ValidationFailed as exc:
        add_domain_errors(form, exc)
        return _render_card(request, card, bound={"notice_form": form}, errors={"notice": True}, status=400)
    audit_blue_card_view(request.user, card, what="suspect_notice_pdf")
    language = document_language(request, card.centre.jurisdiction)
    content = render_pdf(
        "web/bluecards_notice_pdf.html", context, language=language, base_url=request.build_absolute_uri("/")
    )
    return pdf_response(content, f"notice-{card.reference}")

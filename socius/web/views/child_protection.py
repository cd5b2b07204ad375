"""UI views: children in difficulty — the list, recording a child on a case, the child page with the
timeline of its forms of care, and its writes (change the form of care, the risks, close).

The child page is one section ("child"): every write is one service call of socius.family.protection through
`run_action`, answered with the section swapped in place (htmx) or a redirect to the page at the action's
anchor; a refusal says why at the top and beside the field. Reads go through socius.family.selectors_protection;
each page audits a VIEW naming the children (and the case's persons) it shows.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from socius.accounts.roles import WORK_CHILD_PROTECTION
from socius.casework.selectors import audit_case_read
from socius.common.errors import Conflict, ValidationFailed
from socius.family import permissions
from socius.family import protection as services
from socius.family import selectors_protection as selectors
from socius.family.models import ChildInDifficulty
from socius.family.rules_protection import form_of_care_labels
from socius.family.statuses import ChildRisk, ChildStatus
from socius.registry.models import Person
from socius.web.access import requires
from socius.web.exports import ExportColumn, export_format, export_response, list_params
from socius.web.forms_child_protection import CareForm, ChildFilterForm, ChildForm, CloseChildForm, RisksForm
from socius.web.views._helpers import add_domain_errors, domain_404, paginate
from socius.web.views._sections import Refusal, Section, reasons_of
from socius.web.views.case_page import persons_of_case, workable_case
from socius.web.views.child_protection_meetings import label_bodies
from socius.web.views.plans import _WholePage

RISK_LABELS = dict(ChildRisk.choices)


def risk_labels(codes) -> list[str]:
    return [str(RISK_LABELS.get(code, code)) for code in codes or ()]


def get_child_or_404(actor, pk, *, audit: bool = True) -> ChildInDifficulty:
    """The child's record (the read audited under the child; not for a write's own fetch): 404 when the actor
    may not see it."""
    try:
        return selectors.get_child_for(actor, pk, audit=audit)
    except ChildInDifficulty.DoesNotExist:
        raise Http404() from None


# --- the list -----------------------------------------------------------------------------------------

CHILD_EXPORT_COLUMNS = (
    ExportColumn(gettext_lazy("Child"), lambda r: r.child.full_name),
    ExportColumn(gettext_lazy("Born"), lambda r: r.child.birth_date),
    ExportColumn(gettext_lazy("Risks"), lambda r: ", ".join(r.risk_labels)),
    ExportColumn(
        gettext_lazy("Form of care"), lambda r: str(r.current_placement.label or "") if r.current_placement else ""
    ),
    ExportColumn(
        gettext_lazy("Responsible worker"),
        lambda r: r.responsible_worker.get_full_name() or r.responsible_worker.username,
    ),
    ExportColumn(gettext_lazy("Case"), lambda r: r.case.reference),
    ExportColumn(gettext_lazy("Status"), lambda r: r.get_status_display()),
)


@requires(WORK_CHILD_PROTECTION)
def children(request):
    actor = request.user
    form = ChildFilterForm(list_params(request) or None, actor=actor)
    filters = form.selector_filters()
    care_labels = form_of_care_labels(actor.centre)

    def prepare(rows):
        for record in rows:
            record.risk_labels = risk_labels(record.risks)
            record.current_placement = selectors.current_placement(record)
            if record.current_placement is not None:
                record.current_placement.label = care_labels.get(record.current_placement.form)

    if export_format(request):
        return export_response(
            request,
            selectors.list_children_for(actor, **filters),
            columns=CHILD_EXPORT_COLUMNS,
            object_type="child_in_difficulty",
            persons_of=lambda r: [r.child_id],
            name="children",
            query=filters.get("q") or "",
            prepare=prepare,
        )
    page = paginate(request, selectors.list_children_for(actor, **filters))
    rows = list(page.object_list)
    prepare(rows)
    selectors.audit_children_list(actor, rows, query=filters.get("q") or "")
    return render(request, "web/children_list.html", {"form": form, "page": page, "rows": rows})


# --- recording a child on a case ----------------------------------------------------------------------


def minors_of_case(case, on):
    """The persons of the case (its client, or its household's members) who are minors on `on`: the
    service checks again, this only keeps the adults out of the picker."""
    day = 28 if (on.month, on.day) == (2, 29) else on.day
    adult_born_before = on.replace(year=on.year - 18, day=day)
    ids = list(persons_of_case(case).values_list("pk", flat=True))
    return Person.objects.filter(pk__in=ids, birth_date__gt=adult_born_before).order_by("birth_date", "pk")


@requires(WORK_CHILD_PROTECTION)
@domain_404
def child_new(request, pk):
    actor = request.user
    case = workable_case(actor, pk)  # 404 outside the centre, 403 without the case's content
    persons = minors_of_case(case, timezone.localdate())
    form = ChildForm(request.POST if request.method == "POST" else None, actor=actor, persons=persons)
    refusal = None
    status = 200
    if form.is_bound:
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                record = services.record_child(
                    actor,
                    case=case,
                    child=data["child"],
                    responsible_worker=data["responsible_worker"],
                    risks=data["risks"],
                    identified_on=data["identified_on"],
                    form_of_care=data["form_of_care"],
                    care_from=data["care_from"],
                    carer=data["carer"],
                    partner=data["partner"],
                    notes=data["notes"],
                )
            except Conflict as exc:
                status = 409
                refusal = Refusal(_("The child was not recorded."), [str(exc.message)])
            except ValidationFailed as exc:
                add_domain_errors(form, exc)
            else:
                messages.success(request, _("The child is recorded as a child in difficulty."))
                return redirect("web:child_detail", pk=record.pk)
        if refusal is None:
            refusal = Refusal(_("The child was not recorded."), reasons_of(form))
    audit_case_read(actor, case, persons=[p.pk for p in persons])  # the picker shows the case's children
    return render(request, "web/children_form.html", {"form": form, "case": case, "refusal": refusal}, status=status)


# --- the child page -----------------------------------------------------------------------------------


def build_child(request, record: ChildInDifficulty, forms_: dict) -> dict:
    actor = request.user
    history = list(selectors.care_history(record))
    care_labels = form_of_care_labels(actor.centre)
    for placement in history:
        placement.label = care_labels.get(placement.form) or placement.get_form_display()
    label_bodies([p.decision.item.meeting for p in history if p.decision_id], record.centre)
    current = next((p for p in history if p.valid_until is None), None)
    may_work = permissions.can_work_child(actor, record) and record.status == ChildStatus.OPEN
    today = timezone.localdate()
    return {
        "record": record,
        "case": record.case,
        "child": record.child,
        "history": list(reversed(history)),  # the newest first
        "current": current,
        "risk_labels": risk_labels(record.risks),
        "may_work": may_work,
        "care_form": (forms_.get("care") or CareForm(actor=actor, auto_id="care_%s")) if may_work else None,
        "risks_form": (
            forms_.get("risks") or RisksForm(initial={"risks": record.risks, "on": today}, auto_id="risks_%s")
        )
        if may_work
        else None,
        "close_form": (forms_.get("close") or CloseChildForm(initial={"closed_on": today}, auto_id="close_%s"))
        if may_work
        else None,
    }


class ChildPage(_WholePage):
    url_name = "web:child_detail"
    page_template = "web/children_detail.html"
    section_name = "child"
    sections = {
        "child": Section("child", gettext_lazy("Child in difficulty"), "web/children_section.html", build_child)
    }

    def subject(self, request, pk):
        return get_child_or_404(request.user, pk)  # audited under the child


CHILD_PAGE = ChildPage()


@requires(WORK_CHILD_PROTECTION)
@domain_404
def child_detail(request, pk):
    return CHILD_PAGE.render_page(request, pk)


def _child_write(request, pk, *, form, write, key: str, done: str, failed: str, anchor: str):
    record = get_child_or_404(request.user, pk, audit=False)  # the page drawn after it audits the read
    return CHILD_PAGE.run_action(
        request, pk, "child", form=form, write=lambda data: write(record, data), key=key, done=done, failed=failed,
        anchor=anchor,
    )  # fmt: skip


@requires(WORK_CHILD_PROTECTION)
@require_POST
@domain_404
def child_care(request, pk):
    actor = request.user
    return _child_write(
        request,
        pk,
        form=CareForm(request.POST, actor=actor, auto_id="care_%s"),
        write=lambda record, d: services.change_form_of_care(
            actor,
            record,
            form=d["form"],
            valid_from=d["valid_from"],
            carer=d["carer"],
            partner=d["partner"],
            legal_basis=d["legal_basis"],
            note=d["note"],
        ),
        key="care",
        done=_("The new form of care is recorded."),
        failed=_("The form of care was not changed."),
        anchor="care",
    )


@requires(WORK_CHILD_PROTECTION)
@require_POST
@domain_404
def child_risks(request, pk):
    actor = request.user
    return _child_write(
        request,
        pk,
        form=RisksForm(request.POST, auto_id="risks_%s"),
        write=lambda record, d: services.update_risks(actor, record, risks=d["risks"], on=d["on"], note=d["note"]),
        key="risks",
        done=_("The risks are saved."),
        failed=_("The risks were not changed."),
        anchor="risks",
    )


@requires(WORK_CHILD_PROTECTION)
@require_POST
@domain_404
def child_close(request, pk):
    actor = request.user
    return _child_write(
        request,
        pk,
        form=CloseChildForm(request.POST, auto_id="close_%s"),
        write=lambda record, d: services.close_child(actor, record, closed_on=d["closed_on"], note=d["note"]),
        key="close",
        done=_("The child is no longer recorded as in difficulty."),
        failed=_("The child's record was not closed."),
        anchor="child",
    )


def child_url(record) -> str:
    return reverse("web:child_detail", kwargs={"pk": record.pk})

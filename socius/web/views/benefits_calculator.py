"""UI views: the benefit calculator, a what-if evaluation for workers that writes nothing and reads no person.

One form: the benefit (from the packs of the user's centre's jurisdiction), the month, the request's inputs
the benefit declares, and the household as a table of members. Rows are added and removed by submit buttons
(`action=add`, `action=remove-<n>`), so the table works without JavaScript; with htmx the same posts answer
the form alone, swapped in place. `action=calculate` evaluates with the rulebook and shows the outcome and
its trace; bad input stands beside its field with the reasons at the top.
"""

from __future__ import annotations

from django.http import QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from socius.accounts.roles import WORK_CASES
from socius.rulebook import get_jurisdiction
from socius.rulebook.engine.benefits import BenefitNotInForce, evaluate
from socius.web.access import requires
from socius.web.benefits_display import outcome_view
from socius.web.forms_benefits import MAX_MEMBERS, MEMBER_FIELDS, MemberFormSet, RequestForm, facts_of

PREFIX = "members"


def posted_rows(data: QueryDict, names: list[str], prefix: str = PREFIX, limit: int = MAX_MEMBERS) -> list[dict]:
    """A formset's rows as posted (raw text), to draw again after a row is added or removed."""
    try:
        total = int(data.get(f"{prefix}-TOTAL_FORMS", "0"))
    except ValueError:
        total = 0
    rows = []
    for index in range(max(0, min(total, limit))):
        row = {name: data.get(f"{prefix}-{index}-{name}", "") for name in names}
        rows.append({name: value for name, value in row.items() if value != ""})
    return rows


def _first_row() -> dict:
    return {"role": "applicant", "months_received": 0}


def _request_form(user, data=None, initial=None) -> RequestForm:
    jurisdiction = get_jurisdiction(user.centre.jurisdiction)
    return RequestForm(
        data, initial=initial, jurisdiction=jurisdiction.code, currency=jurisdiction.currency, auto_id="calc_%s"
    )


@requires(WORK_CASES)
def calculator(request):
    today = timezone.localdate()
    context = {"outcome": None, "refusal": None, "focus": ""}
    if request.method != "POST":
        chosen = request.GET.get("benefit", "")
        form = _request_form(request.user, initial={"month": today.month, "year": today.year, "benefit": chosen})
        members = MemberFormSet(prefix=PREFIX, initial=[_first_row()], member_flags=_flags(form))
        return _answer(request, form, members, context)

    action = request.POST.get("action", "calculate")
    form = _request_form(request.user, request.POST)
    flags = _flags(form)
    if action == "calculate":
        members = MemberFormSet(request.POST, prefix=PREFIX, member_flags=flags)
        if form.is_valid() & members.is_valid():
            try:
                outcome = evaluate(form.definition.code, facts_of(form, members))
            except BenefitNotInForce:
                form.add_error("month", _("This benefit has no rules in force for this month."))
            else:
                context["outcome"] = outcome_view(outcome, form.definition, get_language())
        if form.errors or members.total_error_count():
            context["refusal"] = _("The benefit was not calculated.")
        return _answer(request, form, members, context, status=200 if context["outcome"] else 400)

    # A row added or removed, or another benefit chosen: the form drawn again, not validated.
    names = [*MEMBER_FIELDS, *(f"flag_{code}" for code in flags)]
    rows = posted_rows(request.POST, names)
    if action == "add" and len(rows) < MAX_MEMBERS:
        rows.append({"role": "child" if rows else "applicant", "months_received": 0})
        context["focus"] = "new-row-role"
    elif action.startswith("remove-") and len(rows) > 1:
        index = action.removeprefix("remove-")
        if index.isdigit() and int(index) < len(rows):
            del rows[int(index)]
            context["focus"] = "add-member"
    unbound = _request_form(request.user, initial={k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"})
    members = MemberFormSet(prefix=PREFIX, initial=rows or [_first_row()], member_flags=flags)
    if context["focus"].endswith("-role"):
        members.forms[-1].fields["role"].widget.attrs["autofocus"] = True
    return _answer(request, unbound, members, context)


def _flags(form: RequestForm) -> dict:
    return dict(form.definition.member_flags) if form.definition is not None else {}


def _answer(request, form, members, context, status: int = 200):
    jurisdiction = get_jurisdiction(request.user.centre.jurisdiction)
    context.update(form=form, members=members, currency=jurisdiction.currency, max_members=MAX_MEMBERS)
    template = "web/benefits_calculator_form.html" if request.htmx else "web/benefits_calculator.html"
    return render(request, template, context, status=status)

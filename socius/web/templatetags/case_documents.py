"""The documents section of a case page, drawn from the page's own context (case, forms, user)."""

from __future__ import annotations

from django import template

from socius.accounts.roles import WORK_CASES
from socius.casework.selectors_documents import documents_for_case, max_document_bytes
from socius.web.forms_documents import DocumentForm

register = template.Library()


@register.inclusion_tag("web/cases_documents_list.html", takes_context=True)
def case_documents(context):
    """`case` must come from `get_case_content_for` (the page shows the section only then)."""
    case = context.get("case")
    user = context["request"].user
    may_work = bool(case is not None and user.can(WORK_CASES) and case.is_open)
    forms_ = context.get("forms") or {}
    return {
        "case": case,
        "documents": list(documents_for_case(case)) if case is not None else [],
        "may_work": may_work,
        "document_form": (forms_.get("document") or DocumentForm(auto_id="document_%s")) if may_work else None,
        "max_mb": round(max_document_bytes() / (1024 * 1024), 1),
        "csrf_token": context.get("csrf_token"),
        "request": context["request"],
    }

"""UI views: the cases flagged for benefits (finance acts on them; the director and team leaders see them
too). The home pages' figures are drawn by `search.home` from socius.desk.overview."""

from __future__ import annotations

from django.shortcuts import render

from socius.accounts.roles import VIEW_CASES
from socius.plans.selectors import flags_for_benefits
from socius.web.access import requires


@requires(VIEW_CASES)
def case_flags(request):
    """Every role that sees case summaries may see which cases are flagged and why (a summary: the flag,
    its consequence for cash aid, the contract's period, the case and whose it is); each row is audited."""
    flags = flags_for_benefits(request.user)
    return render(request, "web/flags_list.html", {"flags": flags})

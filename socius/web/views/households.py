"""UI views: households. STUB: to be built."""

from django.http import HttpResponse

from socius.accounts.roles import EDIT_REGISTRY, VIEW_AUDIT, VIEW_REGISTRY
from socius.web.access import requires


@requires(VIEW_REGISTRY)
def household_list(request, *args, **kwargs):
    return HttpResponse("household_list: not built yet", status=501)


@requires(EDIT_REGISTRY)
def household_create(request, *args, **kwargs):
    return HttpResponse("household_create: not built yet", status=501)


@requires(VIEW_REGISTRY)
def household_detail(request, *args, **kwargs):
    return HttpResponse("household_detail: not built yet", status=501)


@requires(EDIT_REGISTRY)
def household_edit(request, *args, **kwargs):
    return HttpResponse("household_edit: not built yet", status=501)


@requires(VIEW_AUDIT)
def household_history(request, *args, **kwargs):
    return HttpResponse("household_history: not built yet", status=501)


@requires(EDIT_REGISTRY)
def member_search(request, *args, **kwargs):
    return HttpResponse("member_search: not built yet", status=501)

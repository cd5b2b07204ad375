"""UI views: persons. STUB: to be built."""

from django.http import HttpResponse

from socius.accounts.roles import EDIT_REGISTRY, VIEW_AUDIT, VIEW_REGISTRY
from socius.web.access import requires


@requires(VIEW_REGISTRY)
def person_list(request, *args, **kwargs):
    return HttpResponse("person_list: not built yet", status=501)


@requires(EDIT_REGISTRY)
def person_create(request, *args, **kwargs):
    return HttpResponse("person_create: not built yet", status=501)


@requires(EDIT_REGISTRY)
def person_validate(request, *args, **kwargs):
    return HttpResponse("person_validate: not built yet", status=501)


@requires(VIEW_REGISTRY)
def person_detail(request, *args, **kwargs):
    return HttpResponse("person_detail: not built yet", status=501)


@requires(EDIT_REGISTRY)
def person_edit(request, *args, **kwargs):
    return HttpResponse("person_edit: not built yet", status=501)


@requires(VIEW_AUDIT)
def person_history(request, *args, **kwargs):
    return HttpResponse("person_history: not built yet", status=501)


@requires(EDIT_REGISTRY)
def person_move_out(request, *args, **kwargs):
    return HttpResponse("person_move_out: not built yet", status=501)

"""UI views: search. STUB: to be built."""

from django.http import HttpResponse

from socius.accounts.roles import VIEW_REGISTRY
from socius.web.access import AUTHENTICATED, requires


@requires(AUTHENTICATED)
def home(request, *args, **kwargs):
    return HttpResponse("home: not built yet", status=501)


@requires(VIEW_REGISTRY)
def search(request, *args, **kwargs):
    return HttpResponse("search: not built yet", status=501)

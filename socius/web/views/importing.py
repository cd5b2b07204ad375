"""UI views: importing. STUB: to be built."""

from django.http import HttpResponse

from socius.accounts.roles import IMPORT_REGISTRY
from socius.web.access import requires


@requires(IMPORT_REGISTRY)
def import_page(request, *args, **kwargs):
    return HttpResponse("import_page: not built yet", status=501)

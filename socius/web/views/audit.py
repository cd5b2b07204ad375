"""UI views: audit. STUB: to be built."""

from django.http import HttpResponse

from socius.accounts.roles import VIEW_AUDIT
from socius.web.access import requires


@requires(VIEW_AUDIT)
def audit_log(request, *args, **kwargs):
    return HttpResponse("audit_log: not built yet", status=501)

"""UI views: language. STUB: to be built."""

from django.http import HttpResponse

from socius.web.access import public


@public
def set_language(request, *args, **kwargs):
    return HttpResponse("set_language: not built yet", status=501)

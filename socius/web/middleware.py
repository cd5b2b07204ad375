"""Language choice: the API follows Accept-Language; the UI follows the user's remembered choice. Time zone: the
UI reads and writes times in the centre's civil time."""

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation.trans_real import parse_accept_lang_header

from socius.community.selectors_calendar import centre_time_zone


def _from_accept_language(header: str) -> str | None:
    for code, _q in parse_accept_lang_header(header):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return None


class UserLanguageMiddleware:
    """Runs after LocaleMiddleware and authentication and overrides its choice where we know better."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = None
        if request.path.startswith("/api/"):
            language = _from_accept_language(request.META.get("HTTP_ACCEPT_LANGUAGE", "")) or settings.LANGUAGE_CODE
        elif (
            getattr(request, "user", None) is not None
            and request.user.is_authenticated
            and request.user.language in dict(settings.LANGUAGES)
        ):
            language = request.user.language
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        if language:
            response.headers.setdefault("Content-Language", language)
        return response


class CentreTimeZoneMiddleware:
    """Staff read and type times in their centre's civil time (its pack's `time_zone`: Warsaw, Chișinău, Vilnius):
    a Moldovan worker's "31.10 23:30" is 23:30 in Chișinău, and the reports, the calendar and the pages agree on
    which day and month it belongs to. Runs after authentication; the API's token users are authenticated in the
    view, and its times carry their offset (ISO 8601)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.centre_id:
            return self.get_response(request)
        # user.centre is read once per request (the menu's context reads the same instance).
        timezone.activate(centre_time_zone(user.centre))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()

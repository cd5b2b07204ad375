"""Language choice: the API follows Accept-Language; the UI follows the user's remembered choice."""

from django.conf import settings
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header


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

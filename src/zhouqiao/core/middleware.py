from contextvars import ContextVar

from django.conf import settings
from django.utils import translation

_client_ip: ContextVar[str | None] = ContextVar("client_ip", default=None)


def client_ip(request) -> str | None:
    """The client's address. Behind a reverse proxy, set TRUSTED_PROXY_HEADER (e.g.
    ``HTTP_X_REAL_IP``) to the header the proxy sets; otherwise REMOTE_ADDR is used."""
    header = getattr(settings, "TRUSTED_PROXY_HEADER", "")
    if header and request.META.get(header):
        return request.META[header].split(",")[0].strip()
    return request.META.get("REMOTE_ADDR") or None


def current_client_ip() -> str | None:
    return _client_ip.get()


class ClientAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _client_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            _client_ip.reset(token)


class ChineseFirstLocaleMiddleware:
    """Chinese unless the visitor chose another language with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language; a Chinese public
    service shows Chinese first, whatever the browser says.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response

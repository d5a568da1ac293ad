from django.shortcuts import redirect
from django.urls import reverse

from zhouqiao.accounts.passwords import is_expired
from zhouqiao.core import clock

EXEMPT_PREFIXES = ("/static/", "/api/", "/i18n/", "/logout", "/account/password")


class PasswordExpiryMiddleware:
    """Send a user whose password is older than the profile allows to the change-password page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(EXEMPT_PREFIXES)
            and is_expired(user.password_changed_at, clock.now())
        ):
            return redirect(reverse("web:password_change") + "?expired=1")
        return self.get_response(request)

from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from zhouqiao.accounts import sessions
from zhouqiao.accounts.passwords import is_expired
from zhouqiao.core import clock

EXEMPT_PREFIXES = ("/static/", "/api/", "/i18n/", "/logout", "/account/password")


class PasswordExpiryMiddleware:
    """Send a user whose password is older than the profile allows to the change-password page.
    (The API refuses such a user itself: see ``accounts.auth``.)"""

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


class IdleTimeoutMiddleware:
    """Sign out a session idle for longer than SESSION_COOKIE_AGE. Only the person's own requests
    count as activity: HTMX polls (``sessions.POLLING_URL_NAMES``) neither renew the idle clock nor
    the session's "last seen" time. Must come after the authentication and message middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not hasattr(request, "session"):
            return None
        now = clock.now()
        now_ts = now.timestamp()
        seen = request.session.get(sessions.SEEN_KEY)
        if seen is not None and now_ts - seen > sessions.idle_limit().total_seconds():
            logout(request)
            if request.headers.get("HX-Request") == "true" or request.path.startswith("/api/"):
                return None  # the view answers as to anybody signed out
            messages.info(request, _("由于长时间未操作，您已自动退出，请重新登录。"))
            return redirect(f"{reverse('web:login')}?next={request.path}")
        if sessions.is_poll(request):
            return None
        if seen is None or now_ts - seen >= sessions.LAST_SEEN_EVERY.total_seconds():
            # At most once a minute: each mark is a session write (and renews the cookie).
            request.session[sessions.SEEN_KEY] = now_ts
        recorded = request.session.get(sessions.RECORDED_KEY)
        if recorded is None or now_ts - recorded >= sessions.LAST_SEEN_EVERY.total_seconds():
            key = request.session.session_key
            if key:
                sessions.touch(session_key=key, now=now)
                request.session[sessions.RECORDED_KEY] = now_ts
        return None

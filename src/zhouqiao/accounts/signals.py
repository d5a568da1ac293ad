"""Sign-in and sign-out keep the session records (see ``accounts.sessions``)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from zhouqiao.accounts import sessions
from zhouqiao.core import clock


@receiver(user_logged_in)
def _record_login(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    if not request.session.session_key:
        request.session.save()
    now = clock.now()
    request.session[sessions.SEEN_KEY] = now.timestamp()
    request.session[sessions.RECORDED_KEY] = now.timestamp()
    sessions.record_login(
        user=user,
        session_key=request.session.session_key,
        user_agent=request.headers.get("User-Agent", ""),
        ip=sessions.client_address(request),
        now=now,
    )


@receiver(user_logged_out)
def _record_logout(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        sessions.record_logout(session_key=request.session.session_key, now=clock.now())

"""Who is calling the API: a personal token (``Authorization: Bearer zq_…``) or the browser session.

When an Authorization header is present, the token alone decides: it is tried first, a wrong,
expired or revoked one answers 401, and the session cookie is not consulted (so a token call needs
no CSRF token). Without the header the browser session is used, and its writes need the CSRF token.
Either way a person whose password has expired is refused until they change it.
"""

from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer
from ninja.security.session import SessionAuth

from zhouqiao.accounts.models import ApiToken, TokenScope
from zhouqiao.accounts.passwords import is_expired
from zhouqiao.core import clock
from zhouqiao.core.errors import PermissionDenied

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def _refuse_expired_password(user, now) -> None:
    if is_expired(user.password_changed_at, now):
        raise PermissionDenied(
            _("您的密码已过期，请先登录网站修改密码。"), code="password_expired", status=403
        )


class TokenAuth(HttpBearer):
    def __call__(self, request):
        if not request.headers.get("Authorization"):
            return None
        result = super().__call__(request)
        if result is None:  # a header that is not "Bearer <token>", or a token that does not work
            raise AuthenticationError()
        return result

    def authenticate(self, request, token):
        now = clock.now()
        found = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=ApiToken.hash(token), revoked_at=None)
            .first()
        )
        if found is None or not found.user.is_active:
            return None
        if found.expires_at is not None and found.expires_at <= now:
            return None
        _refuse_expired_password(found.user, now)
        if found.scope != TokenScope.WRITE and request.method not in SAFE_METHODS:
            raise PermissionDenied(
                _("该令牌为只读令牌，不能提交或修改数据。"), code="token_read_only", status=403
            )
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        request.api_token = found
        return found.user


class CookieSessionAuth(SessionAuth):
    """The browser session (with its CSRF check on writes), unless the call brings a token."""

    def __call__(self, request):
        if request.headers.get("Authorization"):
            return None
        return super().__call__(request)

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user is not None:
            _refuse_expired_password(user, clock.now())
        return user


def anonymous(request):
    """Lets anonymous visitors through to endpoints that serve public data; those endpoints then
    filter by ``visible_to(request.user)``, as the pages do, and writes call ``signed_in_user``."""
    return True


# The token first: with an Authorization header the session (and its CSRF check) never runs.
api_auth = [TokenAuth(), CookieSessionAuth()]


def signed_in_user(request):
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied(_("请先登录或提供有效的访问令牌。"), code="unauthenticated", status=401)
    return user


def by_token(request) -> bool:
    return getattr(request, "api_token", None) is not None

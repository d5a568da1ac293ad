from django.utils.translation import gettext as _
from ninja.security import HttpBearer
from ninja.security.session import SessionAuth

from zhouqiao.accounts.models import ApiToken
from zhouqiao.core import clock
from zhouqiao.core.errors import PermissionDenied


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        found = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=ApiToken.hash(token), revoked_at=None)
            .first()
        )
        if found is None or not found.user.is_active:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=clock.now())
        request.user = found.user
        return found.user


def anonymous(request):
    """Lets anonymous visitors through to endpoints that serve public data; those endpoints then
    filter by ``visible_to(request.user)``, as the pages do, and writes call ``signed_in_user``."""
    return True


api_auth = [SessionAuth(), TokenAuth()]


def signed_in_user(request):
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied(_("请先登录或提供有效的访问令牌。"), code="unauthenticated", status=401)
    return user

from zhouqiao.accounts import scope
from zhouqiao.web.navigation import PORTAL_FUNCTIONS


def portal(request):
    user = getattr(request, "user", None)
    return {
        "portal_functions": PORTAL_FUNCTIONS,
        "is_government_staff": bool(user and scope.is_government_staff(user)),
    }

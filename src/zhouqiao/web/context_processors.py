from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty
from zhouqiao.web.navigation import PORTAL_FUNCTIONS


def portal(request):
    user = getattr(request, "user", None)
    return {
        "portal_functions": PORTAL_FUNCTIONS,
        "is_government_staff": bool(user and scope.is_government_staff(user)),
        "is_business_staff": bool(user and scope.is_business_staff(user)),
        "is_reviewer": bool(user and scope.has_duty(user, Duty.REVIEWER)),
    }

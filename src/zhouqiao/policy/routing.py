"""Who reviews a policy application: the bureau of the jurisdiction that pays it, and no other.

The payer comes from the clause (``engine.payer_region``): the issuing jurisdiction, or — for a
clause the county pays, 001#20's 10万元 后补助 (“县（市）区、开发区以后补助方式给予10万元奖励”)
— the applicant's own county-level region. The staff of exactly that jurisdiction holding the
reviewer or the finance duty review the claim, are told of it once and find it in their to-dos;
a bureau above it (the city over a county, the province over a city) sees the application in its
subtree but is not asked to decide it and may not: it does not pay.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty
from zhouqiao.policy import engine

REVIEW_DUTIES = (Duty.REVIEWER, Duty.FINANCE)


def _codes(user) -> set[str]:
    """The jurisdictions (six-digit codes) where the user holds a review duty."""
    codes = set()
    for duty in REVIEW_DUTIES:
        for prefix in scope.prefixes(user, duty):
            codes.add(prefix.ljust(6, "0"))
    return codes


def may_review(user, application) -> bool:
    """The check ``services.review_application`` makes; pages show the review form only then."""
    return application.payer_region_id in _codes(user)


def reviews_q(user, field: str = "payer_region") -> Q:
    """Applications this user's bureau pays (for the to-do list and the staff's list)."""
    codes = _codes(user)
    return Q(**{f"{field}_id__in": sorted(codes)}) if codes else scope.NOTHING


def reviewers(payer_region_code: str):
    """The active staff of exactly the paying jurisdiction who review its applications."""
    if not payer_region_code:
        return get_user_model().objects.none()
    return (
        get_user_model()
        .objects.filter(
            assignments__duty__in=REVIEW_DUTIES,
            assignments__jurisdiction_id=payer_region_code,
            is_active=True,
        )
        .distinct()
    )


def payer_region(rule, beneficiary_region: str | None) -> str:
    return engine.payer_region(rule, beneficiary_region)

"""Who reviews a policy application, and which bureau's finance officers take each finance step.

The payer comes from the clause (``engine.payer_region``): the issuing jurisdiction, or — for a
clause the county pays, 001#20's 10万元 后补助 (“县（市）区、开发区以后补助方式给予10万元奖励”)
— the applicant's own county-level region. The application waits on one bureau, by the platform's
one nearest-bureau rule (``notifications.recipients.handling_jurisdiction``): that of the paying
jurisdiction itself, or, where nobody there holds the reviewer or the finance duty (a development
zone the platform does not staff), the nearest one above it — the city, then the province — where
someone does. Its staff holding either duty review the claim, are told of it once and find it in
their to-dos and queue; the applicant is told the bureau's name. Other bureaus over it see the
application in their subtree but are not asked to decide it and may not.

The finance steps of an entitlement follow the same rule, counting only the officers who may take
the step (not the 核定人 for 初审, not the 初审人 for 复审): :func:`finance_code`.
"""

from django.db.models import Q

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty, StaffAssignment
from zhouqiao.notifications import recipients
from zhouqiao.policy import engine

REVIEW_DUTIES = (Duty.REVIEWER, Duty.FINANCE)


def _codes(user) -> set[str]:
    """The jurisdictions (six-digit codes) where the user holds a review duty."""
    codes = set()
    for duty in REVIEW_DUTIES:
        for prefix in scope.prefixes(user, duty):
            codes.add(prefix.ljust(6, "0"))
    return codes


def review_code(payer_region_code: str) -> str | None:
    """The jurisdiction whose bureau reviews an application paid by ``payer_region_code``: the
    nearest one (itself, its city, its province) where someone holds the reviewer or the finance
    duty."""
    return recipients.handling_jurisdiction(REVIEW_DUTIES, payer_region_code)


def may_review(user, application) -> bool:
    """The check ``services.review_application`` makes; pages show the review form only then."""
    code = review_code(application.payer_region_id)
    return code is not None and code in _codes(user)


def reviews_q(user, field: str = "payer_region") -> Q:
    """Applications that wait on this user's bureau (for the to-do list and the staff's queue)."""
    return recipients.waiting_on_q(user, REVIEW_DUTIES, field)


def reviewers(payer_region_code: str):
    """The active staff of the reviewing bureau (:func:`review_code`) holding a review duty."""
    return recipients.handling_staff(REVIEW_DUTIES, payer_region_code)


def reviewing_bureau(application) -> str:
    """The bureau an application waits on, for the applicant's page and messages."""
    return recipients.bureau_name(review_code(application.payer_region_id), REVIEW_DUTIES)


# --- finance steps -----------------------------------------------------------------------------


def finance_holders() -> dict[str, set[int]]:
    """jurisdiction code → the active users holding the finance duty there (one query)."""
    held: dict[str, set[int]] = {}
    rows = StaffAssignment.objects.filter(duty=Duty.FINANCE, user__is_active=True).values_list(
        "jurisdiction_id", "user_id"
    )
    for code, user_id in rows:
        held.setdefault(code, set()).add(user_id)
    return held


def barred_id(entitlement) -> int | None:
    """Who may not take the step the entitlement waits on (separation of duties)."""
    from zhouqiao.policy.states import EntitlementStatus

    if entitlement.status == EntitlementStatus.CONFIRMED:
        return entitlement.granted_by_id
    if entitlement.status == EntitlementStatus.FIRST_APPROVED:
        return entitlement.first_approver_id
    return None


def finance_code(entitlement, held: dict[str, set[int]] | None = None) -> str | None:
    """The jurisdiction whose finance officers take the entitlement's next finance step: the
    nearest one over the paying jurisdiction (itself, its city, its province) where someone other
    than the barred person holds the finance duty."""
    held = finance_holders() if held is None else held
    barred = barred_id(entitlement)
    return next(
        (
            code
            for code in recipients.jurisdiction_chain(entitlement.payer_region_id)
            if held.get(code, set()) - {barred}
        ),
        None,
    )


def payer_region(rule, beneficiary_region: str | None) -> str:
    return engine.payer_region(rule, beneficiary_region)

"""Who may do what with brokers, filings, reports and scores (checked by services and views alike)."""

from django.db.models import Q

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty, OrganisationKind

ASSESSING_DUTIES = (Duty.REVIEWER, Duty.STATISTICS)


def bureau_code(region_code: str) -> str:
    """The city whose bureau files an institution (市级备案): ``2201xx`` → ``220100``."""
    return region_code[:4] + "00" if region_code else ""


def is_institution(organisation) -> bool:
    return organisation.kind == OrganisationKind.TRANSFER_INSTITUTION


def is_admin(user, organisation) -> bool:
    return getattr(user, "is_authenticated", False) and scope.is_org_admin(user, organisation)


def can_review_filing(user, filing) -> bool:
    return scope.covers(user, filing.bureau_region_id, Duty.REVIEWER)


def can_review_certificate(user, broker) -> bool:
    """Check a broker's certificate: REVIEWER staff whose jurisdiction covers the institution's region."""
    return scope.covers(user, broker.organisation.region_id, Duty.REVIEWER)


def sees_broker(user, broker) -> bool:
    """A certified broker is public; one waiting for (or returned by) the check is seen by the
    institution's members and by the reviewers who check it."""
    from zhouqiao.community.institutions.states import CertificateStatus

    return (
        broker.certificate_status == CertificateStatus.APPROVED
        or bool((broker.approved_certificate or {}).get("certificate_number"))  # a change under review
        or scope.is_member(user, broker.organisation)
        or can_review_certificate(user, broker)
    )


def is_reviewer(user) -> bool:
    return getattr(user, "is_authenticated", False) and scope.has_duty(user, Duty.REVIEWER)


def can_assess(user, organisation) -> bool:
    """Enter the staff-judged points and compute the score: reviewers (who review filings) and
    statistics staff whose jurisdiction covers the institution."""
    return any(scope.covers(user, organisation.region_id, duty) for duty in ASSESSING_DUTIES)


def sees_ranking(user) -> bool:
    return getattr(user, "is_authenticated", False) and any(scope.has_duty(user, d) for d in ASSESSING_DUTIES)


def ranking_q(user, field: str = "organisation__region") -> Q:
    query = scope.NOTHING
    for duty in ASSESSING_DUTIES:
        query |= scope.region_q(user, field, duty)
    return query


def can_view_report(user, report) -> bool:
    return scope.is_member(user, report.organisation) or can_assess(user, report.organisation)


def sees_certificate_scan(user, broker) -> bool:
    """The certificate scan is read by the broker's institution (its members) and by the reviewers
    who check it — not by the public."""
    return getattr(user, "is_authenticated", False) and (
        scope.is_member(user, broker.organisation) or can_review_certificate(user, broker)
    )


def sees_pending_certificate(user, broker) -> bool:
    """The certificate as submitted (not yet approved): the institution's members and the reviewers."""
    return sees_certificate_scan(user, broker)

"""What waits in transfer-institution filings and annual reports, and who is told.

filing submitted → reviewers whose jurisdiction covers the bureau (institutions.filing_submitted)
filing decided   → the institution's admins                       (institutions.filing_decided)
report due       → the institution's admins                       (institutions.report_due)
broker certificate submitted → reviewers covering the institution's region
                                                                   (institutions.certificate_submitted)
broker certificate decided   → the broker and the institution's admins
                                                                   (institutions.certificate_decided)

No text sets a time limit for reviewing a filing, so those to-dos carry no deadline; the annual
report carries its due date (weights.REPORT_DUE, unverified).
"""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty, MemberRole, OrganisationKind
from zhouqiao.notifications import recipients
from zhouqiao.notifications.registry import Todo, kind, todo_source
from zhouqiao.notifications.services import notify

SUBMITTED = kind("institutions.filing_submitted", gettext_lazy("技术转移机构备案申请待审核"))
DECIDED = kind("institutions.filing_decided", gettext_lazy("技术转移机构备案审核结果"))
REPORT_DUE = kind("institutions.report_due", gettext_lazy("技术转移机构年度报告待报送"))

CERTIFICATE_SUBMITTED = kind("institutions.certificate_submitted", gettext_lazy("技术经纪人证书待核验"))
CERTIFICATE_DECIDED = kind("institutions.certificate_decided", gettext_lazy("技术经纪人证书核验结果"))

LIMIT = 200


def _end_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=timezone.get_current_timezone())


def filing_url(filing) -> str:
    return reverse("institutions:filing_detail", args=[filing.pk])


def filing_submitted(filing, *, now) -> None:
    notify(
        recipients.staff(Duty.REVIEWER, filing.bureau_region_id),
        kind=SUBMITTED,
        title=_("技术转移机构备案申请待审核：%(name)s") % {"name": filing.organisation.name},
        url=filing_url(filing),
        key=f"institution-filing:{filing.pk}:submitted:{now.isoformat()}",
        now=now,
    )


def filing_decided(filing, *, now) -> None:
    title = (
        _("技术转移机构备案已通过，备案编号%(number)s") % {"number": filing.number}
        if filing.status == "approved"
        else _("技术转移机构备案申请被退回")
    )
    notify(
        recipients.org_admins(filing.organisation),
        kind=DECIDED,
        title=title,
        body=filing.reason,
        url=filing_url(filing),
        key=f"institution-filing:{filing.pk}:{filing.status}:{now.isoformat()}",
        now=now,
    )


def report_due(organisation, *, year: int, due_on: dt.date, now) -> int:
    """Returns how many admins were newly told (0 for those told before: one reminder a year)."""
    return notify(
        recipients.org_admins(organisation),
        kind=REPORT_DUE,
        title=_("请于%(due)s前报送%(year)s年度技术转移机构年度报告")
        % {"due": due_on.isoformat(), "year": year},
        url=reverse("institutions:report", args=[organisation.pk, year]),
        key=f"institution-report:{organisation.pk}:{year}:due",
        now=now,
    )


def broker_url(broker) -> str:
    return reverse("institutions:broker_detail", args=[broker.pk])


def certificate_submitted(broker, *, now) -> None:
    """One notification per submission (a corrected certificate is a new submission)."""
    notify(
        recipients.staff(Duty.REVIEWER, broker.organisation.region_id),
        kind=CERTIFICATE_SUBMITTED,
        title=_("技术经纪人证书待核验：%(name)s（%(org)s）")
        % {"name": broker.name, "org": broker.organisation.name},
        url=broker_url(broker),
        key=f"broker-certificate:{broker.pk}:submitted:{broker.certificate_submitted_at.isoformat()}",
        now=now,
    )


def certificate_decided(broker, *, now) -> None:
    from zhouqiao.accounts.models import User

    approved = broker.certificate_status == "approved"
    title = (
        _("技术经纪人证书已核验：%(name)s，已在技术经纪人名录中公开") % {"name": broker.name}
        if approved
        else _("技术经纪人证书被退回：%(name)s，请修改后重新提交") % {"name": broker.name}
    )
    people = [*recipients.org_admins(broker.organisation), *User.objects.filter(pk=broker.user_id)]
    notify(
        people,
        kind=CERTIFICATE_DECIDED,
        title=title,
        body=broker.certificate_reason,
        url=broker_url(broker),
        key=f"broker-certificate:{broker.pk}:{broker.certificate_status}:{now.isoformat()}",
        now=now,
    )


# --- to-dos -------------------------------------------------------------------------------------


@todo_source(gettext_lazy("待审核的技术转移机构备案"))
def filings_to_review(user):
    if not scope.has_duty(user, Duty.REVIEWER):
        return []
    from zhouqiao.community.institutions.models import InstitutionFiling
    from zhouqiao.community.institutions.states import FilingStatus

    rows = (
        InstitutionFiling.objects.filter(status=FilingStatus.SUBMITTED)
        .filter(scope.region_q(user, "bureau_region", Duty.REVIEWER))
        .select_related("organisation")
        .order_by("submitted_at", "pk")[:LIMIT]
    )
    return [
        Todo(
            title=_("审核技术转移机构备案：%(name)s") % {"name": f.organisation.name},
            url=filing_url(f),
            since=f.submitted_at,
        )
        for f in rows
    ]


@todo_source(gettext_lazy("技术转移机构备案与年度报告"))
def institution_tasks(user):
    """For an institution's admins: a returned filing to correct, and the open year's annual report."""
    admin_of = scope.organisation_ids(user, MemberRole.ADMIN)
    if not admin_of:
        return []
    from zhouqiao.community.institutions.models import AnnualReport, InstitutionFiling
    from zhouqiao.community.institutions.services import report_due as due_of
    from zhouqiao.community.institutions.services import report_year
    from zhouqiao.community.institutions.states import FilingStatus, ReportStatus
    from zhouqiao.core import clock

    filings = list(
        InstitutionFiling.objects.filter(
            organisation_id__in=admin_of, organisation__kind=OrganisationKind.TRANSFER_INSTITUTION
        ).select_related("organisation")
    )
    if not filings:
        return []
    today = timezone.localdate(clock.now())
    year = report_year(today)
    submitted = set(
        AnnualReport.objects.filter(
            organisation_id__in=[f.organisation_id for f in filings], year=year, status=ReportStatus.SUBMITTED
        ).values_list("organisation_id", flat=True)
    )
    out = []
    for f in filings:
        if f.status == FilingStatus.RETURNED:
            out.append(
                Todo(
                    title=_("修改并重新提交备案申请：%(name)s") % {"name": f.organisation.name},
                    url=filing_url(f),
                    since=f.decided_at or f.submitted_at,
                    detail=f.reason,
                )
            )
        elif f.status == FilingStatus.APPROVED and f.organisation_id not in submitted:
            from zhouqiao.community.institutions.weights import REPORT_OPENS

            month, day = REPORT_OPENS
            opened = dt.datetime(year, month, day, tzinfo=timezone.get_current_timezone())
            out.append(
                Todo(
                    title=_("报送%(year)s年度技术转移机构年度报告：%(name)s")
                    % {"year": year, "name": f.organisation.name},
                    url=reverse("institutions:report", args=[f.organisation_id, year]),
                    since=max(opened, f.decided_at or opened),
                    deadline=_end_of(due_of(year)),
                )
            )
    return out


@todo_source(gettext_lazy("待核验的技术经纪人证书"))
def certificates_to_review(user):
    if not scope.has_duty(user, Duty.REVIEWER):
        return []
    from zhouqiao.community.institutions.models import Broker
    from zhouqiao.community.institutions.states import CertificateStatus

    rows = (
        Broker.objects.filter(certificate_status=CertificateStatus.SUBMITTED)
        .filter(scope.region_q(user, "organisation__region", Duty.REVIEWER))
        .select_related("organisation")
        .order_by("certificate_submitted_at", "pk")[:LIMIT]
    )
    return [
        Todo(
            title=_("核验技术经纪人证书：%(name)s（%(org)s）") % {"name": b.name, "org": b.organisation.name},
            url=broker_url(b),
            since=b.certificate_submitted_at or b.created_at,
        )
        for b in rows
    ]


@todo_source(gettext_lazy("退回的技术经纪人证书"))
def certificates_returned(user):
    """For an institution's admins: brokers whose certificate was returned, to correct and resubmit."""
    admin_of = scope.organisation_ids(user, MemberRole.ADMIN)
    if not admin_of:
        return []
    from zhouqiao.community.institutions.models import Broker
    from zhouqiao.community.institutions.states import CertificateStatus

    rows = Broker.objects.filter(
        organisation_id__in=admin_of, certificate_status=CertificateStatus.RETURNED
    ).order_by("certificate_checked_at", "pk")[:LIMIT]
    return [
        Todo(
            title=_("修改并重新提交技术经纪人证书：%(name)s") % {"name": b.name},
            url=reverse("institutions:broker_edit", args=[b.pk]),
            since=b.certificate_checked_at or b.updated_at,
            detail=b.certificate_reason,
        )
        for b in rows
    ]

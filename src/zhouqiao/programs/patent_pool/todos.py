"""What waits in the patent pool, and who is told.

offered (拟放弃)       → program officers covering the patent's region: decide on acquisition
                         (patent_pool.offered; to-do "待决定的专利收储")
flagged 未实施         → the same officers (patent_pool.flagged; the same to-do) and the owner's administrators
                         (patent_pool.flagged_owner; to-do "未实施的发明专利" until they record an
                         implementation or the case is decided)
acquired / refused     → the owner's administrators (patent_pool.acquired / patent_pool.refused)
annual fee due         → officers covering the pool (patent_pool.fee_due, once per fee; to-do
                         "即将到期的专利年费" from ZHOUQIAO_PATENT_FEE_NOTICE_DAYS (30) days before)
"""

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty, MemberRole
from zhouqiao.core import clock
from zhouqiao.core.money import format_yuan
from zhouqiao.notifications import recipients
from zhouqiao.notifications.registry import Todo, kind, todo_source
from zhouqiao.notifications.services import notify

OFFERED = kind("patent_pool.offered", gettext_lazy("专利权人申请收储拟放弃的发明专利"))
FLAGGED = kind("patent_pool.flagged", gettext_lazy("发明专利授权后未实施"))
FLAGGED_OWNER = kind("patent_pool.flagged_owner", gettext_lazy("本单位发明专利被标记为未实施"))
ACQUIRED = kind("patent_pool.acquired", gettext_lazy("发明专利已收储"))
REFUSED = kind("patent_pool.refused", gettext_lazy("发明专利不予收储"))
FEE_DUE = kind("patent_pool.fee_due", gettext_lazy("池内专利年费即将到期"))

LIMIT = 200


def notice_days() -> int:
    return int(getattr(settings, "ZHOUQIAO_PATENT_FEE_NOTICE_DAYS", 30))


def _end_of(day: dt.date | None):
    if day is None:
        return None
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))


def case_url(case) -> str:
    return reverse("patent_pool:case", args=[case.pk])


def pooled_url(pooled) -> str:
    return reverse("patent_pool:pooled", args=[pooled.pk])


def case_offered(case, *, now) -> None:
    patent = case.patent
    notify(
        recipients.staff(Duty.PROGRAM_OFFICER, patent.region_id),
        kind=OFFERED,
        title=_("专利收储申请：%(title)s（%(owner)s）") % {"title": patent.title, "owner": patent.owner.name},
        body=case.owner_reason,
        url=case_url(case),
        key=f"patent_pool.case:{case.pk}:offered",
        now=now,
    )


def patent_flagged(patent, *, case, now) -> None:
    url = case_url(case) if case is not None else reverse("patent_pool:staff")
    notify(
        recipients.staff(Duty.PROGRAM_OFFICER, patent.region_id),
        kind=FLAGGED,
        title=_("发明专利授权后未实施：%(title)s（%(owner)s）")
        % {"title": patent.title, "owner": patent.owner.name},
        url=url,
        key=f"patent_pool.patent:{patent.pk}:flagged:{patent.flagged_at.isoformat()}",
        now=now,
    )
    # The owner's administrators (notifications.recipients.org_handlers): record it or offer it.
    admins = recipients.org_admins(patent.owner)
    key = f"patent_pool.patent:{patent.pk}:flagged_owner:{patent.flagged_at.isoformat()}"
    notify(
        admins,
        kind=FLAGGED_OWNER,
        title=_("本单位发明专利“%(title)s”授权后未见实施记录，请登记实施情况或申请收储")
        % {"title": patent.title},
        url=reverse("patent_pool:mine"),
        key=key,
        now=now,
    )


def case_decided(case, *, actor, now) -> None:
    from zhouqiao.programs.patent_pool.states import CaseStatus

    patent = case.patent
    users = [u for u in recipients.org_handlers(patent.owner) if u.pk != getattr(actor, "pk", None)]
    if case.status == CaseStatus.ACQUIRED:
        # The price the officer agreed (set on the case before this is called); none at all is
        # 无偿收储 (the form says "无偿收储填 0"), which is what the owner should read.
        if case.price:
            title = _("发明专利“%(title)s”已收储，收储价格%(price)s") % {
                "title": patent.title,
                "price": format_yuan(case.price),
            }
        else:
            title = _("发明专利“%(title)s”已无偿收储") % {"title": patent.title}
        notify(
            users,
            kind=ACQUIRED,
            title=title,
            body=case.decision_reason,
            url=reverse("patent_pool:mine"),
            key=f"patent_pool.case:{case.pk}:acquired",
            now=now,
        )
    elif case.status == CaseStatus.REFUSED:
        notify(
            users,
            kind=REFUSED,
            title=_("发明专利“%(title)s”不予收储") % {"title": patent.title},
            body=case.decision_reason,
            url=reverse("patent_pool:mine"),
            key=f"patent_pool.case:{case.pk}:refused",
            now=now,
        )


def remind_fees_due(*, now) -> int:
    """Tell the pool's officers once about each unpaid fee due within the notice period."""
    from zhouqiao.programs.patent_pool.models import AnnualFee

    horizon = timezone.localdate(now) + dt.timedelta(days=notice_days())
    told = 0
    due = AnnualFee.objects.filter(paid_on__isnull=True, due_on__lte=horizon).select_related(
        "pooled__patent", "pooled__pool"
    )
    for fee in due:
        told += notify(
            recipients.staff(Duty.PROGRAM_OFFICER, fee.pooled.pool.region_id),
            kind=FEE_DUE,
            title=_("专利年费将于%(day)s到期：%(title)s，%(amount)s")
            % {
                "day": fee.due_on.isoformat(),
                "title": fee.pooled.patent.title,
                "amount": format_yuan(fee.amount),
            },
            url=pooled_url(fee.pooled),
            key=f"patent_pool.fee:{fee.pk}:due",
            now=now,
        )
    return told


@todo_source(gettext_lazy("待决定的专利收储"))
def cases_to_decide(user):
    if not scope.has_duty(user, Duty.PROGRAM_OFFICER):
        return []
    from zhouqiao.programs.patent_pool.models import AcquisitionCase
    from zhouqiao.programs.patent_pool.states import CaseStatus

    waiting = (
        AcquisitionCase.objects.filter(
            scope.region_q(user, "patent__region", Duty.PROGRAM_OFFICER), status=CaseStatus.PENDING
        )
        .select_related("patent__owner")
        .order_by("opened_at", "pk")[:LIMIT]
    )
    return [
        Todo(
            title=c.patent.title,
            url=case_url(c),
            since=c.opened_at,
            detail=f"{c.patent.owner.name} · {c.get_origin_display()}",
        )
        for c in waiting
    ]


@todo_source(gettext_lazy("即将到期的专利年费"))
def fees_due(user):
    if not scope.has_duty(user, Duty.PROGRAM_OFFICER):
        return []
    from zhouqiao.programs.patent_pool.models import AnnualFee

    horizon = clock.local_date() + dt.timedelta(days=notice_days())
    due = (
        AnnualFee.objects.filter(
            scope.region_q(user, "pooled__pool__region", Duty.PROGRAM_OFFICER),
            paid_on__isnull=True,
            due_on__lte=horizon,
        )
        .select_related("pooled__patent")
        .order_by("due_on", "pk")[:LIMIT]
    )
    return [
        Todo(
            title=f.pooled.patent.title,
            url=pooled_url(f.pooled),
            since=_end_of(f.due_on - dt.timedelta(days=notice_days())),
            deadline=_end_of(f.due_on),
            detail=_("年费%(amount)s") % {"amount": format_yuan(f.amount)},
        )
        for f in due
    ]


@todo_source(gettext_lazy("未实施的发明专利"))
def idle_patents(user):
    organisations = recipients.handled_organisation_ids(user)
    if not organisations:
        return []
    from zhouqiao.programs.patent_pool.models import TrackedPatent
    from zhouqiao.programs.patent_pool.states import Implementation

    admin_of = set(scope.organisation_ids(user, MemberRole.ADMIN))
    idle = (
        TrackedPatent.objects.filter(owner_id__in=organisations, implementation=Implementation.IDLE)
        .filter(pooled__isnull=True)
        .exclude(cases__status="pending", cases__origin="offer")
        .order_by("flagged_at", "pk")[:LIMIT]
    )
    return [
        Todo(
            title=p.title,
            url=reverse("patent_pool:mine"),
            since=p.flagged_at,
            detail=(
                _("专利号%(number)s：请登记实施情况，或申请收储")
                if p.owner_id in admin_of
                else _("专利号%(number)s：请登记实施情况（拟放弃的由本单位管理员申请收储）")
            )
            % {"number": p.number},
        )
        for p in idle
    ]

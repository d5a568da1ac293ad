"""What waits in policy cash-out (政策兑现) and applications, and who is told.

entitlement computed  → the beneficiary's administrators: confirm it (policy.to_confirm)
confirmed             → finance of the paying bureau: 初审            (policy.to_approve)
first approved        → the other finance officers: 复审              (policy.to_second_approve)
approved              → the beneficiary (policy.approved); finance: 拨付 (to-do only)
                        (each finance step: the officers of the nearest bureau over the paying
                        jurisdiction with someone who may take it, routing.finance_code)
paid / rejected       → the beneficiary                               (policy.paid / policy.rejected)
application invited   → the organisation's members: submit it         (policy.application_invited)
application submitted → reviewers of the bureau it waits on (policy.application_to_review;
                        routing.py: the paying jurisdiction's, or the nearest one above it with
                        staff — a county-paid clause in an unstaffed zone goes to the city)
application decided   → the organisation's members                    (policy.application_decided)
parameter proposed    → the other policy editors of the jurisdiction: approve (policy.parameter_to_approve)
parameter decided     → its proposer                                    (policy.parameter_decided)
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty, MemberRole
from zhouqiao.core.money import format_yuan
from zhouqiao.notifications import recipients
from zhouqiao.notifications.registry import Todo, kind, todo_source
from zhouqiao.notifications.services import notify
from zhouqiao.policy import routing
from zhouqiao.policy.models import Application, ChangeStatus, Entitlement, ParameterChange
from zhouqiao.policy.states import ApplicationStatus, EntitlementStatus

TO_CONFIRM = kind("policy.to_confirm", gettext_lazy("政策兑现待确认"))
TO_APPROVE = kind("policy.to_approve", gettext_lazy("政策兑现待财务初审"))
TO_SECOND_APPROVE = kind("policy.to_second_approve", gettext_lazy("政策兑现待财务复审"))
APPROVED = kind("policy.approved", gettext_lazy("政策兑现已通过财务审核"))
PAID = kind("policy.paid", gettext_lazy("政策兑现已拨付"))
REJECTED = kind("policy.rejected", gettext_lazy("政策兑现被驳回"))
APPLICATION_INVITED = kind("policy.application_invited", gettext_lazy("可申请的择优支持"))
APPLICATION_TO_REVIEW = kind("policy.application_to_review", gettext_lazy("政策申请待评审"))
APPLICATION_DECIDED = kind("policy.application_decided", gettext_lazy("政策申请已评审"))
PARAMETER_TO_APPROVE = kind("policy.parameter_to_approve", gettext_lazy("政策参数调整待审批"))
PARAMETER_DECIDED = kind("policy.parameter_decided", gettext_lazy("政策参数调整已审批"))

LIMIT = 200


# --- notifications (called inside the policy services' transactions) --------------------------


def _entitlement_text(e: Entitlement) -> str:
    return _("%(title)s：%(name)s，%(amount)s") % {
        "title": e.title,
        "name": e.beneficiary_name,
        "amount": format_yuan(e.amount),
    }


def entitlement_changed(entitlement: Entitlement, *, now) -> None:
    """Tell whoever the entitlement now waits on (or its beneficiary what happened)."""
    from zhouqiao.policy import services

    e = entitlement
    url = reverse("policy:entitlement_detail", args=[e.pk])
    key = f"policy.entitlement:{e.pk}:{e.status}"
    text = _entitlement_text(e)
    members = recipients.org_handlers(e.organisation) if e.organisation_id else None
    if e.status == EntitlementStatus.COMPUTED and members is not None:
        # Only an administrator may confirm (services._may_take): only they are asked to.
        notify(
            recipients.org_admins(e.organisation),
            kind=TO_CONFIRM,
            title=_("请确认政策兑现：%(t)s") % {"t": text},
            url=url,
            key=key,
            now=now,
        )
    elif e.status == EntitlementStatus.CONFIRMED:
        # not the 核定人: whoever approved the amount does not also do its 财务初审
        notify(
            services.next_step_staff(e),
            kind=TO_APPROVE,
            title=_("待财务初审：%(t)s") % {"t": text},
            url=url,
            key=key,
            now=now,
        )
    elif e.status == EntitlementStatus.FIRST_APPROVED:
        notify(
            services.next_step_staff(e),
            kind=TO_SECOND_APPROVE,
            title=_("待财务复审：%(t)s") % {"t": text},
            url=url,
            key=key,
            now=now,
        )
    elif e.status == EntitlementStatus.APPROVED and members is not None:
        notify(
            members, kind=APPROVED, title=_("已通过财务审核：%(t)s") % {"t": text}, url=url, key=key, now=now
        )
    elif e.status == EntitlementStatus.PAID and members is not None:
        notify(members, kind=PAID, title=_("已拨付：%(t)s") % {"t": text}, url=url, key=key, now=now)
    elif e.status == EntitlementStatus.REJECTED and members is not None:
        notify(
            members,
            kind=REJECTED,
            title=_("被驳回：%(t)s") % {"t": text},
            body=e.status_reason,
            url=url,
            key=key,
            now=now,
        )


def application_changed(application: Application, *, now) -> None:
    a = application
    url = reverse("policy:application_detail", args=[a.pk])
    key = f"policy.application:{a.pk}:{a.status}"
    text = _("%(title)s：%(name)s") % {"title": a.title, "name": a.organisation.name}
    if a.status == ApplicationStatus.INVITED:
        title = _("可申请：%(t)s（最高%(c)s）") % {"t": text, "c": format_yuan(a.ceiling)}
        notify(
            recipients.org_handlers(a.organisation),
            kind=APPLICATION_INVITED,
            title=title,
            url=url,
            key=key,
            now=now,
        )
    elif a.status == ApplicationStatus.SUBMITTED:
        notify(
            routing.reviewers(a.payer_region_id),
            kind=APPLICATION_TO_REVIEW,
            title=_("待评审：%(t)s") % {"t": text},
            url=url,
            key=key,
            now=now,
        )
    elif a.status in (ApplicationStatus.GRANTED, ApplicationStatus.REFUSED):
        title = (
            _("已核定支持：%(t)s，%(a)s") % {"t": text, "a": format_yuan(a.granted_amount)}
            if a.status == ApplicationStatus.GRANTED
            else _("未获支持：%(t)s") % {"t": text}
        )
        notify(
            recipients.org_handlers(a.organisation),
            kind=APPLICATION_DECIDED,
            title=title,
            body=a.status_reason,
            url=url,
            key=key,
            now=now,
        )


# --- to-do sources ------------------------------------------------------------------------------


def _entitlement_todos(items, detail=None):
    return [
        Todo(
            title=_entitlement_text(e),
            url=reverse("policy:entitlement_detail", args=[e.pk]),
            since=e.updated_at,
            detail=detail or e.get_status_display(),
        )
        for e in items[:LIMIT]
    ]


@todo_source(gettext_lazy("待确认的政策兑现"))
def entitlements_to_confirm(user):
    orgs = scope.organisation_ids(user, MemberRole.ADMIN)
    if not orgs:
        return []
    return _entitlement_todos(
        Entitlement.objects.filter(organisation_id__in=orgs, status=EntitlementStatus.COMPUTED).order_by(
            "updated_at", "pk"
        ),
        detail=_("确认后转财务审核"),
    )


def _finance(user, status):
    """The entitlements at ``status`` whose next step waits on this user: within their finance
    jurisdictions, at the nearest bureau with an officer who may take it, and not barred."""
    if not scope.has_duty(user, Duty.FINANCE):
        return []
    items = Entitlement.objects.filter(
        scope.region_q(user, "payer_region", Duty.FINANCE), status=status
    ).order_by("updated_at", "pk")
    mine = {prefix.ljust(6, "0") for prefix in scope.prefixes(user, Duty.FINANCE)}
    held = routing.finance_holders()
    return [
        e
        for e in items[: LIMIT * 5]
        if routing.barred_id(e) != user.pk and routing.finance_code(e, held) in mine
    ]


@todo_source(gettext_lazy("待财务初审的政策兑现"))
def entitlements_to_approve(user):
    return _entitlement_todos(_finance(user, EntitlementStatus.CONFIRMED))


@todo_source(gettext_lazy("待财务复审的政策兑现"))
def entitlements_to_second_approve(user):
    return _entitlement_todos(_finance(user, EntitlementStatus.FIRST_APPROVED))


@todo_source(gettext_lazy("待拨付的政策兑现"))
def entitlements_to_pay(user):
    return _entitlement_todos(_finance(user, EntitlementStatus.APPROVED))


@todo_source(gettext_lazy("可提交的择优支持申请"))
def applications_to_submit(user):
    orgs = scope.organisation_ids(user)
    if not orgs:
        return []
    items = Application.objects.filter(organisation_id__in=orgs, status=ApplicationStatus.INVITED).order_by(
        "created_at", "pk"
    )
    return [
        Todo(
            title=_("%(title)s（最高%(c)s）") % {"title": a.title, "c": format_yuan(a.ceiling)},
            url=reverse("policy:application_detail", args=[a.pk]),
            since=a.created_at,
        )
        for a in items[:LIMIT]
    ]


@todo_source(gettext_lazy("待评审的政策申请"))
def applications_to_review(user):
    if not any(scope.has_duty(user, duty) for duty in routing.REVIEW_DUTIES):
        return []
    items = (
        Application.objects.filter(routing.reviews_q(user), status=ApplicationStatus.SUBMITTED)
        .select_related("organisation")
        .order_by("submitted_at", "pk")
    )
    return [
        Todo(
            title=_("%(title)s：%(name)s") % {"title": a.title, "name": a.organisation.name},
            url=reverse("policy:application_detail", args=[a.pk]),
            since=a.submitted_at or a.created_at,
        )
        for a in items[:LIMIT]
    ]


# --- a bureau's parameter changes ------------------------------------------------------------


def _editors(jurisdiction: str):
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(
            assignments__duty=Duty.POLICY_EDITOR, assignments__jurisdiction_id=jurisdiction, is_active=True
        )
        .distinct()
    )


def _change_text(c: ParameterChange) -> str:
    from zhouqiao.policy import describe

    return describe.change_summary(c)


def parameter_change_changed(change: ParameterChange, *, now) -> None:
    url = reverse("policy:change_detail", args=[change.pk])
    key = f"policy.parameter:{change.pk}:{change.status}"
    if change.status == ChangeStatus.PROPOSED:
        notify(
            _editors(change.jurisdiction_id).exclude(pk=change.proposed_by_id),
            kind=PARAMETER_TO_APPROVE,
            title=_("待审批的政策参数调整：%(t)s") % {"t": _change_text(change)},
            body=change.reason,
            url=url,
            key=key,
            now=now,
        )
    elif change.proposed_by_id:
        from zhouqiao.core import clock

        verdict = change.status_on(clock.local_date(now))
        notify(
            [change.proposed_by],
            kind=PARAMETER_DECIDED,
            title=_("政策参数调整%(v)s：%(t)s") % {"v": verdict, "t": _change_text(change)},
            body=change.decision_reason,
            url=url,
            key=key,
            now=now,
        )


@todo_source(gettext_lazy("待审批的政策参数调整"))
def parameter_changes_to_approve(user):
    if not scope.has_duty(user, Duty.POLICY_EDITOR):
        return []
    prefixes = scope.prefixes(user, Duty.POLICY_EDITOR)
    waiting = (
        ParameterChange.objects.filter(status=ChangeStatus.PROPOSED)
        .exclude(proposed_by=user)
        .order_by("proposed_at", "pk")[:LIMIT]
    )
    from zhouqiao.policy.engine import region_prefix

    return [
        Todo(
            title=_("审批：%(t)s") % {"t": _change_text(c)},
            url=reverse("policy:change_detail", args=[c.pk]),
            since=c.proposed_at,
            deadline=None,
        )
        for c in waiting
        if region_prefix(c.jurisdiction_id) in prefixes
    ]

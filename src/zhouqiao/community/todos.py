"""What waits in the expert registry, and who is told.

applied / resubmitted → program officers whose jurisdiction covers the expert's region (community.expert_applied)
approved / rejected / suspended / reinstated → the person                           (community.expert_decided)
invited               → the invited person: accept (with the profile) or decline    (community.expert_invited)
invitation answered   → the officer who invited                                      (community.invitation_answered)

No text sets a time limit for deciding an expert application, so the to-dos carry no deadline.
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty
from zhouqiao.notifications import recipients
from zhouqiao.notifications.registry import Todo, kind, todo_source
from zhouqiao.notifications.services import notify

APPLIED = kind("community.expert_applied", gettext_lazy("专家入库申请待审核"))
DECIDED = kind("community.expert_decided", gettext_lazy("专家入库审核结果"))
INVITED = kind("community.expert_invited", gettext_lazy("受邀加入专家库"))
ANSWERED = kind("community.invitation_answered", gettext_lazy("专家入库邀请已答复"))

LIMIT = 200


def expert_url(expert) -> str:
    return reverse("community:expert_detail", args=[expert.pk])


# --- notifications (inside community.services' transactions) -----------------------------------


def expert_applied(expert, *, now) -> None:
    notify(
        recipients.staff(Duty.PROGRAM_OFFICER, expert.region_id),
        kind=APPLIED,
        title=_("专家入库申请待审核：%(name)s") % {"name": expert.name},
        body=expert.organisation.name,
        url=expert_url(expert),
        key=f"expert:{expert.pk}:applied:{now.isoformat()}",
        now=now,
    )


def expert_moved(expert, *, actor, now) -> None:
    if expert.user_id is None:
        return
    titles = {
        "approved": _("您已通过审核，进入专家库"),
        "rejected": _("您的专家入库申请未通过"),
        "suspended": _("您的专家资格已暂停"),
    }
    notify(
        [expert.user],
        kind=DECIDED,
        title=titles.get(expert.status, _("您的专家信息状态已更新")),
        body=expert.status_reason,
        url=reverse("community:my_expert"),
        key=f"expert:{expert.pk}:{expert.status}:{now.isoformat()}",
        now=now,
    )


def invited(invitation, *, now) -> None:
    notify(
        [invitation.user],
        kind=INVITED,
        title=_("邀请您加入专家库"),
        body=invitation.note,
        url=reverse("community:invitation", args=[invitation.pk]),
        key=f"expert-invitation:{invitation.pk}:sent",
        now=now,
    )


def invitation_answered(invitation, *, now) -> None:
    person = invitation.user.display_name or invitation.user.get_username()
    title = (
        _("%(name)s接受了专家入库邀请")
        if invitation.status == "accepted"
        else _("%(name)s谢绝了专家入库邀请")
    ) % {"name": person}
    url = expert_url(invitation.expert) if invitation.expert_id else reverse("community:review_queue")
    notify(
        [invitation.invited_by],
        kind=ANSWERED,
        title=title,
        url=url,
        key=f"expert-invitation:{invitation.pk}:{invitation.status}",
        now=now,
    )


# --- to-dos -------------------------------------------------------------------------------------------


@todo_source(gettext_lazy("待审核的专家入库申请"))
def applications_to_review(user):
    if not scope.has_duty(user, Duty.PROGRAM_OFFICER):
        return []
    from zhouqiao.community.models import Expert, ExpertStatus

    rows = (
        Expert.objects.filter(status=ExpertStatus.APPLIED)
        .filter(scope.region_q(user, "region", Duty.PROGRAM_OFFICER))
        .select_related("organisation")
        .order_by("updated_at", "pk")[:LIMIT]
    )
    return [
        Todo(
            title=_("审核专家入库申请：%(name)s（%(org)s）") % {"name": e.name, "org": e.organisation.name},
            url=expert_url(e),
            since=e.updated_at or e.created_at,
        )
        for e in rows
    ]


@todo_source(gettext_lazy("专家库邀请"))
def invitations_to_answer(user):
    if not getattr(user, "is_authenticated", False):
        return []
    from zhouqiao.community.models import ExpertInvitation, InvitationStatus

    rows = ExpertInvitation.objects.filter(user=user, status=InvitationStatus.PENDING).order_by("created_at")
    return [
        Todo(
            title=_("答复专家库入库邀请"),
            url=reverse("community:invitation", args=[i.pk]),
            since=i.created_at,
            detail=i.note,
        )
        for i in rows[:LIMIT]
    ]

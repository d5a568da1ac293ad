"""What waits in account and organisation verification, and who is told."""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhouqiao.accounts import scope, selectors
from zhouqiao.accounts.models import Duty, MemberRole, Organisation
from zhouqiao.accounts.states import VerificationStatus
from zhouqiao.notifications.registry import Todo, kind, todo_source

SUBMITTED = kind("accounts.organisation_submitted", _("机构认证待审核"))
VERIFIED = kind("accounts.organisation_verified", _("机构认证通过"))
RETURNED = kind("accounts.organisation_returned", _("机构认证被退回"))


@todo_source(_("待审核的机构认证"))
def organisations_to_verify(user):
    if not scope.has_duty(user, Duty.REVIEWER):
        return []
    days = timedelta(days=settings.ORGANISATION_REVIEW_DAYS)
    return [
        Todo(
            title=org.name,
            url=reverse("web:organisation_detail", args=[org.pk]),
            since=org.created_at,
            deadline=org.created_at + days,
            detail=f"{org.get_kind_display()} · {org.region.name}",
        )
        for org in selectors.verification_queue(user)
    ]


@todo_source(_("被退回的机构认证（请修改后重新提交）"))
def organisations_to_correct(user):
    if not getattr(user, "is_authenticated", False):
        return []
    return [
        Todo(
            title=org.name,
            url=reverse("web:organisation_detail", args=[org.pk]),
            since=org.created_at,
            detail=org.status_reason,
        )
        for org in Organisation.objects.filter(
            memberships__user=user, memberships__role=MemberRole.ADMIN, status=VerificationStatus.RETURNED
        )
    ]

"""Reads of project calls: who sees what, and the blind view a reviewer gets."""

from django.db.models import Q

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty
from zhouqiao.programs.models import Application, Call, ReviewAssignment
from zhouqiao.programs.states import CallStatus

PUBLIC_STATUSES = [CallStatus.OPEN, CallStatus.REVIEW, CallStatus.NOTICE, CallStatus.CLOSED]


def visible_calls(user):
    query = Q(status__in=PUBLIC_STATUSES)
    if scope.has_duty(user, Duty.PROGRAM_OFFICER):
        query |= scope.region_q(user, "jurisdiction", Duty.PROGRAM_OFFICER)
    return Call.objects.filter(query).select_related("jurisdiction")


def officer_calls(user):
    return Call.objects.filter(scope.region_q(user, "jurisdiction", Duty.PROGRAM_OFFICER))


def reviewer_assignment(user, application) -> ReviewAssignment | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        ReviewAssignment.objects.filter(application=application, expert__user=user)
        .select_related("expert")
        .first()
    )


def role_for(user, application: Application) -> str | None:
    """ "officer" (staff of the call's jurisdiction), "applicant" (a member of the lead
    organisation), "reviewer" (an expert assigned to it), or None. The public sees what
    立项信息公开 asks for (title, undertaker, amount, period) in the call's notice only."""
    from zhouqiao.programs.services import is_officer

    if is_officer(user, application.call):
        return "officer"
    if scope.is_member(user, application.lead):
        return "applicant"
    if reviewer_assignment(user, application) is not None:
        return "reviewer"
    return None


def blind_for(user, application: Application, role: str) -> bool:
    """A reviewer of a blind call sees no applicant name or organisation."""
    return role == "reviewer" and application.call.blind


def my_assignments(user):
    return (
        ReviewAssignment.objects.filter(expert__user=user)
        .select_related("application", "call")
        .order_by("submitted_at", "-assigned_at")
    )


def attachment_name(application: Application, attachment, *, blind: bool) -> str:
    if not blind:
        return attachment.original_name
    ids = list(application.attachments.values_list("pk", flat=True))
    return attachment.neutral_name(ids.index(attachment.pk) + 1)

from django.db.models import Q

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty
from zhouqiao.core.models import AuditEvent


def audit_events_for(user, *, action="", actor="", target_type="", target_id="", since=None, until=None):
    """Audit records an audit administrator may read: those whose region lies in their jurisdiction
    (authentication events carry the home region of the person concerned; other records without a
    region of their own carry their actor's, see core.audit). What is still left without a region
    (a failed sign-in under an unknown name) is read by the province-level audit administrator, so
    no record is invisible to everybody."""
    return _filtered(
        AuditEvent.objects.filter(audit_scope_q(user)),
        action=action,
        actor=actor,
        target_type=target_type,
        target_id=target_id,
        since=since,
        until=until,
    )


PROVINCE_PREFIX = 2  # the subtree prefix of a province (core.models.scope_prefix): two digits


def audit_scope_q(user) -> Q:
    prefixes = scope.prefixes(user, Duty.AUDIT_ADMIN)
    in_scope = Q(pk__in=[])
    for prefix in prefixes:
        in_scope |= Q(region_code__startswith=prefix)
    if any(len(prefix) == PROVINCE_PREFIX for prefix in prefixes):
        in_scope |= Q(region_code="")
    return in_scope


def _filtered(qs, *, action, actor, target_type, target_id, since, until):
    if action:
        qs = qs.filter(action__startswith=action)
    if actor and actor.strip():
        qs = qs.filter(_actor_q(actor.strip()))
    if target_type:
        qs = qs.filter(target_type=target_type)
    if target_id:
        qs = qs.filter(target_id=target_id)
    if since:
        qs = qs.filter(at__gte=since)
    if until:
        qs = qs.filter(at__lt=until)
    return qs


def _actor_q(text: str) -> Q:
    """操作人 as the administrator types it: the login name (exactly, any case), a part of the
    person's name ("赵德全"), or a system actor in words ("系统定时任务")."""
    from zhouqiao.core.audit_labels import SYSTEM_ACTORS

    q = Q(actor_name__iexact=text) | Q(actor__display_name__icontains=text)
    system = [code for code, label in SYSTEM_ACTORS.items() if text and text in str(label)]
    if system:
        q |= Q(actor_name__in=system)
    return q

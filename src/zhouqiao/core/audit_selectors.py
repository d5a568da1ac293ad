from django.db.models import Q

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty
from zhouqiao.core.models import AuditEvent


def audit_events_for(user, *, action="", actor="", target_type="", target_id="", since=None, until=None):
    """Audit records an audit administrator may read: those whose region lies in their jurisdiction
    (authentication events carry the home region of the person concerned)."""
    in_scope = Q(pk__in=[])
    for prefix in scope.prefixes(user, Duty.AUDIT_ADMIN):
        in_scope |= Q(region_code__startswith=prefix)
    qs = AuditEvent.objects.filter(in_scope)
    if action:
        qs = qs.filter(action__startswith=action)
    if actor:
        qs = qs.filter(actor_name=actor)
    if target_type:
        qs = qs.filter(target_type=target_type)
    if target_id:
        qs = qs.filter(target_id=target_id)
    if since:
        qs = qs.filter(at__gte=since)
    if until:
        qs = qs.filter(at__lt=until)
    return qs

"""Who may publish and run an event (the same checks the services make and the pages use to show
buttons)."""

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty, Organisation, OrganisationKind
from zhouqiao.accounts.states import VerificationStatus


def publishing_organisations(user) -> list[Organisation]:
    """The verified transfer institutions ``user`` belongs to (they may publish events)."""
    ids = scope.organisation_ids(user)
    if not ids:
        return []
    return list(
        Organisation.objects.filter(
            pk__in=ids, kind=OrganisationKind.TRANSFER_INSTITUTION, status=VerificationStatus.VERIFIED
        ).order_by("pk")
    )


def may_publish(user) -> bool:
    return getattr(user, "is_authenticated", False) and (
        scope.is_business_staff(user) or bool(publishing_organisations(user))
    )


# The bureau duty that runs events (发布会、对接会、路演, 001#8 科技成果供需对接): the 审核员 who
# handle the bureau's achievements, demands and organisations. Finance, registration or
# statistics staff do not decide registrations or cancel events.
EVENT_DUTY = Duty.REVIEWER


def may_manage(user, event) -> bool:
    """The organiser: the person who published it, the members of the institution that published
    it, or staff holding :data:`EVENT_DUTY` whose jurisdiction covers the event (the bureau of the
    event's region; the bureaus above supervise)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if event.created_by_id == user.pk:
        return True
    if event.organiser_org_id and scope.is_member(user, event.organiser_org):
        return True
    return scope.covers(user, event.region_id, EVENT_DUTY)


def may_view_registrations(user, event) -> bool:
    """The organiser, and (reading only) any business staff whose jurisdiction covers the event."""
    return may_manage(user, event) or (
        getattr(user, "is_authenticated", False) and scope.covers(user, event.region_id)
    )


def side_of(user, registration) -> bool:
    """Does ``user`` speak for this registration (its registrant or a member of its organisation)?"""
    if not getattr(user, "is_authenticated", False):
        return False
    return registration.user_id == user.pk or (
        registration.organisation_id is not None
        and registration.organisation_id in scope.organisation_ids(user)
    )

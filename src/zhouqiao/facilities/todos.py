"""What waits in instrument sharing, and who is told (called inside the facilities services).

booking requested         → the instrument owner's administrators: approve or refuse (facilities.booking_requested)
booking approved/refused  → the booker                                              (facilities.booking_approved/_refused)
booking cancelled         → the other side: the owner's administrators when the booker cancels,
                            the booker when the owner does                          (facilities.booking_cancelled)
use to record             → the owner's administrators, from the booked start (to-do only)
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import MemberRole
from zhouqiao.core import clock
from zhouqiao.facilities.models import Booking
from zhouqiao.facilities.states import BookingStatus
from zhouqiao.notifications import recipients
from zhouqiao.notifications.registry import Todo, kind, todo_source
from zhouqiao.notifications.services import notify

BOOKING_REQUESTED = kind("facilities.booking_requested", gettext_lazy("仪器预约待确认"))
BOOKING_APPROVED = kind("facilities.booking_approved", gettext_lazy("仪器预约已确认"))
BOOKING_REFUSED = kind("facilities.booking_refused", gettext_lazy("仪器预约被拒绝"))
BOOKING_CANCELLED = kind("facilities.booking_cancelled", gettext_lazy("仪器预约已取消"))

LIMIT = 200


def _text(booking: Booking) -> str:
    start = timezone.localtime(booking.starts_at)
    end = timezone.localtime(booking.ends_at)
    return _("%(org)s预约%(instrument)s，%(day)s %(start)s–%(end)s") % {
        "org": booking.organisation.name,
        "instrument": booking.instrument.name,
        "day": start.date().isoformat(),
        "start": start.strftime("%H:%M"),
        "end": end.strftime("%H:%M"),
    }


def booking_changed(booking: Booking, *, actor, now) -> None:
    """Tell whoever the booking now waits on, or the side that did not act what happened."""
    url = reverse("facilities:booking", args=[booking.pk])
    key = f"facilities.booking:{booking.pk}:{booking.status}"
    text = _text(booking)
    owners = recipients.org_admins(booking.instrument.owner)
    booker = [booking.booker] if booking.booker.is_active else []
    if booking.status == BookingStatus.REQUESTED:
        notify(
            owners, kind=BOOKING_REQUESTED, title=_("待确认：%(t)s") % {"t": text}, url=url, key=key, now=now
        )
    elif booking.status == BookingStatus.APPROVED:
        notify(
            booker,
            kind=BOOKING_APPROVED,
            title=_("预约已确认：%(t)s") % {"t": text},
            url=url,
            key=key,
            now=now,
        )
    elif booking.status == BookingStatus.REFUSED:
        notify(
            booker,
            kind=BOOKING_REFUSED,
            title=_("预约被拒绝：%(t)s") % {"t": text},
            body=booking.status_reason,
            url=url,
            key=key,
            now=now,
        )
    elif booking.status == BookingStatus.CANCELLED:
        by_booker = scope.is_member(actor, booking.organisation)
        notify(
            owners.exclude(pk=actor.pk) if by_booker else [u for u in booker if u.pk != actor.pk],
            kind=BOOKING_CANCELLED,
            title=_("预约已取消：%(t)s") % {"t": text},
            body=booking.status_reason,
            url=url,
            key=key,
            now=now,
        )


def _owner_bookings(user, status):
    orgs = scope.organisation_ids(user, MemberRole.ADMIN)
    if not orgs:
        return Booking.objects.none()
    return (
        Booking.objects.filter(instrument__owner_id__in=orgs, status=status)
        .select_related("instrument", "organisation")
        .order_by("starts_at")
    )


@todo_source(gettext_lazy("待确认的仪器预约"))
def bookings_to_approve(user):
    now = clock.now()
    rows = _owner_bookings(user, BookingStatus.REQUESTED).filter(starts_at__gt=now)[:LIMIT]
    return [
        Todo(
            title=_("确认预约：%(t)s") % {"t": _text(b)},
            url=reverse("facilities:booking", args=[b.pk]),
            since=b.created_at,
            deadline=b.starts_at,  # an unanswered request lapses when its hour comes
        )
        for b in rows
    ]


@todo_source(gettext_lazy("待登记使用情况的仪器预约"))
def usage_to_record(user):
    now = clock.now()
    rows = _owner_bookings(user, BookingStatus.APPROVED).filter(starts_at__lte=now)[:LIMIT]
    return [
        Todo(
            title=_("登记使用情况并计费：%(t)s") % {"t": _text(b)},
            url=reverse("facilities:booking", args=[b.pk]),
            since=b.ends_at if b.ends_at <= now else b.starts_at,
        )
        for b in rows
    ]

"""The one place that reads the wall clock. Services take ``now``; views pass ``clock.now()``."""

from datetime import datetime

from django.utils import timezone


def now() -> datetime:
    return timezone.now()


def local_date(moment: datetime | None = None):
    return timezone.localdate(moment or now())

"""Events (发布会 / 对接会 / 路演会 / 培训, 001 #8, 004 §6): registration with approval, QR check-in,
roadshow slots, and the one-to-one meetings of matchmaking fairs."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from zhouqiao.accounts.models import Organisation
from zhouqiao.community.events.states import (
    EventKind,
    EventStatus,
    InterestLevel,
    Outcome,
    RegistrationStatus,
)
from zhouqiao.core.models import Region


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=EventStatus.PUBLISHED)


class Event(models.Model):
    title = models.CharField(_("活动名称"), max_length=200)
    kind = models.CharField(_("活动类型"), max_length=16, choices=EventKind.choices)
    agenda = models.TextField(_("活动议程"))
    place = models.CharField(_("活动地点"), max_length=200)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    capacity = models.PositiveIntegerField(_("名额"))
    seats_taken = models.PositiveIntegerField(_("已占名额"), default=0)
    audience = models.CharField(_("面向对象"), max_length=200)
    registration_deadline = models.DateTimeField(_("报名截止时间"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("所在地区"))
    organiser_org = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("主办机构"),
    )
    organiser_name = models.CharField(_("主办单位"), max_length=128)
    status = models.CharField(
        _("状态"), max_length=12, choices=EventStatus.choices, default=EventStatus.PUBLISHED
    )
    # one-to-one meetings (matchmaking fairs)
    meeting_start = models.DateTimeField(_("一对一洽谈开始时间"), null=True, blank=True)
    slot_minutes = models.PositiveSmallIntegerField(_("每场洽谈时长（分钟）"), default=20)
    slot_count = models.PositiveSmallIntegerField(_("洽谈场次"), default=0)
    tables = models.PositiveSmallIntegerField(_("洽谈桌数"), default=0)
    schedule_generated_at = models.DateTimeField(_("排程生成时间"), null=True, blank=True)
    schedule_published_at = models.DateTimeField(_("排程发布时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("发布时间"))
    is_sample = models.BooleanField(_("演示数据"), default=False)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("活动")
        verbose_name_plural = _("活动")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=EventKind.values), name="event_kind_known"),
            models.CheckConstraint(condition=Q(status__in=EventStatus.values), name="event_status_known"),
            models.CheckConstraint(condition=Q(seats_taken__lte=F("capacity")), name="event_within_capacity"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="event_capacity_positive"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="event_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def has_meetings(self) -> bool:
        return self.kind == EventKind.MATCHMAKING and self.slot_count > 0 and self.tables > 0

    @property
    def seats_left(self) -> int:
        return max(0, self.capacity - self.seats_taken)

    def slot_times(self) -> list[tuple]:
        """(start, end) of each meeting slot."""
        if not self.has_meetings or self.meeting_start is None:
            return []
        step = timedelta(minutes=self.slot_minutes)
        return [
            (self.meeting_start + i * step, self.meeting_start + (i + 1) * step)
            for i in range(self.slot_count)
        ]


class Registration(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("所在单位"),
    )
    note = models.CharField(_("报名说明"), max_length=500, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=RegistrationStatus.choices, default=RegistrationStatus.PENDING
    )
    reason = models.CharField(_("审核意见"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    checkin_token = models.CharField(max_length=32, unique=True)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # meeting slots (0-based) the participant can attend; empty = all of them
    availability = models.JSONField(_("可参加的洽谈场次"), default=list, blank=True)
    created_at = models.DateTimeField(_("报名时间"))

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("活动报名")
        verbose_name_plural = _("活动报名")
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="event_registration_once"),
            models.CheckConstraint(
                condition=Q(status__in=RegistrationStatus.values), name="event_registration_status_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.event}"

    @property
    def participant_name(self) -> str:
        return self.organisation.name if self.organisation_id else str(self.user)

    def available_slots(self) -> set[int]:
        if not self.availability:
            return set(range(self.event.slot_count))
        return {int(s) for s in self.availability}


class RoadshowSlot(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="roadshow_slots")
    starts_at = models.DateTimeField(_("路演时间"))
    minutes = models.PositiveSmallIntegerField(_("路演时长（分钟）"), default=15)
    achievement = models.ForeignKey(
        "catalog.Achievement", on_delete=models.PROTECT, related_name="+", verbose_name=_("路演成果")
    )
    presenter = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("路演单位")
    )
    speaker = models.CharField(_("路演人"), max_length=64, blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("路演场次")
        verbose_name_plural = _("路演场次")
        constraints = [
            models.UniqueConstraint(fields=["event", "achievement"], name="roadshow_achievement_once"),
        ]

    def __str__(self) -> str:
        return f"{self.presenter} · {self.achievement}"


class Interest(models.Model):
    """A participant's wish to meet: an achievement, a demand, or an organisation (all belong to
    another participant of the same event)."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="interests")
    target = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("意向对象")
    )
    achievement = models.ForeignKey(
        "catalog.Achievement", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    demand = models.ForeignKey(
        "catalog.Demand", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    target_key = models.CharField(max_length=24)  # "a:<id>", "d:<id>" or "o:<id>"
    level = models.PositiveSmallIntegerField(_("意向程度"), choices=InterestLevel.choices)
    created_at = models.DateTimeField(_("登记时间"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("洽谈意向")
        verbose_name_plural = _("洽谈意向")
        constraints = [
            models.UniqueConstraint(fields=["registration", "target_key"], name="event_interest_once"),
            models.CheckConstraint(condition=Q(level__in=[1, 2]), name="event_interest_level_known"),
        ]

    def __str__(self) -> str:
        return self.target_key


class Meeting(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="meetings")
    first = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    slot = models.PositiveSmallIntegerField(_("场次"))
    table = models.PositiveSmallIntegerField(_("桌号"))
    score = models.PositiveIntegerField(_("匹配分"))
    mutual = models.BooleanField(_("双向意向"), default=False)
    achievement = models.ForeignKey(
        "catalog.Achievement", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    demand = models.ForeignKey(
        "catalog.Demand", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(_("洽谈结果"), max_length=16, choices=Outcome.choices, blank=True)
    outcome_note = models.CharField(_("结果说明"), max_length=500, blank=True)
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome_at = models.DateTimeField(_("结果登记时间"), null=True, blank=True)
    negotiation = models.ForeignKey(
        "market.Negotiation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["slot", "table"]
        verbose_name = _("一对一洽谈")
        verbose_name_plural = _("一对一洽谈")
        constraints = [
            models.UniqueConstraint(fields=["event", "slot", "table"], name="meeting_table_once_per_slot"),
            models.UniqueConstraint(fields=["event", "first", "slot"], name="meeting_first_once_per_slot"),
            models.UniqueConstraint(fields=["event", "second", "slot"], name="meeting_second_once_per_slot"),
            models.UniqueConstraint(fields=["event", "first", "second"], name="meeting_pair_once"),
            models.CheckConstraint(condition=~Q(first=F("second")), name="meeting_two_sides"),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(outcome__in=Outcome.values), name="meeting_outcome_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_id}:{self.slot + 1}:{self.table}"

    def side_of(self, registration_ids) -> Registration | None:
        if self.first_id in registration_ids:
            return self.first
        if self.second_id in registration_ids:
            return self.second
        return None

    def other(self, registration) -> Registration:
        return self.second if registration.pk == self.first_id else self.first


__all__ = ["Event", "Interest", "InterestLevel", "Meeting", "Registration", "RoadshowSlot"]

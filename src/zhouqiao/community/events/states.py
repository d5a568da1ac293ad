"""Event kinds, statuses and the registration pipeline."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    LAUNCH = "launch", _("成果发布会")
    MATCHMAKING = "matchmaking", _("供需对接会")
    ROADSHOW = "roadshow", _("项目路演会")
    TRAINING = "training", _("培训")


class EventStatus(models.TextChoices):
    PUBLISHED = "published", _("报名中")
    CANCELLED = "cancelled", _("已取消")


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已通过")
    REJECTED = "rejected", _("未通过")
    CANCELLED = "cancelled", _("已取消")


# Who may move a registration where: the organiser decides a pending one; the registrant may
# cancel theirs while it waits or after approval.
TRANSITIONS = {
    RegistrationStatus.PENDING: {
        RegistrationStatus.APPROVED: "organiser",
        RegistrationStatus.REJECTED: "organiser",
        RegistrationStatus.CANCELLED: "registrant",
    },
    RegistrationStatus.APPROVED: {RegistrationStatus.CANCELLED: "registrant"},
    RegistrationStatus.REJECTED: {},
    RegistrationStatus.CANCELLED: {},
}

# A registration holds a seat while it waits and once approved.
HOLDS_SEAT = (RegistrationStatus.PENDING, RegistrationStatus.APPROVED)


class InterestLevel(models.IntegerChoices):
    INTERESTED = 1, _("感兴趣")
    MUST_MEET = 2, _("非常希望洽谈")


class Outcome(models.TextChoices):
    AGREEMENT = "agreement", _("达成初步合作意向")
    FOLLOW_UP = "follow_up", _("有意向，需进一步洽谈")
    NO_INTEREST = "no_interest", _("暂无合作意向")
    ABSENT = "absent", _("对方未到场")

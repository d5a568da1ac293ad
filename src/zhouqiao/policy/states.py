"""Entitlements (兑现) and applications: statuses and who may move them where."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EntitlementStatus(models.TextChoices):
    COMPUTED = "computed", _("待确认")
    CONFIRMED = "confirmed", _("待财务初审")
    FIRST_APPROVED = "first_approved", _("待财务复审")
    APPROVED = "approved", _("待拨付")
    PAID = "paid", _("已拨付")
    REJECTED = "rejected", _("已驳回")
    REVERSED = "reversed", _("已冲销")


class Actor(models.TextChoices):
    BENEFICIARY = "beneficiary", _("受益方")
    FINANCE = "finance", _("财务人员")
    SECOND_FINANCE = "second_finance", _("财务复审人员（不同于初审人）")
    SYSTEM = "system", _("登记撤销")


ENTITLEMENT_TRANSITIONS: dict[str, dict[str, str]] = {
    EntitlementStatus.COMPUTED: {
        EntitlementStatus.CONFIRMED: Actor.BENEFICIARY,
        EntitlementStatus.REJECTED: Actor.FINANCE,
    },
    EntitlementStatus.CONFIRMED: {
        EntitlementStatus.FIRST_APPROVED: Actor.FINANCE,
        EntitlementStatus.REJECTED: Actor.FINANCE,
    },
    EntitlementStatus.FIRST_APPROVED: {
        EntitlementStatus.APPROVED: Actor.SECOND_FINANCE,
        EntitlementStatus.REJECTED: Actor.FINANCE,
    },
    EntitlementStatus.APPROVED: {EntitlementStatus.PAID: Actor.FINANCE},
}
REASON_REQUIRED = {EntitlementStatus.REJECTED}
# The verbs of the pages and the API.
ENTITLEMENT_ACTIONS = {
    "confirm": EntitlementStatus.CONFIRMED,
    "approve1": EntitlementStatus.FIRST_APPROVED,
    "approve2": EntitlementStatus.APPROVED,
    "pay": EntitlementStatus.PAID,
    "reject": EntitlementStatus.REJECTED,
}
# A reversed registration reverses every entitlement that is not already rejected or reversed.
REVERSIBLE = {
    EntitlementStatus.COMPUTED,
    EntitlementStatus.CONFIRMED,
    EntitlementStatus.FIRST_APPROVED,
    EntitlementStatus.APPROVED,
    EntitlementStatus.PAID,
}


class LedgerKind(models.TextChoices):
    GRANT = "grant", _("核定")
    RELEASE = "release", _("冲销")
    PAYMENT = "payment", _("拨付")
    RECOVERY = "recovery", _("追回")


class ApplicationStatus(models.TextChoices):
    INVITED = "invited", _("可申请")
    SUBMITTED = "submitted", _("待评审")
    GRANTED = "granted", _("已核定")
    REFUSED = "refused", _("未获支持")
    WITHDRAWN = "withdrawn", _("已撤销")

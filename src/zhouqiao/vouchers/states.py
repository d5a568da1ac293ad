"""Innovation vouchers: categories, statuses and who may move them where."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceCategory(models.TextChoices):
    """The professional services a voucher may buy (seed 001#23)."""

    RESEARCH = "research_development", _("研究开发")
    TESTING = "testing", _("检验检测")
    EVALUATION = "evaluation", _("科技评估评价")
    CONSULTING = "consulting", _("科技咨询")
    COMPREHENSIVE = "comprehensive", _("综合科技服务")


class CertificationKind(models.TextChoices):
    """Certifications that make an enterprise eligible (seed 001#23)."""

    HIGH_TECH = "high_tech", _("高新技术企业")
    TECH_SME = "tech_sme", _("科技型中小企业")


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待审核")
    APPROVED = "approved", _("已批准")
    RETURNED = "returned", _("已退回")
    WITHDRAWN = "withdrawn", _("已撤回")


class VoucherStatus(models.TextChoices):
    ACTIVE = "active", _("有效")
    EXPIRED = "expired", _("已过期")
    REVOKED = "revoked", _("已作废")


class VoucherSource(models.TextChoices):
    """Why a voucher was issued: an application, or a subsidy paid as a voucher (001#20)."""

    APPLICATION = "application", _("企业申请")
    HIGH_TECH_SUBSIDY = "high_tech_subsidy", _("高新技术企业认定补贴")
    STAFF = "staff", _("主管部门直接发放")


class ServiceStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待审核")
    APPROVED = "approved", _("已入库")
    RETURNED = "returned", _("已退回")


class OrderStatus(models.TextChoices):
    PLACED = "placed", _("已下单")
    DELIVERED = "delivered", _("已交付")
    CLAIMED = "claimed", _("服务机构已申请兑付")
    CONFIRMED = "confirmed", _("企业已确认")
    SETTLED = "settled", _("已结算")
    CANCELLED = "cancelled", _("已取消")


class Actor(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    PROVIDER = "provider", _("服务机构")
    REVIEWER = "reviewer", _("属地审核人员")
    FINANCE = "finance", _("财务审批人员")


APPLICATION_TRANSITIONS: dict[str, dict[str, str]] = {
    ApplicationStatus.SUBMITTED: {
        ApplicationStatus.APPROVED: Actor.REVIEWER,
        ApplicationStatus.RETURNED: Actor.REVIEWER,
        ApplicationStatus.WITHDRAWN: Actor.ENTERPRISE,
    },
    ApplicationStatus.RETURNED: {ApplicationStatus.SUBMITTED: Actor.ENTERPRISE},
}

SERVICE_TRANSITIONS: dict[str, dict[str, str]] = {
    ServiceStatus.SUBMITTED: {ServiceStatus.APPROVED: Actor.REVIEWER, ServiceStatus.RETURNED: Actor.REVIEWER},
    ServiceStatus.RETURNED: {ServiceStatus.SUBMITTED: Actor.PROVIDER},
    ServiceStatus.APPROVED: {ServiceStatus.RETURNED: Actor.REVIEWER},
}

# The order pipeline. ``claimed`` (the redemption) and ``settled`` move money and have their own
# services; the table still says who may take each edge.
ORDER_TRANSITIONS: dict[str, dict[str, str]] = {
    OrderStatus.PLACED: {OrderStatus.DELIVERED: Actor.PROVIDER, OrderStatus.CANCELLED: Actor.ENTERPRISE},
    OrderStatus.DELIVERED: {OrderStatus.CLAIMED: Actor.PROVIDER},
    OrderStatus.CLAIMED: {OrderStatus.CONFIRMED: Actor.ENTERPRISE},
    OrderStatus.CONFIRMED: {OrderStatus.SETTLED: Actor.FINANCE},
}

REASON_REQUIRED = {ApplicationStatus.RETURNED, ServiceStatus.RETURNED}


class EntryKind(models.TextChoices):
    """Ledger movements. Amounts are positive except ``adjust``, which is signed."""

    ALLOCATE = "allocate", _("预算下达")
    ISSUE = "issue", _("发放")
    REDEEM = "redeem", _("兑付申请（核销）")
    SETTLE = "settle", _("结算拨付")
    EXPIRE = "expire", _("过期收回")
    REVOKE = "revoke", _("作废收回")
    ADJUST = "adjust", _("预算调整")

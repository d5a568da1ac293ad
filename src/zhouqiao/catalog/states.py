"""The review workflow shared by achievements and demands (PRODUCT.md capability 2).

    draft ──submit──▶ submitted ──publish──▶ published ──close──▶ closed
                        │   ▲                    │
                 return │   │ resubmit           └──expire (demands, deadline passed)──▶ expired
                        ▼   │
                      returned (edited by the owner)

The owner's organisation (any member) drafts, submits, resubmits and closes; a reviewer
(Duty.REVIEWER) whose jurisdiction covers the record's region publishes or returns it, with a
reason; the scheduler (no person: ``expire-demands``) expires a published demand whose deadline has
passed. Every move is written to the audit trail (core.audit) by ``services.transition``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RecordStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审核")
    RETURNED = "returned", _("已退回")
    PUBLISHED = "published", _("已发布")
    CLOSED = "closed", _("已关闭")
    EXPIRED = "expired", _("已过期")


class DemandCloseReason(models.TextChoices):
    """Why an enterprise closes its demand (asked when it closes it): the three "solved" reasons
    count the demand as met in the indicators (insights ``demands_met``)."""

    PLATFORM_DEAL = "platform_deal", _("已通过平台成交解决")
    CONTRACT = "contract", _("已通过技术合同解决")
    SOLVED_ELSEWHERE = "solved_elsewhere", _("已自行或线下解决")
    NOT_NEEDED = "not_needed", _("不再需要")


DEMAND_SOLVED = (
    DemandCloseReason.PLATFORM_DEAL,
    DemandCloseReason.CONTRACT,
    DemandCloseReason.SOLVED_ELSEWHERE,
)


class Actor(models.TextChoices):
    OWNER = "owner", _("成果/需求所属机构")
    REVIEWER = "reviewer", _("属地审核人员")
    SCHEDULER = "scheduler", _("系统定时任务")


RECORD_TRANSITIONS: dict[str, dict[str, str]] = {
    RecordStatus.DRAFT: {RecordStatus.SUBMITTED: Actor.OWNER},
    RecordStatus.SUBMITTED: {RecordStatus.PUBLISHED: Actor.REVIEWER, RecordStatus.RETURNED: Actor.REVIEWER},
    RecordStatus.RETURNED: {RecordStatus.SUBMITTED: Actor.OWNER},
    RecordStatus.PUBLISHED: {RecordStatus.CLOSED: Actor.OWNER, RecordStatus.EXPIRED: Actor.SCHEDULER},
    RecordStatus.CLOSED: {},
    RecordStatus.EXPIRED: {},
}

# Only demands have a deadline; an achievement never expires.
EXPIRING_KINDS = {"demand"}

# Moves that must say why.
REASON_REQUIRED = {RecordStatus.RETURNED}

# The owner may change the content only while nobody is reviewing it.
EDITABLE = {RecordStatus.DRAFT, RecordStatus.RETURNED}

# Seen by the public (subject to a demand's confidentiality).
PUBLIC = {RecordStatus.PUBLISHED}


class PackageStatus(models.TextChoices):
    DRAFT = "draft", _("编辑中")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤下")


PACKAGE_TRANSITIONS: dict[str, set[str]] = {
    PackageStatus.DRAFT: {PackageStatus.PUBLISHED},
    PackageStatus.PUBLISHED: {PackageStatus.WITHDRAWN},
    PackageStatus.WITHDRAWN: {PackageStatus.PUBLISHED},
}


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("排队中")
    VALIDATING = "validating", _("正在校验")
    INVALID = "invalid", _("校验未通过")
    WRITING = "writing", _("正在写入")
    SUCCEEDED = "succeeded", _("导入完成")
    FAILED = "failed", _("导入失败")


IMPORT_FINISHED = {ImportStatus.INVALID, ImportStatus.SUCCEEDED, ImportStatus.FAILED}

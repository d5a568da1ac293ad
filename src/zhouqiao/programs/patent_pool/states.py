"""Statuses of the patent pool (专利收储与运营, seed 002 §26) and who may move them.

Implementation of a tracked patent::

    watching ──(idle check: ZHOUQIAO_PATENT_IDLE_YEARS after grant, nothing recorded)──▶ idle
    watching / idle ──(owner records an implementation, or a registered contract / deal is found)──▶ implemented

An acquisition case (收储案)::

    pending ──officer acquires (price, reason)──▶ acquired   (the patent enters the pool)
    pending ──officer refuses (reason)─────────▶ refused
    pending ──owner withdraws / implementation recorded──▶ withdrawn

A pooled patent::

    held ──officer lists it on the market──▶ listed ──licence or transfer recorded──▶ licensed / transferred
    held / listed ──fees no longer paid──▶ lapsed
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PatentSource(models.TextChoices):
    PROJECT = "project", _("财政资助项目")
    ACHIEVEMENT = "achievement", _("科技成果登记")
    CORPUS = "corpus", _("专利文献库")
    DECLARED = "declared", _("权利人申报")


class Implementation(models.TextChoices):
    WATCHING = "watching", _("观察期内")
    IDLE = "idle", _("未实施")
    IMPLEMENTED = "implemented", _("已实施")


class ImplementationKind(models.TextChoices):
    SELF = "self", _("自行实施")
    LICENCE = "licence", _("许可他人实施")
    TRANSFER = "transfer", _("转让")
    EQUITY = "equity", _("作价入股")


class CaseOrigin(models.TextChoices):
    OFFER = "offer", _("权利人拟放弃")
    IDLE = "idle", _("授权后未实施")


class CaseStatus(models.TextChoices):
    PENDING = "pending", _("待决定")
    ACQUIRED = "acquired", _("已收储")
    REFUSED = "refused", _("不予收储")
    WITHDRAWN = "withdrawn", _("已撤回")


class Actor(models.TextChoices):
    OWNER = "owner", _("专利权人（所属机构成员）")
    OFFICER = "officer", _("辖区项目管理人员")


CASE_TRANSITIONS: dict[str, dict[str, str]] = {
    CaseStatus.PENDING: {
        CaseStatus.ACQUIRED: Actor.OFFICER,
        CaseStatus.REFUSED: Actor.OFFICER,
        CaseStatus.WITHDRAWN: Actor.OWNER,
    },
    CaseStatus.ACQUIRED: {},
    CaseStatus.REFUSED: {},
    CaseStatus.WITHDRAWN: {},
}


class PoolStatus(models.TextChoices):
    HELD = "held", _("在池待运营")
    LISTED = "listed", _("挂牌中")
    LICENSED = "licensed", _("已许可")
    TRANSFERRED = "transferred", _("已转让")
    LAPSED = "lapsed", _("已失效")


POOL_TRANSITIONS: dict[str, set[str]] = {
    PoolStatus.HELD: {PoolStatus.LISTED, PoolStatus.LICENSED, PoolStatus.TRANSFERRED, PoolStatus.LAPSED},
    PoolStatus.LISTED: {PoolStatus.HELD, PoolStatus.LICENSED, PoolStatus.TRANSFERRED, PoolStatus.LAPSED},
    PoolStatus.LICENSED: {PoolStatus.LISTED, PoolStatus.LICENSED, PoolStatus.TRANSFERRED, PoolStatus.LAPSED},
    PoolStatus.TRANSFERRED: set(),
    PoolStatus.LAPSED: set(),
}

# Available to licensees / buyers on the public page.
AVAILABLE = {PoolStatus.HELD, PoolStatus.LISTED, PoolStatus.LICENSED}


class ProceedsKind(models.TextChoices):
    LICENCE = "licence", _("许可费")
    TRANSFER = "transfer", _("转让价款")
    OTHER = "other", _("其他收益")

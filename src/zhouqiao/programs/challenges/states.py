"""揭榜挂帅: the statuses of a challenge (榜单 item), its proposals and milestones, and who may
move a challenge where.

A challenge is posted by an enterprise from one of its published demands (企业出题), or by a
bureau (a government organisation whose member holds the 项目管理 duty) for a public problem.

    draft ──owner──▶ pending_review ──staff──▶ open (征集中) ──staff──▶ reviewing (评审中)
                       │  ▲                      │                       │ owner selects
              staff returns │ owner resubmits    └─staff, no proposals─▶ unawarded (未揭榜)
                       ▼  │                                              ▼
                     returned                                  awarded (已揭榜)
                                                                         │ team reports the first deliverable
                                                                         ▼
                                                               in_progress (攻关中) ──owner, all indicators met──▶ accepted (已验收)

reviewing → unawarded too (owner: no proposal fits, with a reason).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ChallengeStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PENDING_REVIEW = "pending_review", _("待审核")
    RETURNED = "returned", _("已退回")
    OPEN = "open", _("征集中")
    REVIEWING = "reviewing", _("评审中")
    AWARDED = "awarded", _("已揭榜")
    IN_PROGRESS = "in_progress", _("攻关中")
    ACCEPTED = "accepted", _("已验收")
    UNAWARDED = "unawarded", _("未揭榜")


PUBLIC = (
    ChallengeStatus.OPEN,
    ChallengeStatus.REVIEWING,
    ChallengeStatus.AWARDED,
    ChallengeStatus.IN_PROGRESS,
    ChallengeStatus.ACCEPTED,
    ChallengeStatus.UNAWARDED,
)
EDITABLE = (ChallengeStatus.DRAFT, ChallengeStatus.RETURNED)


class Actor(models.TextChoices):
    OWNER = "owner", _("发榜单位")
    STAFF = "staff", _("项目管理人员")
    TEAM = "team", _("揭榜团队")


# {status: {next status: who may move it}}
TRANSITIONS = {
    ChallengeStatus.DRAFT: {ChallengeStatus.PENDING_REVIEW: Actor.OWNER},
    ChallengeStatus.RETURNED: {ChallengeStatus.PENDING_REVIEW: Actor.OWNER},
    ChallengeStatus.PENDING_REVIEW: {
        ChallengeStatus.OPEN: Actor.STAFF,
        ChallengeStatus.RETURNED: Actor.STAFF,
    },
    ChallengeStatus.OPEN: {
        ChallengeStatus.REVIEWING: Actor.STAFF,
        ChallengeStatus.UNAWARDED: Actor.STAFF,
    },
    ChallengeStatus.REVIEWING: {
        ChallengeStatus.AWARDED: Actor.OWNER,
        ChallengeStatus.UNAWARDED: Actor.OWNER,
    },
    ChallengeStatus.AWARDED: {ChallengeStatus.IN_PROGRESS: Actor.TEAM},
    ChallengeStatus.IN_PROGRESS: {ChallengeStatus.ACCEPTED: Actor.OWNER},
}
REASON_REQUIRED = {ChallengeStatus.RETURNED, ChallengeStatus.UNAWARDED}


class Direction(models.TextChoices):
    AT_LEAST = "ge", _("不低于（≥）")
    AT_MOST = "le", _("不高于（≤）")


class Eligibility(models.TextChoices):
    NATIONWIDE = "nationwide", _("全国范围内已认证的创新主体（谁能干就让谁干）")
    PROVINCE = "province", _("仅限本省已认证的创新主体")


class ProposalStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已提交")
    SELECTED = "selected", _("已揭榜")
    NOT_SELECTED = "not_selected", _("未入选")
    WITHDRAWN = "withdrawn", _("已撤回")


class MilestoneStatus(models.TextChoices):
    PLANNED = "planned", _("待交付")
    REPORTED = "reported", _("待确认")
    ACCEPTED = "accepted", _("已确认")
    RETURNED = "returned", _("已退回")

"""揭榜挂帅 (001#4, 001#27, 000 §2(二)): a challenge (榜单 item) with verifiable indicators, the
teams' proposals with committed values and milestones, the experts' scores, the enterprise's
selection, milestone acceptance and the final market acceptance (市场验收) that triggers the
001#4 subsidy application. Writes go through ``services``; who sees what is in ``selectors``."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhouqiao.accounts.models import Organisation
from zhouqiao.core.models import Region
from zhouqiao.core.money import MoneyField
from zhouqiao.programs.challenges.states import (
    ChallengeStatus,
    Direction,
    Eligibility,
    MilestoneStatus,
    ProposalStatus,
)

VALUE_DIGITS, VALUE_PLACES = 18, 4


def plain(value) -> str:
    """An indicator value as written: 20, 0.15, 99.5 (never 2E+1 or 20.0000)."""
    return format(value.normalize(), "f") if value is not None else ""


class Challenge(models.Model):
    title = models.CharField(_("榜单名称"), max_length=200)
    # The issuer (发榜单位): an enterprise posting one of its demands, or a bureau's own
    # organisation (kind government) for a public problem.
    owner = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="challenges", verbose_name=_("发榜单位")
    )
    demand = models.ForeignKey(
        "catalog.Demand",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="challenges",
        verbose_name=_("来源需求"),
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("所在地区"))
    summary = models.TextField(_("榜单说明（公开）"))
    investment = MoneyField(_("企业先行投入（元）"))
    reward = MoneyField(_("揭榜奖励（元）"))
    deadline = models.DateField(_("揭榜截止日期"))
    completion_date = models.DateField(_("攻关完成期限"))
    eligibility = models.CharField(
        _("揭榜条件"), max_length=16, choices=Eligibility.choices, default=Eligibility.NATIONWIDE
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=ChallengeStatus.choices, default=ChallengeStatus.DRAFT
    )
    status_reason = models.TextField(_("审核或决定意见"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"))
    submitted_at = models.DateTimeField(_("提交审核时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_started_at = models.DateTimeField(_("进入评审时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("揭榜决定时间"), null=True, blank=True)
    selection_reason = models.TextField(_("选定理由"), blank=True)
    contract = models.ForeignKey(
        "contracts.Contract",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("技术开发合同"),
    )
    is_sample = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("揭榜挂帅榜单")
        verbose_name_plural = _("揭榜挂帅榜单")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ChallengeStatus.values), name="challenge_status_known"
            ),
            models.CheckConstraint(
                condition=Q(eligibility__in=Eligibility.values), name="challenge_eligibility_known"
            ),
            models.CheckConstraint(condition=Q(investment__gte=0), name="challenge_investment_not_negative"),
            models.CheckConstraint(condition=Q(reward__gte=0), name="challenge_reward_not_negative"),
            models.CheckConstraint(
                condition=Q(completion_date__gte=models.F("deadline")),
                name="challenge_completion_after_deadline",
            ),
        ]
        indexes = [models.Index(fields=["status", "region"])]

    def __str__(self) -> str:
        return self.title

    @property
    def by_bureau(self) -> bool:
        return self.owner.kind == "government"

    @property
    def selected_proposal(self):
        return self.proposals.filter(status=ProposalStatus.SELECTED).first()


class Indicator(models.Model):
    """A verifiable technical indicator: name, target, unit, direction and how it is measured."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="indicators")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("指标名称"), max_length=100)
    target = models.DecimalField(_("目标值"), max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES)
    unit = models.CharField(_("单位"), max_length=20)
    direction = models.CharField(
        _("达标方向"), max_length=2, choices=Direction.choices, default=Direction.AT_LEAST
    )
    method = models.CharField(_("测量方法"), max_length=255)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("技术指标")
        verbose_name_plural = _("技术指标")
        constraints = [
            models.CheckConstraint(condition=~Q(unit=""), name="indicator_unit_required"),
            models.CheckConstraint(
                condition=Q(direction__in=Direction.values), name="indicator_direction_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.get_direction_display()} {self.target} {self.unit}"

    @property
    def target_text(self) -> str:
        return plain(self.target)

    def met_by(self, value) -> bool:
        if self.direction == Direction.AT_MOST:
            return value <= self.target
        return value >= self.target


class ChallengeAttachment(models.Model):
    """A file of the challenge; a confidential one is shown only to the owner's members, the
    program officers of the jurisdiction and the experts invited to review the challenge."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="challenges/%Y/")
    original_name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    confidential = models.BooleanField(_("保密附件"), default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("榜单附件")
        verbose_name_plural = _("榜单附件")

    def __str__(self) -> str:
        return self.original_name


class Proposal(models.Model):
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="proposals")
    lead = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="challenge_proposals", verbose_name=_("牵头单位")
    )
    partners = models.ManyToManyField(
        Organisation, blank=True, related_name="challenge_partnerships", verbose_name=_("联合单位")
    )
    members = models.TextField(_("团队成员"))
    technical_route = models.TextField(_("技术路线"))
    price = MoneyField(_("报价（元）"))
    schedule = models.TextField(_("进度安排"))
    status = models.CharField(
        _("状态"), max_length=16, choices=ProposalStatus.choices, default=ProposalStatus.SUBMITTED
    )
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("提交时间"))
    # 查重: the records most like this proposal when it was submitted, and whether one is a near
    # duplicate ([{"kind", "label", "title", "percent", "near_duplicate", "url"}]).
    duplicate_matches = models.JSONField(default=list, blank=True)
    near_duplicate = models.BooleanField(_("疑似重复"), default=False)
    signature = models.JSONField(default=list, blank=True)  # MinHash of the proposal's text
    is_sample = models.BooleanField(default=False)

    class Meta:
        ordering = ["submitted_at", "pk"]
        verbose_name = _("揭榜方案")
        verbose_name_plural = _("揭榜方案")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ProposalStatus.values), name="proposal_status_known"
            ),
            models.CheckConstraint(condition=Q(price__gte=0), name="proposal_price_not_negative"),
            models.UniqueConstraint(
                fields=["challenge", "lead"],
                condition=~Q(status=ProposalStatus.WITHDRAWN),
                name="proposal_one_per_lead",
            ),
            models.UniqueConstraint(
                fields=["challenge"],
                condition=Q(status=ProposalStatus.SELECTED),
                name="proposal_one_selected",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lead.name}：{self.challenge.title}"

    @property
    def text(self) -> str:
        return f"{self.technical_route}\n{self.schedule}"


class CommittedValue(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="committed")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    value = models.DecimalField(_("承诺值"), max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES)

    class Meta:
        ordering = ["indicator__position", "indicator_id"]
        constraints = [models.UniqueConstraint(fields=["proposal", "indicator"], name="committed_once")]

    def __str__(self) -> str:
        return f"{self.indicator.name} {self.value}"

    @property
    def value_text(self) -> str:
        return plain(self.value)


class Milestone(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="milestones")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("里程碑"), max_length=200)
    deliverable = models.CharField(_("交付物"), max_length=255)
    due_on = models.DateField(_("计划完成日期"))
    status = models.CharField(
        _("状态"), max_length=12, choices=MilestoneStatus.choices, default=MilestoneStatus.PLANNED
    )
    report = models.TextField(_("交付说明"), blank=True)
    reported_at = models.DateTimeField(_("交付时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    decision_reason = models.TextField(_("确认或退回意见"), blank=True)

    class Meta:
        ordering = ["position", "due_on", "pk"]
        verbose_name = _("里程碑")
        verbose_name_plural = _("里程碑")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=MilestoneStatus.values), name="milestone_status_known"
            )
        ]

    def __str__(self) -> str:
        return self.title


class ReviewPanel(models.Model):
    """An expert the program officer picked to review the challenge's proposals."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="panel")
    expert = models.ForeignKey("community.Expert", on_delete=models.PROTECT, related_name="challenge_panels")
    reason = models.CharField(_("遴选理由"), max_length=255, blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField()

    class Meta:
        ordering = ["assigned_at", "pk"]
        verbose_name = _("评审专家")
        verbose_name_plural = _("评审专家")
        constraints = [models.UniqueConstraint(fields=["challenge", "expert"], name="panel_expert_once")]

    def __str__(self) -> str:
        return f"{self.challenge_id}: {self.expert_id}"


class Score(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="scores")
    expert = models.ForeignKey("community.Expert", on_delete=models.PROTECT, related_name="challenge_scores")
    score = models.PositiveSmallIntegerField(_("评分"))
    comment = models.TextField(_("评审意见"))
    scored_at = models.DateTimeField()

    class Meta:
        ordering = ["scored_at", "pk"]
        verbose_name = _("专家评分")
        verbose_name_plural = _("专家评分")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "expert"], name="score_once_per_expert"),
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=100), name="score_0_100"),
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.score}"


class Acceptance(models.Model):
    """The enterprise's final market acceptance (市场验收): a measured value per committed
    indicator; the challenge is accepted only when every indicator passes."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="acceptances")
    number = models.CharField(_("验收编号"), max_length=32, unique=True)
    passed = models.BooleanField(_("验收通过"))
    note = models.TextField(_("验收意见"))
    witness = models.ForeignKey(
        "community.Expert",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("见证专家"),
    )
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    accepted_at = models.DateTimeField(_("验收时间"))
    subsidy_application = models.ForeignKey(
        "policy.Application", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subsidy_note = models.TextField(_("补助申请情况"), blank=True)

    class Meta:
        ordering = ["-accepted_at", "-pk"]
        verbose_name = _("市场验收")
        verbose_name_plural = _("市场验收")

    def __str__(self) -> str:
        return self.number


class Measurement(models.Model):
    acceptance = models.ForeignKey(Acceptance, on_delete=models.CASCADE, related_name="measurements")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    committed = models.DecimalField(_("承诺值"), max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES)
    measured = models.DecimalField(_("实测值"), max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES)
    passed = models.BooleanField(_("达标"))

    class Meta:
        ordering = ["indicator__position", "indicator_id"]
        constraints = [models.UniqueConstraint(fields=["acceptance", "indicator"], name="measurement_once")]

    def __str__(self) -> str:
        return f"{self.indicator.name}: {self.measured}"

    @property
    def committed_text(self) -> str:
        return plain(self.committed)

    @property
    def measured_text(self) -> str:
        return plain(self.measured)


class PanelRecusal(models.Model):
    """A panel expert's withdrawal (申请回避) from a challenge's review, with the reason, asked from
    the proposal that raised the conflict. The same concept as a project call's
    ``programs.Recusal`` (reason, officer told, kept off for good, open until a replacement is
    assigned), kept on its own table because a challenge's panel reviews every competing proposal:
    a conflict with one team is a conflict for the whole challenge (``services.conflicts_of``), so
    the expert leaves the panel and their scores on the challenge are withdrawn."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="recusals")
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="recusals", verbose_name=_("引起回避的方案")
    )
    expert = models.ForeignKey(
        "community.Expert", on_delete=models.PROTECT, related_name="challenge_recusals"
    )
    reason = models.TextField(_("回避理由"))
    recused_at = models.DateTimeField(_("申请回避时间"))
    replaced_at = models.DateTimeField(_("补充专家时间"), null=True, blank=True)

    class Meta:
        ordering = ["recused_at", "pk"]
        verbose_name = _("揭榜评审回避")
        verbose_name_plural = _("揭榜评审回避")
        constraints = [models.UniqueConstraint(fields=["challenge", "expert"], name="challenge_recusal_once")]

    def __str__(self) -> str:
        return f"{self.challenge_id}: {self.expert_id}"

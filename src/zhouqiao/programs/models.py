"""Project calls (科技计划项目申报, issue 18): the call with its guide, eligibility rules and review
rubric as data; applications with partners, team, milestones, budget lines and attachments; the
reviewer assignments and scores; objections during the public notice (公示).

Money is Decimal yuan (``MoneyField``). Scores are Decimal with two places. The rubric is a list of
criteria ``{"name", "weight", "max_score"}`` whose weights sum to 100: a review's total is
Σ score/max × weight, out of 100.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhouqiao.accounts.models import Organisation
from zhouqiao.core.models import Discipline, Industry, Region
from zhouqiao.core.money import MoneyField
from zhouqiao.programs.states import Aggregation, ApplicationStatus, AssignmentRun, CallStatus


class Call(models.Model):
    title = models.CharField(_("指南名称"), max_length=128)
    jurisdiction = models.ForeignKey(Region, on_delete=models.PROTECT, verbose_name=_("主管部门所在地区"))
    guide = models.TextField(_("申报指南"))
    categories = models.JSONField(_("支持方向"), default=list, blank=True)
    budget = MoneyField(_("资助总额"))
    # Eligibility as data (checked by ``services.eligibility_problems``).
    region_prefix = models.CharField(_("申报单位所在地区"), max_length=12, blank=True)
    organisation_kinds = models.JSONField(_("申报单位类型"), default=list, blank=True)
    require_rd_reported = models.BooleanField(_("须已填报研发投入"), default=False)
    opens_at = models.DateTimeField(_("申报开始时间"))
    closes_at = models.DateTimeField(_("申报截止时间"))
    project_start = models.DateField(_("项目执行期开始"))
    project_end = models.DateField(_("项目执行期结束"))
    rubric = models.JSONField(_("评审指标"), default=list)
    blind = models.BooleanField(_("匿名评审"), default=True)
    reviewers_per_application = models.PositiveSmallIntegerField(_("每项评审专家数"), default=5)
    load_cap = models.PositiveSmallIntegerField(_("每位专家评审上限"), default=8)
    aggregation = models.CharField(
        _("汇总规则"), max_length=16, choices=Aggregation.choices, default=Aggregation.TRIMMED
    )
    divergence_threshold = models.DecimalField(
        _("分歧提示阈值（分）"), max_digits=5, decimal_places=2, default=20
    )
    objection_days = models.PositiveSmallIntegerField(_("公示期（天）"), default=5)
    post_subsidy = models.BooleanField(_("验收后给予后补助"), default=False)
    status = models.CharField(_("状态"), max_length=16, choices=CallStatus.choices, default=CallStatus.DRAFT)
    notice_starts_at = models.DateTimeField(_("公示开始"), null=True, blank=True)
    notice_ends_at = models.DateTimeField(_("公示截止"), null=True, blank=True)
    assignment_run = models.CharField(
        _("专家分配"), max_length=16, choices=AssignmentRun.choices, default=AssignmentRun.IDLE
    )
    assignment_done = models.PositiveIntegerField(default=0)
    assignment_total = models.PositiveIntegerField(default=0)
    assignment_message = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"))
    is_sample = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        ordering = ["-opens_at", "-pk"]
        verbose_name = _("项目申报指南")
        verbose_name_plural = _("项目申报指南")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=CallStatus.values), name="call_status_known"
            ),
            models.CheckConstraint(condition=models.Q(budget__gt=0), name="call_budget_positive"),
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")), name="call_closes_after_opening"
            ),
            models.CheckConstraint(
                condition=models.Q(project_end__gt=models.F("project_start")), name="call_period_ordered"
            ),
            models.CheckConstraint(
                condition=models.Q(reviewers_per_application__gte=1), name="call_reviewers_positive"
            ),
            models.CheckConstraint(condition=models.Q(load_cap__gte=1), name="call_cap_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def region_id(self) -> str:
        """Where the call's records are filed (audit, scope): the bureau's jurisdiction."""
        return self.jurisdiction_id

    @property
    def assignment_percent(self) -> int:
        return round(100 * self.assignment_done / self.assignment_total) if self.assignment_total else 0

    @property
    def aggregation_rule(self) -> str:
        if self.aggregation == Aggregation.TRIMMED:
            return str(
                _("评审得分为各专家总分的平均值；评审专家不少于5人时，去掉一个最高分和一个最低分后再取平均。")
            )
        return str(_("评审得分为全部专家总分的平均值。"))


class Application(models.Model):
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    lead = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="call_applications", verbose_name=_("申报单位")
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("申报人")
    )
    title = models.CharField(_("项目名称"), max_length=128)
    category = models.CharField(_("支持方向"), max_length=64, blank=True)
    summary = models.TextField(_("项目摘要"))
    plan = models.TextField(_("研究内容与实施方案"))
    keywords = models.CharField(_("关键词"), max_length=255, blank=True)
    discipline = models.ForeignKey(
        Discipline,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("所属学科"),
    )
    industry = models.ForeignKey(
        Industry,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("所属行业"),
    )
    requested_amount = MoneyField(_("申请资助金额"))
    rd_investment = MoneyField(_("上年度研发投入（申报单位自报）"), null=True, blank=True)
    project_start = models.DateField(_("项目开始日期"))
    project_end = models.DateField(_("项目结束日期"))
    status = models.CharField(
        _("状态"), max_length=16, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    status_reason = models.TextField(_("审查意见"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    checked_at = models.DateTimeField(_("形式审查时间"), null=True, blank=True)
    duplicate_flags = models.JSONField(_("查重结果"), default=list, blank=True)
    aggregate_score = models.DecimalField(
        _("评审得分"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    divergent = models.BooleanField(_("评分分歧较大"), default=False)
    approved_amount = MoneyField(_("拟资助金额"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"))
    is_sample = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("项目申报书")
        verbose_name_plural = _("项目申报书")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ApplicationStatus.values), name="application_status_known"
            ),
            models.CheckConstraint(
                condition=models.Q(requested_amount__gt=0), name="application_amount_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(project_end__gt=models.F("project_start")),
                name="application_period_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(approved_amount__isnull=True) | models.Q(approved_amount__gt=0),
                name="application_approved_positive",
            ),
        ]
        indexes = [models.Index(fields=["call", "status"])]

    def __str__(self) -> str:
        return self.title

    @property
    def region_id(self) -> str:
        return self.call.jurisdiction_id

    @property
    def code(self) -> str:
        """The neutral reference a blind reviewer sees (no name, no organisation)."""
        return f"XM{self.call_id:03d}-{self.pk:05d}"


class Partner(models.Model):
    """A partner organisation (合作单位), named from verified organisations."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("合作单位")
    )
    role = models.CharField(_("分工"), max_length=128, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["application", "organisation"], name="partner_once")]

    def __str__(self) -> str:
        return str(self.organisation)


class TeamMember(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="team")
    name = models.CharField(_("姓名"), max_length=64)
    title = models.CharField(_("职称"), max_length=64, blank=True)
    role = models.CharField(_("分工"), max_length=128, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class Milestone(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("节点目标"), max_length=255)
    due = models.DateField(_("完成日期"))

    class Meta:
        ordering = ["due", "pk"]

    def __str__(self) -> str:
        return self.title


class BudgetLine(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="budget_lines")
    item = models.CharField(_("预算科目"), max_length=128)
    amount = MoneyField(_("金额"))

    class Meta:
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="budget_line_positive")]

    def __str__(self) -> str:
        return self.item


class Attachment(models.Model):
    """A file attached to an application. Stored under a server-generated name; the uploader's file
    name is kept as text and shown only to the applicant and staff (blind reviewers get 附件N.ext)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    stored_name = models.CharField(max_length=80)
    original_name = models.CharField(_("文件名"), max_length=255)
    extension = models.CharField(max_length=8)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name

    def neutral_name(self, index: int) -> str:
        return f"附件{index}.{self.extension}"


class ReviewAssignment(models.Model):
    """One expert reviewing one application. ``call`` is kept on the row so that the load cap
    (assignments per expert in the call) is one indexed count."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="assignments")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="assignments")
    expert = models.ForeignKey("community.Expert", on_delete=models.PROTECT, related_name="call_assignments")
    relevance = models.FloatField(_("匹配度"), default=0)
    reason = models.TextField(_("推荐理由"), blank=True)
    assigned_at = models.DateTimeField(_("分配时间"))
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    scores = models.JSONField(_("各项评分"), default=list, blank=True)
    total = models.DecimalField(_("总分"), max_digits=6, decimal_places=2, null=True, blank=True)
    comment = models.TextField(_("评审意见"), blank=True)
    submitted_at = models.DateTimeField(_("评审提交时间"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "expert"], name="review_assignment_once"),
        ]
        indexes = [models.Index(fields=["call", "expert"])]

    def __str__(self) -> str:
        return f"{self.application_id}:{self.expert_id}"


class Recusal(models.Model):
    """An assigned expert's request to withdraw from one application (申请回避), with the reason.
    The assignment is removed when it is made (the expert's load is freed and the application lacks
    a reviewer, so the officer's "补充分配" finds it); this row keeps the expert off that
    application for good and tells the officer until a replacement is assigned."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="recusals")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="recusals")
    expert = models.ForeignKey("community.Expert", on_delete=models.PROTECT, related_name="call_recusals")
    reason = models.TextField(_("回避理由"))
    recused_at = models.DateTimeField(_("申请回避时间"))
    replaced_at = models.DateTimeField(_("补充专家时间"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("评审回避")
        verbose_name_plural = _("评审回避")
        constraints = [models.UniqueConstraint(fields=["application", "expert"], name="recusal_once")]

    def __str__(self) -> str:
        return f"{self.application_id}:{self.expert_id}"


class Objection(models.Model):
    """An objection during the public notice (公示异议): signed in, with a reason; staff answer."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="objections")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("异议理由"))
    created_at = models.DateTimeField(_("提出时间"))
    answer = models.TextField(_("处理意见"), blank=True)
    upheld = models.BooleanField(_("异议成立"), default=False)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.reason[:40]


ZERO = Decimal("0")

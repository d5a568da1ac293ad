"""Funded projects (立项项目): from approval to acceptance and 后补助 (seed 002 §23, 003 #16).

A project carries what was approved (title, undertaker, amount, period, call) so that it stands on
its own — the 立项信息公开 list reads only this table — with its project officer (项目专员制), an
optional supervisor (监理制), milestones (节点目标), disbursements (an append-only list whose sum
never exceeds the approved amount), periodic reports, the mid-term check, the acceptance panel and
the final report (科技报告), public after its embargo date.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhouqiao.accounts.models import Organisation
from zhouqiao.core.models import Region
from zhouqiao.core.money import MoneyField
from zhouqiao.programs.projects.states import (
    AcceptanceConclusion,
    MidTermConclusion,
    MilestoneStatus,
    Opinion,
    ProjectStatus,
)


class ProjectQuerySet(models.QuerySet):
    def public(self):
        """Every approved project is public (立项信息向全社会公开)."""
        return self

    def search(self, keyword: str):
        keyword = (keyword or "").strip()
        if not keyword:
            return self
        return self.filter(
            Q(title__icontains=keyword)
            | Q(undertaker__name__icontains=keyword)
            | Q(call_title__icontains=keyword)
            | Q(keywords__icontains=keyword)
        )

    def reports_public(self, today):
        """Accepted projects whose final report (科技报告) is past its embargo."""
        return self.filter(
            status=ProjectStatus.ACCEPTED, report_public_from__isnull=False, report_public_from__lte=today
        )


class Project(models.Model):
    application = models.OneToOneField(
        "programs.Application",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="project",
        verbose_name=_("立项申请"),
    )
    title = models.CharField(_("项目名称"), max_length=200)
    summary = models.TextField(_("项目简介"), blank=True)
    keywords = models.CharField(_("关键词"), max_length=255, blank=True)
    undertaker = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="funded_projects", verbose_name=_("承担单位")
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("立项部门所在地区")
    )
    call_title = models.CharField(_("所属计划（申报通知）"), max_length=200)
    approved_amount = MoneyField(_("立项资助金额（元）"))
    start_date = models.DateField(_("实施期开始"))
    end_date = models.DateField(_("实施期结束"))
    post_subsidy = models.BooleanField(_("实行后补助"), default=False)
    status = models.CharField(
        _("状态"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.IN_PROGRESS
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="officer_projects",
        verbose_name=_("项目专员"),
    )
    supervisor = models.CharField(_("项目监理"), max_length=200, blank=True)
    mid_term_due = models.DateField(_("中期检查时间"), null=True, blank=True)
    mid_term_conclusion = models.CharField(
        _("中期检查结论"), max_length=12, choices=MidTermConclusion.choices, blank=True
    )
    mid_term_reason = models.TextField(_("中期检查意见"), blank=True)
    mid_term_at = models.DateTimeField(_("中期检查时间"), null=True, blank=True)
    # Final report (科技报告) and acceptance (验收)
    report_title = models.CharField(_("科技报告题名"), max_length=200, blank=True)
    report_abstract = models.TextField(_("科技报告摘要"), blank=True)
    report_body = models.TextField(_("科技报告正文"), blank=True)
    report_submitted_at = models.DateTimeField(_("科技报告提交时间"), null=True, blank=True)
    acceptance_due = models.DateField(_("验收意见截止日期"), null=True, blank=True)
    acceptance_conclusion = models.CharField(
        _("验收结论"), max_length=12, choices=AcceptanceConclusion.choices, blank=True
    )
    acceptance_reason = models.TextField(_("验收意见"), blank=True)
    accepted_at = models.DateTimeField(_("验收时间"), null=True, blank=True)
    report_public_from = models.DateField(_("科技报告公开日期"), null=True, blank=True)
    achievement = models.ForeignKey(
        "catalog.Achievement",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("转化登记的科技成果"),
    )
    created_at = models.DateTimeField(_("立项时间"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_sample = models.BooleanField(_("演示数据"), default=False)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = _("立项项目")
        verbose_name_plural = _("立项项目")
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gt=models.F("start_date")), name="project_period"),
            models.CheckConstraint(condition=Q(approved_amount__gt=0), name="project_amount_positive"),
            models.CheckConstraint(condition=Q(status__in=ProjectStatus.values), name="project_status_known"),
        ]
        indexes = [models.Index(fields=["region", "start_date"]), models.Index(fields=["status"])]

    def __str__(self) -> str:
        return self.title

    @property
    def reference(self) -> str:
        """What the 后补助 application cites as 证书或文件编号: the project's name and the date of its
        acceptance, as a person would write it (the project has no 项目编号; a database id means
        nothing to the finance desk). At most 100 characters (the policy field's length)."""
        from django.utils import timezone

        day = timezone.localdate(self.accepted_at).isoformat() if self.accepted_at else ""
        tail = f"（{day}验收）" if day else "（验收）"
        return f"《{self.title[: 100 - len(tail) - 2]}》{tail}"

    @property
    def claim_references(self) -> tuple[str, str]:
        """The references a 后补助 claim of this project may carry: today's, and the one written
        before the reference became readable (claims made then still count)."""
        return (self.reference, f"立项项目{self.pk}验收")

    def report_is_public(self, today) -> bool:
        return (
            self.status == ProjectStatus.ACCEPTED
            and self.report_public_from is not None
            and self.report_public_from <= today
        )


class Milestone(models.Model):
    """A node target (节点目标): a deliverable due within the period."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    deliverable = models.CharField(_("节点目标与交付物"), max_length=200)
    due_date = models.DateField(_("计划完成日期"))
    status = models.CharField(
        _("状态"), max_length=12, choices=MilestoneStatus.choices, default=MilestoneStatus.PENDING
    )
    reported_at = models.DateTimeField(_("报告时间"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    officer_note = models.TextField(_("专员意见"), blank=True)

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("节点目标")
        verbose_name_plural = _("节点目标")

    def __str__(self) -> str:
        return self.deliverable


class ProgressReport(models.Model):
    """A periodic report (进展报告), or the report of one milestone's deliverable."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="reports")
    milestone = models.ForeignKey(
        Milestone, null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    body = models.TextField(_("报告内容"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("提交时间"))

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("进展报告")
        verbose_name_plural = _("进展报告")

    def __str__(self) -> str:
        return f"{self.project_id}:{self.submitted_at:%Y-%m-%d}"


class Disbursement(models.Model):
    """Money paid to the undertaker (拨付). Append-only; the sum never exceeds the approved amount."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="disbursements")
    amount = MoneyField(_("拨付金额（元）"))
    paid_on = models.DateField(_("拨付日期"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["paid_on", "pk"]
        verbose_name = _("经费拨付")
        verbose_name_plural = _("经费拨付")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="disbursement_positive")]

    def __str__(self) -> str:
        return f"{self.project_id}:{self.amount}"


class PanelMember(models.Model):
    """An acceptance panel expert (验收专家) and their opinion."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="panel")
    expert = models.ForeignKey("community.Expert", on_delete=models.PROTECT, related_name="+")
    opinion = models.CharField(_("验收意见"), max_length=8, choices=Opinion.choices, blank=True)
    comment = models.TextField(_("评价意见"), blank=True)
    invited_at = models.DateTimeField()
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("验收专家")
        verbose_name_plural = _("验收专家")
        constraints = [models.UniqueConstraint(fields=["project", "expert"], name="panel_member_once")]

    def __str__(self) -> str:
        return f"{self.project_id}:{self.expert_id}"

"""The expert registry (专家库), which doubles as the talent database (人才资源库, 003 #28).

An expert is a person with fields (GB/T 13745 disciplines, GB/T 4754 industries), keywords and a
region, who reviews applications and proposals for the S&T bureaus (programs) and whom
enterprises may find through two-way matching. Staff of a jurisdiction invite experts, or a
person applies and staff approve. Declared conflicts (organisations, people) are kept beside the
expert: the reviewer assignment of ``programs`` never gives an expert work they conflict with
(``community.conflicts``).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhouqiao.accounts.models import Organisation
from zhouqiao.core.models import Discipline, Industry, Region


class ExpertStatus(models.TextChoices):
    APPLIED = "applied", _("待审核")
    APPROVED = "approved", _("已入库")
    REJECTED = "rejected", _("未通过")
    SUSPENDED = "suspended", _("已暂停")


class TalentCategory(models.TextChoices):
    """人才资源库 (003 #28): who the person is, for the 双融 posts of 001 #17."""

    RESEARCHER = "researcher", _("科研人员")
    ENGINEER = "engineer", _("工程技术人员")


class TalentAvailability(models.TextChoices):
    OPEN = "open", _("可对接")
    LIMITED = "limited", _("时间有限，可沟通")
    CLOSED = "closed", _("暂不对接")


class Expert(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="expert",
        verbose_name=_("平台账户"),
    )
    name = models.CharField(_("姓名"), max_length=64)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="experts", verbose_name=_("工作单位")
    )
    title = models.CharField(_("职称"), max_length=64, blank=True)
    disciplines = models.ManyToManyField(Discipline, blank=True, verbose_name=_("学科领域"))
    industries = models.ManyToManyField(Industry, blank=True, verbose_name=_("行业领域"))
    keywords = models.CharField(_("关键词"), max_length=255, blank=True)
    profile = models.TextField(_("简介与主要成果"), blank=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, verbose_name=_("所在地区"))
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    email = models.EmailField(_("联系邮箱"), blank=True)
    available = models.BooleanField(_("可参加评审"), default=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=ExpertStatus.choices, default=ExpertStatus.APPLIED
    )
    status_reason = models.TextField(_("审核意见"), blank=True)
    jurisdiction = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("入库管理部门所在地区")
    )
    created_at = models.DateTimeField(_("登记时间"))
    approved_at = models.DateTimeField(_("入库时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("最后更新"), null=True, blank=True)
    is_sample = models.BooleanField(_("演示数据"), default=False)
    # The talent database (人才资源库, 003 #28) and the 双融 posts of 001 #17: a researcher of a
    # university or institute may serve an enterprise as 科技副总, a senior engineer of an
    # enterprise may teach at a university as 产业教授.
    category = models.CharField(
        _("人才类别"), max_length=12, choices=TalentCategory.choices, default=TalentCategory.RESEARCHER
    )
    vice_president = models.BooleanField(_("愿到企业兼任科技副总"), default=False)
    industry_professor = models.BooleanField(_("愿到高校兼职产业教授"), default=False)
    availability = models.CharField(
        _("对接意愿"), max_length=12, choices=TalentAvailability.choices, default=TalentAvailability.OPEN
    )

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("专家")
        verbose_name_plural = _("专家")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ExpertStatus.values), name="expert_status_known"
            ),
            models.CheckConstraint(
                condition=models.Q(category__in=TalentCategory.values), name="expert_category_known"
            ),
            models.CheckConstraint(
                condition=models.Q(availability__in=TalentAvailability.values),
                name="expert_availability_known",
            ),
        ]
        indexes = [models.Index(fields=["status", "available"])]

    def __str__(self) -> str:
        return self.name


class ExpertConflict(models.Model):
    """A conflict the expert declared (申报的回避关系): an organisation, or a person by name."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="declared_conflicts")
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("回避单位"),
    )
    person_name = models.CharField(_("回避人员"), max_length=64, blank=True)
    reason = models.CharField(_("回避原因"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("回避关系")
        verbose_name_plural = _("回避关系")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(organisation__isnull=True, person_name=""),
                name="expert_conflict_names_someone",
            ),
        ]

    def __str__(self) -> str:
        return str(self.organisation or self.person_name)


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("待答复")
    ACCEPTED = "accepted", _("已接受")
    DECLINED = "declined", _("已谢绝")
    WITHDRAWN = "withdrawn", _("已撤回")


class ExpertInvitation(models.Model):
    """Staff ask a person (by their platform account) to join the registry; nobody is entered
    without accepting (and filling or confirming their profile)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="expert_invitations",
        verbose_name=_("受邀账户"),
    )
    jurisdiction = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("邀请部门所在地区")
    )
    note = models.CharField(_("邀请说明"), max_length=255, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("邀请人")
    )
    created_at = models.DateTimeField(_("邀请时间"))
    decided_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    expert = models.ForeignKey(
        Expert, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("专家入库邀请")
        verbose_name_plural = _("专家入库邀请")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=InvitationStatus.values), name="expert_invitation_status_known"
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status="pending"),
                name="expert_invitation_one_pending_per_user",
            ),
        ]

    def __str__(self) -> str:
        return str(self.user)

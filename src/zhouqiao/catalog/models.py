"""Achievement library (可转化科技成果项目库, 001#7) and demand library (企业技术需求清单, 001#4),
achievement packages (成果包, 004#17), attachments and import jobs.

Who may see what is decided in :mod:`zhouqiao.catalog.access` (one place, reused by pages, API,
exports and — later — search snippets and notifications).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhouqiao.accounts.models import Organisation
from zhouqiao.catalog.states import DemandCloseReason, ImportStatus, PackageStatus, RecordStatus
from zhouqiao.core.models import Discipline, Industry, KeyIndustry, PatentClass, Region
from zhouqiao.core.money import MoneyField
from zhouqiao.core.taxonomies import ReadinessLevel


class TransferMode(models.TextChoices):
    """How an achievement changes hands, and how an enterprise will cooperate on a demand."""

    TRANSFER = "transfer", _("转让")
    LICENCE = "licence", _("许可")
    EQUITY = "equity", _("作价入股")
    JOINT_DEVELOPMENT = "joint_development", _("合作开发")
    OTHER = "other", _("其他")


class IPKind(models.TextChoices):
    INVENTION_PATENT = "invention_patent", _("发明专利")
    UTILITY_MODEL = "utility_model", _("实用新型专利")
    DESIGN = "design", _("外观设计专利")
    SOFTWARE_COPYRIGHT = "software_copyright", _("软件著作权")
    PLANT_VARIETY = "plant_variety", _("植物新品种权")
    KNOW_HOW = "know_how", _("技术秘密")


class IPStatus(models.TextChoices):
    FILED = "filed", _("已申请")
    GRANTED = "granted", _("已授权")
    LAPSED = "lapsed", _("已失效")


class PriceKind(models.TextChoices):
    FIXED = "fixed", _("固定价格")
    RANGE = "range", _("价格区间")
    NEGOTIABLE = "negotiable", _("面议")


class Confidentiality(models.TextChoices):
    PUBLIC = "public", _("公开")
    SUMMARY = "summary", _("公开摘要，详情仅对已认证机构可见")
    INVITED = "invited", _("仅对受邀机构可见")


class ModesField(models.CharField):
    """A set of ``TransferMode`` values stored as ``,transfer,licence,`` so that one mode is found
    with ``__contains=",licence,"`` on SQLite and PostgreSQL alike."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 100)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)


MODE_ORDER = tuple(TransferMode.values)


def pack_modes(modes) -> str:
    wanted = set(modes or ())
    chosen = [m for m in MODE_ORDER if m in wanted]
    return f",{','.join(chosen)}," if chosen else ""


def unpack_modes(value: str) -> list[str]:
    return [m for m in (value or "").split(",") if m]


# The modes' labels by value, still lazy (translated when shown): ``TransferMode.choices`` builds a
# new list on every access, and a list page asks for the labels of every row.
_MODE_LABELS = dict(TransferMode.choices)


def mode_labels(value: str) -> list[str]:
    return [str(_MODE_LABELS[m]) for m in unpack_modes(value) if m in _MODE_LABELS]


class CatalogRecord(models.Model):
    """What achievements and demands share: owner, region, classification, contact, workflow."""

    owner = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, verbose_name=_("所属机构"), related_name="+"
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, verbose_name=_("所在地区"), related_name="+")
    title = models.CharField(_("名称"), max_length=200)
    industry = models.ForeignKey(
        Industry,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("所属行业"),
        related_name="+",
    )
    key_industries = models.ManyToManyField(
        KeyIndustry, blank=True, verbose_name=_("重点产业"), related_name="+"
    )
    keywords = models.CharField(
        _("关键词"), max_length=200, blank=True, help_text=_("多个关键词用逗号或顿号分隔")
    )
    contact_name = models.CharField(_("联系人"), max_length=64, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    contact_email = models.EmailField(_("联系邮箱"), blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=RecordStatus.choices, default=RecordStatus.DRAFT
    )
    status_reason = models.TextField(_("审核意见"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"))
    updated_at = models.DateTimeField(_("更新时间"))
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True, db_index=True)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    import_job = models.ForeignKey(
        "catalog.ImportJob", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_sample = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title

    @property
    def keyword_list(self) -> list[str]:
        return split_keywords(self.keywords)


def split_keywords(text: str) -> list[str]:
    for sep in "，、;；|/":
        text = (text or "").replace(sep, ",")
    return [k.strip() for k in text.replace(" ", ",").split(",") if k.strip()]


def _status_known(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(status__in=RecordStatus.values), name=name)


class Achievement(CatalogRecord):
    abstract = models.TextField(_("成果简介"))
    problem = models.TextField(_("解决的问题"), blank=True)
    advantages = models.TextField(_("技术优势（与现有方案比较）"), blank=True)
    scenarios = models.TextField(_("应用场景"), blank=True)
    economics = models.TextField(_("经济性比较（与主流替代方案）"), blank=True)
    readiness = models.PositiveSmallIntegerField(_("技术就绪水平（TRL）"), choices=ReadinessLevel.choices)
    patent_class = models.ForeignKey(
        PatentClass,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("IPC 分类"),
        related_name="+",
    )
    discipline = models.ForeignKey(
        Discipline, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("学科"), related_name="+"
    )
    transfer_modes = ModesField(_("转化方式"))
    price_kind = models.CharField(
        _("价格方式"), max_length=12, choices=PriceKind.choices, default=PriceKind.NEGOTIABLE
    )
    price_min = MoneyField(_("价格（下限，元）"), null=True, blank=True)
    price_max = MoneyField(_("价格（上限，元）"), null=True, blank=True)
    team = models.TextField(_("团队与发明人"), blank=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("科技成果")
        verbose_name_plural = _("科技成果")
        indexes = [models.Index(fields=["status", "region"]), models.Index(fields=["status", "readiness"])]
        constraints = [
            _status_known("achievement_status_known"),
            models.CheckConstraint(
                condition=Q(readiness__gte=1, readiness__lte=9), name="achievement_trl_1_9"
            ),
            models.CheckConstraint(
                condition=(
                    Q(price_kind=PriceKind.NEGOTIABLE, price_min__isnull=True, price_max__isnull=True)
                    | Q(price_kind=PriceKind.FIXED, price_min__isnull=False, price_max=models.F("price_min"))
                    | Q(
                        price_kind=PriceKind.RANGE,
                        price_min__isnull=False,
                        price_max__gt=models.F("price_min"),
                    )
                ),
                name="achievement_price_consistent",
            ),
        ]

    @property
    def mode_labels(self) -> list[str]:
        return mode_labels(self.transfer_modes)


class IntellectualProperty(models.Model):
    achievement = models.ForeignKey(Achievement, on_delete=models.CASCADE, related_name="ip_items")
    kind = models.CharField(_("类型"), max_length=20, choices=IPKind.choices)
    number = models.CharField(_("申请号/登记号"), max_length=64, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=IPStatus.choices, default=IPStatus.GRANTED)
    filed_on = models.DateField(_("申请日"), null=True, blank=True)
    granted_on = models.DateField(_("授权日"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("知识产权")
        verbose_name_plural = _("知识产权")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=IPKind.values), name="ip_kind_known"),
            models.CheckConstraint(condition=Q(status__in=IPStatus.values), name="ip_status_known"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class Demand(CatalogRecord):
    summary = models.TextField(_("需求摘要（公开）"), help_text=_("对所有人公开的简要说明，不要写入保密内容"))
    problem = models.TextField(_("需要解决的问题"))
    indicators = models.TextField(_("需达到的技术指标"), blank=True)
    current_approach = models.TextField(_("目前的做法"), blank=True)
    budget_min = MoneyField(_("预算下限（元）"), null=True, blank=True)
    budget_max = MoneyField(_("预算上限（元）"), null=True, blank=True)
    deadline = models.DateField(_("截止日期"), null=True, blank=True)
    cooperation_modes = ModesField(_("合作方式"))
    confidentiality = models.CharField(
        _("保密级别"), max_length=10, choices=Confidentiality.choices, default=Confidentiality.PUBLIC
    )
    invited = models.ManyToManyField(
        Organisation, through="DemandInvitation", blank=True, related_name="+", verbose_name=_("受邀机构")
    )
    close_reason = models.CharField(
        _("关闭原因"), max_length=20, choices=DemandCloseReason.choices, blank=True, default=""
    )

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("技术需求")
        verbose_name_plural = _("技术需求")
        indexes = [models.Index(fields=["status", "region"]), models.Index(fields=["status", "deadline"])]
        constraints = [
            _status_known("demand_status_known"),
            models.CheckConstraint(
                condition=Q(close_reason__in=["", *DemandCloseReason.values]),
                name="demand_close_reason_known",
            ),
            models.CheckConstraint(
                condition=Q(confidentiality__in=Confidentiality.values), name="demand_confidentiality_known"
            ),
            models.CheckConstraint(
                condition=Q(budget_min__isnull=True)
                | Q(budget_max__isnull=True)
                | Q(budget_max__gte=models.F("budget_min")),
                name="demand_budget_ordered",
            ),
        ]

    @property
    def mode_labels(self) -> list[str]:
        return mode_labels(self.cooperation_modes)


class DemandInvitation(models.Model):
    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="invitations")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    invited_at = models.DateTimeField(_("邀请时间"))

    class Meta:
        verbose_name = _("需求邀请")
        verbose_name_plural = _("需求邀请")
        constraints = [models.UniqueConstraint(fields=["demand", "organisation"], name="invitation_once")]

    def __str__(self) -> str:
        return f"{self.demand_id} → {self.organisation_id}"


class AchievementPackage(models.Model):
    """A curated set of published achievements by key field or theme (成果包, 004#17)."""

    title = models.CharField(_("成果包名称"), max_length=200)
    theme = models.CharField(_("主题"), max_length=200, blank=True)
    key_industry = models.ForeignKey(
        KeyIndustry,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("重点产业"),
        related_name="+",
    )
    description = models.TextField(_("说明"), blank=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, verbose_name=_("发布地区"), related_name="+")
    status = models.CharField(
        _("状态"), max_length=12, choices=PackageStatus.choices, default=PackageStatus.DRAFT
    )
    achievements = models.ManyToManyField(Achievement, through="PackageItem", related_name="packages")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"))
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    is_sample = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("成果包")
        verbose_name_plural = _("成果包")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=PackageStatus.values), name="package_status_known")
        ]

    def __str__(self) -> str:
        return self.title


class PackageItem(models.Model):
    package = models.ForeignKey(AchievementPackage, on_delete=models.CASCADE, related_name="items")
    achievement = models.ForeignKey(Achievement, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["package", "achievement"], name="package_item_once")]

    def __str__(self) -> str:
        return f"{self.package_id}: {self.achievement_id}"


class Attachment(models.Model):
    """A file attached to exactly one achievement or demand, stored under a server-generated name."""

    achievement = models.ForeignKey(
        Achievement, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    demand = models.ForeignKey(
        Demand, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    original_name = models.CharField(_("文件名"), max_length=200)
    stored_name = models.CharField(max_length=100, unique=True)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(achievement__isnull=False, demand__isnull=True)
                    | Q(achievement__isnull=True, demand__isnull=False)
                ),
                name="attachment_one_owner",
            )
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def record(self):
        return self.achievement or self.demand


class ImportKind(models.TextChoices):
    ACHIEVEMENT = "achievement", _("科技成果")
    DEMAND = "demand", _("技术需求")


class ImportJob(models.Model):
    """One uploaded spreadsheet: validated row by row, then written all-or-nothing by a task."""

    kind = models.CharField(_("类型"), max_length=12, choices=ImportKind.choices)
    owner = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, verbose_name=_("所属机构"), related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    original_name = models.CharField(_("文件名"), max_length=200)
    stored_name = models.CharField(max_length=100)
    file_format = models.CharField(max_length=8)
    submit_for_review = models.BooleanField(_("导入后提交审核"), default=False)
    status = models.CharField(
        _("状态"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    total_rows = models.PositiveIntegerField(_("总行数"), default=0)
    checked_rows = models.PositiveIntegerField(_("已校验行数"), default=0)
    written_rows = models.PositiveIntegerField(_("已写入行数"), default=0)
    error_count = models.PositiveIntegerField(_("错误数"), default=0)
    errors = models.JSONField(_("校验报告"), default=list, blank=True)
    message = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("上传时间"))
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.original_name}"

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 100 if self.status in (ImportStatus.SUCCEEDED, ImportStatus.INVALID) else 0
        done = self.checked_rows + self.written_rows
        return min(100, done * 100 // (2 * self.total_rows))

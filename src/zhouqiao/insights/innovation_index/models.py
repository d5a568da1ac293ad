from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhouqiao.insights.innovation_index import framework as fw


class IndexStatus(models.TextChoices):
    OPEN = "open", _("录入中")
    PUBLISHED = "published", _("已发布")


class IndexYear(models.Model):
    """One year of the index. Open: statistics staff enter or import inputs. Published: the inputs,
    the method and the results are frozen, and the inputs workbook is kept for anyone to recompute."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    status = models.CharField(_("状态"), max_length=16, choices=IndexStatus.choices, default=IndexStatus.OPEN)
    normalisation = models.CharField(
        _("标准化方法"),
        max_length=16,
        choices=list(fw.NORMALISATIONS.items()),
        default=fw.DEFAULT_NORMALISATION,
    )
    weights = models.JSONField(_("权重"), default=fw.default_weights)
    demo = models.BooleanField(_("演示数据"), default=False)
    opened_at = models.DateTimeField(_("开放时间"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    inputs_file = models.BinaryField(_("发布的输入数据"), null=True, blank=True, editable=False)
    inputs_sha256 = models.CharField(_("输入数据SHA-256"), max_length=64, blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("指数年度")
        verbose_name_plural = _("指数年度")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=IndexStatus.values), name="index_year_status_known"
            ),
            models.CheckConstraint(
                condition=models.Q(year__gte=2000, year__lte=2100), name="index_year_bounded"
            ),
        ]

    def __str__(self) -> str:
        return _("%(year)s年度县域创新发展指数") % {"year": self.year}

    @property
    def is_published(self) -> bool:
        return self.status == IndexStatus.PUBLISHED


class IndexInput(models.Model):
    """One region's raw inputs for one year: {input code: decimal string, or null when missing}."""

    index_year = models.ForeignKey(IndexYear, on_delete=models.CASCADE, related_name="inputs")
    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    values = models.JSONField(_("输入数据"), default=dict)
    updated_at = models.DateTimeField(_("更新时间"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["index_year", "region_id"]
        constraints = [
            models.UniqueConstraint(fields=["index_year", "region"], name="index_input_one_per_region_year"),
        ]

    def __str__(self) -> str:
        return f"{self.index_year.year} {self.region_id}"


class IndexScore(models.Model):
    """A published result, frozen with its year."""

    index_year = models.ForeignKey(IndexYear, on_delete=models.CASCADE, related_name="scores")
    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(_("指数得分"), max_digits=14, decimal_places=6, null=True, blank=True)
    rank = models.PositiveSmallIntegerField(_("排名"), null=True, blank=True)
    other_rank = models.PositiveSmallIntegerField(_("另一标准化方法下排名"), null=True, blank=True)
    rank_min = models.PositiveSmallIntegerField(_("敏感性最高排名"), null=True, blank=True)
    rank_max = models.PositiveSmallIntegerField(_("敏感性最低排名"), null=True, blank=True)
    pillars = models.JSONField(_("分项得分"), default=dict)
    indicators = models.JSONField(_("指标值"), default=dict)

    class Meta:
        ordering = ["index_year", "rank", "region_id"]
        constraints = [
            models.UniqueConstraint(fields=["index_year", "region"], name="index_score_one_per_region_year"),
        ]

    def __str__(self) -> str:
        return f"{self.index_year.year} {self.region_id} {self.rank}"

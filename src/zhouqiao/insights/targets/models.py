from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TargetActual(models.Model):
    """A staff-entered actual (the official figure) of a seed target for one year, with the document
    it comes from. Targets themselves are data (``data/targets.yaml``); the platform's own part of a
    figure (平台登记部分) is computed when shown, never stored."""

    target_code = models.CharField(_("目标"), max_length=64)
    year = models.PositiveSmallIntegerField(_("年度"))
    value = models.DecimalField(_("实际值"), max_digits=18, decimal_places=4)
    source_document = models.CharField(_("来源文件"), max_length=200)
    note = models.CharField(_("备注"), max_length=500, blank=True)
    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(_("录入时间"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["target_code", "year"]
        verbose_name = _("目标实际值")
        verbose_name_plural = _("目标实际值")
        constraints = [
            models.UniqueConstraint(fields=["target_code", "year"], name="target_actual_one_per_year"),
            models.CheckConstraint(condition=models.Q(value__gte=0), name="target_actual_not_negative"),
            models.CheckConstraint(
                condition=models.Q(year__gte=2000, year__lte=2100), name="target_actual_year_bounded"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target_code} {self.year}"

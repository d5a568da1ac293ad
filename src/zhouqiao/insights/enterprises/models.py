"""Enterprise profiles and the 科技型企业上市后备资源库 (seed 003 #27).

A profile is read from other apps' records (contracts, deals, vouchers, entitlements, instrument
usage); this app stores only what nobody else does: the certifications vouchers does not keep, the
written criteria of each jurisdiction's reserve, and the reviewed reserve list itself.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from zhouqiao.accounts.models import Organisation
from zhouqiao.core.models import Region
from zhouqiao.insights.enterprises.states import OWN_KINDS, CertificationKind, EntryStatus, Figure


class Certification(models.Model):
    """A certificate of a kind vouchers does not keep (专精特新“小巨人”), recorded by staff."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("企业")
    )
    kind = models.CharField(_("认定类型"), max_length=16, choices=CertificationKind.choices)
    number = models.CharField(_("证书编号"), max_length=64)
    valid_from = models.DateField(_("有效期起"))
    valid_until = models.DateField(_("有效期至"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"))

    class Meta:
        ordering = ["-valid_until", "-pk"]
        verbose_name = _("企业资质认定（小巨人等）")
        verbose_name_plural = _("企业资质认定（小巨人等）")
        constraints = [
            models.UniqueConstraint(fields=["kind", "number"], name="profile_certification_number_once"),
            models.CheckConstraint(
                condition=Q(valid_until__gte=F("valid_from")), name="profile_certification_dates"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[str(k) for k in OWN_KINDS]), name="profile_certification_own_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    @property
    def region_id(self) -> str:
        return self.organisation.region_id


class ReserveCriterion(models.Model):
    """One written threshold of a jurisdiction's reserve: an enterprise is proposed as a candidate
    when its profile meets every criterion of the jurisdiction (its own, or else the nearest
    enclosing jurisdiction's)."""

    jurisdiction = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("辖区")
    )
    figure = models.CharField(_("指标"), max_length=24, choices=Figure.choices)
    minimum = models.DecimalField(_("不低于"), max_digits=16, decimal_places=2)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("更新时间"))

    class Meta:
        ordering = ["jurisdiction_id", "figure"]
        verbose_name = _("入库条件")
        verbose_name_plural = _("入库条件")
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "figure"], name="reserve_criterion_once"),
            models.CheckConstraint(condition=Q(minimum__gte=0), name="reserve_criterion_not_negative"),
            models.CheckConstraint(condition=Q(figure__in=Figure.values), name="reserve_criterion_known"),
        ]

    def __str__(self) -> str:
        return f"{self.get_figure_display()} ≥ {self.minimum}"

    @property
    def region_id(self) -> str:
        return self.jurisdiction_id


class ReserveEntry(models.Model):
    """An enterprise on a jurisdiction's reviewed reserve list (added and removed with a reason)."""

    jurisdiction = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("辖区")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("企业")
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=EntryStatus.choices, default=EntryStatus.LISTED
    )
    added_reason = models.TextField(_("入库理由"))
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(_("入库时间"))
    removed_reason = models.TextField(_("移出理由"), blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    removed_at = models.DateTimeField(_("移出时间"), null=True, blank=True)

    class Meta:
        ordering = ["-added_at", "-pk"]
        verbose_name = _("上市后备企业")
        verbose_name_plural = _("上市后备企业")
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "organisation"],
                condition=Q(status=EntryStatus.LISTED),
                name="reserve_entry_listed_once",
            ),
            models.CheckConstraint(
                condition=Q(status__in=EntryStatus.values), name="reserve_entry_status_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} @ {self.jurisdiction_id}"

    @property
    def region_id(self) -> str:
        return self.jurisdiction_id

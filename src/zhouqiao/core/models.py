from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("省")
    CITY = "city", _("市")
    COUNTY = "county", _("县（区）")


class Region(models.Model):
    """An administrative division by its six-digit GB/T 2260 code.

    Codes are hierarchical (``22`` province, ``2201`` city, ``220102`` county), so a region's
    subtree is every code that starts with its ``scope_prefix``: the one mechanism behind
    "staff see only their subtree".
    """

    code = models.CharField(_("区划代码"), max_length=6, primary_key=True)
    name = models.CharField(_("名称"), max_length=64)
    level = models.CharField(_("级别"), max_length=8, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__in=RegionLevel.values), name="region_level_known"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def scope_prefix(self) -> str:
        return scope_prefix(self.code, self.level)

    def contains(self, other_code: str) -> bool:
        return bool(other_code) and other_code.startswith(self.scope_prefix)

    def ancestors(self) -> list["Region"]:
        """From the province down to this region itself."""
        chain, node = [], self
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))

    @property
    def full_name(self) -> str:
        return "".join(r.name for r in self.ancestors() if r.name not in ("市辖区", "县"))


def scope_prefix(code: str, level: str) -> str:
    return {RegionLevel.PROVINCE: code[:2], RegionLevel.CITY: code[:4]}.get(level, code)


class Industry(models.Model):
    """GB/T 4754-2017 national economic industry classification: section, division, group, class."""

    code = models.CharField(_("行业代码"), max_length=4, primary_key=True)
    name = models.CharField(_("名称"), max_length=128)
    level = models.CharField(_("级别"), max_length=8)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("国民经济行业")
        verbose_name_plural = _("国民经济行业")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class PatentClass(models.Model):
    """International Patent Classification down to main groups, with Chinese titles."""

    symbol = models.CharField(_("IPC 分类号"), max_length=16, primary_key=True)
    level = models.CharField(_("级别"), max_length=10)
    title = models.TextField(_("名称"), blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["symbol"]
        verbose_name = _("国际专利分类")
        verbose_name_plural = _("国际专利分类")

    def __str__(self) -> str:
        return f"{self.symbol} {self.title}"


class Discipline(models.Model):
    """GB/T 13745-2009 discipline. ``parent_code`` is plain text: four parents are absent from the
    published table (see data/SOURCES.md), so it cannot be a foreign key."""

    code = models.CharField(_("学科代码"), max_length=7, primary_key=True)
    name = models.CharField(_("名称"), max_length=128)
    level = models.PositiveSmallIntegerField(_("级别"))
    parent_code = models.CharField(_("上级代码"), max_length=7, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("学科")
        verbose_name_plural = _("学科")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class KeyIndustry(models.Model):
    """An industry the seeds name as a priority (汽车, 新材料 …), with the clause that names it and
    the GB/T 4754 divisions it spans."""

    slug = models.SlugField(primary_key=True, max_length=40)
    name = models.CharField(_("名称"), max_length=32, unique=True)
    group = models.CharField(_("类别"), max_length=16)
    clauses = models.CharField(_("政策出处"), max_length=120)
    divisions = models.ManyToManyField(Industry, blank=True, verbose_name=_("对应行业大类"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        verbose_name = _("重点产业")
        verbose_name_plural = _("重点产业")

    def __str__(self) -> str:
        return self.name


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("audit records are append-only")

    def delete(self):
        raise TypeError("audit records are append-only")


class AuditEvent(models.Model):
    """An append-only audit record. Database triggers refuse UPDATE and DELETE on both SQLite and
    PostgreSQL (migration 0002), and the model refuses them before they reach the database."""

    at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("操作人"),
    )
    actor_name = models.CharField(_("操作人账号"), max_length=150, blank=True)
    action = models.CharField(_("动作"), max_length=64, db_index=True)
    target_type = models.CharField(_("对象类型"), max_length=64, blank=True)
    target_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    target_repr = models.CharField(_("对象"), max_length=255, blank=True)
    region_code = models.CharField(_("所属区划"), max_length=6, blank=True, db_index=True)
    before = models.JSONField(_("变更前"), null=True, blank=True)
    after = models.JSONField(_("变更后"), null=True, blank=True)
    ip = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    success = models.BooleanField(_("成功"), default=True)
    reason = models.TextField(_("说明"), blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S%z} {self.actor_name} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("audit records are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("audit records are append-only")


class PrivacyConsent(models.Model):
    """A person's consent to the privacy notice (《个人信息保护法》第十四条): which version of the
    notice, when, from where. Kept like the audit trail: a later version is a new row; withdrawing
    consent is erasing one's personal data (zhouqiao.accounts.privacy)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="privacy_consents"
    )
    notice_version = models.CharField(_("隐私政策版本"), max_length=32)
    given_at = models.DateTimeField(_("同意时间"))
    ip = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)

    class Meta:
        ordering = ["-given_at", "-id"]
        verbose_name = _("个人信息处理同意记录")
        verbose_name_plural = _("个人信息处理同意记录")

    def __str__(self) -> str:
        return f"{self.user_id} {self.notice_version} {self.given_at:%Y-%m-%d}"

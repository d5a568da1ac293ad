"""The search index's documents and their e5 vectors, the synonym list, the fitted semantic model,
saved searches and notifications.

A :class:`SearchDocument` is the *public* view of one published record — the fields an anonymous
visitor may see (catalog.access), segmented. Nothing a stranger may not see is ever written here,
so snippets, facets and match reasons built from it cannot leak confidential text (002#22, 004#17).
Invited-only demands and unpublished records are not in the index at all.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    ACHIEVEMENT = "achievement", _("科技成果")
    DEMAND = "demand", _("技术需求")
    ORGANISATION = "organisation", _("机构")
    PATENT = "patent", _("专利")
    INSTRUMENT = "instrument", _("共享仪器")


# The page of each kind of indexed record (a patent has none).
DETAIL_VIEWS = {
    DocumentKind.ACHIEVEMENT: "catalog:achievement_detail",
    DocumentKind.DEMAND: "catalog:demand_detail",
    DocumentKind.ORGANISATION: "web:organisation_detail",
    DocumentKind.INSTRUMENT: "facilities:instrument",
}


class PriceBand(models.TextChoices):
    """Price (achievements) or budget (demands) bands for the facet, in yuan."""

    NEGOTIABLE = "negotiable", _("面议")
    UNDER_100K = "lt100k", _("10万元以下")
    UNDER_1M = "lt1m", _("10万–100万元")
    UNDER_10M = "lt10m", _("100万–1000万元")
    OVER_10M = "ge10m", _("1000万元以上")


class SearchDocument(models.Model):
    kind = models.CharField(_("类型"), max_length=16, choices=DocumentKind.choices)
    object_id = models.BigIntegerField(_("对象编号"))
    title = models.CharField(_("名称"), max_length=255)
    text = models.TextField(_("公开文本"), blank=True)
    title_terms = models.TextField(blank=True)
    terms = models.TextField(blank=True)
    keywords = models.CharField(max_length=255, blank=True)
    region_code = models.CharField(max_length=6, blank=True, db_index=True)
    industry_code = models.CharField(max_length=4, blank=True)
    patent_class = models.CharField(max_length=16, blank=True)
    discipline_code = models.CharField(max_length=7, blank=True)
    readiness = models.PositiveSmallIntegerField(null=True, blank=True)
    modes = models.CharField(max_length=100, blank=True)
    price_band = models.CharField(max_length=12, blank=True)
    price_min = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    price_max = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    org_id = models.BigIntegerField(null=True, blank=True)
    org_kind = models.CharField(max_length=24, blank=True)
    org_name = models.CharField(max_length=128, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    minhash = models.JSONField(default=list, blank=True)
    indexed_at = models.DateTimeField()

    class Meta:
        db_table = "search_document"
        ordering = ["-published_at", "-id"]
        verbose_name = _("索引文档")
        verbose_name_plural = _("索引文档")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_once"),
            models.CheckConstraint(
                condition=Q(kind__in=DocumentKind.values), name="search_document_kind_known"
            ),
        ]
        indexes = [models.Index(fields=["kind", "published_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.title}"

    def get_absolute_url(self) -> str:
        view = DETAIL_VIEWS.get(self.kind)
        return reverse(view, args=[self.object_id]) if view else ""


class Synonym(models.Model):
    """A synonym group staff maintain: ``terms`` separated by commas, the first is canonical."""

    terms = models.CharField(_("同义词（逗号分隔，第一个为标准词）"), max_length=255)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("同义词")
        verbose_name_plural = _("同义词")

    def __str__(self) -> str:
        return self.terms

    @property
    def members(self) -> list[str]:
        return [t.strip() for t in self.terms.replace("，", ",").split(",") if t.strip()]


class SemanticModelRecord(models.Model):
    """The LSA model fitted from the held documents by ``zhouqiao reindex``."""

    created_at = models.DateTimeField()
    documents = models.PositiveIntegerField()
    payload = models.BinaryField()

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"LSA ({self.documents})"


class SearchEmbedding(models.Model):
    """A document's multilingual-e5-small passage vector (the ``semantic`` extra): float32 bytes and
    the digest of the text it was computed from, so a vector of text since edited is never used."""

    document = models.OneToOneField(
        SearchDocument, on_delete=models.CASCADE, primary_key=True, related_name="embedding"
    )
    digest = models.CharField(max_length=64)
    vector = models.BinaryField()

    class Meta:
        db_table = "search_embedding"

    def __str__(self) -> str:
        return f"e5 {self.document_id}"


class PatentRecord(models.Model):
    """A patent imported from CSV for 查新 (number, title, abstract, IPC, applicant, date)."""

    number = models.CharField(_("专利号"), max_length=32, unique=True)
    title = models.CharField(_("名称"), max_length=255)
    abstract = models.TextField(_("摘要"), blank=True)
    ipc = models.CharField(_("IPC"), max_length=64, blank=True)
    applicant = models.CharField(_("申请人"), max_length=255, blank=True)
    filed_on = models.DateField(_("申请日"), null=True, blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("专利文献")
        verbose_name_plural = _("专利文献")

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class SavedSearch(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("名称"), max_length=100)
    query = models.CharField(_("检索词"), max_length=200, blank=True)
    kind = models.CharField(_("类型"), max_length=16, choices=DocumentKind.choices, blank=True)
    demand_id = models.BigIntegerField(_("订阅的需求"), null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("保存的检索")
        verbose_name_plural = _("保存的检索")

    def __str__(self) -> str:
        return self.name

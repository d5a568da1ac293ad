"""The product's URLs and ``/bench/bare/``: a plain Django view rendering a 20-row table."""

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from zhouqiao.catalog.models import Achievement, RecordStatus
from zhouqiao.urls import handler400, handler403, handler404, handler500  # noqa: F401
from zhouqiao.urls import urlpatterns as product_urlpatterns

TABLE = engines["django"].from_string(
    """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>bare</title></head><body>
<table><thead><tr><th>名称</th><th>发布时间</th><th>就绪水平</th></tr></thead><tbody>
{% for row in rows %}<tr><td>{{ row.title }}</td><td>{{ row.published_at|date:"Y-m-d" }}</td><td>{{ row.readiness }}</td></tr>
{% endfor %}</tbody></table></body></html>"""
)


def bare(request):
    """The baseline: one query for 20 rows of the same table the pages read, one template."""
    rows = (
        Achievement.objects.filter(status=RecordStatus.PUBLISHED)
        .order_by("-published_at", "-pk")
        .values("title", "published_at", "readiness")[:20]
    )
    return HttpResponse(TABLE.render({"rows": rows}, request))


urlpatterns = [path("bench/bare/", bare), *product_urlpatterns]

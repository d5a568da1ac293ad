from django.contrib import admin
from django.urls import include, path

from zhouqiao.api import api
from zhouqiao.ops.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("django-admin/", admin.site.urls),
    path("catalog/", include("zhouqiao.catalog.urls")),
    path("search/", include("zhouqiao.search.urls")),
    path("market/", include("zhouqiao.market.urls")),
    path("contracts/", include("zhouqiao.contracts.urls")),
    path("policy/", include("zhouqiao.policy.urls")),
    path("vouchers/", include("zhouqiao.vouchers.urls")),
    path("facilities/", include("zhouqiao.facilities.urls")),
    path("community/institutions/", include("zhouqiao.community.institutions.urls")),
    path("community/events/", include("zhouqiao.community.events.urls")),
    path("community/", include("zhouqiao.community.urls")),
    path("exchange/", include("zhouqiao.community.exchange.urls")),
    path("insights/index/", include("zhouqiao.insights.innovation_index.urls")),
    path("insights/targets/", include("zhouqiao.insights.targets.urls")),
    path("insights/reports/", include("zhouqiao.insights.reports.urls")),
    path("insights/enterprises/", include("zhouqiao.insights.enterprises.urls")),
    path("insights/", include("zhouqiao.insights.urls")),
    path("programs/challenges/", include("zhouqiao.programs.challenges.urls")),
    path("programs/projects/", include("zhouqiao.programs.projects.urls")),
    path("programs/patent-pool/", include("zhouqiao.programs.patent_pool.urls")),
    path("programs/", include("zhouqiao.programs.urls")),
    path("", include("zhouqiao.notifications.urls")),
    path("", include("zhouqiao.web.urls")),
]

# JSON in the API's error shape under /api/, the Chinese pages elsewhere (zhouqiao.api).
handler400 = "zhouqiao.api.bad_request"
handler403 = "zhouqiao.api.permission_denied"
handler404 = "zhouqiao.api.page_not_found"
handler500 = "zhouqiao.api.server_error"

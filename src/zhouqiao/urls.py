from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from zhouqiao.api import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("django-admin/", admin.site.urls),
    path("", include("zhouqiao.web.urls")),
]

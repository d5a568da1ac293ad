from django.urls import path

from zhouqiao.insights.reports import views

app_name = "annual_reports"

urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("generate/", views.generate, name="generate"),
    path("<int:pk>/", views.report_detail, name="report_detail"),
    path("<int:pk>/unpublish/", views.unpublish, name="unpublish"),
    path("versions/<int:pk>/progress/", views.version_progress, name="version_progress"),
    path("versions/<int:pk>/publish/", views.publish, name="publish"),
    path("versions/<int:pk>/report.<str:fmt>", views.download, name="download"),
]

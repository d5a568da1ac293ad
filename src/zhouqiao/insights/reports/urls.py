from django.urls import path

from zhouqiao.insights.reports import views

app_name = "annual_reports"

urlpatterns = [
    path("", views.report_list, name="report_list"),
]

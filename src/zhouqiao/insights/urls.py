from django.urls import path

from zhouqiao.insights import views

app_name = "insights"

urlpatterns = [
    path("", views.dashboard_view, name="dashboard"),
    path("export/<slug:key>.xlsx", views.export, name="export"),
]

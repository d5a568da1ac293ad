from django.urls import path

from zhouqiao.insights.targets import views

app_name = "targets"

urlpatterns = [
    path("", views.target_list, name="target_list"),
]

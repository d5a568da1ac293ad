from django.urls import path

from zhouqiao.insights.targets import views

app_name = "targets"

urlpatterns = [
    path("", views.target_list, name="target_list"),
    path("<slug:code>/", views.target_detail, name="target_detail"),
]

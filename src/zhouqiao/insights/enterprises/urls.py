from django.urls import path

from zhouqiao.insights.enterprises import views

app_name = "enterprise_profiles"

urlpatterns = [
    path("", views.reserve, name="reserve"),
]

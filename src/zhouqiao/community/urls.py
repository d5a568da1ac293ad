from django.urls import path

from zhouqiao.community import views

app_name = "community"

urlpatterns = [
    path("", views.expert_list, name="expert_list"),
]

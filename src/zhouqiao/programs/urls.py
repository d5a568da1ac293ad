from django.urls import path

from zhouqiao.programs import views

app_name = "programs"

urlpatterns = [
    path("", views.call_list, name="call_list"),
]

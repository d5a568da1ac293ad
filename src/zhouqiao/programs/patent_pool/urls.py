from django.urls import path

from zhouqiao.programs.patent_pool import views

app_name = "patent_pool"

urlpatterns = [
    path("", views.index, name="index"),
]

from django.urls import path

from zhouqiao.insights.innovation_index import views

app_name = "innovation_index"

urlpatterns = [
    path("", views.ranking, name="ranking"),
]

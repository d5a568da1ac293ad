from django.urls import path

from zhouqiao.programs.challenges import views

app_name = "challenges"

urlpatterns = [
    path("", views.board, name="board"),
]

from django.urls import path

from zhouqiao.community.exchange import views

app_name = "exchange"

urlpatterns = [
    path("", views.question_list, name="question_list"),
    path("notices/", views.notice_list, name="notice_list"),
]

from django.urls import path

from zhouqiao.community.exchange import views

app_name = "exchange"

urlpatterns = [
    path("", views.question_list, name="question_list"),
    path("questions/<int:pk>/", views.question_detail, name="question_detail"),
    path("questions/<int:pk>/answer/", views.answer, name="answer"),
    path("questions/<int:pk>/hide/", views.hide, name="hide"),
    path("on/<str:kind>/<str:key>/", views.thread, name="thread"),
    path("on/<str:kind>/<str:key>/ask/", views.ask, name="ask"),
    path("notices/", views.notice_list, name="notice_list"),
    path("notices/new/", views.notice_new, name="notice_new"),
    path("notices/<int:pk>/", views.notice_detail, name="notice_detail"),
    path("notices/<int:pk>/withdraw/", views.notice_withdraw, name="notice_withdraw"),
    path("notices/files/<int:pk>/", views.notice_attachment, name="notice_attachment"),
    path("talks/", views.conversation_list, name="conversation_list"),
    path("talks/<int:pk>/", views.conversation, name="conversation"),
    path("talks/new/<int:expert_pk>/", views.talk_new, name="talk_new"),
]

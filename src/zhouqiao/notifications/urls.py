from django.urls import path

from zhouqiao.notifications import views

app_name = "notifications"

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read/", views.mark_all_read, name="mark_all_read"),
    path("inbox/<int:pk>/open/", views.open_notification, name="open"),
    path("todo/", views.todo, name="todo"),
    path("account/notifications/", views.preferences, name="preferences"),
]

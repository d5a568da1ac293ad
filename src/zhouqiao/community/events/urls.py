from django.urls import path

from zhouqiao.community.events import views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("new/", views.event_new, name="event_new"),
    path("<int:pk>/", views.event_detail, name="event_detail"),
    path("<int:pk>/cancel/", views.event_cancel, name="event_cancel"),
    path("<int:pk>/register/", views.register, name="register"),
    path("<int:pk>/registrations/", views.registrations, name="registrations"),
    path("<int:pk>/roadshow/", views.roadshow_add, name="roadshow_add"),
    path("<int:pk>/meetings/", views.meeting_board, name="meetings"),
    path("<int:pk>/meetings/<slug:action>/", views.meeting_board_action, name="meetings_action"),
    path("<int:pk>/schedule/", views.my_schedule, name="my_schedule"),
    path("<int:pk>/schedule.pdf", views.my_schedule_pdf, name="my_schedule_pdf"),
    path("registrations/<int:pk>/<slug:action>/", views.registration_action, name="registration_action"),
    path("checkin/", views.checkin_lookup, name="checkin_lookup"),
    path("checkin/<str:token>/", views.checkin, name="checkin"),
    path("meeting/<int:pk>/<slug:action>/", views.meeting_action, name="meeting_action"),
]

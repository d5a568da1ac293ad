from django.urls import path

from zhouqiao.facilities import views

app_name = "facilities"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.instrument_new, name="instrument_new"),
    path("i/<int:pk>/", views.instrument, name="instrument"),
    path("i/<int:pk>/maintenance/", views.instrument_maintenance, name="instrument_maintenance"),
    path("bookings/", views.bookings, name="bookings"),
    path("bookings/<int:pk>/", views.booking, name="booking"),
    path("bookings/<int:pk>/<slug:action>/", views.booking_action, name="booking_action"),
    path("evaluation/", views.evaluation, name="evaluation"),
    path("evaluation/export.xlsx", views.evaluation_export, name="evaluation_export"),
]

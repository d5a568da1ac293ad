from django.urls import path

from zhouqiao.community.institutions import views

app_name = "institutions"

urlpatterns = [
    path("", views.institution_list, name="institution_list"),
    path("brokers/", views.broker_list, name="broker_list"),
]

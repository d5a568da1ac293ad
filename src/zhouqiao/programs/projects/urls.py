from django.urls import path

from zhouqiao.programs.projects import views

app_name = "projects"

urlpatterns = [
    path("", views.project_list, name="project_list"),
]

from django.urls import path

from zhouqiao.programs.projects import views

app_name = "projects"

urlpatterns = [
    path("", views.project_list, name="project_list"),
    path("manage/", views.manage_list, name="manage_list"),
    path("<int:pk>/", views.project_detail, name="project_detail"),
    path("<int:pk>/report/", views.public_report, name="public_report"),
    path("<int:pk>/act/<str:action>/", views.project_action, name="project_action"),
    path("milestones/<int:pk>/<str:action>/", views.milestone_action, name="milestone_action"),
]

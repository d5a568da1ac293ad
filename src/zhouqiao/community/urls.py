from django.urls import path

from zhouqiao.community import views, views_talent

app_name = "community"

urlpatterns = [
    path("", views.expert_list, name="expert_list"),
    path("talent/", views_talent.talent_list, name="talent"),
    path("talent/stats/", views_talent.talent_stats, name="talent_stats"),
    path("talent/<int:pk>/edit/", views_talent.talent_edit, name="talent_edit"),
    path("<int:pk>/", views.expert_detail, name="expert_detail"),
    path("<int:pk>/<str:action>/", views.decide, name="decide"),
    path("apply/", views.apply, name="apply"),
    path("me/", views.my_expert, name="my_expert"),
    path("review/", views.review_queue, name="review_queue"),
    path("invite/", views.invite, name="invite"),
    path("invitations/<int:pk>/", views.invitation, name="invitation"),
    path("demand/<int:pk>/", views.demand_experts, name="demand_experts"),
]

from django.urls import path

from zhouqiao.programs.challenges import views

app_name = "challenges"

urlpatterns = [
    path("", views.board, name="board"),
    path("new/", views.challenge_new, name="new"),
    path("<int:pk>/", views.challenge_detail, name="detail"),
    path("<int:pk>/edit/", views.challenge_edit, name="edit"),
    path("<int:pk>/submit/", views.challenge_submit, name="submit"),
    path("<int:pk>/review/<str:decision>/", views.challenge_review, name="review"),
    path("<int:pk>/close/", views.challenge_close, name="close"),
    path("<int:pk>/panel/", views.panel_add, name="panel_add"),
    path("<int:pk>/unawarded/", views.unawarded, name="unawarded"),
    path("<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("<int:pk>/propose/", views.proposal_new, name="propose"),
    path("<int:pk>/acceptance/", views.acceptance_new, name="acceptance"),
    path("<int:pk>/acceptance/<int:acceptance_pk>/subsidy/", views.acceptance_apply, name="acceptance_apply"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal"),
    path("proposals/<int:pk>/score/", views.proposal_score, name="score"),
    path("proposals/<int:pk>/recuse/", views.proposal_recuse, name="recuse"),
    path("proposals/<int:pk>/select/", views.proposal_select, name="select"),
    path("milestones/<int:pk>/report/", views.milestone_report, name="milestone_report"),
    path("milestones/<int:pk>/<str:decision>/", views.milestone_decide, name="milestone_decide"),
]

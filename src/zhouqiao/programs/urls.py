from django.urls import path

from zhouqiao.programs import views

app_name = "programs"

urlpatterns = [
    path("", views.call_list, name="call_list"),
    path("calls/new/", views.call_create, name="call_create"),
    path("calls/<int:pk>/", views.call_detail, name="call_detail"),
    path("calls/<int:pk>/publish/", views.call_publish, name="call_publish"),
    path("calls/<int:pk>/review/", views.call_start_review, name="call_start_review"),
    path("calls/<int:pk>/assign/", views.call_assign, name="call_assign"),
    path("calls/<int:pk>/assign/progress/", views.assignment_progress, name="assignment_progress"),
    path("calls/<int:pk>/approve/", views.call_approve, name="call_approve"),
    path("calls/<int:pk>/notice/", views.call_notice, name="call_notice"),
    path("calls/<int:pk>/establish/", views.call_establish, name="call_establish"),
    path("calls/<int:call_pk>/apply/", views.application_form, name="application_create"),
    path("calls/<int:call_pk>/applications/<int:pk>/edit/", views.application_form, name="application_edit"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("applications/<int:pk>/submit/", views.application_submit, name="application_submit"),
    path("applications/<int:pk>/check/", views.application_check, name="application_check"),
    path("applications/<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("applications/<int:pk>/objections/", views.objection_create, name="objection_create"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("assignments/<int:pk>/swap/", views.assignment_swap, name="assignment_swap"),
    path("assignments/<int:pk>/recuse/", views.assignment_recuse, name="assignment_recuse"),
    path("objections/<int:pk>/answer/", views.objection_answer, name="objection_answer"),
    path("reviews/", views.my_reviews, name="my_reviews"),
    path("reviews/export/", views.my_reviews_export, name="my_reviews_export"),
    path("reviews/<int:pk>/", views.review, name="review"),
]

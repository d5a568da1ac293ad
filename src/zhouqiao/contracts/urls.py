from django.urls import path

from zhouqiao.contracts import views

app_name = "contracts"

urlpatterns = [
    path("", views.contract_list, name="list"),
    path("new/", views.contract_new, name="new"),
    path("register-selected/", views.batch_register, name="batch_register"),
    path("statistics/", views.statistics_page, name="statistics"),
    path("statistics.xlsx", views.statistics_export, name="statistics_export"),
    path("<int:pk>/", views.contract_detail, name="detail"),
    path("<int:pk>/edit/", views.contract_edit, name="edit"),
    path("<int:pk>/attachment/", views.attachment_upload, name="attachment_upload"),
    path("<int:pk>/attachment.pdf", views.attachment_download, name="attachment"),
    path("<int:pk>/certificate/", views.certificate_page, name="certificate_page"),
    path("<int:pk>/certificate.pdf", views.certificate, name="certificate"),
    path("verify/", views.verify_lookup, name="verify_lookup"),
    path("verify/<str:code>/", views.verify, name="verify"),
    path("<int:pk>/<str:action>/", views.contract_transition, name="transition"),
]

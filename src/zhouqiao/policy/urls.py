from django.urls import path

from zhouqiao.policy import views

app_name = "policy"

urlpatterns = [
    path("", views.rules, name="rules"),
    path("calculator/", views.calculator, name="calculator"),
    path("rules/<str:rule_id>/history/", views.rule_history, name="rule_history"),
    path("parameters/", views.change_list, name="changes"),
    path("parameters/new/", views.change_new, name="change_new"),
    path("parameters/<int:pk>/", views.change_detail, name="change_detail"),
    path("parameters/<int:pk>/<str:decision>/", views.change_decide, name="change_decide"),
    path("entitlements/", views.entitlement_list, name="entitlements"),
    path("entitlements/<int:pk>/", views.entitlement_detail, name="entitlement_detail"),
    path("finance/", views.finance, name="finance"),
    path("finance/batch/", views.finance_batch, name="finance_batch"),
    path("entitlements/<int:pk>/<str:action>/", views.entitlement_transition, name="entitlement_transition"),
    path("applications/", views.application_list, name="applications"),
    path("applications/new/", views.application_new, name="application_new"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("applications/<int:pk>/submit/", views.application_submit, name="application_submit"),
    path("applications/<int:pk>/attach/", views.application_attach, name="application_attach"),
    path(
        "applications/<int:pk>/files/<int:attachment_pk>/",
        views.application_attachment,
        name="application_attachment",
    ),
    path("applications/<int:pk>/<str:decision>/", views.application_review, name="application_review"),
    path("distribution/", views.distribution_index, name="distribution"),
    path("distribution/new/", views.distribution_new, name="distribution_new"),
    path("distribution/<int:pk>/", views.distribution_detail, name="distribution_detail"),
    path("distribution/<int:pk>/sheet.pdf", views.distribution_sheet, name="distribution_sheet"),
]

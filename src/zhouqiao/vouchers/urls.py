from django.urls import path

from zhouqiao.vouchers import views

app_name = "vouchers"

urlpatterns = [
    path("", views.index, name="index"),
    path("apply/", views.apply, name="apply"),
    path("applications/<int:pk>/", views.application, name="application"),
    path("applications/<int:pk>/<slug:action>/", views.application_action, name="application_action"),
    path("v/<int:pk>/", views.voucher, name="voucher"),
    path("v/<int:pk>/revoke/", views.voucher_revoke, name="voucher_revoke"),
    path("providers/", views.providers, name="providers"),
    path("services/new/", views.service_new, name="service_new"),
    path("services/<int:pk>/edit/", views.service_edit, name="service_edit"),
    path("services/<int:service_pk>/order/", views.order_new, name="order_new"),
    path("services/<int:pk>/<slug:action>/", views.service_action, name="service_action"),
    path("orders/<int:pk>/", views.order, name="order"),
    path("orders/<int:pk>/<slug:action>/", views.order_action, name="order_action"),
    path("office/", views.office, name="office"),
    path("office/certifications/", views.office_certification, name="office_certification"),
    path("office/pools/", views.office_pool, name="office_pool"),
    path("office/pools/<int:pool_pk>/ledger.xlsx", views.ledger_export, name="ledger_export"),
    path("office/pools/<int:pool_pk>/adjust/", views.office_pool_adjust, name="office_pool_adjust"),
    path("office/relations/", views.office_relation, name="office_relation"),
    path(
        "office/certifications/import/",
        views.office_certification_import,
        name="office_certification_import",
    ),
    path("office/certifications/template.xlsx", views.certification_template, name="certification_template"),
]

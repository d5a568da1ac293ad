from django.urls import path

from zhouqiao.catalog import views, views_io

app_name = "catalog"


def _record_urls(kind: str, plural: str):
    k = {"kind": kind}
    return [
        path(f"{plural}/", views.record_list, k, name=f"{kind}_list"),
        path(f"{plural}/new/", views.record_form, k, name=f"{kind}_create"),
        path(f"{plural}/export.xlsx", views_io.export, k, name=f"{kind}_export"),
        path(f"{plural}/template.xlsx", views_io.template_download, k, name=f"{kind}_template"),
        path(f"{plural}/<int:pk>/", views.record_detail, k, name=f"{kind}_detail"),
        path(f"{plural}/<int:pk>/edit/", views.record_form, k, name=f"{kind}_edit"),
        path(f"{plural}/<int:pk>/attachments/", views.attachment_upload, k, name=f"{kind}_attach"),
        path(f"{plural}/<int:pk>/<slug:action>/", views.record_transition, k, name=f"{kind}_transition"),
    ]


urlpatterns = [
    path("demands/<int:pk>/invitations/", views.demand_invite, name="demand_invite"),
    *_record_urls("achievement", "achievements"),
    *_record_urls("demand", "demands"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("attachments/<int:pk>/delete/", views.attachment_delete, name="attachment_delete"),
    path("mine/", views.mine, name="mine"),
    path("review/", views.review_queue, name="review_queue"),
    path("packages/", views.package_list, name="package_list"),
    path("packages/new/", views.package_form, name="package_create"),
    path("packages/<int:pk>/", views.package_detail, name="package_detail"),
    path("packages/<int:pk>/edit/", views.package_form, name="package_edit"),
    path("packages/<int:pk>/<slug:status>/", views.package_transition, name="package_transition"),
    path("import/", views_io.import_upload, name="import"),
    path("import/<int:pk>/", views_io.import_job, name="import_job"),
]

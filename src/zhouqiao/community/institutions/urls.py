from django.urls import path

from zhouqiao.community.institutions import views

app_name = "institutions"

urlpatterns = [
    path("", views.institution_list, name="institution_list"),
    path("brokers/", views.broker_list, name="broker_list"),
    path("brokers/me/", views.my_broker, name="my_broker"),
    path("brokers/<int:pk>/", views.broker_detail, name="broker_detail"),
    path("brokers/<int:pk>/edit/", views.broker_edit, name="broker_edit"),
    path("brokers/<int:pk>/certificate-scan/", views.certificate_scan, name="certificate_scan"),
    path("brokers/<int:pk>/training/", views.add_training, name="add_training"),
    path("brokers/<int:pk>/rate/", views.rate, name="rate"),
    path("brokers/<int:pk>/certificate/<str:action>/", views.decide_certificate, name="decide_certificate"),
    path("filings/", views.filing_queue, name="filing_queue"),
    path("filings/<int:pk>/", views.filing_detail, name="filing_detail"),
    path("filings/<int:pk>/<str:action>/", views.decide_filing, name="decide_filing"),
    path("ranking/", views.ranking, name="ranking"),
    path("ranking/compute/", views.compute_ranking, name="compute_ranking"),
    path("ranking/export/", views.export_ranking, name="export_ranking"),
    path("<int:org_id>/", views.institution_detail, name="institution_detail"),
    path("<int:org_id>/filing/", views.filing_form, name="filing_form"),
    path("<int:org_id>/brokers/new/", views.broker_create, name="broker_create"),
    path("<int:org_id>/reports/<int:year>/", views.report, name="report"),
    path("<int:org_id>/reports/<int:year>/open/", views.open_report, name="open_report"),
    path("<int:org_id>/assess/<int:year>/", views.assess, name="assess"),
]

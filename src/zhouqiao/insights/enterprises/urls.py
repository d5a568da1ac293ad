from django.urls import path

from zhouqiao.insights.enterprises import views

app_name = "enterprise_profiles"

urlpatterns = [
    path("", views.reserve, name="reserve"),
    path("export.xlsx", views.reserve_export, name="reserve_export"),
    path("criteria/", views.criterion_set, name="criterion_set"),
    path("criteria/<int:pk>/delete/", views.criterion_delete, name="criterion_delete"),
    path("entries/", views.entry_add, name="entry_add"),
    path("entries/<int:pk>/remove/", views.entry_remove, name="entry_remove"),
    path("<int:pk>/", views.profile, name="profile"),
    path("<int:pk>/certifications/", views.certification_record, name="certification_record"),
]

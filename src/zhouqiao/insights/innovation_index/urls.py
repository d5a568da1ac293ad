from django.urls import path

from zhouqiao.insights.innovation_index import views

app_name = "innovation_index"

urlpatterns = [
    path("", views.ranking, name="ranking"),
    path("methodology/", views.methodology, name="methodology"),
    path("<int:year>/inputs.xlsx", views.inputs_download, name="inputs_download"),
    path("manage/", views.manage, name="manage"),
    path("manage/open/", views.open_year, name="open_year"),
    path("manage/import/", views.import_inputs, name="import_inputs"),
    path("manage/<int:year>/template.xlsx", views.template_download, name="template_download"),
    path("manage/<int:year>/method/", views.set_method, name="set_method"),
    path("manage/<int:year>/publish/", views.publish, name="publish"),
    path("manage/<int:year>/region/", views.edit_input, name="edit_input"),
]

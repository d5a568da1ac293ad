from django.urls import path

from zhouqiao.search import views, views_alerts, views_novelty, views_synonyms

app_name = "search"

urlpatterns = [
    path("", views.search_page, name="search"),
    path("matches/<slug:kind>/<int:pk>/", views.matches_page, name="matches"),
    path("novelty/", views_novelty.novelty_page, name="novelty"),
    path("novelty/report.pdf", views_novelty.novelty_pdf, name="novelty_pdf"),
    path("novelty/<slug:kind>/<int:pk>/", views_novelty.novelty_record, name="novelty_record"),
    path(
        "novelty/<slug:kind>/<int:pk>/report.pdf", views_novelty.novelty_record_pdf, name="novelty_record_pdf"
    ),
    path("patents/import/", views_novelty.patent_import, name="patent_import"),
    path("saved/", views_alerts.save_search, name="save_search"),
    path("saved/<int:pk>/delete/", views_alerts.delete_saved_search, name="delete_saved_search"),
    path("subscriptions/", views_alerts.subscriptions, name="subscriptions"),
    path("subscribe/demand/<int:demand_id>/", views_alerts.subscribe_demand, name="subscribe_demand"),
    path("synonyms/", views_synonyms.synonym_list, name="synonyms"),
    path("synonyms/add/", views_synonyms.synonym_save, name="synonym_add"),
    path("synonyms/<int:pk>/edit/", views_synonyms.synonym_save, name="synonym_edit"),
    path("synonyms/<int:pk>/delete/", views_synonyms.synonym_delete, name="synonym_delete"),
]

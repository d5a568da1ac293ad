from django.urls import path

from zhouqiao.search import views, views_novelty

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
]

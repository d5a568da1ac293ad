from django.urls import path

from zhouqiao.search import views

app_name = "search"

urlpatterns = [
    path("", views.search_page, name="search"),
    path("matches/<slug:kind>/<int:pk>/", views.matches_page, name="matches"),
]

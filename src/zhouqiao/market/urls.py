from django.urls import path

from zhouqiao.market import views

app_name = "market"

urlpatterns = [
    path("", views.index, name="index"),
    path("listings/<int:pk>/", views.listing_detail, name="listing_detail"),
    path("listings/new/<int:achievement_pk>/", views.listing_create, name="listing_create"),
    path("listings/<int:pk>/<slug:action>/", views.listing_action, name="listing_action"),
    path("auctions/<int:pk>/", views.auction_detail, name="auction_detail"),
    path("auctions/<int:pk>/live/", views.auction_live, name="auction_live"),
    path("auctions/<int:pk>/record/", views.auction_record, name="auction_record"),
    path("auctions/<int:pk>/bid/", views.auction_bid, name="auction_bid"),
    path("auctions/<int:pk>/register/", views.auction_register, name="auction_register"),
    path("auctions/<int:pk>/deposits/<int:registration_pk>/", views.auction_deposit, name="auction_deposit"),
    path("negotiations/", views.negotiation_list, name="negotiation_list"),
    path("negotiations/new/<int:achievement_pk>/", views.negotiation_open, name="negotiation_open"),
    path("negotiations/answer/<int:demand_pk>/", views.negotiation_open, name="demand_answer"),
    path("negotiations/<int:pk>/", views.negotiation_detail, name="negotiation_detail"),
    path("negotiations/<int:pk>/<slug:action>/", views.negotiation_action, name="negotiation_action"),
    path("deals/<int:pk>/", views.deal_detail, name="deal_detail"),
    path("deals/<int:pk>/contract/", views.deal_contract, name="deal_contract"),
    path("oversight/", views.oversight, name="oversight"),
]

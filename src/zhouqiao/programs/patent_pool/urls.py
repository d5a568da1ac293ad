from django.urls import path

from zhouqiao.programs.patent_pool import views

app_name = "patent_pool"

urlpatterns = [
    path("", views.index, name="index"),
    path("patents/<int:pk>/", views.pooled_detail, name="pooled"),
    path("patents/<int:pk>/fees/", views.schedule_fee, name="schedule_fee"),
    path("patents/<int:pk>/fees/<int:fee_id>/paid/", views.pay_fee, name="pay_fee"),
    path("patents/<int:pk>/record/", views.prepare_record, name="prepare_record"),
    path("patents/<int:pk>/listing/", views.list_on_market, name="list_on_market"),
    path("patents/<int:pk>/proceeds/", views.record_proceeds, name="record_proceeds"),
    path("mine/", views.mine, name="mine"),
    path("mine/declare/", views.declare, name="declare"),
    path("mine/<int:pk>/offer/", views.offer, name="offer"),
    path("mine/<int:pk>/implementation/", views.implement, name="implement"),
    path("mine/cases/<int:case_id>/withdraw/", views.withdraw, name="withdraw"),
    path("staff/", views.staff, name="staff"),
    path("staff/cases/<int:pk>/", views.case_detail, name="case"),
    path("staff/cases/<int:pk>/acquire/", views.acquire, name="acquire"),
    path("staff/cases/<int:pk>/refuse/", views.refuse, name="refuse"),
]

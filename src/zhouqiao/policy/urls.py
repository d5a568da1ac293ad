from django.urls import path

from zhouqiao.policy import views

app_name = "policy"

urlpatterns = [
    path("", views.rules, name="rules"),
    path("calculator/", views.calculator, name="calculator"),
    path("entitlements/", views.entitlement_list, name="entitlements"),
    path("entitlements/<int:pk>/<str:action>/", views.entitlement_transition, name="entitlement_transition"),
]

from django.contrib.auth import views as auth_views
from django.urls import path

from zhouqiao.ops.ratelimit import posted, ratelimit
from zhouqiao.web import (
    views,
    views_account,
    views_grants,
    views_organisations,
    views_pickers,
    views_privacy,
)

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("f/<slug:slug>/", views.function_page, name="function"),
    path(
        "login/",
        ratelimit("login", account=posted("username"), failures_only=True)(views_account.LoginView.as_view()),
        name="login",
    ),
    path(
        "login/verify/",
        ratelimit("login", account=views_account.pending_login_account, failures_only=True)(
            views_account.login_verify
        ),
        name="login_verify",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("register/", views.register, name="register"),
    path("privacy/", views_privacy.notice, name="privacy_notice"),
    path("account/privacy/", views_privacy.my_data, name="my_data"),
    path("account/privacy/export.json", views_privacy.export, name="privacy_export"),
    path("account/privacy/erase/", views_privacy.erase, name="privacy_erase"),
    path("workspace/", views.workspace, name="workspace"),
    path("account/password/", views.password_change, name="password_change"),
    path("account/tokens/", views_account.tokens, name="tokens"),
    path("account/tokens/<int:pk>/revoke/", views_account.token_revoke, name="token_revoke"),
    path("account/security/", views_account.two_factor, name="two_factor"),
    path("account/sessions/", views_account.session_list, name="sessions"),
    path("account/sessions/<int:pk>/end/", views_account.session_end, name="session_end"),
    path("account/organisations/", views_account.my_organisations, name="my_organisations"),
    path(
        "account/organisations/<int:pk>/leave/", views_account.organisation_leave, name="organisation_leave"
    ),
    path(
        "account/invitations/<int:pk>/<slug:action>/",
        views_account.invitation_action,
        name="invitation_action",
    ),
    path("organisations/", views.organisations, name="organisations"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<int:pk>/edit/", views_organisations.organisation_edit, name="organisation_edit"),
    path(
        "organisations/<int:pk>/documents/",
        views_organisations.organisation_upload,
        name="organisation_upload",
    ),
    path(
        "organisations/documents/<int:pk>/",
        views_organisations.organisation_document,
        name="organisation_document",
    ),
    path(
        "organisations/documents/<int:pk>/remove/",
        views_organisations.organisation_document_remove,
        name="organisation_document_remove",
    ),
    path("organisations/<int:pk>/members/", views_account.organisation_members, name="organisation_members"),
    path("organisations/<int:pk>/members/join/", views_account.organisation_join, name="organisation_join"),
    path(
        "organisations/<int:pk>/<slug:action>/", views.organisation_transition, name="organisation_transition"
    ),
    path("office/", views.back_office, name="back_office"),
    path("office/verification/", views.verification_queue, name="verification_queue"),
    path("office/grants/", views_grants.staff_grants, name="staff_grants"),
    path("office/grants/<int:pk>/revoke/", views_grants.staff_revoke, name="staff_revoke"),
    path("office/grants/people/", views_grants.person_suggestions, name="person_suggestions"),
    path("office/audit/", views.audit_log, name="audit_log"),
    path("office/audit/export/", views.audit_export, name="audit_export"),
    path("open-data/", views.open_data, name="open_data"),
    path("open-data/<slug:dataset>.<str:fmt>", views.open_data_download, name="open_data_download"),
    path("regions/options/", views.region_children, name="region_options"),
    path("pickers/<slug:vocabulary>/", views_pickers.code_suggestions, name="code_suggestions"),
    path(
        "account/password/reset/",
        ratelimit("password_reset", account=posted("email"))(views_account.PasswordResetRequest.as_view()),
        name="password_reset",
    ),
    path(
        "account/password/reset/sent/", views_account.PasswordResetSent.as_view(), name="password_reset_done"
    ),
    path(
        "account/password/reset/<uidb64>/<token>/",
        views_account.PasswordResetConfirm.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "account/password/reset/done/",
        views_account.PasswordResetComplete.as_view(),
        name="password_reset_complete",
    ),
]

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "zhouqiao.accounts"
    label = "accounts"
    verbose_name = _("机构与账号")

    def ready(self):
        from django.contrib import admin

        from zhouqiao.accounts import signals  # noqa: F401  (connects the session records)

        # Django's admin has its own password-only login form; it would bypass the second factor.
        # Its login page sends people to the portal's sign-in instead (password, then the code).
        admin.site.login = _admin_login


def _admin_login(request, extra_context=None):
    from django.conf import settings
    from django.contrib.auth.views import redirect_to_login
    from django.shortcuts import redirect
    from django.utils.http import url_has_allowed_host_and_scheme

    wanted = request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
        wanted = "/django-admin/"
    if request.user.is_authenticated and request.user.is_staff:
        return redirect(wanted)
    return redirect_to_login(wanted, settings.LOGIN_URL)

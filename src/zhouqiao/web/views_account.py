"""忘记密码: Django's own password-reset flow (token links by e-mail) in the site frame.

The request page answers the same whether the address is registered or not; the new password goes
through ``accounts.recovery.reset_password`` (rules, audit). An axes lock is not lifted by a reset
(see ``accounts.recovery``): the completion page says when the account is still locked.
"""

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN
from django.http import HttpResponseRedirect
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from zhouqiao.accounts import recovery
from zhouqiao.core import clock
from zhouqiao.core.errors import DomainError
from zhouqiao.web.forms import NewPasswordForm, ResetRequestForm


class PasswordResetRequest(auth_views.PasswordResetView):
    template_name = "web/password_reset_form.html"
    email_template_name = "web/password_reset_email.txt"
    subject_template_name = "web/password_reset_subject.txt"
    form_class = ResetRequestForm
    success_url = reverse_lazy("web:password_reset_done")

    @property
    def extra_email_context(self):
        return {"valid_hours": max(1, settings.PASSWORD_RESET_TIMEOUT // 3600)}


class PasswordResetSent(auth_views.PasswordResetDoneView):
    template_name = "web/password_reset_done.html"


class PasswordResetConfirm(auth_views.PasswordResetConfirmView):
    template_name = "web/password_reset_confirm.html"
    form_class = NewPasswordForm
    success_url = reverse_lazy("web:password_reset_complete")

    def form_valid(self, form):
        try:
            user = recovery.reset_password(
                user_id=form.user.pk, new_password=form.cleaned_data["new_password1"], now=clock.now()
            )
        except DomainError as exc:
            for message in (
                (exc.detail or {}).get("new_password1") or (exc.detail or {}).get("password") or [exc.message]
            ):
                form.add_error("new_password1", message)
            return self.form_invalid(form)
        del self.request.session[INTERNAL_RESET_SESSION_TOKEN]
        if AxesProxyHandler.is_locked(self.request, {"username": user.get_username()}):
            minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
            messages.warning(
                self.request,
                _("该账号因连续登录失败仍在锁定中：新密码在锁定期满（最后一次失败后%(n)d分钟）后方可使用。")
                % {"n": minutes},
            )
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetComplete(auth_views.PasswordResetCompleteView):
    template_name = "web/password_reset_complete.html"

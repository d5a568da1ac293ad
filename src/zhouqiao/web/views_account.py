"""Account pages: sign-in with the second factor, 账号安全, API tokens, sessions, and membership by
consent (invitations, requests to join, leaving).

忘记密码: Django's own password-reset flow (token links by e-mail) in the site frame.

The request page answers the same whether the address is registered or not; the new password goes
through ``accounts.recovery.reset_password`` (rules, audit). An axes lock is not lifted by a reset
(see ``accounts.recovery``): the completion page says when the account is still locked.
"""

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zhouqiao.accounts import membership, recovery, scope, selectors, services, sessions, totp
from zhouqiao.accounts.models import InvitationKind, MemberRole, MembershipInvitation, Organisation, User
from zhouqiao.core import clock
from zhouqiao.core.errors import DomainError
from zhouqiao.core.forms import show_domain_error
from zhouqiao.web.forms import NewPasswordForm, ResetRequestForm
from zhouqiao.web.forms_account import CodeForm, InviteForm, JoinForm, RemoveFactorForm, TokenCreateForm


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


# --- Sign-in with the second factor ------------------------------------------------------------

PENDING_LOGIN = "_zq_pending_login"
PENDING_SECONDS = 300
MAX_CODE_FAILURES = 5


class LoginView(auth_views.LoginView):
    """The password first; then, for a person with an authenticator (or who must enrol one), the
    code on a second page. The session is signed in only after both."""

    template_name = "web/login.html"

    def form_valid(self, form):
        user = form.get_user()
        now = clock.now()
        state = totp.login_state(user, now=now)
        if state == totp.LOGIN_OK:
            response = super().form_valid(form)
            if totp.is_required(user) and not totp.is_enrolled(user):
                ends = totp.grace_ends(user, now=now)
                messages.warning(
                    self.request,
                    _("您的职责要求使用动态口令登录，请于%(date)s前在“账号安全”页完成绑定。")
                    % {"date": timezone.localtime(ends).strftime("%Y-%m-%d %H:%M")},
                )
            return response
        self.request.session[PENDING_LOGIN] = {
            "user": user.pk,
            "backend": user.backend,
            "since": now.timestamp(),
            "next": self.get_success_url(),
            "state": state,
            "failures": 0,
        }
        return redirect("web:login_verify")


def _pending_user(request, now):
    pending = request.session.get(PENDING_LOGIN)
    if not pending or now.timestamp() - pending["since"] > PENDING_SECONDS:
        request.session.pop(PENDING_LOGIN, None)
        return None, None
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    return pending, user


def pending_login_account(request) -> str | None:
    """The account a second-step code is typed for (the rate limit of login_verify)."""
    pending = request.session.get(PENDING_LOGIN)
    return f"user:{pending['user']}" if pending else None


def login_verify(request):
    """The second step of signing in: the authenticator's code (or, past the grace period, the
    enrolment of one)."""
    now = clock.now()
    pending, user = _pending_user(request, now)
    if user is None:
        messages.error(request, _("登录已超时，请重新输入用户名和密码。"))
        return redirect("web:login")
    enrolling = pending["state"] == totp.LOGIN_ENROL
    device = totp.start_enrolment(actor=user, now=now) if enrolling else totp.device_of(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        try:
            if enrolling:
                totp.confirm_enrolment(actor=user, code=code, now=now)
                ok = True
            else:
                ok = device is not None and totp.verify_code(device, code, now=now)
        except DomainError:
            ok = False
        if ok:
            del request.session[PENDING_LOGIN]
            login(request, user, backend=pending["backend"])
            if enrolling:
                messages.success(request, _("动态口令已绑定，以后登录时请输入验证器显示的口令。"))
            return redirect(pending["next"] or settings.LOGIN_REDIRECT_URL)
        # A wrong code counts as a failed sign-in (audit trail and the lockout of django-axes).
        user_login_failed.send(
            sender=__name__, credentials={"username": user.get_username()}, request=request
        )
        pending["failures"] += 1
        if pending["failures"] >= MAX_CODE_FAILURES:
            del request.session[PENDING_LOGIN]
            messages.error(request, _("动态口令连续输入错误，请重新登录。"))
            return redirect("web:login")
        request.session[PENDING_LOGIN] = pending
        form.add_error("code", _("动态口令不正确，请输入验证器当前显示的6位数字。"))
    return render(
        request,
        "web/account/login_verify.html",
        {
            "form": form,
            "enrolling": enrolling,
            "qr": totp.qr_svg(device) if enrolling else "",
            "secret": device.secret if enrolling else "",
        },
    )


@login_required
def two_factor(request):
    """账号安全: enrol an authenticator, or remove it (where the duties allow)."""
    user = request.user
    now = clock.now()
    device = totp.device_of(user)
    code_form = CodeForm(request.POST if request.POST.get("action") == "confirm" else None)
    remove_form = RemoveFactorForm(request.POST if request.POST.get("action") == "remove" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "start":
                device = totp.start_enrolment(actor=user, now=now)
            elif action == "confirm" and code_form.is_valid():
                totp.confirm_enrolment(actor=user, code=code_form.cleaned_data["code"], now=now)
                messages.success(request, _("动态口令已绑定，以后登录时请输入验证器显示的口令。"))
                return redirect("web:two_factor")
            elif action == "remove" and remove_form.is_valid():
                totp.remove(actor=user, password=remove_form.cleaned_data["password"], now=now)
                messages.success(request, _("已解除动态口令绑定。"))
                return redirect("web:two_factor")
        except DomainError as exc:
            form = remove_form if action == "remove" else code_form
            for message in (
                (exc.detail or {}).get("code") or (exc.detail or {}).get("password") or [exc.message]
            ):
                form.add_error(None, message)
    pending = device is not None and not device.confirmed
    return render(
        request,
        "web/account/two_factor.html",
        {
            "device": device,
            "pending": pending,
            "qr": totp.qr_svg(device) if pending else "",
            "required": totp.is_required(user),
            "code_form": code_form,
            "remove_form": remove_form,
            "grace_ends": user.totp_required_since + totp.grace() if user.totp_required_since else None,
        },
    )


# --- Personal API tokens -----------------------------------------------------------------------


@login_required
def tokens(request):
    """API 访问令牌: the list, and a new token. A new token's key is shown in the answer to the
    POST that created it, once; it is never put in a message, a cookie or the database."""
    form = TokenCreateForm(request.POST or None)
    new_key = ""
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_key = services.create_api_token(
                actor=request.user,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                days=form.cleaned_data["days"],
                now=clock.now(),
            )
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            form = TokenCreateForm()
    now = clock.now()
    response = render(
        request,
        "web/account/tokens.html",
        {
            "form": form,
            "new_key": new_key,
            "tokens": request.user.api_tokens.filter(revoked_at=None).order_by("-created_at"),
            "now": now,
        },
    )
    if new_key:
        response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request, pk):
    try:
        services.revoke_api_token(actor=request.user, token_id=pk, now=clock.now())
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("令牌已吊销。"))
    return redirect("web:tokens")


# --- Signed-in sessions ------------------------------------------------------------------------


@login_required
def session_list(request):
    now = clock.now()
    return render(
        request,
        "web/account/sessions.html",
        {
            "sessions": sessions.active_sessions(request.user, now=now),
            "current_key": request.session.session_key,
        },
    )


@login_required
@require_POST
def session_end(request, pk):
    if pk == 0:
        count = sessions.end_other_sessions(
            actor=request.user, keep_session_key=request.session.session_key, now=clock.now()
        )
        messages.success(request, _("已结束其他%(n)d个会话。") % {"n": count})
        return redirect("web:sessions")
    try:
        record = sessions.end_session(actor=request.user, login_session_id=pk, now=clock.now())
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("web:sessions")
    if record.session_key == request.session.session_key:
        logout(request)
        return redirect("web:home")
    messages.success(request, _("该会话已结束。"))
    return redirect("web:sessions")


# --- Organisations: membership by consent --------------------------------------------------------


@login_required
def my_organisations(request):
    """我的机构: memberships (and leaving), invitations to answer, one's own requests to join."""
    user = request.user
    pending = list(membership.pending_for_user(user))
    return render(
        request,
        "web/account/organisations.html",
        {
            "memberships": list(selectors.memberships_of(user)),
            "invitations": [i for i in pending if i.kind == InvitationKind.INVITATION],
            "requests": [i for i in pending if i.kind == InvitationKind.REQUEST],
            "admin_of": set(scope.organisation_ids(user, MemberRole.ADMIN)),
        },
    )


@login_required
def organisation_members(request, pk):
    """The people of an organisation: for its members and covering staff; its admins invite here and
    answer requests to join."""
    user = request.user
    org = get_object_or_404(Organisation.objects.visible_to(user).select_related("region"), pk=pk)
    if not (scope.is_member(user, org) or scope.covers(user, org.region_id)):
        raise DjangoPermissionDenied
    is_admin = scope.is_org_admin(user, org)
    form = InviteForm(request.POST or None)
    if request.method == "POST":
        if not is_admin:
            raise DjangoPermissionDenied
        if form.is_valid():
            try:
                invitation = membership.invite_member(
                    actor=user,
                    organisation_id=org.pk,
                    username=form.cleaned_data["username"],
                    role=form.cleaned_data["role"],
                    note=form.cleaned_data["note"],
                    now=clock.now(),
                )
            except DomainError as exc:
                show_domain_error(form, exc)
            else:
                messages.success(
                    request,
                    _("已向%(name)s发出邀请，对方接受后即成为本机构成员。") % {"name": invitation.user},
                )
                return redirect("web:organisation_members", pk=org.pk)
    pending = list(membership.pending_for_organisation(org)) if is_admin else []
    return render(
        request,
        "web/account/organisation_members.html",
        {
            "org": org,
            "is_admin": is_admin,
            "members": org.memberships.select_related("user").order_by("pk"),
            "form": form,
            "invitations": [i for i in pending if i.kind == InvitationKind.INVITATION],
            "requests": [i for i in pending if i.kind == InvitationKind.REQUEST],
        },
    )


@login_required
@require_POST
def organisation_join(request, pk):
    org = get_object_or_404(Organisation.objects.visible_to(request.user), pk=pk)
    form = JoinForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        membership.request_membership(actor=request.user, organisation_id=org.pk, note=note, now=clock.now())
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已提交加入申请，机构管理员批准后您即成为成员。"))
    return redirect("web:organisation_detail", pk=org.pk)


@login_required
@require_POST
def organisation_leave(request, pk):
    try:
        membership.leave_organisation(actor=request.user, organisation_id=pk, now=clock.now())
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("您已退出该机构。"))
    return redirect("web:my_organisations")


INVITATION_ACTIONS = {
    "accept": (membership.accept_invitation, gettext_lazy("已同意，成员关系已生效。")),
    "decline": (membership.decline_invitation, gettext_lazy("已谢绝。")),
    "cancel": (membership.cancel_invitation, gettext_lazy("已撤回。")),
}


@login_required
@require_POST
def invitation_action(request, pk, action):
    user = request.user
    invitation = get_object_or_404(
        MembershipInvitation.objects.filter(
            Q(user=user) | Q(organisation_id__in=scope.organisation_ids(user, MemberRole.ADMIN))
        ),
        pk=pk,
    )
    if action not in INVITATION_ACTIONS:
        raise Http404
    service, success = INVITATION_ACTIONS[action]
    try:
        service(actor=user, invitation_id=invitation.pk, now=clock.now())
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    if invitation.user_id == user.pk:
        return redirect("web:my_organisations")
    return redirect("web:organisation_members", pk=invitation.organisation_id)

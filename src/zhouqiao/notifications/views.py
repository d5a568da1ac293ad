"""The inbox (消息), the to-do list (待办) and the e-mail preferences of the signed-in person."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhouqiao.core import clock
from zhouqiao.core.errors import DomainError
from zhouqiao.notifications import selectors, services
from zhouqiao.notifications.forms import EmailPreferencesForm
from zhouqiao.notifications.models import EmailPreference, Notification


@login_required
def inbox(request):
    unread_only = request.GET.get("unread") == "1"
    page = Paginator(selectors.inbox(request.user, unread_only=unread_only), 20).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/inbox.html", {"page": page, "unread_only": unread_only})


@login_required
@require_POST
def open_notification(request, pk):
    """Mark one message read and go where it points."""
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    services.mark_read(actor=request.user, notification_ids=[notification.pk], now=clock.now())
    if notification.url and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}
    ):
        return redirect(notification.url)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request):
    services.mark_read(actor=request.user, notification_ids=None, now=clock.now())
    return redirect("notifications:inbox")


@login_required
def todo(request):
    return render(
        request, "notifications/todo.html", {"groups": selectors.todos_of_request(request, now=clock.now())}
    )


@login_required
def preferences(request):
    chosen = list(EmailPreference.objects.filter(user=request.user).values_list("kind", flat=True))
    form = EmailPreferencesForm(request.POST or None, initial={"kinds": chosen})
    if request.method == "POST" and form.is_valid():
        try:
            services.set_email_kinds(actor=request.user, kinds=form.cleaned_data["kinds"], now=clock.now())
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("提醒设置已保存。"))
            return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})

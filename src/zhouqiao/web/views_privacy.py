"""The privacy notice and a person's rights over their data (zhouqiao.accounts.privacy):
download a copy (JSON) and erase the account's personal information."""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhouqiao.accounts import privacy
from zhouqiao.core import clock
from zhouqiao.core.errors import DomainError
from zhouqiao.core.models import PrivacyConsent


def notice(request):
    return render(request, "web/privacy/notice.html", {"version": privacy.notice_version()})


@login_required
def my_data(request):
    consents = PrivacyConsent.objects.filter(user=request.user)
    return render(request, "web/privacy/my_data.html", {"consents": consents})


@login_required
def export(request):
    data = privacy.personal_data(user=request.user, now=clock.now())
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="personal-data.json"'
    return response


@login_required
@require_POST
def erase(request):
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("请勾选确认后再注销账号。"))
        return redirect("web:my_data")
    try:
        privacy.erase(actor=request.user, password=request.POST.get("password", ""), now=clock.now())
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("web:my_data")
    logout(request)
    messages.success(request, _("账号已注销，个人信息已删除。依法须保存的记录已去标识化保存。"))
    return redirect("web:home")

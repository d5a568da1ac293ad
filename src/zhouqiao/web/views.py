"""Portal pages: parse → call one service or selector → render."""

import json
from datetime import datetime, time
from itertools import islice

from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseServerError
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_POST

from zhouqiao.accounts import privacy, scope, selectors, services, sessions
from zhouqiao.accounts.models import Duty, Organisation, OrganisationKind
from zhouqiao.catalog import posting
from zhouqiao.core import audit_labels, clock, spreadsheets, uploads
from zhouqiao.core.audit_selectors import audit_events_for
from zhouqiao.core.errors import DomainError
from zhouqiao.core.forms import show_domain_error
from zhouqiao.core.models import Region
from zhouqiao.notifications.selectors import HEADER_COUNT_SECONDS, todos_kept, todos_of_request
from zhouqiao.ops.ratelimit import posted, ratelimit
from zhouqiao.vouchers.selectors import voucher_balance
from zhouqiao.web import home_page, navigation, office
from zhouqiao.web.forms import (
    AuditFilterForm,
    DocumentForm,
    PasswordChangeForm,
    ReasonForm,
    RegistrationForm,
)


def home(request):
    """The portal's front page: headline figures, the newest public records of each function and
    the 发布需求 / 发布成果 buttons. A bounded number of queries (one per block); what every visitor
    sees alike is kept for half a minute (see :mod:`zhouqiao.web.home_page`)."""
    user = request.user
    today = timezone.localdate()
    signed_in = user.is_authenticated
    # Visitors are shown both (through the login form); a signed-in person the ones the service
    # would accept from them (catalog.posting: no bureau, no administrator).
    post_demand = not signed_in or posting.may_post_any(user, posting.DEMAND)
    post_achievement = not signed_in or posting.may_post_any(user, posting.ACHIEVEMENT)
    return render(
        request,
        "web/home.html",
        {
            "figures_html": home_page.figures_html(today=today),
            "blocks_html": home_page.blocks_html(user, today=today, now=clock.now()),
            "tiles": navigation.menu(user),
            "may_post": signed_in,
            "post_demand": post_demand,
            "post_achievement": post_achievement,
            "show_post_buttons": post_demand or post_achievement,
        },
    )


def function_page(request, slug):
    """A function's old address: straight to its working page (or an honest "under construction")."""
    function = navigation.FUNCTIONS_BY_SLUG.get(slug)
    if function is None:
        raise Http404
    if not function.built:
        return render(request, "web/under_construction.html", {"function": function})
    url = navigation.entry_url(function, request.user)
    if url is None:
        raise DjangoPermissionDenied
    return redirect(url)


@ratelimit("register", account=posted("username"))
def register(request):
    form = RegistrationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            user = services.register(
                username=d["username"],
                password=d["password"],
                display_name=d["display_name"],
                phone=d["phone"],
                email=d["email"],
                organisation=form.organisation_data(),
                document=uploads.read_scan(d.get("org_document")),
                now=clock.now(),
            )
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            privacy.record_consent(user=user, now=clock.now())  # the notice version shown on the page
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("注册成功。机构信息已提交属地科技局审核。"))
            return redirect("web:workspace")
    return render(request, "web/register.html", {"form": form})


@login_required
def workspace(request):
    user = request.user
    memberships = scope.memberships(user)
    return render(
        request,
        "web/workspace.html",
        {
            "memberships": memberships,
            "voucher_balances": [
                (m.organisation, voucher_balance(m.organisation))
                for m in memberships
                if m.organisation.kind == OrganisationKind.ENTERPRISE
            ],
            # scope knows (from the request's one read of them) whether there are any to list;
            # each duty with the back-office pages it opens (政策参数调整 for a policy editor).
            "duty_sections": office.sections(
                user,
                list(user.assignments.select_related("jurisdiction").order_by("duty", "jurisdiction_id")),
            )
            if scope.is_government_staff(user)
            else [],
            "may_post_demand": posting.may_post_any(user, posting.DEMAND),
            "may_post_achievement": posting.may_post_any(user, posting.ACHIEVEMENT),
            "may_apply_contract": posting.may_post_any(user, posting.CONTRACT),
            "todos": todos_kept(request, now=clock.now()),
            "todos_keep_seconds": HEADER_COUNT_SECONDS,
            "can_read_audit": scope.can_read_audit(user),
            "token_count": user.api_tokens.filter(revoked_at=None).count(),
        },
    )


@login_required
def password_change(request):
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_password(
                actor=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
                now=clock.now(),
            )
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            old_key = request.session.session_key
            update_session_auth_hash(request, request.user)  # keeps this browser signed in, new key
            sessions.rekey(old_key, request.session.session_key)
            # Other browsers are signed out by the new password; their session records end too.
            sessions.end_other_sessions(
                actor=request.user, keep_session_key=request.session.session_key, now=clock.now()
            )
            messages.success(request, _("密码已修改。"))
            return redirect("web:workspace")
    return render(request, "web/password_change.html", {"form": form, "expired": request.GET.get("expired")})


def organisations(request):
    page = Paginator(
        selectors.organisations_for(
            request.user,
            kind=request.GET.get("kind", ""),
            region_code=request.GET.get("region", ""),
            q=request.GET.get("q", ""),
        ),
        20,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "web/organisations.html",
        {
            "page": page,
            "kinds": OrganisationKind.choices,
            "cities": Region.objects.filter(parent_id="220000"),
        },
    )


def organisation_detail(request, pk):
    org = get_object_or_404(Organisation.objects.visible_to(request.user).select_related("region"), pk=pk)
    insider = scope.is_member(request.user, org) or scope.covers(request.user, org.region_id)
    documents = list(org.documents.all()) if scope.sees_organisation_documents(request.user, org) else None
    can_review = scope.can_review_organisation(request.user, org)
    return render(
        request,
        "web/organisation_detail.html",
        {
            "org": org,
            "insider": insider,
            "can_review": can_review,
            "is_admin": scope.is_org_admin(request.user, org),
            "may_edit": services.may_edit_registration(request.user, org),
            "may_remove": services.may_remove_document(request.user, org, len(documents or ())),
            "documents": documents,
            # the verification's history (submissions, returns with their reasons) for whoever
            # decides or corrects it, once it has more than its first submission
            "history": selectors.verification_history(org) if insider or can_review else [],
            "document_form": DocumentForm(),
            "reason_form": ReasonForm(),
        },
    )


@login_required
def verification_queue(request):
    if not scope.has_duty(request.user, Duty.REVIEWER):
        raise DjangoPermissionDenied
    return render(
        request, "web/verification_queue.html", {"queue": selectors.verification_queue(request.user)}
    )


@login_required
@require_POST
def organisation_transition(request, pk, action):
    org = get_object_or_404(Organisation.objects.visible_to(request.user), pk=pk)
    form = ReasonForm(request.POST)
    form.is_valid()
    move = {"verify": services.verify_organisation, "resubmit": services.resubmit_organisation}
    done = {
        "verify": _("已通过认证：%(name)s。"),
        "return": _("已退回认证申请：%(name)s。机构管理员会收到退回理由。"),
        "resubmit": _("已重新提交认证：%(name)s，请等待属地科技局审核。"),
    }
    try:
        if action == "return":
            services.return_organisation(
                actor=request.user,
                organisation_id=org.pk,
                reason=form.cleaned_data.get("reason", ""),
                now=clock.now(),
            )
        elif action in move:
            move[action](actor=request.user, organisation_id=org.pk, now=clock.now())
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done[action] % {"name": org.name})
    return redirect("web:organisation_detail", pk=org.pk)


@login_required
@require_GET
def back_office(request):
    user = request.user
    if not scope.is_government_staff(user):
        raise DjangoPermissionDenied
    assignments = list(user.assignments.select_related("jurisdiction").order_by("duty", "jurisdiction_id"))
    return render(
        request,
        "web/back_office.html",
        {
            "assignments": assignments,
            "duty_sections": office.sections(user, assignments),
            "todo_groups": todos_of_request(request, now=clock.now()),
            "can_read_audit": scope.can_read_audit(user),
        },
    )


def _audit_query(request):
    form = AuditFilterForm(request.GET or None)
    filters = {}
    if form.is_valid():
        d = form.cleaned_data
        filters = {"action": d["action"], "actor": d["actor"]}
        if d["since"]:
            filters["since"] = timezone.make_aware(datetime.combine(d["since"], time.min))
        if d["until"]:
            filters["until"] = timezone.make_aware(datetime.combine(d["until"], time.max))
    return form, audit_events_for(request.user, **filters)


def _region_names(codes) -> dict[str, str]:
    """Full region names ("长春市朝阳区") for six-digit codes, in one query."""
    codes = {c for c in codes if c}
    wanted = codes | {c[:4] + "00" for c in codes} | {c[:2] + "0000" for c in codes}
    names = dict(Region.objects.filter(code__in=wanted).values_list("code", "name"))
    out = {}
    for code in codes:
        parts = [code[:2] + "0000", code[:4] + "00", code]
        chain = [names.get(c, "") for c in dict.fromkeys(parts)]
        out[code] = "".join(n for n in chain if n and n not in ("市辖区", "县")) or code
    return out


def _in_words(events, regions, batch=500):
    """Audit events with their action, object type, object, region and changes in Chinese (the
    objects' names are looked up a batch at a time: see audit_labels.target_texts)."""
    events = iter(events)
    while chunk := list(islice(events, batch)):
        texts = audit_labels.target_texts(chunk)
        for e in chunk:
            e.action_label = audit_labels.action_label(e.action)
            e.target_type_label = audit_labels.target_type_label(e.target_type)
            e.target_text = texts.get(e.pk, e.target_repr)
            e.region_name = regions.get(e.region_code, "")
            e.changes = audit_labels.changes(e)
            e.actor_display = audit_labels.actor_label(
                e.actor_name, e.actor.display_name if e.actor_id and e.actor else ""
            )
            yield e


@login_required
def audit_log(request):
    if not scope.can_read_audit(request.user):
        raise DjangoPermissionDenied
    form, events = _audit_query(request)
    page = Paginator(events.select_related("actor"), 50).get_page(request.GET.get("page"))
    rows = list(_in_words(page, _region_names(e.region_code for e in page)))
    return render(request, "web/audit_log.html", {"form": form, "page": page, "rows": rows})


@login_required
def audit_export(request):
    """The search as CSV, in words; the codes (action, object type, region) in columns of their own."""
    if not scope.can_read_audit(request.user):
        raise DjangoPermissionDenied
    _form, events = _audit_query(request)  # not "_": that would shadow gettext in this function
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit.csv"'
    response.write("\ufeff")  # so that Excel opens the UTF-8 file as UTF-8
    writer = spreadsheets.csv_writer(response)  # formulas guarded as in the xlsx exports
    writer.writerow(
        [
            _("时间"),
            _("操作人"),
            _("动作"),
            _("动作代码"),
            _("对象类型"),
            _("对象类型代码"),
            _("对象编号"),
            _("对象"),
            _("区划"),
            _("区划代码"),
            _("变更内容"),
            _("变更前"),
            _("变更后"),
            _("来源地址"),
            _("结果"),
            _("说明"),
        ]
    )
    regions = _region_names(events.values_list("region_code", flat=True).distinct())
    for e in _in_words(events.select_related("actor").iterator(chunk_size=2000), regions):
        writer.writerow(
            [
                timezone.localtime(e.at).isoformat(),
                e.actor_display,
                e.action_label,
                e.action,
                e.target_type_label,
                e.target_type,
                e.target_id,
                e.target_text,
                e.region_name,
                e.region_code,
                "；".join(e.changes),
                json.dumps(e.before, ensure_ascii=False) if e.before is not None else "",
                json.dumps(e.after, ensure_ascii=False) if e.after is not None else "",
                e.ip or "",
                _("成功") if e.success else _("失败"),
                e.reason,
            ]
        )
    return response


def open_data(request):
    from zhouqiao.web import opendata

    return render(
        request,
        "web/open_data.html",
        {
            "datasets": list(opendata.DATASETS.values()),
            "statistics_fields": opendata.STATISTICS_FIELDS,
            "statistics_years": opendata.STATISTICS_YEARS,
            "licence": opendata.LICENCE,
        },
    )


def open_data_download(request, dataset, fmt):
    """One dataset as CSV (UTF-8 with BOM, for Excel) or JSON; ``?updated_since=`` (ISO 8601)
    keeps the rows changed since then. ``statistics`` is the aggregate table."""
    from django.core.cache import cache
    from django.utils.dateparse import parse_date, parse_datetime

    from zhouqiao.web import opendata

    if fmt not in ("csv", "json"):
        raise Http404
    since_text = request.GET.get("updated_since", "").strip()[:40]
    since = None
    if since_text:
        since = parse_datetime(since_text) or (
            datetime.combine(parse_date(since_text), time.min) if parse_date(since_text) else None
        )
        if since is None:
            return HttpResponse(_("起始更新时间应为 ISO 8601 日期或时间，例如 2026-01-01。"), status=400)
        if timezone.is_naive(since):
            since = timezone.make_aware(since)
    if dataset == "statistics":
        year = clock.local_date().year - 1
        key = f"opendata:statistics:{year}"
        rows = cache.get(key)
        if rows is None:
            rows = opendata.statistics_rows(year=year)
            cache.set(key, rows, 600)
        fields, title = opendata.STATISTICS_FIELDS, _("统计数据")
    elif dataset in opendata.DATASETS:
        chosen = opendata.DATASETS[dataset]
        rows = list(chosen.rows(updated_since=since, limit=opendata.MAX_DOWNLOAD_ROWS))
        fields, title = chosen.fields, str(chosen.title)
    else:
        raise Http404
    names = [f.name for f in fields]
    if fmt == "json":
        body = {
            "dataset": dataset,
            "title": title,
            "licence": {k: str(v) for k, v in opendata.LICENCE.items()},
            "generated_at": clock.now().isoformat(),
            "fields": [{"name": f.name, "label": str(f.label), "type": f.type} for f in fields],
            "rows": rows,
        }
        response = HttpResponse(
            json.dumps(body, ensure_ascii=False, indent=1), content_type="application/json; charset=utf-8"
        )
    else:
        import io

        stream = io.StringIO()
        stream.write("\ufeff")
        writer = spreadsheets.csv_writer(stream)
        writer.writerow(names)
        for row in rows:
            writer.writerow(["" if row.get(n) is None else row.get(n) for n in names])
        response = HttpResponse(stream.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="zhouqiao-{dataset}.{fmt}"'
    return response


def region_children(request):
    """HTMX/fetch: the options of a region select, for the cascading province → city → county picker
    (``parent=`` empty: the provinces; no ``parent``: the cities of 吉林省)."""
    from zhouqiao.web.widgets import region_label

    parent = request.GET.get("parent", "220000")[:6]
    regions = Region.objects.select_related("parent").order_by("code")
    regions = regions.filter(parent_id=parent) if parent else regions.filter(parent=None)
    options = [(r.code, region_label(r)) for r in regions]
    return render(request, "web/partials/region_options.html", {"options": options})


# --- error pages (handler400/403/404/500 in zhouqiao.urls) ---------------------------------

ERRORS = {
    400: (
        gettext_noop("请求有误"),
        gettext_noop("这个请求无法处理：链接可能不完整，或者提交的内容格式不对。请返回重试。"),
    ),
    403: (
        gettext_noop("您无权访问这个页面"),
        gettext_noop(
            "这个页面只对有相应职责或所属机构的用户开放。如果您认为应当可以访问，请联系本单位管理员或属地科技局。"
        ),
    ),
    404: (
        gettext_noop("页面不存在"),
        gettext_noop("您要找的页面不存在，可能已经删除、改名，或者链接写错了。"),
    ),
}


def _back_url(request) -> str:
    """The page the person came from, if it is on this site (never an outside address)."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}):
        return referer
    return ""


def _error(request, status: int):
    heading, explanation = ERRORS[status]
    return render(
        request,
        "web/errors/error.html",
        {
            "status": status,
            "heading": _(heading),
            "explanation": _(explanation),
            "back_url": _back_url(request),
        },
        status=status,
    )


def bad_request(request, exception=None):
    return _error(request, 400)


def permission_denied(request, exception=None):
    return _error(request, 403)


def page_not_found(request, exception=None):
    return _error(request, 404)


def server_error(request):
    """A page in the site's look that needs no database, no user and no context processor."""
    try:
        html = loader.get_template("web/errors/500.html").render({})
    except Exception:  # noqa: BLE001 — the last resort must not fail in its turn
        html = '<!DOCTYPE html><html lang="zh-CN"><title>服务器出错</title><h1>服务器出错，请稍后再试</h1><p><a href="/">返回首页</a></p></html>'
    return HttpResponseServerError(html)

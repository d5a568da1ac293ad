"""互动交流 / 信息发布 pages: parse → one service or selector → render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Organisation
from zhouqiao.catalog import files
from zhouqiao.community.exchange import rules, services
from zhouqiao.community.exchange.forms import (
    AnswerForm,
    AskForm,
    HideForm,
    MessageForm,
    NoticeFilterForm,
    NoticeForm,
    TalkForm,
)
from zhouqiao.community.exchange.models import (
    Conversation,
    NoticeAttachment,
    NoticeKind,
    Question,
    QuestionStatus,
    TargetKind,
)
from zhouqiao.community.models import Expert, ExpertStatus, TalentAvailability
from zhouqiao.core import clock
from zhouqiao.core.errors import DomainError
from zhouqiao.core.models import Region
from zhouqiao.policy import engine

PAGE_SIZE = 20


def _regions():
    province = Region.objects.filter(code="220000").first()
    rows = [(r.code, r.name) for r in Region.objects.filter(parent_id="220000").order_by("code")]
    return ([(province.code, province.name)] if province else []) + rows


# --- questions ------------------------------------------------------------------------------


def question_list(request):
    user = request.user
    kind = request.GET.get("kind", "")
    status = request.GET.get("status", "")
    rows = rules.visible_questions(user).select_related("region")
    if kind in TargetKind.values:
        rows = rows.filter(kind=kind)
    if status in (QuestionStatus.WAITING, QuestionStatus.ANSWERED):
        rows = rows.filter(status=status)
    page = Paginator(rows.order_by("-asked_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    for q in page.object_list:
        q.url = rules.target_url(q)
    return render(
        request,
        "exchange/question_list.html",
        {
            "page": page,
            "kinds": TargetKind.choices,
            "kind": kind,
            "status": status,
            "mine": (
                Question.objects.filter(asker=user).order_by("-asked_at")[:20]
                if user.is_authenticated
                else []
            ),
        },
    )


def _thread_context(request, kind, key, *, form=None):
    user = request.user
    target = rules.target(user, kind, key)
    if target is None:
        raise Http404
    questions = list(
        rules.visible_questions(user)
        .filter(kind=kind, **target.link)
        .select_related("owner")
        .order_by("-asked_at", "-pk")[:50]
    )
    for q in questions:
        q.can_answer = rules.may_answer(user, q)
        q.can_hide = rules.may_hide(user, q)
    return {
        "target": target,
        "kind": kind,
        "key": key,
        "questions": questions,
        "form": form or AskForm(),
        "can_ask": user.is_authenticated and target.open,
    }


def thread(request, kind, key):
    """The questions on one record: an HTMX fragment in the record's page, or a page of its own."""
    context = _thread_context(request, kind, key)
    template = "exchange/_thread.html" if request.headers.get("HX-Request") else "exchange/thread.html"
    return render(request, template, context)


@login_required
@require_POST
def ask(request, kind, key):
    form = AskForm(request.POST)
    try:
        if form.is_valid():  # the form refuses contact details; the service checks them again
            services.ask(
                actor=request.user, kind=kind, target=key, body=form.cleaned_data["body"], now=clock.now()
            )
    except DomainError as exc:
        for message in (exc.detail or {}).get("body", []) or [str(exc.message)]:
            form.add_error("body", message)
    if form.errors:
        context = _thread_context(request, kind, key, form=form)
        template = "exchange/_thread.html" if request.headers.get("HX-Request") else "exchange/thread.html"
        return render(request, template, context, status=422)
    messages.success(request, _("问题已提交，所属机构或主管部门回答后会通知您。"))
    if request.headers.get("HX-Request"):
        return render(request, "exchange/_thread.html", _thread_context(request, kind, key))
    return redirect("exchange:thread", kind=kind, key=key)


def question_detail(request, pk):
    user = request.user
    question = get_object_or_404(rules.visible_questions(user).select_related("owner", "region"), pk=pk)
    return _question_page(request, question)


def _question_page(request, question, *, answer_form=None, hide_form=None, status=200):
    user = request.user
    return render(
        request,
        "exchange/question_detail.html",
        {
            "q": question,
            "target_url": rules.target_url(question),
            "can_answer": rules.may_answer(user, question),
            "can_hide": rules.may_hide(user, question),
            "answer_form": answer_form or AnswerForm(),
            "hide_form": hide_form or HideForm(),
        },
        status=status,
    )


@login_required
@require_POST
def answer(request, pk):
    question = get_object_or_404(rules.visible_questions(request.user), pk=pk)
    form = AnswerForm(request.POST)
    try:
        if form.is_valid():  # the form refuses contact details; the service checks them again
            services.answer(
                actor=request.user, question_id=pk, text=form.cleaned_data["answer"], now=clock.now()
            )
    except DomainError as exc:
        form.add_error("answer", str(exc.message))
    if form.errors:
        return _question_page(request, question, answer_form=form, status=422)
    messages.success(request, _("回答已发布，提问人会收到通知。"))
    return redirect("exchange:question_detail", pk=pk)


@login_required
@require_POST
def hide(request, pk):
    question = get_object_or_404(rules.visible_questions(request.user), pk=pk)
    form = HideForm(request.POST)
    form.is_valid()
    try:
        services.hide(
            actor=request.user, question_id=pk, reason=form.cleaned_data.get("reason", ""), now=clock.now()
        )
    except DomainError as exc:
        form.add_error("reason", str(exc.message))
        return _question_page(request, question, hide_form=form, status=422)
    messages.success(request, _("已隐藏该问答，提问人会收到原因。"))
    return redirect("exchange:question_detail", pk=pk)


# --- notices --------------------------------------------------------------------------------


def notice_list(request):
    user = request.user
    now = clock.now()
    visible = rules.visible_notices(user, now)
    years = sorted({d.year for d in visible.dates("publish_at", "year")}, reverse=True)
    form = NoticeFilterForm(request.GET or None, regions=_regions(), years=years)
    rows = visible.select_related("region")
    if form.is_valid():
        data = form.cleaned_data
        if data.get("kind"):
            rows = rows.filter(kind=data["kind"])
        if data.get("region"):
            region = Region.objects.get(code=data["region"])
            rows = rows.filter(region__code__startswith=region.scope_prefix)
        if data.get("year"):
            rows = rows.filter(publish_at__year=data["year"])
    rows = rows.annotate(files=Count("attachments"))
    page = Paginator(rows.order_by("-publish_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "exchange/notice_list.html",
        {"form": form, "page": page, "now": now, "can_publish": rules.may_publish(user)},
    )


def notice_detail(request, pk):
    now = clock.now()
    notice = get_object_or_404(rules.visible_notices(request.user, now).select_related("region"), pk=pk)
    return render(
        request,
        "exchange/notice_detail.html",
        {
            "notice": notice,
            "scheduled": notice.publish_at > now,
            "encoded": bool(notice.seed) and engine.package_by_id(notice.seed) is not None,
            "can_withdraw": rules.may_manage_notice(request.user, notice) and notice.withdrawn_at is None,
            "attachments": notice.attachments.all(),
        },
    )


def _staff_regions(user):
    """The regions a staff member may publish for: their jurisdictions and what lies under them."""
    covered = Q(pk__in=[])
    for prefix in scope.prefixes(user):
        covered |= Q(code__startswith=prefix)
    rows = Region.objects.filter(covered).order_by("code").values_list("code", "name")[:300]
    return list(rows)


@login_required
def notice_new(request):
    user = request.user
    if not rules.may_publish(user):
        raise Http404
    regions = _staff_regions(user)
    form = NoticeForm(request.POST or None, request.FILES or None, regions=regions)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            notice = services.publish_notice(
                actor=user,
                data=services.NoticeData(
                    kind=data["kind"],
                    title=data.get("title", ""),
                    body=data.get("body", ""),
                    region=data.get("region", ""),
                    publish_at=data.get("publish_at"),
                    number=data.get("number", ""),
                ),
                uploads=data.get("attachments") or [],
                now=clock.now(),
            )
        except DomainError as exc:
            form.place_errors(exc)
        else:
            if notice.publish_at > clock.now():
                messages.success(request, _("公告已保存，到发布时间后公开显示。"))
            else:
                messages.success(request, _("公告已发布。"))
            return redirect("exchange:notice_detail", pk=notice.pk)
    status = 422 if form.errors else 200
    return render(request, "exchange/notice_form.html", {"form": form}, status=status)


@login_required
@require_POST
def notice_withdraw(request, pk):
    try:
        services.withdraw_notice(actor=request.user, notice_id=pk, now=clock.now())
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("公告已撤回。"))
    return redirect("exchange:notice_list")


def notice_attachment(request, pk):
    attachment = get_object_or_404(NoticeAttachment.objects.select_related("notice"), pk=pk)
    if not rules.visible_notices(request.user, clock.now()).filter(pk=attachment.notice_id).exists():
        raise Http404
    path = files.stored_path(services.NOTICE_DIR, attachment.stored_name)
    if not path.exists():
        raise Http404
    return FileResponse(
        open(path, "rb"),  # noqa: SIM115 — FileResponse closes it
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


# --- talent conversations -------------------------------------------------------------------


def _talk_organisations(user):
    return Organisation.objects.filter(pk__in=scope.organisation_ids(user), status="verified").order_by(
        "name"
    )


def may_talk(user, expert) -> bool:
    """The button on the talent page: a member of a verified organisation, an open person with an account."""
    return (
        getattr(user, "is_authenticated", False)
        and expert.status == ExpertStatus.APPROVED
        and expert.user_id is not None
        and expert.user_id != user.pk
        and expert.availability != TalentAvailability.CLOSED
        and _talk_organisations(user).exists()
    )


@login_required
def talk_new(request, expert_pk):
    user = request.user
    expert = get_object_or_404(Expert.objects.select_related("organisation"), pk=expert_pk)
    if not may_talk(user, expert):
        raise Http404
    organisations = _talk_organisations(user)
    form = TalkForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            conversation = services.open_conversation(
                actor=user,
                expert_id=expert.pk,
                organisation_id=data["organisation"],
                post=data["post"],
                body=data.get("body", ""),
                now=clock.now(),
            )
        except DomainError as exc:
            form.add_error("body" if exc.code in ("empty", "too_long") else None, str(exc.message))
        else:
            messages.success(request, _("留言已发送，对方回复后会通知您。"))
            return redirect("exchange:conversation", pk=conversation.pk)
    return render(
        request,
        "exchange/talk_new.html",
        {"form": form, "expert": expert},
        status=422 if form.errors else 200,
    )


@login_required
def conversation_list(request):
    rows = rules.my_conversations(request.user).order_by("-last_at")[:100]
    return render(request, "exchange/conversation_list.html", {"conversations": rows})


@login_required
def conversation(request, pk):
    user = request.user
    item = get_object_or_404(Conversation.objects.select_related("expert", "organisation"), pk=pk)
    if not rules.in_conversation(user, item):
        raise Http404
    form = MessageForm(request.POST or None)
    if request.method == "POST":
        form.is_valid()
        try:
            services.send_message(
                actor=user, conversation_id=pk, body=form.cleaned_data.get("body", ""), now=clock.now()
            )
        except DomainError as exc:
            form.add_error("body", str(exc.message))
        else:
            return redirect("exchange:conversation", pk=pk)
    return render(
        request,
        "exchange/conversation.html",
        {
            "c": item,
            "post": rules.POSTS.get(item.post, ""),
            "thread": item.messages.select_related("author"),
            "form": form,
        },
        status=422 if form.errors else 200,
    )


__all__ = ["NoticeKind"]

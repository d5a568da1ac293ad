"""The synonym list staff keep (碳纤维 ≡ CF …): list, add, edit, delete. Province-level reviewers
and system administrators only (services.may_edit_synonyms)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhouqiao.core import clock
from zhouqiao.core.errors import DomainError, NotFound
from zhouqiao.search import selectors, services
from zhouqiao.search.analysis import BUILTIN_SYNONYMS
from zhouqiao.search.models import Synonym


def _staff_only(request) -> None:
    if not services.may_edit_synonyms(request.user):
        raise DjangoPermissionDenied


@login_required
def synonym_list(request):
    _staff_only(request)
    editing = None
    if request.GET.get("edit"):
        editing = (
            Synonym.objects.filter(pk=request.GET["edit"]).first() if request.GET["edit"].isdigit() else None
        )
        if editing is None:
            raise Http404
    return _page(request, editing=editing, terms=editing.terms if editing else "")


def _page(request, *, editing=None, terms="", error="", status=200):
    return render(
        request,
        "search/synonyms.html",
        {
            "rows": selectors.synonyms(),
            "builtin": [list(group) for group in BUILTIN_SYNONYMS],
            "editing": editing,
            "terms": terms,
            "error": error,
        },
        status=status,
    )


@login_required
@require_POST
def synonym_save(request, pk: int | None = None):
    _staff_only(request)
    terms = request.POST.get("terms", "")
    editing = None
    try:
        if pk is None:
            services.create_synonym(actor=request.user, terms=terms, now=clock.now())
        else:
            editing = Synonym.objects.filter(pk=pk).first()
            services.update_synonym(actor=request.user, synonym_id=pk, terms=terms, now=clock.now())
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        return _page(request, editing=editing, terms=terms, error=exc.message, status=422)
    messages.success(request, _("同义词已保存，检索即刻生效；相关记录的索引正在后台更新。"))
    return redirect("search:synonyms")


@login_required
@require_POST
def synonym_delete(request, pk: int):
    _staff_only(request)
    try:
        services.delete_synonym(actor=request.user, synonym_id=pk, now=clock.now())
    except NotFound:
        raise Http404 from None
    messages.success(request, _("同义词组已删除。"))
    return redirect("search:synonyms")

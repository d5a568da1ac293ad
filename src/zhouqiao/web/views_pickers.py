"""Suggestions for the searchable code pickers (web/widgets.py): bounded, read-only, public
(the vocabularies are published national standards)."""

from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from zhouqiao.web.widgets import MAX_QUERY, MAX_SUGGESTIONS, VOCABULARIES


@require_GET
def code_suggestions(request, vocabulary):
    """``<option>``s for a datalist: at most 20 codes matching ``q`` by code prefix or name."""
    vocab = VOCABULARIES.get(vocabulary)
    if vocab is None:
        raise Http404
    query = request.GET.get("q", "")
    if len(query) > MAX_QUERY:
        return HttpResponseBadRequest(_("查询内容过长（不超过%(n)d个字）。") % {"n": MAX_QUERY})
    suggestions = vocab.suggest(query, MAX_SUGGESTIONS)
    return render(request, "web/partials/code_options.html", {"suggestions": suggestions})

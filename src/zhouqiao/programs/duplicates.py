"""查重 across programmes (002 §23): a new application or proposal against every confidential
submission the platform holds (applications to calls, 揭榜挂帅 proposals …) and the public corpus
(achievements, demands, patents — ``search.novelty``).

Confidential submissions come from a registry. An app registers a function with
:func:`submission_source`; it yields ``Submission(label, title, text, url, key)`` for every
submission it holds (``key`` identifies the record, e.g. ``"programs.application:12"``, so a
record is never compared with itself). ``programs`` registers the applications to calls below;
``challenges`` registers its proposals.

A submission is flagged when the estimated shingle Jaccard of the two texts reaches
``search.similarity.NEAR_DUPLICATE`` (0.8: the same sentences, lightly edited) — the test
``novelty`` uses for its 疑似重复 flag. The flags are shown to staff only, with the matching
record's title and a link; blind reviewers never see them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from zhouqiao.search.similarity import NEAR_DUPLICATE, estimated_jaccard, minhash

_SOURCES: dict[str, Callable[[], Iterable]] = {}


@dataclass(frozen=True)
class Submission:
    label: str  # what kind of record (项目申报书, 揭榜方案 …), Chinese
    title: str
    text: str
    url: str
    key: str


def submission_source(fn):
    """Register ``fn() -> iterable of Submission`` (or 5-tuples in that order). Idempotent."""
    _SOURCES[f"{fn.__module__}.{fn.__qualname__}"] = fn
    return fn


def submissions() -> Iterable[Submission]:
    for fn in list(_SOURCES.values()):
        for item in fn():
            yield item if isinstance(item, Submission) else Submission(*item)


@lru_cache(maxsize=8192)
def _signature(text: str) -> tuple[int, ...]:
    """The MinHash of a submission's text, kept per process: a check compares with every held
    submission, and most of them do not change between two checks."""
    return tuple(minhash(text))


def find(title: str, text: str, *, exclude_key: str = "", now=None, public: bool = True) -> list[dict]:
    """The near-duplicates of ``title``/``text``: confidential submissions, then public records."""
    signature = minhash(title + "\n" + text)
    flags = []
    if signature:
        for sub in submissions():
            if sub.key == exclude_key:
                continue
            jaccard = estimated_jaccard(signature, list(_signature(sub.title + "\n" + sub.text)))
            if jaccard >= NEAR_DUPLICATE:
                flags.append(
                    {
                        "source": str(sub.label),
                        "title": sub.title,
                        "url": sub.url,
                        "percent": round(jaccard * 100),
                        "key": sub.key,
                    }
                )
    if public and now is not None:
        from zhouqiao.core.errors import DomainError
        from zhouqiao.search import novelty

        try:
            check = novelty.check(novelty.pasted(title, text), now=now, limit=10)
        except DomainError:
            check = None
        for similar in check.near_duplicates if check else []:
            doc = similar.document
            flags.append(
                {
                    "source": str(doc.get_kind_display()),
                    "title": doc.title,
                    "url": doc.get_absolute_url(),
                    "percent": similar.percent,
                    "key": f"search:{doc.kind}:{doc.object_id}",
                }
            )
    flags.sort(key=lambda f: -f["percent"])
    return flags


def application_text(application) -> str:
    return "\n".join([application.summary, application.plan, application.keywords])


def flags_for(application, *, now) -> list[dict]:
    return find(
        application.title,
        application_text(application),
        exclude_key=f"programs.application:{application.pk}",
        now=now,
    )


@submission_source
def _applications():
    from zhouqiao.programs.models import Application
    from zhouqiao.programs.states import ApplicationStatus

    rows = Application.objects.exclude(status=ApplicationStatus.DRAFT).values_list(
        "pk", "title", "summary", "plan", "keywords"
    )
    for pk, title, summary, plan, keywords in rows.iterator():
        yield Submission(
            label=_l("项目申报书"),
            title=title,
            text="\n".join([summary, plan, keywords]),
            url=reverse("programs:application_detail", args=[pk]),
            key=f"programs.application:{pk}",
        )


__all__ = ["Submission", "find", "flags_for", "submission_source", "submissions", "_"]

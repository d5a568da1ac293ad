"""The analyzer's domain dictionary and staff synonyms, read from the database.

Domain words: key industry names, GB/T 4754 industry names, GB/T 13745 discipline names, short
phrases of IPC titles, and the keywords of published catalog records. A change of the synonym list
bumps :func:`dictionary_version`, and each process rebuilds its analyzer on the next use.
"""

import re

from django.db.models import Count, Max

_SPLIT = re.compile(r"[，,、；;。：:（）()\s]+|及其|以及|或|和|与|的")


def domain_words() -> list[str]:
    from zhouqiao.catalog.models import Achievement, Demand, split_keywords
    from zhouqiao.catalog.states import RecordStatus
    from zhouqiao.core.models import Discipline, Industry, KeyIndustry, PatentClass

    words = set(KeyIndustry.objects.values_list("name", flat=True))
    words.update(n for n in Industry.objects.values_list("name", flat=True) if len(n) <= 8)
    words.update(n for n in Discipline.objects.values_list("name", flat=True) if len(n) <= 8)
    for title in PatentClass.objects.exclude(level="main_group").values_list("title", flat=True):
        words.update(p for p in _SPLIT.split(title or "") if 2 <= len(p) <= 6)
    for model in (Achievement, Demand):
        for kw in model.objects.filter(status=RecordStatus.PUBLISHED).values_list("keywords", flat=True)[
            :50_000
        ]:
            words.update(split_keywords(kw))
    return sorted(words)


def synonym_groups() -> list[list[str]]:
    from zhouqiao.search.models import Synonym

    return [s.members for s in Synonym.objects.all()]


def dictionary_version():
    from zhouqiao.search.models import Synonym

    # One query (each search asks): a new, edited or deleted group changes one of the three.
    agg = Synonym.objects.aggregate(last=Max("updated_at"), n=Max("id"), count=Count("id"))
    return (agg["last"], agg["n"], agg["count"])

"""``{% seed_documents %}`` on the policy page: each seed document, its encoded rules (linked to the
rule's row and to the calculator) and the notice that publishes it, if any."""

from django import template

from zhouqiao.community.exchange.documents import SEED_DOCUMENTS
from zhouqiao.community.exchange.models import NoticeKind
from zhouqiao.community.exchange.rules import published_notices
from zhouqiao.core import clock

register = template.Library()


@register.inclusion_tag("exchange/_seed_documents.html")
def seed_documents():
    from zhouqiao.policy import parameters

    packages = {p.id: p for p in parameters.effective_packages()}
    notices = dict(
        published_notices(clock.now())
        .filter(kind=NoticeKind.POLICY)
        .exclude(seed="")
        .order_by("publish_at")
        .values_list("seed", "pk")
    )
    rows = []
    for doc in SEED_DOCUMENTS:
        package = packages.get(doc.seed)
        rows.append(
            {
                "doc": doc,
                # an encoded document's name comes from its policy package (one definition)
                "title": package.title if package else doc.title,
                "rules": len(package.rules) if package else 0,
                "encoded": package is not None,
                "notice": notices.get(doc.seed),
            }
        )
    return {"rows": rows}

"""Saved searches and demand subscriptions: a newly indexed record that matches creates an in-app
notification and an e-mail (sent after commit through Django's mail backend)."""

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from zhouqiao.search.analysis import get_analyzer
from zhouqiao.search.models import Notification, SavedSearch, SearchDocument


def matches(saved: SavedSearch, doc: SearchDocument) -> bool:
    if saved.kind and saved.kind != doc.kind:
        return False
    wanted = set(get_analyzer().terms(saved.query))
    if not wanted:
        return False
    held = set((doc.title_terms + " " + doc.terms).split())
    return wanted <= held


def notify_new_document(doc: SearchDocument) -> int:
    created = 0
    for saved in SavedSearch.objects.filter(demand_id__isnull=True).exclude(query=""):
        if not matches(saved, doc):
            continue
        try:
            with transaction.atomic():
                Notification.objects.create(
                    user_id=saved.user_id,
                    saved_search=saved,
                    document=doc,
                    message=_("「%(name)s」有新的匹配：%(title)s") % {"name": saved.name, "title": doc.title},
                    created_at=doc.indexed_at,
                )
        except IntegrityError:
            continue
        created += 1
        email = saved.user.email
        if email:
            subject = _("舟桥：保存的检索有新结果")
            body = _("%(name)s：%(title)s") % {"name": saved.name, "title": doc.title}
            transaction.on_commit(
                lambda e=email, s=subject, b=body: send_mail(s, b, None, [e], fail_silently=True)
            )
    return created

"""The notification kinds of saved searches and demand subscriptions (no to-dos: nothing waits on
anyone here). Alerts go through the one inbox (``notifications.services.notify``), keyed per saved
search and record, so a retried task tells nobody twice."""

from django.utils.translation import gettext_lazy as _

from zhouqiao.notifications.registry import kind

ALERT = kind("search.alert", _("保存的检索有新结果"))
DEMAND_MATCH = kind("search.demand_match", _("订阅的需求有新的匹配成果"))


def alert_key(saved_search_id: int, document_kind: str, object_id: int) -> str:
    return f"search.alert:{saved_search_id}:{document_kind}:{object_id}"

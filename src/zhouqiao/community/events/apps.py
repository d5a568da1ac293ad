from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "zhouqiao.community.events"
    label = "events"
    verbose_name = _("活动、路演与对接会")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "zhouqiao.community"
    label = "community"
    verbose_name = _("专家与科技服务社区")

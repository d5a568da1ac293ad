from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "zhouqiao.community.exchange"
    label = "exchange"
    verbose_name = _("咨询问答与通知公告")

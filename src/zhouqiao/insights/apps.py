from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "zhouqiao.insights"
    label = "insights"
    verbose_name = _("指标监测")

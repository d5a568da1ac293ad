from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TargetsConfig(AppConfig):
    name = "zhouqiao.insights.targets"
    label = "targets"
    verbose_name = _("发展目标与进展")

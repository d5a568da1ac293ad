from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "zhouqiao.programs"
    label = "programs"
    verbose_name = _("科技计划项目")

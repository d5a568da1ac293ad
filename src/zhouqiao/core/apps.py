from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "zhouqiao.core"
    label = "core"
    verbose_name = _("基础数据")

    def ready(self) -> None:
        from zhouqiao.core import checks, signals  # noqa: F401  (deployment checks, authentication audit receivers)

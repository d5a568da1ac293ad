from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    name = "zhouqiao.ops"
    label = "ops"
    verbose_name = _("运行维护")

    def ready(self) -> None:
        from zhouqiao.ops import checks  # noqa: F401  (rate limits parse)

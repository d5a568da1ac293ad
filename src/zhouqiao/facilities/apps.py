from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FacilitiesConfig(AppConfig):
    name = "zhouqiao.facilities"
    label = "facilities"
    verbose_name = _("大型仪器共享")

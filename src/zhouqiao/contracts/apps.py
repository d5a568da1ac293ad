from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "zhouqiao.contracts"
    label = "contracts"
    verbose_name = _("技术合同登记")

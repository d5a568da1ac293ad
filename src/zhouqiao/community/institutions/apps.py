from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstitutionsConfig(AppConfig):
    name = "zhouqiao.community.institutions"
    label = "institutions"
    verbose_name = _("技术转移机构与技术经纪人")

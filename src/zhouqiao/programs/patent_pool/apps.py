from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PatentPoolConfig(AppConfig):
    name = "zhouqiao.programs.patent_pool"
    label = "patent_pool"
    verbose_name = _("专利收储与运营")

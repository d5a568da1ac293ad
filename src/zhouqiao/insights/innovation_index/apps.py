from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InnovationIndexConfig(AppConfig):
    name = "zhouqiao.insights.innovation_index"
    label = "innovation_index"
    verbose_name = _("县域创新发展指数")

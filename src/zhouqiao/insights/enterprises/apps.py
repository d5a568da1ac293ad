from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterpriseProfilesConfig(AppConfig):
    name = "zhouqiao.insights.enterprises"
    label = "enterprise_profiles"
    verbose_name = _("企业创新画像与上市后备资源库")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChallengesConfig(AppConfig):
    name = "zhouqiao.programs.challenges"
    label = "challenges"
    verbose_name = _("揭榜挂帅")

    def ready(self):
        # The proposals are a source of programs.duplicates' cross-programme 查重.
        from zhouqiao.programs.challenges import checks

        checks.register()

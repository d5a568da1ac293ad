from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class NotificationsConfig(AppConfig):
    name = "zhouqiao.notifications"
    label = "notifications"
    verbose_name = "消息与待办"

    def ready(self):
        # Each app declares its notification kinds and its to-do sources in its own ``todos.py``.
        autodiscover_modules("todos")

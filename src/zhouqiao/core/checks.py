"""Deployment checks of our own, run by ``zhouqiao check --deploy``."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

# The development default in settings.py. Django's own security.W009 does not catch it: it is long
# and varied enough, and does not start with "django-insecure-".
DEVELOPMENT_KEY_PREFIX = "zhouqiao-insecure-"


@register(Tags.security, deploy=True)
def check_secret_key_is_not_the_default(app_configs, **kwargs):
    if str(getattr(settings, "SECRET_KEY", "")).startswith(DEVELOPMENT_KEY_PREFIX):
        return [
            Warning(
                "SECRET_KEY is the development default. Set the SECRET_KEY environment variable to a long "
                "random value in production.",
                id="zhouqiao.W001",
            )
        ]
    return []

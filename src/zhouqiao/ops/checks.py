"""Start-up check: every configured rate limit parses (a typo in RATELIMIT_* fails at start, not
on the first request that meets it)."""

from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured

from zhouqiao.ops.ratelimit import parse_rate


@register()
def rate_limits(app_configs, **kwargs):
    errors = []
    for scope, rates in settings.RATELIMITS.items():
        for kind, rate in rates.items():
            if not rate:
                continue
            try:
                parse_rate(rate)
            except ImproperlyConfigured as exc:
                errors.append(Error(f"RATELIMITS[{scope!r}][{kind!r}]: {exc}", id="zhouqiao.ops.E001"))
    return errors

"""Password rules of the configured profile (settings.PASSWORD_PROFILE)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def profile() -> dict:
    return settings.PASSWORD_PROFILES[settings.PASSWORD_PROFILE]


def character_classes(password: str) -> int:
    return sum(
        [
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
    )


def is_expired(changed_at: datetime | None, now: datetime) -> bool:
    max_age = profile()["max_age_days"]
    return bool(max_age) and (changed_at is None or now - changed_at > timedelta(days=max_age))


class ProfileLengthValidator:
    def validate(self, password, user=None):
        minimum = profile()["min_length"]
        if len(password) < minimum:
            raise ValidationError(_("密码至少需要%(n)d个字符。") % {"n": minimum}, code="password_too_short")

    def get_help_text(self):
        return _("密码至少需要%(n)d个字符。") % {"n": profile()["min_length"]}


class CharacterClassesValidator:
    def validate(self, password, user=None):
        needed = profile()["min_classes"]
        if needed and character_classes(password) < needed:
            raise ValidationError(
                _("密码需包含大写字母、小写字母、数字、特殊符号中的至少%(n)d类。") % {"n": needed},
                code="password_too_simple",
            )

    def get_help_text(self):
        needed = profile()["min_classes"]
        if not needed:
            return ""
        return _("密码需包含大写字母、小写字母、数字、特殊符号中的至少%(n)d类。") % {"n": needed}

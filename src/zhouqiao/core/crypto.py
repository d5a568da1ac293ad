"""Fields encrypted at rest (personal information such as ID numbers, 《个人信息保护法》第五十一条).

Values are stored as ``fernet:<token>`` (Fernet: AES-128-CBC with HMAC-SHA256, a fresh IV each
time), so the database, its backups and its dumps hold no readable ID number. The keys come from
``FIELD_ENCRYPTION_KEYS`` (comma-separated Fernet keys, the first encrypts, all decrypt: rotation
is adding a new key in front); without it a key is derived from ``SECRET_KEY``, which then must
not change. A value without the prefix (written before the field was encrypted) is read as is.
An encrypted column cannot be searched or compared in SQL; none of ours needs to be.
"""

import base64
import functools
import hashlib

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.db import models

PREFIX = "fernet:"


@functools.cache
def _fernet(keys: tuple[str, ...], secret: str) -> MultiFernet:
    if not keys:
        digest = hashlib.sha256(b"zhouqiao field encryption\x00" + secret.encode()).digest()
        keys = (base64.urlsafe_b64encode(digest).decode(),)
    return MultiFernet([Fernet(key.encode()) for key in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS), settings.SECRET_KEY)


def encrypt(value: str) -> str:
    return PREFIX + fernet().encrypt(value.encode()).decode()


def decrypt(stored: str) -> str:
    if not stored or not stored.startswith(PREFIX):
        return stored
    return fernet().decrypt(stored[len(PREFIX) :].encode()).decode()


class EncryptedCharField(models.TextField):
    """A short text (``max_length`` applies to forms) stored encrypted; "" stays "" so that an
    empty value needs no key."""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt(str(value))

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value else value

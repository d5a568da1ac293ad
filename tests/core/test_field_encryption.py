"""ID numbers are encrypted at rest (issue 17, PIPL): the database holds no readable number."""

import pytest
from django.db import connection

from tests.factories import UserFactory
from zhouqiao.accounts.models import User
from zhouqiao.core import crypto

pytestmark = pytest.mark.django_db

NUMBER = "220104199001011234"


def _stored(user) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM accounts_user WHERE id = %s", [user.pk])
        return cursor.fetchone()[0]


def test_an_id_number_is_stored_encrypted_and_read_back(reference):
    user = UserFactory(username="id_holder", id_number=NUMBER)
    stored = _stored(user)
    assert stored.startswith("fernet:") and NUMBER not in stored
    assert User.objects.get(pk=user.pk).id_number == NUMBER
    again = UserFactory(username="id_holder_2", id_number=NUMBER)
    assert _stored(again) != stored  # a fresh IV each time: equal numbers do not look equal


def test_an_empty_number_stays_empty_and_an_old_plain_value_is_still_read(reference):
    user = UserFactory(username="no_id", id_number="")
    assert _stored(user) == ""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE accounts_user SET id_number = %s WHERE id = %s", [NUMBER, user.pk])
    assert User.objects.get(pk=user.pk).id_number == NUMBER


def test_keys_rotate_new_key_first_old_key_still_decrypts(settings):
    settings.FIELD_ENCRYPTION_KEYS = ["Zt3nNMC4W1B5b3mJmH2vOQ8Lq0qH8C8yC3H0QF7m0cU="]
    old = crypto.encrypt(NUMBER)
    settings.FIELD_ENCRYPTION_KEYS = [
        "3J2oKQd4Sg4VbV7rY4l3dJb8d6bq7b9m2W1Yw0jv2XQ=",
        "Zt3nNMC4W1B5b3mJmH2vOQ8Lq0qH8C8yC3H0QF7m0cU=",
    ]
    assert crypto.decrypt(old) == NUMBER
    assert crypto.decrypt(crypto.encrypt(NUMBER)) == NUMBER

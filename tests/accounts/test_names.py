"""Issue 17, finding 5: usernames and display names are NFKC-normalised and visible; look-alikes of an
existing name are refused."""

import pytest
from django.utils import timezone

from zhouqiao.accounts import names, services
from zhouqiao.accounts.models import User
from zhouqiao.core.errors import ValidationFailed

PASSWORD = "Test@Pass2026"


def _register(username, display_name=""):
    return services.register(
        username=username, password=PASSWORD, display_name=display_name, now=timezone.now()
    )


@pytest.mark.parametrize(
    "username",
    [
        "province_staff\u200b",  # zero-width space
        "admin\u202eltd",  # right-to-left override
        "tab\tname",
        "line\u2028break",
        "soft\u00adhyphen",
        "space name",
    ],
)
def test_it_rejects_invisible_characters_in_a_username(reference, username):
    with pytest.raises(ValidationFailed) as caught:
        _register(username)
    assert "username" in caught.value.detail
    assert not User.objects.exists()


@pytest.mark.parametrize(
    "lookalike",
    [
        "Province_Staff",  # case
        "ｐｒｏｖｉｎｃｅ＿ｓｔａｆｆ",  # full-width forms (NFKC)
        "prоvince_staff",  # Cyrillic о
        "province-staff",  # separators
        "province.staff",
    ],
)
def test_it_rejects_a_name_that_looks_like_an_existing_one(reference, lookalike):
    _register("province_staff")
    with pytest.raises(ValidationFailed) as caught:
        _register(lookalike)
    assert "相似" in str(caught.value.message)
    assert User.objects.count() == 1


def test_full_width_input_is_stored_in_its_normal_form(reference):
    user = _register("ｚｈａｎｇｓａｎ２０２６", display_name="  张三\u3000（一汽） ")
    assert user.username == "zhangsan2026"
    assert user.display_name == "张三 (一汽)"
    assert user.username_key == names.key("zhangsan2026")


@pytest.mark.parametrize("display_name", ["张三\u200b", "张\t三", "\u202e三张"])
def test_it_rejects_invisible_characters_in_a_display_name(reference, display_name):
    with pytest.raises(ValidationFailed) as caught:
        _register("zhangsan", display_name=display_name)
    assert "display_name" in caught.value.detail


def test_the_registration_form_shows_the_reason(client, reference):
    _register("province_staff")
    response = client.post(
        "/register/",
        {
            "username": "province_staff\u200b",
            "display_name": "张三",
            "password": PASSWORD,
            "password_again": PASSWORD,
            "privacy_consent": "on",
        },
    )
    assert response.status_code == 200
    assert "不可见字符" in response.content.decode()
    assert User.objects.count() == 1

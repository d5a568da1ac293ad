"""The registration page shows the service's Chinese errors on the form and writes nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import PASSWORD, OrganisationFactory, UserFactory
from zhouqiao.accounts.credit_code import make
from zhouqiao.accounts.models import Organisation, User
from zhouqiao.core.models import AuditEvent

pytestmark = pytest.mark.django_db

GOOD_CODE = make("91220183MA0000007")
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32  # a licence scan small enough for every sign-up


def licence_scan():
    return SimpleUploadedFile("营业执照.png", PNG, content_type="image/png")


def _form(**changes):
    return {
        "username": "dehui_farmer",
        "display_name": "张丰收",
        "phone": "13904310000",
        "email": "",
        "password": PASSWORD,
        "password_again": PASSWORD,
        "with_organisation": "on",
        "org_name": "德惠丰收合作社",
        "org_kind": "enterprise",
        "org_credit_code": GOOD_CODE,
        "org_region": "220183",
        "org_contact_phone": "13904310001",
        "org_document": licence_scan(),
        "privacy_consent": "on",
        **changes,
    }


def _nothing_written():
    return (
        not User.objects.filter(username="dehui_farmer").exists()
        and not Organisation.objects.filter(name="德惠丰收合作社").exists()
        and not AuditEvent.objects.exists()
    )


def test_the_page_is_in_chinese(client, reference):
    page = client.get("/register/").content.decode()
    assert "注册账号" in page and "统一社会信用代码" in page
    assert 'value="government"' not in page  # government bodies cannot sign themselves up


def test_it_registers_signs_in_and_sends_the_organisation_to_review(client, reference):
    response = client.post("/register/", _form(), follow=True)
    assert "注册成功" in response.content.decode()
    assert response.wsgi_request.user.username == "dehui_farmer"
    org = Organisation.objects.get(credit_code=GOOD_CODE)
    assert org.status == "submitted" and org.contact_name == "张丰收"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"org_credit_code": GOOD_CODE[:17] + ("0" if GOOD_CODE[17] != "0" else "1")}, "校验位不正确"),
        ({"org_credit_code": GOOD_CODE[:17]}, "应为18位"),
        ({"org_credit_code": "9122018IMA00000O7X"}, "不允许的字符"),
        ({"org_region": "229999"}, "不存在"),
        ({"org_region": "220000"}, "市或县（区）一级"),
        ({"password": "abc12345", "password_again": "abc12345"}, "至少3类"),
        ({"password": "Ab1!", "password_again": "Ab1!"}, "至少需要8个字符"),
        ({"password_again": "Other@Pass1"}, "两次输入的密码不一致"),
        ({"org_kind": "government"}, "不在可用的选项中"),
        ({"phone": "12345"}, "手机号码应为以1开头的11位数字"),
    ],
)
def test_it_rejects_bad_input_with_a_chinese_message_on_the_page(client, reference, changes, message):
    response = client.post("/register/", _form(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert _nothing_written()


def test_it_rejects_a_username_taken_in_another_case(client, reference):
    UserFactory(username="Dehui_Farmer")
    response = client.post("/register/", _form())
    assert "已被注册" in response.content.decode()
    assert not Organisation.objects.filter(credit_code=GOOD_CODE).exists()


def test_it_rejects_a_credit_code_already_registered(client, reference):
    OrganisationFactory(credit_code=GOOD_CODE)
    response = client.post("/register/", _form())
    assert "已有机构注册" in response.content.decode()
    assert not User.objects.filter(username="dehui_farmer").exists()


def test_it_accepts_a_passphrase_under_asvs_and_refuses_eleven_characters(client, reference, settings):
    settings.PASSWORD_PROFILE = "asvs"
    short = client.post("/register/", _form(password="Ab1!Ab1!Ab1", password_again="Ab1!Ab1!Ab1"))
    assert "至少需要12个字符" in short.content.decode()
    assert _nothing_written()
    long = client.post("/register/", _form(password="changbai mountain", password_again="changbai mountain"))
    assert long.status_code == 302
    assert User.objects.filter(username="dehui_farmer").exists()


def test_it_rejects_registering_an_organisation_without_its_licence_scan(client, reference):
    response = client.post("/register/", _form(org_document=""))
    assert response.status_code == 200
    page = response.content.decode()
    assert "注册机构须上传营业执照（或事业单位法人证书）副本扫描件" in page
    assert _nothing_written()
    not_a_scan = SimpleUploadedFile("营业执照.png", b"not an image", content_type="image/png")
    assert "须为PDF、JPG或PNG" in client.post("/register/", _form(org_document=not_a_scan)).content.decode()
    assert _nothing_written()


def test_a_person_without_an_organisation_needs_no_scan(client, reference):
    """Who joins an existing organisation (by invitation or request) signs up alone, with no scan."""
    response = client.post("/register/", _form(with_organisation="", org_document=""))
    assert response.status_code == 302
    assert User.objects.filter(username="dehui_farmer").exists()
    assert not Organisation.objects.filter(name="德惠丰收合作社").exists()

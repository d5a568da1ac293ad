"""Registration of a person with their organisation (service) and of another organisation (API).

Bad input gets a Chinese error and writes nothing: no user, no organisation, no audit row.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.factories import PASSWORD, OrganisationFactory, member_of
from zhouqiao.accounts import services
from zhouqiao.accounts.credit_code import make
from zhouqiao.accounts.models import Membership, Organisation, OrganisationDocument, User
from zhouqiao.core.errors import ValidationFailed
from zhouqiao.core.models import AuditEvent

pytestmark = pytest.mark.django_db

GOOD_CODE = make("91220104MA0000001")
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def _organisation(**changes):
    return {
        "name": "长春新测光电有限公司",
        "kind": "enterprise",
        "credit_code": GOOD_CODE,
        "region": "220104",
        "contact_phone": "13912345678",
        **changes,
    }


def _register(**changes):
    kwargs = {
        "username": "newcomer",
        "password": PASSWORD,
        "display_name": "新用户",
        "phone": "13800000000",
        "email": "",
        "organisation": _organisation(),
        "document": (PNG, "营业执照.png"),
        "now": timezone.now(),
        **changes,
    }
    return services.register(**kwargs)


def _nothing_written():
    return (
        not User.objects.filter(username__iexact="newcomer").exists()
        and not Organisation.objects.filter(name="长春新测光电有限公司").exists()
        and not AuditEvent.objects.filter(action__in=["account.register", "organisation.register"]).exists()
    )


def _refused(field, match, **changes):
    with pytest.raises(ValidationFailed) as caught:
        _register(**changes)
    assert caught.value.status == 422
    assert field in caught.value.detail
    assert match in str(caught.value.message)
    assert _nothing_written()


def test_it_registers_a_person_and_their_organisation_for_review(reference):
    user = _register()
    org = Organisation.objects.get(credit_code=GOOD_CODE)
    assert org.status == "submitted" and org.region_id == "220104"
    assert Membership.objects.get(user=user, organisation=org).role == "admin"
    assert user.check_password(PASSWORD) and user.password_changed_at is not None
    assert set(AuditEvent.objects.values_list("action", flat=True)) == {
        "account.register",
        "organisation.register",
        "organisation.document_upload",
    }
    assert AuditEvent.objects.get(action="organisation.register").after["credit_code"] == GOOD_CODE


@pytest.mark.parametrize(
    ("code", "match"),
    [
        (GOOD_CODE[:17] + ("0" if GOOD_CODE[17] != "0" else "1"), "校验位不正确"),
        (GOOD_CODE[:16], "应为18位"),
        (GOOD_CODE + "1", "应为18位"),
        ("91220104MA000000I" + "1", "不允许的字符"),
        ("91220104MA00000O0" + "1", "不允许的字符"),
        ("", "应为18位"),
    ],
)
def test_it_rejects_a_wrong_credit_code_and_writes_nothing(reference, code, match):
    _refused("credit_code", match, organisation=_organisation(credit_code=code))


def test_it_rejects_a_credit_code_already_registered(reference):
    OrganisationFactory(credit_code=GOOD_CODE)
    _refused("credit_code", "已有机构注册")


@pytest.mark.parametrize("taken", ["Newcomer", "NEWCOMER", "newcomer"])
def test_it_rejects_a_duplicate_username_whatever_its_case(reference, taken):
    from tests.factories import UserFactory

    UserFactory(username=taken)
    with pytest.raises(ValidationFailed) as caught:
        _register()
    assert "已被注册" in str(caught.value.message)
    assert User.objects.filter(username__iexact="newcomer").count() == 1
    assert not Organisation.objects.filter(credit_code=GOOD_CODE).exists()


@pytest.mark.parametrize(
    ("password", "match"),
    [
        ("Ab1!xyz", "至少需要8个字符"),
        ("abcdefgh12", "至少3类"),
        ("ABCDEFGH!!", "至少3类"),
        ("zhouqiao2026", "至少3类"),
    ],
)
def test_it_rejects_a_weak_password_under_dengbao(reference, password, match):
    _refused("password", match, password=password)


def test_asvs_accepts_a_long_passphrase_without_character_classes(reference, settings):
    settings.PASSWORD_PROFILE = "asvs"
    _register(password="tumen river bridge")  # 18 characters, lower case and spaces only
    assert User.objects.filter(username="newcomer").exists()


def test_it_rejects_eleven_characters_under_asvs(reference, settings):
    settings.PASSWORD_PROFILE = "asvs"
    _refused("password", "至少需要12个字符", password="Ab1!Ab1!Ab1")


@pytest.mark.parametrize(
    ("region", "match"), [("229999", "不存在"), ("", "所在地区"), ("220000", "市或县（区）一级")]
)
def test_it_rejects_a_region_that_does_not_exist_or_is_a_province(reference, region, match):
    _refused("region", match, organisation=_organisation(region=region))


def test_it_rejects_registering_a_government_organisation(reference):
    _refused("kind", "不能自行注册", organisation=_organisation(kind="government"))


def test_it_rejects_an_unknown_organisation_kind(reference):
    _refused("kind", "请选择机构类型", organisation=_organisation(kind="church"))


def test_a_person_may_register_without_an_organisation(reference):
    user = _register(organisation=None)
    assert not user.memberships.exists()


# --- POST /api/v1/organisations: a signed-in person registers another organisation ---------------


def _scan(content=PNG, name="营业执照.png"):
    return SimpleUploadedFile(name, content, content_type="image/png")


def _post(client, document="scan", **changes):
    """A multipart registration, with the licence scan unless ``document`` says otherwise."""
    data = _organisation(**changes)
    if document is not None:
        data["document"] = _scan() if document == "scan" else document
    return client.post("/api/v1/organisations", data)


def test_api_registers_an_organisation_for_a_signed_in_person(client, enterprise_user):
    client.force_login(enterprise_user)
    response = _post(client)
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "submitted" and body["credit_code"] == GOOD_CODE
    assert body["contact_phone"] == "13912345678"  # its admin sees it in full
    org = Organisation.objects.get(pk=body["id"])
    assert Membership.objects.filter(user=enterprise_user, organisation=org, role="admin").exists()
    assert AuditEvent.objects.filter(action="organisation.register", target_id=str(org.pk)).exists()


def test_it_rejects_an_anonymous_registration_through_the_api(client, reference):
    response = _post(client)
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    assert not Organisation.objects.filter(credit_code=GOOD_CODE).exists()


@pytest.mark.parametrize(
    ("changes", "field", "match"),
    [
        (
            {"credit_code": GOOD_CODE[:17] + ("0" if GOOD_CODE[17] != "0" else "1")},
            "credit_code",
            "校验位不正确",
        ),
        ({"credit_code": "12345"}, "credit_code", "应为18位"),
        ({"region": "229999"}, "region", "不存在"),
        ({"region": "220000"}, "region", "市或县（区）一级"),
        ({"kind": "government"}, "kind", "不能自行注册"),
    ],
)
def test_it_rejects_bad_organisations_through_the_api_with_422(
    client, enterprise_user, changes, field, match
):
    client.force_login(enterprise_user)
    before = Organisation.objects.count()
    response = _post(client, **changes)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_failed"
    assert match in body["message"]
    assert field in body["detail"]
    assert Organisation.objects.count() == before


def test_it_rejects_a_duplicate_credit_code_through_the_api(client, enterprise_user):
    client.force_login(enterprise_user)
    taken = enterprise_user.memberships.get().organisation.credit_code
    response = _post(client, credit_code=taken)
    assert response.status_code == 422
    assert "已有机构注册" in response.json()["message"]


def test_it_rejects_a_payload_missing_fields_with_422(client, enterprise_user):
    client.force_login(enterprise_user)
    response = client.post("/api/v1/organisations", {"name": "缺字段"}, content_type="application/json")
    assert response.status_code == 422
    assert set(response.json()) == {"code", "message", "detail"}


# --- the licence scan: required to register, uploaded while 待审核/已退回 (issue: 注册须上传执照) ----


def test_the_service_registers_no_organisation_without_its_scan(reference):
    with pytest.raises(ValidationFailed, match="注册机构须上传营业执照"):
        _register(document=None)
    assert not User.objects.filter(username="newcomer").exists()
    assert not Organisation.objects.filter(credit_code=GOOD_CODE).exists()
    assert not AuditEvent.objects.exists()


def test_api_registration_stores_the_scan_and_refuses_without_one(client, enterprise_user):
    client.force_login(enterprise_user)
    for document, match in ((None, "注册机构须上传营业执照"), (_scan(b"plain text"), "须为PDF、JPG或PNG")):
        refused = _post(client, document=document)
        assert refused.status_code == 422 and match in refused.json()["message"], refused.json()
        assert "document" in refused.json()["detail"]
        assert not Organisation.objects.filter(credit_code=GOOD_CODE).exists()
    response = _post(client)
    assert response.status_code == 201
    org = Organisation.objects.get(pk=response.json()["id"])
    assert [d.original_name for d in org.documents.all()] == ["营业执照.png"]


def test_api_upload_of_a_scan_by_the_admin_while_not_yet_verified(client, enterprise_user, reference):
    returned = OrganisationFactory(region_id="220104", returned=True)
    admin, member = member_of(returned), member_of(returned, role="member")
    url = f"/api/v1/organisations/{returned.pk}/documents"
    client.force_login(member)
    assert client.post(url, {"document": _scan()}).status_code == 403
    client.force_login(admin)
    empty = client.post(url, {})
    assert empty.status_code == 422 and "不能为空" in empty.json()["message"]
    assert client.post(url, {"document": _scan(b"GIF89a")}).status_code == 422
    assert not OrganisationDocument.objects.filter(organisation=returned).exists()
    ok = client.post(url, {"document": _scan(name="执照.png")})
    assert ok.status_code == 201 and ok.json()["original_name"] == "执照.png"
    assert client.post(f"/api/v1/organisations/{returned.pk}/resubmit").status_code == 200
    verified = enterprise_user.memberships.get().organisation  # verified: changes go through the bureau
    client.force_login(enterprise_user)
    refused = client.post(f"/api/v1/organisations/{verified.pk}/documents", {"document": _scan()})
    assert refused.status_code in (409, 422) and "联系属地科技局" in refused.json()["message"]
    assert not OrganisationDocument.objects.filter(organisation=verified).exists()

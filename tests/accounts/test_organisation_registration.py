"""An organisation's registration before verification: its admin corrects the data and uploads the
licence scan; a returned organisation resubmits only with a scan; verified ones are not edited here."""

import pytest
from django.utils import timezone

from tests.factories import OrganisationFactory, UserFactory, credit_code_in, member_of
from zhouqiao.accounts import services
from zhouqiao.accounts.credit_code import make
from zhouqiao.accounts.models import MemberRole, Organisation, OrganisationDocument
from zhouqiao.accounts.states import VerificationStatus
from zhouqiao.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from zhouqiao.core.models import AuditEvent

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _data(org, **changes):
    return {
        "name": org.name,
        "kind": org.kind,
        "credit_code": org.credit_code,
        "region": org.region_id,
        "address": "",
        "contact_name": "",
        "contact_phone": org.contact_phone,
        "contact_email": "",
        "website": "",
        "description": "",
        **changes,
    }


def _edit(actor, org, **changes):
    return services.edit_registration(
        actor=actor, organisation_id=org.pk, data=_data(org, **changes), now=timezone.now()
    )


def _upload(actor, org, content=PDF, name="营业执照.pdf"):
    return services.upload_document(
        actor=actor, organisation_id=org.pk, content=content, filename=name, now=timezone.now()
    )


def _audited(org, action):
    return AuditEvent.objects.filter(target_id=str(org.pk), action=action).exists()


@pytest.mark.parametrize("status", [VerificationStatus.SUBMITTED, VerificationStatus.RETURNED])
def test_the_admin_corrects_the_registration_while_not_yet_verified(reference, status):
    org = OrganisationFactory(region_id="220204", status=status)
    code = credit_code_in("220202")
    _edit(member_of(org), org, name="吉林市智造未来科技股份有限公司", credit_code=code, region="220202")
    org.refresh_from_db()
    assert (org.name, org.credit_code, org.region_id) == ("吉林市智造未来科技股份有限公司", code, "220202")
    assert org.status == status  # a returned organisation then resubmits itself
    assert _audited(org, "organisation.update")


def test_it_rejects_editing_a_verified_organisation(reference):
    org = OrganisationFactory(region_id="220204")
    with pytest.raises(InvalidTransition, match="已认证机构的信息变更请联系属地科技局"):
        _edit(member_of(org), org, name="改名")
    with pytest.raises(InvalidTransition):
        _upload(member_of(org), org)
    assert Organisation.objects.get(pk=org.pk).name == org.name
    assert not org.documents.exists() and not AuditEvent.objects.exists()


def test_it_rejects_edits_and_uploads_by_a_plain_member_or_a_stranger(reference):
    org = OrganisationFactory(region_id="220204", returned=True)
    for person in (member_of(org, role=MemberRole.MEMBER), UserFactory()):
        with pytest.raises(PermissionDenied):
            _edit(person, org, name="改名")
        with pytest.raises(PermissionDenied):
            _upload(person, org)
    assert Organisation.objects.get(pk=org.pk).name == org.name
    assert not org.documents.exists() and not AuditEvent.objects.exists()


def test_it_rejects_a_wrong_check_digit_in_chinese_and_changes_nothing(reference):
    org = OrganisationFactory(region_id="220204", returned=True)
    good = credit_code_in("220204")
    with pytest.raises(ValidationFailed) as caught:
        _edit(member_of(org), org, name="新名称", credit_code=good[:17] + ("0" if good[17] != "0" else "1"))
    assert "校验位不正确" in str(caught.value.message)
    assert "credit_code" in caught.value.detail
    fresh = Organisation.objects.get(pk=org.pk)
    assert (fresh.name, fresh.credit_code) == (org.name, org.credit_code)
    assert not AuditEvent.objects.exists()


def test_it_rejects_a_credit_code_another_organisation_holds(reference):
    other = OrganisationFactory(credit_code=make("91220204MA0000001"))
    org = OrganisationFactory(region_id="220204", returned=True)
    with pytest.raises(ValidationFailed, match="已有机构注册"):
        _edit(member_of(org), org, credit_code=other.credit_code)


def test_an_upload_is_stored_privately_and_audited(reference, settings):
    org = OrganisationFactory(region_id="220204", returned=True)
    doc = _upload(member_of(org), org, content=PNG, name="执照.png")
    assert doc.original_name == "执照.png" and doc.extension == "png"
    assert doc.file.name.startswith("organisations/") and "执照" not in doc.file.name  # server-made name
    assert doc.file.read() == PNG
    assert _audited(org, "organisation.document_upload")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"MZ\x90\x00 not a scan", "须为PDF、JPG或PNG"),
        (b"just text renamed to .pdf", "须为PDF、JPG或PNG"),
        (b"", "不能为空，且不超过10MB"),
        (b"%PDF-" + b"\0" * (10 * 1024 * 1024), "不能为空，且不超过10MB"),
    ],
)
def test_it_rejects_an_upload_that_is_no_scan_or_too_big(reference, content, message):
    org = OrganisationFactory(region_id="220204", returned=True)
    with pytest.raises(ValidationFailed, match=message) as caught:
        _upload(member_of(org), org, content=content, name="licence.pdf")
    assert "document" in caught.value.detail
    assert not OrganisationDocument.objects.exists() and not AuditEvent.objects.exists()


def test_a_returned_organisation_resubmits_only_with_a_scan(reference, other_city_staff):
    from zhouqiao.accounts import todos
    from zhouqiao.notifications.models import Notification

    org = OrganisationFactory(region_id="220204", returned=True)
    admin = member_of(org)
    with pytest.raises(ValidationFailed, match="请先上传营业执照"):
        services.resubmit_organisation(actor=admin, organisation_id=org.pk, now=timezone.now())
    assert Organisation.objects.get(pk=org.pk).status == VerificationStatus.RETURNED
    _upload(admin, org)
    services.resubmit_organisation(actor=admin, organisation_id=org.pk, now=timezone.now())
    assert Organisation.objects.get(pk=org.pk).status == VerificationStatus.SUBMITTED
    told = Notification.objects.filter(kind=todos.SUBMITTED).values_list("user__username", flat=True)
    assert list(told) == ["jilin_city_staff"]


def test_signing_up_with_a_scan_stores_it_and_a_bad_one_writes_nothing(reference):
    org_data = {"name": "吉林市新星科技有限公司", "kind": "enterprise", "region": "220204"}

    def sign_up(username, document):
        return services.register(
            username=username,
            password="Abcdef12!x",
            display_name="张三",
            organisation={**org_data, "credit_code": credit_code_in("220204")},
            document=document,
            now=timezone.now(),
        )

    with pytest.raises(ValidationFailed, match="须为PDF、JPG或PNG"):
        sign_up("xinxing", (b"hello", "a.pdf"))
    assert not Organisation.objects.exists() and not OrganisationDocument.objects.exists()
    sign_up("xinxing", (PDF, "营业执照.pdf"))
    org = Organisation.objects.get(name="吉林市新星科技有限公司")
    assert [d.original_name for d in org.documents.all()] == ["营业执照.pdf"]


def test_the_admin_removes_a_wrong_scan_before_verification_only(reference):
    org = OrganisationFactory(region_id="220204", returned=True)
    admin = member_of(org)
    wrong, right = _upload(admin, org, name="错传的文件.pdf"), _upload(admin, org)
    with pytest.raises(PermissionDenied):
        services.remove_document(
            actor=member_of(org, role=MemberRole.MEMBER), document_id=wrong.pk, now=timezone.now()
        )
    services.remove_document(actor=admin, document_id=wrong.pk, now=timezone.now())
    assert [d.original_name for d in org.documents.all()] == ["营业执照.pdf"]
    assert _audited(org, "organisation.document_remove")
    Organisation.objects.filter(pk=org.pk).update(status=VerificationStatus.VERIFIED)
    with pytest.raises(InvalidTransition):
        services.remove_document(actor=admin, document_id=right.pk, now=timezone.now())
    assert org.documents.count() == 1


def test_a_waiting_organisation_keeps_its_only_scan(reference, client):
    """待审核: the only licence scan cannot be deleted (no button, and the service refuses)."""
    org = OrganisationFactory(region_id="220204", status=VerificationStatus.SUBMITTED)
    admin = member_of(org)
    only = _upload(admin, org)
    with pytest.raises(InvalidTransition, match="须保留营业执照"):
        services.remove_document(actor=admin, document_id=only.pk, now=timezone.now())
    assert org.documents.count() == 1 and not _audited(org, "organisation.document_remove")
    client.force_login(admin)
    page = client.get(f"/organisations/{org.pk}/").content.decode()
    assert "organisation_document_remove" not in page and f"/documents/{only.pk}/remove" not in page
    assert ">删除<" not in page
    second = _upload(admin, org, name="新版营业执照.pdf")  # a replacement first: then either may go
    assert ">删除<" in client.get(f"/organisations/{org.pk}/").content.decode()
    services.remove_document(actor=admin, document_id=only.pk, now=timezone.now())
    assert [d.pk for d in org.documents.all()] == [second.pk]


def test_a_resubmission_shows_its_history_and_is_told_once_as_a_resubmission(
    reference, other_city_staff, client
):
    from zhouqiao.accounts import todos
    from zhouqiao.notifications.models import Notification

    org = OrganisationFactory(region_id="220204", status=VerificationStatus.SUBMITTED)
    admin = member_of(org)
    _upload(admin, org)
    reason = "营业执照扫描件不清晰，请重新上传加盖公章的副本。"
    services.return_organisation(
        actor=other_city_staff, organisation_id=org.pk, reason=reason, now=timezone.now()
    )
    services.resubmit_organisation(actor=admin, organisation_id=org.pk, now=timezone.now())
    told = Notification.objects.get(user=other_city_staff, kind=todos.SUBMITTED)
    assert "重新提交" in told.title and reason in told.body
    entry = AuditEvent.objects.filter(target_id=str(org.pk), action="organisation.submitted").get()
    services._tell_about(Organisation.objects.get(pk=org.pk), entry, now=timezone.now())  # again
    assert Notification.objects.filter(user=other_city_staff, kind=todos.SUBMITTED).count() == 1
    client.force_login(other_city_staff)
    page = client.get(f"/organisations/{org.pk}/").content.decode()
    history = page[page.index("认证办理记录") :]
    assert reason in history and "重新提交" in history

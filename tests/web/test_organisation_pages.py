"""The organisation pages around verification: the returned organisation's admin edits, uploads and
resubmits; the scan is served to members and covering reviewers only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.factories import OrganisationFactory, UserFactory, member_of, staff_in
from zhouqiao.accounts import services
from zhouqiao.accounts.models import Duty, MemberRole, Organisation

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def returned(reference):
    org = OrganisationFactory(region_id="220204", returned=True, status_reason="请上传营业执照副本。")
    return org, member_of(org)


def _scan(org, admin):
    return services.upload_document(
        actor=admin, organisation_id=org.pk, content=PDF, filename="营业执照副本.pdf", now=timezone.now()
    )


def test_the_returned_organisation_page_offers_edit_and_upload_before_resubmission(client, returned):
    org, admin = returned
    client.force_login(admin)
    page = client.get(f"/organisations/{org.pk}/").content.decode()
    assert "审核意见：请上传营业执照副本。" in page
    assert "修改信息" in page and "上传材料" in page
    assert "请先上传营业执照（或事业单位法人证书）副本扫描件" in page and "重新提交审核</button>" not in page

    upload = SimpleUploadedFile("营业执照副本.pdf", PDF, content_type="application/pdf")
    response = client.post(f"/organisations/{org.pk}/documents/", {"document": upload}, follow=True)
    assert "已上传认证材料：营业执照副本.pdf。" in response.content.decode()
    assert "重新提交审核</button>" in response.content.decode()


def test_an_upload_that_is_no_scan_is_refused_on_the_page(client, returned):
    org, admin = returned
    client.force_login(admin)
    upload = SimpleUploadedFile("licence.pdf", b"<html>no</html>", content_type="application/pdf")
    response = client.post(f"/organisations/{org.pk}/documents/", {"document": upload}, follow=True)
    assert "须为PDF、JPG或PNG文件" in response.content.decode()
    assert not org.documents.exists()


def test_the_edit_page_saves_and_shows_a_wrong_code_in_chinese(client, returned):
    org, admin = returned
    client.force_login(admin)
    form = {"name": "吉林市智造未来科技股份有限公司", "kind": "enterprise", "region": "220204"}
    bad = client.post(f"/organisations/{org.pk}/edit/", {**form, "credit_code": org.credit_code[:17] + "Z"})
    assert bad.status_code == 200 and "统一社会信用代码" in bad.content.decode()
    assert Organisation.objects.get(pk=org.pk).name == org.name
    good = client.post(f"/organisations/{org.pk}/edit/", {**form, "credit_code": org.credit_code})
    assert good.status_code == 302
    assert Organisation.objects.get(pk=org.pk).name == "吉林市智造未来科技股份有限公司"


def test_a_verified_organisations_edit_page_sends_changes_to_the_bureau(client, reference):
    org = OrganisationFactory(region_id="220204")
    admin = member_of(org)
    client.force_login(admin)
    page = client.get(f"/organisations/{org.pk}/edit/").content.decode()
    assert "已认证机构的信息变更请联系属地科技局" in page and "<form" not in page.split("<main", 1)[-1]
    client.post(f"/organisations/{org.pk}/edit/", {"name": "改名", "kind": "enterprise"})
    assert Organisation.objects.get(pk=org.pk).name == org.name
    assert "修改信息" not in client.get(f"/organisations/{org.pk}/").content.decode()


def test_only_the_organisations_admins_open_its_edit_page(client, returned):
    org, _ = returned
    for person in (member_of(org, role=MemberRole.MEMBER), staff_in("220200", Duty.REVIEWER), UserFactory()):
        client.force_login(person)
        assert client.get(f"/organisations/{org.pk}/edit/").status_code == 404


def test_the_scan_is_read_by_members_and_covering_reviewers_only(client, returned):
    org, admin = returned
    doc = _scan(org, admin)
    url = f"/organisations/documents/{doc.pk}/"
    readers = {
        "member": member_of(org, role=MemberRole.MEMBER),
        "reviewer": staff_in("220200", Duty.REVIEWER),
        "province reviewer": staff_in("220000", Duty.REVIEWER),
    }
    for who, person in readers.items():
        client.force_login(person)
        response = client.get(url)
        assert response.status_code == 200, who
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content) == PDF
    strangers = {
        "stranger": UserFactory(),
        "other city's reviewer": staff_in("220100", Duty.REVIEWER),
        "registrar of the same city": staff_in("220200", Duty.REGISTRAR),
    }
    for who, person in strangers.items():
        client.force_login(person)
        assert client.get(url).status_code == 404, who
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_the_reviewer_sees_the_scan_as_a_link_and_the_public_does_not(client, returned):
    org, admin = returned
    doc = _scan(org, admin)
    services.resubmit_organisation(actor=admin, organisation_id=org.pk, now=timezone.now())
    client.force_login(staff_in("220200", Duty.REVIEWER))
    page = client.get(f"/organisations/{org.pk}/").content.decode()
    assert f'href="/organisations/documents/{doc.pk}/"' in page and "营业执照副本.pdf" in page
    assert "通过认证" in page
    services.verify_organisation(
        actor=staff_in("220200", Duty.REVIEWER), organisation_id=org.pk, now=timezone.now()
    )
    client.force_login(UserFactory())
    assert "营业执照副本.pdf" not in client.get(f"/organisations/{org.pk}/").content.decode()


def test_the_sign_up_form_takes_the_scan(client, reference):
    from tests.web.test_register_page import _form

    upload = SimpleUploadedFile("营业执照.pdf", PDF, content_type="application/pdf")
    assert client.post("/register/", {**_form(), "org_document": upload}).status_code == 302
    org = Organisation.objects.get(name="德惠丰收合作社")
    assert [d.original_name for d in org.documents.all()] == ["营业执照.pdf"]


def test_the_verification_queue_says_whether_a_scan_is_uploaded(client, reference):
    with_scan = OrganisationFactory(name="有执照的企业", region_id="220204", submitted=True)
    OrganisationFactory(name="无执照的企业", region_id="220204", submitted=True)
    _scan(with_scan, member_of(with_scan))
    client.force_login(staff_in("220200", Duty.REVIEWER))
    rows = client.get("/office/verification/").content.decode().split("<tr>")
    assert "已上传1份" in next(r for r in rows if "有执照的企业" in r)
    assert "未上传" in next(r for r in rows if "无执照的企业" in r)


def test_the_admin_deletes_a_scan_from_the_page_and_a_stranger_cannot(client, returned):
    org, admin = returned
    doc = _scan(org, admin)
    client.force_login(UserFactory())
    assert client.post(f"/organisations/documents/{doc.pk}/remove/").status_code == 404
    client.force_login(admin)
    assert "删除 营业执照副本.pdf" in client.get(f"/organisations/{org.pk}/").content.decode()
    response = client.post(f"/organisations/documents/{doc.pk}/remove/", follow=True)
    assert "已删除认证材料：营业执照副本.pdf。" in response.content.decode()
    assert not org.documents.exists()

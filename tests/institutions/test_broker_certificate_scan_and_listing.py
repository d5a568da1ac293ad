"""Tester's findings: a broker certificate scan can be uploaded (PDF/JPG/PNG, bounded), read only by
the institution and the reviewers, shown on the review page; only a change of the certificate
sends it back to the reviewers, and meanwhile the broker stays listed with the approved one."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.factories import member_of
from tests.institutions.conftest import NOW
from zhouqiao.community.institutions import services
from zhouqiao.core import uploads
from zhouqiao.core.errors import ValidationFailed

pytestmark = pytest.mark.django_db

CERTIFICATE = {
    "name": "孙立",
    "level": "senior",
    "certificate_number": "DBZX-2021-0618",
    "certificate_issuer": "国家技术转移东北中心",
    "certificate_date": "2021-06-18",
    "fields": "先进制造",
}
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def approved(admin, institution, reviewer):
    person = member_of(institution, username="sunli")
    broker = services.register_broker(
        actor=admin, organisation_id=institution.pk, user_id=person.pk, data=CERTIFICATE, now=NOW
    )
    return services.decide_certificate(actor=reviewer, broker_id=broker.pk, approve=True, reason="", now=NOW)


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _edit(admin, broker, **changes):
    form = {**CERTIFICATE, "profile": "", **changes}
    return client_for(admin).post(f"/community/institutions/brokers/{broker.pk}/edit/", form)


def _listed(client=None):
    return (client or client_for()).get("/community/institutions/brokers/").content.decode()


def test_an_edit_of_the_profile_keeps_the_broker_listed_and_approved(approved, admin):
    assert _edit(admin, approved, fields="生物医药", profile="十年经验").status_code == 302
    approved.refresh_from_db()
    assert approved.certificate_status == "approved"
    assert "孙立" in _listed()


def test_a_changed_certificate_is_reviewed_while_the_approved_one_stays_listed(approved, admin, reviewer):
    assert (
        _edit(admin, approved, certificate_number="DBZX-2024-0001", level="intermediate").status_code == 302
    )
    approved.refresh_from_db()
    assert approved.certificate_status == "submitted"
    listed = _listed()
    assert "孙立" in listed and "高级技术经理人" in listed  # the level last approved
    public = client_for().get(f"/community/institutions/brokers/{approved.pk}/").content.decode()
    assert "DBZX-2021-0618" in public and "DBZX-2024-0001" not in public
    review = client_for(reviewer).get(f"/community/institutions/brokers/{approved.pk}/").content.decode()
    assert "DBZX-2024-0001" in review and "核验通过" in review
    services.decide_certificate(actor=reviewer, broker_id=approved.pk, approve=True, reason="", now=NOW)
    public = client_for().get(f"/community/institutions/brokers/{approved.pk}/").content.decode()
    assert "DBZX-2024-0001" in public


def test_a_scan_is_uploaded_reviewed_and_read_only_by_the_institution_and_reviewers(
    approved, admin, reviewer, jilin_reviewer, buyer_user
):
    scan = SimpleUploadedFile("证书.png", PNG, content_type="image/png")
    assert _edit(admin, approved, certificate_scan=scan).status_code == 302
    approved.refresh_from_db()
    assert approved.certificate_status == "submitted"  # a new scan is a change of the certificate
    assert approved.certificate_scan_name == "证书.png"
    url = f"/community/institutions/brokers/{approved.pk}/certificate-scan/"
    review = client_for(reviewer).get(f"/community/institutions/brokers/{approved.pk}/").content.decode()
    assert url in review and "证书扫描件" in review
    got = client_for(reviewer).get(url)
    assert got.status_code == 200 and got["Content-Type"] == "image/png"
    assert b"".join(got.streaming_content) == PNG
    assert client_for(admin).get(url).status_code == 200
    assert client_for(buyer_user).get(url).status_code == 404
    assert client_for(jilin_reviewer).get(url).status_code == 404
    assert client_for().get(url).status_code == 302  # to the login page


def test_it_rejects_a_scan_that_is_not_pdf_jpg_or_png_or_too_big(approved, admin):
    bad = SimpleUploadedFile("证书.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    page = _edit(admin, approved, certificate_scan=bad).content.decode()
    assert "证书扫描件须为PDF、JPG或PNG文件" in page
    approved.refresh_from_db()
    assert (approved.certificate_status, approved.certificate_scan_name) == ("approved", "")
    with pytest.raises(ValidationFailed):
        services.update_broker(
            actor=admin,
            broker_id=approved.pk,
            data=CERTIFICATE,
            scan=(b"%PDF-" + b"\0" * uploads.MAX_SCAN_BYTES, "big.pdf"),
            now=NOW,
        )


def test_a_broker_approved_before_the_snapshot_was_kept_stays_listed_through_a_change(approved, admin):
    type(approved).objects.filter(pk=approved.pk).update(approved_certificate={})  # as the demo's brokers
    assert _edit(admin, approved, certificate_number="DBZX-2024-0001").status_code == 302
    listed = _listed()
    assert "孙立" in listed
    public = client_for().get(f"/community/institutions/brokers/{approved.pk}/").content.decode()
    assert "DBZX-2021-0618" in public

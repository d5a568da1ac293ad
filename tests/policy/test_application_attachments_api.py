"""The application API carries the materials attached per required item (政策兑现 申请附件), with
the download address the web page links, to the applicant and the reviewer who pays it; a bureau
that only oversees gets no file list, and another enterprise not the application at all."""

import datetime as dt

import pytest

from tests.contracts.fixtures import PDF
from tests.factories import OrganisationFactory, member_of, staff_in
from zhouqiao.accounts.models import Duty
from zhouqiao.policy import services

pytestmark = pytest.mark.django_db

RULE = "cc_pilot_platform_open_service"  # 001#10: evidence 备案文件 and 考核结果; the city pays


@pytest.fixture
def claimed(now):
    org = OrganisationFactory(name="长春测试中试基地有限公司", kind="enterprise", region_id="220104")
    user = member_of(org)
    application = services.apply_for_event(
        actor=user,
        organisation_id=org.pk,
        rule_id=RULE,
        event_date=dt.date(2024, 5, 1),
        event_reference="中试考核-2024-01",
        statement="2024年度考核优秀",
        attachments=[
            ("中试平台（基地）市级备案文件", PDF, "备案文件.pdf"),
            ("定期考核结果（开放服务情况）", PDF, "考核结果.pdf"),
        ],
        now=now,
    )
    return application, user


def _as(client, user, url):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client.get(url)


def test_the_applicant_and_the_reviewer_see_the_files_with_their_download_address(claimed, client):
    application, applicant = claimed
    detail = f"/api/v1/policy/applications/{application.pk}"
    reviewer = staff_in("220100", Duty.FINANCE, username="cc_finance")
    for user in (applicant, reviewer):
        body = _as(client, user, detail).json()
        assert body["required_materials"] == ["中试平台（基地）市级备案文件", "定期考核结果（开放服务情况）"]
        files = body["attachments"]
        assert [(f["material"], f["name"], f["size"]) for f in files] == [
            ("中试平台（基地）市级备案文件", "备案文件.pdf", len(PDF)),
            ("定期考核结果（开放服务情况）", "考核结果.pdf", len(PDF)),
        ]
        listed = next(
            a for a in _as(client, user, "/api/v1/policy/applications").json() if a["id"] == application.pk
        )
        assert listed["attachments"] == files
        # The address is the web's download, and it serves the file to this reader.
        download = client.get(files[0]["url"])
        assert files[0]["url"] == f"/policy/applications/{application.pk}/files/{files[0]['id']}/"
        assert download.status_code == 200 and b"".join(download.streaming_content) == PDF


def test_no_one_else_sees_the_files(claimed, client):
    application, _ = claimed
    detail = f"/api/v1/policy/applications/{application.pk}"
    other = member_of(
        OrganisationFactory(name="长春测试其他企业有限公司", kind="enterprise", region_id="220104")
    )
    assert _as(client, other, detail).status_code == 404
    assert application.pk not in [a["id"] for a in client.get("/api/v1/policy/applications").json()]
    # The province's finance staff oversee the city's claims but do not pay them: no file list,
    # as the download itself refuses them (the city bureau is staffed: the claim waits on it).
    staff_in("220100", Duty.FINANCE, username="cc_finance")
    province = staff_in("220000", Duty.FINANCE, username="jl_finance")
    body = _as(client, province, detail).json()
    assert body["attachments"] is None
    url = f"/policy/applications/{application.pk}/files/{application.attachments.first().pk}/"
    assert client.get(url).status_code == 404

"""Notices: published by staff of a jurisdiction, scheduled publication, checked attachments,
filters; bad input gets a Chinese error and writes nothing."""

from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from zhouqiao.community.exchange import services
from zhouqiao.community.exchange.models import Notice, NoticeAttachment
from zhouqiao.core.errors import PermissionDenied, ValidationFailed
from zhouqiao.core.models import AuditEvent

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n" + b"0" * 200


def _data(**overrides):
    values = {
        "kind": "notice",
        "title": "关于组织申报科技计划项目的通知",
        "body": "各有关单位：现组织申报。",
        "region": "220100",
        "publish_at": None,
    }
    values.update(overrides)
    return services.NoticeData(**values)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def test_city_staff_publish_with_an_attachment_audited(city_staff, now, tmp_path):
    upload = SimpleUploadedFile("申报指南.pdf", PDF, content_type="application/pdf")
    notice = services.publish_notice(actor=city_staff, data=_data(publish_at=now), uploads=[upload], now=now)
    assert notice.jurisdiction_id == "220100"
    attachment = notice.attachments.get()
    assert attachment.original_name == "申报指南.pdf" and attachment.size == len(PDF)
    assert AuditEvent.objects.filter(action="exchange.notice.published", target_id=str(notice.pk)).exists()


def test_staff_may_not_publish_outside_their_jurisdiction_and_members_not_at_all(
    county_staff, enterprise_user, now
):
    with pytest.raises(ValidationFailed) as refused:
        services.publish_notice(actor=county_staff, data=_data(publish_at=now), now=now)
    assert refused.value.detail["region"] == ["只能发布本管辖区域内的公告。"]
    with pytest.raises(PermissionDenied):
        services.publish_notice(actor=enterprise_user, data=_data(publish_at=now), now=now)
    assert not Notice.objects.exists()


@override_settings(EXCHANGE_ATTACHMENT_MAX_BYTES=1024)
def test_an_oversize_attachment_is_refused_in_chinese_and_nothing_is_written(city_staff, now, tmp_path):
    big = SimpleUploadedFile("附件.pdf", b"%PDF-1.4\n" + b"0" * 2048, content_type="application/pdf")
    with pytest.raises(ValidationFailed) as refused:
        services.publish_notice(actor=city_staff, data=_data(publish_at=now), uploads=[big], now=now)
    assert "文件过大" in refused.value.detail["attachments"][0]
    assert not Notice.objects.exists() and not NoticeAttachment.objects.exists()
    assert not list(Path(tmp_path).rglob("*.pdf"))


def test_a_file_that_is_not_what_it_claims_is_refused(city_staff, now):
    fake = SimpleUploadedFile("通知.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationFailed) as refused:
        services.publish_notice(actor=city_staff, data=_data(publish_at=now), uploads=[fake], now=now)
    assert "文件内容与扩展名不符" in refused.value.detail["attachments"][0]
    exe = SimpleUploadedFile("工具.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    with pytest.raises(ValidationFailed):
        services.publish_notice(actor=city_staff, data=_data(publish_at=now), uploads=[exe], now=now)
    assert not Notice.objects.exists()


def test_an_empty_title_and_a_bad_region_are_refused_together(city_staff, now):
    with pytest.raises(ValidationFailed) as refused:
        services.publish_notice(actor=city_staff, data=_data(title=" ", region="229999"), now=now)
    assert set(refused.value.detail) == {"title", "region"}
    assert not Notice.objects.exists()


def test_no_publication_time_publishes_now(city_staff, now):
    notice = services.publish_notice(actor=city_staff, data=_data(publish_at=None), now=now)
    assert notice.publish_at == now


def test_a_scheduled_notice_is_not_shown_before_its_time(client, city_staff, now):
    later = services.publish_notice(
        actor=city_staff, data=_data(title="下周发布的通知", publish_at=now + timedelta(days=7)), now=now
    )
    services.publish_notice(actor=city_staff, data=_data(title="今天的通知", publish_at=now), now=now)
    with time_machine.travel(now + timedelta(hours=1), tick=False):
        page = client.get(reverse("exchange:notice_list")).content.decode()
        assert "今天的通知" in page and "下周发布的通知" not in page
        assert client.get(reverse("exchange:notice_detail", args=[later.pk])).status_code == 404
        client.force_login(city_staff)
        staff_page = client.get(reverse("exchange:notice_list")).content.decode()
        assert "下周发布的通知" in staff_page and "定时发布" in staff_page
        client.logout()
    with time_machine.travel(now + timedelta(days=8), tick=False):
        assert client.get(reverse("exchange:notice_detail", args=[later.pk])).status_code == 200


def test_the_list_filters_by_region_kind_and_year(client, city_staff, other_city_staff, now):
    services.publish_notice(
        actor=city_staff, data=_data(title="长春通知", publish_at=now - timedelta(days=400)), now=now
    )
    services.publish_notice(
        actor=other_city_staff,
        data=_data(title="吉林市申报指南", kind="guide", region="220200", publish_at=now - timedelta(days=1)),
        now=now,
    )
    url = reverse("exchange:notice_list")
    assert "吉林市申报指南" not in client.get(url, {"region": "220100"}).content.decode()
    page = client.get(url, {"kind": "guide"}).content.decode()
    assert "吉林市申报指南" in page and "长春通知" not in page
    page = client.get(url, {"year": str((now - timedelta(days=400)).year)}).content.decode()
    assert "长春通知" in page and "吉林市申报指南" not in page


def test_the_publish_page_shows_errors_in_chinese(client, city_staff, enterprise_user):
    client.force_login(enterprise_user)
    assert client.get(reverse("exchange:notice_new")).status_code == 404
    client.force_login(city_staff)
    response = client.post(
        reverse("exchange:notice_new"), {"kind": "notice", "title": "", "region": "220100"}
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "请填写标题。" in body
    assert not Notice.objects.exists()


def test_the_policy_page_lists_every_seed_document_and_links_clauses_to_the_calculator(client):
    body = client.get(reverse("policy:rules")).content.decode()
    for title in (
        "在长春市建立产学研协同创新机制试点工作实施方案",
        "吉林省技术转移体系建设方案",
        "吉林市关于深入实施创新驱动发展战略",
    ):
        assert title in body
    assert reverse("policy:calculator") + "#rule-cc_challenge_accepted" in body
    assert reverse("exchange:thread", args=["policy", "cc_challenge_accepted"]) in body

"""Open data: only published records, no confidential or personal fields, updated_since, the API's
pages, the data dictionary and the licence on the page."""

import csv
import io
import json
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from tests.factories import OrganisationFactory
from zhouqiao.catalog.models import Achievement, Demand
from zhouqiao.market.models import Deal
from zhouqiao.web import opendata

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
JAN, MAR = datetime(2026, 1, 10, 9, tzinfo=TZ), datetime(2026, 3, 10, 9, tzinfo=TZ)
SECRET = "需求方不愿公开的技术指标"


def _common(owner, title, status, updated):
    return {
        "owner": owner,
        "region_id": owner.region_id,
        "title": title,
        "status": status,
        "contact_name": "联系人甲",
        "contact_phone": "13800001111",
        "contact_email": "secret@example.cn",
        "created_at": updated,
        "updated_at": updated,
        "published_at": updated if status == "published" else None,
    }


@pytest.fixture
def records(reference):
    owner = OrganisationFactory(name="开放数据测试有限公司", region_id="220104")
    Achievement.objects.create(
        **_common(owner, "已发布的旧成果", "published", JAN), abstract="简介", readiness=5
    )
    Achievement.objects.create(
        **_common(owner, "已发布的新成果", "published", MAR), abstract="简介", readiness=6
    )
    Achievement.objects.create(**_common(owner, "草稿成果", "draft", MAR), abstract="简介", readiness=3)
    for title, level in (("公开需求", "public"), ("摘要需求", "summary"), ("邀请需求", "invited")):
        Demand.objects.create(
            **_common(owner, title, "published", MAR),
            summary="摘要",
            problem=SECRET,
            indicators=SECRET,
            budget_min=Decimal("100000"),
            budget_max=Decimal("200000"),
            confidentiality=level,
        )
    return owner


def download(client, dataset, fmt, **params):
    response = client.get(reverse("web:open_data_download", args=[dataset, fmt]), params)
    assert response.status_code == 200
    return response.content.decode("utf-8-sig")


def test_only_published_records_without_personal_or_confidential_fields(client, records):
    rows = list(csv.DictReader(io.StringIO(download(client, "achievements", "csv"))))
    assert {r["title"] for r in rows} == {"已发布的旧成果", "已发布的新成果"}
    body = download(client, "demands", "json")
    data = json.loads(body)
    assert {r["title"]: r["budget_max"] for r in data["rows"]} == {"公开需求": "200000.00", "摘要需求": None}
    assert data["licence"]["name"] == "CC BY 4.0"
    for text in (body, download(client, "achievements", "json")):
        assert SECRET not in text and "13800001111" not in text and "secret@example.cn" not in text
        assert "联系人甲" not in text


def test_deals_leave_out_terms_and_private_negotiations(reference):
    seller, buyer = OrganisationFactory(), OrganisationFactory()
    deal = Deal(
        pk=1,
        source="listing",
        title="挂牌成交",
        seller=seller,
        buyer=buyer,
        region_id="220104",
        amount=Decimal("50000"),
        mode="transfer",
        terms="保密条款",
        agreed_at=MAR,
    )
    row = opendata.DATASETS["deals"].row(deal)
    assert "terms" not in row and "保密条款" not in json.dumps(row, ensure_ascii=False)
    assert "contract_id" not in row
    assert str(opendata.DATASETS["deals"].queryset().query).count("source") >= 1  # announced only


def test_updated_since_keeps_the_later_changes(client, records):
    data = json.loads(download(client, "achievements", "json", updated_since="2026-02-01"))
    assert [r["title"] for r in data["rows"]] == ["已发布的新成果"]
    api = client.get("/api/v1/open-data/achievements", {"updated_since": "2026-02-01T00:00:00+08:00"}).json()
    assert [r["title"] for r in api] == ["已发布的新成果"]
    bad = client.get(
        reverse("web:open_data_download", args=["achievements", "csv"]), {"updated_since": "昨天"}
    )
    assert bad.status_code == 400


def test_the_api_pages_through_the_rows(client, records):
    first = client.get("/api/v1/open-data/achievements", {"limit": 1, "offset": 0}).json()
    second = client.get("/api/v1/open-data/achievements", {"limit": 1, "offset": 1}).json()
    assert [r["title"] for r in first + second] == ["已发布的旧成果", "已发布的新成果"]
    assert client.get("/api/v1/open-data/achievements", {"limit": 500}).status_code == 422
    assert client.get("/api/v1/open-data/projects").status_code == 200


def test_the_page_documents_every_dataset_and_the_licence(client, reference):
    page = client.get(reverse("web:open_data")).content.decode()
    assert "CC BY 4.0" in page and "数据字典" in page
    for dataset in opendata.DATASETS.values():
        assert str(dataset.title) in page
        for f in dataset.fields:
            assert f'<code lang="en">{f.name}</code>' in page

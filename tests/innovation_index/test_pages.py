"""The ranking, methodology, management pages and the API: who sees what."""

import io

import pytest
from openpyxl import load_workbook

from tests.innovation_index.conftest import as_file, rows_for
from zhouqiao.insights.innovation_index import services
from zhouqiao.insights.innovation_index.models import IndexInput


@pytest.fixture
def published_2024(statistician, now):
    services.open_year(year=2024, actor=statistician, now=now)
    services.import_inputs(source=as_file(rows_for(2024)), actor=statistician, now=now)
    return services.publish_year(year=2024, actor=statistician, now=now)


def test_the_public_sees_published_rankings_not_open_years(client, published_2024, statistician, now):
    services.open_year(year=2025, actor=statistician, now=now)
    services.import_inputs(source=as_file(rows_for(2025)), actor=statistician, now=now)
    page = client.get("/insights/index/").content.decode()
    assert "2024年度排名" in page and "德惠市" in page
    assert "2025" not in page.split("2024年度排名")[0].split("<select")[1].split("</select>")[0]
    assert client.get("/insights/index/?year=2025").content.decode().count("2024年度排名") == 1
    assert client.get("/insights/index/2025/inputs.xlsx").status_code == 404
    download = client.get("/insights/index/2024/inputs.xlsx")
    assert download.status_code == 200
    sheet = load_workbook(io.BytesIO(download.content))["指标输入"]
    assert sheet.max_row == 70  # header + 69 regions
    api = client.get("/api/v1/insights/index/ranking?year=2024").json()
    assert api[0]["rank"] == 1 and set(api[0]["pillars"]) == {"input", "output", "environment"}
    assert client.get("/api/v1/insights/index/ranking?year=2025").json() == []


def test_methodology_page_writes_down_the_method(client, published_2024):
    page = client.get("/insights/index/methodology/").content.decode()
    for words in (
        "最小—最大值标准化",
        "Z分数标准化",
        "默认等权",
        "缺失",
        "敏感性分析",
        "R&amp;D经费投入强度",
    ):
        assert words in page
    # The command line and the file hash are for operators: folded away under 技术说明, not in
    # the text a clerk reads.
    clerk_text, technical = page.split('<details class="technical">')
    assert "innovation-index --inputs" not in clerk_text and "SHA-256" not in clerk_text
    assert published_2024.inputs_sha256 not in clerk_text
    assert "技术说明" in technical and "innovation-index --inputs" in technical
    assert published_2024.inputs_sha256 in technical


def test_management_is_for_statistics_staff_only(client, province_staff, county_statistician):
    assert client.get("/insights/index/manage/").status_code == 302  # to the sign-in page
    client.force_login(province_staff)  # a reviewer
    assert client.get("/insights/index/manage/").status_code == 403
    assert "指数数据管理" not in client.get("/insights/index/").content.decode()
    client.force_login(county_statistician)
    page = client.get("/insights/index/manage/").content.decode()
    assert "开放录入" not in page  # only the province opens and publishes


def test_staff_download_the_template_import_it_and_publish(client, statistician, open_2025):
    client.force_login(statistician)
    template = client.get("/insights/index/manage/2025/template.xlsx")
    sheet = load_workbook(io.BytesIO(template.content))["指标输入"]
    assert [c.value for c in sheet[1]][:3] == ["年度", "区划代码", "地区名称"]
    assert sheet.max_row == 70

    bad = client.post("/insights/index/manage/import/", {"file": _upload(rows_for(2025)[1:])}, follow=True)
    assert "缺少2025年度" in bad.content.decode() and not IndexInput.objects.exists()

    done = client.post("/insights/index/manage/import/", {"file": _upload(rows_for(2025))}, follow=True)
    assert "已导入69个地区的输入数据" in done.content.decode()
    assert "试算排名（未发布）" in done.content.decode()

    published = client.post("/insights/index/manage/2025/publish/", follow=True)
    assert "2025年度县域创新发展指数已发布" in published.content.decode()
    assert "2025年度排名" in published.content.decode()


def _upload(rows):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("inputs.xlsx", as_file(rows).getvalue())


def test_county_staff_enter_their_county_by_form(client, county_statistician, open_2025):
    client.force_login(county_statistician)
    values = {k: ("" if v is None else str(v)) for k, v in rows_for(2025, {"220183"})[0][3].items()}
    bad = client.post(
        "/insights/index/manage/2025/region/", {**values, "region": "220183", "population": "-1"}
    )
    assert "不能小于" in bad.content.decode() or "大于或等于" in bad.content.decode()
    assert not IndexInput.objects.exists()
    other = client.post("/insights/index/manage/2025/region/", {**values, "region": "220104"}, follow=True)
    assert "请选择您辖区内的地区" in other.content.decode() and not IndexInput.objects.exists()
    done = client.post("/insights/index/manage/2025/region/", {**values, "region": "220183"}, follow=True)
    assert "已保存德惠市2025年度的输入数据" in done.content.decode()
    assert IndexInput.objects.get().region_id == "220183"


def test_the_template_is_prefilled_with_the_platforms_own_figures(client, county_statistician, open_2025):
    """One registered contract of 1,234,500 yuan sold from Dehui in 2025 → 123.45 万元 in its row."""
    import datetime as dt
    from decimal import Decimal

    from django.utils import timezone

    from tests.factories import OrganisationFactory, UserFactory
    from zhouqiao.contracts.models import Contract

    when = dt.datetime(2025, 5, 1, 10, tzinfo=timezone.get_current_timezone())
    seller = OrganisationFactory(region_id="220183")
    Contract.objects.create(
        title="合同", contract_type="development", subtype="commissioned_development", seller=seller,
        buyer=OrganisationFactory(region_id="220104"), region_id="220183", contract_amount=Decimal("1234500"),
        technology_amount=Decimal("1234500"), signed_on=when.date(), status="registered",
        registration_number="T1", registered_at=when, created_by=UserFactory(), created_at=when,
    )  # fmt: skip
    client.force_login(county_statistician)
    sheet = load_workbook(io.BytesIO(client.get("/insights/index/manage/2025/template.xlsx").content))[
        "指标输入"
    ]
    header = [c.value for c in sheet[1]]
    row = [c.value for c in sheet[2]]
    assert row[1] == "220183"
    assert row[header.index("技术合同成交额（万元）")] == 123.45
    assert row[header.index("创新券兑付额（万元）")] == 0
    assert row[header.index("常住人口（万人）")] is None  # the statistics bureau's figure: typed in

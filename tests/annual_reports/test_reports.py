"""Annual reports: who generates, what the PDF and workbook say (figures by hand from a small
fixture), versions, publishing and who downloads."""

import io
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.enterprise_profiles.conftest import contract
from tests.factories import OrganisationFactory, staff_in
from zhouqiao.accounts.models import Duty
from zhouqiao.core.errors import Conflict, PermissionDenied
from zhouqiao.insights.reports import generation, services
from zhouqiao.insights.reports.models import ReportVersion
from zhouqiao.notifications.models import Notification

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=TZ)


@pytest.fixture
def stat_province(reference):
    return staff_in("220000", Duty.STATISTICS, username="stat_prov")


@pytest.fixture
def registered(reference):
    """2025: Changchun sells 1,200,000 + 300,000 (two contracts), Jilin City 500,000;
    2024: Changchun 1,000,000. Province 2025 turnover 2,000,000 (200万元), +100% on 2024."""
    cc = OrganisationFactory(name="长春报告测试有限公司", region_id="220104")
    cc2 = OrganisationFactory(name="长春报告买方有限公司", region_id="220102")
    jl = OrganisationFactory(name="吉林市报告测试有限公司", region_id="220204")
    contract(cc, cc2, "1200000", registered_at=datetime(2025, 5, 1, 10, tzinfo=TZ))
    contract(cc, jl, "300000", registered_at=datetime(2025, 6, 1, 10, tzinfo=TZ))
    contract(jl, cc, "500000", registered_at=datetime(2025, 7, 1, 10, tzinfo=TZ))
    contract(cc, jl, "1000000", registered_at=datetime(2024, 7, 1, 10, tzinfo=TZ))


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).replace(" ", "")


def test_only_statistics_staff_of_the_jurisdiction_generate(reference, stat_province):
    county = staff_in("220183", Duty.STATISTICS)
    reviewer = staff_in("220000", Duty.REVIEWER)
    for actor, code in ((county, "220000"), (reviewer, "220000"), (county, "220100")):
        with pytest.raises(PermissionDenied):
            services.request_generation(actor=actor, region_code=code, year=2025, now=NOW)
    assert not ReportVersion.objects.exists()
    services.request_generation(actor=county, region_code="220183", year=2025, now=NOW)


def test_a_generation_writes_the_pdf_and_workbook_and_notifies(registered, stat_province, client):
    version = services.request_generation(actor=stat_province, region_code="220000", year=2025, now=NOW)
    assert version.status == "queued" and version.number == 1
    with pytest.raises(Conflict):  # one generation of a report at a time
        services.request_generation(actor=stat_province, region_code="220000", year=2025, now=NOW)
    assert generation.run(version.pk, now=NOW) == "ready"
    version.refresh_from_db()
    assert version.progress == 100 and version.pdf and version.xlsx
    text = pdf_text(version.pdf.read())
    assert "吉林省2025年度科技成果转化与技术市场报告" in text
    assert "技术合同成交额200.00万元" in text and "+100.0%" in text
    assert "长春市" in text and "吉林市" in text
    sheet = load_workbook(version.xlsx.open("rb"))["主要指标"]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert Decimal(str(rows["技术合同成交额"][2])) == Decimal("2000000")
    assert Decimal(str(rows["技术合同成交额"][3])) == Decimal("1000000")
    assert rows["登记技术合同数"][2] == 3
    regions = {
        row[1]: row
        for row in load_workbook(version.xlsx.open("rb"))["分地区情况"].iter_rows(min_row=2, values_only=True)
    }
    assert Decimal(str(regions["长春市"][3])) == Decimal("1500000")
    assert Notification.objects.filter(user=stat_province, kind="annual_reports.ready").count() == 1

    # a second generation is a new version; the first stays downloadable for staff
    second = services.request_generation(actor=stat_province, region_code="220000", year=2025, now=NOW)
    assert second.number == 2
    client.force_login(stat_province)
    first_pdf = client.get(reverse("annual_reports:download", args=[version.pk, "pdf"]))
    assert first_pdf.status_code == 200
    progress = client.get(reverse("annual_reports:version_progress", args=[second.pk])).content.decode()
    assert "排队等待生成" in progress and "hx-trigger" in progress

    # the public sees nothing until a version is published, then only that version
    client.logout()
    url = reverse("annual_reports:download", args=[version.pk, "pdf"])
    assert client.get(url).status_code == 404
    services.publish(actor=stat_province, version_id=version.pk, now=NOW)
    assert b"".join(client.get(url).streaming_content).startswith(b"%PDF-")
    assert "吉林省2025年度" in client.get(reverse("annual_reports:report_list")).content.decode()
    assert client.get(reverse("annual_reports:download", args=[second.pk, "pdf"])).status_code == 404
    api = client.get("/api/v1/insights/reports/?year=2025").json()
    assert [row["version"] for row in api] == [1]


def _collect(code, year):
    from zhouqiao.core.models import Region
    from zhouqiao.insights.reports import content

    return content.collect(Region.objects.get(code=code), year, now=NOW)


def test_every_amount_of_the_report_reads_in_wan_yuan(registered):
    """One unit: no 154,319,540.00元 beside 16810.91万元 (the technology amount and the turnover
    of 2,000,000 read 200.00万元 alike; the regions' amounts too)."""
    import re

    data = _collect("220000", 2025)
    amounts = [r for r in data["indicators"] if r["kind"] == "amount"]
    shown = [r["shown"] for r in amounts] + [r["previous_shown"] for r in amounts]
    shown += [r[k] for r in data["regions"] for k in ("turnover_shown", "output_shown", "absorption_shown")]
    assert all(re.fullmatch(r"[\d,]+\.\d\d万元|0万元|上年无数据", s) for s in shown), shown
    assert data["by_code"]["contract_turnover"]["shown"] == "200.00万元"
    assert data["by_code"]["technology_transaction_amount"]["shown"] == "200.00万元"


def test_a_year_without_records_before_reads_no_data_not_zero(registered):
    """Jilin City sold in 2025 and not in 2024: 上年无数据, no change, and the summary says so."""
    from zhouqiao.insights.reports import render

    data = _collect("220200", 2025)
    turnover = data["by_code"]["contract_turnover"]
    assert turnover["shown"] == "50.00万元"
    assert turnover["previous_shown"] == "上年无数据" and turnover["change"] == "—"
    published = data["by_code"]["achievements_published"]
    assert published["previous_shown"] == "上年无数据"  # not "0项"
    html = render.html({**data, "title": "报告", "version": ReportVersion(number=1)})
    assert "技术合同成交额50.00万元（上年无数据）" in html and "比上年—" not in html
    assert '发布科技成果数</td><td class="n">0项</td><td class="n">上年无数据</td>' in html
    # a year that has one keeps its figure: Changchun sold 100万元 in 2024
    assert _collect("220100", 2025)["by_code"]["contract_turnover"]["previous_shown"] == "100.00万元"


def test_a_target_whose_year_has_passed_shows_the_actual_of_its_year(registered):
    """The 2020 targets of the seed documents are in the targets data; their actuals are entered
    per year. A 2025 report shows the 2020 actual of a 2020 target (not 尚未录入 for 2025)."""
    from zhouqiao.insights.targets.models import TargetActual

    TargetActual.objects.create(
        target_code="jl2020_high_tech",
        year=2020,
        value=Decimal("1100"),
        source_document="2020年吉林省国民经济和社会发展统计公报",
        region_id="220000",
        entered_at=NOW,
    )
    rows = {r["code"]: r for r in _collect("220000", 2025)["targets"]}
    high_tech = rows["jl2020_high_tech"]
    assert high_tech["due"] == 2020 and high_tech["year"] == 2020
    assert high_tech["actual"] == "1,100家" and high_tech["percent"] == "110.0%"
    assert rows["jl2020_national_tti"]["actual"] == "尚未录入"  # nothing entered for 2020
    # the platform's own figure for a year it holds no registration of: said so, not 0亿元 / 0.0%
    assert rows["jl2020_contract_turnover"]["actual"] == "平台无该年度登记数据"
    assert rows["jl2020_contract_turnover"]["percent"] == "—"
    turnover_2025 = rows["jl2025_contract_turnover"]
    assert turnover_2025["due"] == 2025 and turnover_2025["year"] == 2025
    assert turnover_2025["actual"] == "0.02亿元"  # 200万元 registered in 2025

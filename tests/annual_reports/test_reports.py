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
    turnover_2020 = rows["jl2020_contract_turnover"]
    assert turnover_2020["year"] == 2020 and turnover_2020["actual"] == "尚未录入"
    assert turnover_2020["platform"] == "平台登记部分：平台无该年度登记数据"
    assert turnover_2020["percent"] == "—"
    # a province-wide figure is the official one: the platform's 200万元 is beside it, not its progress
    turnover_2025 = rows["jl2025_contract_turnover"]
    assert turnover_2025["due"] == 2025 and turnover_2025["year"] == 2025
    assert turnover_2025["actual"] == "尚未录入" and turnover_2025["percent"] == "—"
    assert turnover_2025["platform"] == "平台登记部分：0.02亿元（非官方统计数，不计入进度）"


def test_the_report_and_the_targets_page_say_the_same_of_every_target(registered, client):
    """One rule for both: the tester saw 共53项目标，已达到0项 on the page for 2025 while the 2025
    report showed 国家级技术转移示范机构 10个 100.0% (the page measured a 2020 target with 2025's
    figure). Every target reads alike in both, official figure and platform part."""
    from zhouqiao.insights.targets.models import TargetActual

    for code, value in (("jl2020_national_tti", "10"), ("jl2025_contract_turnover", "412.3456")):
        TargetActual.objects.create(
            target_code=code, year=int(code[2:6]), value=Decimal(value), source_document="统计公报",
            region_id="220000", entered_at=NOW,
        )  # fmt: skip
    rows = _collect("220000", 2025)["targets"]
    page = client.get("/insights/targets/?year=2025").content.decode()
    assert "截至2025年：共53项目标，已达到1项" in page
    for r in rows:
        for text in (r["actual"], r["percent"], r["platform"]):
            assert text in page, (r["code"], text)
    by_code = {r["code"]: r for r in rows}
    assert (by_code["jl2020_national_tti"]["actual"], by_code["jl2020_national_tti"]["percent"]) == (
        "10个",
        "100.0%",
    )
    assert by_code["jl2025_contract_turnover"]["actual"] == "412.35亿元"  # two decimals at most
    assert by_code["jl2025_contract_turnover"]["percent"] == "82.5%"


def test_a_table_row_of_the_pdf_never_splits_across_pages(registered):
    """The tester's PDF ended page 5 with 长春市 2020 60个 90.0% and began page 6 with the row's target
    name. Every row of a long targets table stays on one page, and each page repeats the header."""
    from zhouqiao.insights.reports import render

    data = _collect("220000", 2025)
    rows = [
        {
            "code": f"t{n}",
            "what": f"测试目标{n:02d}号" + "产业技术创新战略联盟" * 2,
            "region": "长春市",
            "due": 2020,
            "year": 2020,
            "target": "60个",
            "actual": f"{n}个",
            "platform": "平台登记部分：0.02亿元（非官方统计数，不计入进度）" if n % 2 else "",
            "percent": f"{n}.5%",
            "citation": "《长春市产学研协同创新机制试点工作实施方案》一（二）" * 3 + f"止{n:02d}",
        }
        for n in range(10, 70)
    ]
    markup = render.html({**data, "targets": rows, "title": "报告", "version": ReportVersion(number=1)})
    pages = [
        page.extract_text().replace(" ", "").replace("\n", "")
        for page in PdfReader(io.BytesIO(render.pdf(markup))).pages
    ]
    holding = [p for p in pages if "测试目标" in p]
    assert len(holding) >= 2  # the table runs over pages
    for n in range(10, 70):
        on = [i for i, p in enumerate(pages) if f"测试目标{n:02d}号" in p]
        # the row's one-line cells (region, percent) and the last line of its tallest cell with it
        assert len(on) == 1 and f"{n}.5%" in pages[on[0]] and f"止{n:02d}" in pages[on[0]], (n, on)
    assert all("目标值" in p and "实际（年度）" in p for p in holding)  # the header on every page


def test_the_county_index_states_its_basis_correctly(reference, client):
    """The index practice comes from Jilin City's opinion (003 第三十八条), which concerns Jilin
    City's own counties; the province-wide ranking is the platform's, and is said so."""
    page = client.get(reverse("innovation_index:ranking")).content.decode()
    assert "依据《吉林市加快“创新吉林”建设的意见》第三十八条“制定城市创新发展指数" not in page
    assert "第三十八条要求吉林市" in page and "该条适用于吉林市所辖县（市）区" in page
    assert "全省排名没有文件规定" in page
    assert "全省排名没有文件规定" in client.get(reverse("innovation_index:methodology")).content.decode()

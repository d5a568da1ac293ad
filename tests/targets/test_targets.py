"""Seed targets against their actuals: the official figure entered by statistics staff, measured in
the target's due year once that has passed, with the platform's own registrations beside it as a
partial source (平台登记部分) where it holds part of the figure."""

import dataclasses
import datetime as dt
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from tests.factories import OrganisationFactory, UserFactory, staff_in
from zhouqiao.accounts.models import Duty
from zhouqiao.contracts.models import Contract
from zhouqiao.core.errors import NotFound, PermissionDenied, ValidationFailed
from zhouqiao.core.models import AuditEvent, Region
from zhouqiao.insights import indicators
from zhouqiao.insights.targets import catalogue, selectors, services
from zhouqiao.insights.targets.models import TargetActual

NOW = dt.datetime(2026, 6, 1, 10, tzinfo=dt.UTC)
ANON = AnonymousUser()


def local(year, month, day):
    return dt.datetime(year, month, day, 10, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def statistician(reference):
    return staff_in("220000", Duty.STATISTICS, username="stat_province")


@pytest.fixture
def contracts(reference):
    author = UserFactory()
    dehui = OrganisationFactory(name="德惠甲公司", region_id="220183")
    changyi = OrganisationFactory(name="昌邑乙公司", region_id="220202")
    chuanying = OrganisationFactory(name="船营丙公司", region_id="220204")

    def contract(n, seller, buyer, amount, when, status="registered"):
        Contract.objects.create(
            title=f"合同{n}", contract_type="development", subtype="commissioned_development",
            seller=seller, buyer=buyer, region_id=seller.region_id, contract_amount=Decimal(amount),
            technology_amount=Decimal(amount), signed_on=when.date(), status=status,
            registration_number=f"T{n}" if status == "registered" else None,
            registered_at=when if status == "registered" else None, created_by=author, created_at=when,
        )  # fmt: skip

    contract(1, dehui, changyi, "150000000", local(2020, 5, 1))  # 1.5亿, Changchun (Dehui), 2020
    contract(2, changyi, dehui, "50000000", local(2019, 7, 1))  # 0.5亿, Jilin City, 2019
    contract(3, chuanying, dehui, "20000000", local(2020, 8, 1))  # 0.2亿, Jilin City, 2020
    contract(4, dehui, chuanying, "900000000", local(2020, 9, 1), status="submitted")  # not registered
    contract(5, dehui, chuanying, "30000000", local(2026, 2, 1))  # the running year


def client_page(url) -> str:
    from django.test import Client

    return Client().get(url).content.decode()


def row(code, *, user=ANON, year):
    return selectors.progress(user, year=year, now=NOW, targets=[catalogue.get(code)])[0]


def test_every_seed_target_is_data_with_its_clause_and_known_region(reference):
    targets = catalogue.targets()
    assert len(targets) == 53
    assert {t.document.id for t in targets} == {"000", "002", "003", "004"}
    regions = set(Region.objects.values_list("code", flat=True))
    for t in targets:
        assert t.region_code in regions
        assert t.citation.startswith("《") and re.search(r"》(第.+条|.（.）)$", t.citation)
        assert t.value > 0 and t.quote
        assert not t.has_platform_part or t.indicator in indicators.INDICATORS
    turnover = catalogue.get("jl2025_contract_turnover")
    assert (turnover.value, turnover.unit, turnover.due, turnover.region_code) == (
        Decimal(500),
        "亿元",
        2025,
        "220000",
    )
    assert catalogue.get("jlc2020_patents_per_10k").citation == "《吉林市加快“创新吉林”建设的意见》第三条"


def test_the_platform_part_counts_registered_contracts_only(contracts):
    """Province 2020: 1.5亿 + 0.2亿 registered (the 9亿 submitted one does not count) = 1.7亿 — shown
    as the platform's part of the figure; with no official figure entered there is no progress."""
    r = row("jl2020_contract_turnover", year=2020)
    assert r.platform == Decimal("1.7")
    assert r.platform_shown == "平台登记部分：1.7亿元（非官方统计数，不计入进度）"
    assert (r.actual, r.percent, r.gap, r.reached) == (None, None, None, False)
    assert r.actual_shown == "尚未录入"
    changchun = row("cc2020_contract_turnover", year=2020)  # 60亿 target, Changchun: 1.5亿
    assert changchun.platform == Decimal("1.5")


def test_a_province_wide_target_is_measured_on_the_official_figure_not_the_platform_part(
    contracts, statistician
):
    """The tester's finding: 全省技术合同成交金额 | 1.2933亿元 平台统计 | 0.3% — platform-only contracts
    against a province-wide target. The progress is the official figure's; the platform's 1.7亿 stays
    beside it, labelled, and is not added to it."""
    services.enter_actual(
        target_code="jl2020_contract_turnover",
        year=2020,
        value="312.3456",
        source_document="2020年吉林省技术合同认定登记统计公报",
        actor=statistician,
        now=NOW,
    )
    r = row("jl2020_contract_turnover", year=2020)
    assert (r.actual, r.percent, r.reached) == (Decimal("312.3456"), Decimal("104.1"), True)
    assert r.actual_shown == "312.35亿元"  # two decimals at most
    assert r.platform == Decimal("1.7")
    page = client_page("/insights/targets/?year=2020")
    assert "312.35亿元" in page and "312.3456" not in page
    assert "平台登记部分：1.7亿元（非官方统计数，不计入进度）" in page
    from django.test import Client

    api = Client().get("/api/v1/insights/targets/?year=2025").json()
    turnover = next(t for t in api if t["code"] == "jl2020_contract_turnover")
    assert (turnover["year"], turnover["actual"], turnover["platform_part"]) == (2020, "312.3456", "1.7000")


def test_figures_are_shown_with_two_decimals_at_most_and_their_unit():
    assert selectors.number(Decimal("498.7067")) == "498.71"
    assert selectors.number(Decimal("1000.0000")) == "1,000"
    assert selectors.shown(Decimal("1.2933"), "亿元") == "1.29亿元"
    assert selectors.shown(Decimal("0.0020"), "亿元") == "20.00万元"  # not 0亿元
    assert selectors.shown(Decimal("2.3456"), "%") == "2.35%"


def test_a_cumulative_target_sums_from_its_first_year(contracts):
    """Jilin City, 技术合同交易额累计 5亿 from 2016: 0.5亿 (2019) + 0.2亿 (2020) = 0.7亿 on the platform."""
    r = row("jlc2020_contract_cumulative", year=2020)
    assert r.platform == Decimal("0.7")
    assert row("jlc2020_contract_cumulative", year=2019).platform == Decimal("0.5")


def test_the_public_sees_the_platform_part_of_completed_years_only(contracts, city_staff):
    """A target still running in 2026 (none of the seeds' is: one is made so here)."""
    changchun = dataclasses.replace(catalogue.get("cc2020_contract_turnover"), due=2026)
    jilin = dataclasses.replace(catalogue.get("jlc2020_contract_cumulative"), due=2026, cumulative_from=None)

    def running(target, user):
        return selectors.progress(user, year=2026, now=NOW, targets=[target])[0]

    hidden = running(changchun, ANON)
    assert hidden.year == 2026
    assert hidden.platform is None and hidden.platform_shown == "平台登记部分：年度未结束，尚未发布"
    assert running(changchun, city_staff).platform == Decimal("0.3")
    assert running(jilin, city_staff).platform is None  # Jilin City: not theirs


def test_a_target_due_in_a_past_year_is_measured_in_that_year(contracts, statistician):
    """As of 2025 a 2020 target shows its 2020 figure (entered 10个: reached), not 尚未录入 for 2025,
    and its platform part is 2020's (none), not the 2026 contract; a 2025 target is measured in 2025."""
    services.enter_actual(
        target_code="jl2020_national_tti", year=2020, value="10", source_document="公报", actor=statistician, now=NOW
    )  # fmt: skip
    rows = {r.target.code: r for r in selectors.progress(ANON, year=2025, now=NOW)}
    tti = rows["jl2020_national_tti"]
    assert (tti.year, tti.actual, tti.reached, tti.percent_shown) == (2020, Decimal(10), True, "100.0%")
    assert rows["jl2020_contract_turnover"].year == 2020
    assert rows["jl2020_contract_turnover"].platform == Decimal("1.7")
    assert rows["jl2025_contract_turnover"].year == 2025
    assert rows["jl2025_contract_turnover"].platform == Decimal(0)
    assert rows["jl2025_contract_turnover"].platform_shown == "平台登记部分：平台无该年度登记数据"
    page = client_page("/insights/targets/?year=2025")
    assert "截至2025年：共53项目标，已达到1项" in page


def test_statistics_staff_enter_an_actual_with_its_source(statistician):
    services.enter_actual(
        target_code="jl2020_high_tech",
        year=2020,
        value="985",
        source_document="2020年吉林省统计公报",
        actor=statistician,
        now=NOW,
    )
    r = row("jl2020_high_tech", year=2020)
    assert (r.actual, r.percent, r.gap, r.reached, r.source) == (
        Decimal("985"),
        Decimal("98.5"),
        Decimal("15"),
        False,
        "2020年吉林省统计公报",
    )
    services.enter_actual(
        target_code="jl2020_high_tech",
        year=2020,
        value="1002",
        source_document="2020年吉林省统计公报（修订）",
        actor=statistician,
        now=NOW,
    )
    assert row("jl2020_high_tech", year=2020).reached
    assert TargetActual.objects.count() == 1
    event = AuditEvent.objects.filter(action="targets.actual.entered").latest("pk")
    assert event.before["value"] == "985.0000" and event.after["value"] == "1002"


def test_about_counts_as_reached_within_five_percent(statistician):
    services.enter_actual(
        target_code="jl2017_rd_gdp",
        year=2017,
        value="1.91",
        source_document="公报",
        actor=statistician,
        now=NOW,
    )
    assert row("jl2017_rd_gdp", year=2017).reached  # 2 %左右: 1.91 ≥ 95 % of 2


@pytest.mark.parametrize(
    ("code", "year", "value", "source", "message"),
    [
        ("jl2020_high_tech", 2020, "-1", "公报", "不能为负数"),
        ("jl2017_rd_gdp", 2017, "120", "公报", "百分比不能超过100"),
        ("jl2020_high_tech", 2020, "十", "公报", "须为数字"),
        ("jl2020_high_tech", 2020, "985", " ", "请填写来源文件"),
        ("jl2020_high_tech", 2027, "985", "公报", "年度须在2010年至2026年之间"),
    ],
)
def test_it_refuses_bad_actuals_and_writes_nothing(statistician, code, year, value, source, message):
    with pytest.raises(ValidationFailed, match=message):
        services.enter_actual(
            target_code=code, year=year, value=value, source_document=source, actor=statistician, now=NOW
        )
    assert not TargetActual.objects.exists()


def test_only_statistics_staff_of_the_targets_region_enter(reference, province_staff):
    county = staff_in("220183", Duty.STATISTICS, username="stat_dehui")
    for actor in (province_staff, county):  # a reviewer; statistics staff of another region
        with pytest.raises(PermissionDenied):
            services.enter_actual(
                target_code="jl2020_high_tech",
                year=2020,
                value="1",
                source_document="公报",
                actor=actor,
                now=NOW,
            )
    with pytest.raises(NotFound):
        services.enter_actual(
            target_code="nope", year=2020, value="1", source_document="公报", actor=county, now=NOW
        )
    assert not TargetActual.objects.exists()


def test_pages_cite_the_documents_in_chinese_and_show_the_form_to_statistics_staff(client, statistician):
    page = client.get("/insights/targets/?year=2020").content.decode()
    assert "《吉林省技术转移体系建设方案》一（三）" in page
    assert "全省技术合同交易额" in page and "jl2020_" not in re.sub(r'href="[^"]*"', "", page)
    detail = client.get("/insights/targets/jl2020_high_tech/")
    assert "录入实际值" not in detail.content.decode()
    refused = client.post(
        "/insights/targets/jl2020_high_tech/", {"year": 2020, "value": "1", "source_document": "x"}
    )
    assert refused.status_code == 302 and not TargetActual.objects.exists()

    client.force_login(statistician)
    assert "录入实际值" in client.get("/insights/targets/jl2020_high_tech/").content.decode()
    bad = client.post(
        "/insights/targets/jl2020_high_tech/", {"year": 2020, "value": "-3", "source_document": "公报"}
    )
    assert "实际值不能为负数" in bad.content.decode()
    client.post(
        "/insights/targets/jl2020_high_tech/", {"year": 2020, "value": "990", "source_document": "公报"}
    )
    assert TargetActual.objects.get().value == Decimal("990")
    api = client.get("/api/v1/insights/targets/?year=2020").json()
    assert next(t for t in api if t["code"] == "jl2020_high_tech")["actual"] == "990.0000"

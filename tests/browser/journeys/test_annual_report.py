"""An annual report (年度报告制度, seed 002 §28) as the province's statistics officer makes it: from
the open-data page to the reports page, generate the province's report for last year, watch the
progress while the task worker builds it, then download the PDF (its text is read here) and the
Excel workbook. The worker is this test: it runs the queued generation as ``db_worker`` would."""

import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.a11y import assert_accessible
from zhouqiao.insights.reports import generation
from zhouqiao.insights.reports.models import ReportVersion

pytestmark = pytest.mark.browser


def _main(journey):
    return journey.page.locator("main")


def _download(journey, name) -> bytes:
    page = journey.page
    with page.expect_download() as info:
        journey.link(name, within=page.locator("#report-progress"), exact=True)
    return open(info.value.path(), "rb").read()


def test_a_statistics_officer_generates_and_downloads_the_annual_report(journey):
    page = journey.page
    year = timezone.localdate().year - 1
    journey.log_in("province_staff")
    # From the footer's open-data page (the 数据集中 menu opens the indicator dashboard first).
    journey.link("开放数据与接口", within=page.locator("footer"), exact=True)
    assert_accessible(page)  # the open-data page with its data dictionaries
    journey.link("查看年度报告", within=_main(journey), exact=True)
    assert_accessible(page)  # the reports page with the generate form
    page.select_option("#id_region", label="吉林省")
    page.select_option("#id_year", str(year))
    journey.button("生成年度报告", within=_main(journey), exact=True)
    journey.see("已提交生成，完成后会通知您")
    progress = page.locator("#report-progress")
    expect(progress).to_contain_text("排队等待生成")
    expect(progress.locator("progress")).to_be_visible()
    assert_accessible(page)  # the report page with its progress bar

    # The task worker picks the version up; the page polls and shows the downloads.
    version = ReportVersion.objects.get(report__region_id="220000", report__year=year, status="queued")
    assert generation.run(version.pk, now=timezone.now()) == "ready"
    expect(progress).to_contain_text("报告已生成", timeout=15_000)

    pdf = _download(journey, "下载PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).replace(" ", "")
    assert f"吉林省{year}年度科技成果转化与技术市场报告" in text
    assert "一、主要指标" in text and "技术合同成交额" in text and "长春市" in text

    workbook = load_workbook(io.BytesIO(_download(journey, "下载Excel")))
    assert "主要指标" in workbook.sheetnames and "分地区情况" in workbook.sheetnames
    journey.within_budget(7)

"""Opening a year, importing inputs (all-or-nothing), publishing (frozen) and recomputing."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.innovation_index.conftest import as_file, rows_for
from zhouqiao.core.errors import Conflict, PermissionDenied, ValidationFailed
from zhouqiao.core.models import AuditEvent
from zhouqiao.insights.innovation_index import compute as calc
from zhouqiao.insights.innovation_index import services, workbook
from zhouqiao.insights.innovation_index.models import IndexInput, IndexScore, IndexYear


def test_the_index_covers_every_county_district_and_zone_of_jilin(reference):
    codes = [r.code for r in services.index_regions()]
    assert len(codes) == 69
    assert {"220172", "220183", "222426"} <= set(codes)  # a development zone, a county-level city, a county


def test_it_imports_a_full_file(statistician, open_2025, now):
    written = services.import_inputs(source=as_file(rows_for(2025)), actor=statistician, now=now)
    assert written == 69
    assert IndexInput.objects.filter(index_year=open_2025).count() == 69
    row = IndexInput.objects.get(index_year=open_2025, region_id="220183")
    assert row.values["population"] == str(rows_for(2025, {"220183"})[0][3]["population"])
    assert AuditEvent.objects.filter(action="innovation_index.inputs.imported").exists()


def _refused(statistician, now, rows, *needles):
    with pytest.raises(ValidationFailed) as caught:
        services.import_inputs(source=as_file(rows), actor=statistician, now=now)
    for needle in needles:
        assert needle in caught.value.message
    assert not IndexInput.objects.exists()
    return caught.value


def test_it_refuses_a_file_with_a_missing_region_and_writes_nothing(statistician, open_2025, now):
    rows = [r for r in rows_for(2025) if r[1] != "220183"]
    _refused(statistician, now, rows, "缺少2025年度", "德惠市（220183）", "未写入任何数据")


def test_it_refuses_a_negative_population_naming_the_sheet_row(statistician, open_2025, now):
    rows = rows_for(2025, **{"220104": {"population": -5}})
    number = 2 + [r[1] for r in rows].index("220104")
    _refused(statistician, now, rows, f"工作表“指标输入”第{number}行", "“常住人口（万人）”不能为负数")


def test_it_refuses_a_year_that_is_not_open(statistician, open_2025, now):
    rows = rows_for(2025) + rows_for(2023, {"220102"})
    number = 2 + len(rows) - 1
    _refused(statistician, now, rows, f"第{number}行", "2023年度未开放录入")


def test_it_refuses_text_in_a_number_column_and_a_missing_denominator(statistician, open_2025, now):
    rows = rows_for(2025, **{"220102": {"gdp": None}})
    content = workbook.build(rows)
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(content))
    wb[workbook.SHEET]["E3"] = "很多"  # 220103's GDP column
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    with pytest.raises(ValidationFailed) as caught:
        services.import_inputs(source=buffer, actor=statistician, now=now)
    assert "第2行：未填写“地区生产总值（亿元）”（必填）" in caught.value.message
    assert "第3行：“地区生产总值（亿元）”的值“很多”不是数字" in caught.value.message
    assert not IndexInput.objects.exists()


def test_it_refuses_a_file_that_is_not_a_workbook(statistician, open_2025, now):
    with pytest.raises(ValidationFailed, match="无法读取该文件"):
        services.import_inputs(source=io.BytesIO(b"not excel"), actor=statistician, now=now)


def test_county_staff_import_only_their_county(county_statistician, open_2025, now):
    services.import_inputs(source=as_file(rows_for(2025, {"220183"})), actor=county_statistician, now=now)
    assert list(IndexInput.objects.values_list("region_id", flat=True)) == ["220183"]
    with pytest.raises(ValidationFailed, match="不在您的统计监测辖区内"):
        services.import_inputs(
            source=as_file(rows_for(2025, {"220183", "220104"})), actor=county_statistician, now=now
        )


def test_only_statistics_staff_enter_and_only_the_province_publishes(
    province_staff, county_statistician, open_2025, now
):
    with pytest.raises(PermissionDenied):
        services.import_inputs(source=as_file(rows_for(2025)), actor=province_staff, now=now)
    with pytest.raises(PermissionDenied):
        services.publish_year(year=2025, actor=county_statistician, now=now)
    with pytest.raises(PermissionDenied):
        services.open_year(year=2024, actor=county_statistician, now=now)


def test_publishing_needs_every_region_then_freezes_the_year(statistician, open_2025, now):
    with pytest.raises(ValidationFailed, match="尚有69个地区未录入数据"):
        services.publish_year(year=2025, actor=statistician, now=now)
    services.import_inputs(source=as_file(rows_for(2025)), actor=statistician, now=now)
    services.publish_year(year=2025, actor=statistician, now=now)
    assert IndexScore.objects.filter(index_year=open_2025).count() == 69
    assert AuditEvent.objects.filter(action="innovation_index.year.published").exists()
    with pytest.raises(ValidationFailed, match="2025年度指数已发布，数据已冻结"):
        services.import_inputs(source=as_file(rows_for(2025)), actor=statistician, now=now)
    with pytest.raises(Conflict, match="已冻结"):
        services.update_input(
            year=2025,
            region_code="220183",
            values=rows_for(2025, {"220183"})[0][3],
            actor=statistician,
            now=now,
        )


def test_recompute_from_the_published_inputs_gives_identical_scores(statistician, open_2025, now, tmp_path):
    weights = {"pillars": {"input": 2, "output": 1, "environment": 1}, "indicators": {"patents_per_10k": 3}}
    services.set_method(year=2025, normalisation="zscore", weights=weights, actor=statistician, now=now)
    services.import_inputs(source=as_file(rows_for(2025)), actor=statistician, now=now)
    services.publish_year(year=2025, actor=statistician, now=now)
    index_year = IndexYear.objects.get(year=2025)
    path = tmp_path / "inputs.xlsx"
    path.write_bytes(bytes(index_year.inputs_file))

    parsed = workbook.read(path)
    result = calc.compute(workbook.as_inputs(parsed.rows, 2025), **parsed.params)
    stored = {s.region_id: (s.score, s.rank) for s in IndexScore.objects.filter(index_year=index_year)}
    assert {r.region_code: (calc.rounded(r.score), r.rank) for r in result.regions} == stored
    assert parsed.params["normalisation"] == "zscore"

    out = io.StringIO()
    call_command("innovation-index", inputs=str(path), year=2025, stdout=out)
    assert "逐项一致" in out.getvalue()

    IndexScore.objects.filter(index_year=index_year, rank=1).update(rank=2)  # a tampered result is caught
    with pytest.raises(CommandError, match="不一致"):
        call_command("innovation-index", inputs=str(path), year=2025, stdout=io.StringIO())


def test_an_open_year_waits_on_statistics_staff_until_their_regions_are_entered(
    county_statistician, open_2025, now
):
    from zhouqiao.insights.innovation_index.todos import index_inputs_to_enter

    [todo] = index_inputs_to_enter(county_statistician)
    assert todo.title == "2025年度县域创新发展指数：尚有1个地区的数据待录入"
    services.import_inputs(source=as_file(rows_for(2025, {"220183"})), actor=county_statistician, now=now)
    assert list(index_inputs_to_enter(county_statistician)) == []


def test_workbook_headers_stay_chinese_whatever_the_language(statistician, open_2025, now):
    from django.utils import translation

    with translation.override("en"):
        content = workbook.build(rows_for(2025))
        services.import_inputs(source=io.BytesIO(content), actor=statistician, now=now)
    assert IndexInput.objects.count() == 69

"""Bulk import: file checks, row-by-row report, all-or-nothing write, the task and the page."""

import io
import zipfile
from datetime import date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from openpyxl import Workbook

from tests.catalog.conftest import NOW
from zhouqiao.catalog import importing
from zhouqiao.catalog.models import Achievement, Demand, ImportJob
from zhouqiao.catalog.spreadsheets import ACHIEVEMENT_COLUMNS, DEMAND_COLUMNS
from zhouqiao.catalog.states import ImportStatus, RecordStatus
from zhouqiao.catalog.validation import Lookups
from zhouqiao.core.errors import ValidationFailed

pytestmark = pytest.mark.django_db
HEADERS = [h + ("*" if req else "") for _f, h, req, _n in ACHIEVEMENT_COLUMNS]


def good_row(n: int) -> dict:
    return {
        "成果名称": f"第{n}号成果：高效低成本燃料电池催化剂",
        "成果简介": "铂载量降低一半。",
        "技术就绪水平": 3 + n % 6,
        "行业代码": "3670 汽车零部件及配件制造",
        "重点产业": "汽车、新能源",
        "转化方式": "许可、合作开发",
        "价格下限（元）": 100000 + n,
        "知识产权类型": "发明专利",
        "知识产权号": f"ZL2023{n:08d}.1",
        "知识产权状态": "已授权",
        "申请日": datetime(2023, 1, 5),
        "联系电话": "13804310000",
    }


def xlsx(rows: list[dict], headers=HEADERS) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    plain = [h.rstrip("*") for h in headers]
    for row in rows:
        ws.append([row.get(h) for h in plain])
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("成果清单.xlsx", buffer.getvalue())


def run(user, org, upload, kind="achievement", submit=False):
    job = importing.start_import(
        actor=user, owner_id=org.pk, kind=kind, upload=upload, submit=submit, now=NOW
    )
    return importing.run_import_job(job.pk, now=NOW)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_a_few_hundred_rows_import_with_their_codes_and_ip(university_user, university):
    job = run(university_user, university, xlsx([good_row(n) for n in range(300)]), submit=True)
    assert job.status == ImportStatus.SUCCEEDED and job.written_rows == 300
    assert Achievement.objects.filter(owner=university, status=RecordStatus.SUBMITTED).count() == 300
    a = Achievement.objects.order_by("pk").first()
    assert a.industry_id == "3670" and a.transfer_modes == ",licence,joint_development,"
    assert sorted(a.key_industries.values_list("slug", flat=True)) == ["automotive", "new-energy"]
    assert a.ip_items.get().filed_on == date(2023, 1, 5)
    assert a.price_kind == "fixed" and a.price_min == 100000


def test_a_file_with_bad_rows_gets_a_report_and_nothing_is_written(university_user, university):
    rows = [good_row(n) for n in range(20)]
    rows[3]["技术就绪水平"] = 12
    rows[7]["行业代码"] = "9999"
    rows[9]["转化方式"] = "赠送"
    rows[11]["成果名称"] = None
    job = run(university_user, university, xlsx(rows))
    assert job.status == ImportStatus.INVALID
    report = {(e["row"], e["column"]) for e in job.errors}
    assert report == {(5, "技术就绪水平"), (9, "行业代码"), (11, "转化方式"), (13, "成果名称")}
    assert any("1至9" in e["message"] for e in job.errors)
    assert not Achievement.objects.exists()


def test_a_file_without_the_required_columns_is_refused(university_user, university):
    job = run(university_user, university, xlsx([{"成果名称": "x"}], headers=["成果名称", "备注"]))
    assert job.status == ImportStatus.INVALID
    assert "表头缺少必填列" in job.errors[0]["message"]


def test_a_gbk_csv_of_demands_imports(enterprise_user, enterprise):
    headers = [h for _f, h, _r, _n in DEMAND_COLUMNS]
    lines = [
        ",".join(headers),
        ",".join(
            [
                "焊接变形控制",
                "摘要",
                "问题描述",
                "",
                "",
                "30万",
                "80万",
                "2026-12-31",
                "合作开发",
                "公开摘要",
                "",
                "汽车",
                "焊接",
                "",
                "",
                "",
            ]
        ),
    ]
    upload = SimpleUploadedFile("需求.csv", "\r\n".join(lines).encode("gb18030"))
    job = run(enterprise_user, enterprise, upload, kind="demand")
    assert job.status == ImportStatus.SUCCEEDED
    d = Demand.objects.get()
    assert (d.budget_min, d.budget_max, d.confidentiality) == (300000, 800000, "summary")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("清单.xlsx", b"%PDF-1.4 pretending", "扩展名不符"),
        ("清单.csv", b"PK\x03\x04 a zip renamed to csv", "扩展名不符"),
        ("清单.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", ".xlsx 或 .csv"),
    ],
)
def test_it_rejects_a_file_that_is_not_what_it_claims(university_user, university, name, content, message):
    with pytest.raises(ValidationFailed) as exc:
        importing.start_import(
            actor=university_user,
            owner_id=university.pk,
            kind="achievement",
            upload=SimpleUploadedFile(name, content),
            now=NOW,
        )
    assert message in str(exc.value.message)
    assert not ImportJob.objects.exists()


def test_it_rejects_a_zip_bomb_before_opening_it(university_user, university):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\x00" * (20 * 1024 * 1024))
    with pytest.raises(ValidationFailed) as exc:
        importing.start_import(
            actor=university_user,
            owner_id=university.pk,
            kind="achievement",
            upload=SimpleUploadedFile("炸弹.xlsx", buffer.getvalue()),
            now=NOW,
        )
    assert exc.value.code == "zip_bomb" and "压缩炸弹" in str(exc.value.message)


def test_it_rejects_a_file_over_the_size_limit(university_user, university, settings):
    settings.CATALOG_IMPORT_MAX_BYTES = 1024
    with pytest.raises(ValidationFailed) as exc:
        importing.start_import(
            actor=university_user,
            owner_id=university.pk,
            kind="achievement",
            upload=SimpleUploadedFile("大.csv", b"a," * 2000),
            now=NOW,
        )
    assert exc.value.code == "too_large" and "文件过大" in str(exc.value.message)


def test_the_page_runs_the_task_and_shows_progress(
    client, university_user, university, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    client.force_login(university_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/catalog/import/",
            {"owner": university.pk, "kind": "achievement", "file": xlsx([good_row(n) for n in range(30)])},
        )
    job = ImportJob.objects.get()
    assert response["Location"] == f"/catalog/import/{job.pk}/"
    partial = client.get(f"/catalog/import/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert "导入完成" in partial and "hx-trigger" not in partial
    assert Achievement.objects.count() == 30


def test_a_running_job_keeps_polling(client, university_user, university):
    job = ImportJob.objects.create(
        kind="achievement",
        owner=university,
        created_by=university_user,
        original_name="a.xlsx",
        stored_name="x.xlsx",
        file_format="xlsx",
        status=ImportStatus.VALIDATING,
        total_rows=1000,
        checked_rows=400,
        created_at=NOW,
    )
    client.force_login(university_user)
    page = client.get(f"/catalog/import/{job.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in page and "已校验 400 / 1000 行" in page


cells = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.integers(-(10**15), 10**15),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(),
    st.datetimes(),
    st.booleans(),
    st.sampled_from(
        [
            "转让",
            "许可、其他",
            "3670",
            "发明专利",
            "已授权",
            "50万",
            "1e999",
            "NaN",
            "9",
            "面议",
            "价格区间",
            "公开摘要",
            "B60L 15/00",
            "2026-02-30",
            "汽车",
        ]
    ),
)


@hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    kind=st.sampled_from(["achievement", "demand"]),
    raw=st.dictionaries(st.sampled_from([c[0] for c in ACHIEVEMENT_COLUMNS + DEMAND_COLUMNS]), cells),
)
def test_hypothesis_rows_never_crash_the_validator(university, kind, raw):
    result = importing.validate_row(
        kind, 2, raw, lookups=LOOKUPS, owner=university, now=NOW, status=RecordStatus.DRAFT
    )
    assert (result.values is None) == bool(result.errors)
    for column, message in result.errors:
        assert column and message


LOOKUPS = Lookups()

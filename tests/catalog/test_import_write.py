"""The import's write phase: every field of every row lands exactly, and a database error part-way
through the write leaves nothing behind (on SQLite and PostgreSQL alike)."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError

from tests.catalog.conftest import NOW
from tests.catalog.test_import import run, xlsx
from zhouqiao.catalog import importing
from zhouqiao.catalog.models import Achievement, ImportJob, IntellectualProperty
from zhouqiao.catalog.states import ImportStatus, RecordStatus
from zhouqiao.core.models import AuditEvent

pytestmark = pytest.mark.django_db
ROWS = 240
KEYS = [("汽车", ["automotive"]), ("新能源、光电子", ["new-energy", "optoelectronics"]), ("", [])]
MODES = [("转让", ",transfer,"), ("许可、合作开发", ",licence,joint_development,"), ("作价入股", ",equity,")]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def row(n: int) -> dict:
    price = [
        {},
        {"价格下限（元）": 100000 + n},
        {"价格下限（元）": "12.5万", "价格上限（元）": 300000.25 + n},
    ][n % 3]
    ip = (
        {
            "知识产权类型": "发明专利",
            "知识产权号": f"ZL2023{n:08d}.1",
            "知识产权状态": "已申请",
            "申请日": datetime(2023, 1, 1 + n % 28),
        }
        if n % 2
        else {}
    )
    return {
        "成果名称": f"第{n}号成果",
        "成果简介": f"简介{n}",
        "技术就绪水平": 1 + n % 9,
        "行业代码": "3670 汽车零部件及配件制造" if n % 4 else None,
        "重点产业": KEYS[n % 3][0],
        "关键词": f"催化剂、燃料电池 第{n}批" if n % 5 else None,
        "转化方式": MODES[n % 3][0],
        "联系电话": f"1380431{n:04d}",
        **price,
        **ip,
    }


def expected(n: int) -> tuple:
    price = [("negotiable", None, None), ("fixed", Decimal(100000 + n), Decimal(100000 + n))]
    price.append(("range", Decimal("125000.00"), Decimal("300000.25") + n))
    ip = [("invention_patent", f"ZL2023{n:08d}.1", "filed", date(2023, 1, 1 + n % 28))] if n % 2 else []
    return (
        f"第{n}号成果",
        f"简介{n}",
        1 + n % 9,
        "3670" if n % 4 else None,
        sorted(KEYS[n % 3][1]),
        f"催化剂，燃料电池，第{n}批" if n % 5 else "",
        MODES[n % 3][1],
        f"1380431{n:04d}",
        *price[n % 3],
        ip,
    )


def written(a: Achievement) -> tuple:
    return (
        a.title,
        a.abstract,
        a.readiness,
        a.industry_id,
        sorted(k.slug for k in a.key_industries.all()),
        a.keywords,
        a.transfer_modes,
        a.contact_phone,
        a.price_kind,
        a.price_min,
        a.price_max,
        [(i.kind, i.number, i.status, i.filed_on) for i in a.ip_items.all()],
    )


def test_an_import_writes_exactly_its_rows_with_every_field(university_user, university):
    job = run(university_user, university, xlsx([row(n) for n in range(ROWS)]), submit=True)
    assert job.status == ImportStatus.SUCCEEDED and job.written_rows == ROWS
    records = list(
        Achievement.objects.filter(import_job=job)
        .order_by("pk")
        .prefetch_related("key_industries", "ip_items")
    )
    assert [written(a) for a in records] == [expected(n) for n in range(ROWS)]
    assert Achievement.objects.count() == ROWS
    assert IntellectualProperty.objects.count() == ROWS // 2
    for a in records:
        assert (a.owner_id, a.region_id, a.created_by_id) == (
            university.pk,
            university.region_id,
            university_user.pk,
        )
        assert a.status == RecordStatus.SUBMITTED and a.created_at == NOW and a.submitted_at == NOW
    event = AuditEvent.objects.get(action="achievement.import")
    assert event.after["count"] == ROWS
    assert (event.after["first_id"], event.after["last_id"]) == (records[0].pk, records[-1].pk)


def _break_row(field: str, value, position: int):
    """Let validation pass, then corrupt one row so that the database refuses it part-way through."""
    validate = importing.validate_file

    def broken(job, **kwargs):
        good, report, count = validate(job, **kwargs)
        target = good[position]
        if field == "ip_kind":
            target.ip = {**target.ip, "kind": "bogus"}  # ip_kind_known: fails after the records and links
        else:
            names = importing.TABLES["achievement"].names
            values = list(target.values)
            values[names.index(field)] = value
            target.values = tuple(values)
        return good, report, count

    return broken


@pytest.mark.parametrize(
    ("field", "value", "position"),
    [("readiness", 12, ROWS // 2), ("price_max", Decimal(1), ROWS // 2 + 1), ("ip_kind", None, ROWS - 1)],
)
def test_a_database_error_part_way_through_the_write_leaves_nothing(
    university_user, university, monkeypatch, field, value, position
):
    monkeypatch.setattr(importing, "validate_file", _break_row(field, value, position))
    job = importing.start_import(
        actor=university_user,
        owner_id=university.pk,
        kind="achievement",
        upload=xlsx([row(n) for n in range(ROWS)]),
        now=NOW,
    )
    with pytest.raises(IntegrityError):
        importing.run_import_job(job.pk, now=NOW)
    job = ImportJob.objects.get(pk=job.pk)
    assert job.status == ImportStatus.FAILED and job.written_rows == 0
    assert job.errors[0]["message"] == "写入失败，未导入任何数据。"
    assert not Achievement.objects.exists()
    assert not IntellectualProperty.objects.exists()
    assert not Achievement.key_industries.through.objects.exists()
    assert not AuditEvent.objects.filter(action="achievement.import").exists()

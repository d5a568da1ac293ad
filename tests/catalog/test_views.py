"""Pages: wiring and permissions (the rules themselves are tested on the services)."""

import io

import pytest
from openpyxl import load_workbook

from tests.catalog.conftest import NOW
from zhouqiao.catalog import services
from zhouqiao.catalog.models import Achievement, Attachment
from zhouqiao.catalog.states import RecordStatus

pytestmark = pytest.mark.django_db
SECRET = "副车架焊后变形超差"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def login(client, user):
    client.force_login(user)
    return client


def test_the_public_list_and_detail_show_a_published_achievement(client, make_achievement, city_staff):
    a = make_achievement(RecordStatus.PUBLISHED, reviewer=city_staff)
    draft = make_achievement(title="尚未提交的草稿成果")
    page = client.get("/catalog/achievements/?trl_min=5&mode=licence")
    text = page.content.decode()
    assert page.status_code == 200 and a.title in text and draft.title not in text
    detail = client.get(f"/catalog/achievements/{a.pk}/").content.decode()
    assert "138****1234" in detail and "13804311234" not in detail
    assert client.get(f"/catalog/achievements/{draft.pk}/").status_code == 404


def test_a_member_creates_an_achievement_through_the_form(client, university_user, university):
    login(client, university_user)
    response = client.post(
        "/catalog/achievements/new/",
        {
            "owner": university.pk,
            "title": "玉米秸秆高值化利用技术",
            "abstract": "秸秆制备生物基材料。",
            "readiness": "5",
            "transfer_modes": ["transfer"],
            "price_kind": "fixed",
            "price_min": "30万",
            "key_industries": ["agri-processing"],
            "ip-TOTAL_FORMS": "2",
            "ip-INITIAL_FORMS": "0",
            "ip-0-kind": "invention_patent",
            "ip-0-number": "ZL202310000001.X",
            "ip-0-status": "granted",
        },
    )
    a = Achievement.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/catalog/achievements/{a.pk}/"
    assert a.price_min == 300000 and a.status == RecordStatus.DRAFT
    assert a.ip_items.get().number == "ZL202310000001.X"


def test_the_form_shows_a_chinese_error_and_writes_nothing(client, university_user, university):
    login(client, university_user)
    response = client.post(
        "/catalog/achievements/new/",
        {
            "owner": university.pk,
            "title": "某成果",
            "abstract": "简介",
            "readiness": "5",
            "transfer_modes": ["transfer"],
            "price_kind": "range",
            "price_min": "500000",
            "price_max": "100000",
            "ip-TOTAL_FORMS": "0",
            "ip-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "价格上限应大于下限" in response.content.decode()
    assert not Achievement.objects.exists()


def test_review_through_the_pages(client, make_achievement, city_staff, university_user):
    a = make_achievement(RecordStatus.SUBMITTED)
    login(client, city_staff)
    assert a.title in client.get("/catalog/review/").content.decode()
    client.post(f"/catalog/achievements/{a.pk}/return/", {"reason": ""})
    a.refresh_from_db()
    assert a.status == RecordStatus.SUBMITTED  # a return without reason is refused
    client.post(f"/catalog/achievements/{a.pk}/return/", {"reason": "请补充应用案例"})
    a.refresh_from_db()
    assert a.status == RecordStatus.RETURNED
    client.logout()
    login(client, university_user)
    page = client.get(f"/catalog/achievements/{a.pk}/").content.decode()
    assert "请补充应用案例" in page and "办理记录" in page and "退回科技成果" in page


def test_a_stranger_cannot_review_or_edit(client, make_achievement, stranger):
    a = make_achievement(RecordStatus.SUBMITTED)
    login(client, stranger)
    assert client.post(f"/catalog/achievements/{a.pk}/publish/").status_code == 404
    assert client.get(f"/catalog/achievements/{a.pk}/edit/").status_code == 404
    assert client.get("/catalog/review/").status_code == 403
    a.refresh_from_db()
    assert a.status == RecordStatus.SUBMITTED


def test_a_confidential_demand_stays_hidden_in_page_and_export(client, make_demand, city_staff, stranger):
    d = make_demand(RecordStatus.PUBLISHED, reviewer=city_staff, confidentiality="summary")
    login(client, stranger)
    page = client.get(f"/catalog/demands/{d.pk}/").content.decode()
    assert d.summary in page and SECRET not in page and "13904315678" not in page
    export = client.get("/catalog/demands/export.xlsx")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(export.content)).active
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert d.title in cells and not any(SECRET in c for c in cells)


def test_the_owner_uploads_an_attachment_that_only_entitled_people_download(
    client, make_demand, enterprise_user, city_staff, stranger, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    d = make_demand(confidentiality="summary")
    login(client, enterprise_user)
    fake = io.BytesIO(b"MZ\x90\x00 not a pdf")
    fake.name = "方案.pdf"
    client.post(f"/catalog/demands/{d.pk}/attachments/", {"file": fake})
    assert not Attachment.objects.exists()
    good = io.BytesIO(PDF)
    good.name = "技术方案.pdf"
    client.post(f"/catalog/demands/{d.pk}/attachments/", {"file": good})
    att = Attachment.objects.get()
    assert att.stored_name != "技术方案.pdf" and att.stored_name.endswith(".pdf")
    response = client.get(f"/catalog/attachments/{att.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert "filename*=utf-8''" in response["Content-Disposition"].lower()
    services.submit(actor=enterprise_user, kind="demand", record_id=d.pk, now=NOW)
    services.publish(actor=city_staff, kind="demand", record_id=d.pk, now=NOW)
    client.logout()
    login(client, stranger)
    assert client.get(f"/catalog/attachments/{att.pk}/").status_code == 404


def test_the_template_has_chinese_headers_and_drop_downs(client, reference):
    response = client.get("/catalog/achievements/template.xlsx")
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb.worksheets[0]
    headers = [c.value for c in ws[1]]
    assert headers[0] == "成果名称*" and "技术就绪水平*" in headers and "转化方式*" in headers
    formulas = " ".join(str(v.formula1) for v in ws.data_validations.dataValidation)
    assert "代码表" in formulas and "转让" in formulas and "发明专利" in formulas


def test_packages_are_curated_by_staff_and_published(
    client, make_achievement, city_staff, stranger, university_user
):
    a = make_achievement(RecordStatus.PUBLISHED, reviewer=city_staff)
    b = make_achievement(RecordStatus.PUBLISHED, reviewer=city_staff, title="车用氢燃料电池双极板")
    login(client, city_staff)
    client.post(
        "/catalog/packages/new/",
        {
            "title": "新能源汽车成果包",
            "region": "220100",
            "key_industry": "automotive",
            "achievements": f"{a.pk},{b.pk}",
        },
    )
    from zhouqiao.catalog.models import AchievementPackage

    package = AchievementPackage.objects.get()
    client.post(f"/catalog/packages/{package.pk}/published/")
    client.logout()
    page = client.get(f"/catalog/packages/{package.pk}/").content.decode()
    assert "新能源汽车成果包" in page and a.title in page
    login(client, stranger)
    assert client.post(f"/catalog/packages/{package.pk}/withdrawn/").status_code == 302
    package.refresh_from_db()
    assert package.status == "published"
    # the owner closes one achievement: it drops out of the package for the public, page and API
    services.close(actor=university_user, kind="achievement", record_id=b.pk, now=NOW)
    client.logout()
    assert b.title not in client.get(f"/catalog/packages/{package.pk}/").content.decode()
    assert client.get(f"/api/v1/catalog/packages/{package.pk}").json()["achievement_ids"] == [a.pk]


@pytest.mark.parametrize("name", ["catalog:achievement_list", "catalog:demand_list", "catalog:package_list"])
def test_the_library_pages_carry_one_navigation_row(client, reference, name):
    """The portal's 成果展示 row links the libraries; no second row of pill tabs beside it."""
    import re

    from django.urls import reverse

    page = client.get(reverse(name)).content.decode()
    navs = re.findall(r"<nav[^>]*>.*?</nav>", page, re.S)
    to_libraries = [
        n for n in navs if reverse("catalog:demand_list") in n and reverse("catalog:package_list") in n
    ]
    assert len(to_libraries) == 1 and "企业技术需求库" in to_libraries[0]

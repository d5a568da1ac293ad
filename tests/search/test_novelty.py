"""查重/查新: near-duplicates of held records are flagged, unrelated text is not; the patent corpus
imports all or nothing and is then part of the check; the PDF report; who may do what; and
confidential demand text never shows up in anyone's results."""

import json
import re
import zlib

import pytest
from django.core.management import CommandError, call_command

from zhouqiao.catalog.states import RecordStatus
from zhouqiao.core.errors import ValidationFailed
from zhouqiao.core.models import AuditEvent
from zhouqiao.search import indexing, novelty, patents
from zhouqiao.search.models import PatentRecord, SearchDocument

from .conftest import NOW

pytestmark = pytest.mark.django_db

COPY_TITLE = "车规级碳化硅功率模块低温银烧结封装工艺"
COPY_TEXT = (
    "采用纳米银膏低温烧结替代传统焊料，模块热阻降低约30%。\n"
    "传统焊料封装在高温循环下容易开裂。\n"
    "烧结层熔点高，功率循环寿命提高3倍以上。\n"
    "新能源汽车电驱、光伏逆变器。"
)
UNRELATED_TITLE = "寒地水稻抗倒伏新品种选育"
UNRELATED_TEXT = (
    "通过杂交选育获得茎秆粗壮、抗倒伏的寒地粳稻新品种，亩产提高百分之十二，适合吉林东部稻区种植。"
)

GOOD_CSV = (
    "\ufeff专利号,名称,摘要,IPC,申请人,申请日\n"
    "CN 115000001 A,一种寒地玉米秸秆低温腐熟菌剂,筛选耐低温纤维素降解菌株复配成腐熟菌剂，"
    "在零下五度仍可启动秸秆堆肥发酵。,C05F 11/08,吉林农业测试大学,2022-11-03\n"
    "CN115000002B,一种钒电池电解液再生方法,通过电化学还原使失衡的钒电解液恢复价态平衡。,H01M 8/18,"
    "测试储能有限公司,2021/04/15\n"
)


def published(make_achievement, city_staff, **overrides):
    a = make_achievement(RecordStatus.PUBLISHED, reviewer=city_staff, **overrides)
    indexing.index_record("achievement", a.pk, now=NOW)
    return a


def by_title(check):
    return {r.document.title: r for r in check.results}


def test_a_lightly_edited_copy_of_an_achievement_is_flagged_and_unrelated_text_is_not(
    make_achievement, city_staff
):
    a = published(make_achievement, city_staff)
    published(make_achievement, city_staff, **UNRELATED_ACHIEVEMENT)

    copy = novelty.check(novelty.pasted(COPY_TITLE, COPY_TEXT, "碳化硅、功率模块、银烧结"), now=NOW)
    top = copy.results[0]
    assert top.document.object_id == a.pk
    assert top.near_duplicate and top.similarity >= 0.8
    assert {"碳化硅", "银烧结"} <= set(top.overlap)
    assert [r.document.object_id for r in copy.near_duplicates] == [a.pk]
    assert "疑似重复" in copy.conclusion
    assert copy.corpus_size == 2

    unrelated = novelty.check(
        novelty.pasted("锂电池正极材料回收", "湿法冶金回收废旧锂电池中的钴和镍。"), now=NOW
    )
    assert unrelated.near_duplicates == []
    assert a.title not in by_title(unrelated) or by_title(unrelated)[a.title].similarity < 0.3
    assert "未发现疑似重复" in unrelated.conclusion


def test_shared_words_are_words_a_reader_knows_not_numbers_or_fragments(make_achievement, city_staff):
    published(
        make_achievement,
        city_staff,
        title="秸秆蛋白提取与副产物综合利用",
        abstract="蛋白提取率约75%，副产物利用率超过90%，可在现有淀粉生产线旁建设。",
        keywords="秸秆、蛋白提取",
    )
    check = novelty.check(
        novelty.pasted("秸秆副产物综合利用", "副产物利用率超过90%，蛋白提取率约75%。"), now=NOW
    )
    overlap = check.results[0].overlap
    assert {"副产物", "利用率"} <= set(overlap) and {"蛋白", "蛋白提取"} & set(overlap)
    assert not {"90", "75", "用率", "产物"} & set(overlap)


UNRELATED_ACHIEVEMENT = {
    "title": UNRELATED_TITLE,
    "abstract": UNRELATED_TEXT,
    "problem": "寒地水稻生育后期易倒伏减产。",
    "advantages": "抗倒伏能力强。",
    "scenarios": "吉林东部稻区。",
    "keywords": "水稻、抗倒伏",
    "patent_class": "",
}


def test_checking_a_held_record_leaves_the_record_itself_out(make_achievement, city_staff, university_user):
    a = published(make_achievement, city_staff)
    twin = published(make_achievement, city_staff, title="车规级碳化硅功率模块银烧结封装技术（二期）")
    check = novelty.check(novelty.record_subject(university_user, "achievement", twin.pk), now=NOW)
    ids = [r.document.object_id for r in check.results]
    assert twin.pk not in ids
    assert check.results[0].document.object_id == a.pk and check.results[0].near_duplicate


BAD_CSV = (
    "number,title,abstract,ipc,applicant,filed_on\n"
    "CN1,好的专利,摘要,,申请人,2020-01-01\n"
    "CN2,日期错误的专利,摘要,,申请人,2020-13-45\n"
    ",缺少专利号的专利,摘要,,申请人,\n"
    "CN3,第三件,摘要,,申请人,\n"
    "cn 1,重复的专利号,摘要,,申请人,\n"
)


def test_a_patent_file_with_errors_imports_nothing_and_names_each_bad_line(city_staff):
    with pytest.raises(ValidationFailed) as caught:
        patents.import_csv(BAD_CSV.encode(), actor=city_staff, filename="bad.csv", now=NOW)
    errors = caught.value.detail["errors"]
    assert [e["line"] for e in errors] == [3, 4, 6]
    assert "申请日" in errors[0]["message"] and "2020-13-45" in errors[0]["message"]
    assert "专利号不能为空" in errors[1]["message"]
    assert "与第 2 行重复" in errors[2]["message"]
    assert not PatentRecord.objects.exists()
    assert not SearchDocument.objects.exists()
    assert not AuditEvent.objects.filter(action="search.patents_imported").exists()


def test_a_good_patent_file_is_indexed_found_by_the_check_and_upserted_again(city_staff):
    result = patents.import_csv(GOOD_CSV.encode(), actor=city_staff, filename="patents.csv", now=NOW)
    assert (result.created, result.updated) == (2, 0)
    first = PatentRecord.objects.get(number="CN115000001A")
    assert first.filed_on.isoformat() == "2022-11-03" and first.ipc == "C05F 11/08"
    assert SearchDocument.objects.filter(kind="patent").count() == 2

    check = novelty.check(
        novelty.pasted("寒地秸秆腐熟菌剂", "耐低温纤维素降解菌株复配的秸秆腐熟菌剂，低温下启动堆肥发酵。"),
        now=NOW,
    )
    assert check.results[0].document.title == "一种寒地玉米秸秆低温腐熟菌剂"
    assert check.results[0].document.kind == "patent"

    again = GOOD_CSV.replace("一种钒电池电解液再生方法", "一种全钒液流电池电解液再生方法")
    result = patents.import_csv(again.encode("utf-8"), actor=city_staff, filename="patents.csv", now=NOW)
    assert (result.created, result.updated) == (0, 2)
    assert SearchDocument.objects.filter(kind="patent").count() == 2
    assert SearchDocument.objects.filter(title="一种全钒液流电池电解液再生方法").exists()
    assert AuditEvent.objects.filter(action="search.patents_imported").count() == 2


def test_the_import_command_reports_line_errors_and_imports_a_good_file(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text(BAD_CSV, encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import-patents", str(bad))
    assert "第 3 行" in capsys.readouterr().err
    good = tmp_path / "good.csv"
    good.write_bytes(GOOD_CSV.encode("utf-8"))
    call_command("import-patents", str(good))
    assert "已导入 2 条专利" in capsys.readouterr().out
    assert PatentRecord.objects.count() == 2


def pdf_titles_and_glyphs(pdf: bytes) -> tuple[str, set[str]]:
    """The document and bookmark titles (joined) and every character the embedded fonts draw."""
    titles, chars = [], set()
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            data = zlib.decompress(m.group(1))
        except zlib.error:
            continue
        for found in re.findall(rb"/Title <feff([0-9a-f]*)>", data):
            titles.append(bytes.fromhex(found.decode()).decode("utf-16-be"))
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
            for hexa in re.findall(rb"<[0-9a-f]+>\s*<([0-9a-f]+)>", block):
                chars.add(bytes.fromhex(hexa.decode()).decode("utf-16-be"))
    return "\n".join(titles), chars


def test_the_pdf_report_holds_the_checked_title(client, make_achievement, city_staff, university_user):
    a = published(make_achievement, city_staff)
    client.force_login(city_staff)
    response = client.post(
        "/search/novelty/report.pdf", {"title": COPY_TITLE, "text": COPY_TEXT, "keywords": "碳化硅"}
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    titles, chars = pdf_titles_and_glyphs(response.content)
    assert f"查新报告：{COPY_TITLE}" in titles
    assert set(COPY_TITLE + a.title + "疑似重复") <= chars
    assert AuditEvent.objects.filter(action="search.novelty_report", actor=city_staff).exists()

    client.force_login(university_user)
    own = client.get(f"/search/novelty/achievement/{a.pk}/report.pdf")
    assert own.status_code == 200 and a.title in pdf_titles_and_glyphs(own.content)[0]


def test_who_may_check_and_import(
    client, make_achievement, city_staff, county_staff, university_user, enterprise_user, stranger
):
    a = published(make_achievement, city_staff)
    assert client.get("/search/novelty/").status_code == 302
    anonymous = client.post("/api/v1/search/novelty", {"text": COPY_TEXT}, content_type="application/json")
    assert anonymous.status_code == 401
    assert client.get(f"/api/v1/search/novelty/achievement/{a.pk}").status_code == 401

    client.force_login(stranger)
    page = client.post("/search/novelty/", {"title": COPY_TITLE, "text": COPY_TEXT})
    assert page.status_code == 200 and "疑似重复" in page.content.decode()
    assert client.get(f"/search/novelty/achievement/{a.pk}/").status_code == 403
    assert client.get(f"/api/v1/search/novelty/achievement/{a.pk}").status_code == 403
    assert client.get("/search/patents/import/").status_code == 403
    client.force_login(enterprise_user)
    assert client.get(f"/search/novelty/achievement/{a.pk}/").status_code == 403
    client.force_login(county_staff)
    assert client.get("/search/patents/import/").status_code == 403

    client.force_login(university_user)
    detail = client.get(f"/catalog/achievements/{a.pk}/").content.decode()
    assert f"/search/novelty/achievement/{a.pk}/" in detail
    assert client.get(f"/search/novelty/achievement/{a.pk}/").status_code == 200
    client.force_login(enterprise_user)
    assert (
        f"/search/novelty/achievement/{a.pk}/"
        not in client.get(f"/catalog/achievements/{a.pk}/").content.decode()
    )

    client.force_login(city_staff)
    picked = client.get("/search/novelty/", {"kind": "achievement", "pk": a.pk})
    assert picked.status_code == 302 and picked["Location"] == f"/search/novelty/achievement/{a.pk}/"
    api = client.get(f"/api/v1/search/novelty/achievement/{a.pk}").json()
    assert api["corpus_size"] == 1 and api["results"] == []
    upload = client.post("/search/patents/import/", {"file": _upload("p.csv", GOOD_CSV)})
    assert upload.status_code == 200 and "已导入 2 条专利" in upload.content.decode()
    bad = client.post("/search/patents/import/", {"file": _upload("bad.csv", BAD_CSV)})
    assert "第 4 行" in bad.content.decode() and PatentRecord.objects.count() == 2


def _upload(name, text):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_confidential_demand_text_never_appears_in_results(
    client, make_demand, make_achievement, city_staff, stranger
):
    secret = "返修率高达12%"
    summary_only = make_demand(
        RecordStatus.PUBLISHED,
        reviewer=city_staff,
        confidentiality="summary",
        problem=f"副车架焊后变形超差，{secret}，夹具定位销磨损。",
        indicators="焊后平面度≤0.5mm。",
    )
    invited = make_demand(
        RecordStatus.PUBLISHED, reviewer=city_staff, confidentiality="invited", title="受邀需求铝合金副车架"
    )
    for d in (summary_only, invited):
        indexing.index_record("demand", d.pk, now=NOW)
    # Someone who pastes the hidden details learns nothing more than the public summary shows.
    client.force_login(stranger)
    text = f"铝合金副车架焊接变形控制。副车架焊后变形超差，{secret}，夹具定位销磨损。焊后平面度≤0.5mm。"
    response = client.post(
        "/api/v1/search/novelty", {"title": "副车架", "text": text}, content_type="application/json"
    )
    body = response.json()
    assert [r["id"] for r in body["results"]] == [summary_only.pk]
    shown = json.dumps(body, ensure_ascii=False)
    for hidden in ("返修率", "定位销", "平面度", "受邀需求"):
        assert hidden not in shown
    assert body["results"][0]["near_duplicate"] is False

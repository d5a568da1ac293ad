"""Typed words find the records that contain them (issue 15): whatever jieba makes of the title and
of the query, every word it cuts from a title and every 2–4 character piece of a title finds the
record; Latin terms, codes and patent numbers are found as typed in any case; records holding the
query come first, title hits before the rest; "did you mean" only when nothing was found."""

import jieba
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.catalog.conftest import achievement_data, walk_to
from zhouqiao.catalog import services
from zhouqiao.catalog.demo import BLOCKS, TITLE_PATTERNS
from zhouqiao.catalog.states import RecordStatus
from zhouqiao.search import indexing, queries
from zhouqiao.search.models import SearchDocument

from .conftest import NOW

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_analyzer")]

TECHS = [t for block in BLOCKS.values() for t in block[1]]
PRODUCTS = [p for block in BLOCKS.values() for p in block[2]]
# Common characters of titles, to make words no dictionary knows.
CHARS = "碳化硅动力电池燃料氢能光电激光芯片玉米淀粉蛋白疫苗智能检测控制系统材料复合纤维薄膜装置工艺"


def found(query: str) -> list[str]:
    result = queries.search(query, per_page=500)
    return [d.title for d in result.page.object_list]


def publish(university, university_user, city_staff, ip_items=None, index=True, **overrides):
    a = services.create_achievement(
        actor=university_user,
        owner_id=university.pk,
        data=achievement_data(**overrides),
        ip_items=ip_items,
        now=NOW,
    )
    a = walk_to("achievement", a, RecordStatus.PUBLISHED, owner_user=university_user, reviewer=city_staff)
    if index:
        indexing.index_record("achievement", a.pk, now=NOW)
    return a


def test_words_jieba_cuts_differently_in_the_record_and_the_query_are_found(
    university, university_user, city_staff
):
    """The demo's own misses: its keywords (the first four characters of a technology) join the
    analyzer's dictionary, and jieba then cuts 车规级碳/化硅 and 退役动力/电池 in the titles."""
    from zhouqiao.search import analysis

    records = [
        ("新能源乘用车车规级碳化硅功率模块封装技术", "车规级碳，新能源乘用车，电驱系统"),
        ("储能电站退役动力电池梯次利用技术", "退役动力，储能电站，电池一致"),
        ("燃料电池电堆氢燃料电池低铂催化剂技术", "氢燃料电，燃料电池电堆，铂用量高"),
    ]
    made = [
        publish(
            university, university_user, city_staff, index=False, title=t, keywords=k, abstract="见标题。"
        )
        for t, k in records
    ]
    analysis.invalidate()  # the dictionary now holds the published keywords, as on the demo site
    for a in made:
        indexing.index_record("achievement", a.pk, now=NOW)
    titles = [t for t, _ in records]
    assert found("碳化硅") == [titles[0]]
    assert found("动力电池") == [titles[1]]
    assert found("燃料电池") == [titles[2]]
    assert found("梯次利用") == [titles[1]]
    assert found("化硅功率")[:1] == [titles[0]]  # a piece across two words (then records sharing 功率)


def test_latin_terms_codes_and_patent_numbers_are_found_as_typed_in_any_case(
    university, university_user, city_staff
):
    a = publish(
        university,
        university_user,
        city_staff,
        title="4H-SiC外延片缺陷检测技术",
        abstract="按GB/T 4754—2017归入半导体器件制造；参照专利CN1234567A的结构改进。",
        keywords="SiC、外延",
        ip_items=[{"kind": "invention_patent", "number": "ZL202310000001.1", "status": "granted"}],
    )
    other = publish(
        university,
        university_user,
        city_staff,
        title="basic classic 基础工艺数据库",
        abstract="不含所查代号。",
        keywords="",
    )
    for query in ("SiC", "sic", "SIC", "4H-SiC", "GB/T 4754", "gb/t 4754", "CN1234567A", "cn1234567a"):
        assert found(query)[:1] == [a.title], query
        assert other.title not in found(query), query  # sic is not a piece of "basic"
    for query in ("ZL202310000001.1", "zl202310000001.1", "202310000001.1"):
        assert found(query) == [a.title], query


def test_a_piece_starting_or_ending_inside_a_chinese_run_that_touches_latin_or_digits_is_found(
    university, university_user, city_staff
):
    """商用车底盘用光5G专网: 光5 and 5G专 start or end inside the runs 底盘用光 / 专网 (a case the
    property test below once drew)."""
    a = publish(
        university,
        university_user,
        city_staff,
        title="商用车底盘用光5G专网低时延调度成套技术",
        abstract="本成果已完成中试验证。",
        keywords="",
    )
    publish(
        university, university_user, city_staff, title="光学5轴测量仪", abstract="光学测量。", keywords=""
    )
    for query in ("光5", "用光5", "光5G专", "5G专", "G专网", "底盘用光5g"):
        assert found(query)[:1] == [a.title], query  # the record holding it, before one sharing words


def test_records_holding_the_query_come_first_title_hits_before_the_others(
    university, university_user, city_staff
):
    in_text = publish(
        university,
        university_user,
        city_staff,
        title="电驱系统热管理技术",
        abstract="碳化硅器件，碳化硅模块，碳化硅封装，碳化硅散热。",
        keywords="",
    )
    in_title = publish(
        university, university_user, city_staff, title="碳化硅衬底切割技术", abstract="线切割。", keywords=""
    )
    one_word = publish(
        university, university_user, city_staff, title="硅基负极材料", abstract="硅碳负极。", keywords=""
    )
    assert found("碳化硅") == [in_title.title, in_text.title]
    # Two pieces: records holding both first; a record sharing only one word comes after them.
    assert found("碳化硅 散热")[:1] == [in_text.title]
    assert one_word.title not in found("碳化硅")


def test_did_you_mean_appears_only_when_nothing_was_found(university, university_user, city_staff):
    publish(university, university_user, city_staff)  # 车规级碳化硅功率模块低温银烧结封装技术
    for query in ("碳化硅", "银烧结", "功率模块", "碳化硅 散热器", "低温"):
        result = queries.search(query)
        assert result.total > 0, query
        assert result.suggestion == "", query
    result = queries.search("银烧节")
    assert result.total == 0
    assert result.suggestion  # 银烧结


demo_titles = st.builds(
    lambda pattern, tech, product, extra, at: pattern.format(
        tech=tech[:at] + extra + tech[at:], product=product
    ),
    st.sampled_from(TITLE_PATTERNS),
    st.sampled_from(TECHS),
    st.sampled_from(PRODUCTS),
    st.text(alphabet=CHARS, max_size=4),
    st.integers(min_value=0, max_value=8),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=demo_titles, data=st.data())
def test_every_word_and_every_short_piece_of_a_title_finds_its_record(title, data):
    """Demo-like titles (the demo's patterns and building blocks, with characters inserted to make
    words no dictionary knows): each jieba word (default and search mode) of two or more characters
    and each 2–4 character substring finds the record."""
    from zhouqiao.search.analysis import get_analyzer

    doc = SearchDocument.objects.filter(title=title).first()
    if doc is None:
        fields = {"title": title, "text": "本成果已完成中试验证。", "keywords": ""}
        doc = SearchDocument(
            kind="achievement",
            object_id=SearchDocument.objects.count() + 1,
            **indexing._document_values("achievement", fields, get_analyzer(), NOW),
        )
        indexing.write_documents([doc])
    words = {w for w in jieba.lcut(title) + jieba.lcut_for_search(title) if len(w) >= 2}
    pieces = {title[i : i + n] for n in (2, 3, 4) for i in range(len(title) - n + 1)}
    for query in sorted(words) + sorted(data.draw(st.sets(st.sampled_from(sorted(pieces)), max_size=12))):
        assert title in found(query), query


def test_the_demo_data_has_records_for_every_key_industry_chip_and_its_name_finds_them(reference, client):
    """Each key industry of the taxonomy (the home page's chips): the chip's list shows demo
    records, and typing its name finds records of that industry."""
    from django.urls import reverse

    from zhouqiao.accounts.demo import create_demo_accounts
    from zhouqiao.catalog.demo import create_demo_data
    from zhouqiao.catalog.models import Achievement
    from zhouqiao.core.models import KeyIndustry

    create_demo_accounts(now=NOW)
    create_demo_data(now=NOW)
    indexing.rebuild(now=NOW)
    names = dict(KeyIndustry.objects.values_list("slug", "name"))
    assert len(names) >= 10
    for slug, name in names.items():
        tagged = set(
            Achievement.objects.filter(status=RecordStatus.PUBLISHED, key_industries__slug=slug).values_list(
                "title", flat=True
            )
        )
        assert len(tagged) >= 5, name
        page = client.get(reverse("catalog:achievement_list") + f"?industry={slug}").content.decode()
        assert any(t in page for t in tagged), name
        titles = found(name)
        assert len(set(titles) & tagged) >= 5, name
    for everyday in ("生物医药", "农产品加工", "光电"):
        assert found(everyday), everyday

"""The index follows the records: published records appear, edits replace, returns and closes
remove; confidential demand text never reaches results, snippets, facets or match reasons."""

import pytest

from zhouqiao.catalog import services
from zhouqiao.catalog.states import RecordStatus
from zhouqiao.search import indexing, matching, queries
from zhouqiao.search.analysis import Analyzer
from zhouqiao.search.models import SearchDocument

from .conftest import NOW

pytestmark = pytest.mark.django_db


def titles(query, **filters):
    return [d.title for d in queries.search(query, queries.Filters(**filters)).page.object_list]


def test_the_analyzer_keeps_patent_and_model_numbers_whole_and_folds_synonyms():
    an = Analyzer()
    terms = an.terms("专利号ZL201910123456.7，型号TX-2000的CF预浸料")
    assert "zl201910123456.7" in terms
    assert "tx-2000" in terms
    assert "碳纤维" in terms
    assert an.terms("锂电池") == an.terms("锂离子电池")


def test_a_published_achievement_is_found_and_an_edit_replaces_its_text(make_achievement, city_staff):
    a = make_achievement(RecordStatus.PUBLISHED, reviewer=city_staff)
    indexing.index_record("achievement", a.pk, now=NOW)
    assert titles("碳化硅") == [a.title]
    a.abstract = "采用石墨烯导热膜替代传统硅脂。"
    a.keywords = "石墨烯"
    a.title = "石墨烯导热膜"
    a.save()
    indexing.index_record("achievement", a.pk, now=NOW)
    assert titles("石墨烯") == ["石墨烯导热膜"]
    assert titles("银烧结") == []
    assert SearchDocument.objects.count() == 1


def test_a_closed_or_returned_record_leaves_the_index(make_achievement, university_user, city_staff):
    a = make_achievement(RecordStatus.PUBLISHED, reviewer=city_staff)
    indexing.index_record("achievement", a.pk, now=NOW)
    services.transition(
        actor=university_user, kind="achievement", record_id=a.pk, to_status="closed", now=NOW
    )
    indexing.index_record("achievement", a.pk, now=NOW)
    assert titles("碳化硅") == []
    b = make_achievement(RecordStatus.RETURNED, reviewer=city_staff, title="返回的成果碳化硅")
    indexing.index_record("achievement", b.pk, now=NOW)
    assert titles("碳化硅") == []
    assert not SearchDocument.objects.exists()


def test_confidential_demand_details_never_reach_snippets_facets_or_reasons(
    make_demand, make_achievement, city_staff
):
    secret = "返修率高达12%"
    d = make_demand(
        RecordStatus.PUBLISHED,
        reviewer=city_staff,
        confidentiality="summary",
        problem=f"副车架焊后变形超差，{secret}，机密工艺参数。",
    )
    hidden = make_demand(
        RecordStatus.PUBLISHED, reviewer=city_staff, confidentiality="invited", title="受邀需求铝合金"
    )
    a = make_achievement(
        RecordStatus.PUBLISHED,
        reviewer=city_staff,
        keywords="铝合金、焊接变形",
        abstract="铝合金焊接变形控制的激光焊接工艺。",
    )
    for kind, pk in (("demand", d.pk), ("demand", hidden.pk), ("achievement", a.pk)):
        indexing.index_record(kind, pk, now=NOW)
    result = queries.search("返修率")
    assert result.total == 0
    result = queries.search("铝合金")
    assert "受邀需求铝合金" not in [x.title for x in result.page.object_list]
    rendered = " ".join(str(s) for s in result.snippets.values()) + repr(result.facets)
    assert secret not in rendered and "机密" not in rendered
    reasons = " ".join(m.reason for m in matching.match("achievement", a.pk))
    assert "机密" not in reasons and "返修" not in reasons


def test_region_facets_follow_the_region_tree(make_achievement, city_staff, reference):
    a = make_achievement(RecordStatus.PUBLISHED, reviewer=city_staff)
    indexing.index_record("achievement", a.pk, now=NOW)
    province = queries.search("碳化硅", queries.Filters(region="220000"))
    assert [r["value"] for r in province.facets["region"]] == ["220100"]
    city = queries.search("碳化硅", queries.Filters(region="220100"))
    assert [r["value"] for r in city.facets["region"]] == [a.region_id]
    assert queries.search("碳化硅", queries.Filters(region="220200")).total == 0


def test_a_demand_matches_an_achievement_with_a_readable_reason(make_demand, make_achievement, city_staff):
    d = make_demand(RecordStatus.PUBLISHED, reviewer=city_staff)
    a = make_achievement(
        RecordStatus.PUBLISHED,
        reviewer=city_staff,
        keywords="铝合金、焊接变形",
        abstract="铝合金副车架焊接变形控制的激光焊接工艺。",
        transfer_modes=["joint_development"],
    )
    indexing.index_record("demand", d.pk, now=NOW)
    indexing.index_record("achievement", a.pk, now=NOW)
    found = matching.match("demand", d.pk)
    assert [m.document.object_id for m in found] == [a.pk]
    assert "共同关键词：铝合金、焊接变形" in found[0].reason
    assert "行业相同" in found[0].reason


def test_a_query_with_no_results_suggests_an_indexed_word(make_achievement, city_staff):
    a = make_achievement(RecordStatus.PUBLISHED, reviewer=city_staff)
    indexing.index_record("achievement", a.pk, now=NOW)
    queries._vocab_cache["at"] = None
    result = queries.search("碳化铁")
    assert result.total == 0
    assert result.suggestion == "碳化硅"


def test_the_search_api_returns_results_and_facets(client, make_achievement, city_staff):
    a = make_achievement(RecordStatus.PUBLISHED, reviewer=city_staff)
    indexing.index_record("achievement", a.pk, now=NOW)
    body = client.get("/api/v1/search", {"q": "碳化硅"}).json()
    assert body["total"] == 1 and body["results"][0]["title"] == a.title
    assert "<mark>碳化硅</mark>" in body["results"][0]["snippet"]
    page = client.get("/search/", {"q": "碳化硅"})
    assert a.title in page.content.decode()


def test_the_word_order_on_postgresql_is_ts_ranks_own_length_normalisation():
    """search_fts stores each vector's length normaliser too: the word query's scores must stay those
    of ts_rank(tsv, q, 1), for a title-only record, a long body, a repeated word and an empty one."""
    from django.db import connection

    from zhouqiao.search.backends import FulltextRow, backend_for

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's word table")
    rows = [
        FulltextRow(900011, "碳化硅 功率 器件", "", [], []),
        FulltextRow(900012, "器件", "碳化硅 " * 3 + "外延片 衬底 " * 200, [], []),
        FulltextRow(900013, "晶圆", "碳化硅 gb/t 4754-2017 sic", [], []),
        FulltextRow(900014, "", "", [], []),
    ]
    with connection.cursor() as cursor:
        backend_for(connection).add(cursor, rows)
        cursor.execute(
            "SELECT id, ts_rank(tsv, q, 1) FROM search_fts, to_tsquery('simple', %s) q WHERE id > 900010"
            " ORDER BY id",
            ["'碳化硅' | '器件'"],
        )
        own = dict(cursor.fetchall())
        hits = dict(backend_for(connection).match(cursor, ["碳化硅", "器件"], 10))
    assert sorted(hits) == [900011, 900012, 900013]
    for pk, score in hits.items():
        assert score == pytest.approx(own[pk], rel=1e-6)
    assert own[900014] == 0


def test_the_ngram_order_on_postgresql_is_ts_ranks_own_length_normalisation():
    """search_grams stores each vector's length normaliser, so the n-gram query ranks without a pass
    over every matching row's lexemes: the order must stay that of ts_rank(grams, q, 1), for a
    short record, a long one and one past the 16,383 positions a tsvector holds."""
    from django.db import connection

    from zhouqiao.search.analysis import grams
    from zhouqiao.search.backends import FulltextRow, backend_for, gram_query

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's n-gram table")
    rows = [
        FulltextRow(900001, "", "", grams("碳化硅功率器件"), grams("碳化硅衬底外延")),
        FulltextRow(900002, "", "", grams("器件"), grams("碳化硅" * 3 + "外延片" * 40)),
        FulltextRow(900003, "", "", grams("碳化硅"), grams("材料" * 9000 + "碳化硅晶圆碳化硅")),
    ]
    with connection.cursor() as cursor:
        backend_for(connection).add_grams(cursor, rows)
        cursor.execute(
            "SELECT id, ts_rank(grams, q, 1), ts_rank(grams, q, 0) / norm FROM search_grams, (SELECT %s::tsquery AS q) qq"
            " WHERE id > 900000 ORDER BY id",
            [gram_query([["碳化", "化硅"], ["晶圆"]]).replace(" & ", " | ")],
        )
        ranks = cursor.fetchall()
    assert [r[0] for r in ranks] == [900001, 900002, 900003]
    for _, own, stored in ranks:
        assert stored == pytest.approx(own, rel=1e-6)

"""The bulk write path (rebuild, patent import, the scale bench) makes documents findable, the
facet counts are those of the result set, and MinHash still tells a near-copy from other text."""

import pytest

from zhouqiao.search import indexing, queries
from zhouqiao.search.analysis import get_analyzer
from zhouqiao.search.models import SearchDocument
from zhouqiao.search.similarity import estimated_jaccard, minhash

from .conftest import NOW

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_analyzer")]

DOCS = [
    # title, modes, price band, readiness, industry, kind of organisation
    ("碳化硅功率模块银烧结封装", "transfer,licence", "lt1m", 7, "C38", "university"),
    ("碳化硅衬底切割工艺", "licence", "lt1m", 5, "C39", "university"),
    ("碳化硅外延缺陷检测", "joint_development", "negotiable", 7, "C39", "enterprise"),
    ("寒地水稻抗倒伏品种", "transfer", "lt100k", 3, "A01", "institute"),
]


def write(docs=DOCS):
    analyzer = get_analyzer()
    indexing.write_documents(
        [
            SearchDocument(
                kind="achievement",
                object_id=i + 1,
                **indexing._document_values(
                    "achievement",
                    {
                        "title": title,
                        "text": f"{title}的技术说明。",
                        "keywords": title[:3],
                        "region_code": "220102",
                        "industry_code": industry,
                        "readiness": readiness,
                        "modes": modes,
                        "price_band": band,
                        "org_kind": org_kind,
                        "published_at": NOW,
                    },
                    analyzer,
                    NOW,
                ),
            )
            for i, (title, modes, band, readiness, industry, org_kind) in enumerate(docs)
        ]
    )


def counts(facet):
    return {r["value"]: r["count"] for r in facet}


def test_bulk_written_documents_are_found_with_facet_counts_of_the_matches_only(reference):
    write()
    result = queries.search("碳化硅")
    assert result.total == 3
    f = result.facets
    assert counts(f["mode"]) == {"transfer": 1, "licence": 2, "joint_development": 1}
    assert counts(f["price_band"]) == {"lt1m": 2, "negotiable": 1}
    assert [r["value"] for r in f["price_band"]] == ["lt1m", "negotiable"]  # most frequent first
    assert f["readiness"] == [
        {"value": 5, "label": "5 级", "count": 1},
        {"value": 7, "label": "7 级", "count": 2},
    ]
    assert counts(f["industry"]) == {"C3": 3}
    assert counts(f["org_kind"]) == {"university": 2, "enterprise": 1}
    assert counts(f["kind"]) == {"achievement": 3}
    assert counts(f["region"]) == {"220100": 3}


def test_facets_follow_the_filters(reference):
    write()
    result = queries.search("碳化硅", queries.Filters(readiness=6))
    assert result.total == 2
    assert counts(result.facets["org_kind"]) == {"university": 1, "enterprise": 1}
    assert counts(result.facets["mode"]) == {"transfer": 1, "licence": 1, "joint_development": 1}


def test_the_api_pages_bulk_written_documents_with_snippets(client, reference):
    write()
    body = client.get("/api/v1/search", {"q": "碳化硅 检测"}).json()
    assert body["total"] == 3
    assert body["results"][0]["title"] == "碳化硅外延缺陷检测"
    assert "<mark>碳化硅</mark>" in body["results"][0]["snippet"]
    assert counts(body["facets"]["mode"])["licence"] == 2


def test_minhash_flags_a_near_copy_and_not_other_text():
    text = "采用纳米银膏低温烧结替代传统焊料，模块热阻降低约30%，功率循环寿命提高3倍以上。"
    copy = text.replace("约30%", "约三成")
    other = "通过杂交选育获得茎秆粗壮、抗倒伏的寒地粳稻新品种，亩产提高百分之十二。"
    assert len(minhash(text)) == 64 and minhash(text) == minhash(text)
    assert estimated_jaccard(minhash(text), minhash(copy)) >= 0.7
    assert estimated_jaccard(minhash(text), minhash(other)) < 0.1
    assert minhash("") == [] and len(minhash("ab")) == 64

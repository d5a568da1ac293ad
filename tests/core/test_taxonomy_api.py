"""Reference taxonomies through the API: public and read-only."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_children_of_jilin_are_its_nine_cities(client, reference):
    cities = client.get("/api/v1/regions?parent=220000").json()
    assert len(cities) == 9
    assert {c["level"] for c in cities} == {"city"} and {c["parent_code"] for c in cities} == {"220000"}
    assert {"长春市", "吉林市", "延边朝鲜族自治州"} <= {c["name"] for c in cities}


def test_without_a_filter_the_regions_are_the_provinces(client, reference):
    provinces = client.get("/api/v1/regions").json()
    assert {"220000", "210000", "110000"} <= {p["code"] for p in provinces}
    assert {p["level"] for p in provinces} == {"province"}


def test_one_region_and_a_missing_one(client, reference):
    assert client.get("/api/v1/regions/220183").json() == {
        "code": "220183",
        "name": "德惠市",
        "level": "county",
        "parent_code": "220100",
    }
    missing = client.get("/api/v1/regions/229999")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"


def test_industries_start_at_the_sections_and_filter_by_parent_and_text(client, reference):
    sections = client.get("/api/v1/industries").json()
    assert len(sections) == 20 and sections[0]["code"] == "A"
    assert "36" in {d["code"] for d in client.get("/api/v1/industries?parent=C").json()}
    assert any(i["code"] == "36" for i in client.get("/api/v1/industries?q=汽车制造").json())


def test_patent_classes_start_at_the_eight_sections(client, reference):
    sections = client.get("/api/v1/patent-classes").json()
    assert [s["code"] for s in sections] == list("ABCDEFGH")
    assert sections[7]["name"] == "电学"
    assert "H01" in {c["code"] for c in client.get("/api/v1/patent-classes?parent=H").json()}


def test_disciplines_start_at_the_five_branches(client, reference):
    branches = client.get("/api/v1/disciplines").json()
    assert [b["name"] for b in branches][:2] == ["自然科学", "农业科学"]
    assert "110" in {d["code"] for d in client.get("/api/v1/disciplines?parent=A").json()}


def test_readiness_levels_are_nine(client):
    levels = client.get("/api/v1/readiness-levels").json()
    assert [lv["level"] for lv in levels] == list(range(1, 10))
    assert levels[6]["description"].startswith("7级") and "中试" in levels[6]["description"]


def test_key_industries_carry_their_divisions_and_clauses(client, reference):
    industries = {k["slug"]: k for k in client.get("/api/v1/key-industries").json()}
    assert industries["automotive"]["name"] == "汽车" and industries["automotive"]["divisions"] == ["36"]
    assert {"新材料", "光电子", "人工智能", "医药健康"} <= {k["name"] for k in industries.values()}
    assert all(k["clauses"] for k in industries.values())

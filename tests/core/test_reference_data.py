"""The reference tables shipped with the package, and their loader."""

import pytest

from zhouqiao.core.models import Discipline, Industry, KeyIndustry, PatentClass, Region
from zhouqiao.core.reference import load_reference_data
from zhouqiao.core.taxonomies import KEY_INDUSTRIES

pytestmark = pytest.mark.django_db

COUNTS = {"regions": 3348, "industries": 1971, "patent_classes": 8267, "disciplines": 3539}


def _table_sizes():
    return {
        "regions": Region.objects.count(),
        "industries": Industry.objects.count(),
        "patent_classes": PatentClass.objects.count(),
        "disciplines": Discipline.objects.count(),
        "key_industries": KeyIndustry.objects.count(),
    }


def test_it_loads_every_table_and_loading_again_changes_nothing(reference):
    assert _table_sizes() == {**COUNTS, "key_industries": len(KEY_INDUSTRIES)}
    faw_divisions = set(KeyIndustry.objects.get(slug="automotive").divisions.values_list("code", flat=True))

    counts = load_reference_data()

    assert counts == {**COUNTS, "key_industries": len(KEY_INDUSTRIES)}
    assert _table_sizes() == counts
    assert (
        set(KeyIndustry.objects.get(slug="automotive").divisions.values_list("code", flat=True))
        == faw_divisions
    )


def test_jilin_has_nine_cities_and_69_county_level_divisions(reference):
    jilin = Region.objects.get(code="220000")
    assert (jilin.name, jilin.level) == ("吉林省", "province")
    assert Region.objects.filter(parent=jilin, level="city").count() == 9
    assert Region.objects.filter(code__startswith="22", level="county").count() == 69


def test_every_jilin_county_chain_ends_at_the_province(reference):
    counties = Region.objects.filter(code__startswith="22", level="county").select_related("parent__parent")
    for county in counties:
        chain = county.ancestors()
        assert [r.level for r in chain] == ["province", "city", "county"], county.code
        assert chain[0].code == "220000"
        assert chain[1].code[:4] == county.code[:4]


def test_region_names_read_as_people_write_them(reference):
    assert Region.objects.get(code="220183").full_name == "吉林省长春市德惠市"
    assert Region.objects.get(code="220100").contains("220173")
    assert not Region.objects.get(code="220100").contains("220204")


def test_the_taxonomies_have_their_chinese_titles(reference):
    assert Industry.objects.get(code="36").name == "汽车制造业"
    main_group = PatentClass.objects.get(symbol="H01B 1/00")
    assert (main_group.level, main_group.parent_id, main_group.parent.parent_id) == (
        "main_group",
        "H01B",
        "H01",
    )
    assert all(PatentClass.objects.filter(level="section").values_list("title", flat=True))
    assert list(Discipline.objects.filter(level=0).values_list("name", flat=True))[:2] == [
        "自然科学",
        "农业科学",
    ]
    assert [k.name for k in KeyIndustry.objects.all()][:2] == ["汽车", "石化"]

"""Shared instruments in search: a registered instrument of a verified owner is found (without its
contact), links to its own page, and leaves the index when its owner's verification is withdrawn."""

import pytest

from tests.factories import OrganisationFactory, member_of, staff_in
from zhouqiao.accounts import services as accounts
from zhouqiao.facilities import services as facilities
from zhouqiao.facilities.models import Instrument
from zhouqiao.search import indexing, queries
from zhouqiao.search.models import SearchDocument

from .conftest import NOW

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_analyzer")]

SEM = {
    "name": "场发射扫描电子显微镜",
    "model_number": "JSM-7610F",
    "category": "analytical",
    "location": "长春市东南湖大路3888号 分析测试中心",
    "value": "3200000",
    "funding_source": "public",
    "capabilities": "形貌观察、能谱分析，分辨率1.0纳米",
    "contact_name": "王老师",
    "contact_phone": "13511112222",
}


@pytest.fixture
def institute(reference):
    return OrganisationFactory(name="测试光学精密机械研究所", kind="institute", region_id="220173")


@pytest.fixture
def register(institute, after_commit):
    user = member_of(institute, username="inst_admin")

    def register(**data):
        with after_commit():
            return facilities.register_instrument(
                actor=user, owner_id=institute.pk, data={**SEM, **data}, now=NOW
            )

    return register


def test_a_registered_instrument_is_found_by_its_capabilities_and_model_without_its_contact(register, client):
    sem = register()
    result = queries.search("能谱分析")
    assert [d.title for d in result.page.object_list] == ["场发射扫描电子显微镜"]
    assert queries.search("JSM-7610F").page.object_list[0].object_id == sem.pk
    kinds = {row["value"]: row["count"] for row in result.facets["kind"]}
    assert kinds == {"instrument": 1}
    doc = SearchDocument.objects.get(kind="instrument", object_id=sem.pk)
    assert "13511112222" not in doc.text + doc.terms + doc.keywords
    assert doc.region_code == "220173" and doc.org_name == "测试光学精密机械研究所"

    body = client.get("/api/v1/search", {"q": "扫描电子显微镜", "kind": "instrument"}).json()
    assert body["results"][0]["url"] == f"/facilities/i/{sem.pk}/"
    page = client.get("/search/", {"q": "扫描电子显微镜"}).content.decode()
    assert f'href="/facilities/i/{sem.pk}/"' in page


def test_an_unlisted_instrument_is_not_indexed_and_a_rebuild_keeps_to_listed_ones(register):
    listed = register()
    unlisted = register(name="原子力显微镜", capabilities="表面形貌", is_listed=False)
    assert not SearchDocument.objects.filter(kind="instrument", object_id=unlisted.pk).exists()
    indexing.rebuild(now=NOW)
    ids = set(SearchDocument.objects.filter(kind="instrument").values_list("object_id", flat=True))
    assert ids == {listed.pk}


def test_an_instrument_leaves_search_when_its_owner_is_returned_and_comes_back_when_verified(
    register, institute, after_commit
):
    sem = register()
    reviewer = staff_in("220100")
    with after_commit():
        accounts.transition_organisation(
            actor=reviewer, organisation_id=institute.pk, to_status="returned", reason="资质过期", now=NOW
        )
    assert queries.search("能谱分析").total == 0
    assert Instrument.objects.filter(pk=sem.pk).exists()
    with after_commit():
        admin = institute.memberships.get().user
        accounts.upload_document(  # a resubmission carries the licence scan
            actor=admin,
            organisation_id=institute.pk,
            content=b"%PDF-1.4 licence",
            filename="执照.pdf",
            now=NOW,
        )
        accounts.transition_organisation(
            actor=admin, organisation_id=institute.pk, to_status="submitted", now=NOW
        )
        accounts.transition_organisation(
            actor=reviewer, organisation_id=institute.pk, to_status="verified", now=NOW
        )
    assert [d.object_id for d in queries.search("能谱分析").page.object_list] == [sem.pk]

"""Province staff keep the synonym list; a change takes effect in search at once (the analyzer is
rebuilt and the records holding the words re-indexed); everyone else is refused."""

import pytest
from django.urls import reverse

from tests.factories import staff_in
from zhouqiao.accounts.models import Duty
from zhouqiao.catalog.states import RecordStatus
from zhouqiao.core.errors import PermissionDenied
from zhouqiao.core.models import AuditEvent
from zhouqiao.search import queries, services
from zhouqiao.search.models import Synonym

from .conftest import NOW

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_analyzer")]


def titles(query):
    return [d.title for d in queries.search(query).page.object_list]


@pytest.fixture
def peek(make_achievement, city_staff, after_commit):
    with after_commit():
        return make_achievement(
            RecordStatus.PUBLISHED,
            reviewer=city_staff,
            title="聚醚醚酮医用植入物注射成型技术",
            abstract="聚醚醚酮材料的精密注射成型。",
            keywords="聚醚醚酮、注射成型",
        )


def test_staff_add_cf_for_carbon_fibre_and_a_search_for_cf_finds_the_record(
    client, province_staff, make_achievement, city_staff, after_commit
):
    with after_commit():
        a = make_achievement(
            RecordStatus.PUBLISHED,
            reviewer=city_staff,
            title="碳纤维复合材料汽车板簧",
            abstract="以碳纤维预浸料模压成型的轻量化板簧。",
            keywords="碳纤维、板簧",
        )
    client.force_login(province_staff)
    with after_commit():
        response = client.post("/search/synonyms/add/", {"terms": "CF，碳纤维"})
    assert response.status_code == 302
    assert list(Synonym.objects.values_list("terms", flat=True)) == ["CF,碳纤维"]
    # "CF" is now the canonical term: only re-indexed records hold it.
    assert titles("CF") == [a.title]
    assert titles("碳纤维") == [a.title]
    page = client.get("/search/synonyms/").content.decode()
    assert '<span lang="en">CF</span>、<span>碳纤维</span>' in page  # English terms marked as such
    event = AuditEvent.objects.get(action="synonym.create")
    assert event.actor == province_staff and event.after == {"terms": "CF,碳纤维"}


def test_a_new_synonym_edit_and_delete_take_effect_in_search(client, province_staff, peek, after_commit):
    assert titles("PEEK") == []
    client.force_login(province_staff)
    with after_commit():
        client.post("/search/synonyms/add/", {"terms": "聚醚醚酮, PEEK"})
    assert titles("PEEK") == [peek.title]
    group = Synonym.objects.get()
    with after_commit():
        client.post(f"/search/synonyms/{group.pk}/edit/", {"terms": "聚醚醚酮, 特种工程塑料"})
    assert titles("PEEK") == []
    assert titles("特种工程塑料") == [peek.title]
    with after_commit():
        client.post(f"/search/synonyms/{group.pk}/delete/")
    assert not Synonym.objects.exists()
    assert titles("特种工程塑料") == []
    assert titles("聚醚醚酮") == [peek.title]
    assert [e.action for e in AuditEvent.objects.filter(action__startswith="synonym.").order_by("id")] == [
        "synonym.create",
        "synonym.update",
        "synonym.delete",
    ]


def test_bad_synonym_groups_are_refused_with_a_reason_and_nothing_changes(client, province_staff):
    client.force_login(province_staff)
    one = client.post("/search/synonyms/add/", {"terms": "碳纤维"})
    assert one.status_code == 422 and "至少填写两个不同的词" in one.content.decode()
    client.post("/search/synonyms/add/", {"terms": "聚醚醚酮, PEEK"})
    clash = client.post("/search/synonyms/add/", {"terms": "peek, 聚芳醚酮"})
    assert clash.status_code == 422 and "已在同义词组" in clash.content.decode()
    assert list(Synonym.objects.values_list("terms", flat=True)) == ["聚醚醚酮,PEEK"]


@pytest.mark.parametrize("who", ["city_staff", "university_user", "audit_admin"])
def test_others_are_refused(client, request, who):
    user = request.getfixturevalue(who)
    group = Synonym.objects.create(terms="聚醚醚酮,PEEK")
    client.force_login(user)
    assert client.get("/search/synonyms/").status_code == 403
    assert client.post("/search/synonyms/add/", {"terms": "碳纤维, CF"}).status_code == 403
    assert client.post(f"/search/synonyms/{group.pk}/edit/", {"terms": "a, b"}).status_code == 403
    assert client.post(f"/search/synonyms/{group.pk}/delete/").status_code == 403
    assert list(Synonym.objects.values_list("terms", flat=True)) == ["聚醚醚酮,PEEK"]
    with pytest.raises(PermissionDenied):
        services.create_synonym(actor=user, terms="碳纤维, CF", now=NOW)


def test_a_visitor_is_sent_to_log_in(client):
    response = client.get("/search/synonyms/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_province_system_administrator_may_edit_and_the_back_office_links_the_page(client, reference):
    admin = staff_in("220000", Duty.SYSTEM_ADMIN, username="sys_admin")
    client.force_login(admin)
    assert client.get("/search/synonyms/").status_code == 200
    assert "/search/synonyms/" in client.get(reverse("web:back_office")).content.decode()

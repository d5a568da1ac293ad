"""Saved searches and demand subscriptions: a newly published matching record puts one message in
the owner's inbox (and an e-mail after commit for those who opted in); unrelated records and edits do
not; each user sees only their own."""

import pytest
from django.core import mail

from tests.factories import OrganisationFactory, member_of, staff_in
from zhouqiao.accounts import services as accounts
from zhouqiao.catalog.states import RecordStatus
from zhouqiao.core.errors import NotFound, ValidationFailed
from zhouqiao.core.models import AuditEvent
from zhouqiao.notifications import services as inbox
from zhouqiao.notifications.models import Notification
from zhouqiao.search import indexing, services, todos
from zhouqiao.search.models import SavedSearch

from .conftest import NOW

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_analyzer")]

UNRELATED = {
    "title": "盐碱地水稻耐逆品种选育技术",
    "abstract": "通过分子标记辅助选择培育耐盐碱水稻新品种。",
    "problem": "盐碱地水稻产量低。",
    "advantages": "亩产提高一成。",
    "scenarios": "吉林西部盐碱地。",
    "keywords": "水稻、耐盐碱、育种",
    "industry": "0111",
    "patent_class": "",
}


def test_a_saved_search_is_notified_once_by_app_and_mail_after_commit(
    make_achievement, city_staff, stranger, after_commit
):
    saved = services.save_search(actor=stranger, name="碳化硅封装", query="碳化硅 功率模块", now=NOW)
    inbox.set_email_kinds(actor=stranger, kinds=[todos.ALERT], now=NOW)
    with after_commit():
        make_achievement(RecordStatus.PUBLISHED, reviewer=city_staff, **UNRELATED)
        a = make_achievement(RecordStatus.PUBLISHED, reviewer=city_staff)
        assert mail.outbox == []  # nothing leaves before the commit
    notes = list(Notification.objects.filter(user=stranger))
    assert [(n.kind, n.key, n.url) for n in notes] == [
        (todos.ALERT, f"search.alert:{saved.pk}:achievement:{a.pk}", f"/catalog/achievements/{a.pk}/")
    ]
    assert "碳化硅封装" in notes[0].title and a.title in notes[0].title
    assert Notification.objects.filter(kind__startswith="search.").count() == 1  # nobody else
    assert [m.to for m in mail.outbox] == [["stranger@example.cn"]]
    assert a.title in mail.outbox[0].subject

    # The task runs again (a retry, a second worker): nobody is told twice.
    with after_commit():
        indexing.index_record("achievement", a.pk, now=NOW, announce=True)
    assert Notification.objects.filter(user=stranger).count() == 1
    assert len(mail.outbox) == 1


def test_an_edit_of_a_public_record_does_not_notify(reference, stranger, after_commit):
    org = OrganisationFactory(name="长春激光测试有限公司", region_id="220104")
    admin = member_of(org, username="laser_admin")
    services.save_search(actor=stranger, name="激光雷达", query="激光雷达", now=NOW)
    with after_commit():
        accounts.update_organisation(
            actor=admin, organisation_id=org.pk, data={"description": "研发车载激光雷达。"}, now=NOW
        )
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_a_newly_verified_organisation_notifies_an_organisation_search(reference, stranger, after_commit):
    org = OrganisationFactory(
        name="吉林激光雷达测试有限公司", region_id="220104", submitted=True, description="车载激光雷达。"
    )
    services.save_search(actor=stranger, name="雷达机构", query="激光雷达", kind="organisation", now=NOW)
    services.save_search(actor=stranger, name="雷达成果", query="激光雷达", kind="achievement", now=NOW)
    with after_commit():
        accounts.verify_organisation(actor=staff_in("220100"), organisation_id=org.pk, now=NOW)
    [note] = Notification.objects.filter(kind=todos.ALERT)
    assert "雷达机构" in note.title and note.user == stranger


def test_a_demand_subscription_is_notified_of_a_well_matching_achievement_only(
    make_demand, make_achievement, enterprise_user, university_user, city_staff, after_commit
):
    with after_commit():
        d = make_demand(RecordStatus.PUBLISHED, reviewer=city_staff)
    sub = services.subscribe_demand(actor=enterprise_user, demand_id=d.pk, now=NOW)
    inbox.set_email_kinds(actor=enterprise_user, kinds=[todos.DEMAND_MATCH], now=NOW)
    with after_commit():
        make_achievement(RecordStatus.PUBLISHED, reviewer=city_staff, **UNRELATED)
        # Same industry, region, mode and price band, so a high score — but none of the demand's
        # keywords: not worth a message.
        make_achievement(RecordStatus.PUBLISHED, reviewer=city_staff)
        a = make_achievement(
            RecordStatus.PUBLISHED,
            reviewer=city_staff,
            title="大型铝合金结构件激光焊接变形控制工艺",
            abstract="铝合金焊接变形控制的激光焊接工艺，焊后平面度0.4mm。",
            keywords="铝合金、焊接变形、激光焊接",
            transfer_modes=["joint_development"],
            price_min="300000",
            price_max="600000",
        )
    notes = list(Notification.objects.filter(kind=todos.DEMAND_MATCH))
    assert [(n.user, n.key) for n in notes] == [
        (enterprise_user, f"search.alert:{sub.pk}:achievement:{a.pk}")
    ]
    assert d.title in notes[0].title and "共同关键词" in notes[0].title
    assert [m.to for m in mail.outbox] == [[enterprise_user.email]]
    assert not Notification.objects.filter(user=university_user, kind__startswith="search.").exists()


def test_only_a_member_of_the_demands_organisation_may_subscribe_it(make_demand, university_user):
    d = make_demand(RecordStatus.DRAFT)
    with pytest.raises(NotFound):
        services.subscribe_demand(actor=university_user, demand_id=d.pk, now=NOW)
    assert not SavedSearch.objects.exists()


def test_saving_an_empty_query_is_refused_with_a_reason(stranger):
    with pytest.raises(ValidationFailed) as exc:
        services.save_search(actor=stranger, name="", query="的 和", now=NOW)
    assert "检索词" in str(exc.value.message)
    assert not SavedSearch.objects.exists()


# --- pages and API ----------------------------------------------------------------------------


@pytest.fixture
def mine(stranger, make_achievement, city_staff, after_commit):
    """stranger's saved search with one unread message."""
    saved = services.save_search(actor=stranger, name="碳化硅", query="碳化硅", now=NOW)
    with after_commit():
        make_achievement(RecordStatus.PUBLISHED, reviewer=city_staff)
    return saved, Notification.objects.get(user=stranger, kind=todos.ALERT)


def test_the_search_page_saves_the_current_query_and_audits_it(client, stranger):
    client.force_login(stranger)
    page = client.get("/search/", {"q": "碳纤维", "kind": "achievement"})
    assert "保存检索" in page.content.decode()
    response = client.post(
        "/search/saved/",
        {"q": "碳纤维", "kind": "achievement", "name": "碳纤维成果", "next": "/search/?q=碳纤维"},
    )
    assert response.status_code == 302
    saved = SavedSearch.objects.get(user=stranger)
    assert (saved.name, saved.query, saved.kind) == ("碳纤维成果", "碳纤维", "achievement")
    assert AuditEvent.objects.filter(action="saved_search.create", actor=stranger).count() == 1
    listing = client.get("/search/subscriptions/").content.decode()
    assert "碳纤维成果" in listing
    client.post(f"/search/saved/{saved.pk}/delete/")
    assert not SavedSearch.objects.exists()
    assert AuditEvent.objects.filter(action="saved_search.delete", actor=stranger).count() == 1


def test_a_visitor_sees_no_save_button(client):
    assert "保存检索" not in client.get("/search/", {"q": "碳纤维"}).content.decode()


def test_the_alert_reaches_the_inbox_and_the_subscription_counts_it(client, stranger, mine):
    saved, note = mine
    client.force_login(stranger)
    home = client.get("/").content.decode()
    assert 'href="/inbox/"' in home
    page = client.get("/inbox/").content.decode()
    assert note.title in page
    listing = client.get("/search/subscriptions/").content.decode()
    assert "碳化硅" in listing and "<td>1</td>" in listing
    assert client.get("/search/notifications/").status_code == 404  # the old inbox is gone


def test_a_user_without_an_email_preference_gets_no_mail(
    stranger, make_achievement, city_staff, after_commit
):
    services.save_search(actor=stranger, name="碳化硅", query="碳化硅", now=NOW)
    with after_commit():
        make_achievement(RecordStatus.PUBLISHED, reviewer=city_staff)
    assert Notification.objects.filter(user=stranger, kind=todos.ALERT).count() == 1
    assert mail.outbox == []


def test_the_global_search_box_submits_to_the_search_page(client):
    assert 'action="/search/"' in client.get("/").content.decode()


def test_another_user_can_neither_see_nor_delete_my_saved_searches_or_messages(
    client, stranger, enterprise_user, mine
):
    saved, note = mine
    client.force_login(enterprise_user)
    assert "碳化硅" not in client.get("/search/subscriptions/").content.decode()
    assert note.title not in client.get("/inbox/").content.decode()
    assert client.post(f"/search/saved/{saved.pk}/delete/").status_code == 404
    assert client.get("/api/v1/search/saved").json() == []
    assert client.delete(f"/api/v1/search/saved/{saved.pk}").status_code == 404
    assert SavedSearch.objects.filter(pk=saved.pk).exists()


def test_the_api_lists_creates_and_deletes_for_the_owner(client, stranger, mine):
    saved, _note = mine
    client.force_login(stranger)
    assert [s["id"] for s in client.get("/api/v1/search/saved").json()] == [saved.pk]
    created = client.post(
        "/api/v1/search/saved", {"name": "石墨烯", "query": "石墨烯"}, content_type="application/json"
    )
    assert created.status_code == 201 and created.json()["query"] == "石墨烯"
    bad = client.post("/api/v1/search/saved", {"query": ""}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["code"] == "validation_failed"
    assert client.delete(f"/api/v1/search/saved/{created.json()['id']}").status_code == 204
    assert SavedSearch.objects.filter(user=stranger).count() == 1


def test_the_api_refuses_a_visitor(client):
    assert client.get("/api/v1/search/saved").status_code == 401


def test_the_demand_page_offers_its_owner_a_subscription(client, make_demand, enterprise_user, city_staff):
    d = make_demand(RecordStatus.PUBLISHED, reviewer=city_staff)
    client.force_login(enterprise_user)
    assert "订阅匹配成果" in client.get(f"/catalog/demands/{d.pk}/").content.decode()
    client.post(f"/search/subscribe/demand/{d.pk}/")
    assert SavedSearch.objects.get(user=enterprise_user).demand_id == d.pk
    again = client.post(f"/search/subscribe/demand/{d.pk}/", follow=True)
    assert "已订阅" in again.content.decode()
    assert SavedSearch.objects.filter(user=enterprise_user).count() == 1

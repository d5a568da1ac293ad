"""The index follows the records through the services alone (no direct index calls): publish,
edit, return, close, expire, organisation verification — each change reaches search once its
transaction commits and the index task has run."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.factories import OrganisationFactory, member_of, staff_in
from zhouqiao.accounts import services as accounts
from zhouqiao.catalog import services
from zhouqiao.catalog.states import RecordStatus
from zhouqiao.search import queries
from zhouqiao.search.models import SearchDocument

from .conftest import NOW, achievement_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_analyzer")]


def titles(query, **filters):
    return [d.title for d in queries.search(query, queries.Filters(**filters)).page.object_list]


def test_a_record_is_not_searchable_until_its_publication_commits(
    make_achievement, city_staff, university_user, after_commit
):
    with after_commit():
        a = make_achievement(RecordStatus.SUBMITTED)
    assert titles("碳化硅") == []
    with after_commit() as callbacks:
        services.publish(actor=city_staff, kind="achievement", record_id=a.pk, now=NOW)
        assert titles("碳化硅") == []  # not before the commit
    assert callbacks  # the index task was scheduled on commit
    assert titles("碳化硅") == [a.title]
    assert titles("银烧结") == [a.title]


def test_an_edited_and_republished_record_is_found_by_its_new_title_only(
    make_achievement, city_staff, university_user, after_commit
):
    with after_commit():
        a = make_achievement(RecordStatus.RETURNED, reviewer=city_staff)
        services.update_achievement(
            actor=university_user,
            achievement_id=a.pk,
            data=achievement_data(title="石墨烯导热膜规模化制备技术", keywords="石墨烯、导热膜"),
            now=NOW,
        )
        services.submit(actor=university_user, kind="achievement", record_id=a.pk, now=NOW)
        services.publish(actor=city_staff, kind="achievement", record_id=a.pk, now=NOW)
    assert titles("石墨烯导热膜") == ["石墨烯导热膜规模化制备技术"]
    assert titles("车规级") == []
    assert SearchDocument.objects.filter(kind="achievement").count() == 1


def test_an_organisation_edited_while_verified_is_found_by_its_new_text_only(reference, after_commit):
    org = OrganisationFactory(name="长春光电测试有限公司", region_id="220104", submitted=True)
    admin = member_of(org, username="org_admin")
    reviewer = staff_in("220100", username="org_reviewer")
    with after_commit():
        accounts.verify_organisation(actor=reviewer, organisation_id=org.pk, now=NOW)
    assert titles("长春光电测试") == [org.name]
    with after_commit():
        accounts.update_organisation(
            actor=admin, organisation_id=org.pk, data={"description": "专注红外热像仪整机研发。"}, now=NOW
        )
    assert titles("红外热像仪") == [org.name]
    with after_commit():
        accounts.update_organisation(
            actor=admin, organisation_id=org.pk, data={"description": "专注激光雷达研发。"}, now=NOW
        )
    assert titles("激光雷达") == [org.name]
    assert titles("红外热像仪") == []
    with after_commit():
        accounts.return_organisation(actor=reviewer, organisation_id=org.pk, reason="营业执照过期", now=NOW)
    assert titles("激光雷达") == []
    assert not SearchDocument.objects.filter(kind="organisation", object_id=org.pk).exists()


def test_a_closed_achievement_and_a_returned_one_are_gone(
    make_achievement, city_staff, university_user, after_commit
):
    with after_commit():
        a = make_achievement(RecordStatus.PUBLISHED, reviewer=city_staff)
        returned = make_achievement(RecordStatus.RETURNED, reviewer=city_staff, title="被退回的碳化硅成果")
    assert titles("碳化硅") == [a.title]
    with after_commit():
        services.close(actor=university_user, kind="achievement", record_id=a.pk, now=NOW)
    assert titles("碳化硅") == []
    assert returned.status == RecordStatus.RETURNED
    assert not SearchDocument.objects.exists()


def test_an_expired_demand_is_gone(make_demand, city_staff, after_commit):
    with after_commit():
        d = make_demand(RecordStatus.PUBLISHED, reviewer=city_staff, deadline="2026-04-30")
    assert titles("铝合金") == [d.title]
    with after_commit():
        moved = services.expire_demands(now=datetime(2026, 5, 2, 8, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    assert moved == 1
    assert titles("铝合金") == []


def test_a_confidential_demands_details_never_reach_the_index(make_demand, city_staff, after_commit):
    secret = "返修率高达12%"
    with after_commit():
        d = make_demand(
            RecordStatus.PUBLISHED,
            reviewer=city_staff,
            confidentiality="summary",
            problem=f"副车架焊后变形超差，{secret}，机密工艺参数。",
            indicators="焊后平面度≤0.3mm",
        )
        invited = make_demand(
            RecordStatus.PUBLISHED,
            reviewer=city_staff,
            confidentiality="invited",
            title="受邀可见的镁合金压铸需求",
            summary="镁合金压铸。",
        )
    doc = SearchDocument.objects.get(kind="demand", object_id=d.pk)
    assert "返修率" not in doc.text + doc.terms + doc.title_terms
    assert "平面度" not in doc.text + doc.terms
    assert "机密工艺" not in doc.text
    assert titles("返修率") == []
    assert titles("铝合金") == [d.title]
    assert titles("镁合金") == []
    assert not SearchDocument.objects.filter(kind="demand", object_id=invited.pk).exists()


def test_a_renamed_organisations_records_show_its_new_name(
    make_achievement, university, university_user, city_staff, after_commit
):
    with after_commit():
        a = make_achievement(RecordStatus.PUBLISHED, reviewer=city_staff)
    assert queries.search("碳化硅").page.object_list[0].org_name == "测试大学"
    with after_commit():
        accounts.update_organisation(
            actor=university_user, organisation_id=university.pk, data={"name": "吉林测试理工大学"}, now=NOW
        )
    doc = SearchDocument.objects.get(kind="achievement", object_id=a.pk)
    assert doc.org_name == "吉林测试理工大学"

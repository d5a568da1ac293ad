"""The audit administrator's search and CSV export, scoped to their jurisdiction."""

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.factories import staff_in
from zhouqiao.accounts.models import Duty
from zhouqiao.core import audit

pytestmark = pytest.mark.django_db

AT = datetime(2026, 4, 2, 10, 15, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def city_audit_admin(reference):
    return staff_in("220100", Duty.AUDIT_ADMIN, username="cc_audit")


@pytest.fixture
def events(reference):
    for code in ("220104", "220183", "220204", "210102"):
        audit.record(
            "organisation.verified",
            actor_name=f"actor-{code}",
            region_code=code,
            before={"status": "submitted"},
            after={"status": "verified"},
            now=AT,
        )


def _rows(response):
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_export_contains_the_rows_in_scope_with_local_times(client, city_audit_admin, events):
    client.force_login(city_audit_admin)
    header, *rows = _rows(client.get("/office/audit/export/?action=organisation.verified"))
    assert header[:4] == ["时间", "操作人", "动作", "动作代码"]
    assert sorted(r[1] for r in rows) == ["actor-220104", "actor-220183"]
    assert {r[0] for r in rows} == {"2026-04-02T10:15:00+08:00"}
    assert "verified" in rows[0][header.index("变更后")]


def test_the_province_export_has_every_jilin_row_and_no_liaoning_row(client, audit_admin, events):
    client.force_login(audit_admin)
    _, *rows = _rows(client.get("/office/audit/export/?action=organisation.verified"))
    assert sorted(r[1] for r in rows) == ["actor-220104", "actor-220183", "actor-220204"]


def test_the_export_follows_the_search(client, audit_admin, events):
    client.force_login(audit_admin)
    _, *rows = _rows(client.get("/office/audit/export/?actor=actor-220204"))
    assert [r[1] for r in rows] == ["actor-220204"]
    _, *none = _rows(client.get("/office/audit/export/?action=organisation.verified&since=2026-04-03"))
    assert none == []
    _, *day = _rows(
        client.get("/office/audit/export/?action=organisation.verified&since=2026-04-02&until=2026-04-02")
    )
    assert len(day) == 3


def test_the_log_page_shows_the_time_with_its_offset(client, audit_admin, events):
    client.force_login(audit_admin)
    page = client.get("/office/audit/?actor=actor-220104").content.decode()
    assert "2026-04-02 10:15:00 +0800" in page
    assert "actor-220183" not in page


def test_the_workspace_offers_the_audit_log_to_audit_admins_only(client, audit_admin, security_admin):
    client.force_login(audit_admin)
    assert "/office/audit/" in client.get("/office/").content.decode()
    client.force_login(security_admin)
    assert "/office/audit/" not in client.get("/office/").content.decode()


@pytest.fixture
def worded_events(reference, enterprise):
    audit.record("auth.login", actor_name="ent_admin", region_code="220104", now=AT)
    audit.record(
        "organisation.verified",
        target=enterprise,
        before={"status": "submitted"},
        after={"status": "verified"},
        now=AT,
    )


def test_the_log_shows_actions_objects_changes_and_regions_in_words(client, audit_admin, worded_events):
    client.force_login(audit_admin)
    page = client.get("/office/audit/").content.decode()
    assert "登录" in page and "机构认证通过" in page
    assert "认证状态：待审核 → 已认证" in page
    assert "吉林省长春市" in page  # the region by name
    # the codes stay only as small references
    assert '<small class="ref">organisation.verified</small>' in page
    assert "<code>" not in page


def test_the_export_is_in_words_with_the_codes_in_their_own_columns(client, audit_admin, worded_events):
    client.force_login(audit_admin)
    header, *rows = _rows(client.get("/office/audit/export/"))
    row = next(dict(zip(header, r, strict=True)) for r in rows if "organisation.verified" in r)
    assert row["动作"] == "机构认证通过" and row["动作代码"] == "organisation.verified"
    assert row["对象类型"] == "机构" and row["对象类型代码"] == "accounts.organisation"
    assert row["区划"].startswith("吉林省长春市") and row["区划代码"].startswith("2201")
    assert row["变更内容"] == "认证状态：待审核 → 已认证"
    assert row["结果"] == "成功"


def test_the_action_filter_offers_actions_by_name(client, audit_admin, events):
    client.force_login(audit_admin)
    html = client.get("/office/audit/").content.decode()
    assert '<option value="organisation.verified">机构认证通过</option>' in html


@pytest.fixture
def policy_events(reference, enterprise):
    """What the policy services write: an application described by its clause, organisation id
    and ceiling; a rule, an event code and amounts in yuan; a challenge's investment."""
    from tests.factories import member_of

    person = member_of(enterprise, username="zdq", display_name="赵德全（德惠禾丰）")
    application = audit.event(
        "policy.application_submitted",
        actor=person,
        region_code="220104",
        before={"status": "invited"},
        after={
            "rule_id": "cc_high_tech_county_reward",
            "event": "high_tech_certified",
            "ceiling": "100000.00",
            "granted_amount": "50000.00",
        },
        now=AT,
    )
    application.target_type, application.target_id = "policy.application", "7"
    application.target_repr = f"001#20 {enterprise.pk} ≤100000.00"
    application.save(force_insert=True)
    challenge = audit.event(
        "challenges.challenge.create",
        actor=person,
        region_code="220104",
        after={"investment": "3000000.00", "reward": "1500000.00"},
        now=AT,
    )
    challenge.target_type, challenge.target_id, challenge.target_repr = "challenges.challenge", "3", "榜单"
    challenge.save(force_insert=True)
    entitlement = audit.event(
        "policy.entitlement_computed", actor_name="scheduler", region_code="220104", now=AT
    )
    entitlement.target_type, entitlement.target_id = "policy.entitlement", "9"
    entitlement.target_repr = "001#18 吉林大学 300.00"
    entitlement.save(force_insert=True)


def test_the_log_names_policy_objects_rules_events_and_amounts_in_words(client, audit_admin, policy_events):
    client.force_login(audit_admin)
    page = client.get("/office/audit/").content.decode()
    # the object type and the object as a clerk names them
    assert ">application<" not in page and "政策支持申请" in page
    assert (
        "《长春市进一步加快科技创新发展的若干政策措施》第二十条 · 长春测试汽车零部件有限公司 · 最高10万元"
        in page
    )
    assert "001#20" not in page and "≤" not in page
    assert "《长春市进一步加快科技创新发展的若干政策措施》第十八条 吉林大学 300元" in page
    # the rule and the event by name, amounts with their unit through the money format
    assert "规则：高新技术企业认定奖励（县区后补助）" in page
    assert "事项：认定为高新技术企业" in page
    assert "cc_high_tech_county_reward" not in page and "high_tech_certified" not in page
    assert "核定金额：5万元" in page and "最高金额：10万元" in page
    assert "企业先行投入：300万元" in page
    assert "3000000.00" not in page and "50000.00" not in page
    # the action code stays as a small reference
    assert '<small class="ref">policy.application_submitted</small>' in page


def test_the_export_names_the_object_in_words_and_keeps_the_raw_values(client, audit_admin, policy_events):
    client.force_login(audit_admin)
    header, *rows = _rows(client.get("/office/audit/export/?action=policy.application_submitted"))
    row = dict(zip(header, rows[0], strict=True))
    assert row["对象类型"] == "政策支持申请" and row["对象类型代码"] == "policy.application"
    assert row["对象"].startswith("《长春市进一步加快科技创新发展的若干政策措施》第二十条")
    assert "cc_high_tech_county_reward" in row["变更后"]  # the raw record stays in its own column


@pytest.mark.parametrize("typed", ["赵德全", "赵德全（德惠禾丰）", "zdq", "ZDQ", " zdq "])
def test_the_actor_filter_finds_a_person_by_name_or_login_name(client, audit_admin, policy_events, typed):
    client.force_login(audit_admin)
    page = client.get("/office/audit/", {"actor": typed}).content.decode()
    assert "没有记录" not in page
    assert page.count("政策支持申请") >= 1 and "第十八条" not in page  # not the scheduler's row


def test_the_actor_filter_finds_a_system_actor_by_its_name_and_nobody_by_a_stranger(
    client, audit_admin, policy_events
):
    client.force_login(audit_admin)
    assert "第十八条" in client.get("/office/audit/", {"actor": "系统定时任务"}).content.decode()
    assert "没有记录" in client.get("/office/audit/", {"actor": "王科长"}).content.decode()

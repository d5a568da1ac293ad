"""A bureau edits its own parameters (issue 16): a policy editor proposes a dated value with a
reason and the adopting document's number, a second editor approves (not their own), the engine
uses it from its effective date while earlier contracts keep the old value; history, export;
and the draft document that grants nothing until adopted."""

import datetime as dt
import json
from decimal import Decimal

import pytest
import yaml
from django.core.management import call_command
from django.utils import timezone

from tests.factories import OrganisationFactory, staff_in
from tests.policy.helpers import register
from zhouqiao.accounts.models import Duty
from zhouqiao.core.errors import PermissionDenied, ValidationFailed
from zhouqiao.notifications.models import Notification
from zhouqiao.policy import engine, parameters, services
from zhouqiao.policy.models import ParameterChange

EFFECTIVE = dt.date(2024, 7, 1)
CASE = {
    "date": "2024-06-30",
    "contract_type": "技术转让",
    "contract_amount": "40000000.00",
    "technology_amount": "40000000.00",
    "seller": {"type": "university", "region": "220102"},
    "buyer": {"type": "enterprise", "region": "220104"},
}


def at(day: dt.date):
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, 10, 0))


@pytest.fixture
def editors(db):
    return staff_in("220100", Duty.POLICY_EDITOR), staff_in("220100", Duty.POLICY_EDITOR)


def propose_cap(editor, value="1500000", now=None):
    return services.propose_parameter_change(
        actor=editor,
        package_id="001",
        rule_id="cc_output_unit_reward",
        name="annual_cap",
        value=value,
        effective_from=EFFECTIVE,
        reason="市政府常务会议决定提高成果输出单位奖励上限",
        adopting_document="长科发〔2024〕12号",
        now=now or at(dt.date(2024, 6, 15)),
    )


def seller_reward(case_date: str) -> str:
    rows = parameters.calculate({**CASE, "date": case_date})
    return next(r["amount"] for r in rows if r["rule"] == "cc_output_unit_reward")


def test_a_second_editor_approves_and_the_engine_uses_the_value_from_its_date(editors):
    first, second = editors
    change = propose_cap(first)
    assert change.previous_value == "1000000.00" and change.value == "1500000.00"
    assert seller_reward("2024-07-01") == "1000000.00"  # proposed is not yet in force
    with pytest.raises(PermissionDenied):  # no one approves their own proposal
        services.decide_parameter_change(actor=first, change_id=change.pk, approve=True, now=at(EFFECTIVE))
    services.decide_parameter_change(actor=second, change_id=change.pk, approve=True, now=at(EFFECTIVE))
    assert seller_reward("2024-06-30") == "1000000.00"  # the day before: the shipped value
    assert seller_reward("2024-07-01") == "1200000.00"  # 3 % of 4000万, under the new 150万 cap
    # the YAML package stays the shipped default
    shipped = engine.rule_by_id("cc_output_unit_reward", engine.shipped_packages())
    assert shipped.parameter("annual_cap", EFFECTIVE)[0] == "1000000.00"


def test_only_editors_of_the_issuing_jurisdiction_propose(db, editors):
    province_editor = staff_in("220000", Duty.POLICY_EDITOR)
    finance = staff_in("220100", Duty.FINANCE)
    for outsider in (province_editor, finance):
        with pytest.raises(PermissionDenied):
            propose_cap(outsider)
    with pytest.raises(ValidationFailed) as info:
        propose_cap(editors[0], value="1e9")
    assert "value" in info.value.detail
    with pytest.raises(ValidationFailed) as info:
        services.propose_parameter_change(
            actor=editors[0],
            package_id="001",
            rule_id="cc_output_unit_reward",
            name="annual_cap",
            value="1500000",
            effective_from=EFFECTIVE,
            reason="理由",
            adopting_document="",
            now=at(EFFECTIVE),
        )
    assert "adopting_document" in info.value.detail
    assert not ParameterChange.objects.filter(proposed_by__isnull=False).exists()


def test_an_earlier_contract_keeps_the_old_value_and_a_later_one_uses_the_new(
    editors, seller_user, seller_org, buyer_org, registrar
):
    first, second = editors
    before = register(
        seller_user, seller_org, buyer_org, registrar, at(dt.date(2024, 6, 20)), contract_amount="40000000.00"
    )
    change = propose_cap(first)
    services.decide_parameter_change(actor=second, change_id=change.pk, approve=True, now=at(EFFECTIVE))
    other_buyer = OrganisationFactory(name="长春另一企业", kind="enterprise", region_id="220104")
    after = register(
        seller_user,
        seller_org,
        other_buyer,
        registrar,
        at(dt.date(2024, 7, 2)),
        contract_amount="20000000.00",
    )
    old = before.entitlements.get(rule_id="cc_output_unit_reward")
    new = after.entitlements.get(rule_id="cc_output_unit_reward")
    assert old.amount == Decimal("1000000.00")  # registered before: the old cap, unchanged
    assert new.amount == Decimal("500000.00")  # 150万 a year, 100万 already used by this seller
    assert new.trace["parameters"]["annual_cap"] == {"value": "1500000.00", "from": "2024-07-01"}


def test_the_approver_is_told_and_finds_it_in_todo(client, editors):
    first, second = editors
    change = propose_cap(first)
    assert list(
        Notification.objects.filter(kind="policy.parameter_to_approve").values_list("user", flat=True)
    ) == [second.pk]
    client.force_login(second)
    html = client.get("/todo/").content.decode()
    assert f"/policy/parameters/{change.pk}/" in html and "上限" in html
    client.force_login(first)  # the proposer has nothing to approve
    assert f"/policy/parameters/{change.pk}/" not in client.get("/todo/").content.decode()


def test_the_pages_propose_approve_and_show_the_history(client, editors):
    first, second = editors
    client.force_login(first)
    html = client.get("/policy/parameters/new/").content.decode()
    assert "001:cc_output_unit_reward:annual_cap" in html and "现为：100万元" in html
    response = client.post(
        "/policy/parameters/new/",
        {
            "target": "001:cc_output_unit_reward:annual_cap",
            "value": "abc",
            "effective_from": "2024-07-01",
            "reason": "理由",
            "adopting_document": "长科发〔2024〕12号",
        },
    )
    assert response.status_code == 200 and "金额" in response.content.decode()  # refused on its field
    response = client.post(
        "/policy/parameters/new/",
        {
            "target": "001:cc_output_unit_reward:annual_cap",
            "value": "1500000",
            "effective_from": "2024-07-01",
            "reason": "理由",
            "adopting_document": "长科发〔2024〕12号",
        },
    )
    change = ParameterChange.objects.get(proposed_by=first)
    assert response.status_code == 302
    first.display_name = "政策法规处张明"
    first.save(update_fields=["display_name"])
    page = client.get(f"/policy/parameters/{change.pk}/").content.decode()
    assert 'id="approve-change"' not in page and "不能审批自己提出的调整" in page
    assert "政策法规处张明" in page and first.username not in page  # the proposer by name, not login
    client.force_login(second)
    page = client.get(f"/policy/parameters/{change.pk}/").content.decode()
    assert 'id="approve-change"' in page
    client.post(f"/policy/parameters/{change.pk}/approve/", {"reason": ""})
    change.refresh_from_db()
    assert change.status == "approved" and change.decided_by == second
    history = client.get("/policy/rules/cc_output_unit_reward/history/").content.decode()
    assert "100万元" in history and "150万元" in history and "长科发〔2024〕12号" in history
    client.logout()  # the history is public once approved
    assert "150万元" in client.get("/policy/rules/cc_output_unit_reward/history/").content.decode()
    assert client.get("/policy/parameters/").status_code == 302  # the desk is the editors': sign in
    client.force_login(staff_in("220100", Duty.FINANCE))
    assert client.get("/policy/parameters/").status_code == 404
    assert client.get(f"/policy/parameters/{change.pk}/").status_code == 404


def test_export_writes_the_effective_parameters_back_as_yaml(tmp_path, editors):
    first, second = editors
    change = propose_cap(first)
    services.decide_parameter_change(actor=second, change_id=change.pk, approve=True, now=at(EFFECTIVE))
    call_command("policy", "export", "--output", str(tmp_path))
    raw = yaml.safe_load((tmp_path / "001_changchun.yaml").read_text(encoding="utf-8"))
    rule = next(r for r in raw["rules"] if r["id"] == "cc_output_unit_reward")
    assert rule["parameters"]["annual_cap"][-1] == {
        "from": "2024-07-01",
        "value": "1500000.00",
        "number": "长科发〔2024〕12号",
    }
    reloaded = engine._load(tmp_path / "001_changchun.yaml")
    assert reloaded.in_force(EFFECTIVE)  # the suite's recorded adoption is exported too
    cap = engine.rule_by_id("cc_output_unit_reward", (reloaded,)).parameter("annual_cap", EFFECTIVE)[0]
    assert cap == "1500000.00"


# --- ruling 1: a draft grants nothing until adopted ------------------------------------------


def test_a_draft_document_grants_nothing_until_adopted(
    editors, seller_user, seller_org, buyer_org, registrar
):
    ParameterChange.objects.all().delete()  # the suite records the demo's adoption; not here
    draft = register(seller_user, seller_org, buyer_org, registrar, at(dt.date(2024, 6, 1)))
    assert not draft.entitlements.filter(clause__startswith="001#").exists()
    assert draft.applications.filter(clause="002#5").exists()  # the province's document is in force
    first, second = editors
    adoption = services.propose_parameter_change(
        actor=first,
        package_id="001",
        name="status",
        value="施行",
        effective_from=dt.date(2024, 6, 10),
        reason="征求意见结束，市政府印发施行",
        adopting_document="长府发〔2024〕5号",
        now=at(dt.date(2024, 6, 9)),
    )
    assert adoption.previous_value == "征求意见稿"
    services.decide_parameter_change(
        actor=second, change_id=adoption.pk, approve=True, now=at(dt.date(2024, 6, 9))
    )
    other_buyer = OrganisationFactory(name="长春第三企业", kind="enterprise", region_id="220104")
    adopted = register(seller_user, seller_org, other_buyer, registrar, at(dt.date(2024, 6, 10)))
    assert {e.clause for e in adopted.entitlements.all()} == {"001#15", "001#16", "001#18"}
    assert adopted.entitlements.get(clause="001#15").trace["document_status"] == "施行"


def test_the_public_calculator_marks_draft_based_results(client, db):
    ParameterChange.objects.all().delete()
    response = client.post(
        "/api/v1/policy/calculate",
        data=json.dumps({**CASE, "contract_amount": "800000.00", "technology_amount": "800000.00"}),
        content_type="application/json",
    )
    rows = {r["rule"]: r for r in response.json()}
    assert rows["cc_output_unit_reward"]["draft"] is True
    assert rows["cc_output_unit_reward"]["note"] == "依据征求意见稿，仅供参考"
    assert rows["jl_enterprise_purchase_support"]["draft"] is False  # 002 is in force
    form = {
        "date": "2024-06-01",
        "contract_type": "技术转让",
        "contract_amount": "800000.00",
        "technology_amount": "800000.00",
        "seller_type": "university",
        "seller_region": "220102",
        "buyer_type": "enterprise",
        "buyer_region": "220104",
    }
    html = client.post("/policy/calculator/", form).content.decode()
    assert html.count("依据征求意见稿，仅供参考") >= 3  # 001#15, #16, #18 each marked
    rules_page = client.get("/policy/").content.decode()
    assert "征求意见稿（尚未施行" in rules_page


def test_the_form_reads_the_words_as_the_page_shows_them_in_either_language():
    from django.utils import translation

    from zhouqiao.policy.forms import ParameterChangeForm
    from zhouqiao.policy.parameters import CAP_PERIODS

    for language in ("zh-hans", "en"):
        with translation.override(language):
            for code, label in CAP_PERIODS.items():
                form = ParameterChangeForm({"value": str(label)})
                form.is_valid()
                assert form.cleaned_data["value"] == code, (language, str(label))
            for status in ("施行", "废止"):
                form = ParameterChangeForm({"value": translation.gettext(status)})
                form.is_valid()
                assert form.cleaned_data["value"] == status, language

"""Issue 16: a Changchun policy editor proposes a new cap for 001#15, a second editor finds it in
the to-do list and approves it; from its effective date (today) the calculator and a new
registration use it, while a contract registered earlier keeps the old value and the calculator
still applies the old cap to an earlier date."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import log_in
from tests.contracts.fixtures import PDF, contract_data
from tests.factories import PASSWORD, OrganisationFactory, member_of, staff_in
from zhouqiao.accounts.models import Duty
from zhouqiao.contracts import services as contracts
from zhouqiao.policy.models import Entitlement

pytestmark = pytest.mark.browser


def log_out(page):
    page.click("form[action$='logout/'] button")
    page.wait_for_load_state("load")


def _contract(seller_user, seller, buyer, now, *, registrar=None):
    contract = contracts.create_draft(
        actor=seller_user,
        seller_id=seller.pk,
        data=contract_data(buyer, contract_amount="40000000.00", signed_on=str(now.date())),
        now=now,
    )
    contracts.attach_signed_contract(
        actor=seller_user, contract_id=contract.pk, content=PDF, filename="c.pdf", now=now
    )
    contracts.transition_contract(actor=seller_user, contract_id=contract.pk, to_status="submitted", now=now)
    if registrar is not None:
        contracts.transition_contract(
            actor=registrar, contract_id=contract.pk, to_status="registered", now=now
        )
    return contract


def _calculate(page, day: dt.date) -> str:
    page.fill("#id_date", day.isoformat())
    page.fill("#id_contract_amount", "40000000.00")
    page.fill("#id_technology_amount", "40000000.00")
    page.click("form.card button.primary")
    row = page.locator('tr[data-rule="cc_output_unit_reward"]')
    expect(row).to_be_visible()
    return row.locator("td").nth(3).inner_text()


def test_an_editor_proposes_a_cap_another_approves_and_it_applies_from_its_date(page, reference):
    today = timezone.localdate()
    yesterday = today - dt.timedelta(days=1)
    first = staff_in("220100", Duty.POLICY_EDITOR, first_name="张编辑")
    second = staff_in("220100", Duty.POLICY_EDITOR, first_name="李审批")
    registrar = staff_in("220100", Duty.REGISTRAR, Duty.FINANCE)
    earlier_seller = OrganisationFactory(name="长春早先大学", kind="university", region_id="220102")
    seller = OrganisationFactory(name="长春新近大学", kind="university", region_id="220102")
    buyer = OrganisationFactory(name="长春承接科技有限公司", kind="enterprise", region_id="220104")
    earlier_user, seller_user = member_of(earlier_seller), member_of(seller)
    before = timezone.now() - dt.timedelta(days=1)
    earlier = _contract(earlier_user, earlier_seller, buyer, before, registrar=registrar)
    pending = _contract(seller_user, seller, buyer, timezone.now())

    # the first editor proposes 150万 from today, with the reason and the adopting document
    page.goto("/")
    log_in(page, first.username, PASSWORD)
    page.goto("/policy/")
    page.click("text=政策参数调整")
    assert_accessible(page)  # the editor's desk
    page.click("#propose-change")
    assert_accessible(page)  # the proposal form
    page.select_option("#id_target", "001:cc_output_unit_reward:annual_cap")
    page.fill("#id_value", "1500000")
    page.fill("#id_effective_from", today.isoformat())
    page.fill("#id_reason", "市政府常务会议决定提高科技成果输出单位奖励上限")
    page.fill("#id_adopting_document", "长科发〔2026〕12号")
    page.click("#submit-change")
    expect(page.locator("#summary")).to_contain_text("100万元 → 150万元")
    expect(page.locator("text=不能审批自己提出的调整")).to_be_visible()
    expect(page.locator("#approve-change")).to_have_count(0)
    assert_accessible(page)  # the change, without a button for its own proposer
    log_out(page)

    # the second editor finds it in the to-do list and approves it
    log_in(page, second.username, PASSWORD)
    page.click("header a.todo")
    page.click("text=审批：")
    page.click("#approve-change")
    expect(page.locator("h1 .status")).to_have_text("已生效")
    page.click("text=政策条款")
    page.click('tr[data-rule="cc_output_unit_reward"] a.history')
    expect(page.locator("table.history")).to_contain_text("150万元")
    expect(page.locator("table.history")).to_contain_text("长科发〔2026〕12号")
    assert_accessible(page)  # the rule's public history
    log_out(page)

    # the calculator uses the new cap from today, the old one the day before
    log_in(page, registrar.username, PASSWORD)
    page.goto("/policy/calculator/")
    assert _calculate(page, yesterday) == "100万元"
    assert _calculate(page, today) == "120万元"  # 3 % of 4000万, under the new 150万 cap
    assert_accessible(page)  # the calculator with its 本年已享受 inputs and results

    # a new registration today uses it; the contract registered yesterday keeps the old value
    page.goto(f"/contracts/{pending.pk}/")
    page.click("#register-contract")
    expect(page.locator("#registration-number")).to_be_visible()
    new = Entitlement.objects.get(contract_id=pending.pk, rule_id="cc_output_unit_reward")
    old = Entitlement.objects.get(contract_id=earlier.pk, rule_id="cc_output_unit_reward")
    assert (str(new.amount), str(old.amount)) == ("1200000.00", "1000000.00")

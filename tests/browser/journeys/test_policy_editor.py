"""A bureau edits its own parameters (issue 16) as the people doing it: Changchun's policy editor
finds the parameter desk from the top menu and proposes a higher cap for 001#15 from today, with
the reason and the adopting document's number, and cannot approve it; the second editor finds it
in the to-do list and approves it; the rule's public history shows the old and the new value; the
calculator applies the old cap the day before and the new one from today; a contract registered
today earns under the new cap while a contract registered yesterday keeps the old amount."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible
from tests.contracts.fixtures import PDF, contract_data
from tests.factories import OrganisationFactory, member_of
from zhouqiao.accounts.models import User
from zhouqiao.contracts import services as contracts

pytestmark = pytest.mark.browser

RULE = "cc_output_unit_reward"  # 001#15: 3 % of the contract amount, at most 100万 a year
TARGET = f"001:{RULE}:annual_cap"
NUMBER = "长科发〔2026〕12号"
EARLIER = "长春早先大学催化剂专利权转让（旅程）"
PENDING = "长春新近大学催化剂专利权转让（旅程）"


def _contract(title, seller_name, buyer, now, *, registrar=None):
    """A 4000万 transfer from a Changchun university with no other reward this year: 3 % is
    120万, so the 100万 cap bites and the 150万 one does not."""
    seller = OrganisationFactory(name=seller_name, kind="university", region_id="220102")
    user = member_of(seller)
    contract = contracts.create_draft(
        actor=user,
        seller_id=seller.pk,
        data=contract_data(
            buyer, title=title, contract_amount="40000000.00", signed_on=str(timezone.localdate(now))
        ),
        now=now,
    )
    contracts.attach_signed_contract(
        actor=user, contract_id=contract.pk, content=PDF, filename="c.pdf", now=now
    )
    contracts.transition_contract(actor=user, contract_id=contract.pk, to_status="submitted", now=now)
    if registrar is not None:
        contracts.transition_contract(
            actor=registrar, contract_id=contract.pk, to_status="registered", now=now
        )


def _policy_nav(journey):
    return journey.page.locator("main nav.chips")


def _calculate(journey, day: dt.date) -> str:
    page = journey.page
    page.fill("#id_date", day.isoformat())
    page.fill("#id_contract_amount", "40000000.00")
    page.fill("#id_technology_amount", "40000000.00")
    journey.button("计算", within=page.locator("main form.card"), exact=True)
    row = page.locator(f'tr[data-rule="{RULE}"]')
    expect(row).to_be_visible()
    return row.locator("td").nth(3).inner_text()


def test_an_editor_proposes_a_cap_another_approves_and_it_applies_from_its_date(journey):
    page = journey.page
    today = timezone.localdate()
    yesterday = today - dt.timedelta(days=1)
    # The contracts around the change (not part of what is walked): one registered yesterday by
    # the demo's registrar, one submitted today and waiting for registration.
    registrar = User.objects.get(username="city_staff")
    buyer = OrganisationFactory(name="长春承接科技有限公司（旅程）", kind="enterprise", region_id="220104")
    _contract(EARLIER, "长春早先大学", buyer, timezone.now() - dt.timedelta(days=1), registrar=registrar)
    _contract(PENDING, "长春新近大学", buyer, timezone.now())

    # The first editor: the desk from the top menu, the proposal, no button to approve it.
    journey.log_in("city_policy_editor")
    journey.link("信息发布", within=page.locator("nav.functions"), exact=True)  # the notices first
    journey.link("政策条款与奖补规则", within=page.locator("nav.subnav"), exact=True)
    journey.link("政策参数调整", within=_policy_nav(journey), exact=True)
    expect(page.get_by_role("heading", level=1)).to_have_text("政策参数调整")
    assert_accessible(page)  # the editor's desk
    journey.link("提出调整", within=page.locator("main"), exact=True)
    assert_accessible(page)  # the proposal form
    page.select_option("#id_target", TARGET)
    page.fill("#id_value", "1500000")
    page.fill("#id_effective_from", today.isoformat())
    page.fill("#id_reason", "市政府常务会议决定提高科技成果输出单位奖励上限")
    page.fill("#id_adopting_document", NUMBER)
    journey.button("提交审批", within=page.locator("main"), exact=True)
    expect(page.locator("#summary")).to_contain_text("100万元 → 150万元")
    journey.see("不能审批自己提出的调整")
    expect(page.get_by_role("button", name="审批通过")).to_have_count(0)
    assert_accessible(page)  # the change, without a button for its own proposer
    journey.log_out()

    # The second editor: from the to-do list, approves it.
    journey.log_in("city_staff")
    journey.link("待办", within=page.locator("header"))
    journey.link("审批：", within=page.locator("main"))
    expect(page.locator("#summary")).to_contain_text("100万元 → 150万元")
    journey.button("审批通过", within=page.locator("main"), exact=True)
    expect(page.locator("h1 .status")).to_have_text("已生效")

    # The rule's public history: the shipped 100万 and the adopted 150万 with its document.
    journey.link("政策条款", within=_policy_nav(journey), exact=True)
    journey.click(page.locator(f'tr[data-rule="{RULE}"] a.history'))
    history = page.locator("table.history")
    adopted = history.locator("tbody tr", has_text=NUMBER)
    expect(adopted).to_have_count(1)
    expect(adopted.locator("td").nth(1)).to_have_text(today.isoformat())
    expect(adopted.locator("td").nth(2)).to_have_text("100万元")
    expect(adopted.locator("td").nth(3)).to_have_text("150万元")
    expect(adopted).to_contain_text("已生效")
    assert_accessible(page)  # the rule's history

    # The calculator: the old cap the day before, the new one from today.
    journey.link("政策计算器", within=_policy_nav(journey), exact=True)
    assert _calculate(journey, yesterday) == "100万元"
    assert _calculate(journey, today) == "120万元"  # 3 % of 4000万, under the new 150万 cap
    assert_accessible(page)  # the calculator with its results

    # A registration today earns under the new cap ...
    journey.link("待办", within=page.locator("header"))
    journey.link(PENDING, within=page.locator("main"), exact=True)
    journey.button("准予登记")
    expect(page.get_by_role("heading", level=1)).to_contain_text("已登记")
    reward = page.locator('table.entitlements tr[data-clause="001#15"]')
    expect(reward).to_contain_text("长春新近大学")
    expect(reward.locator("td").nth(2)).to_have_text("120万元")
    assert_accessible(page)  # the registered contract with its entitlements

    # ... while the contract registered yesterday keeps the old 100万.
    journey.link("返回技术合同列表", within=page.locator("main"), exact=True)
    journey.link(EARLIER, within=page.locator("main"), exact=True)
    reward = page.locator('table.entitlements tr[data-clause="001#15"]')
    expect(reward).to_contain_text("长春早先大学")
    expect(reward.locator("td").nth(2)).to_have_text("100万元")
    journey.within_budget(23)

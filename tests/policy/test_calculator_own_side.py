"""政策计算器: the user's own side gets a line for every clause paying it — the amount, or why it
does not apply, in words — and a signed-in user's organisation prefills that side."""

import re

import pytest

from tests.factories import OrganisationFactory, member_of

pytestmark = pytest.mark.django_db

CASE = {
    "date": "2024-06-01",
    "contract_type": "技术转让",
    "contract_amount": "500000.00",
    "technology_amount": "500000.00",
    "seller_type": "enterprise",
    "seller_region": "220104",
    "buyer_type": "enterprise",
    "buyer_region": "220183",
    "side": "buyer",
}


def _own_side(html: str) -> str:
    match = re.search(r'<section class="block" id="own-side">(.*?)</section>', html, re.S)
    assert match, "no own-side section"
    return match.group(1)


def _row(section: str, rule: str) -> str:
    match = re.search(rf'<tr data-rule="{rule}">(.*?)</tr>', section, re.S)
    assert match, f"no line for {rule}"
    return re.sub(r"<[^>]+>", "", match.group(1))


def test_the_buyer_sees_why_each_of_its_clauses_does_not_apply(client):
    section = _own_side(client.post("/policy/calculator/", CASE).content.decode())
    subsidy = _row(section, "cc_enterprise_conversion_subsidy")  # 《长春市…》第十六条
    assert "第十六条" in subsidy and "不适用" in subsidy
    assert "卖方为高校或科研院所" in subsidy and "超过50万元" in subsidy
    provincial = _row(section, "jl_enterprise_purchase_support")  # 《吉林省…》第五条
    assert "第五条" in provincial and "不适用" in provincial and "卖方为高校或科研院所" in provincial
    assert "001#16" not in re.sub(r"<small.*?</small>", "", section, flags=re.S)
    assert "seller.type" not in section


def test_a_clause_that_applies_shows_its_amount_on_the_buyer_s_line(client):
    case = {
        **CASE,
        "seller_type": "university",
        "seller_region": "220102",
        "contract_amount": "800000.00",
        "technology_amount": "800000.00",
    }
    section = _own_side(client.post("/policy/calculator/", case).content.decode())
    assert "适用" in _row(section, "cc_enterprise_conversion_subsidy")
    assert "12万元" in _row(section, "cc_enterprise_conversion_subsidy")


def test_the_seller_side_lists_the_seller_s_clauses(client):
    section = _own_side(client.post("/policy/calculator/", {**CASE, "side": "seller"}).content.decode())
    assert "500元" in _row(section, "cc_registration_subsidy")  # 第十八条 applies to any registrant
    assert "高校、科研院所" in _row(section, "cc_output_unit_reward")  # 第十五条: an enterprise sells
    assert "cc_enterprise_conversion_subsidy" not in section  # the buyer's clause


def test_a_signed_in_user_s_organisation_prefills_its_side(client):
    org = OrganisationFactory(name="德惠测试农产品有限公司", kind="enterprise", region_id="220183")
    client.force_login(member_of(org))
    html = client.get("/policy/calculator/").content.decode()
    buyer_region = re.search(r'<select name="buyer_region".*?</select>', html, re.S).group(0)
    assert re.search(r'<option value="220183"[^>]*selected', buyer_region)
    side = re.search(r'<select name="side".*?</select>', html, re.S).group(0)
    assert re.search(r'<option value="buyer"[^>]*selected', side)

"""Policy pages speak Chinese a clerk reads: beneficiaries, conditions, caps and clause citations
come from describe.py (one place), never as identifiers or bare clause codes."""

import datetime as dt
import re

import pytest
from django.contrib.staticfiles import finders

from tests.policy.helpers import register
from zhouqiao.policy import describe, engine

AS_OF = dt.date(2024, 6, 1)
IDENTIFIER = re.compile(
    r"[a-z]+_[a-z_]+|\b(seller|buyer|registrant|inventors|applicant|gt|ge|in)\b|\d{3}#\d+"
)


def rule(rule_id):
    return engine.rule_by_id(rule_id)


def test_a_clause_is_cited_by_document_short_name_and_article():
    assert describe.cite("001#15").text == "《长春市进一步加快科技创新发展的若干政策措施》第十五条"
    assert describe.cite("003#33").text == "《吉林市加快“创新吉林”建设的意见》第三十三条"
    assert describe.cite("002#5").text == "《吉林省技术创新市场导向机制实施意见》第五条"
    assert describe.cite("001#20").code == "001#20"


def test_conditions_and_caps_read_as_words():
    subsidy = rule("cc_enterprise_conversion_subsidy")  # 001#16
    words = describe.conditions(subsidy, AS_OF)
    assert "技术合同金额超过50万元" in words
    assert "卖方为高校或科研院所" in words
    assert "买方在长春市" in words
    assert describe.caps(subsidy, AS_OF) == ["每个受益方每年最高100万元"]
    assert describe.formula(subsidy, AS_OF) == "按技术合同金额的15%计算"
    assert "技术交易额达到500万元（含）以上" in describe.conditions(
        rule("cc_major_conversion_project"), AS_OF
    )
    assert describe.caps(rule("cc_transfer_institution_turnover"), AS_OF) == ["每个受益方每年最高100万元"]
    assert describe.beneficiary("seller") == "卖方（成果输出单位）"
    assert describe.beneficiary("buyer") == "买方（成果承接企业）"


@pytest.mark.django_db
def test_every_rule_is_described_without_an_identifier():
    for r in engine.all_rules():
        text = describe.rule_text(r, AS_OF)
        words = [text.citation.text, text.beneficiary, *text.conditions, text.formula, *text.caps, text.way]
        for w in words:
            assert w and not IDENTIFIER.search(w), (r.id, w)


def test_a_computed_result_is_explained_with_the_values_it_met(reference):
    results = engine.evaluate_contract(
        engine.parse_case(
            {
                "date": "2024-06-01",
                "contract_type": "技术转让",
                "contract_amount": "800000.00",
                "technology_amount": "800000.00",
                "seller": {"type": "university", "region": "220102"},
                "buyer": {"type": "enterprise", "region": "220104"},
            }
        ),
        drafts=True,
    )
    result = next(r for r in results if r.rule.id == "cc_enterprise_conversion_subsidy")
    lines = describe.explain(result.rule, result.trace, result.amount)
    assert "技术合同金额超过50万元（80万元）" in lines
    assert "技术合同金额80万元 × 15% = 12万元" in lines
    assert lines[-1] == "核定12万元"
    assert not any(IDENTIFIER.search(line) for line in lines)


def _visible(html: str) -> str:
    """The page's text without tags, attributes, <small> references or <style>."""
    html = re.sub(r"<(style|script)[^>]*>.*?</\1>", "", html, flags=re.S)
    html = re.sub(r"<small class=\"muted ref\">.*?</small>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_the_rules_page_is_titled_in_chinese_and_shows_no_codes(client, reference):
    html = client.get("/policy/").content.decode()
    assert "<h1>政策条款与奖补规则</h1>" in html and "规则即数据" not in html
    assert "《长春市进一步加快科技创新发展的若干政策措施》第十五条" in html
    assert "每个受益方每年最高100万元" in html and "技术合同金额超过50万元" in html
    assert "policy/policy.css" in html  # 免申即享 does not wrap per character:
    css = open(finders.find("policy/policy.css"), encoding="utf-8").read()
    assert re.search(r"td\.way[^}]*white-space:\s*nowrap", css)
    assert '<td class="way">免申即享</td>' in html
    text = _visible(html)
    for code in ("001#15", "seller", "per_item_cap", "contract_amount", "university"):
        assert code not in text, code


def test_entitlement_pages_name_the_beneficiary_and_cite_the_clause(
    client, seller_user, seller_org, buyer_org, buyer_user, registrar, now
):
    contract = register(seller_user, seller_org, buyer_org, registrar, now)
    entitlement = contract.entitlements.get(clause="001#16")
    client.force_login(buyer_user)
    html = client.get("/policy/entitlements/").content.decode()
    assert "买方（成果承接企业）" in html and "12万元" in html
    detail = client.get(f"/policy/entitlements/{entitlement.pk}/").content.decode()
    assert "《长春市进一步加快科技创新发展的若干政策措施》第十六条" in detail
    assert "技术合同金额超过50万元（80万元）" in detail
    text = _visible(detail)
    assert "001#16" not in text and "contract_amount" not in text and "buyer" not in text
    assert "（买方（" not in text  # the beneficiary's role beside its name, no brackets in brackets
    assert f"{buyer_org.name} · 买方（成果承接企业）" in text

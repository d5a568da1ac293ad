"""The profile and the reserve read as a clerk reads them: no amount at all is 0元, a certificate
is 是/否, and a certificate criterion is set with a 是/否 picker (no "是=1" number)."""

import pytest
from django.urls import reverse

from tests.enterprise_profiles.conftest import NOW
from zhouqiao.insights.enterprises import services
from zhouqiao.insights.enterprises.exceptions import ValidationFailed
from zhouqiao.insights.enterprises.models import ReserveCriterion

pytestmark = pytest.mark.django_db


def test_the_profile_writes_no_amount_as_0_yuan_and_certificates_as_yes_no(
    client, firms, records, statistics_county
):
    client.force_login(statistics_county)
    # 德惠另一家 sold nothing, holds no certificate, and bought 900,000 (90万元) in 2026.
    page = client.get(reverse("enterprise_profiles:profile", args=[firms["dehui2"].pk])).content.decode()
    rows = {
        cell.split("</th>")[0]: cell.split("<td>")[1].split("</td>")[0]
        for cell in page.split('<th scope="row">')[1:]
        if "<td>" in cell
    }
    # An amount carries its unit, so its label has no "（元）" (no "（元）… 90万元").
    assert rows["登记的技术合同成交额（卖方）"] == "0元"
    assert rows["登记的技术合同成交额（买方）"] == "90万元"
    assert "，元）" not in page and "面额（元）" not in page and "兑现（元）" not in page
    assert rows["是否高新技术企业"] == "否"
    assert "0.00元" not in page and "是=1" not in page
    own = client.get(reverse("enterprise_profiles:profile", args=[firms["dehui"].pk])).content.decode()
    assert '<th scope="row">是否高新技术企业</th><td>是</td>' in own
    assert '<th scope="row">是否科技型中小企业</th><td>否</td>' in own  # expired 2025-12-31


def test_a_certificate_criterion_requires_the_certificate(client, firms, records, statistics_county):
    client.force_login(statistics_county)
    page = client.get(reverse("enterprise_profiles:reserve")).content.decode()
    assert "不作要求" not in page and "是=1" not in page  # a no-op criterion is not offered
    url = reverse("enterprise_profiles:criterion_set")
    client.post(url, {"jurisdiction": "220183", "figure": "high_tech", "minimum": ""})
    assert ReserveCriterion.objects.get(figure="high_tech").minimum == 1
    # Nor can one be forced in: a certificate "not required", or a threshold of 0.
    for figure, minimum, said in (
        ("tech_sme", "0", "资质类条件只能要求为“是”"),
        ("bought_amount", "0", "门槛为0等于不作要求"),
    ):
        with pytest.raises(ValidationFailed) as refused:
            services.set_criterion(
                actor=statistics_county, jurisdiction="220183", figure=figure, minimum=minimum, now=NOW
            )
        assert said in str(refused.value.message)
    assert not ReserveCriterion.objects.filter(figure__in=["tech_sme", "bought_amount"]).exists()
    refused = client.post(
        url, {"jurisdiction": "220183", "figure": "sold_amount", "answer": "1", "minimum": ""}, follow=True
    ).content.decode()
    assert "请选择指标并填写门槛。" in refused
    assert not ReserveCriterion.objects.filter(figure="sold_amount").exists()
    client.post(url, {"jurisdiction": "220183", "figure": "sold_amount", "minimum": "400000"})
    page = client.get(reverse("enterprise_profiles:reserve")).content.decode()
    assert "<td>是否高新技术企业</td><td>须为“是”</td>" in page
    assert "<td>登记的技术合同成交额（卖方）</td><td>不低于40万元</td>" in page
    # 德惠 (high-tech, sold 500,000) is proposed; 德惠另一家 (neither) is not.
    candidates = page.split("按条件推荐的候选企业", 1)[1]
    assert "德惠画像测试有限公司" in candidates and "德惠另一家测试有限公司" not in candidates

"""The profile and the reserve read as a clerk reads them: no amount at all is 0元, a certificate
is 是/否, and a certificate criterion is set with a 是/否 picker (no "是=1" number)."""

import pytest
from django.urls import reverse

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
    assert rows["登记的技术合同成交额（卖方，元）"] == "0元"
    assert rows["登记的技术合同成交额（买方，元）"] == "90万元"
    assert rows["是否高新技术企业"] == "否"
    assert "0.00元" not in page and "是=1" not in page
    own = client.get(reverse("enterprise_profiles:profile", args=[firms["dehui"].pk])).content.decode()
    assert '<th scope="row">是否高新技术企业</th><td>是</td>' in own
    assert '<th scope="row">是否科技型中小企业</th><td>否</td>' in own  # expired 2025-12-31


def test_a_certificate_criterion_is_a_yes_no_pick(client, firms, records, statistics_county):
    client.force_login(statistics_county)
    page = client.get(reverse("enterprise_profiles:reserve")).content.decode()
    picker = page.split('name="answer"', 1)[1].split("</select>", 1)[0]
    assert ">是<" in picker and "否" in picker and "是=1" not in page
    url = reverse("enterprise_profiles:criterion_set")
    client.post(url, {"jurisdiction": "220183", "figure": "high_tech", "answer": "1", "minimum": ""})
    assert ReserveCriterion.objects.get(figure="high_tech").minimum == 1
    refused = client.post(
        url, {"jurisdiction": "220183", "figure": "sold_amount", "answer": "1", "minimum": ""}, follow=True
    ).content.decode()
    assert "请选择指标并填写门槛。" in refused
    assert not ReserveCriterion.objects.filter(figure="sold_amount").exists()
    client.post(url, {"jurisdiction": "220183", "figure": "sold_amount", "minimum": "400000"})
    page = client.get(reverse("enterprise_profiles:reserve")).content.decode()
    assert "<td>是否高新技术企业</td><td>须为“是”</td>" in page
    assert "不低于40万元" in page
    # 德惠 (high-tech, sold 500,000) is proposed; 德惠另一家 (neither) is not.
    candidates = page.split("按条件推荐的候选企业", 1)[1]
    assert "德惠画像测试有限公司" in candidates and "德惠另一家测试有限公司" not in candidates

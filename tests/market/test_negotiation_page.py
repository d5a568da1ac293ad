"""The negotiation page (tester's findings): an offer typed "50万" is 500000 yuan as in the demand
form; a refused offer re-shows the form with what was typed and the error beside the field; the
broker picker lists transfer institutions with a certified broker only; opening says it worked."""

import pytest
from django.test import Client

from tests.factories import OrganisationFactory, member_of
from tests.market.conftest import NOW
from zhouqiao.community.institutions.models import Broker
from zhouqiao.community.institutions.states import CertificateStatus
from zhouqiao.market import services
from zhouqiao.market.models import NegotiationEntry

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def negotiation(enterprise_user, achievement):
    return services.open_negotiation(
        actor=enterprise_user, achievement_id=achievement.pk, message="想了解", now=NOW
    )


def test_an_offer_in_wan_is_yuan(negotiation, university_user):
    url = f"/market/negotiations/{negotiation.pk}/offer/"
    response = client_for(university_user).post(url, {"amount": "50万", "mode": "licence", "terms": "五年"})
    assert response.status_code == 302
    offer = NegotiationEntry.objects.get(negotiation=negotiation, kind="offer")
    assert (str(offer.amount), offer.mode, offer.terms) == ("500000.00", "licence", "五年")


def test_a_refused_offer_keeps_what_was_typed_with_the_error_beside_the_field(negotiation, university_user):
    url = f"/market/negotiations/{negotiation.pk}/offer/"
    response = client_for(university_user).post(
        url, {"amount": "五十万", "mode": "licence", "terms": "独占许可五年，首付30%"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert not NegotiationEntry.objects.filter(kind="offer").exists()
    assert "独占许可五年，首付30%</textarea>" in page
    assert 'value="licence" selected' in page
    assert 'value="五十万"' in page
    field = page.split('name="amount"', 1)[1].split("</p>", 1)[0]
    assert 'class="error"' in field and "金额须以数字书写" in field


def test_the_broker_picker_lists_transfer_institutions_with_a_certified_broker(
    negotiation, enterprise_user, reference
):
    with_broker = OrganisationFactory(
        name="长春测试技术转移中心", kind="transfer_institution", region_id="220173"
    )
    Broker.objects.create(
        user=member_of(with_broker, username="sun"),
        organisation=with_broker,
        name="孙立",
        level="junior",
        certificate_number="JL-1",
        certificate_issuer="国家技术转移东北中心",
        certificate_date=NOW.date(),
        certificate_status=CertificateStatus.APPROVED,
        created_at=NOW,
        updated_at=NOW,
    )
    OrganisationFactory(name="长春测试质量检验检测服务有限公司", kind="service_provider", region_id="220104")
    OrganisationFactory(name="无经纪人技术转移中心", kind="transfer_institution", region_id="220104")
    page = client_for(enterprise_user).get(f"/market/negotiations/{negotiation.pk}/").content.decode()
    picker = page.split('name="broker_id"', 1)[1].split("</select>", 1)[0]
    assert "长春测试技术转移中心" in picker
    assert "检验检测" not in picker and "无经纪人" not in picker
    assert "<h2>结束洽谈</h2>" in page


def test_opening_a_negotiation_says_so(enterprise_user, achievement):
    client = client_for(enterprise_user)
    response = client.post(f"/market/negotiations/new/{achievement.pk}/", {"message": "想了解"}, follow=True)
    assert "已发起洽谈" in response.content.decode()


def test_it_refuses_a_service_provider_as_broker(negotiation, enterprise_user, reference):
    from zhouqiao.core.errors import DomainError

    lab = OrganisationFactory(
        name="长春测试质量检验检测服务有限公司", kind="service_provider", region_id="220104"
    )
    with pytest.raises(DomainError) as refused:
        services.invite_broker(
            actor=enterprise_user, negotiation_id=negotiation.pk, broker_id=lab.pk, now=NOW
        )
    assert "技术转移机构" in refused.value.message


def test_an_offer_without_a_mode_is_refused_and_none_is_preselected(negotiation, university_user):
    """Tester's finding: an offer went out as 转让 (the first choice) while the message asked for
    许可. The achievement offers two modes, so none is preselected; a missing mode is refused."""
    client = client_for(university_user)
    page = client.get(f"/market/negotiations/{negotiation.pk}/").content.decode()
    select = page.split('name="mode"', 1)[1].split("</select>", 1)[0]
    assert "selected" not in select.split("请选择转化方式", 1)[1]
    response = client.post(f"/market/negotiations/{negotiation.pk}/offer/", {"amount": "40万"})
    assert response.status_code == 400
    assert "请选择转化方式。" in response.content.decode()
    assert not NegotiationEntry.objects.filter(kind="offer").exists()


def test_a_lot_with_one_mode_preselects_it(enterprise_user, university, university_user):
    from tests.market.conftest import make_achievement

    only = make_achievement(university, title="只许可的成果", modes=",licence,")
    negotiation = services.open_negotiation(actor=enterprise_user, achievement_id=only.pk, now=NOW)
    page = client_for(university_user).get(f"/market/negotiations/{negotiation.pk}/").content.decode()
    assert 'value="licence" selected' in page


def test_the_buyers_deal_page_says_the_draft_waits_on_the_seller_and_links_it(
    negotiation, enterprise_user, university_user, django_capture_on_commit_callbacks
):
    """Tester's finding: the buyer read 已生成合同草稿。 with no link and no word on who acts."""
    offer = services.make_offer(
        actor=university_user, negotiation_id=negotiation.pk, amount="400000", mode="licence", now=NOW
    )
    with django_capture_on_commit_callbacks(execute=True):
        deal = services.accept_offer(
            actor=enterprise_user, negotiation_id=negotiation.pk, offer_id=offer.pk, now=NOW
        )
    deal.refresh_from_db()
    page = client_for(enterprise_user).get(f"/market/deals/{deal.pk}/").content.decode()
    cell = page.split('id="deal-contract"', 1)[1].split("</dd>", 1)[0]
    assert f"等待卖方（{deal.seller.name}）完善并提交认定登记" in cell
    assert f'href="/contracts/{deal.contract_id}/"' in cell
    # The seller has it in its to-do list.
    from zhouqiao.contracts import todos as contract_todos

    assert [t.url for t in contract_todos.drafts_to_complete(university_user)] == [
        f"/contracts/{deal.contract_id}/"
    ]

"""The contract page offers 提交登记机构审查 only once the signed PDF is uploaded (before, it says
what to upload); a registered contract shows no 登记办结期限; the buyer is picked among verified
market parties only (walk findings 13, 30 and 5)."""

import pytest

from tests.contracts.fixtures import PDF, contract_data
from tests.contracts.helpers import registered, submitted, visible_text
from tests.factories import OrganisationFactory
from zhouqiao.contracts import services
from zhouqiao.core.errors import ValidationFailed

pytestmark = pytest.mark.django_db


def test_submit_is_offered_only_after_the_signed_contract_is_uploaded(
    client, seller_user, seller_org, buyer_org, now
):
    draft = services.create_draft(
        actor=seller_user, seller_id=seller_org.pk, data=contract_data(buyer_org), now=now
    )
    client.force_login(seller_user)
    page = client.get(f"/contracts/{draft.pk}/").content.decode()
    assert 'id="submit-contract"' not in page
    assert "请先上传签字盖章的合同文本（PDF）" in visible_text(page)
    services.attach_signed_contract(
        actor=seller_user, contract_id=draft.pk, content=PDF, filename="c.pdf", now=now
    )
    page = client.get(f"/contracts/{draft.pk}/").content.decode()
    assert 'id="submit-contract"' in page and "请先上传" not in page


def test_the_decision_deadline_shows_only_while_the_registration_waits(
    client, seller_user, seller_org, buyer_org, registrar, now
):
    client.force_login(seller_user)
    waiting = submitted(seller_user, seller_org, buyer_org, now, title="待审合同")
    assert "登记办结期限" in visible_text(client.get(f"/contracts/{waiting.pk}/").content.decode())
    done = registered(seller_user, seller_org, buyer_org, registrar, now, title="已登记合同")
    text = visible_text(client.get(f"/contracts/{done.pk}/").content.decode())
    assert "登记办结期限" not in text and "登记日期" in text


def test_the_buyer_is_a_verified_market_party(client, seller_user, seller_org, buyer_org, now):
    bureau = OrganisationFactory(name="长春测试科学技术局", kind="government", region_id="220104")
    fund = OrganisationFactory(name="长春测试创业投资基金", kind="investor", region_id="220104")
    pending = OrganisationFactory(name="长春待认证测试企业有限公司", submitted=True)
    client.force_login(seller_user)
    form = client.get("/contracts/new/").content.decode()
    picker = form.split('id="id_buyer"', 1)[1].split("</select>", 1)[0]
    assert f">{buyer_org.name}</option>" in picker
    for name in (bureau.name, fund.name, pending.name, seller_org.name):
        assert name not in picker
    for refused in (bureau, fund, pending):
        with pytest.raises(ValidationFailed):
            services.create_draft(
                actor=seller_user, seller_id=seller_org.pk, data=contract_data(refused), now=now
            )


def test_the_certificate_and_verification_name_a_subtype_only_when_it_says_more(
    client, seller_user, seller_org, buyer_org, registrar, now
):
    done = registered(
        seller_user, seller_org, buyer_org, registrar, now, contract_type="consulting", subtype="consulting"
    )
    client.force_login(seller_user)
    for url in (f"/contracts/{done.pk}/certificate/", f"/contracts/verify/{done.verification_code}/"):
        text = visible_text(client.get(url).content.decode())
        assert "技术咨询" in text and "技术咨询（技术咨询）" not in text

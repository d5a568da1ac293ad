"""The certificate is issued in the registering organ's name with amounts in capitals and a
verification code; the public verification page confirms it and shows nothing confidential."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from tests.contracts.helpers import registered, visible_text
from tests.factories import OrganisationFactory, staff_in
from zhouqiao.accounts.models import Duty, Membership
from zhouqiao.contracts import certificates, services
from zhouqiao.contracts.views import _certificate_context

pytestmark = pytest.mark.django_db


@pytest.fixture
def bureau_registrar(reference, now):
    """A registrar of 长春市科学技术局 (the city bureau) — the seller sits in a district."""
    bureau = OrganisationFactory(name="长春市科学技术局", kind="government", region_id="220104")
    user = staff_in("220100", Duty.REGISTRAR)
    Membership.objects.create(user=user, organisation=bureau, role="member", joined_at=now)
    return user


@pytest.fixture
def contract(seller_user, seller_org, buyer_org, bureau_registrar, now):
    return registered(seller_user, seller_org, buyer_org, bureau_registrar, now, contract_amount="1200000.00")


def test_the_certificate_names_the_registering_bureau_not_the_sellers_district(contract):
    assert contract.registry_name == "长春市科学技术局技术合同认定登记机构"
    assert "朝阳区" not in contract.registry_name and "南关区" not in contract.registry_name


def test_without_a_bureau_on_record_the_registrars_jurisdiction_names_the_organ(
    seller_user, seller_org, buyer_org, registrar, now
):
    contract = registered(seller_user, seller_org, buyer_org, registrar, now)
    assert contract.registry_name == "长春市技术合同认定登记机构"


def test_every_registration_gets_its_own_unguessable_code(
    contract, seller_user, seller_org, buyer_org, bureau_registrar, now
):
    other = registered(seller_user, seller_org, buyer_org, bureau_registrar, now)
    codes = {contract.verification_code, other.verification_code}
    assert len(codes) == 2
    for code in codes:
        assert len(code) == certificates.CODE_LENGTH and set(code) <= set(certificates.ALPHABET)


def test_the_certificate_page_shows_capitals_the_organ_and_the_verification_link(
    client, contract, seller_user
):
    client.force_login(seller_user)
    detail = client.get(f"/contracts/{contract.pk}/").content.decode()
    assert f'href="/contracts/{contract.pk}/certificate/"' in detail
    page = client.get(f"/contracts/{contract.pk}/certificate/").content.decode()
    text = visible_text(page)
    assert "壹佰贰拾万元整" in text and "120万元" in text
    assert "长春市科学技术局技术合同认定登记机构" in text
    assert certificates.grouped(contract.verification_code) in text
    assert f'href="http://testserver/contracts/verify/{contract.verification_code}/"' in page
    assert "<svg" in page  # the QR code, inline


def test_the_pdf_carries_the_same_certificate(rf_request, contract):
    context = _certificate_context(rf_request, contract)
    html = render_to_string("contracts/certificate.html", context)
    assert "长春市科学技术局技术合同认定登记机构" in html and "壹佰贰拾万元整" in html
    assert context["verify_url"] in html and 'src="data:image/svg+xml' in html
    assert "朝阳区技术合同登记机构" not in html


def test_the_pdf_is_served(client, contract, seller_user):
    client.force_login(seller_user)
    response = client.get(f"/contracts/{contract.pk}/certificate.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")


@pytest.fixture
def rf_request(seller_user):
    request = RequestFactory().get("/")
    request.user = seller_user
    return request


def test_anyone_can_verify_a_certificate_and_learns_nothing_confidential(client, contract):
    response = client.get(f"/contracts/verify/{contract.verification_code}/")  # not logged in
    assert response.status_code == 200 and response["X-Robots-Tag"] == "noindex"
    text = visible_text(response.content.decode())
    assert "核验通过" in text
    for shown in (
        contract.registration_number,
        "2024年6月1日",
        "技术转让（专利权转让）",
        "120万元",
        "壹佰贰拾万元整",
        "长春市科学技术局技术合同认定登记机构",
    ):
        assert shown in text, shown
    for secret in (
        contract.title,
        contract.seller.name,
        contract.buyer.name,
        contract.seller.contact_phone,
        contract.seller.credit_code,
        contract.ip_summary,
    ):
        assert secret not in response.content.decode(), secret


def test_a_code_is_read_forgivingly(client, contract):
    typed = certificates.grouped(contract.verification_code).lower()
    assert client.get(f"/contracts/verify/{typed}/").status_code == 200
    response = client.get("/contracts/verify/", {"code": f" {typed} "})
    assert response.status_code == 302 and response["Location"].endswith(f"/{contract.verification_code}/")


@pytest.mark.parametrize("code", ["WRONGCODE", "0" * 20, "x" * 200, "%E4%B8%AD"])
def test_a_wrong_code_is_a_chinese_not_found_page(client, contract, code):
    response = client.get(f"/contracts/verify/{code}/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "未找到与该核验码对应的登记证明" in page and '<main id="main"' in page


def test_a_reversed_registration_is_reported_void(client, contract, bureau_registrar, now):
    services.transition_contract(
        actor=bureau_registrar, contract_id=contract.pk, to_status="reversed", reason="合同虚假", now=now
    )
    text = visible_text(client.get(f"/contracts/verify/{contract.verification_code}/").content.decode())
    assert "已被登记机构撤销" in text and "核验通过" not in text
    assert "合同虚假" not in text


def test_a_contract_not_registered_has_no_certificate(
    client, contract, seller_user, seller_org, buyer_org, now
):
    from tests.contracts.helpers import submitted

    waiting = submitted(seller_user, seller_org, buyer_org, now)
    client.force_login(seller_user)
    assert client.get(f"/contracts/{waiting.pk}/certificate/").status_code == 404
    assert (
        f"/contracts/{waiting.pk}/certificate" not in client.get(f"/contracts/{waiting.pk}/").content.decode()
    )

"""The contract drafted from a deal takes its type and subtype from the deal's mode and the
achievement's rights, leaves unselected what they do not tell, and keeps the deal's buyer (walk
findings 4 and 5: a licence of know-how only was drafted as 专利实施许可, and the seller could
make any organisation, a bureau included, the buyer)."""

import pytest
from django.test import Client

from tests.factories import OrganisationFactory
from tests.market.conftest import NOW
from zhouqiao.catalog.models import IntellectualProperty
from zhouqiao.contracts import services as contract_services
from zhouqiao.contracts.models import Contract
from zhouqiao.core.errors import ValidationFailed
from zhouqiao.market import services
from zhouqiao.market.services.deals import contract_subtype

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
GRANTED, FILED = "granted", "filed"


@pytest.mark.parametrize(
    ("contract_type", "rights", "subtype"),
    [
        ("licence", [("know_how", GRANTED)], "know_how_licence"),
        ("transfer", [("know_how", GRANTED)], "know_how_transfer"),
        ("licence", [("invention_patent", GRANTED), ("utility_model", GRANTED)], "patent_licence"),
        ("transfer", [("invention_patent", GRANTED)], "patent_transfer"),
        ("transfer", [("invention_patent", FILED)], "patent_application_transfer"),
        ("licence", [("invention_patent", FILED)], ""),  # not a patent yet: the seller chooses
        ("licence", [("invention_patent", GRANTED), ("know_how", GRANTED)], ""),  # both: chooses
        ("transfer", [("software_copyright", GRANTED)], "other_transfer"),
        ("licence", [], ""),  # no rights recorded
        ("development", [], "cooperative_development"),
        ("equity", [("invention_patent", GRANTED)], "equity"),
        ("", [("know_how", GRANTED)], ""),  # mode 其他: no type, no subtype
    ],
)
def test_the_subtype_follows_the_type_and_the_rights(contract_type, rights, subtype):
    assert contract_subtype(contract_type, rights) == subtype


def _deal(university_user, enterprise_user, achievement, capture, *, mode):
    negotiation = services.open_negotiation(
        actor=enterprise_user, achievement_id=achievement.pk, message="想了解", now=NOW
    )
    offer = services.make_offer(
        actor=enterprise_user, negotiation_id=negotiation.pk, amount="400000", mode=mode, now=NOW
    )
    with capture(execute=True):
        deal = services.accept_offer(
            actor=university_user, negotiation_id=negotiation.pk, offer_id=offer.pk, now=NOW
        )
    deal.refresh_from_db()
    return Contract.objects.get(pk=deal.contract_id)


def _client(user):
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_a_know_how_licence_is_drafted_as_one_and_its_buyer_is_the_deals(
    university_user, enterprise_user, achievement, django_capture_on_commit_callbacks
):
    IntellectualProperty.objects.create(achievement=achievement, kind="know_how", status=GRANTED)
    contract = _deal(
        university_user, enterprise_user, achievement, django_capture_on_commit_callbacks, mode="licence"
    )
    assert (contract.contract_type, contract.subtype) == ("licence", "know_how_licence")
    assert contract.ip_summary == "技术秘密"

    client = _client(university_user)
    form = client.get(f"/contracts/{contract.pk}/edit/").content.decode()
    assert 'id="id_buyer"' not in form and 'id="fixed-buyer"' in form
    assert enterprise_user.memberships.first().organisation.name in form
    bureau = OrganisationFactory(name="长春测试科学技术局", kind="government", region_id="220104")
    saved = client.post(
        f"/contracts/{contract.pk}/edit/",
        {
            "title": contract.title,
            "contract_type": "licence",
            "subtype": "know_how_licence",
            "buyer": bureau.pk,  # a forged field: the form has none
            "contract_amount": "400000",
            "signed_on": "2026-03-02",
            **{f"{p}-{k}": v for p in ("items", "instalments") for k, v in _empty_formset().items()},
        },
    )
    assert saved.status_code == 302  # saved, with the deal's buyer
    contract.refresh_from_db()
    assert contract.buyer_id == enterprise_user.memberships.first().organisation_id
    with pytest.raises(ValidationFailed) as refused:  # the API (the service) refuses it in words
        contract_services.update_draft(
            actor=university_user,
            contract_id=contract.pk,
            data={
                "title": contract.title,
                "contract_type": "licence",
                "subtype": "know_how_licence",
                "buyer_id": bureau.pk,
                "contract_amount": "400000",
                "signed_on": "2026-03-02",
            },
            now=NOW,
        )
    assert "不能更改" in str(refused.value.message)


def _empty_formset() -> dict:
    return {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0", "MIN_NUM_FORMS": "0", "MAX_NUM_FORMS": "1000"}


def test_what_the_deal_does_not_tell_is_left_for_the_seller_to_choose(
    university_user, enterprise_user, achievement, django_capture_on_commit_callbacks
):
    IntellectualProperty.objects.create(
        achievement=achievement, kind="invention_patent", number="ZL202010000000.1", status=GRANTED
    )
    IntellectualProperty.objects.create(achievement=achievement, kind="know_how", status=GRANTED)
    contract = _deal(
        university_user, enterprise_user, achievement, django_capture_on_commit_callbacks, mode="licence"
    )
    assert (contract.contract_type, contract.subtype) == ("licence", "")
    contract_services.attach_signed_contract(
        actor=university_user, contract_id=contract.pk, content=PDF, filename="c.pdf", now=NOW
    )
    client = _client(university_user)
    page = client.get(f"/contracts/{contract.pk}/").content.decode()
    assert "合同子类未选择" in page and 'id="submit-contract"' not in page
    form = client.get(f"/contracts/{contract.pk}/edit/").content.decode()
    subtype_select = form.split('id="id_subtype"', 1)[1].split("</select>", 1)[0]
    assert '<option value="" selected>请选择</option>' in subtype_select
    with pytest.raises(ValidationFailed):
        contract_services.transition_contract(
            actor=university_user, contract_id=contract.pk, to_status="submitted", now=NOW
        )
    assert Contract.objects.get(pk=contract.pk).status == "draft"

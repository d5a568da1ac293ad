import pytest

from tests.contracts.fixtures import PDF, contract_data
from zhouqiao.contracts import services
from zhouqiao.contracts.models import Contract
from zhouqiao.contracts.states import CONTRACT_TRANSITIONS, ContractStatus
from zhouqiao.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from zhouqiao.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _draft(seller_user, seller_org, buyer_org, now, **overrides):
    contract = services.create_draft(
        actor=seller_user, seller_id=seller_org.pk, data=contract_data(buyer_org, **overrides), now=now
    )
    services.attach_signed_contract(
        actor=seller_user, contract_id=contract.pk, content=PDF, filename="合同.pdf", now=now
    )
    return contract


def test_it_derives_the_technology_amount_from_itemised_non_technical_payments(
    seller_user, seller_org, buyer_org, now
):
    contract = _draft(
        seller_user,
        seller_org,
        buyer_org,
        now,
        non_technical_items=[
            {"kind": "equipment", "description": "反应釜", "amount": "150000.00"},
            {"kind": "materials", "amount": "50000.50"},
        ],
    )
    contract.refresh_from_db()
    assert str(contract.technology_amount) == "599999.50"


def test_it_refuses_non_technical_items_above_the_amount(seller_user, seller_org, buyer_org, now):
    with pytest.raises(ValidationFailed):
        services.create_draft(
            actor=seller_user,
            seller_id=seller_org.pk,
            now=now,
            data=contract_data(buyer_org, non_technical_items=[{"kind": "equipment", "amount": "800000.01"}]),
        )
    assert not Contract.objects.exists()


def test_it_refuses_an_attachment_that_is_not_a_pdf(seller_user, seller_org, buyer_org, now):
    contract = services.create_draft(
        actor=seller_user, seller_id=seller_org.pk, data=contract_data(buyer_org), now=now
    )
    with pytest.raises(ValidationFailed):
        services.attach_signed_contract(
            actor=seller_user, contract_id=contract.pk, content=b"MZ\x90\x00", filename="合同.pdf", now=now
        )
    contract.refresh_from_db()
    assert not contract.attachment


def test_it_stores_the_attachment_under_a_server_made_name(seller_user, seller_org, buyer_org, now):
    contract = _draft(seller_user, seller_org, buyer_org, now)
    contract.refresh_from_db()
    assert contract.attachment.name.endswith(".pdf") and "合同" not in contract.attachment.name
    assert contract.attachment_name == "合同.pdf"


def test_it_refuses_a_draft_by_someone_outside_the_seller(buyer_user, seller_org, buyer_org, now):
    with pytest.raises(PermissionDenied):
        services.create_draft(
            actor=buyer_user, seller_id=seller_org.pk, data=contract_data(buyer_org), now=now
        )


def test_it_requires_the_signed_contract_before_submission(seller_user, seller_org, buyer_org, now):
    contract = services.create_draft(
        actor=seller_user, seller_id=seller_org.pk, data=contract_data(buyer_org), now=now
    )
    with pytest.raises(ValidationFailed):
        services.transition_contract(
            actor=seller_user, contract_id=contract.pk, to_status="submitted", now=now
        )


def test_it_refuses_to_submit_an_oral_contract(seller_user, seller_org, buyer_org, now):
    contract = _draft(seller_user, seller_org, buyer_org, now, is_written=False)
    with pytest.raises(ValidationFailed):
        services.transition_contract(
            actor=seller_user, contract_id=contract.pk, to_status="submitted", now=now
        )


def test_the_workflow_return_resubmit_register(seller_user, seller_org, buyer_org, registrar, now):
    contract = _draft(seller_user, seller_org, buyer_org, now)
    services.transition_contract(actor=seller_user, contract_id=contract.pk, to_status="submitted", now=now)
    with pytest.raises(ValidationFailed):
        services.transition_contract(actor=registrar, contract_id=contract.pk, to_status="returned", now=now)
    services.transition_contract(
        actor=registrar, contract_id=contract.pk, to_status="returned", reason="缺少附件页", now=now
    )
    services.update_draft(
        actor=seller_user, contract_id=contract.pk, data=contract_data(buyer_org, title="修改后"), now=now
    )
    services.transition_contract(actor=seller_user, contract_id=contract.pk, to_status="submitted", now=now)
    contract = services.transition_contract(
        actor=registrar, contract_id=contract.pk, to_status="registered", now=now
    )
    assert contract.registration_number == "202422010200001"
    assert contract.decision_due.isoformat() == "2024-07-01"
    assert AuditEvent.objects.filter(action="contract.registered", target_id=str(contract.pk)).exists()


def test_registration_numbers_follow_a_sequence_per_year_and_region(
    seller_user, seller_org, buyer_org, registrar, now
):
    numbers = []
    for _ in range(2):
        contract = _draft(seller_user, seller_org, buyer_org, now)
        services.transition_contract(
            actor=seller_user, contract_id=contract.pk, to_status="submitted", now=now
        )
        numbers.append(
            services.transition_contract(
                actor=registrar, contract_id=contract.pk, to_status="registered", now=now
            ).registration_number
        )
    assert numbers == ["202422010200001", "202422010200002"]


def test_it_refuses_a_registrar_of_another_region(seller_user, seller_org, buyer_org, other_registrar, now):
    contract = _draft(seller_user, seller_org, buyer_org, now)
    services.transition_contract(actor=seller_user, contract_id=contract.pk, to_status="submitted", now=now)
    with pytest.raises(PermissionDenied):
        services.transition_contract(
            actor=other_registrar, contract_id=contract.pk, to_status="registered", now=now
        )


@pytest.mark.parametrize("start", list(ContractStatus.values))
def test_every_edge_outside_the_table_is_refused(start, seller_user, seller_org, buyer_org, registrar, now):
    contract = _draft(seller_user, seller_org, buyer_org, now)
    Contract.objects.filter(pk=contract.pk).update(status=start)
    for target in ContractStatus.values:
        if target in CONTRACT_TRANSITIONS.get(start, {}):
            continue
        with pytest.raises(InvalidTransition):
            services.transition_contract(
                actor=registrar, contract_id=contract.pk, to_status=target, reason="x", now=now
            )


def test_draft_from_deal_keeps_the_deal_and_makes_one_draft_per_deal(seller_user, seller_org, buyer_org, now):
    deal = {
        "deal_id": 42,
        "seller_id": seller_org.pk,
        "buyer_id": buyer_org.pk,
        "title": "挂牌成交：催化剂专利",
        "amount": "1200000.00",
        "contract_type": "transfer",
    }
    contract = services.draft_from_deal(actor=seller_user, deal_data=deal, now=now)
    assert contract.source_deal_id == 42 and contract.status == ContractStatus.DRAFT
    with pytest.raises(ValidationFailed):
        services.draft_from_deal(actor=seller_user, deal_data=deal, now=now)

"""Shared steps for the policy page, finance and notification tests."""

from tests.contracts.fixtures import PDF, contract_data
from zhouqiao.contracts import services as contracts


def register(seller_user, seller_org, buyer_org, registrar, now, **overrides):
    contract = contracts.create_draft(
        actor=seller_user, seller_id=seller_org.pk, data=contract_data(buyer_org, **overrides), now=now
    )
    contracts.attach_signed_contract(
        actor=seller_user, contract_id=contract.pk, content=PDF, filename="c.pdf", now=now
    )
    contracts.transition_contract(actor=seller_user, contract_id=contract.pk, to_status="submitted", now=now)
    return contracts.transition_contract(
        actor=registrar, contract_id=contract.pk, to_status="registered", now=now
    )


# One required material (a PDF, checked by its first bytes) for a claim whose rule asks for materials.
FILES = [("", PDF, "证明材料.pdf")]


def pdf_upload(name="证明材料.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, PDF, content_type="application/pdf")

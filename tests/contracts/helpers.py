"""Helpers for the contracts view tests."""

import re

from tests.contracts.fixtures import PDF, contract_data
from zhouqiao.contracts import services


def visible_text(html: str) -> str:
    """The text a person reads in the page's main part: no tags, attributes, links or scripts."""
    main = html.split("<main", 1)[-1].split("</main>", 1)[0]
    main = re.sub(r"<(script|style)\b.*?</\1>", " ", main, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def submitted(seller_user, seller_org, buyer_org, now, **overrides):
    contract = services.create_draft(
        actor=seller_user, seller_id=seller_org.pk, data=contract_data(buyer_org, **overrides), now=now
    )
    services.attach_signed_contract(
        actor=seller_user, contract_id=contract.pk, content=PDF, filename="c.pdf", now=now
    )
    return services.transition_contract(
        actor=seller_user, contract_id=contract.pk, to_status="submitted", now=now
    )


def registered(seller_user, seller_org, buyer_org, registrar, now, **overrides):
    contract = submitted(seller_user, seller_org, buyer_org, now, **overrides)
    return services.transition_contract(
        actor=registrar, contract_id=contract.pk, to_status="registered", now=now
    )

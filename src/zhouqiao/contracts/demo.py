"""Demo data: a handful of registered contracts among the demo organisations, with the
entitlements their registration computes. Idempotent: contracts are found by title."""

import datetime as dt

from zhouqiao.accounts.models import Organisation, User
from zhouqiao.contracts import services
from zhouqiao.contracts.models import Contract
from zhouqiao.core import clock

PDF = b"%PDF-1.4\n% Zhouqiao demo contract\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# title, seller, seller user, buyer, type, subtype, amount, non-technical items, institution?, broker?
CONTRACTS = [
    (
        "车用轻量化镁合金成形技术专利权转让",
        "吉林大学",
        "university",
        "中国第一汽车集团有限公司",
        "transfer",
        "patent_transfer",
        "2800000.00",
        [],
        True,
        True,
    ),
    (
        "高精度光栅编码器技术秘密使用许可",
        "中国科学院长春光学精密机械与物理研究所",
        "institute",
        "修正药业集团股份有限公司",
        "licence",
        "know_how_licence",
        "1200000.00",
        [],
        False,
        False,
    ),
    (
        "轨道客车车体焊接机器人联合开发",
        "中国科学院长春光学精密机械与物理研究所",
        "institute",
        "中车长春轨道客车股份有限公司",
        "development",
        "commissioned_development",
        "6000000.00",
        [{"kind": "equipment", "description": "焊接工作站", "amount": "500000.00"}],
        True,
        False,
    ),
    (
        "碳纤维原丝工艺优化技术服务",
        "吉林大学",
        "university",
        "吉林化纤集团有限责任公司",
        "service",
        "service",
        "300000.00",
        [],
        False,
        False,
    ),
]


def create_demo_data(*, now) -> dict[str, int]:
    registrar = User.objects.filter(username="city_staff").first()
    institution = Organisation.objects.filter(name="长春科技大市场技术转移服务中心").first()
    created = 0
    for title, seller_name, username, buyer_name, kind, subtype, amount, items, via_ttc, broker in CONTRACTS:
        if Contract.objects.filter(title=title).exists():
            continue
        seller = Organisation.objects.filter(name=seller_name).first()
        buyer = Organisation.objects.filter(name=buyer_name).first()
        user = User.objects.filter(username=username).first()
        if None in (seller, buyer, user, registrar):
            continue
        data = {
            "title": title,
            "contract_type": kind,
            "subtype": subtype,
            "buyer_id": buyer.pk,
            "contract_amount": amount,
            "signed_on": (clock.local_date(now) - dt.timedelta(days=10)).isoformat(),
            "non_technical_items": items,
            "ip_summary": "见合同附件知识产权清单",
            "transfer_institution_id": institution.pk if via_ttc and institution else None,
            "broker_name": "孙立" if broker else "",
            "broker_region": "220173" if broker else "",
        }
        contract = services.create_draft(actor=user, seller_id=seller.pk, data=data, now=now)
        services.attach_signed_contract(
            actor=user, contract_id=contract.pk, content=PDF, filename="合同.pdf", now=now
        )
        services.transition_contract(actor=user, contract_id=contract.pk, to_status="submitted", now=now)
        services.transition_contract(
            actor=registrar, contract_id=contract.pk, to_status="registered", now=now
        )
        created += 1
    return {"contracts": created + _county_submission(now)}


# 德惠市 registers its own contracts (README: county_staff is a registrar): the 德惠 enterprise's
# application waits there, so the county's queue is not empty in a fresh demo.
COUNTY_CONTRACT = "秸秆纤维素原料预处理工艺技术服务"


def _county_submission(now) -> int:
    if Contract.objects.filter(title=COUNTY_CONTRACT).exists():
        return 0
    seller = Organisation.objects.filter(name="德惠市禾丰农产品深加工有限公司").first()
    buyer = Organisation.objects.filter(name="吉林化纤集团有限责任公司").first()
    user = User.objects.filter(username="enterprise_county").first()
    if None in (seller, buyer, user):
        return 0
    data = {
        "title": COUNTY_CONTRACT,
        "contract_type": "service",
        "subtype": "service",
        "buyer_id": buyer.pk,
        "contract_amount": "480000.00",
        "signed_on": (clock.local_date(now) - dt.timedelta(days=5)).isoformat(),
        "non_technical_items": [],
        "ip_summary": "不涉及知识产权转让",
        "summary": "卖方为买方的秸秆纤维素原料预处理工艺提供技术服务：工艺参数优化与中试线调试。",
    }
    contract = services.create_draft(actor=user, seller_id=seller.pk, data=data, now=now)
    services.attach_signed_contract(
        actor=user, contract_id=contract.pk, content=PDF, filename="合同.pdf", now=now
    )
    services.transition_contract(actor=user, contract_id=contract.pk, to_status="submitted", now=now)
    return 1

"""Demo brokers and transfer institutions: 孙立 (the `broker` account) at 长春科技大市场技术转移服务中心
— not yet filed, so the journey can file it — and three more institutions filed with Changchun's
bureau, each with a broker whose registered contracts (registered here through the contracts
service, so 第九条's subsidy is computed against the filing) make their deal history, training,
client ratings, an annual report and a performance score. Safe to re-run: nothing is added once
孙立's broker profile exists."""

import datetime as dt
from decimal import Decimal

from django.contrib.auth.hashers import make_password

from zhouqiao.accounts.demo import demo_credit_code
from zhouqiao.accounts.models import MemberRole, Membership, Organisation, OrganisationKind, User
from zhouqiao.accounts.states import VerificationStatus
from zhouqiao.community.institutions import services
from zhouqiao.community.institutions.models import (
    AnnualReport,
    Broker,
    BrokerRating,
    InstitutionAssessment,
    InstitutionFiling,
    TrainingRecord,
)
from zhouqiao.community.institutions.states import CertificateStatus, FilingStatus, ReportStatus
from zhouqiao.contracts import services as contracts
from zhouqiao.core import clock
from zhouqiao.core.models import Industry

PDF = b"%PDF-1.4\n% Zhouqiao demo contract\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# key, name, region, broker username, broker name, level, staff, experts, fields, services, days filed
INSTITUTIONS = [
    (
        "cc-auto-ttc",
        "长春汽车产业技术转移服务中心",
        "220104",
        "demo_broker_auto",
        "张海",
        "senior",
        18,
        9,
        "汽车及零部件、智能网联",
        ["development", "transfer", "consulting"],
        900,
    ),
    (
        "cc-bio-ttc",
        "长春生物医药技术转移中心",
        "220102",
        "demo_broker_bio",
        "李静",
        "intermediate",
        9,
        6,
        "生物医药、医疗器械",
        ["transfer", "evaluation", "financing"],
        620,
    ),
    (
        "cc-newarea-ttc",
        "长春新区科技成果转化服务中心",
        "220173",
        "demo_broker_newarea",
        "王磊",
        "junior",
        6,
        3,
        "光电信息、轨道交通装备",
        ["service", "consulting", "platform"],
        400,
    ),
]
# The extra organisations and accounts this step adds (the demo-command test counts them).
DEMO_ORGANISATIONS = len(INSTITUTIONS)
DEMO_USERS = len(INSTITUTIONS)

# institution key, seller user, seller, buyer, type, subtype, amount, industry, title
CONTRACTS = [
    (
        "cc-auto-ttc",
        "university",
        "吉林大学",
        "中国第一汽车集团有限公司",
        "development",
        "commissioned_development",
        "1500000.00",
        "36",
        "汽车电子控制单元软件委托开发",
    ),
    (
        "cc-auto-ttc",
        "institute",
        "中国科学院长春光学精密机械与物理研究所",
        "中国第一汽车集团有限公司",
        "transfer",
        "patent_transfer",
        "3200000.00",
        "36",
        "车载激光雷达光学组件专利权转让",
    ),
    (
        "cc-bio-ttc",
        "university",
        "吉林大学",
        "修正药业集团股份有限公司",
        "transfer",
        "know_how_transfer",
        "2000000.00",
        "27",
        "中药有效成分提取工艺技术秘密转让",
    ),
    (
        "cc-newarea-ttc",
        "institute",
        "中国科学院长春光学精密机械与物理研究所",
        "中车长春轨道客车股份有限公司",
        "development",
        "commissioned_development",
        "4500000.00",
        "37",
        "轨道车辆视觉检测系统委托开发",
    ),
    (
        "cc-newarea-ttc",
        "university",
        "吉林大学",
        "吉林化纤集团有限责任公司",
        "consulting",
        "consulting",
        "300000.00",
        "28",
        "碳纤维表面处理工艺技术咨询",
    ),
]
# institution key → staff-judged points (rules 0–6, IT 0–4, demonstration 0–4, activities 0–3, integrity 0–5)
ASSESSMENTS = {
    "cc-auto-ttc": {
        "rules": "5.5",
        "it_tools": "3.5",
        "demonstration": "3",
        "activities": "3",
        "integrity": "5",
    },
    "cc-bio-ttc": {
        "rules": "5",
        "it_tools": "3",
        "demonstration": "2",
        "activities": "2",
        "integrity": "4.5",
    },
    "cc-newarea-ttc": {
        "rules": "4",
        "it_tools": "2",
        "demonstration": "2",
        "activities": "1.5",
        "integrity": "4",
    },
}


def _register(
    *, seller_user, seller, buyer, kind, subtype, amount, industry, title, org, broker, registrar, now
):
    data = {
        "title": title,
        "contract_type": kind,
        "subtype": subtype,
        "buyer_id": buyer.pk,
        "contract_amount": amount,
        "signed_on": (clock.local_date(now) - dt.timedelta(days=20)).isoformat(),
        "ip_summary": "见合同附件知识产权清单",
        "transfer_institution_id": org.pk,
        "broker_name": broker.name,
        "broker_region": org.region_id,
        "industry": industry if Industry.objects.filter(code=industry).exists() else "",
    }
    contract = contracts.create_draft(actor=seller_user, seller_id=seller.pk, data=data, now=now)
    contracts.attach_signed_contract(
        actor=seller_user, contract_id=contract.pk, content=PDF, filename="合同.pdf", now=now
    )
    contracts.transition_contract(actor=seller_user, contract_id=contract.pk, to_status="submitted", now=now)
    return contracts.transition_contract(
        actor=registrar, contract_id=contract.pk, to_status="registered", now=now
    )


def _checked(reviewer, now) -> dict:
    """The demo's brokers were checked by the city's reviewer (city_staff holds the duty)."""
    return {
        "certificate_status": CertificateStatus.APPROVED,
        "certificate_submitted_at": now - dt.timedelta(days=30),
        "certificate_checked_by": reviewer,
        "certificate_checked_at": now - dt.timedelta(days=29),
    }


def create_demo_data(*, now) -> dict[str, int]:
    empty = {"brokers": 0, "filed institutions": 0, "institution scores": 0}
    sun = User.objects.filter(username="broker").first()
    cc_ttc = Organisation.objects.filter(name="长春科技大市场技术转移服务中心").first()
    registrar = User.objects.filter(username="city_staff").first()
    if None in (sun, cc_ttc, registrar) or Broker.objects.filter(user=sun).exists():
        return empty
    today = clock.local_date(now)
    brokers = [
        Broker.objects.create(
            user=sun,
            organisation=cc_ttc,
            name="孙立",
            level="senior",
            certificate_number="DBZX-2021-0618",
            certificate_issuer="国家技术转移东北中心",
            certificate_date=dt.date(2021, 6, 18),
            fields="先进制造、新材料",
            profile="长期从事高校科技成果转移转化服务，熟悉专利转让和技术许可。",
            created_at=now,
            updated_at=now,
            is_sample=True,
            **_checked(registrar, now),
        )
    ]
    orgs = {}
    for n, (key, name, region, username, person, level, staff, experts, fields, kinds, days) in enumerate(
        INSTITUTIONS
    ):
        org, _ = Organisation.objects.get_or_create(
            credit_code=demo_credit_code(key, "12", region),
            defaults={
                "name": name,
                "kind": OrganisationKind.TRANSFER_INSTITUTION,
                "region_id": region,
                "status": VerificationStatus.VERIFIED,
                "created_at": now,
                "verified_at": now,
                "is_sample": True,
                "description": "演示数据（示例）：" + name,
            },
        )
        user, _ = User.objects.get_or_create(
            username=username,
            defaults={
                "display_name": f"{person}（技术经纪人）",
                "password": make_password(None),
                "date_joined": now,
            },
        )
        Membership.objects.get_or_create(
            user=user, organisation=org, defaults={"role": MemberRole.ADMIN, "joined_at": now}
        )
        filed_on = today - dt.timedelta(days=days)
        InstitutionFiling.objects.get_or_create(
            organisation=org,
            defaults={
                "bureau_region_id": "220100",
                "status": FilingStatus.APPROVED,
                "staff_count": staff,
                "part_time_experts": experts,
                "fields": fields,
                "services": kinds,
                "description": f"{name}面向长春市企业提供成果评价、对接和交易撮合服务。",
                "number": f"2201-{filed_on.year}-{n + 1:03d}",
                "filed_on": filed_on,
                "submitted_by": user,
                "submitted_at": now - dt.timedelta(days=days + 10),
                "decided_by": registrar,
                "decided_at": now - dt.timedelta(days=days),
                "is_sample": True,
            },
        )
        brokers.append(
            Broker.objects.create(
                user=user,
                organisation=org,
                name=person,
                level=level,
                certificate_number=f"DBZX-{2019 + n}-{100 + n}",
                certificate_issuer="国家技术转移东北中心",
                certificate_date=dt.date(2019 + n, 9, 1),
                fields=fields,
                created_at=now,
                updated_at=now,
                is_sample=True,
                **_checked(registrar, now),
            )
        )
        orgs[key] = org
    for broker in brokers:  # checked: what they hold is what was approved
        broker.approved_certificate = services.approved_certificate(broker)
        broker.save(update_fields=["approved_certificate"])
    for broker, hours in zip(brokers, ["48", "40", "32", "24"], strict=True):
        for year, course in [(today.year - 1, "技术转移政策法规与实务"), (today.year, "技术经理人能力提升")]:
            TrainingRecord.objects.create(
                broker=broker,
                year=year,
                course=course,
                provider="国家技术转移东北中心",
                hours=Decimal(hours),
                recorded_by=broker.user,
                recorded_at=now,
            )
    by_org = {b.organisation_id: b for b in brokers}
    users = {u.username: u for u in User.objects.filter(username__in=["university", "institute"])}
    names = {
        o.name: o
        for o in Organisation.objects.filter(name__in={c[2] for c in CONTRACTS} | {c[3] for c in CONTRACTS})
    }
    registered = []
    for key, seller_user, seller, buyer, kind, subtype, amount, industry, title in CONTRACTS:
        if seller_user not in users or seller not in names or buyer not in names:
            continue
        registered.append(
            _register(
                seller_user=users[seller_user],
                seller=names[seller],
                buyer=names[buyer],
                kind=kind,
                subtype=subtype,
                amount=amount,
                industry=industry,
                title=title,
                org=orgs[key],
                broker=by_org[orgs[key].pk],
                registrar=registrar,
                now=now,
            )
        )
    raters = {
        m.organisation_id: m.user
        for m in Membership.objects.filter(user__username__in=["enterprise", "enterprise_jl"])
    }
    for contract, score, comment in zip(
        registered,
        [5, 4, 5, 4, 5],
        ["对接及时，条款把关专业", "沟通顺畅", "评估报告扎实", "进度跟踪到位", "咨询意见实用"],
        strict=False,
    ):
        rater = raters.get(contract.buyer_id)
        if rater is not None:
            BrokerRating.objects.create(
                broker=by_org[contract.transfer_institution_id],
                contract=contract,
                organisation_id=contract.buyer_id,
                rated_by=rater,
                score=score,
                comment=comment,
                created_at=now,
            )
    year = now.year
    for key, org in orgs.items():
        if key != "cc-newarea-ttc":
            submitted = key == "cc-auto-ttc"
            AnnualReport.objects.create(
                organisation=org,
                year=year,
                due_on=services.report_due(year),
                figures=services.prefill(org, year),
                status=ReportStatus.SUBMITTED if submitted else ReportStatus.DRAFT,
                staff_count=org.filing.staff_count,
                total_income=Decimal("3600000.00") if submitted else None,
                technical_income=Decimal("2100000.00") if submitted else None,
                summary="全年围绕汽车产业链开展成果对接和技术交易服务。" if submitted else "",
                submitted_by=org.filing.submitted_by if submitted else None,
                submitted_at=now if submitted else None,
                created_at=now,
                updated_at=now,
            )
        InstitutionAssessment.objects.create(
            organisation=org,
            year=year,
            values=ASSESSMENTS[key],
            note="演示评分",
            entered_by=registrar,
            entered_at=now,
        )
        services._score(org, year, actor=registrar, now=now)
    return {"brokers": len(brokers), "filed institutions": len(orgs), "institution scores": len(orgs)}

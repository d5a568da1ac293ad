"""Demo data for the indicator dashboard: five years of registered technology contracts among
sample enterprises across Jilin's cities and counties (and a few buyers outside the province), so
that the trend, the map, the region tables and the flows all have a shape.

The contracts are bulk-created already registered rather than walked through
``contracts.services`` (draft → submitted → registered): the service registers *now* (its
registration time, number, certificate, policy entitlements and notifications are those of the
moment), whereas these are a history of past years; and walking ~300 contracts through it with
their PDFs and entitlements would take far longer than the few seconds the demo step may use.
The figures the dashboard shows are computed from these rows exactly as from service-registered
ones (status, registration time, region, amounts).

Idempotent: the sample organisations are found by credit code, the contracts by their
``DEMO…`` registration numbers.
"""

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction

from zhouqiao.accounts.demo import demo_credit_code
from zhouqiao.accounts.models import Organisation, OrganisationKind, User, VerificationStatus
from zhouqiao.contracts.models import Contract
from zhouqiao.contracts.states import ContractStatus
from zhouqiao.core import clock
from zhouqiao.core.models import Industry, Region

# County-level regions with a sample seller/buyer enterprise, and their weight as sellers.
COUNTIES = {
    "220102": 8,
    "220104": 10,
    "220105": 4,
    "220106": 4,
    "220112": 2,
    "220113": 2,
    "220122": 2,
    "220173": 12,
    "220172": 6,
    "220182": 1,
    "220183": 3,
    "220184": 2,
    "220202": 3,
    "220204": 4,
    "220272": 4,
    "220281": 1,
    "220284": 1,
    "220302": 2,
    "220382": 1,
    "220402": 1,
    "220502": 2,
    "220581": 2,
    "220602": 1,
    "220702": 2,
    "220781": 1,
    "220802": 1,
    "220881": 1,
    "222401": 3,
    "222404": 1,
}
OUTSIDE = ["110108", "210102", "230102", "310115"]
TYPES = [
    ("development", "commissioned_development", "联合开发"),
    ("transfer", "patent_transfer", "专利权转让"),
    ("licence", "patent_licence", "专利实施许可"),
    ("consulting", "consulting", "技术咨询"),
    ("service", "service", "技术服务"),
]
# Subject and the GB/T 4754 division of the buying side's industry.
SUBJECTS = [
    ("汽车零部件轻量化", "36"),
    ("玉米深加工", "13"),
    ("光电检测", "39"),
    ("中药提取工艺", "27"),
    ("轨道客车焊接", "37"),
    ("碳纤维复合材料", "28"),
    ("智能农机", "35"),
    ("人参精深加工", "13"),
]
PER_YEAR = [44, 52, 60, 68, 76]  # five years, growing


def _organisations(now, regions) -> dict[str, Organisation]:
    out = {}
    for code in [*COUNTIES, *OUTSIDE]:
        if code not in regions:
            continue
        key = f"insights-demo-{code}"
        org, _created = Organisation.objects.get_or_create(
            credit_code=demo_credit_code(key, "91", code),
            defaults={
                "name": f"{regions[code]}创新科技有限公司（演示）",
                "kind": OrganisationKind.ENTERPRISE,
                "region_id": code,
                "status": VerificationStatus.VERIFIED,
                "created_at": now,
                "verified_at": now,
                "is_sample": True,
                "description": "演示数据（示例）：指标监测的技术合同买卖方",
            },
        )
        out[code] = org
    return out


@transaction.atomic
def create_demo_data(*, now) -> dict[str, int]:
    if Contract.objects.filter(registration_number__startswith="DEMO").exists():
        return {"contracts": 0}
    author = User.objects.filter(username="city_staff").first() or User.objects.order_by("pk").first()
    if author is None:
        return {"contracts": 0}
    regions = dict(Region.objects.filter(code__in=[*COUNTIES, *OUTSIDE]).values_list("code", "name"))
    orgs = _organisations(now, regions)
    sellers = [c for c in COUNTIES if c in orgs]
    weights = [COUNTIES[c] for c in sellers]
    buyers = list(orgs)
    industries = set(
        Industry.objects.filter(code__in=[c for _s, c in SUBJECTS]).values_list("code", flat=True)
    )
    rng = random.Random(20)  # noqa: S311 — repeatable demo figures, not a secret
    tz = now.tzinfo
    rows = []
    for index, count in enumerate(PER_YEAR):
        year = now.year - len(PER_YEAR) + 1 + index
        last_day = clock.local_date(now) if year == now.year else dt.date(year, 12, 31)
        span = (last_day - dt.date(year, 1, 1)).days
        for n in range(count):
            seller = rng.choices(sellers, weights)[0]
            buyer = rng.choice([b for b in buyers if b != seller])
            kind, subtype, label = rng.choice(TYPES)
            subject, industry = rng.choice(SUBJECTS)
            amount = Decimal(int(rng.lognormvariate(13.8, 1.0)) // 100 * 100 + 10_000)
            technology = (amount * Decimal(rng.choice(["1", "1", "0.9", "0.8"]))).quantize(Decimal("0.01"))
            day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, max(span, 0)))
            registered = dt.datetime.combine(day, dt.time(10, 0), tzinfo=tz)
            rows.append(
                Contract(
                    title=f"{subject}{label}（演示）",
                    industry_id=industry if industry in industries else None,
                    contract_type=kind,
                    subtype=subtype,
                    seller=orgs[seller],
                    buyer=orgs[buyer],
                    region_id=seller,
                    contract_amount=amount,
                    technology_amount=technology,
                    signed_on=day - dt.timedelta(days=7),
                    summary="演示数据（示例）",
                    status=ContractStatus.REGISTERED,
                    registration_number=f"DEMO{year}{seller}{n:03d}",
                    submitted_at=registered - dt.timedelta(days=5),
                    registered_at=registered,
                    registrar=author,
                    registry_name="吉林省技术合同认定登记机构（演示）",
                    created_by=author,
                    created_at=registered - dt.timedelta(days=6),
                )
            )
    Contract.objects.bulk_create(rows, batch_size=500)
    return {"contracts": len(rows), "organisations": len(orgs)}

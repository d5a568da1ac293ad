"""Demo vouchers: Changchun's 3000万 pool for the current year (001#23), certified enterprises,
providers and their approved services, and a few vouchers. Safe to re-run."""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from zhouqiao.accounts.models import Organisation, User
from zhouqiao.vouchers import orders, services
from zhouqiao.vouchers.models import Application, Certification, Pool, ProviderService, Voucher
from zhouqiao.vouchers.states import ApplicationStatus, ServiceStatus

CHANGCHUN_BUDGET = Decimal("30000000.00")

CERTIFIED = [  # organisation name, kind, certificate number
    ("中国第一汽车集团有限公司", "high_tech", "GR202222000101"),
    ("中车长春轨道客车股份有限公司", "high_tech", "GR202222000245"),
    ("修正药业集团股份有限公司", "high_tech", "GR202322000318"),
    ("德惠市禾丰农产品深加工有限公司", "tech_sme", "2024220183A0001"),
]

SERVICES = [  # provider name, category, service, price, unit
    ("长春市质量检验检测服务有限公司", "testing", "材料理化性能检测", "8000", "批次"),
    ("长春市质量检验检测服务有限公司", "testing", "汽车零部件可靠性试验", "30000", "项"),
    ("长春科技大市场技术转移服务中心", "evaluation", "科技成果评估评价", "20000", "项"),
    ("长春科技大市场技术转移服务中心", "consulting", "技术转移咨询", "10000", "项"),
    ("吉林大学", "research_development", "委托研究开发（汽车轻量化材料）", "200000", "项"),
    ("中国科学院长春光学精密机械与物理研究所", "testing", "大型仪器共享检测服务", "500", "机时"),
    ("中国科学院长春应用化学研究所", "testing", "大型仪器共享检测服务", "600", "机时"),
    ("吉林大学", "testing", "大型仪器共享检测服务", "500", "机时"),
]


def _org(name):
    return Organisation.objects.filter(name=name).first()


def create_demo_data(*, now) -> dict[str, int]:
    staff = User.objects.filter(username="city_staff").first()
    if staff is None:
        return {"voucher pools": 0}
    year = timezone.localdate(now).year
    if not Pool.objects.filter(jurisdiction_id="220100", year=year, category="").exists():
        services.create_pool(
            actor=staff,
            jurisdiction_code="220100",
            year=year,
            budget=CHANGCHUN_BUDGET,
            name=f"长春市{year}年度科技创新券",
            now=now,
        )
    pool = Pool.objects.get(jurisdiction_id="220100", year=year, category="")
    today = timezone.localdate(now)
    with transaction.atomic():
        for name, kind, number in CERTIFIED:
            org = _org(name)
            if org is not None:
                Certification.objects.get_or_create(
                    kind=kind,
                    number=number,
                    defaults={
                        "organisation": org,
                        "valid_from": today - timedelta(days=400),
                        "valid_until": today + timedelta(days=700),
                        "recorded_by": staff,
                        "recorded_at": now,
                    },
                )
        for provider, category, name, price, unit in SERVICES:
            org = _org(provider)
            if org is not None:
                ProviderService.objects.get_or_create(
                    provider=org,
                    name=name,
                    defaults={
                        "category": category,
                        "price": Decimal(price),
                        "unit": unit,
                        "status": ServiceStatus.APPROVED,
                        "submitted_at": now,
                        "approved_at": now,
                        "description": "演示数据（示例）",
                    },
                )
    faw, xiuzheng = _org("中国第一汽车集团有限公司"), _org("修正药业集团股份有限公司")
    enterprise_user = User.objects.filter(username="enterprise").first()
    if faw and enterprise_user and not Application.objects.filter(enterprise=faw, pool=pool).exists():
        app = services.apply_for_voucher(
            actor=enterprise_user,
            enterprise_id=faw.pk,
            category="testing",
            amount="50000",
            purpose="新能源汽车电池壳体材料检测（演示）",
            now=now,
        )
        services.approve_application(actor=staff, application_id=app.pk, now=now)
        services.apply_for_voucher(
            actor=enterprise_user,
            enterprise_id=faw.pk,
            category="evaluation",
            amount="20000",
            purpose="智能座舱成果评估评价（演示）",
            now=now,
        )
    if xiuzheng and not Voucher.objects.filter(enterprise=xiuzheng, source="high_tech_subsidy").exists():
        services.issue_voucher(
            actor=staff,
            pool_id=pool.pk,
            enterprise_id=xiuzheng.pk,
            category="testing",
            amount="30000",
            source="high_tech_subsidy",
            now=now,
        )
    voucher = Voucher.objects.filter(enterprise=faw, pool=pool, category="testing").first() if faw else None
    provider_user = User.objects.filter(username="provider").first()
    service = ProviderService.objects.filter(name="材料理化性能检测").first()
    if voucher and provider_user and service and not voucher.orders.exists():
        order = orders.place_order(
            actor=enterprise_user,
            enterprise_id=faw.pk,
            service_id=service.pk,
            voucher_id=voucher.pk,
            price="16000",
            description="电池壳体铝合金成分与力学性能",
            now=now,
        )
        orders.deliver_order(actor=provider_user, order_id=order.pk, now=now)
        orders.claim_redemption(actor=provider_user, order_id=order.pk, now=now)
    return {
        "voucher pools": Pool.objects.count(),
        "certifications": Certification.objects.count(),
        "voucher services": ProviderService.objects.filter(status=ServiceStatus.APPROVED).count(),
        "vouchers": Voucher.objects.count(),
        "voucher applications pending": Application.objects.filter(
            status=ApplicationStatus.SUBMITTED
        ).count(),
    }

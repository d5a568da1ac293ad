"""Demo instruments of 长春光机所, 吉林大学 and 长春应化所 with filed guide prices, and a few
bookings (past ones with usage and ratings, for the evaluation). Safe to re-run."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from zhouqiao.accounts.models import Organisation, User
from zhouqiao.facilities import fees
from zhouqiao.facilities.models import BookedSlot, Booking, Instrument, PriceRule, Rating, Usage
from zhouqiao.facilities.services import price_group_for

CIOMP = "中国科学院长春光学精密机械与物理研究所"
JLU = "吉林大学"
CIAC = "中国科学院长春应用化学研究所"

# owner, name, model, category, value, location, capabilities, hourly prices (external, enterprise,
# internal), stepped after N hours at price, per-sample price
INSTRUMENTS = [
    (
        CIOMP,
        "场发射扫描电子显微镜",
        "JSM-7610F",
        "analytical",
        "3200000",
        "长春市东南湖大路3888号 分析测试中心",
        "二次电子像分辨率1.0nm；能谱元素分析；断口与镀层形貌观察",
        ("500", "600", "200"),
        (4, "400"),
        "80",
    ),
    (
        CIOMP,
        "激光干涉仪",
        "ZYGO Verifire",
        "metrology",
        "1850000",
        "长春市东南湖大路3888号 光学检测实验室",
        "平面、球面面形检测，PV优于λ/20",
        ("400", "450", "150"),
        None,
        None,
    ),
    (
        JLU,
        "600MHz核磁共振波谱仪",
        "Bruker AVANCE III HD",
        "analytical",
        "4500000",
        "长春市前进大街2699号 化学楼",
        "一维、二维液体核磁；固体核磁",
        ("800", "900", "300"),
        (3, "650"),
        "150",
    ),
    (
        JLU,
        "X射线单晶衍射仪",
        "Rigaku XtaLAB Synergy",
        "analytical",
        "2600000",
        "长春市前进大街2699号 超分子楼",
        "单晶结构解析、低温测试",
        ("600", "700", "250"),
        None,
        "300",
    ),
    (
        CIAC,
        "高分辨液相色谱-质谱联用仪",
        "Thermo Orbitrap Exploris 480",
        "analytical",
        "3800000",
        "长春市人民大街5625号 分析测试中心",
        "小分子与高分子精确质量测定",
        ("700", "800", "300"),
        (4, "550"),
        "200",
    ),
    (
        CIAC,
        "热重-差示扫描量热联用仪",
        "Netzsch STA 449 F5",
        "physical_testing",
        "650000",
        "长春市人民大街5625号 高分子物理实验室",
        "室温至1500℃热稳定性与相变分析",
        ("300", "350", "120"),
        None,
        "120",
    ),
]


def _prices(instrument, hourly, step, sample):
    for group, price in zip(("external", "enterprise", "internal"), hourly, strict=True):
        defaults = {"unit_price": Decimal(price), "step_after": None, "step_price": None}
        if step and group != "internal":
            defaults.update(
                step_after=step[0], step_price=Decimal(step[1]) + (100 if group == "enterprise" else 0)
            )
        PriceRule.objects.update_or_create(instrument=instrument, group=group, unit="hour", defaults=defaults)
    if sample:
        PriceRule.objects.update_or_create(
            instrument=instrument, group="external", unit="sample", defaults={"unit_price": Decimal(sample)}
        )


def _book(instrument, org, user, start, hours, status, now, *, used=None, score=None):
    booking = Booking.objects.create(
        instrument=instrument,
        booker=user,
        organisation=org,
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
        purpose="演示预约（示例）",
        price_group=price_group_for(instrument, org),
        price_rules=fees.snapshot(instrument.prices.all()),
        status=status,
        created_at=now - timedelta(days=40),
        decided_at=now - timedelta(days=39),
    )
    BookedSlot.objects.bulk_create(
        [
            BookedSlot(instrument=instrument, slot_start=start + timedelta(hours=i), booking=booking)
            for i in range(hours)
        ]
    )
    if used is not None:
        fee, trace = fees.compute_fee(
            fees.from_snapshot(booking.price_rules), group=booking.price_group, hours=Decimal(used), samples=0
        )
        Usage.objects.create(
            booking=booking,
            hours=Decimal(used),
            fee=fee,
            fee_trace=trace,
            recorded_by=user,
            recorded_at=booking.ends_at,
        )
    if score:
        Rating.objects.create(
            booking=booking,
            score=score,
            comment="服务及时、数据可靠（示例）",
            rated_by=user,
            rated_at=booking.ends_at,
        )
    return booking


@transaction.atomic
def create_demo_data(*, now) -> dict[str, int]:
    instruments = {}
    for owner, name, model, category, value, location, caps, hourly, step, sample in INSTRUMENTS:
        org = Organisation.objects.filter(name=owner).first()
        if org is None:
            continue
        inst, _created = Instrument.objects.get_or_create(
            owner=org,
            name=name,
            defaults={
                "model_number": model,
                "category": category,
                "value": Decimal(value),
                "location": location,
                "funding_source": "public",
                "capabilities": caps,
                "description": "演示数据（示例）",
                "guide_price_filing": f"吉科价备〔{timezone.localdate(now).year}〕{len(instruments) + 1:03d}号",
                "contact_name": "共享服务窗口",
                "created_at": now,
                "is_sample": True,
            },
        )
        _prices(inst, hourly, step, sample)
        instruments[name] = inst
    faw = Organisation.objects.filter(name="中国第一汽车集团有限公司").first()
    xiuzheng = Organisation.objects.filter(name="修正药业集团股份有限公司").first()
    user = User.objects.filter(username="enterprise").first()
    sem = instruments.get("场发射扫描电子显微镜")
    if faw and xiuzheng and user and sem and not Booking.objects.filter(instrument__is_sample=True).exists():
        tz = timezone.get_current_timezone()
        today = timezone.localdate(now)
        last_month = today - timedelta(days=30 + today.weekday())  # a Monday about a month ago
        next_monday = today + timedelta(days=7 - today.weekday())
        at = lambda day, hour: datetime.combine(day, time(hour), tzinfo=tz)  # noqa: E731
        _book(sem, faw, user, at(last_month, 9), 3, "completed", now, used="3", score=5)
        _book(
            instruments[list(instruments)[2]],
            xiuzheng,
            user,
            at(last_month, 14),
            2,
            "completed",
            now,
            used="2",
            score=4,
        )
        _book(
            instruments[list(instruments)[4]],
            faw,
            user,
            at(last_month + timedelta(days=1), 9),
            6,
            "completed",
            now,
            used="5.5",
            score=5,
        )
        _book(sem, faw, user, at(next_monday, 9), 2, "approved", now)
        _book(sem, xiuzheng, user, at(next_monday + timedelta(days=1), 13), 3, "requested", now)
    return {"instruments": Instrument.objects.count(), "instrument bookings": Booking.objects.count()}

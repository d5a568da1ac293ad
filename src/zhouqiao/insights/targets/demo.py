"""Demo: staff-entered actuals of the seed targets (made-up figures, marked as demo data)."""

import random
from decimal import ROUND_HALF_UP, Decimal

from zhouqiao.accounts.models import User
from zhouqiao.insights.targets import catalogue
from zhouqiao.insights.targets.models import TargetActual

DEMO_SOURCE = "演示数据（虚构）：年度统计公报"
WHOLE_UNITS = {"个", "家", "名", "件", "户"}
STAFF = {"220000": "province_staff", "220100": "city_staff", "220200": "jilin_city_staff"}


def create_demo_data(*, now) -> dict[str, int]:
    if TargetActual.objects.filter(source_document=DEMO_SOURCE).exists():
        return {"target_actuals": 0}
    users = {u.username: u for u in User.objects.filter(username__in=STAFF.values())}
    rng = random.Random(3)  # noqa: S311 — repeatable demo figures
    rows = []
    for target in catalogue.targets():
        for year, share in ((target.due - 1, rng.uniform(0.6, 0.9)), (target.due, rng.uniform(0.75, 1.25))):
            value = target.value * Decimal(str(round(share, 3)))
            if target.is_percent:
                value = min(value, Decimal(100))
            places = Decimal(1) if target.unit in WHOLE_UNITS else Decimal("0.01")
            rows.append(
                TargetActual(
                    target_code=target.code,
                    year=year,
                    value=value.quantize(places, rounding=ROUND_HALF_UP),
                    source_document=DEMO_SOURCE,
                    note="演示数据，非真实统计",
                    region_id=target.region_code,
                    entered_at=now,
                    entered_by=users.get(STAFF.get(target.region_code, "")),
                )
            )
    TargetActual.objects.bulk_create(rows, ignore_conflicts=True)
    return {"target_actuals": len(rows)}

"""Voucher redemptions per second with 16 concurrent clients on PostgreSQL, next to the bare
conditional-update ceiling on the same row.

Both sides run as 16 separate processes (no shared GIL), each with its own connection, for the
same number of seconds against one voucher row:

- service: ``orders.claim_redemption`` — one read of the order and everything the checks need,
  the checks, then one statement: the order locked while still delivered, the voucher debited by
  its conditional update, the order marked claimed, the redemption row, the ledger entry and the
  audit record;
- ceiling: ``UPDATE vouchers_voucher SET remaining = remaining - 1 WHERE id = … AND remaining >= 1``
  in autocommit, nothing else.

Same conditions on both sides: autocommit, statements prepared with binary parameters and results
(:mod:`zhouqiao.core.prepared`), ``DEBUG`` off as in production; the clock runs from the barrier,
after start-up and Django setup.

The ratio service / ceiling is the figure; the goal is ≥ 0.3. Needs PostgreSQL: without a
``postgres://`` DATABASE_URL the benchmark re-runs itself under ``scripts/with-postgres.sh``.
"""

import multiprocessing
import os
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

CLIENTS = 16
SECONDS = float(os.environ.get("BENCH_SECONDS", "6"))
ORDERS_PER_CLIENT = 3000
GOAL = 0.3
ROOT = Path(__file__).resolve().parent.parent


def _setup() -> dict:
    from django.core.management import call_command
    from django.utils import timezone

    from zhouqiao.accounts.models import Duty, Membership, Organisation, StaffAssignment, User
    from zhouqiao.accounts.states import VerificationStatus
    from zhouqiao.core.models import Region
    from zhouqiao.core.reference import load_reference_data
    from zhouqiao.vouchers import orders, services
    from zhouqiao.vouchers.models import ServiceOrder
    from zhouqiao.vouchers.states import OrderStatus

    call_command("migrate", verbosity=0)
    if not Region.objects.filter(code="220104").exists():
        load_reference_data()
    now = timezone.now()
    tag = str(int(time.time()))
    staff = User.objects.create(username=f"bench_staff_{tag}", password="!", password_changed_at=now)
    StaffAssignment.objects.bulk_create(
        [
            StaffAssignment(user=staff, jurisdiction_id="220100", duty=d, granted_at=now)
            for d in (Duty.REVIEWER, Duty.FINANCE)
        ]
    )
    enterprise = Organisation.objects.create(
        name=f"基准测试企业{tag}",
        kind="enterprise",
        region_id="220104",
        credit_code=f"91220104B{tag[-9:]}",
        contact_phone="13000000001",
        status=VerificationStatus.VERIFIED,
        created_at=now,
    )
    provider = Organisation.objects.create(
        name=f"基准测试服务机构{tag}",
        kind="service_provider",
        region_id="220106",
        credit_code=f"91220106B{tag[-9:]}",
        contact_phone="13000000002",
        status=VerificationStatus.VERIFIED,
        created_at=now,
    )
    provider_user = User.objects.create(
        username=f"bench_provider_{tag}", password="!", password_changed_at=now
    )
    Membership.objects.create(user=provider_user, organisation=provider, joined_at=now)
    pool = services.create_pool(
        actor=staff, jurisdiction_code="220100", year=2000 + int(tag) % 7000, budget="90000000", now=now
    )
    service = orders.register_service(
        actor=provider_user,
        provider_id=provider.pk,
        category="testing",
        name="基准检测",
        price="100",
        now=now,
    )
    orders.transition_service(actor=staff, service_id=service.pk, to_status="approved", now=now)

    def voucher():
        return services.issue_voucher(
            actor=staff,
            pool_id=pool.pk,
            enterprise_id=enterprise.pk,
            category="testing",
            amount="10000000",
            source="staff",
            now=now,
        )

    service_voucher, ceiling_voucher = voucher(), voucher()
    ServiceOrder.objects.bulk_create(
        [
            ServiceOrder(
                enterprise=enterprise,
                provider=provider,
                service=service,
                voucher=service_voucher,
                price=Decimal("100"),
                status=OrderStatus.DELIVERED,
                placed_by=provider_user,
                placed_at=now,
                delivered_at=now,
            )
            for _ in range(CLIENTS * ORDERS_PER_CLIENT)
        ],
        batch_size=2000,
    )
    order_ids = list(
        ServiceOrder.objects.filter(voucher=service_voucher).order_by("pk").values_list("pk", flat=True)
    )
    return {
        "provider_user": provider_user.pk,
        "order_ids": order_ids,
        "ceiling_voucher": ceiling_voucher.pk,
        "service_voucher": service_voucher.pk,
    }


def _service_client(index, setup, barrier, counts, clients=CLIENTS):
    import django

    django.setup()
    from django.utils import timezone

    from zhouqiao.accounts.models import User
    from zhouqiao.core.errors import DomainError
    from zhouqiao.vouchers import orders

    user = User.objects.get(pk=setup["provider_user"])
    mine = setup["order_ids"][index::clients]
    done = 0
    barrier.wait()
    deadline = time.monotonic() + SECONDS
    for order_id in mine:
        if time.monotonic() >= deadline:
            break
        try:
            orders.claim_redemption(actor=user, order_id=order_id, amount="1", now=timezone.now())
            done += 1
        except DomainError:
            pass
    counts[index] = done


def _ceiling_client(index, setup, barrier, counts, clients=CLIENTS):
    import django

    django.setup()
    from zhouqiao.core import prepared

    done = 0
    # Prepared like the service's statements (identical conditions).
    with prepared.cursor() as cursor:
        cursor.execute("SELECT 1")
        barrier.wait()
        deadline = time.monotonic() + SECONDS
        while time.monotonic() < deadline:
            cursor.execute(
                "UPDATE vouchers_voucher SET remaining = remaining - 1 WHERE id = %s AND remaining >= 1",
                [setup["ceiling_voucher"]],
            )
            done += cursor.rowcount
    counts[index] = done


def _measure(target, setup, clients: int = CLIENTS) -> float:
    from django.db import connections

    connections.close_all()
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(clients)
    counts = context.Array("i", clients)
    processes = [
        context.Process(target=target, args=(i, setup, barrier, counts, clients)) for i in range(clients)
    ]
    for p in processes:
        p.start()
    for p in processes:
        p.join()
    return sum(counts) / SECONDS


def run() -> None:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        subprocess.run(
            [str(ROOT / "scripts" / "with-postgres.sh"), sys.executable, "-m", "bench", "bench_vouchers"],
            check=True,
            cwd=ROOT,
        )
        return
    from django.db.models import F

    from bench.common import production_settings, write_result
    from zhouqiao.vouchers import ledger
    from zhouqiao.vouchers.models import Voucher

    production_settings()
    setup = _setup()
    setup["order_ids"], spare = (
        setup["order_ids"][: CLIENTS * ORDERS_PER_CLIENT // 2],
        setup["order_ids"][CLIENTS * ORDERS_PER_CLIENT // 2 :],
    )
    service = _measure(_service_client, setup)
    single = _measure(_service_client, {**setup, "order_ids": spare}, clients=1)
    ceiling = _measure(_ceiling_client, setup)
    # The bare updates bypassed the ledger on purpose; put that row back so the ledger stays true.
    Voucher.objects.filter(pk=setup["ceiling_voucher"]).update(remaining=F("amount"))
    report = ledger.reconcile()
    write_result(
        "vouchers",
        {
            "database": "postgresql",
            "clients": CLIENTS,
            "seconds": SECONDS,
            "conditions": "both sides: 16 processes, autocommit, prepared statements (binary parameters and results), DEBUG off",
            "figures": {
                "redemptions_per_second": round(service, 1),
                "single_client_redemptions_per_second": round(single, 1),
            },
            "baseline": {"bare_conditional_update_per_second": round(ceiling, 1)},
            "ratio": round(service / ceiling, 3) if ceiling else None,
            "goal": GOAL,
            "meets_goal": bool(ceiling) and service / ceiling >= GOAL,
            "ledger_reconciles": report.ok,
            "cpus": os.cpu_count(),
            "load_average": os.getloadavg()[0],
        },
    )

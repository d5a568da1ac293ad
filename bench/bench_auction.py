"""Accepted bids per second with 16 concurrent bidders on PostgreSQL, next to the bare
conditional-update ceiling on the same kind of row.

Both sides run as 16 separate processes (no shared GIL), each with its own connection, for the same
number of seconds against one auction row. Each client offers the next admissible price again and
again (the service's refusal of an outbid bid names the new minimum; the ceiling reads the price):

- service: ``market.services.place_bid`` called directly (not over HTTP) — registration and
  idempotency lookup, validation, the auction moved by an update guarded by its chain length, the
  bid appended to the hash chain, the audit record, all or nothing;
- ceiling: ``UPDATE market_auction SET current_price = expected + increment WHERE id = … AND
  current_price = expected`` in autocommit, nothing else.

Same conditions on both sides: autocommit, statements prepared with binary parameters and results
(:mod:`zhouqiao.core.prepared`), ``DEBUG`` off as in production; the clock runs from the barrier,
after start-up and Django setup.

Only accepted bids (updated rows) count. The ratio service / ceiling is the figure; the goal is
≥ 0.3. Needs PostgreSQL: without a ``postgres://`` DATABASE_URL the benchmark re-runs itself
under ``scripts/with-postgres.sh``.

    python -m bench bench_auction
"""

import multiprocessing
import os
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

CLIENTS = 16
SECONDS = float(os.environ.get("BENCH_SECONDS", "6"))
GOAL = 0.3
ROOT = Path(__file__).resolve().parent.parent
START, INCREMENT = Decimal("10000.00"), Decimal("100.00")


def _setup() -> dict:
    from django.core.management import call_command
    from django.utils import timezone

    from zhouqiao.accounts.models import MemberRole, Membership, Organisation, User
    from zhouqiao.accounts.states import VerificationStatus
    from zhouqiao.catalog.models import Achievement
    from zhouqiao.core.models import Region
    from zhouqiao.core.reference import load_reference_data
    from zhouqiao.market import services

    call_command("migrate", verbosity=0)
    if not Region.objects.filter(code="220104").exists():
        load_reference_data()
    now = timezone.now()
    tag = uuid.uuid4().hex[:8]

    def org_with_user(name: str, kind: str = "enterprise") -> tuple:
        org = Organisation.objects.create(
            name=f"{name}{tag}",
            kind=kind,
            region_id="220104",
            credit_code=f"B{tag}{uuid.uuid4().hex[:9]}".upper(),
            status=VerificationStatus.VERIFIED,
            created_at=now,
        )
        user = User.objects.create(
            username=f"bench_{uuid.uuid4().hex[:10]}", password="!", password_changed_at=now
        )
        Membership.objects.create(user=user, organisation=org, role=MemberRole.ADMIN, joined_at=now)
        return org, user

    seller_org, seller = org_with_user("基准测试大学", "university")

    def auction():
        achievement = Achievement.objects.create(
            owner=seller_org,
            region_id="220104",
            title=f"基准拍卖标的{tag}",
            abstract="基准测试",
            readiness=6,
            status="published",
            created_at=now,
            updated_at=now,
            published_at=now,
        )
        return services.create_auction(
            actor=seller,
            achievement_id=achievement.pk,
            mode="transfer",
            starts_at=now - timedelta(minutes=1),
            ends_at=now + timedelta(hours=2),
            starting_price=START,
            reserve_price=START,
            increment=INCREMENT,
            deposit_amount="0",
            now=now - timedelta(minutes=1),
        )

    service_auction, ceiling_auction = auction(), auction()
    bidders = []
    for i in range(CLIENTS):
        _org, user = org_with_user(f"基准竞买企业{i}-")
        services.register_bidder(actor=user, auction_id=service_auction.pk, now=now)
        bidders.append(user.pk)
    return {"service_auction": service_auction.pk, "ceiling_auction": ceiling_auction.pk, "bidders": bidders}


def _service_client(index, setup, barrier, counts):
    import django

    django.setup()
    from django.utils import timezone

    from zhouqiao.accounts.models import User
    from zhouqiao.core.errors import DomainError
    from zhouqiao.market import services
    from zhouqiao.market.models import Auction

    user = User.objects.get(pk=setup["bidders"][index])
    auction_id = setup["service_auction"]
    done = 0
    price = Auction.objects.filter(pk=auction_id).values_list("current_price", flat=True).get()
    amount = START if price is None else price + INCREMENT
    barrier.wait()
    deadline = time.monotonic() + SECONDS
    while time.monotonic() < deadline:
        try:
            event, _ = services.place_bid(
                actor=user,
                auction_id=auction_id,
                amount=amount,
                idempotency_key=uuid.uuid4().hex,
                now=timezone.now(),
            )
            done += 1
            amount = event.amount + INCREMENT
        except DomainError as exc:  # outbid: the refusal names the next admissible price
            amount = Decimal(exc.detail.get("minimum_bid", amount + INCREMENT))
    counts[index] = done


def _ceiling_client(index, setup, barrier, counts):
    import django

    django.setup()
    from zhouqiao.core import prepared

    done = 0
    # Prepared like the service's statements (identical conditions).
    with prepared.cursor() as cursor:
        cursor.execute(
            "UPDATE market_auction SET current_price = %s WHERE id = %s AND current_price IS NULL",
            [START, setup["ceiling_auction"]],
        )
        barrier.wait()
        deadline = time.monotonic() + SECONDS
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT current_price FROM market_auction WHERE id = %s", [setup["ceiling_auction"]]
            )
            expected = cursor.fetchone()[0]
            cursor.execute(
                "UPDATE market_auction SET current_price = %s WHERE id = %s AND current_price = %s",
                [expected + INCREMENT, setup["ceiling_auction"], expected],
            )
            done += cursor.rowcount
    counts[index] = done


def _measure(target, setup) -> float:
    from django.db import connections

    connections.close_all()
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(CLIENTS)
    counts = context.Array("i", CLIENTS)
    processes = [context.Process(target=target, args=(i, setup, barrier, counts)) for i in range(CLIENTS)]
    for p in processes:
        p.start()
    for p in processes:
        p.join()
    return sum(counts) / SECONDS


def run() -> None:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        subprocess.run(
            [str(ROOT / "scripts" / "with-postgres.sh"), sys.executable, "-m", "bench", "bench_auction"],
            check=True,
            cwd=ROOT,
        )
        return
    from bench.common import production_settings, write_result
    from zhouqiao.market import chain
    from zhouqiao.market.models import Auction

    production_settings()
    setup = _setup()
    service = _measure(_service_client, setup)
    ceiling = _measure(_ceiling_client, setup)
    intact = chain.verify(Auction.objects.get(pk=setup["service_auction"])).intact
    write_result(
        "auction",
        {
            "database": "postgresql",
            "clients": CLIENTS,
            "seconds": SECONDS,
            "conditions": "both sides: 16 processes, autocommit, prepared statements (binary parameters and results), DEBUG off",
            "method": "market.services.place_bid called directly from 16 processes (no HTTP)",
            "figures": {"accepted_bids_per_second": round(service, 1)},
            "baseline": {"bare_conditional_update_per_second": round(ceiling, 1)},
            "ratio": round(service / ceiling, 3) if ceiling else None,
            "goal": GOAL,
            "meets_goal": bool(ceiling) and service / ceiling >= GOAL,
            "chain_intact": intact,
            "cpus": os.cpu_count(),
            "load_average": os.getloadavg()[0],
        },
    )

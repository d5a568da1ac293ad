"""A burst of 50 simultaneous voucher claims on one pool, on PostgreSQL and on SQLite, next to the
minimal raw SQL transaction that writes the same rows.

What users need from the claim path: every claim answered (accepted, or refused with its reason;
none refused as "busy"), none lost or applied twice, the ledger reconciles. Throughput is reported,
with the raw transaction's as a yardstick: ratio = ORM ops/s ÷ raw ops/s, an alarm below 0.05 (a
framework cost above 20×), not a target.

Shape (each burst on a fresh pool of one city, 220100; each claimant in its own process with its
own connection — see :mod:`bench.burst`): 40 enterprises each hold one voucher from the pool; 5
testing providers (10 staff each) have delivered 50 orders of 2,000元 (the voucher pays at most 50%,
1,000元). 30 enterprises have one order and a 5,000元 voucher; 10 enterprises have two orders from
two providers on one 1,000元 voucher, which pays only one of them. Before the barrier each of the
50 providers' people reads its order and claims min(share, voucher balance as read) after it: 40
claims are accepted and 10 refused (``voucher_insufficient``), whichever of a pair comes second.

- ORM: ``vouchers.orders.claim_redemption`` called directly (no HTTP): durable transaction, order
  locked then voucher, checks, conditional debit, redemption, ledger entry, order moved, audit
  record (and the enterprise's administrators notified — a write the raw side does not do).
- raw: psycopg / sqlite3, no ORM: in one transaction lock the order, refuse unless delivered,
  conditional debit of the voucher (refused when it would overdraw), insert the redemption and its
  ledger entry, update the order, insert the audit row, commit.

After each burst: each accepted claim has exactly one redemption of its amount and one ledger
entry, and its order is claimed; a refused claim's order is still delivered with no redemption;
no order has a redemption nobody was told of (``lost`` counts all of these); each voucher's balance
is its face value less its redemptions. ``ledger.reconcile()`` over every pool at the end.

    python -m bench bench_vouchers    (re-runs itself under scripts/with-postgres.sh; SQLite in a child)
"""

import os
import subprocess
import sys
import uuid
from collections import defaultdict
from datetime import UTC, datetime
from decimal import ROUND_DOWN, Decimal
from pathlib import Path

from bench import burst

ROOT = Path(__file__).resolve().parent.parent
PRICE = Decimal("2000.00")
SINGLE, SHARED = 30, 10  # enterprises with one order (5,000元 voucher) / two orders on a 1,000元 voucher
PROVIDERS, STAFF_PER_PROVIDER = 5, 10


def fixtures() -> dict:
    from django.utils import timezone

    from zhouqiao.accounts.models import Duty, MemberRole, Membership, Organisation, StaffAssignment, User
    from zhouqiao.accounts.states import VerificationStatus
    from zhouqiao.vouchers import orders

    assert SINGLE + 2 * SHARED == PROVIDERS * STAFF_PER_PROVIDER == burst.CLIENTS
    now = timezone.now()
    tag = uuid.uuid4().hex[:8]
    phones = iter(range(13000000001, 13000001000))  # distinct: a shared contact makes a related party

    def user(prefix: str) -> User:
        return User.objects.create(
            username=f"bench_{prefix}_{uuid.uuid4().hex[:10]}", password="!", password_changed_at=now
        )

    def org(name: str, kind: str, region: str) -> Organisation:
        return Organisation.objects.create(
            name=f"{name}{tag}",
            kind=kind,
            region_id=region,
            credit_code=f"B{tag}{uuid.uuid4().hex[:9]}".upper(),
            contact_phone=str(next(phones)),
            status=VerificationStatus.VERIFIED,
            created_at=now,
        )

    staff = user("staff")
    StaffAssignment.objects.bulk_create(
        [
            StaffAssignment(user=staff, jurisdiction_id="220100", duty=d, granted_at=now)
            for d in (Duty.REVIEWER, Duty.FINANCE)
        ]
    )
    enterprises = []
    for i in range(SINGLE + SHARED):
        enterprise = org(f"基准测试企业{i}-", "enterprise", "220104")
        Membership.objects.create(
            user=user("ent"), organisation=enterprise, role=MemberRole.ADMIN, joined_at=now
        )
        enterprises.append(enterprise.pk)
    providers = []
    for p in range(PROVIDERS):
        provider = org(f"基准检测机构{p}-", "service_provider", "220106")
        people = [user("prov") for _ in range(STAFF_PER_PROVIDER)]
        Membership.objects.bulk_create(
            [
                Membership(
                    user=u,
                    organisation=provider,
                    role=MemberRole.ADMIN if k == 0 else MemberRole.MEMBER,
                    joined_at=now,
                )
                for k, u in enumerate(people)
            ]
        )
        service = orders.register_service(
            actor=people[0],
            provider_id=provider.pk,
            category="testing",
            name=f"基准检测{p}",
            price=PRICE,
            now=now,
        )
        orders.transition_service(actor=staff, service_id=service.pk, to_status="approved", now=now)
        providers.append({"id": provider.pk, "service": service.pk, "people": [u.pk for u in people]})
    return {"staff": staff.pk, "enterprises": enterprises, "providers": providers}


def prepare(fx: dict, round_: int, side: str) -> dict:
    """A fresh pool, one voucher per enterprise, 50 delivered orders; claimant ``i`` is person
    ``i // PROVIDERS`` of provider ``i % PROVIDERS`` (so the two orders on a shared voucher come
    from two providers)."""
    from django.utils import timezone

    from zhouqiao.accounts.models import User
    from zhouqiao.vouchers import services
    from zhouqiao.vouchers.models import ServiceOrder
    from zhouqiao.vouchers.states import OrderStatus

    now = timezone.now()
    staff = User.objects.get(pk=fx["staff"])
    pool = services.create_pool(
        actor=staff,
        jurisdiction_code="220100",
        year=2100 + 2 * round_ + (side == "raw"),
        budget="10000000",
        now=now,
    )
    vouchers = [
        services.issue_voucher(
            actor=staff,
            pool_id=pool.pk,
            enterprise_id=enterprise,
            category="testing",
            amount="5000" if i < SINGLE else "1000",
            source="staff",
            now=now,
        )
        for i, enterprise in enumerate(fx["enterprises"])
    ]
    # Order i: enterprises 0..29 one order each, then enterprises 30..39 two each.
    holders = list(range(SINGLE)) + [SINGLE + k // 2 for k in range(2 * SHARED)]
    created = []
    for i, holder in enumerate(holders):
        provider = fx["providers"][i % PROVIDERS]
        created.append(
            ServiceOrder(
                enterprise_id=fx["enterprises"][holder],
                provider_id=provider["id"],
                service_id=provider["service"],
                voucher=vouchers[holder],
                price=PRICE,
                status=OrderStatus.DELIVERED,
                placed_by_id=provider["people"][0],
                placed_at=now,
                delivered_at=now,
            )
        )
    ServiceOrder.objects.bulk_create(created)
    ids = list(ServiceOrder.objects.filter(voucher__pool=pool).order_by("pk").values_list("pk", flat=True))
    claimants = [fx["providers"][i % PROVIDERS]["people"][i // PROVIDERS] for i in range(len(ids))]
    return {"pool": pool.pk, "orders": ids, "claimants": claimants, "vouchers": [v.pk for v in vouchers]}


def client(side: str, index: int, data: dict):
    return (_orm_client if side == "orm" else _raw_client)(index, data)


def _orm_client(index: int, data: dict):
    from django.utils import timezone

    from zhouqiao.accounts.models import User
    from zhouqiao.core.errors import DomainError
    from zhouqiao.vouchers import orders
    from zhouqiao.vouchers.models import ServiceOrder

    user = User.objects.get(pk=data["claimants"][index])
    order = ServiceOrder.objects.select_related("voucher__pool").get(pk=data["orders"][index])
    amount = min(orders.voucher_share_of(order), order.voucher.remaining)

    def fire():
        try:
            redemption = orders.claim_redemption(
                actor=user, order_id=order.pk, amount=str(amount), now=timezone.now()
            )
            return [{"code": "accepted", "order": order.pk, "amount": str(redemption.amount)}]
        except DomainError as exc:
            return [{"code": exc.code, "order": order.pk, "amount": str(amount)}]

    return fire


def _raw_client(index: int, data: dict):
    db = burst.Raw(burst.raw_connect())
    order_id, user_id = data["orders"][index], data["claimants"][index]
    row = db.execute(
        "SELECT o.price, o.voucher_id, v.remaining, v.code, v.pool_id, p.voucher_share, s.name, e.name,"
        " e.region_id, u.username"
        " FROM vouchers_serviceorder o JOIN vouchers_voucher v ON v.id = o.voucher_id"
        " JOIN vouchers_pool p ON p.id = v.pool_id JOIN vouchers_providerservice s ON s.id = o.service_id"
        " JOIN accounts_organisation e ON e.id = o.enterprise_id, accounts_user u"
        " WHERE o.id = %s AND u.id = %s",
        [order_id, user_id],
    ).fetchone()
    db.rollback()
    price, voucher_id, remaining, code, pool_id, share, service_name, enterprise_name, region, username = row
    ceiling = (_money(price) * Decimal(str(share))).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    amount = min(ceiling, _money(remaining))

    def fire():
        now = datetime.now(UTC)
        try:
            db.begin()
            (status,) = db.execute(
                "SELECT status FROM vouchers_serviceorder WHERE id = %s" + db.for_update(), [order_id]
            ).fetchone()
            if status != "delivered":
                db.rollback()
                return [{"code": "not_delivered", "order": order_id, "amount": str(amount)}]
            debited = db.execute(
                "UPDATE vouchers_voucher SET remaining = ROUND(remaining - %s, 2)"
                " WHERE id = %s AND status = 'active' AND remaining >= %s",
                [db.money(amount), voucher_id, db.money(amount)],
            ).rowcount
            if debited != 1:
                db.rollback()
                return [{"code": "voucher_insufficient", "order": order_id, "amount": str(amount)}]
            redemption = db.insert_id(
                "INSERT INTO vouchers_redemption (order_id, voucher_id, amount, claimed_by_id, claimed_at,"
                " settlement_ref) VALUES (%s, %s, %s, %s, %s, '')",
                [order_id, voucher_id, db.money(amount), user_id, db.at(now)],
            )
            db.execute(
                "INSERT INTO vouchers_ledgerentry (pool_id, voucher_id, redemption_id, kind, amount, at,"
                " actor_id, note) VALUES (%s, %s, %s, 'redeem', %s, %s, %s, %s)",
                [pool_id, voucher_id, redemption, db.money(amount), db.at(now), user_id, service_name[:255]],
            )
            db.execute("UPDATE vouchers_serviceorder SET status = 'claimed' WHERE id = %s", [order_id])
            db.audit(
                action="voucher_order.claimed",
                actor_id=user_id,
                actor_name=username,
                target_type="vouchers.serviceorder",
                target_id=order_id,
                target_repr=f"{service_name} · {enterprise_name}",
                region=region,
                before={"status": "delivered"},
                after={"status": "claimed", "redeemed": str(amount), "voucher": code},
                now=now,
            )
            db.commit()
            return [{"code": "accepted", "order": order_id, "amount": str(amount)}]
        except db.busy_errors():
            db.rollback()
            return [{"code": "busy", "order": order_id, "amount": str(amount)}]

    return fire


def _money(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def verify(data: dict, outcomes: list[dict]) -> dict:
    from django.db.models import Sum

    from zhouqiao.vouchers.models import LedgerEntry, Redemption, ServiceOrder, Voucher
    from zhouqiao.vouchers.states import EntryKind, OrderStatus

    redemptions = defaultdict(list)
    for r in Redemption.objects.filter(order_id__in=data["orders"]).values("pk", "order_id", "amount"):
        redemptions[r["order_id"]].append(r)
    entries = defaultdict(int)
    for redemption_id in LedgerEntry.objects.filter(
        redemption__order_id__in=data["orders"], kind=EntryKind.REDEEM
    ).values_list("redemption_id", flat=True):
        entries[redemption_id] += 1
    statuses = dict(ServiceOrder.objects.filter(pk__in=data["orders"]).values_list("pk", "status"))
    answered = {o["order"]: o for o in outcomes}
    lost = 0
    for order_id in data["orders"]:
        mine, outcome = redemptions[order_id], answered.get(order_id)
        if outcome and outcome["code"] == "accepted":
            ok = (
                len(mine) == 1
                and mine[0]["amount"] == Decimal(outcome["amount"])
                and entries[mine[0]["pk"]] == 1
                and statuses[order_id] == OrderStatus.CLAIMED
            )
        else:  # refused (or never answered): nothing may have been written
            ok = not mine and statuses[order_id] == OrderStatus.DELIVERED and outcome is not None
        lost += not ok
    balances_ok = all(
        v.remaining == v.amount - (v.redeemed or 0)
        for v in Voucher.objects.filter(pk__in=data["vouchers"]).annotate(redeemed=Sum("redemptions__amount"))
    )
    accepted = sum(o["code"] == "accepted" for o in outcomes)
    return {"lost": lost, "balances_match": balances_ok, "as_expected": accepted == SINGLE + SHARED}


def finish() -> dict:
    from zhouqiao.vouchers import ledger

    report = ledger.reconcile()
    return {"ledger_reconciles": report.ok, "ledger_problems": report.problems[:5]}


def run() -> None:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        subprocess.run(
            [str(ROOT / "scripts" / "with-postgres.sh"), sys.executable, "-m", "bench", "bench_vouchers"],
            check=True,
            cwd=ROOT,
        )
        return
    from bench.common import production_settings, write_result

    production_settings()
    burst.prepare_database()
    postgres = burst.measure(sys.modules[__name__])
    sqlite = burst.measure_in_sqlite("bench_vouchers")
    checks = postgres.pop("checks") + sqlite.pop("checks")
    raw_checks = postgres["raw"].pop("checks") + sqlite["raw"].pop("checks")
    write_result(
        "vouchers",
        {
            "method": (
                "per burst: a fresh pool (220100) with 40 enterprises' vouchers; 5 providers' 50 people in "
                "50 processes (own Django setup and connection) each claim one delivered 2,000 yuan order "
                "(voucher share 50%): 30 orders on 5,000 yuan vouchers, 10 pairs of orders on a shared "
                "1,000 yuan voucher that pays one of the pair (expected: 40 accepted, 10 refused "
                "voucher_insufficient); barrier, clock from the barrier. ORM: "
                "vouchers.orders.claim_redemption called directly (also notifies the enterprise). raw: "
                "psycopg/sqlite3 transaction: lock order, conditional debit, redemption, ledger entry, "
                "order update, audit row. ORM and raw bursts alternate; ops_per_s is the median over the "
                "bursts; ratio = ORM / raw, alarm below 0.05."
            ),
            "burst": postgres,
            "burst_sqlite": sqlite,
            "ledger_reconciles": postgres["ledger_reconciles"] and sqlite["ledger_reconciles"],
            "balances_match": all(c["balances_match"] for c in checks + raw_checks),
            "as_expected": all(c["as_expected"] for c in checks + raw_checks),
            "cpus": os.cpu_count(),
            "load_average": list(os.getloadavg()),
        },
    )

"""Balances as sums over the ledger, and the reconciliation that proves the invariants.

Per pool:     budget = Σ allocate + Σ adjust;  balance = budget − Σ issue + Σ (expire + revoke) ≥ 0,
              and the running ``Pool.available`` equals it (so issued, net of returns, ≤ budget).
Per voucher:  one issue entry equal to its face value; Σ redeem + Σ returned ≤ issued; the running
              ``Voucher.remaining`` equals issued − redeemed − returned; a closed voucher has 0 left.
Per order:    at most one redemption per voucher, one redeem entry per redemption, at most the
              pool's share of the price; a settlement equals its redemption.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Sum

from zhouqiao.vouchers.models import LedgerEntry, Pool, Redemption, Voucher
from zhouqiao.vouchers.states import EntryKind, VoucherStatus

ZERO = Decimal("0.00")


@dataclass
class PoolBalance:
    budget: Decimal = ZERO
    issued: Decimal = ZERO
    returned: Decimal = ZERO
    redeemed: Decimal = ZERO
    settled: Decimal = ZERO

    @property
    def balance(self) -> Decimal:
        return self.budget - self.issued + self.returned


@dataclass
class Report:
    checked: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _sums(group_by: str, queryset=None) -> dict:
    rows = (
        (queryset if queryset is not None else LedgerEntry.objects.all())
        .values(group_by, "kind")
        .annotate(s=Sum("amount"))
    )
    sums: dict = defaultdict(lambda: defaultdict(lambda: ZERO))
    for row in rows:
        sums[row[group_by]][row["kind"]] = row["s"] or ZERO
    return sums


def pool_balances(pool_ids=None) -> dict[int, PoolBalance]:
    entries = (
        LedgerEntry.objects.all() if pool_ids is None else LedgerEntry.objects.filter(pool_id__in=pool_ids)
    )
    out = {}
    for pool_id, kinds in _sums("pool_id", entries).items():
        out[pool_id] = PoolBalance(
            budget=kinds[EntryKind.ALLOCATE] + kinds[EntryKind.ADJUST],
            issued=kinds[EntryKind.ISSUE],
            returned=kinds[EntryKind.EXPIRE] + kinds[EntryKind.REVOKE],
            redeemed=kinds[EntryKind.REDEEM],
            settled=kinds[EntryKind.SETTLE],
        )
    return out


def voucher_balance(voucher_id: int) -> Decimal:
    kinds = _sums("voucher_id", LedgerEntry.objects.filter(voucher_id=voucher_id))[voucher_id]
    return (
        kinds[EntryKind.ISSUE] - kinds[EntryKind.REDEEM] - kinds[EntryKind.EXPIRE] - kinds[EntryKind.REVOKE]
    )


def reconcile(pool_ids=None) -> Report:
    """Check the invariants over every pool, or over ``pool_ids`` (a staff member's jurisdiction)."""
    report = Report()
    pools = Pool.objects.all() if pool_ids is None else Pool.objects.filter(pk__in=pool_ids)
    entries = LedgerEntry.objects.filter(pool__in=pools)
    balances = pool_balances(pool_ids)
    for pool in pools:
        b = balances.get(pool.pk, PoolBalance())
        if b.balance < 0:
            report.problems.append(
                f"pool {pool.pk}: issued {b.issued} less returned {b.returned} exceeds budget {b.budget}"
            )
        if pool.available != b.balance:
            report.problems.append(f"pool {pool.pk}: running balance {pool.available} ≠ ledger {b.balance}")
    report.checked["pools"] = len(balances)

    sums = _sums("voucher_id", entries.filter(voucher__isnull=False))
    issue_counts = dict(
        entries.filter(kind=EntryKind.ISSUE)
        .values("voucher_id")
        .annotate(n=Count("pk"))
        .values_list("voucher_id", "n")
    )
    vouchers = 0
    for v in Voucher.objects.filter(pool__in=pools).values("pk", "amount", "remaining", "status"):
        vouchers += 1
        kinds = sums[v["pk"]]
        issued, redeemed = kinds[EntryKind.ISSUE], kinds[EntryKind.REDEEM]
        returned = kinds[EntryKind.EXPIRE] + kinds[EntryKind.REVOKE]
        if issue_counts.get(v["pk"], 0) != 1 or issued != v["amount"]:
            report.problems.append(
                f"voucher {v['pk']}: issue entries do not equal its face value {v['amount']}"
            )
        if redeemed + returned > issued:
            report.problems.append(
                f"voucher {v['pk']}: redeemed {redeemed} + returned {returned} > issued {issued}"
            )
        if v["remaining"] != issued - redeemed - returned:
            report.problems.append(
                f"voucher {v['pk']}: running balance {v['remaining']} ≠ ledger {issued - redeemed - returned}"
            )
        if v["status"] != VoucherStatus.ACTIVE and v["remaining"] != 0:
            report.problems.append(f"voucher {v['pk']}: closed but {v['remaining']} left")
    report.checked["vouchers"] = vouchers

    redemptions_in_scope = Redemption.objects.filter(voucher__pool__in=pools)
    twice = redemptions_in_scope.values("order_id", "voucher_id").annotate(n=Count("pk")).filter(n__gt=1)
    for row in twice:
        report.problems.append(
            f"order {row['order_id']}: voucher {row['voucher_id']} redeemed {row['n']} times"
        )
    by_redemption = _sums("redemption_id", entries.filter(redemption__isnull=False))
    entry_counts = defaultdict(int)
    for rid, kind in entries.filter(redemption__isnull=False).values_list("redemption_id", "kind"):
        entry_counts[(rid, kind)] += 1
    redemptions = 0
    for r in redemptions_in_scope.select_related("order", "voucher__pool"):
        redemptions += 1
        kinds = by_redemption[r.pk]
        if entry_counts[(r.pk, EntryKind.REDEEM)] != 1 or kinds[EntryKind.REDEEM] != r.amount:
            report.problems.append(f"redemption {r.pk}: needs exactly one redeem entry of {r.amount}")
        if entry_counts[(r.pk, EntryKind.SETTLE)] > 1 or kinds[EntryKind.SETTLE] not in (ZERO, r.amount):
            report.problems.append(
                f"redemption {r.pk}: settled {kinds[EntryKind.SETTLE]} ≠ redeemed {r.amount}"
            )
        if r.amount > r.order.price * r.voucher.pool.voucher_share:
            report.problems.append(
                f"redemption {r.pk}: {r.amount} exceeds the voucher share of order {r.order_id}"
            )
    report.checked["redemptions"] = redemptions
    return report

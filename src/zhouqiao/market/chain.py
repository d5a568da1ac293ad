"""The tamper-evident record of an auction: a SHA-256 hash chain of its append-only records.

Each record's canonical content is the UTF-8 JSON (keys sorted, no spaces) of its auction id,
sequence number, kind, time (UTC, ISO 8601 with microseconds), amount (a string with two decimals,
or null), data and the previous record's hash (64 zeros for the first). Its ``hash`` is the SHA-256
of that content, so changing, removing or inserting any record breaks every later link. The close
record's hash is published on the auction page and in the API as the final hash.
"""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC

from django.utils.translation import gettext as _

GENESIS = "0" * 64


def canonical(*, auction_id: int, seq: int, kind: str, at, amount, data: dict, prev_hash: str) -> bytes:
    content = {
        "auction": auction_id,
        "seq": seq,
        "kind": kind,
        "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
        "amount": None if amount is None else f"{amount:.2f}",
        "data": data,
        "prev": prev_hash,
    }
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def digest(**content) -> str:
    return hashlib.sha256(canonical(**content)).hexdigest()


def reserve_commitment(reserve_price, salt: str) -> str:
    """SHA-256 of ``salt:price``: published in the first record while the reserve price is secret;
    the close record reveals both, so anyone can check the reserve was not changed on the way."""
    return hashlib.sha256(f"{salt}:{reserve_price:.2f}".encode()).hexdigest()


def event_digest(event) -> str:
    return digest(
        auction_id=event.auction_id,
        seq=event.seq,
        kind=event.kind,
        at=event.at,
        amount=event.amount,
        data=event.data,
        prev_hash=event.prev_hash,
    )


@dataclass
class Verification:
    intact: bool
    length: int
    head_hash: str
    final_hash: str
    broken_at: int | None = None
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "intact": self.intact,
            "length": self.length,
            "head_hash": self.head_hash,
            "final_hash": self.final_hash,
            "broken_at": self.broken_at,
            "problems": self.problems,
        }


def verify(auction) -> Verification:
    """Recompute the chain of ``auction`` and say whether it is intact and where it first breaks."""
    from zhouqiao.market.models import AuctionEvent

    problems: list[str] = []
    broken_at = None
    prev, expected_seq, last = GENESIS, 1, None
    for event in AuctionEvent.objects.filter(auction_id=auction.pk).order_by("seq", "pk").iterator():
        reason = None
        if event.seq != expected_seq:
            reason = _("记录序号应为 %(expected)s，实际为 %(seq)s（记录缺失、插入或重复）。") % {
                "expected": expected_seq,
                "seq": event.seq,
            }
        elif event.prev_hash != prev:
            reason = _("第 %(seq)s 条记录的前一记录哈希与链不符。") % {"seq": event.seq}
        elif event_digest(event) != event.hash:
            reason = _("第 %(seq)s 条记录的内容与其哈希不符（记录被改动）。") % {"seq": event.seq}
        if reason:
            problems.append(reason)
            broken_at = min(event.seq, expected_seq)
            break
        prev, expected_seq, last = event.hash, expected_seq + 1, event
    length = expected_seq - 1
    if broken_at is None:
        if auction.chain_length != length or (auction.head_hash or GENESIS) != prev:
            problems.append(
                _("拍卖的链头（%(head)s 条）与实际记录链（%(length)s 条）不符。")
                % {"head": auction.chain_length, "length": length}
            )
            broken_at = min(auction.chain_length, length) + 1
        elif auction.final_hash and (
            last is None or last.kind not in ("closed", "cancelled") or auction.final_hash != last.hash
        ):
            problems.append(_("公布的结束哈希与结束记录不符。"))
            broken_at = length
    return Verification(
        intact=not problems,
        length=length,
        head_hash=prev if length else "",
        final_hash=auction.final_hash,
        broken_at=broken_at,
        problems=problems,
    )

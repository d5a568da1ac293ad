"""Bursts of simultaneous clients on one money path: the product's service (Django ORM) beside the
minimal raw SQL transaction that writes the same rows, on the database Django is configured for.

Used by ``bench_auction`` and ``bench_vouchers``; each gives a *bench* module with

- ``fixtures()`` → ids reused by every burst (organisations, people);
- ``prepare(fixtures, round_, side)`` → the burst's data (a fresh auction, a fresh pool…);
- ``client(side, index, data)`` → run in the client's own process before the barrier (its reads,
  its connection); returns ``fire()``, which performs the client's operation(s) after the barrier
  and returns one outcome ``{"code": "accepted" | <refusal code> | "busy", …}`` per operation;
- ``verify(data, outcomes)`` → ``{"lost": n, …}`` checked against the database after the burst;
- optionally ``finish()`` → figures added once all bursts ran (e.g. the ledger's reconciliation).

Each burst: ``CLIENTS`` processes forked from the set-up process with no open connection, so each
opens its own (``django.setup()`` again in the child, a no-op after the fork) and does its reads;
all wait at one barrier; the clock runs from the barrier's release (earliest start) to the last
answer. ORM and raw bursts alternate (ORM first in even rounds, raw first in odd ones) so that
both sides of the ratio share the period and the machine's load.

SQLite runs in a child process with ``DATABASE_URL`` pointing at a temporary file and the project's
settings (WAL, ``BEGIN IMMEDIATE``, busy timeout 20 s): ``python -m bench.burst <module> <out.json>``.
"""

import importlib
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

CLIENTS = int(os.environ.get("BENCH_CLIENTS", "50"))
BURSTS = int(os.environ.get("BENCH_BURSTS", "5"))
ALARM = 0.05  # ORM / raw below this: the framework costs more than 20× the bare writes
ROOT = Path(__file__).resolve().parent.parent


def machine() -> dict:
    return {"cpus": os.cpu_count(), "load_average": [round(x, 2) for x in os.getloadavg()]}


def prepare_database() -> None:
    from django.core.management import call_command

    from zhouqiao.core.models import Region
    from zhouqiao.core.reference import load_reference_data

    call_command("migrate", verbosity=0)
    if not Region.objects.filter(code="220104").exists():
        load_reference_data()


# --- raw side: a DB-API connection of its own, no Django ORM --------------------------------------------


def raw_connect():
    """A plain psycopg / sqlite3 connection to the database Django is configured for, with the
    same session settings as the product (lock timeout; WAL, foreign keys, busy timeout)."""
    from django.db import connection

    s = connection.settings_dict
    if connection.vendor == "postgresql":
        import psycopg

        return psycopg.connect(
            dbname=s["NAME"],
            user=s["USER"] or None,
            password=s["PASSWORD"] or None,
            host=s["HOST"] or None,
            port=s["PORT"] or None,
            options=s["OPTIONS"].get("options", ""),
        )
    import sqlite3

    conn = sqlite3.connect(s["NAME"], timeout=s["OPTIONS"].get("timeout", 20), isolation_level=None)
    conn.executescript("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;")
    return conn


def is_postgres(conn) -> bool:
    return type(conn).__module__.startswith("psycopg")


class Raw:
    """The few things that differ between psycopg and sqlite3 for the raw transactions."""

    def __init__(self, conn):
        self.conn = conn
        self.pg = is_postgres(conn)

    def sql(self, statement: str) -> str:
        return statement if self.pg else statement.replace("%s", "?")

    def execute(self, statement: str, params=()):
        return self.conn.execute(self.sql(statement), params)

    def begin(self) -> None:
        # psycopg opens the transaction with the first statement; SQLite takes the write lock now.
        if not self.pg:
            self.conn.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        self.conn.commit() if self.pg else self.conn.execute("COMMIT")

    def rollback(self) -> None:
        if self.pg:
            self.conn.rollback()
        elif self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def for_update(self) -> str:
        return " FOR UPDATE" if self.pg else ""

    def at(self, when):
        """A timestamp as Django stores it (SQLite: naive UTC text)."""
        if self.pg:
            return when
        from datetime import UTC

        return str(when.astimezone(UTC).replace(tzinfo=None))

    def money(self, amount):
        return amount if self.pg else str(amount)

    def json(self, value):
        if self.pg:
            from psycopg.types.json import Jsonb

            return Jsonb(value)
        return json.dumps(value)

    def insert_id(self, statement: str, params) -> int:
        if self.pg:
            return self.conn.execute(statement + " RETURNING id", params).fetchone()[0]
        return self.conn.execute(self.sql(statement), params).lastrowid

    def busy_errors(self) -> tuple:
        if self.pg:
            import psycopg

            return (psycopg.errors.LockNotAvailable, psycopg.errors.QueryCanceled, psycopg.OperationalError)
        import sqlite3

        return (sqlite3.OperationalError,)

    def audit(
        self, *, action, actor_id, actor_name, target_type, target_id, target_repr, region, before, after, now
    ):
        """One ``core_auditevent`` row, the columns ``core.audit.record`` fills."""
        self.execute(
            "INSERT INTO core_auditevent (at, actor_id, actor_name, action, target_type, target_id,"
            " target_repr, region_code, before, after, ip, success, reason)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, NULL, %s, '')",
            [
                self.at(now),
                actor_id,
                actor_name,
                action,
                target_type,
                str(target_id),
                target_repr[:255],
                region,
                None if before is None else self.json(before),
                self.json(after),
                True if self.pg else 1,
            ],
        )


# --- the burst ------------------------------------------------------------------------------------------


def _child(bench, side, index, data, barrier, queue):
    import django

    django.setup()
    try:
        fire = bench.client(side, index, data)
        barrier.wait(timeout=300)
        started = time.monotonic()
        outcomes = fire()
        queue.put({"index": index, "started": started, "ended": time.monotonic(), "outcomes": outcomes})
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which fails the run
        barrier.abort()
        queue.put({"index": index, "error": repr(exc)})


def burst(bench, side: str, data: dict) -> tuple[list[dict], float]:
    """``CLIENTS`` processes, one barrier; returns every outcome and the seconds from the barrier's
    release to the last answer."""
    from django.db import connections

    connections.close_all()  # each child opens its own
    context = multiprocessing.get_context("fork")
    barrier, queue = context.Barrier(CLIENTS), context.Queue()
    processes = [
        context.Process(target=_child, args=(bench, side, i, data, barrier, queue)) for i in range(CLIENTS)
    ]
    for p in processes:
        p.start()
    reports = [queue.get(timeout=600) for _ in processes]
    for p in processes:
        p.join()
    errors = [r["error"] for r in reports if "error" in r]
    if errors:
        raise RuntimeError(f"{len(errors)} {side} client(s) failed: {errors[:3]}")
    seconds = max(r["ended"] for r in reports) - min(r["started"] for r in reports)
    return [o for r in sorted(reports, key=lambda r: r["index"]) for o in r["outcomes"]], seconds


def _summary(runs: list[dict]) -> dict:
    codes = Counter()
    for run in runs:
        codes.update(run["codes"])
    accepted, busy = codes.pop("accepted", 0), codes.pop("busy", 0)
    rates = [run["ops"] / run["seconds"] for run in runs]
    return {
        "operations": accepted + busy + sum(codes.values()),
        "accepted": accepted,
        "refused": sum(codes.values()),
        "refused_by_reason": dict(sorted(codes.items())),
        "busy": busy,
        "lost": sum(run["lost"] for run in runs),
        "ops_per_s": round(statistics.median(rates), 1),
        "per_burst_ops_per_s": [round(r, 1) for r in rates],
        "checks": [run["check"] for run in runs],
    }


def measure(bench) -> dict:
    """``BURSTS`` rounds of one ORM burst and one raw burst on the configured database."""
    from django.db import connection

    load_before = machine()
    fixtures = bench.fixtures()
    runs: dict[str, list] = {"orm": [], "raw": []}
    for round_ in range(BURSTS):
        for side in ("orm", "raw") if round_ % 2 == 0 else ("raw", "orm"):
            data = bench.prepare(fixtures, round_, side)
            outcomes, seconds = burst(bench, side, data)
            check = bench.verify(data, outcomes)
            runs[side].append(
                {
                    "ops": len(outcomes),
                    "seconds": seconds,
                    "codes": Counter(o["code"] for o in outcomes),
                    "lost": check.pop("lost"),
                    "check": check,
                }
            )
            print(
                f"  {connection.vendor} {side} burst {round_ + 1}: {len(outcomes)} ops in {seconds:.3f} s",
                flush=True,
            )
    orm, raw = _summary(runs["orm"]), _summary(runs["raw"])
    ratio = orm["ops_per_s"] / raw["ops_per_s"] if raw["ops_per_s"] else None
    return {
        "database": connection.vendor,
        "clients": CLIENTS,
        "bursts": BURSTS,
        "accepted": orm["accepted"],
        "refused": orm["refused"],
        "refused_by_reason": orm["refused_by_reason"],
        "busy": orm["busy"],
        "lost": orm["lost"],
        "operations": orm["operations"],
        "ops_per_s": orm["ops_per_s"],
        "raw_ops_per_s": raw["ops_per_s"],
        "ratio": round(ratio, 3) if ratio is not None else None,
        "alarm": ratio is None or ratio < ALARM,
        "per_burst_ops_per_s": orm["per_burst_ops_per_s"],
        "raw_per_burst_ops_per_s": raw["per_burst_ops_per_s"],
        "checks": orm["checks"],
        "raw": {
            k: raw[k]
            for k in ("operations", "accepted", "refused", "refused_by_reason", "busy", "lost", "checks")
        },
        **(bench.finish() if hasattr(bench, "finish") else {}),
        "machine_before": load_before,
        "machine_after": machine(),
    }


def measure_in_sqlite(module: str) -> dict:
    """:func:`measure` for ``bench.<module>`` in a child process on a temporary SQLite file with the
    project's settings."""
    with tempfile.TemporaryDirectory(prefix="zhouqiao-bench-") as folder:
        out = Path(folder) / "result.json"
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{Path(folder) / 'bench.sqlite3'}"}
        subprocess.run([sys.executable, "-m", "bench.burst", module, str(out)], env=env, cwd=ROOT, check=True)
        return json.loads(out.read_text(encoding="utf-8"))


def main(module: str, out: str) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhouqiao.settings")
    os.environ.setdefault("RATELIMIT_ENABLED", "0")
    django.setup()
    from bench.common import production_settings

    production_settings()
    prepare_database()
    result = measure(importlib.import_module(f"bench.{module}"))
    Path(out).write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:3])

"""Indicator dashboard benchmark (issue 20).

1,000,000 registered technology contracts (BENCH_INSIGHTS_CONTRACTS) among sample organisations
in every county-level region of Jilin (and a few outside), registered over five years, loaded with
COPY into a throwaway PostgreSQL test database. Started on another database (``make bench`` uses
the default SQLite), it runs itself again under scripts/with-postgres.sh; set
BENCH_INSIGHTS_ANY_DATABASE=1 to measure the configured database instead (rows then go in with
bulk_create batches, and the figures name the vendor).

Measured, alternating which runs first: p50/p95 of the dashboard API for the province's contract
turnover by year (``GET /api/v1/insights/series``, as a provincial registrar) vs. the bare SQL
aggregate that computes the same figure — the aggregate statement the API sends, captured once and
run on its own (``SUM(contract_amount) … GROUP BY year``) — and the same for the turnover of the
cities (``/regions`` vs. its ``GROUP BY substr(region_id, 1, 4)``). A handwritten SQL of the same
aggregate is timed every third round as a cross-check (``handwritten_sql_p95_ms``).
The dashboard keeps the figures of completed years in the cache (insights.indicators
``contract_statistics``); the ratio measures the uncached path (the cache is cleared before each
API call, and the bare side runs every aggregate statement the API then sends: the completed years
and the running year). ``api_cached_p95_ms`` is the same request answered with the cache warm.
Goal: ``dashboard_p95_vs_raw`` (the series) ≤ 3.

Writes only its own keys into bench/results/insights.json (the annual report bench adds
``report_vs_render`` to the same file).
"""

import datetime as dt
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

import numpy as np

from bench.common import RESULTS, write_result

N = int(os.environ.get("BENCH_INSIGHTS_CONTRACTS", "1000000"))
ROUNDS = int(os.environ.get("BENCH_INSIGHTS_ROUNDS", "30"))
WARMUP = 3
YEARS = 5
ROOT = Path(__file__).resolve().parents[1]


def _percentiles(values):
    return round(float(np.percentile(values, 50)), 2), round(float(np.percentile(values, 95)), 2)


def _load(n, orgs, author, now):
    """Rows of every concrete column, for COPY (PostgreSQL) or bulk_create (SQLite)."""
    from django.db import connection

    from zhouqiao.contracts.models import Contract

    rng = random.Random(11)  # noqa: S311 — synthetic figures
    tz = now.tzinfo
    first = now.year - YEARS + 1
    start = dt.datetime(first, 1, 1, tzinfo=tz)
    seconds = int((now - start).total_seconds())
    kinds = [
        ("development", "commissioned_development"),
        ("transfer", "patent_transfer"),
        ("service", "service"),
    ]

    def row(i):
        seller, buyer = rng.sample(orgs, 2)
        amount = Decimal(rng.randrange(10_000, 5_000_000, 100))
        kind, subtype = kinds[i % 3]
        at = start + dt.timedelta(seconds=rng.randrange(seconds))
        return {
            "title": f"基准合同{i}",
            "contract_type": kind,
            "subtype": subtype,
            "seller_id": seller.pk,
            "buyer_id": buyer.pk,
            "region_id": seller.region_id,
            "contract_amount": amount,
            "technology_amount": amount,
            "signed_on": at.date(),
            "status": "registered",
            "registration_number": f"B{i:010d}",
            "registered_at": at,
            "created_by_id": author.pk,
            "created_at": at,
        }

    fields = [f for f in Contract._meta.concrete_fields if not f.primary_key]
    if connection.vendor != "postgresql":
        batch = []
        for i in range(n):
            batch.append(Contract(**row(i)))
            if len(batch) == 5000:
                Contract.objects.bulk_create(batch)
                batch = []
        Contract.objects.bulk_create(batch)
        return
    columns = [f.column for f in fields]

    def value(f, data):
        key = f.attname
        if key in data:
            return data[key]
        if f.null:
            return None
        default = f.get_default()
        return "" if default is None else default

    sql = f"COPY {Contract._meta.db_table} ({', '.join(columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for i in range(n):
            data = row(i)
            copy.write_row([value(f, data) for f in fields])
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Contract._meta.db_table}")


def measure() -> dict:
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_databases, teardown_databases
    from django.utils import timezone
    from tests.factories import OrganisationFactory, staff_in

    from zhouqiao.accounts.models import Duty
    from zhouqiao.core.models import Region
    from zhouqiao.core.reference import load_reference_data

    settings.DEBUG = False
    if connection.vendor == "sqlite":
        tmp = tempfile.mkdtemp(prefix="zq-bench-")
        connection.settings_dict.setdefault("TEST", {})["NAME"] = os.path.join(tmp, "bench.sqlite3")
    old = setup_databases(verbosity=0, interactive=False)
    try:
        if not Region.objects.exists():
            load_reference_data()
        now = timezone.localtime()
        codes = list(
            Region.objects.filter(code__startswith="22", level="county").values_list("code", flat=True)
        )
        orgs = [OrganisationFactory(region_id=c) for c in [*codes, "110108", "210102"]]
        registrar = staff_in("220000", Duty.REGISTRAR)
        t = time.perf_counter()
        _load(N, orgs, registrar, now)
        load_s = time.perf_counter() - t
        print(f"loaded {N} contracts in {load_s:.1f} s", flush=True)

        client = Client()
        client.force_login(registrar)
        last, first = now.year, now.year - YEARS + 1
        tz = timezone.get_current_timezone()
        lo, hi = dt.datetime(first, 1, 1, tzinfo=tz), dt.datetime(last + 1, 1, 1, tzinfo=tz)
        year_sql = (
            "EXTRACT(YEAR FROM registered_at AT TIME ZONE 'Asia/Shanghai')"
            if connection.vendor == "postgresql"
            else "CAST(strftime('%%Y', datetime(registered_at, '+8 hours')) AS INTEGER)"
        )
        cases = {
            "series": (
                "/api/v1/insights/series",
                {"code": "contract_turnover", "region": "220000", "year_from": first, "year_to": last},
                f"SELECT {year_sql} AS y, SUM(contract_amount) FROM contracts_contract "
                "WHERE status = 'registered' AND region_id LIKE '22%%' "
                "AND registered_at >= %s AND registered_at < %s GROUP BY y ORDER BY y",
                [lo, hi],
            ),
            "regions": (
                "/api/v1/insights/regions",
                {"code": "contract_turnover", "region": "220000", "year": last - 1},
                "SELECT SUBSTR(region_id, 1, 4) AS p, SUM(contract_amount) FROM contracts_contract "
                "WHERE status = 'registered' AND region_id LIKE '22%%' "
                "AND registered_at >= %s AND registered_at < %s GROUP BY p ORDER BY p",
                [dt.datetime(last - 1, 1, 1, tzinfo=tz), dt.datetime(last, 1, 1, tzinfo=tz)],
            ),
        }
        out = {}
        for name, (path, params, handwritten, args) in cases.items():
            raw, api, hand, cached = [], [], [], []
            # The bare SQL: the very aggregate statements the API sends with an empty cache
            # (captured once), run on their own through the same connection — the figure without
            # Django, scope checks or JSON.
            cache.clear()
            with CaptureQueriesContext(connection) as captured:
                client.get(path, params, secure=True)
            statements = [q["sql"] for q in captured.captured_queries if "SUM(" in q["sql"]]

            def raw_query(statements=statements):
                t = time.perf_counter()
                with connection.cursor() as cursor:
                    for statement in statements:
                        cursor.execute(statement)
                        cursor.fetchall()
                return (time.perf_counter() - t) * 1000

            def hand_query(sql=handwritten, args=args):
                t = time.perf_counter()
                with connection.cursor() as cursor:
                    cursor.execute(sql, args)
                    cursor.fetchall()
                return (time.perf_counter() - t) * 1000

            def api_call(path=path, params=params, cold=True):
                if cold:
                    cache.clear()
                t = time.perf_counter()
                response = client.get(path, params, secure=True)
                elapsed = (time.perf_counter() - t) * 1000
                assert response.status_code == 200, response.content[:300]
                return elapsed

            for i in range(WARMUP + ROUNDS):
                if i % 2:
                    a, r = api_call(), raw_query()
                else:
                    r, a = raw_query(), api_call()
                h = hand_query() if i % 3 == 0 else None
                if i >= WARMUP:
                    raw.append(r)
                    api.append(a)
                    if h is not None:
                        hand.append(h)
            for _ in range(ROUNDS):
                cached.append(api_call(cold=False))
            raw_p50, raw_p95 = _percentiles(raw)
            api_p50, api_p95 = _percentiles(api)
            out[name] = {
                "api_p50_ms": api_p50,
                "api_p95_ms": api_p95,
                "raw_sql_p50_ms": raw_p50,
                "raw_sql_p95_ms": raw_p95,
                "api_p95_vs_raw_p95": round(api_p95 / raw_p95, 3),
                "handwritten_sql_p95_ms": _percentiles(hand)[1],
                "api_cached_p95_ms": _percentiles(cached)[1],
                "aggregate_statements": len(statements),
                "aggregate_sql": statements[0][:600],
            }
            print(name, out[name], flush=True)
        return {
            "dashboard_p95_vs_raw": out["series"]["api_p95_vs_raw_p95"],
            "dashboard": {
                "vendor": connection.vendor,
                "contracts": N,
                "rounds": ROUNDS,
                "load_s": round(load_s, 1),
                "goal": "dashboard API p95 ≤ 3 × the bare SQL aggregate p95 (series of the province's turnover)",
                "load_average": round(os.getloadavg()[0], 2),
                **out,
            },
        }
    finally:
        teardown_databases(old, verbosity=0)


def run() -> None:
    from django.db import connection

    if connection.vendor != "postgresql" and not os.environ.get("BENCH_INSIGHTS_ANY_DATABASE"):
        # The goal is stated for PostgreSQL: `make bench` (SQLite by default) runs this part there.
        subprocess.run(
            [str(ROOT / "scripts" / "with-postgres.sh"), sys.executable, "-m", "bench", "bench_insights"],
            check=True,
            cwd=ROOT,
        )
        return
    figures = measure()
    path = RESULTS / "insights.json"
    existing = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    for key in ("name", "ran_at", "machine"):
        existing.pop(key, None)
    existing.update(figures)
    write_result("insights", existing)

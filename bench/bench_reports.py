"""The annual report for the province against the time WeasyPrint alone needs to render the same
HTML. Goal (issue 20): report ≤ 2 × render, i.e. collecting the figures, drawing the charts,
rendering the template and writing the workbook add at most as much again as the PDF layout.

Runs on a throwaway test database (SQLite by default; PostgreSQL with DATABASE_URL) with
``BENCH_REPORT_CONTRACTS`` registered contracts (20,000 by default) spread over five years and
every county of the province. The report side is ``generation.build`` — what the task worker runs
for a version, minus saving the two files; the render side is ``weasyprint.HTML(string=…)
.write_pdf()`` on the HTML that build produced. The two alternate (the machine is shared) and each
side's fastest run counts.

Writes ``report_vs_render`` and ``report_figures`` into bench/results/insights.json, keeping the
keys other benches write there (``dashboard_p95_vs_raw``).

    python -m bench bench_reports
"""

import json
import os
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from django.db import connection
from django.test.utils import override_settings

from bench.common import RESULTS

CONTRACTS = int(os.environ.get("BENCH_REPORT_CONTRACTS", "20000"))
RUNS = int(os.environ.get("BENCH_REPORT_RUNS", "3"))
GOAL = 2.0


def _fixtures(now):
    from zhouqiao.accounts.models import Duty, Organisation, StaffAssignment, User
    from zhouqiao.accounts.states import VerificationStatus
    from zhouqiao.contracts.models import Contract
    from zhouqiao.contracts.states import ContractStatus
    from zhouqiao.core.models import Region
    from zhouqiao.core.reference import load_reference_data

    if not Region.objects.filter(pk="220000").exists():
        load_reference_data()
    user = User.objects.create(username="bench_stat", display_name="统计", password="!")
    StaffAssignment.objects.create(user=user, jurisdiction_id="220000", duty=Duty.STATISTICS, granted_at=now)
    counties = list(
        Region.objects.filter(code__startswith="22", level="county").values_list("code", flat=True)
    )
    orgs = Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"基准测试企业{i}",
                kind="enterprise",
                region_id=code,
                credit_code=f"91{code}{i:010d}"[:18],
                status=VerificationStatus.VERIFIED,
                created_at=now,
            )
            for i, code in enumerate(counties)
        ]
    )
    rng = random.Random(20)
    rows = []
    for i in range(CONTRACTS):
        seller, buyer = rng.sample(orgs, 2)
        at = now - timedelta(days=rng.randrange(5 * 365))
        amount = Decimal(rng.randrange(10_000, 5_000_000))
        rows.append(
            Contract(
                title=f"基准技术合同{i}",
                contract_type="development",
                subtype="commissioned_development",
                seller=seller,
                buyer=buyer,
                region_id=seller.region_id,
                contract_amount=amount,
                technology_amount=amount,
                signed_on=at.date(),
                status=ContractStatus.REGISTERED,
                registered_at=at,
                registration_number=f"B{i:09d}",
                created_by=user,
                created_at=at,
            )
        )
    Contract.objects.bulk_create(rows, batch_size=2000)
    return user


def run() -> None:
    from django.utils import timezone

    from zhouqiao.insights.reports import generation, render, services
    from zhouqiao.insights.reports.models import ReportVersion

    now = timezone.now()
    settings_dict = connection.settings_dict
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        if connection.vendor == "sqlite":
            settings_dict.setdefault("TEST", {})["NAME"] = str(tmpdir / "bench.sqlite3")
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            with override_settings(
                MEDIA_ROOT=tmpdir / "media",
                TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}},
            ):
                user = _fixtures(now)
                version = services.request_generation(
                    actor=user, region_code="220000", year=timezone.localdate(now).year - 1, now=now
                )
                version = ReportVersion.objects.select_related("report__region").get(pk=version.pk)
                reports, renders, markup, pdf_bytes = [], [], "", 0
                for _round in range(RUNS):
                    started = time.perf_counter()
                    _context, markup, pdf, _xlsx, timings = generation.build(version, now=now)
                    reports.append((time.perf_counter() - started, timings))
                    pdf_bytes = len(pdf)
                    started = time.perf_counter()
                    render.pdf(markup)
                    renders.append(time.perf_counter() - started)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
    report_seconds, timings = min(reports, key=lambda r: r[0])
    render_seconds = min(renders)
    ratio = report_seconds / render_seconds
    path = RESULTS / "insights.json"
    existing = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    existing.update(
        {
            "report_vs_render": round(ratio, 3),
            "report_figures": {
                "ran_at": datetime.now(UTC).isoformat(),
                "database": connection.vendor,
                "contracts": CONTRACTS,
                "region": "220000",
                "report_seconds": round(report_seconds, 3),
                "report_seconds_all_runs": [round(r[0], 3) for r in reports],
                "report_steps_seconds": timings,
                "render_seconds": round(render_seconds, 3),
                "render_seconds_all_runs": [round(r, 3) for r in renders],
                "html_bytes": len(markup.encode()),
                "pdf_bytes": pdf_bytes,
                "goal": f"report_vs_render <= {GOAL}",
                "met": ratio <= GOAL,
            },
        }
    )
    RESULTS.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(existing, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(
        json.dumps(
            {k: existing[k] for k in ("report_vs_render", "report_figures")}, ensure_ascii=False, indent=2
        )
    )

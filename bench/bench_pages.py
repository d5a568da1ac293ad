"""Pages under load: requests/s of the portal's busiest pages next to a bare Django view.

The demo (``zhouqiao demo``) is loaded into a SQLite file; gunicorn serves it with 2 sync workers,
``DEBUG`` off and the product's middleware (``bench.pages_site.settings``: the product settings plus
the bare view, cookies not marked Secure since the run speaks plain HTTP). ``wrk`` (Debian's; the
bench installs it with apt-get if missing) drives each page over loopback for ``BENCH_PAGES_SECONDS``
(30 s) with one thread and 4 connections, in 3 slices alternating with 3 slices of the bare view, so
that both sides of each ratio run under the same load (other processes share the machine):

- ``bare``: ``/bench/bare/`` — one query for 20 published achievements rendered as a table by a
  one-string template, through the same middleware;
- the home page, the achievement list with filters, an achievement's detail page, the search page with
  a query, and the workspace of a signed-in user (``enterprise``: the session cookie comes from
  logging in through the form with its CSRF token).

Goal: every page ≥ 0.5 × the bare view's requests/s. The load average before and after is recorded.

Beside them, ``per_request``: each page's CPU time per request in one process (Django's test client
on the same database, ``bench.pages_site.per_request``), next to the bare view's in alternating
blocks — the figure that moves least when other processes share the machine.

    python -m bench pages            # or: python -m bench bench_pages
"""

import json
import os
import platform
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import httpx

from bench.common import write_result

ROOT = Path(__file__).resolve().parent.parent
SECONDS = int(os.environ.get("BENCH_PAGES_SECONDS", "30"))
CONNECTIONS = int(os.environ.get("BENCH_PAGES_CONNECTIONS", "4"))
SLICES = 3
WORKERS = 2
GOAL = 0.5
USER = "enterprise"
PASSWORD = "Zhouqiao@2026"
SEARCH_QUERY = "碳化硅"
RATE_SCOPES = ("SEARCH", "LOGIN", "REGISTER", "PASSWORD_RESET", "NOVELTY", "BID")


def _bin(name: str) -> str:
    local = Path(sys.executable).parent / name
    return str(local) if local.exists() else name


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    print("installing wrk (apt-get)", flush=True)
    apt = ["apt-get", "-y", "-q", "install", "wrk"]
    if subprocess.run(apt, capture_output=True).returncode != 0:
        subprocess.run(["apt-get", "-q", "update"], capture_output=True, check=False)
        subprocess.run(apt, capture_output=True, check=True)
    return shutil.which("wrk") or "wrk"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(env: dict) -> None:
    zq = _bin("zhouqiao")
    for args in (["migrate", "-v0"], ["demo"], ["collectstatic", "--noinput", "-v0"]):
        t = time.perf_counter()
        done = subprocess.run([zq, *args], env=env, cwd=ROOT, capture_output=True, text=True)
        if done.returncode:
            raise RuntimeError(
                f"zhouqiao {' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}"
            )
        print(f"zhouqiao {args[0]}: {time.perf_counter() - t:.1f} s", flush=True)


def targets(db: Path) -> dict[str, str]:
    """The pages' addresses, picked from the loaded demo."""
    con = sqlite3.connect(db)
    try:
        (detail_pk,) = con.execute(
            "SELECT id FROM catalog_achievement WHERE status='published' ORDER BY published_at DESC, id DESC"
        ).fetchone()
        (filtered,) = con.execute(
            "SELECT count(*) FROM catalog_achievement a JOIN core_region r ON r.code = a.region_id "
            "WHERE a.status='published' AND a.readiness >= 3 AND r.code LIKE '2201%'"
        ).fetchone()
    finally:
        con.close()
    assert filtered > 0, "the filtered list would be empty"
    return {
        "home": "/",
        "achievement_list": "/catalog/achievements/?region=220100&trl_min=3",
        "achievement_detail": f"/catalog/achievements/{detail_pk}/",
        "search": f"/search/?q={quote(SEARCH_QUERY)}",
        "workspace": "/workspace/",
    }


def log_in(base: str) -> str:
    """Sign in through the login form (CSRF token and cookie from the GET); return the session id."""
    with httpx.Client(base_url=base, follow_redirects=False, timeout=30) as client:
        page = client.get("/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        answer = client.post(
            "/login/",
            data={"csrfmiddlewaretoken": token, "username": USER, "password": PASSWORD, "next": ""},
            headers={"Referer": f"{base}/login/"},
        )
        assert answer.status_code == 302, f"login failed: {answer.status_code}"
        return client.cookies["sessionid"]


def wait_until_up(base: str, server: subprocess.Popen) -> None:
    for _ in range(300):
        if server.poll() is not None:
            raise RuntimeError("gunicorn exited")
        try:
            if httpx.get(f"{base}/bench/bare/", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer")


def check(base: str, path: str, cookie: str | None, expect: str) -> None:
    """The page answers 200 with its content (not a login redirect or an error page)."""
    cookies = {"sessionid": cookie} if cookie else None
    for _ in range(5):  # warm both workers
        r = httpx.get(base + path, cookies=cookies, timeout=30)
    assert r.status_code == 200, f"{path}: {r.status_code}"
    assert expect in r.text, f"{path}: {expect!r} not on the page"


def wrk(binary: str, url: str, cookie: str | None, seconds: int) -> dict:
    cmd = [binary, "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    if cookie:
        cmd += ["-H", f"Cookie: sessionid={cookie}"]
    done = subprocess.run([*cmd, url], capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"wrk failed on {url}: {done.stdout}{done.stderr}")
    out = done.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)

    def latency(pct: str) -> float | None:
        m = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        if not m:
            return None
        return round(float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)], 1)

    return {
        "rps": round(rps, 1),
        "requests": requests,
        "non_2xx": int(bad.group(1)) if bad else 0,
        "socket_errors": errors.group(1).strip() if errors else "",
        "p50_ms": latency("50"),
        "p99_ms": latency("99"),
    }


def _combined(runs: list[dict]) -> dict:
    """Several wrk runs of equal length as one: requests/s over their whole time, errors summed."""
    return {
        "rps": round(sum(r["rps"] for r in runs) / len(runs), 1),
        "requests": sum(r["requests"] for r in runs),
        "non_2xx": sum(r["non_2xx"] for r in runs),
        "p50_ms": statistics.median(r["p50_ms"] for r in runs if r["p50_ms"] is not None),
        "p99_ms_worst_slice": max(r["p99_ms"] for r in runs if r["p99_ms"] is not None),
    }


def per_request_figures(env: dict, pages: dict[str, str]) -> dict:
    """CPU ms per request of each page and of the bare view in one process (see the module doc)."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.pages_site.per_request",
            json.dumps(pages),
            USER,
            PASSWORD,
            "workspace",
        ],
        env={**env, "DJANGO_SETTINGS_MODULE": "bench.pages_site.settings"},
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise RuntimeError(f"per-request timing failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run() -> None:
    binary = ensure_wrk()
    work = Path(tempfile.mkdtemp(prefix="zq-bench-pages-"))
    db = work / "pages.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db}",
        "STATIC_ROOT": str(work / "static"),
        "MEDIA_ROOT": str(work / "media"),
        "ZHOUQIAO_HOME": str(work),
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(ROOT / "src"), str(ROOT), os.environ.get("PYTHONPATH", "")])
        ),
        # Rate limits stay on (their cost is part of a page's) but so high that the load generator,
        # one address sending thousands of requests a minute, is never refused.
        **{
            f"RATELIMIT_{scope}_{kind}": "100000000/1m" for scope in RATE_SCOPES for kind in ("IP", "ACCOUNT")
        },
    }
    prepare({**env, "DJANGO_SETTINGS_MODULE": "bench.pages_site.settings"})
    pages = targets(db)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            _bin("gunicorn"),
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "zhouqiao.wsgi:application",
        ],
        env={**env, "DJANGO_SETTINGS_MODULE": "bench.pages_site.settings"},
        cwd=ROOT,
    )
    try:
        wait_until_up(base, server)
        cookie = log_in(base)
        expected = {
            "home": "舟桥",
            "achievement_list": "科技成果",
            "achievement_detail": "科技成果",
            "search": SEARCH_QUERY,
            "workspace": "工作台",
        }
        check(base, "/bench/bare/", None, "<table>")
        for name, path in pages.items():
            check(base, path, cookie if name == "workspace" else None, expected[name])
        load_before = os.getloadavg()
        print(f"load average before: {load_before}", flush=True)
        # Each page runs in SLICES slices alternating with slices of the bare view, so that both sides
        # of its ratio see the same load (other processes share the machine); SECONDS in all per side.
        piece = max(1, SECONDS // SLICES)
        results, bare_all = {}, []
        for name, path in pages.items():
            cookie_of = cookie if name == "workspace" else None
            page_runs, bare_runs = [], []
            for n in range(SLICES):
                print(f"{name} {n + 1}/{SLICES} …", flush=True)
                bare_runs.append(wrk(binary, f"{base}/bench/bare/", None, piece))
                page_runs.append(wrk(binary, base + path, cookie_of, piece))
            bare_all += bare_runs
            results[name] = {
                **_combined(page_runs),
                "bare_rps": _combined(bare_runs)["rps"],
                "path": path,
                "slices": page_runs,
            }
        load_after = os.getloadavg()
        per_request = per_request_figures(env, pages)
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)
    for figures in results.values():
        figures["ratio"] = round(figures["rps"] / figures["bare_rps"], 3)
        figures["meets_goal"] = figures["ratio"] >= GOAL
    write_result(
        "pages",
        {
            "conditions": (
                f"SQLite file with the demo data; gunicorn {WORKERS} sync workers, DEBUG off, the product's "
                f"middleware; wrk 1 thread, {CONNECTIONS} connections over loopback; each page {SECONDS} s in "
                f"{SLICES} slices alternating with as many slices of the bare view, its ratio against those"
            ),
            "bare": {**_combined(bare_all), "path": "/bench/bare/"},
            "pages": results,
            "per_request": {
                "conditions": (
                    "one process, Django's test client on the same database; CPU ms per request, median "
                    "of 15 blocks of 20 requests alternating with blocks of the bare view"
                ),
                "pages": per_request,
            },
            "goal": GOAL,
            "meets_goal": all(f["meets_goal"] for f in results.values()),
            "machine": {
                "load_avg": {
                    "before": [round(x, 2) for x in load_before],
                    "after": [round(x, 2) for x in load_after],
                },
                "cores": os.cpu_count(),
                "platform": platform.platform(),
            },
        },
    )

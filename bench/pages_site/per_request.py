"""CPU time per request of each page and of the bare view, in one process (Django's test client).

Run by ``bench_pages`` on its database, beside the wrk figures: with other processes sharing the
machine, requests/s over loopback move with their load, while CPU time per request in one process
moves far less. Page and bare view are timed in alternating blocks, so that both see the same
conditions; the medians of the blocks are reported, with the page's query count.

    python -m bench.pages_site.per_request '{"home": "/", ...}' USER PASSWORD   # prints JSON
"""

import json
import re
import statistics
import sys
import time

ROUNDS = 15
BLOCK = 20


def main(pages: dict[str, str], user: str, password: str, signed_in: tuple[str, ...]) -> dict:
    import django

    django.setup()
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    visitor, member = Client(), Client()
    form = member.get("/login/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    answer = member.post(
        "/login/", {"csrfmiddlewaretoken": token, "username": user, "password": password, "next": ""}
    )
    assert answer.status_code == 302, f"login failed: {answer.status_code}"

    def block(client, path: str) -> float:
        start = time.process_time()
        for _ in range(BLOCK):
            client.get(path)
        return (time.process_time() - start) / BLOCK * 1000

    figures = {}
    for name, path in pages.items():
        client = member if name in signed_in else visitor
        for _ in range(5):  # warm both (caches, the session's first request)
            assert client.get(path).status_code == 200, path
            visitor.get("/bench/bare/")
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        count = len(queries)  # now: the next request empties the log it reads from
        page, bare = [], []
        for _ in range(ROUNDS):
            bare.append(block(visitor, "/bench/bare/"))
            page.append(block(client, path))
        figures[name] = {
            "cpu_ms": round(statistics.median(page), 2),
            "bare_cpu_ms": round(statistics.median(bare), 2),
            "page_over_bare": round(statistics.median(page) / statistics.median(bare), 2),
            "queries": count,
        }
    return figures


if __name__ == "__main__":
    pages, user, password = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3]
    signed_in = tuple(sys.argv[4].split(",")) if len(sys.argv) > 4 else ()
    print(json.dumps(main(pages, user, password, signed_in)))

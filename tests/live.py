"""Real HTTP clients against the live test server, for concurrency tests.

    clients = [logged_in_client(live_server.url, "user1", PASSWORD) for _ in range(16)]
    results = run_together([lambda c=c: c.post(...) for c in clients])

``run_together`` starts every call at once behind a barrier and returns their results in order.
"""

import re
import threading

import httpx


def logged_in_client(base_url: str, username: str, password: str) -> httpx.Client:
    client = httpx.Client(base_url=base_url, timeout=60, follow_redirects=False)
    page = client.get("/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = client.post(
        "/login/", data={"username": username, "password": password, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302, f"login failed for {username}"
    client.headers["X-CSRFToken"] = client.cookies["csrftoken"]
    client.headers["Referer"] = base_url + "/"
    return client


def run_together(calls, timeout: float = 120):
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def worker(index, call):
        barrier.wait()
        try:
            results[index] = call()
        except Exception as exc:  # surfaced to the test as a result
            results[index] = exc

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    return results

"""schemathesis over the whole OpenAPI document (issue 17, "Done means"): every operation, called
in-process through the WSGI application with a write token of the demo's enterprise administrator
(`enterprise`) and of its provincial staff member (`province_staff`), answers no 5xx and only
responses that match the schema it declares.

It runs on the demo data (loaded once per test process, tests/demo_snapshot.py, so in the SQLite
pass), so that lists and records come back filled and their schemas are really checked; integer
path parameters are drawn half of the time from 1–30, where the demo's records are.

The operations are read from the OpenAPI document when the test runs, so an endpoint added later
is fuzzed without editing this file. Bounded and deterministic: ``MAX_EXAMPLES`` generated cases
per operation and token (Hypothesis' explicit and generate phases, derandomised, no example
database), in one test per token so that every failing operation is listed at once."""

import time
from collections import Counter

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, connection
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.demo_snapshot import load_demo
from zhouqiao.accounts.models import TokenScope, User
from zhouqiao.accounts.services import create_api_token

MAX_EXAMPLES = 5  # ~900 requests per token, ~16 s of CPU on the CI machine
CHECKS = [not_a_server_error, response_schema_conformance]
FUZZ_SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
DEMO_IDS = st.integers(min_value=1, max_value=30)


@pytest.fixture(scope="module")
def schema():
    from zhouqiao.api import api

    raw = api.get_openapi_schema()
    loaded = schemathesis.openapi.from_dict(raw)
    loaded.app = get_wsgi_application()
    return loaded, raw


@pytest.fixture
def in_process():
    """Requests through the WSGI handler on the test's connection, as Django's test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _token(user) -> str:
    _, key = create_api_token(actor=user, name="fuzz", scope=TokenScope.WRITE, days=30, now=timezone.now())
    return key


def _integer_path_parameters(raw, operation) -> list[str]:
    parameters = raw["paths"][operation.path][operation.method.lower()].get("parameters", [])
    return [
        p["name"]
        for p in parameters
        if p.get("in") == "path" and p.get("schema", {}).get("type") == "integer"
    ]


def _strategy(raw, operation):
    generated = operation.as_strategy()
    names = _integer_path_parameters(raw, operation)
    if not names:
        return generated
    on_demo_records = DEMO_IDS.flatmap(
        lambda pk: operation.as_strategy(path_parameters=dict.fromkeys(names, pk))
    )
    return st.one_of(generated, on_demo_records)


def _fuzz(schema, raw, user) -> tuple[list[str], Counter]:
    headers = {"Authorization": f"Bearer {_token(user)}"}
    failures, answers = [], Counter()
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation is None:
            failures.append(f"unreadable operation: {result.err()}")
            continue

        @FUZZ_SETTINGS
        @given(case=_strategy(raw, operation))
        def run(case):
            response = case.call_and_validate(headers=headers, checks=CHECKS)
            answers[response.status_code] += 1

        try:
            run()
        except Exception as exc:  # every failing operation is reported, not only the first
            failures.append(f"{operation.method.upper()} {operation.path}: {str(exc)[:1500]}")
    return failures, answers


@pytest.mark.parametrize("username", ["enterprise", "province_staff"])
def test_whole_openapi_answers_without_server_errors_or_schema_violations(
    schema, in_process, transactional_db, reference, username
):
    if connection.vendor != "sqlite":
        pytest.skip("fuzzes the demo, which is loaded on SQLite (tests/demo_snapshot.py)")
    load_demo()
    loaded, raw = schema
    started = time.process_time()
    failures, answers = _fuzz(loaded, raw, User.objects.get(username=username))
    print(f"{sum(answers.values())} requests in {time.process_time() - started:.1f} s of CPU")
    assert not failures, f"{len(failures)} operations failed:\n\n" + "\n\n".join(failures)
    print(sorted(answers.items()))
    # The token worked (reads answered 200) and the generated requests reached the views.
    assert answers[200] > 50 and answers[401] == 0

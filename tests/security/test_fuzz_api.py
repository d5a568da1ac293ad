"""schemathesis over the whole OpenAPI document (issue 17, "Done means"): every operation, called
in-process through the WSGI application with a write token of an enterprise administrator and of
a provincial staff member, answers no 5xx and only responses that match the schema it declares.

The operations are read from the OpenAPI document when the test runs, so an endpoint added later
is fuzzed without editing this file. Bounded and deterministic: ``MAX_EXAMPLES`` generated cases
per operation and token (Hypothesis' explicit and generate phases, derandomised, no example
database), in one test per token so that every failing operation is listed at once."""

from collections import Counter

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.factories import OrganisationFactory, member_of, staff_in
from zhouqiao.accounts.models import Duty, TokenScope
from zhouqiao.accounts.services import create_api_token

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 6
CHECKS = [not_a_server_error, response_schema_conformance]
FUZZ_SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(scope="module")
def schema():
    app = get_wsgi_application()
    from zhouqiao.api import api

    loaded = schemathesis.openapi.from_dict(api.get_openapi_schema())
    loaded.app = app
    return loaded


@pytest.fixture
def in_process():
    """Requests through the WSGI handler inside the test's transaction: keep the connection open
    between requests, as Django's test client does."""
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


def _enterprise_admin(reference):
    org = OrganisationFactory(name="长春模糊测试汽车有限公司", kind="enterprise", region_id="220104")
    return member_of(org, username="fuzz_enterprise")


def _province_staff(reference):
    return staff_in("220000", Duty.REVIEWER, Duty.REGISTRAR, Duty.FINANCE, username="fuzz_staff")


def _fuzz(schema, user) -> tuple[list[str], Counter]:
    headers = {"Authorization": f"Bearer {_token(user)}"}
    failures, answers = [], Counter()
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation is None:
            failures.append(f"unreadable operation: {result.err()}")
            continue

        @FUZZ_SETTINGS
        @given(case=operation.as_strategy())
        def run(case):
            response = case.call_and_validate(headers=headers, checks=CHECKS)
            answers[response.status_code] += 1

        try:
            run()
        except Exception as exc:  # every failing operation is reported, not only the first
            failures.append(f"{operation.method.upper()} {operation.path}: {str(exc)[:1500]}")
    return failures, answers


@pytest.mark.parametrize("who", [_enterprise_admin, _province_staff], ids=["enterprise", "staff"])
def test_whole_openapi_answers_without_server_errors_or_schema_violations(schema, in_process, reference, who):
    user = who(reference)
    failures, answers = _fuzz(schema, user)
    assert not failures, f"{len(failures)} operations failed:\n\n" + "\n\n".join(failures)
    print(sorted(answers.items()))
    # The token worked (reads answered 200) and the generated requests reached the views.
    assert answers[200] > 50 and answers[401] == 0

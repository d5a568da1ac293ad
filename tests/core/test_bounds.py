"""Bounded input on the whole API (issue 17, items 3 and 6): amounts through the one parser,
offset/limit/year bounded, JSON depth bounded, the JSON error shape for every 4xx/5xx.

The operations are read from the OpenAPI document, so an endpoint added later with an amount, a
page or a year is covered without editing this file."""

import json
import os
import subprocess
import sys
from decimal import Decimal

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import OrganisationFactory, member_of, staff_in
from zhouqiao.accounts.models import Duty
from zhouqiao.core.bounds import MAX_OFFSET, json_depth
from zhouqiao.core.models import AuditEvent
from zhouqiao.core.money import AmountError, parse_amount

pytestmark = pytest.mark.django_db


def _openapi():
    from zhouqiao.api import api

    return api.get_openapi_schema()


SCHEMA = _openapi()
COMPONENTS = SCHEMA["components"]["schemas"]


def _resolve(schema):
    while "$ref" in schema:
        schema = COMPONENTS[schema["$ref"].split("/")[-1]]
    return schema


def _is_amount(schema) -> bool:
    schema = _resolve(schema)
    return "properties" not in schema and "金额（元）" in json.dumps(schema, ensure_ascii=False)


def _sample(schema):
    """A value of the schema's type that passes validation (amounts: 1000.00)."""
    schema = _resolve(schema)
    if _is_amount(schema):
        return "1000.00"
    if "anyOf" in schema:
        return _sample(next(s for s in schema["anyOf"] if s.get("type") != "null"))
    kind, fmt = schema.get("type"), schema.get("format")
    if fmt == "date-time":
        return "2030-01-07T09:00:00+08:00"
    if fmt == "date":
        return "2030-01-07"
    if kind == "integer":
        return max(1, schema.get("minimum", 1))
    if kind == "number":
        return 1
    if kind == "boolean":
        return False
    if kind == "array":
        return []
    if kind == "object":
        return {
            k: _sample(v) for k, v in schema.get("properties", {}).items() if k in schema.get("required", [])
        }
    return "示例"


def _operations():
    for path, ops in SCHEMA["paths"].items():
        for method, op in ops.items():
            yield path, method, op


def _fill(path: str) -> str:
    """Path parameters: 1 for ids, a real region code, a kind."""
    out = []
    for part in path.split("/"):
        if part.startswith("{"):
            name = part.strip("{}")
            part = {"code": "220000", "kind": "achievement", "move": "approve", "action": "approve"}.get(
                name, "1"
            )
        out.append(part)
    return "/".join(out)


AMOUNT_FIELDS = [
    (method, path, name)
    for path, method, op in _operations()
    if method in ("post", "put", "patch")
    for body in [op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")]
    if body
    for name, prop in _resolve(body).get("properties", {}).items()
    if _is_amount(prop)
]
PAGED = [
    path
    for path, method, op in _operations()
    if method == "get" and {"limit", "offset"} <= {p["name"] for p in op.get("parameters", [])}
]
YEARS = [
    path
    for path, method, op in _operations()
    if method == "get" and "year" in {p["name"] for p in op.get("parameters", []) if p["in"] == "query"}
]


def test_the_walk_finds_the_endpoints_the_issue_names():
    fields = {(path, name) for _m, path, name in AMOUNT_FIELDS}
    assert ("/api/v1/contracts", "contract_amount") in fields
    assert ("/api/v1/facilities/instruments/{instrument_id}/prices", "unit_price") in fields
    assert ("/api/v1/vouchers/applications", "amount") in fields
    assert ("/api/v1/vouchers/pools/{pool_id}/adjust", "amount") in fields
    assert ("/api/v1/market/auctions/{auction_id}/bids", "amount") in fields
    assert ("/api/v1/market/auctions", "reserve_price") in fields
    assert "/api/v1/catalog/achievements" in PAGED and "/api/v1/audit" in PAGED
    assert len(PAGED) >= 14
    assert {"/api/v1/contracts/statistics", "/api/v1/facilities/evaluation.xlsx"} <= set(YEARS)


@pytest.fixture
def user(reference):
    """Signed in with every staff duty and an organisation: past authentication on every endpoint."""
    org = OrganisationFactory(name="长春边界测试有限公司", region_id="220104")
    person = member_of(org, username="bounds_user")
    staff = staff_in("220000", Duty.REVIEWER, Duty.REGISTRAR, Duty.FINANCE, username="bounds_staff")
    return person, staff


@pytest.fixture
def api(user):
    client = Client(raise_request_exception=False)
    client.force_login(user[0])
    return client


@pytest.fixture
def staff_api(user):
    client = Client(raise_request_exception=False)
    client.force_login(user[1])
    return client


def _send(client, method, path, body):
    return getattr(client, method)(
        _fill(path), json.dumps(body), content_type="application/json", HTTP_IDEMPOTENCY_KEY="bounds-1"
    )


def _expected_message(value) -> str:
    try:
        parse_amount(Decimal(str(value)) if isinstance(value, float) else value)
    except AmountError as exc:
        return str(exc)
    raise AssertionError(f"{value!r} is an amount")


BAD_AMOUNTS = ["1e20", "1e30", "340000.001", "1000000000000", "NaN", "12,34x"]


@pytest.mark.parametrize(("method", "path", "field"), AMOUNT_FIELDS, ids=lambda v: str(v))
def test_it_refuses_amounts_out_of_bounds_on_every_endpoint(api, method, path, field):
    op = SCHEMA["paths"][path][method]
    body_schema = _resolve(op["requestBody"]["content"]["application/json"]["schema"])
    body = _sample(body_schema)
    before = AuditEvent.objects.count()
    for bad in [*BAD_AMOUNTS, 1e30, "-5" if "adjust" not in path else "-1e20"]:
        response = _send(api, method, path, {**body, field: bad})
        assert response.status_code == 422, (path, field, bad, response.content[:300])
        data = response.json()
        assert data["code"] == "validation_failed"
        assert data["message"] == _expected_message(bad), (bad, data["message"])
        assert any(e["loc"][-1] == field for e in data["detail"]["errors"])
    assert AuditEvent.objects.count() == before  # nothing written
    # The control: the same body with a good amount is not refused for its amount.
    response = _send(api, method, path, {**body, field: "340000.50"})
    assert response.status_code < 500
    if response.status_code == 422:
        assert all(e["loc"][-1] != field for e in response.json()["detail"].get("errors", []))


def test_a_json_number_with_three_places_is_refused_not_rounded(api):
    response = _send(api, "post", "/api/v1/market/auctions/{auction_id}/bids", {"amount": 340000.001})
    assert response.status_code == 422
    assert response.json()["message"] == "金额最多保留两位小数（到分）"


@pytest.mark.parametrize("path", PAGED)
def test_every_list_endpoint_bounds_offset_and_limit(staff_api, path):
    for query in (
        "offset=-1",
        "limit=-5",
        "limit=0",
        "limit=100000",
        f"offset={MAX_OFFSET + 1}",
        "offset=1e30",
    ):
        response = staff_api.get(f"{_fill(path)}?{query}")
        assert response.status_code == 422, (path, query, response.content[:200])
        assert response.json()["code"] == "validation_failed"
    response = staff_api.get(f"{_fill(path)}?offset={MAX_OFFSET}&limit=200")
    assert response.status_code in (200, 403), (path, response.content[:200])
    if response.status_code == 200:
        assert response.json() == [] or isinstance(response.json(), list)


def test_a_huge_offset_on_the_public_achievements_is_answered_at_once(client, reference):
    assert client.get(f"/api/v1/catalog/achievements?offset={MAX_OFFSET}").json() == []
    response = client.get("/api/v1/catalog/achievements?offset=99999999999999999999")
    assert response.status_code == 422
    assert response.json()["code"] == "validation_failed"


@pytest.mark.parametrize("path", YEARS)
def test_every_year_parameter_is_bounded(staff_api, path):
    for year in ("0", "100000", "-2024", "1979", "2101"):
        response = staff_api.get(f"{_fill(path)}?year={year}")
        assert response.status_code == 422, (path, year, response.content[:200])
    assert staff_api.get(f"{_fill(path)}?year=2026").status_code < 500


# --- JSON bodies ------------------------------------------------------------------------------------


def test_json_nested_deeper_than_the_bound_is_refused_in_the_error_shape(api):
    url = "/api/v1/market/auctions/1/bids"
    for depth in (33, 5000):
        body = "[" * depth + "]" * depth
        response = api.post(url, body, content_type="application/json")
        assert response.status_code == 400, depth
        assert response.json()["code"] == "json_too_deep"
        assert "嵌套过深" in response.json()["message"]
    nested = {"amount": "1000.00", "extra": json.loads("[" * 20 + "]" * 20)}
    assert api.post(url, json.dumps(nested), content_type="application/json").status_code != 400


def test_a_body_that_is_not_json_is_answered_in_the_error_shape(api):
    response = api.post("/api/v1/market/auctions/1/bids", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"code": "invalid_json", "message": "请求内容不是有效的 JSON。", "detail": {}}


def test_json_depth_counts_without_recursion():
    assert json_depth(1) == 0 and json_depth([]) == 1 and json_depth({"a": [{"b": []}]}) == 4


# --- DEBUG and the error shape ----------------------------------------------------------------------


def test_debug_is_off_unless_the_environment_turns_it_on(tmp_path):
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    env = {
        "PATH": os.environ.get("PATH", ""),
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": "zhouqiao.settings",
    }
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    off = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    on = subprocess.run(
        [sys.executable, "-c", code], env={**env, "DEBUG": "1"}, capture_output=True, text=True, check=True
    )
    assert (off.stdout.strip(), on.stdout.strip()) == ("False", "True")


def test_an_unknown_api_path_answers_json_and_a_page_answers_the_chinese_page(client, reference, settings):
    settings.DEBUG = False
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "not_found"
    page = client.get("/no-such-page/")
    assert page.status_code == 404 and "text/html" in page["Content-Type"]
    assert "页面不存在" in page.content.decode()


def test_a_server_error_in_the_api_answers_the_json_shape(reference, settings, monkeypatch):
    settings.DEBUG = False
    from zhouqiao.core import api as core_api

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(core_api, "_region", broken)
    response = Client(raise_request_exception=False).get("/api/v1/regions/220000")
    assert response.status_code == 500
    assert response.json() == {"code": "server_error", "message": "服务器出错，请稍后再试。", "detail": {}}
    assert b"boom" not in response.content and b"Traceback" not in response.content


def test_the_test_client_still_raises_the_api_s_server_errors(reference, monkeypatch):
    """The signal keeps bugs loud in tests: a handled 500 is re-raised by Django's test client."""
    from zhouqiao.core import api as core_api

    monkeypatch.setattr(core_api, "_region", lambda *a, **k: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        Client().get("/api/v1/regions/220000")


# --- never a server error: random values on a sample of endpoints ------------------------------------

SAMPLE_GETS = [
    "/api/v1/catalog/achievements",
    "/api/v1/catalog/demands",
    "/api/v1/market/listings",
    "/api/v1/vouchers/services",
    "/api/v1/facilities/instruments",
    "/api/v1/organisations",
]
SAMPLE_YEARS = ["/api/v1/contracts/statistics", "/api/v1/vouchers/pools", "/api/v1/facilities/evaluation"]
NUMBERISH = st.one_of(
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.sampled_from(["", "-0", "1e30", "NaN", "inf", "0x10", "１２", "9" * 50, "1.5", " 3 "]),
)
AMOUNTISH = st.one_of(
    NUMBERISH,
    st.decimals(allow_nan=True, allow_infinity=True, places=None).map(str),
    st.floats(allow_nan=False, allow_infinity=False),
    st.integers(min_value=-(10**30), max_value=10**30),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(SAMPLE_GETS), offset=NUMBERISH, limit=NUMBERISH)
def test_random_pages_never_give_a_server_error(staff_api, path, offset, limit):
    response = staff_api.get(path, {"offset": offset, "limit": limit})
    assert response.status_code < 500, (path, offset, limit)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(SAMPLE_YEARS), year=NUMBERISH)
def test_random_years_never_give_a_server_error(staff_api, path, year):
    response = staff_api.get(path, {"year": year})
    assert response.status_code < 500, (path, year)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(target=st.sampled_from(AMOUNT_FIELDS), amount=AMOUNTISH)
def test_random_amounts_never_give_a_server_error(api, target, amount):
    method, path, field = target
    body = _sample(SCHEMA["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"])
    response = _send(api, method, path, {**body, field: amount})
    assert response.status_code < 500, (path, field, amount, response.content[:300])
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("year", ["0", "100000", "-5", "abc"])
def test_the_evaluation_pages_take_any_year_without_a_server_error(user, year):
    client = Client(raise_request_exception=False)
    client.force_login(user[1])
    assert client.get("/facilities/evaluation/", {"year": year}).status_code == 200
    assert client.get("/facilities/evaluation/export.xlsx", {"year": year}).status_code == 200
    assert client.get("/contracts/statistics/", {"year": year}).status_code < 500

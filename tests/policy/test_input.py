"""Input that cannot slip through (issue 16): the calculator's API, page and command line refuse
what the engine must not compute on — naming the field — and never answer with a 500 or a
traceback, whatever JSON arrives."""

import json
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhouqiao.policy import engine

CASE = {
    "date": "2024-06-01",
    "contract_type": "技术转让",
    "contract_amount": "800000.00",
    "technology_amount": "800000.00",
    "seller": {"type": "university", "region": "220102"},
    "buyer": {"type": "enterprise", "region": "220104"},
    "broker": None,
    "transfer_institution": {"registered": True, "region": "220102"},
    "consumed": {},
}


def post(client, body, raw=False):
    data = body if raw else json.dumps(body, ensure_ascii=False)
    return client.post("/api/v1/policy/calculate", data=data, content_type="application/json")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"contract_amount": "1e26"}, "contract_amount"),
        ({"contract_amount": "100000000000000000000000000"}, "contract_amount"),
        ({"contract_amount": "800000.001"}, "contract_amount"),
        ({"contract_amount": "-1"}, "contract_amount"),
        ({"seller": {"type": "university", "region": "220199"}}, "seller.region"),
        ({"buyer": {"type": "enterprise", "region": "999999"}}, "buyer.region"),
        ({"buyer": {"type": "enterprise", "region": 220104}}, "buyer.region"),
        ({"seller": {"type": "university", "regoin": "220102"}}, "seller.regoin"),
        (
            {"transfer_institution": {"registered": "yes", "region": "220102"}},
            "transfer_institution.registered",
        ),
        ({"date": 20240601}, "date"),
        ({"date": "2024-6-1"}, "date"),
        ({"contract_type": ["技术转让"]}, "contract_type"),
        (
            {"consumed": {"transfer_institution": {"001#09": "900000.00"}}},
            "consumed.transfer_institution.001#09",
        ),
        ({"consumed": {"seller": {"001#15": "1e7"}}}, "consumed.seller.001#15"),
        ({"consumed": {"nobody": {}}}, "consumed.nobody"),
        ({"costs": "900000.00"}, "costs"),
        ({"extra": 1}, "extra"),
    ],
)
def test_the_api_refuses_and_names_the_field(client, db, change, field):
    response = post(client, {**CASE, **change})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_failed" and field in body["detail"]
    assert (
        engine.field_label(field.split(".")[0]) in body["message"] or field.split(".")[0] in body["message"]
    )


def test_the_api_refuses_bodies_that_are_not_utf8_json(client, db):
    gbk = json.dumps(CASE, ensure_ascii=False).encode("gbk")
    for body in (gbk, b"{", b"[" * 100000 + b"]" * 100000, b'{"contract_amount": NaN}'):
        response = post(client, body, raw=True)
        assert response.status_code == 422, body[:20]
        assert "input" in response.json()["detail"]


def test_the_consumed_cap_is_not_bypassed_by_an_unknown_key(client, db):
    capped = {**CASE, "consumed": {"transfer_institution": {"001#9": "1000000.00"}}}
    rows = post(client, capped).json()
    assert "cc_transfer_institution_turnover" not in {r["rule"] for r in rows}  # the year's cap is used up


def test_the_command_line_exits_2_naming_the_field(tmp_path, db):
    path = tmp_path / "case.json"
    path.write_text(json.dumps({**CASE, "contract_amount": "1e26"}), encoding="utf-8")
    with pytest.raises(CommandError) as info:
        call_command("policy-calc", "--input", str(path))
    assert info.value.returncode == 2 and str(info.value).startswith("contract_amount:")
    path.write_text(
        json.dumps({**CASE, "seller": {"type": "university", "regoin": "220102"}}), encoding="utf-8"
    )
    with pytest.raises(CommandError) as info:
        call_command("policy-calc", "--input", str(path))
    assert info.value.returncode == 2 and "seller.regoin" in str(info.value)


def test_a_gbk_file_is_a_clear_error_with_exit_code_2(tmp_path):
    path = tmp_path / "case.json"
    path.write_bytes(json.dumps(CASE, ensure_ascii=False).encode("gbk"))
    done = subprocess.run(
        [sys.executable, "-m", "zhouqiao", "policy-calc", "--input", str(path)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert "UTF-8" in done.stderr and "Traceback" not in done.stderr


def test_the_page_takes_what_was_consumed_and_refuses_on_the_field(client, reference):
    form = {
        "date": "2024-06-01",
        "contract_type": "技术服务",
        "contract_amount": "800000.00",
        "technology_amount": "800000.00",
        "seller_type": "enterprise",
        "seller_region": "220102",
        "buyer_type": "enterprise",
        "buyer_region": "220104",
    }
    html = client.post("/policy/calculator/", form).content.decode()
    assert 'name="consumed__registrant__001_18"' in html and "本年已享受" in html
    assert 'data-rule="cc_registration_subsidy"' in html
    used_up = {**form, "consumed__registrant__001_18": "1000000.00"}
    html = client.post("/policy/calculator/", used_up).content.decode()
    assert 'data-rule="cc_registration_subsidy"' not in html  # this year's cap is used up
    html = client.post("/policy/calculator/", {**form, "contract_amount": "1e26"}).content.decode()
    assert "金额须以数字书写" in html and 'id="results"' not in html
    html = client.post(
        "/policy/calculator/", {**form, "consumed__registrant__001_18": "abc"}
    ).content.decode()
    assert "金额须以数字书写" in html and 'id="results"' not in html


# --- property: random JSON never produces a 500 or a traceback --------------------------------

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.text(max_size=12)
    | st.sampled_from(
        ["1e26", "220199", "999999", "2024-06-01", "001#9", "001#09", "NaN", "-0", "800000.00"]
    ),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
KEYS = st.sampled_from(sorted(engine.CASE_KEYS) + ["seller.region", "seller.regoin", "consumed.seller"])


@st.composite
def mutated_cases(draw):
    """A valid case with some fields (top level or nested) replaced by random JSON."""
    case = json.loads(json.dumps(CASE))
    for key in draw(st.lists(KEYS, min_size=1, max_size=3)):
        head, _, rest = key.partition(".")
        value = draw(JSON)
        if rest and isinstance(case.get(head), dict):
            case[head][rest] = value
        else:
            case[head] = value
    return case


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.one_of(JSON, mutated_cases()))
def test_random_json_is_answered_200_or_422_never_500(client, db, body):
    response = post(client, body)
    assert response.status_code in (200, 422), response.content[:300]
    if response.status_code == 422:
        assert set(response.json()) >= {"code", "message", "detail"}


@settings(max_examples=300, deadline=None)
@given(body=st.one_of(JSON, mutated_cases()))
def test_the_engine_refuses_only_with_a_case_error(body):
    try:
        engine.calculate(body)
    except engine.CaseError as exc:
        assert exc.message and isinstance(exc.field, str)

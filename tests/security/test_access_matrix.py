"""The access matrix (issue 17, "Done means"): every page and API read, for every demo account of
the README and an anonymous visitor, answers as the permission table says
(``zhouqiao/web/access_table.py``), and every URL name and API operation has a row there.

The pages and operations come from the URLconf and the OpenAPI document when the test runs, so a
page added later without a row fails ``test_every_page_and_api_operation_has_a_row`` with the list
of the missing keys. The matrix itself walks the demo (``zhouqiao demo``), loaded once per test
process and shared with the journeys (tests/demo_snapshot.py), so it runs in the SQLite pass only.

Only who gets through matters here: the views run, their templates are not rendered (the apps'
page tests and the journeys render them), which keeps ~6,000 requests within the time budget."""

import logging
import re
import time
from collections.abc import Iterator

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.template.backends.django import Template
from django.test import Client
from django.urls import URLResolver, get_resolver

from tests.demo_snapshot import load_demo
from zhouqiao.accounts.models import User
from zhouqiao.web.access_table import LOGIN, POST_ONLY, TABLE, WRITE, Rule

# The README's demo accounts (its table "Demo accounts"), in three groups run as three tests.
ACCOUNT_GROUPS = {
    "anonymous-and-organisations": (
        None,
        "enterprise",
        "enterprise_jl",
        "enterprise_county",
        "university",
        "institute",
        "broker",
        "provider",
        "startup",
        "expert",
    ),
    "bureaus": (
        "province_staff",
        "province_finance",
        "city_staff",
        "city_policy_editor",
        "jilin_city_staff",
        "county_staff",
    ),
    "administrators-and-programs": ("security_admin", "audit_admin", "system_admin", "program_officer"),
}
# Form targets (POST_ONLY) are asked anonymously and as the first signed-in account of each group.
FORM_TARGET_ACCOUNTS = {
    None,
    *(group[1] if group[0] is None else group[0] for group in ACCOUNT_GROUPS.values()),
}
SKIPPED_NAMESPACES = ("api:", "admin:")  # the API is walked through its OpenAPI; Django's admin is off-limits


def _walk(patterns, prefix="", namespace=None) -> Iterator[tuple[str, str]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or namespace
            if namespace and pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}"
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif pattern.name:
            yield (f"{namespace}:" if namespace else "") + pattern.name, prefix + str(pattern.pattern)


def _sample(route: str) -> str:
    """The route with record 1 of the demo for each ``<int:…>`` and ``x`` for other arguments."""
    return "/" + re.sub(r"<(\w+):\w+>", lambda m: "1" if m.group(1) == "int" else "x", route)


def pages() -> dict[str, str]:
    return {
        name: _sample(route)
        for name, route in _walk(get_resolver().url_patterns)
        if not name.startswith(SKIPPED_NAMESPACES)
    }


def api_operations() -> dict[str, str]:
    from zhouqiao.api import api

    operations = {}
    for path, methods in api.get_openapi_schema()["paths"].items():
        for method in methods:
            sample = re.sub(r"\{\w+\}", "1", path)
            if any(p["name"] == "limit" for p in methods[method].get("parameters", [])):
                sample += "?limit=1"  # who may read a list does not depend on its length
            operations[f"{method.upper()} {path}"] = sample
    return operations


def test_every_page_and_api_operation_has_a_row():
    keys = set(pages()) | set(api_operations())
    missing = sorted(keys - TABLE.keys())
    stale = sorted(TABLE.keys() - keys)
    assert not missing, (
        f"{len(missing)} pages/API operations have no row in src/zhouqiao/web/access_table.py:\n"
        + "\n".join(f'    "{key}": Rule(...),' for key in missing)
    )
    assert not stale, "rows for pages/API operations that no longer exist:\n" + "\n".join(stale)


def _outcome(response) -> str | int:
    if 200 <= response.status_code < 300:
        return "ok"
    if response.status_code in (301, 302, 303, 307):
        return LOGIN if response["Location"].startswith("/login/") else "ok"
    return response.status_code


def _expected(rule: Rule, user) -> str | int:
    if rule.who(user):
        return "ok"
    if user.is_authenticated and rule.not_found(user):
        return 404
    return rule.refused if user.is_authenticated else rule.anonymous


@pytest.mark.parametrize("group", ACCOUNT_GROUPS)
def test_access_matrix(transactional_db, reference, group, monkeypatch, request):
    if connection.vendor != "sqlite":
        pytest.skip("walks the demo, which is loaded on SQLite (tests/demo_snapshot.py)")
    load_demo()
    monkeypatch.setattr(Template, "render", lambda self, context=None, request=None: "")
    logging.disable(logging.WARNING)  # thousands of expected 403/404 lines
    request.addfinalizer(lambda: logging.disable(logging.NOTSET))
    started = time.process_time()
    reads = {
        key: path
        for key, path in (pages() | api_operations()).items()
        if not key.startswith(("POST ", "PUT ", "PATCH ", "DELETE "))
    }
    mismatches, asked = [], 0
    for username in ACCOUNT_GROUPS[group]:
        client = Client(raise_request_exception=False)
        user = AnonymousUser()
        if username:
            user = User.objects.get(username=username)
            client.force_login(user)
        for key, path in reads.items():
            rule = TABLE.get(key)
            if rule is None or rule is WRITE:
                continue  # reported by test_every_page_and_api_operation_has_a_row
            if rule is POST_ONLY and username not in FORM_TARGET_ACCOUNTS:
                continue  # Django's require_POST answers 405 alike to everybody signed in
            asked += 1
            got, want = _outcome(client.get(path)), _expected(rule, user)
            if rule.health_check and got == 503:
                got = "ok"
            if got != want:
                mismatches.append(
                    f"{username or 'anonymous'}: GET {path} ({key}) → {got}, the table says {want}"
                )
    print(f"{group}: {asked} answers in {time.process_time() - started:.1f} s of CPU")
    assert not mismatches, f"{len(mismatches)} answers differ from the table:\n" + "\n".join(mismatches)

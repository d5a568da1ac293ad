"""Every input in the repeating rows of the contract form has its own accessible name."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_each_row_input_is_named_by_its_row(client, seller_user):
    client.force_login(seller_user)
    page = client.get("/contracts/new/").content.decode()
    for name, label in [
        ("items-0-kind", "第1行 类别"),
        ("items-1-amount", "第2行 金额（元）"),
        ("items-1-DELETE", "第2行 删除"),
        ("instalments-0-due_on", "第1期 约定支付日期"),
        ("instalments-1-note", "第2期 支付条件"),
    ]:
        tag = re.search(rf'<(?:input|select)[^>]*name="{name}"[^>]*>', page).group(0)
        assert f'aria-label="{label}"' in tag, tag
    row_inputs = re.findall(r'<(?:input|select)[^>]*name="(?:items|instalments)-\d-[^"]*"[^>]*>', page)
    assert row_inputs and all("aria-label=" in tag for tag in row_inputs)

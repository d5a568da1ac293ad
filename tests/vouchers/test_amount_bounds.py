"""Amounts typed on the voucher pages go through the one parser (issue 17, item 3): a real POST with
the CSRF token from the page, a Chinese form error, nothing written."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from zhouqiao.vouchers.models import Application, LedgerEntry

pytestmark = pytest.mark.django_db


def _csrf_client(user, page: str) -> tuple[Client, str]:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    html = client.get(page).content.decode()
    return client, re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1e20", "金额须以数字书写"),
        ("1e30", "金额须以数字书写"),
        ("340000.001", "金额最多保留两位小数"),
        ("-20000", "金额不能为负数"),
        ("100000000000000000000", "金额须小于1万亿元"),
    ],
)
def test_an_application_with_an_amount_out_of_bounds_is_refused_on_the_page(
    pool, certified, enterprise_user, typed, message
):
    client, token = _csrf_client(enterprise_user, reverse("vouchers:apply"))
    form = {
        "enterprise": certified.pk,
        "category": "testing",
        "purpose": "检测",
        "csrfmiddlewaretoken": token,
    }
    response = client.post(reverse("vouchers:apply"), {**form, "amount": typed})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Application.objects.exists()
    # The control: the same form with a good amount is accepted.
    assert client.post(reverse("vouchers:apply"), {**form, "amount": "20000.50"}).status_code == 302
    assert Application.objects.get().amount == 20000.50


def test_a_pool_cut_of_a_fraction_of_a_fen_is_refused_not_rounded(client, pool, cc_staff):
    client, token = _csrf_client(cc_staff, reverse("vouchers:office"))
    url = reverse("vouchers:office_pool_adjust", args=[pool.pk])
    entries = LedgerEntry.objects.count()
    form = {"csrfmiddlewaretoken": token, "idempotency_key": "cut-1", "note": "年中调减"}
    page = client.post(url, {**form, "amount": "-1000.005"}, follow=True).content.decode()
    assert "金额最多保留两位小数" in page
    assert LedgerEntry.objects.count() == entries
    client.post(url, {**form, "idempotency_key": "cut-2", "amount": "-1000.05"})
    pool.refresh_from_db()
    assert str(pool.available) == "29998999.95"

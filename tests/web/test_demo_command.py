"""`zhouqiao demo`: safe to run twice; every demo account can sign in."""

import io

import pyotp
import pytest
from django.core.management import call_command

from zhouqiao.accounts.demo import (
    ACCOUNTS,
    DEMO_PASSWORD,
    DEMO_TOTP_ACCOUNTS,
    DEMO_TOTP_SECRET,
    ORGANISATIONS,
)
from zhouqiao.accounts.models import Organisation, StaffAssignment, User

pytestmark = pytest.mark.django_db


def _demo():
    call_command("demo", stdout=io.StringIO())


def test_it_runs_twice_and_every_demo_account_signs_in(client, reference):
    _demo()
    sizes = (User.objects.count(), Organisation.objects.count(), StaffAssignment.objects.count())
    _demo()
    assert (User.objects.count(), Organisation.objects.count(), StaffAssignment.objects.count()) == sizes
    # institutions.demo adds three filed transfer institutions, each with its broker's account;
    # insights.demo one sample enterprise per county it draws contracts from, and four outside Jilin.
    from zhouqiao.community.institutions import demo as institutions_demo
    from zhouqiao.insights import demo as insights_demo

    extra_orgs = (
        institutions_demo.DEMO_ORGANISATIONS + len(insights_demo.COUNTIES) + len(insights_demo.OUTSIDE)
    )
    from zhouqiao.programs import demo as programs_demo

    extra_users = institutions_demo.DEMO_USERS + len(programs_demo.REVIEWERS)  # reviewers' accounts
    assert sizes[0] == len(ACCOUNTS) + extra_users and sizes[1] == len(ORGANISATIONS) + extra_orgs
    assert Organisation.objects.filter(is_sample=True).count() == len(ORGANISATIONS) + extra_orgs

    for username, *_ in ACCOUNTS:
        response = client.post("/login/", {"username": username, "password": DEMO_PASSWORD})
        if username in DEMO_TOTP_ACCOUNTS:  # the administrators' second factor, secret in the README
            assert response.url == "/login/verify/", username
            response = client.post("/login/verify/", {"code": pyotp.TOTP(DEMO_TOTP_SECRET).now()})
        assert response.status_code == 302 and response.url == "/workspace/", username
        assert client.get("/workspace/").status_code == 200, username
        client.post("/logout/")

    def jurisdictions(username):
        return set(
            StaffAssignment.objects.filter(user__username=username).values_list("jurisdiction_id", "duty")
        )

    assert ("220100", "reviewer") in jurisdictions("city_staff")
    assert ("220183", "reviewer") in jurisdictions("county_staff")
    assert ("220200", "reviewer") in jurisdictions("jilin_city_staff")
    assert jurisdictions("audit_admin") == {("220000", "audit_admin")}
    assert Organisation.objects.get(memberships__user__username="startup").status == "submitted"

    # The last step rebuilds the search index: the portal search finds the demo records.
    from zhouqiao.catalog.models import Achievement
    from zhouqiao.search import queries
    from zhouqiao.search.models import SearchDocument

    published = Achievement.objects.filter(status="published").count()
    assert SearchDocument.objects.filter(kind="achievement").count() == published > 0
    sample = Achievement.objects.filter(status="published").first()
    assert queries.search(sample.title).total > 0

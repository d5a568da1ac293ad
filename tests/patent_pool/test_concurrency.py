"""Real concurrent requests against the live server (SQLite and PostgreSQL): officers pressing
决定收储 at once never pool a patent twice, and first decisions in a jurisdiction set up one pool.

The second test did not fail without the IntegrityError guard in ``services._pool_for`` in our runs
(the requests did not overlap closely enough on PostgreSQL), so it shows the outcome, not the guard."""

import re

import pytest
from django.utils import timezone

from tests.factories import PASSWORD, OrganisationFactory, member_of, staff_in
from tests.live import logged_in_client, run_together
from tests.patent_pool.conftest import make_patent
from zhouqiao.accounts.models import Duty, MemberRole, Membership
from zhouqiao.programs.patent_pool import services
from zhouqiao.programs.patent_pool.models import AcquisitionCase, PatentPool, PooledPatent
from zhouqiao.programs.patent_pool.states import CaseStatus

pytestmark = pytest.mark.django_db(transaction=True)
CLIENTS = 6


@pytest.fixture
def desk(live_server, reference):
    now = timezone.now()
    bureau = OrganisationFactory(name="并发测试科技局", kind="government", region_id="220104")
    officers = []
    for i in range(CLIENTS):
        user = staff_in("220100", Duty.PROGRAM_OFFICER, username=f"conc_officer{i}")
        Membership.objects.create(user=user, organisation=bureau, role=MemberRole.MEMBER, joined_at=now)
        officers.append(user)
    owner = OrganisationFactory(name="并发测试大学", kind="university", region_id="220102")
    owner_user = member_of(owner, username="conc_owner")
    return {
        "now": now,
        "officers": officers,
        "owner": owner,
        "owner_user": owner_user,
        "url": live_server.url,
    }


def _post(client, path, data):
    page = client.get(path)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    return client.post(path, data={**data, "csrfmiddlewaretoken": token})


def test_simultaneous_decisions_pool_a_patent_once(desk):
    patent = make_patent(desk["owner"])
    case = services.offer_patent(
        actor=desk["owner_user"], patent_id=patent.pk, reason="拟放弃", now=desk["now"]
    )
    clients = [logged_in_client(desk["url"], u.username, PASSWORD) for u in desk["officers"]]
    path = f"/programs/patent-pool/staff/cases/{case.pk}/"
    tokens = [
        re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', c.get(path).text).group(1) for c in clients
    ]
    results = run_together(
        [
            lambda c=c, t=t: c.post(
                path + "acquire/", data={"price": "1000", "reason": "收储", "csrfmiddlewaretoken": t}
            )
            for c, t in zip(clients, tokens, strict=True)
        ]
    )
    statuses = sorted(r.status_code for r in results)
    assert statuses.count(302) == 1 and set(statuses) <= {200, 302}, statuses
    assert PooledPatent.objects.count() == 1 and PatentPool.objects.count() == 1
    assert AcquisitionCase.objects.get().status == CaseStatus.ACQUIRED


def test_first_decisions_in_a_jurisdiction_set_up_one_pool(desk):
    cases = []
    for i in range(CLIENTS):
        patent = make_patent(desk["owner"], number=f"ZL20191000{i:04d}.1")
        cases.append(
            services.offer_patent(
                actor=desk["owner_user"], patent_id=patent.pk, reason="拟放弃", now=desk["now"]
            )
        )
    clients = [logged_in_client(desk["url"], u.username, PASSWORD) for u in desk["officers"]]
    paths = [f"/programs/patent-pool/staff/cases/{c.pk}/" for c in cases]
    tokens = [
        re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', c.get(p).text).group(1)
        for c, p in zip(clients, paths, strict=True)
    ]
    results = run_together(
        [
            lambda c=c, p=p, t=t: c.post(
                p + "acquire/", data={"price": "1000", "reason": "收储", "csrfmiddlewaretoken": t}
            )
            for c, p, t in zip(clients, paths, tokens, strict=True)
        ]
    )
    assert [r.status_code for r in results] == [302] * CLIENTS
    assert PatentPool.objects.count() == 1 and PooledPatent.objects.count() == CLIENTS

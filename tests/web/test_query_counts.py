"""Each list page reads the same number of queries whatever the number of rows it shows.

For every page: the records it lists are made N times, the page is read and its queries counted;
then 2N more are made (3N in all) and the page must take no more queries than before, while showing
the new rows. A page that looks up something per row (an N+1) fails here. Records are made through
the services (no demo), a few of each, so the module stays fast.
"""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.catalog.conftest import NOW, achievement_data, demand_data, walk_to
from tests.contracts.helpers import submitted
from tests.factories import staff_in
from tests.market.conftest import live_auction
from zhouqiao.accounts.models import Duty
from zhouqiao.catalog import services as catalog
from zhouqiao.catalog.models import DemandInvitation, IntellectualProperty
from zhouqiao.catalog.states import RecordStatus
from zhouqiao.notifications.services import notify
from zhouqiao.search import indexing

pytestmark = pytest.mark.django_db

N = 2


class World:
    """Makes rows of every list page's kind; ``add(k)`` makes k more of each."""

    def __init__(self, university, university_user, enterprise, enterprise_user, reviewer, registrar):
        self.university, self.university_user = university, university_user
        self.enterprise, self.enterprise_user = enterprise, enterprise_user
        self.reviewer, self.registrar = reviewer, registrar
        self.made = 0

    def add(self, k: int) -> None:
        for _ in range(k):
            self.made += 1
            n = self.made
            title = f"碳化硅模块封装技术第{n}号"
            a = catalog.create_achievement(
                actor=self.university_user,
                owner_id=self.university.pk,
                data=achievement_data(title=title, keywords=f"碳化硅、封装{n}"),
                now=NOW,
            )
            IntellectualProperty.objects.create(
                achievement=a, kind="invention_patent", number=f"ZL2020100000{n:02d}.1"
            )
            walk_to(
                "achievement",
                a,
                RecordStatus.PUBLISHED,
                owner_user=self.university_user,
                reviewer=self.reviewer,
            )
            indexing.index_record("achievement", a.pk, now=NOW)
            # One more waits for review: a to-do of the reviewer.
            pending = catalog.create_achievement(
                actor=self.university_user,
                owner_id=self.university.pk,
                data=achievement_data(title=f"待审成果第{n}号"),
                now=NOW,
            )
            walk_to(
                "achievement", pending, RecordStatus.SUBMITTED, owner_user=self.university_user, reviewer=None
            )
            # Demands of another organisation, one of them shown only to the invited enterprise.
            for confidentiality in ("public", "invited"):
                d = catalog.create_demand(
                    actor=self.university_user,
                    owner_id=self.university.pk,
                    data=demand_data(title=f"{confidentiality}需求第{n}号", confidentiality=confidentiality),
                    now=NOW,
                )
                if confidentiality == "invited":
                    DemandInvitation.objects.create(demand=d, organisation=self.enterprise, invited_at=NOW)
                walk_to(
                    "demand",
                    d,
                    RecordStatus.PUBLISHED,
                    owner_user=self.university_user,
                    reviewer=self.reviewer,
                )
            # An auction of one more published achievement.
            sold = catalog.create_achievement(
                actor=self.university_user,
                owner_id=self.university.pk,
                data=achievement_data(title=f"拍卖成果第{n}号"),
                now=NOW,
            )
            walk_to(
                "achievement",
                sold,
                RecordStatus.PUBLISHED,
                owner_user=self.university_user,
                reviewer=self.reviewer,
            )
            live_auction(
                seller_user=self.university_user,
                achievement=sold,
                now=NOW + timedelta(days=30),
                title=f"拍卖第{n}号",
            )
            # A contract waiting for the registrar.
            submitted(self.university_user, self.university, self.enterprise, NOW, title=f"技术合同第{n}号")
            # A message to the enterprise user.
            notify(
                [self.enterprise_user],
                kind="contracts.registered",
                title=f"消息第{n}号",
                url="/contracts/",
                key=f"test:{n}",
                now=NOW,
            )


@pytest.fixture
def world(university, university_user, enterprise, enterprise_user):
    reviewer = staff_in("220000", Duty.REVIEWER, username="qc_reviewer")
    registrar = staff_in("220000", Duty.REGISTRAR, Duty.FINANCE, username="qc_registrar")
    w = World(university, university_user, enterprise, enterprise_user, reviewer, registrar)
    w.add(N)
    return w


PAGES = {
    # name: (URL, who reads it, text of the newest row that must be on the page)
    "achievement_list": ("/catalog/achievements/", "enterprise_user", "碳化硅模块封装技术第{n}号"),
    "demand_list": ("/catalog/demands/", "enterprise_user", "invited需求第{n}号"),
    "search": ("/search/?q=碳化硅", None, "碳化硅模块封装技术第"),
    "contract_list": ("/contracts/", "registrar", "技术合同第{n}号"),
    "market": ("/market/", None, "拍卖第{n}号"),
    "workspace": ("/workspace/", "reviewer", "待审"),
    "inbox": ("/inbox/", "enterprise_user", "消息第{n}号"),
    "todo": ("/todo/", "registrar", "技术合同第{n}号"),
}


def _read(client, url: str, expect: str) -> int:
    cache.clear()  # what a page keeps for every visitor (the public achievement rows) is built again
    client.get(url)  # the session's first request (header counts kept in it) is not the one measured
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert expect in response.content.decode(), f"{expect!r} is not on {url}"
    return len(queries)


@pytest.mark.parametrize("page", list(PAGES))
def test_a_list_page_takes_as_many_queries_for_3n_rows_as_for_n(client, world, page, settings):
    settings.RATELIMIT_ENABLED = False
    url, reader, expect = PAGES[page]
    if reader:
        client.force_login(getattr(world, reader))
    before = _read(client, url, expect.format(n=world.made))
    assert before > 0  # the counter sees the page's queries
    world.add(2 * N)
    after = _read(client, url, expect.format(n=world.made))
    assert after <= before, f"{page}: {before} queries with {N} rows, {after} with {3 * N}"


def test_the_workspace_panel_shows_new_work_within_a_minute_and_at_once_after_ones_own_post(client, world):
    """The panel is kept with the header's to-do count (so the page does not ask every app each
    time): what others add shows within a minute, and at once after the person's own POST."""
    import time

    import time_machine

    from zhouqiao.notifications.selectors import HEADER_COUNT_SECONDS

    client.force_login(world.registrar)
    assert "技术合同第2号" in client.get("/workspace/").content.decode()
    world.add(1)
    with time_machine.travel(time.time() + HEADER_COUNT_SECONDS + 1, tick=False):
        assert "技术合同第3号" in client.get("/workspace/").content.decode()
    world.add(1)
    client.post("/inbox/read/")
    assert "技术合同第4号" in client.get("/workspace/").content.decode()


def test_the_public_achievement_list_shows_a_new_record_within_its_keeping_time(client, world):
    """A page of published achievements is rendered once for every visitor and kept
    ``PUBLIC_ROWS_SECONDS``: a record published since shows once that time has passed. A list that
    depends on who asks ("mine") is built afresh each time."""
    import time

    import time_machine

    from zhouqiao.catalog.views import PUBLIC_ROWS_SECONDS

    assert "碳化硅模块封装技术第2号" in client.get("/catalog/achievements/").content.decode()
    with CaptureQueriesContext(connection) as queries:
        kept = client.get("/catalog/achievements/").content.decode()
    assert not any("catalog_achievement" in q["sql"] for q in queries.captured_queries)
    world.add(1)
    assert "碳化硅模块封装技术第3号" not in kept
    with time_machine.travel(time.time() + PUBLIC_ROWS_SECONDS + 1, tick=False):
        assert "碳化硅模块封装技术第3号" in client.get("/catalog/achievements/").content.decode()

    client.force_login(world.university_user)
    mine = "/catalog/achievements/?mine=1&status=draft"
    assert "待审成果第1号" not in client.get(mine).content.decode()  # submitted, not a draft
    catalog.create_achievement(
        actor=world.university_user,
        owner_id=world.university.pk,
        data=achievement_data(title="新草稿成果"),
        now=NOW,
    )
    assert "新草稿成果" in client.get(mine).content.decode()


def test_the_workspace_of_a_person_with_several_duties_takes_as_many_queries_for_6_items_as_for_1(
    client, university, university_user, enterprise, monkeypatch, settings
):
    """A reviewer, registrar and finance officer who is also an organisation's admin: the workspace
    collects their to-dos once per request (the header's count reuses them) and in as many queries
    for six waiting items of each kind as for one."""
    import collections
    import re

    from tests.factories import OrganisationFactory
    from zhouqiao.accounts.models import MemberRole, Membership
    from zhouqiao.notifications import selectors
    from zhouqiao.notifications.registry import SOURCES

    settings.RATELIMIT_ENABLED = False
    person = staff_in("220000", Duty.REVIEWER, Duty.REGISTRAR, Duty.FINANCE, username="qc_duties")
    Membership.objects.create(user=person, organisation=enterprise, role=MemberRole.ADMIN, joined_at=NOW)
    made = 0

    def wait(k: int) -> None:  # k more of each: an achievement, a contract, an organisation
        nonlocal made
        for _ in range(k):
            made += 1
            pending = catalog.create_achievement(
                actor=university_user,
                owner_id=university.pk,
                data=achievement_data(title=f"待审成果第{made}号"),
                now=NOW,
            )
            walk_to("achievement", pending, RecordStatus.SUBMITTED, owner_user=university_user, reviewer=None)
            submitted(university_user, university, enterprise, NOW, title=f"技术合同第{made}号")
            OrganisationFactory(submitted=True, name=f"待认证机构第{made}号有限公司")

    calls = collections.Counter()

    def counted(key, source):
        def run(user):
            calls[key] += 1
            return source(user)

        return run

    monkeypatch.setattr(
        selectors, "SOURCES", [(key, label, counted(key, source)) for key, label, source in SOURCES]
    )

    def read() -> tuple[int, int]:
        """(queries, header count) of the workspace with its to-dos collected afresh."""
        cache.clear()
        client.get("/workspace/")  # the session's first request keeps the header count
        cache.clear()  # the kept panel goes: this request collects the to-dos again
        calls.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/workspace/")
        assert response.status_code == 200
        assert set(calls.values()) == {1} and len(calls) == len(SOURCES), "each source once"
        html = response.content.decode()
        assert "待审核的科技成果" in html and "待认证机构第" in html and "技术合同第" in html
        badge = re.search(r'class="todo">[^<]*<span class="badge">(\d+)', html)
        return len(queries), int(badge.group(1))

    client.force_login(person)
    wait(1)
    one, count_one = read()
    wait(5)
    six, count_six = read()
    assert count_six - count_one == 3 * 5  # the page shows them all (header) …
    assert six <= one, f"{one} queries with 1 waiting item of each kind, {six} with 6"  # … for no more

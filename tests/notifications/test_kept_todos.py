"""The to-dos are collected once for the header and the workspace panel alike, and afresh after
the person's own POST."""

import pytest

from tests.factories import OrganisationFactory, staff_in
from zhouqiao.accounts.models import Duty
from zhouqiao.notifications import selectors
from zhouqiao.notifications.registry import SOURCES

pytestmark = pytest.mark.django_db


def test_the_workspace_shows_the_to_dos_another_pages_header_just_collected(client, reference, monkeypatch):
    collected = []

    def counted(key, source):
        def run(user):
            collected.append(key)
            return source(user)

        return run

    monkeypatch.setattr(
        selectors, "SOURCES", [(key, label, counted(key, source)) for key, label, source in SOURCES]
    )
    client.force_login(staff_in("220000", Duty.REVIEWER))
    OrganisationFactory(submitted=True, name="待认证的长春某科技有限公司")

    client.get("/market/")  # the header's count collects them
    assert len(collected) == len(SOURCES)
    assert "待认证的长春某科技有限公司" in client.get("/workspace/").content.decode()
    assert len(collected) == len(SOURCES)  # the panel shows what the header collected

    OrganisationFactory(submitted=True, name="又一家待认证的科技有限公司")
    client.post("/inbox/read/")  # the person's own write: collected afresh
    assert "又一家待认证的科技有限公司" in client.get("/workspace/").content.decode()
    assert len(collected) == 2 * len(SOURCES)

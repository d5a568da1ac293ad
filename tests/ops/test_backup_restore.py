"""The restore drill (issue 17): populate a database with a few records, back it up with
``zhouqiao backup``, restore it into another database with ``zhouqiao restore``, and check that
every table has the same row count, the audit chain is the same and the auction hash chains are
intact — on SQLite and on PostgreSQL (the suite runs on both)."""

import tarfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper

from tests.factories import OrganisationFactory, UserFactory, member_of
from tests.market.conftest import NOW, bid, live_auction, make_achievement, register
from zhouqiao.core import audit
from zhouqiao.ops import backup


@pytest.fixture
def drill(transactional_db, django_db_blocker, monkeypatch):
    """Committed data (pg_dump and the copies read it from other connections), and leave to open
    connections to the temporary aliases (the SQLite copy, the restored database), which Django's
    test case refuses for aliases it was not told about."""
    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", django_db_blocker._real_ensure_connection)


def _populate(media_root: Path):
    university = OrganisationFactory(name="吉林测试大学", kind="university", region_id="220104")
    seller = member_of(university, username="drill_seller")
    buyers = []
    for n, region in enumerate(("220104", "220106")):
        org = OrganisationFactory(name=f"长春演练企业{n}有限公司", region_id=region)
        buyers.append(member_of(org, username=f"drill_buyer{n}"))
    UserFactory.create_batch(3)
    auction = live_auction(seller_user=seller, achievement=make_achievement(university))
    for buyer in buyers:
        register(buyer, auction)
    bid(buyers[0], auction, 100000)
    bid(buyers[1], auction, 105000)
    audit.record("ops.drill", actor=seller, target=university, after={"note": "恢复演练"})
    (media_root / "catalog" / "2026").mkdir(parents=True)
    (media_root / "catalog" / "2026" / "成果附件.pdf").write_bytes(b"%PDF-1.4 drill")
    return auction


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture
def other_database(drill, tmp_path):
    """Settings of another, empty database of the same engine as the suite's."""
    source = connection.settings_dict
    if connection.vendor == "sqlite":
        yield {**source, "NAME": str(tmp_path / "restored.sqlite3")}
        return
    name = f"{source['NAME']}_restored"[:63]
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield {**source, "NAME": name}
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_the_restore_drill(drill, media, other_database, tmp_path, settings, capsys):
    _populate(media)
    before = backup.figures()
    assert before["tables"]["accounts_user"] >= 6 and before["audit"]["records"] >= 5
    assert before["auctions"] == {"auctions": 1, "broken": []}

    call_command("backup", output=str(tmp_path / "backups"))
    [archive] = (tmp_path / "backups").glob("zhouqiao-backup-*.tar.gz")
    assert archive.stat().st_mode & 0o777 == 0o600  # it holds personal data
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert backup.DATABASE_MEMBERS[connection.vendor] in names
    assert "media/catalog/2026/成果附件.pdf" in names

    restored_media = tmp_path / "restored-media"
    settings.MEDIA_ROOT = restored_media
    with backup.database_alias(other_database, "restored") as alias:
        settings.DATABASES[alias] = other_database
        try:
            manifest, problems = backup.restore_backup(
                archive, now=NOW, alias=alias, media_root=restored_media
            )
            assert problems == []
            after = backup.figures(alias)
        finally:
            settings.DATABASES.pop(alias, None)
    assert after["tables"] == before["tables"]  # every table, row for row
    assert after["audit"] == before["audit"]  # the same audit records, in the same order
    assert after["auctions"] == {"auctions": 1, "broken": []}
    assert manifest["tables"] == before["tables"]
    assert (restored_media / "catalog" / "2026" / "成果附件.pdf").read_bytes() == b"%PDF-1.4 drill"


def test_the_restore_command_refuses_a_database_that_holds_data(drill, media, tmp_path):
    archive = backup.create_backup(tmp_path, now=NOW)
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(archive))


def test_a_copy_that_differs_is_reported(db, reference):
    expected = backup.figures()
    UserFactory()
    audit.record("ops.extra")
    problems = backup.compare(expected, backup.figures())
    assert any(p.startswith("table accounts_user:") for p in problems)
    assert any(p.startswith("audit chain:") for p in problems)


def test_a_changed_audit_record_changes_the_chain_head(transactional_db):
    audit.record("ops.one", reason="甲")
    audit.record("ops.two", reason="乙")
    head = backup.audit_chain()["head"]
    table = connection.ops.quote_name("core_auditevent")
    from tests.conftest import _drop_audit_triggers, _install_audit_triggers

    _drop_audit_triggers()
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET reason = %s WHERE action = %s", ["丙", "ops.one"])
    finally:
        _install_audit_triggers()
    assert backup.audit_chain()["head"] != head
    assert connections["default"].vendor in backup.DATABASE_MEMBERS

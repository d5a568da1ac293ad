"""``zhouqiao backup`` / ``zhouqiao restore``: the database and the media files in one archive.

An archive (``zhouqiao-backup-<UTC time>.tar.gz``, mode 0600: it holds personal data) contains

- ``database.dump`` — ``pg_dump --format=custom`` on PostgreSQL — or ``database.sqlite3``, a copy
  made with SQLite's online backup API (consistent while the site runs);
- ``media/`` — the uploaded files (``MEDIA_ROOT``);
- ``manifest.json`` — the format, engine, time, and what the restored copy must show: the row count
  of every table, the SHA-256 chain over every audit record (in id order) and the number of
  auctions whose hash chains are intact. On PostgreSQL the figures come from the very snapshot
  pg_dump writes (``pg_export_snapshot``); on SQLite from the copy itself.

``restore`` loads an archive into the configured (empty) database and ``MEDIA_ROOT``, then
recomputes those figures on the restored copy and reports every difference (exit status 1).
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess  # nosec B404 — pg_dump and pg_restore, argument lists, no shell
import tarfile
import tempfile
from contextlib import contextmanager
from datetime import UTC
from pathlib import Path

from django.conf import settings
from django.db import connections, transaction

from zhouqiao.core.models import AuditEvent
from zhouqiao.market.chain import GENESIS, event_digest
from zhouqiao.market.models import Auction, AuctionEvent

FORMAT = 1
DATABASE_MEMBERS = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}


class BackupError(Exception):
    pass


def engine_of(alias: str = "default") -> str:
    vendor = connections[alias].vendor
    if vendor not in DATABASE_MEMBERS:
        raise BackupError(f"unsupported database: {vendor}")
    return vendor


# --- what a copy must show -------------------------------------------------------------------------


def table_counts(alias: str = "default") -> dict[str, int]:
    conn = connections[alias]
    counts = {}
    with conn.cursor() as cursor:
        for table in sorted(conn.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {conn.ops.quote_name(table)}")  # noqa: S608  # nosec B608 — names from introspection
            counts[table] = cursor.fetchone()[0]
    return counts


def _canonical(value):
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.astimezone(UTC).isoformat() if getattr(value, "tzinfo", None) else value.isoformat()
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def audit_chain(alias: str = "default") -> dict:
    """SHA-256 chain over every audit record in id order: a record changed, removed or added
    anywhere changes the head."""
    fields = [f.attname for f in AuditEvent._meta.concrete_fields]
    head, count = GENESIS, 0
    for row in AuditEvent.objects.using(alias).order_by("id").values_list(*fields).iterator():
        content = json.dumps(
            _canonical(dict(zip(fields, row, strict=True))), sort_keys=True, ensure_ascii=False
        )
        head = hashlib.sha256((head + content).encode()).hexdigest()
        count += 1
    return {"records": count, "head": head}


def auction_chains(alias: str = "default") -> dict:
    """Recompute every auction's hash chain (as ``zhouqiao verify-auction`` does) on ``alias``."""
    broken = []
    auctions = Auction.objects.using(alias).order_by("pk").values_list("pk", "chain_length", "head_hash")
    for pk, length, head_hash in auctions.iterator():
        prev, seq = GENESIS, 0
        for event in AuctionEvent.objects.using(alias).filter(auction_id=pk).order_by("seq", "pk").iterator():
            seq += 1
            if event.seq != seq or event.prev_hash != prev or event_digest(event) != event.hash:
                break
            prev = event.hash
        else:
            if seq == length and prev == (head_hash or GENESIS):
                continue
        broken.append(pk)
    return {"auctions": len(auctions), "broken": broken}


def figures(alias: str = "default") -> dict:
    return {"tables": table_counts(alias), "audit": audit_chain(alias), "auctions": auction_chains(alias)}


def compare(expected: dict, actual: dict) -> list[str]:
    """The differences between two sets of figures, in words (empty: the copy is faithful)."""
    problems = []
    for table in sorted(set(expected["tables"]) | set(actual["tables"])):
        want, got = expected["tables"].get(table), actual["tables"].get(table)
        if want != got:
            problems.append(f"table {table}: {want} rows in the backup, {got} restored")
    if expected["audit"] != actual["audit"]:
        problems.append(
            f"audit chain: {expected['audit']['records']} records with head {expected['audit']['head'][:12]}… "
            f"in the backup, {actual['audit']['records']} with head {actual['audit']['head'][:12]}… restored"
        )
    if actual["auctions"]["broken"]:
        problems.append(f"auction hash chains broken after restore: {actual['auctions']['broken']}")
    if expected["auctions"]["auctions"] != actual["auctions"]["auctions"]:
        problems.append("auction count differs")
    return problems


# --- connections to a copy -------------------------------------------------------------------------


@contextmanager
def database_alias(settings_dict: dict, name: str = "zq_backup_copy"):
    """A temporary connection alias to another database with the same engine and options."""
    connections.databases[name] = settings_dict
    try:
        yield name
    finally:
        if name in connections:
            connections[name].close()
            del connections[name]
        connections.databases.pop(name, None)


def _pg_env(db: dict) -> dict:
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[var] = str(db[key])
    env["PGDATABASE"] = db["NAME"]
    return env


def _pg_tool(name: str) -> str:
    folder = getattr(settings, "PG_BIN", "") or os.environ.get("PG_BIN", "")
    return str(Path(folder) / name) if folder else name


def _run(command: list[str], env: dict) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603  # nosec B603 — fixed tools, argument list
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()[-2000:]}")


# --- backup ------------------------------------------------------------------------------------------


def _dump_postgresql(alias: str, target: Path) -> dict:
    conn = connections[alias]
    with transaction.atomic(using=alias), conn.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counted = figures(alias)  # the same snapshot pg_dump is about to write
        _run(
            [
                _pg_tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                f"--snapshot={snapshot}",
                f"--file={target}",
            ],
            _pg_env(conn.settings_dict),
        )
    return counted


def _dump_sqlite(alias: str, target: Path) -> dict:
    conn = connections[alias]
    conn.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        conn.connection.backup(copy)
    finally:
        copy.close()
    with database_alias({**conn.settings_dict, "NAME": str(target)}) as copy_alias:
        return figures(copy_alias)


def create_backup(destination: Path, *, now, alias: str = "default", media_root: Path | None = None) -> Path:
    """Write an archive into the directory ``destination`` (or to that file name if it ends in
    ``.tar.gz``); return its path."""
    engine = engine_of(alias)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    destination = Path(destination)
    if destination.name.endswith(".tar.gz"):
        archive = destination
    else:
        archive = destination / f"zhouqiao-backup-{now.astimezone(UTC):%Y%m%dT%H%M%SZ}.tar.gz"
    archive.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="zhouqiao-backup-") as work:
        dump = Path(work) / DATABASE_MEMBERS[engine]
        counted = (_dump_postgresql if engine == "postgresql" else _dump_sqlite)(alias, dump)
        media_files = sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.is_dir() else []
        manifest = {
            "format": FORMAT,
            "engine": engine,
            "created_at": now.astimezone(UTC).isoformat(),
            "media_files": len(media_files),
            **counted,
        }
        partial = archive.with_name(archive.name + ".partial")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            manifest_path = Path(work) / "manifest.json"
            manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
            tar.add(manifest_path, arcname="manifest.json")
            tar.add(dump, arcname=dump.name)
            for path in media_files:
                tar.add(path, arcname=f"media/{path.relative_to(media_root).as_posix()}")
        partial.replace(archive)
    return archive


def read_manifest(archive: Path) -> dict:
    with tarfile.open(archive, "r:gz") as tar:
        member = tar.extractfile("manifest.json")
        if member is None:
            raise BackupError("not a Zhouqiao backup: manifest.json missing")
        manifest = json.load(member)
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    return manifest


# --- restore -----------------------------------------------------------------------------------------


def _has_data(alias: str) -> bool:
    conn = connections[alias]
    with conn.cursor() as cursor:
        return "django_migrations" in conn.introspection.table_names(cursor)


def _restore_postgresql(dump: Path, alias: str, force: bool) -> None:
    conn = connections[alias]
    command = [_pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error"]
    if force:
        command += ["--clean", "--if-exists"]
    conn.close()
    _run([*command, f"--dbname={conn.settings_dict['NAME']}", str(dump)], _pg_env(conn.settings_dict))


def _restore_sqlite(dump: Path, alias: str) -> None:
    conn = connections[alias]
    conn.close()
    source = sqlite3.connect(dump)
    target = sqlite3.connect(conn.settings_dict["NAME"])
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()


def _restore_media(tar: tarfile.TarFile, media_root: Path, force: bool, now) -> None:
    if media_root.exists() and any(media_root.iterdir()):
        if not force:
            raise BackupError(f"{media_root} is not empty (use --force to move it aside)")
        media_root.rename(media_root.with_name(f"{media_root.name}.before-restore-{now:%Y%m%d%H%M%S}"))
    media_root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="zhouqiao-media-", dir=media_root.parent) as work:
        members = [m for m in tar.getmembers() if m.name.startswith("media/")]
        tar.extractall(work, members=members, filter="data")
        if (Path(work) / "media").is_dir():
            for item in (Path(work) / "media").iterdir():
                shutil.move(str(item), media_root / item.name)


def restore_backup(
    archive: Path, *, now, alias: str = "default", media_root: Path | None = None, force: bool = False
) -> tuple[dict, list[str]]:
    """Load ``archive`` into the database ``alias`` and ``media_root``; return the manifest and
    the differences found between it and the restored copy (empty: faithful)."""
    manifest = read_manifest(archive)
    engine = engine_of(alias)
    if manifest["engine"] != engine:
        raise BackupError(f"the backup is of a {manifest['engine']} database; this one is {engine}")
    if _has_data(alias) and not force:
        raise BackupError("the target database is not empty (use --force to replace its contents)")
    media_root = Path(media_root or settings.MEDIA_ROOT)
    with (
        tempfile.TemporaryDirectory(prefix="zhouqiao-restore-") as work,
        tarfile.open(archive, "r:gz") as tar,
    ):
        name = DATABASE_MEMBERS[engine]
        tar.extract(name, work, filter="data")
        dump = Path(work) / name
        if engine == "postgresql":
            _restore_postgresql(dump, alias, force)
        else:
            _restore_sqlite(dump, alias)
        _restore_media(tar, media_root, force, now)
    problems = compare(manifest, figures(alias))
    restored_media = sum(1 for p in media_root.rglob("*") if p.is_file())
    if restored_media != manifest["media_files"]:
        problems.append(f"media: {manifest['media_files']} files in the backup, {restored_media} restored")
    return manifest, problems

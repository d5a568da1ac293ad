"""The demo data (`zhouqiao demo`) in the test database, loaded once per test process.

The first caller loads the demo (about 7 s) and keeps a copy of the whole SQLite database in
memory; each later caller restores that copy (SQLite's backup API), so every test sees the same
freshly loaded demo. Used by the journeys (tests/browser/journeys/) and the access matrix
(tests/security/). Needs a transactional test (``transactional_db`` or ``live_server``)."""

import io
import sqlite3

from django.core.management import call_command
from django.db import connection

_snapshot: sqlite3.Connection | None = None


def load_demo() -> None:
    global _snapshot
    connection.ensure_connection()
    if _snapshot is None:
        # Earlier tests of this process leave SQLite's id counters where their rows ended; reset
        # them so the demo's records get the same ids in every process (the access matrix asks for
        # record 1). Safe: SQLite never reuses an id below a table's largest.
        # The suite's own record of the 001 adoption (tests/conftest.py) goes too: the demo records
        # the adoption itself.
        from zhouqiao.policy.models import ParameterChange

        ParameterChange.objects.all().delete()
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM sqlite_sequence")
        call_command("demo", stdout=io.StringIO())
        _snapshot = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(_snapshot)
    else:
        _snapshot.backup(connection.connection)

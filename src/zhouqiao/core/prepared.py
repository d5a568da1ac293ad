"""PostgreSQL statements parsed and planned once per connection, for the few hot paths that run one
fixed statement very often (a bid, a voucher redemption).

Django turns psycopg's prepared statements off by default (``prepare_threshold=None``, so that
transaction-mode connection poolers keep working). A cursor from :func:`cursor` prepares each
statement it runs on the connection it belongs to: the first execution plans it, later ones only
bind and execute. It only pays off on persistent connections (``DB_CONN_MAX_AGE`` > 0, workers,
long-running processes); on a fresh connection it costs the same as an unprepared statement.
Errors are Django's (``IntegrityError`` …), as from ``connection.cursor()``.

:class:`Columns`, :func:`insert_cte` and :func:`values_of` help such hand-written statements read
and write rows exactly as the ORM would, without compiling a query each time.
"""

import sys

import psycopg
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import JSONField, signals
from django.db.models.base import ModelState


def _db():
    """The default connection itself: ``django.db.connection`` is a proxy that looks it up again
    (through a context-local) on every attribute, which the hot paths do dozens of times."""
    return connections[DEFAULT_DB_ALIAS]


class _PreparingCursor(psycopg.Cursor):
    """Server-side binary parameters (``$1``…), each statement prepared on first use. Closing it only
    marks it free: the connection's next :func:`cursor` takes it again, with the adapters and
    row loaders it has already looked up (a new psycopg cursor looks them up again for every
    parameter and result column, ~40 µs for a bid's statement). It goes with its connection."""

    in_use = False

    def execute(self, query, params=None, **kwargs):
        # Binary parameters and results: no text formatting and parsing of numbers and times on
        # either side (a bid's statement: client 62 -> 34 us, server 110 -> 97 us per execution).
        return super().execute(query, params, prepare=True, binary=True, **kwargs)

    def close(self):
        self.in_use = False


def cursor():
    """A Django cursor (errors translated, queries logged when DEBUG) that prepares its statements.
    PostgreSQL only; one statement per ``execute``. Use it in a ``with`` block (which frees it)."""
    db = _db()
    db.ensure_connection()
    conn = db.connection
    if conn.prepare_threshold is None:
        # psycopg prepares nothing while the threshold is None, not even on request. Django's
        # other cursors bind on the client side and never prepare, so this enables only ours.
        conn.prepare_threshold = sys.maxsize
    raw = getattr(db, "_prepared_cursor", None)
    if raw is None or raw.connection is not conn or raw.closed:
        raw = db._prepared_cursor = _PreparingCursor(conn)
    elif raw.in_use:  # one already open on this connection (nested use): a cursor of its own
        raw = _PreparingCursor(conn)
    raw.in_use = True
    return db.make_debug_cursor(raw) if db.queries_logged else db.make_cursor(raw)


class Columns:
    """Some columns of one model in a hand-written SELECT (``alias.column, …`` in the model's
    field order), and :meth:`load` to turn their raw values into an instance as the ORM would:
    the backend's converters applied (SQLite returns decimals as floats and dates as strings),
    the fields not selected deferred (loaded on access)."""

    def __init__(self, model, alias: str, names=None):
        self.model, self.alias = model, alias
        self.fields = [f for f in model._meta.concrete_fields if names is None or f.attname in names]
        self.names = [f.attname for f in self.fields]
        self.sql = ", ".join(f"{alias}.{connection.ops.quote_name(f.column)}" for f in self.fields)
        self._converters = {}

    def __len__(self) -> int:
        return len(self.fields)

    def converters(self, db=None) -> list:
        db = db or _db()
        vendor = db.vendor
        if vendor not in self._converters:
            found = []
            for i, field in enumerate(self.fields):
                col = field.get_col(self.alias)
                convs = db.ops.get_db_converters(col) + col.get_db_converters(db)
                if convs:
                    found.append((i, convs, col))
            self._converters[vendor] = found
        return self._converters[vendor]

    def load(self, values):
        db = _db()
        values = list(values)
        for i, convs, col in self.converters(db):
            for convert in convs:
                values[i] = convert(values[i], col, db)
        return loaded(self.model, self.names, values, db.alias)


def loaded(model, names, values, alias: str = DEFAULT_DB_ALIAS):
    """What ``model.from_db(alias, names, values)`` returns — an instance with those fields loaded
    and the others deferred (loaded on access) — without running ``__init__``, which walks every
    field of the model to set the loaded ones and skip the deferred: the instance's ``__dict__``
    gets the loaded attributes directly, as ``__init__`` would leave it. Only for a model with no
    ``pre_init``/``post_init`` receivers (``from_db`` otherwise)."""
    if signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(model):
        return model.from_db(alias, names, values)
    instance = model.__new__(model)
    instance.__dict__.update(zip(names, values, strict=True))
    state = instance._state = ModelState()
    state.adding, state.db = False, alias
    return instance


def insert_cte(cte: str, model, source: str, from_source: dict[str, str] | None = None, returning=False):
    """``<cte> AS (INSERT INTO <model's table> … SELECT … FROM <source>)``: one row per row of
    ``source``. The columns named in ``from_source`` take those SQL expressions (over ``source``),
    every other column a parameter cast to the column's type (an untyped parameter in a SELECT
    list would be text). Returns the SQL and the fields whose values are the parameters, in
    order (see :func:`values_of`)."""
    from_source = from_source or {}
    columns, values, fields = [], [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(connection.ops.quote_name(field.column))
        if field.attname in from_source:
            values.append(from_source[field.attname])
        else:
            values.append(f"%s::{field.db_type(connection)}")
            fields.append(field)
    sql = (
        f"{cte} AS (INSERT INTO {model._meta.db_table} ({', '.join(columns)}) SELECT {', '.join(values)}"  # noqa: S608 (names from the model)
        f" FROM {source}{' RETURNING id' if returning else ''})"
    )
    return sql, fields


def values_of(instance, fields) -> list:
    """The parameters for :func:`insert_cte`'s ``fields`` from an unsaved ``instance``; JSON goes
    through its field (and encoder), every other value psycopg adapts as it is."""
    db = _db()
    return [
        field.get_db_prep_save(value, db) if isinstance(field, JSONField) else value
        for field in fields
        for value in (getattr(instance, field.attname),)
    ]

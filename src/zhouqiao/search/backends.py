"""The full-text index inside the database, behind one small interface.

* SQLite (the embedded default): an FTS5 virtual table ``search_fts(title, body)`` with the
  ``unicode61`` tokenizer over pre-segmented terms; rowid = ``search_document.id``; ranked by
  ``bm25()`` with the title weighted higher than the body.
* PostgreSQL: a stored generated ``tsvector`` column ``search_document.tsv`` built with
  ``to_tsvector('simple', …)`` (title weight A, body weight B) and a GIN index; ranked by
  ``ts_rank_cd``.

Both take the analyzer's terms (already segmented, synonyms folded), match ANY of them and return
``(document id, score)`` best first. The backend is chosen by ``connection.vendor``. The same
classes run the throwaway index of ``zhouqiao search-eval``, on a plain ``sqlite3`` connection
wrapped by :class:`PlainSqlite`.
"""

from __future__ import annotations

import re
import sqlite3

_SAFE_TERM = re.compile(r"^[\w.\-/]+$")


def _quote_fts5(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


class SqliteFts:
    vendor = "sqlite"
    # bm25() weights per column: title, body.
    weights = (3.0, 1.0)

    create_sql = [
        "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
        "title, body, tokenize = 'unicode61 remove_diacritics 2 tokenchars ''-./_''')",
    ]
    drop_sql = ["DROP TABLE IF EXISTS search_fts"]

    def put(self, cursor, rows: list[tuple[int, str, str]]) -> None:
        """Insert or replace ``(id, title terms, body terms)``."""
        if not rows:
            return
        cursor.executemany("DELETE FROM search_fts WHERE rowid = %s", [(r[0],) for r in rows])
        cursor.executemany("INSERT INTO search_fts (rowid, title, body) VALUES (%s, %s, %s)", rows)

    def add(self, cursor, rows: list[tuple[int, str, str]]) -> None:
        """Insert rows for ids new to the index (nothing to replace)."""
        cursor.executemany("INSERT INTO search_fts (rowid, title, body) VALUES (%s, %s, %s)", rows)

    def delete(self, cursor, ids: list[int]) -> None:
        cursor.executemany("DELETE FROM search_fts WHERE rowid = %s", [(i,) for i in ids])

    def clear(self, cursor) -> None:
        cursor.execute("DELETE FROM search_fts")

    def match_expression(self, terms: list[str]) -> str:
        return " OR ".join(_quote_fts5(t) for t in dict.fromkeys(terms) if t)

    def match(self, cursor, terms: list[str], limit: int) -> list[tuple[int, float]]:
        expr = self.match_expression(terms)
        if not expr:
            return []
        cursor.execute(
            "SELECT rowid, -bm25(search_fts, %s, %s) AS score FROM search_fts "
            "WHERE search_fts MATCH %s ORDER BY bm25(search_fts, %s, %s) LIMIT %s",
            [*self.weights, expr, *self.weights, limit],
        )
        return [(int(r[0]), float(r[1])) for r in cursor.fetchall()]

    def count(self, cursor) -> int:
        cursor.execute("SELECT count(*) FROM search_fts")
        return int(cursor.fetchone()[0])

    def vocabulary(self, cursor, limit: int = 200_000) -> list[tuple[str, int]]:
        """Index terms with their document frequency (for "did you mean")."""
        cursor.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_fts_vocab USING fts5vocab(main, search_fts, 'row')"
        )
        cursor.execute("SELECT term, doc FROM temp.search_fts_vocab ORDER BY doc DESC LIMIT %s", [limit])
        return [(r[0], int(r[1])) for r in cursor.fetchall()]


class PostgresFts:
    vendor = "postgresql"

    create_sql = [
        "ALTER TABLE search_document ADD COLUMN IF NOT EXISTS tsv tsvector GENERATED ALWAYS AS ("
        "setweight(to_tsvector('simple', coalesce(title_terms, '')), 'A') || "
        "setweight(to_tsvector('simple', coalesce(terms, '')), 'B')) STORED",
        "CREATE INDEX IF NOT EXISTS search_document_tsv_gin ON search_document USING gin (tsv)",
    ]
    drop_sql = [
        "DROP INDEX IF EXISTS search_document_tsv_gin",
        "ALTER TABLE search_document DROP COLUMN IF EXISTS tsv",
    ]

    # The tsvector is a generated column of search_document: writing the row writes the index.
    def put(self, cursor, rows) -> None:
        return None

    def add(self, cursor, rows) -> None:
        return None

    def delete(self, cursor, ids) -> None:
        return None

    def clear(self, cursor) -> None:
        return None

    def match_expression(self, terms: list[str]) -> str:
        # to_tsquery syntax; terms are already lower-case analyzer output. Quote each as a lexeme.
        return " | ".join(
            "'" + t.replace("'", "''").replace("\\", "") + "'" for t in dict.fromkeys(terms) if t
        )

    def match(self, cursor, terms: list[str], limit: int) -> list[tuple[int, float]]:
        expr = self.match_expression(terms)
        if not expr:
            return []
        cursor.execute(
            "SELECT id, ts_rank_cd(tsv, q, 1) AS score FROM search_document, to_tsquery('simple', %s) q "
            "WHERE tsv @@ q ORDER BY score DESC, id LIMIT %s",
            [expr, limit],
        )
        return [(int(r[0]), float(r[1])) for r in cursor.fetchall()]

    def count(self, cursor) -> int:
        cursor.execute("SELECT count(*) FROM search_document")
        return int(cursor.fetchone()[0])

    def vocabulary(self, cursor, limit: int = 200_000) -> list[tuple[str, int]]:
        cursor.execute(
            "SELECT word, ndoc FROM ts_stat('SELECT tsv FROM search_document') ORDER BY ndoc DESC LIMIT %s",
            [limit],
        )
        return [(r[0], int(r[1])) for r in cursor.fetchall()]


BACKENDS = {"sqlite": SqliteFts, "postgresql": PostgresFts}


def backend_for(connection) -> SqliteFts | PostgresFts:
    try:
        return BACKENDS[connection.vendor]()
    except KeyError:
        raise NotImplementedError(f"search index: unsupported database {connection.vendor}") from None


class PlainSqlite:
    """A ``sqlite3`` connection that accepts Django's ``%s`` placeholders (for throwaway indexes)."""

    vendor = "sqlite"

    def __init__(self, path: str = ":memory:"):
        self.raw = sqlite3.connect(path)

    def cursor(self):
        return _PlainCursor(self.raw.cursor())

    def commit(self):
        self.raw.commit()

    def close(self):
        self.raw.close()


class _PlainCursor:
    def __init__(self, cursor):
        self._c = cursor

    def execute(self, sql, params=()):
        return self._c.execute(sql.replace("%s", "?"), list(params))

    def executemany(self, sql, rows):
        return self._c.executemany(sql.replace("%s", "?"), rows)

    def fetchall(self):
        return self._c.fetchall()

    def fetchone(self):
        return self._c.fetchone()

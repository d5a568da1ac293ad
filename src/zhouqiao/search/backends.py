"""The full-text index inside the database, behind one small interface.

* SQLite (the embedded default): an FTS5 virtual table ``search_fts(title, body)`` with the
  ``unicode61`` tokenizer over pre-segmented terms; rowid = ``search_document.id``; ranked by
  ``bm25()`` with the title weighted higher than the body.
* PostgreSQL: a narrow table ``search_fts(id, tsv, norm)``, the ``tsvector`` built with
  ``to_tsvector('simple', …)`` (title weight A, body weight B), with a GIN index; ranked by
  ``ts_rank`` (term frequency by weight over log length, the nearest to BM25; ``ts_rank_cd``'s
  cover density took 1.7× as long per matching row at 300,000 rows and adds nothing for
  queries that match ANY term).

Both take the analyzer's terms (already segmented, synonyms folded), match ANY of them and return
``(document id, score)`` best first. The backend is chosen by ``connection.vendor``. The same
classes run the throwaway index of ``zhouqiao search-eval``, on a plain ``sqlite3`` connection
wrapped by :class:`PlainSqlite`.

The n-gram path (``contains``): each document's :func:`~zhouqiao.search.analysis.grams` — title
and body apart — in a second index: the FTS5 table ``search_grams(title, body)`` on SQLite, the
narrow table ``search_grams(id, grams, norm)`` (a tsvector: title positions weight A, then the
body; ``norm`` its stored length normaliser) with a GIN index on PostgreSQL. A query piece is a
phrase of its bigrams (FTS5 ``"碳化 化硅"``, tsquery ``'碳化' <-> '化硅'``), so a match means the
record holds the piece as a substring. Every piece must match; records holding them all in the
title come first.
"""

from __future__ import annotations

import math
import re
import sqlite3
from collections import defaultdict
from typing import NamedTuple

_SAFE_TERM = re.compile(r"^[\w.\-/]+$")


class FulltextRow(NamedTuple):
    """What the index holds for one document: word terms (joined) and n-gram tokens (lists)."""

    id: int
    title_terms: str
    terms: str
    title_grams: list[str]
    grams: list[str]


def _quote_fts5(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


class SqliteFts:
    vendor = "sqlite"
    # bm25() weights per column: title, body.
    weights = (3.0, 1.0)
    # The n-gram index's bm25() weights (title, body): the order within the records that contain
    # the query.
    gram_weights = (10.0, 1.0)

    create_sql = [
        "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
        "title, body, tokenize = 'unicode61 remove_diacritics 2 tokenchars ''-./_''')",
    ]
    drop_sql = ["DROP TABLE IF EXISTS search_fts"]
    gram_create_sql = [
        "CREATE VIRTUAL TABLE IF NOT EXISTS search_grams USING fts5("
        "title, body, tokenize = 'unicode61 remove_diacritics 0')",
    ]
    gram_drop_sql = ["DROP TABLE IF EXISTS search_grams"]

    def put(self, cursor, rows: list[FulltextRow]) -> None:
        """Insert or replace the rows."""
        if not rows:
            return
        self.delete(cursor, [r.id for r in rows])
        self.add(cursor, rows)

    def add(self, cursor, rows: list[FulltextRow]) -> None:
        """Insert rows for ids new to the index (nothing to replace)."""
        cursor.executemany(
            "INSERT INTO search_fts (rowid, title, body) VALUES (%s, %s, %s)",
            [(r.id, r.title_terms, r.terms) for r in rows],
        )
        self.add_grams(cursor, rows)

    def add_grams(self, cursor, rows: list[FulltextRow]) -> None:
        cursor.executemany(
            "INSERT INTO search_grams (rowid, title, body) VALUES (%s, %s, %s)",
            [(r.id, " ".join(r.title_grams), " ".join(r.grams)) for r in rows],
        )

    def delete(self, cursor, ids: list[int]) -> None:
        cursor.executemany("DELETE FROM search_fts WHERE rowid = %s", [(i,) for i in ids])
        cursor.executemany("DELETE FROM search_grams WHERE rowid = %s", [(i,) for i in ids])

    def clear(self, cursor) -> None:
        cursor.execute("DELETE FROM search_fts")
        cursor.execute("DELETE FROM search_grams")

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

    def contains_expression(self, phrases: list[list[str]], column: str = "") -> str:
        prefix = f"{column} : " if column else ""
        return " AND ".join(prefix + _quote_fts5(" ".join(p)) for p in phrases if p)

    def contains(self, cursor, phrases: list[list[str]], limit: int) -> list[tuple[int, bool]]:
        """``(document id, all phrases in the title)`` of the records holding every phrase: title
        hits first, then by bm25 over the n-grams."""
        expr = self.contains_expression(phrases)
        if not expr:
            return []
        cursor.execute(
            "SELECT rowid, rowid IN (SELECT rowid FROM search_grams WHERE search_grams MATCH %s) AS t "
            "FROM search_grams WHERE search_grams MATCH %s "
            "ORDER BY t DESC, bm25(search_grams, %s, %s) LIMIT %s",
            [self.contains_expression(phrases, "title"), expr, *self.gram_weights, limit],
        )
        return [(int(r[0]), bool(r[1])) for r in cursor.fetchall()]

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


def _lexeme(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


# A token that needs escaping in a tsvector literal (analysis.grams makes none).
_UNSAFE = re.compile(r"['\\]")

# tsvector positions stop at 16383 (later ones are stored as 16383) and 256 per lexeme.
_MAX_POSITION = 16383
_POSITIONS = [str(p) for p in range(_MAX_POSITION + 1)]


def gram_vector(title_grams: list[str], grams: list[str]) -> tuple[str, float]:
    """The tsvector literal of a document's n-grams — title positions weight A, one position left
    free (so no phrase runs from the title into the body), then the body — and its length
    normaliser: log2(1 + the number of positions the tsvector holds), what ``ts_rank``'s
    normalisation 1 divides by. Stored beside the vector, it spares a query that ranks thousands of
    matching rows a pass over each row's ~120 lexemes (``cnt_length``): that pass was half the
    n-gram query's time."""
    start = len(title_grams) + 2
    end = start + len(grams)
    positions: defaultdict[str, list[str]] = defaultdict(list)
    for pos, token in enumerate(title_grams, 1):
        positions[token].append(f"{min(pos, _MAX_POSITION)}A")
    numbers = (
        _POSITIONS[start:end]
        if end <= _MAX_POSITION
        else [str(min(p, _MAX_POSITION)) for p in range(start, end)]
    )
    for token, pos in zip(grams, numbers, strict=True):
        positions[token].append(pos)
    if end <= _MAX_POSITION:
        held = sum(min(len(p), 256) for p in positions.values())
    else:  # positions past the limit are all stored as 16383, once per lexeme
        held = sum(len({q.rstrip("A") for q in p[:256]}) for p in positions.values())
    norm = math.log2(1 + held) if held else 1.0
    if _UNSAFE.search("".join(positions)):
        return " ".join(f"{_lexeme(t)}:{','.join(p[:256])}" for t, p in positions.items()), norm
    return " ".join([f"'{t}':{','.join(p[:256])}" for t, p in positions.items()]), norm


def gram_query(phrases: list[list[str]], weight: str = "") -> str:
    """tsquery text: each phrase's tokens joined by ``<->``, the phrases by ``&``."""
    suffix = f":{weight}" if weight else ""
    return " & ".join("(" + " <-> ".join(_lexeme(t) + suffix for t in p) + ")" for p in phrases if p)


# A word vector's length normaliser in SQL, over the column ``tsv``: log2(1 + the positions it
# holds; a lexeme without positions counts once), 1 for an empty vector — what ``ts_rank``'s
# normalisation 1 divides by, counted as PostgreSQL's ``cnt_length`` does.
WORD_NORMALISER_SQL = (
    "coalesce(log(2, 1 + nullif((SELECT sum(greatest(coalesce(array_length(u.positions, 1), 0), 1))"
    " FROM unnest(tsv) u), 0)), 1)"
)


class PostgresFts:
    """Two narrow tables beside ``search_document``, like SQLite's two FTS5 tables: ``search_fts(id,
    tsv, norm)`` (the words, title weight A, body weight B) and ``search_grams(id, grams, norm)``
    (the n-grams), each with a GIN index. A query ranks every matching row, so it reads only these
    short rows, never the wide document row (its text, stored terms and signature). ``norm``, each
    vector's stored length normaliser, lets both rank by ``ts_rank(…, 0) / norm``, the order of
    ``ts_rank(…, 1)`` without a pass over every lexeme of every matching row."""

    vendor = "postgresql"

    # ``norm`` is made NOT NULL by migration 0010, once it has filled the rows indexed before it.
    create_sql = [
        "CREATE TABLE IF NOT EXISTS search_fts (id bigint PRIMARY KEY, tsv tsvector NOT NULL, norm real)",
        "CREATE INDEX IF NOT EXISTS search_fts_tsv_gin ON search_fts USING gin (tsv)",
    ]
    drop_sql = ["DROP TABLE IF EXISTS search_fts"]

    # The n-gram tsvector and its length normaliser are made by the application (``gram_vector``):
    # PostgreSQL has no character n-gram parser. ``norm`` is made NOT NULL by migration 0009,
    # once it has filled the rows of databases indexed before it.
    gram_create_sql = [
        "CREATE TABLE IF NOT EXISTS search_grams (id bigint PRIMARY KEY, grams tsvector NOT NULL, norm real)",
        "CREATE INDEX IF NOT EXISTS search_grams_gin ON search_grams USING gin (grams)",
    ]
    gram_drop_sql = ["DROP TABLE IF EXISTS search_grams"]

    def put(self, cursor, rows: list[FulltextRow]) -> None:
        self.delete(cursor, [r.id for r in rows])
        self.add(cursor, rows)

    def add(self, cursor, rows: list[FulltextRow]) -> None:
        if not rows:
            return
        cursor.execute(
            "INSERT INTO search_fts (id, tsv, norm) SELECT v.id, tsv, "  # noqa: S608 (a constant of this module)  # nosec B608
            + WORD_NORMALISER_SQL
            + " FROM unnest(%s::bigint[], %s::text[], %s::text[]) AS v(id, title, body),"
            " LATERAL (SELECT setweight(to_tsvector('simple', v.title), 'A')"
            " || setweight(to_tsvector('simple', v.body), 'B') AS tsv) t",
            [[r.id for r in rows], [r.title_terms or "" for r in rows], [r.terms or "" for r in rows]],
        )
        self.add_grams(cursor, rows)

    def add_grams(self, cursor, rows: list[FulltextRow]) -> None:
        with cursor.cursor.copy("COPY search_grams (id, grams, norm) FROM STDIN") as copy:
            for r in rows:
                copy.write_row([r.id, *gram_vector(r.title_grams, r.grams)])

    def delete(self, cursor, ids) -> None:
        ids = list(ids)
        if ids:
            cursor.execute("DELETE FROM search_fts WHERE id = ANY(%s)", [ids])
            cursor.execute("DELETE FROM search_grams WHERE id = ANY(%s)", [ids])

    def clear(self, cursor) -> None:
        cursor.execute("TRUNCATE search_fts, search_grams")

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
            "SELECT id, ts_rank(tsv, q, 0) / norm AS score FROM search_fts, to_tsquery('simple', %s) q "
            "WHERE tsv @@ q ORDER BY score DESC, id LIMIT %s",
            [expr, limit],
        )
        return [(int(r[0]), float(r[1])) for r in cursor.fetchall()]

    def contains(self, cursor, phrases: list[list[str]], limit: int) -> list[tuple[int, bool]]:
        """``(document id, all phrases in the title)`` of the records holding every phrase: title
        hits first, then by ``ts_rank`` over the n-grams, normalised by the stored length (what
        ``ts_rank(grams, q, 1)`` computes, without reading every lexeme of every matching row)."""
        expr = gram_query(phrases)
        if not expr:
            return []
        cursor.execute(
            "SELECT id, grams @@ %s::tsquery AS t FROM search_grams WHERE grams @@ %s::tsquery "
            "ORDER BY t DESC, ts_rank(grams, %s::tsquery, 0) / norm DESC, id LIMIT %s",
            [gram_query(phrases, "A"), expr, expr, limit],
        )
        return [(int(r[0]), bool(r[1])) for r in cursor.fetchall()]

    def count(self, cursor) -> int:
        cursor.execute("SELECT count(*) FROM search_document")
        return int(cursor.fetchone()[0])

    def vocabulary(self, cursor, limit: int = 200_000) -> list[tuple[str, int]]:
        cursor.execute(
            "SELECT word, ndoc FROM ts_stat('SELECT tsv FROM search_fts') ORDER BY ndoc DESC LIMIT %s",
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

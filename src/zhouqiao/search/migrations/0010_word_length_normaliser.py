"""PostgreSQL: ``search_fts`` gains ``norm``, the word vector's length normaliser, as
``search_grams`` did in 0009: the word query then ranks its matches by ``ts_rank(tsv, q, 0) / norm``,
the order of ``ts_rank(tsv, q, 1)`` without a pass over each matching row's lexemes. Rows already
written get it computed here. SQLite: nothing."""

from django.db import migrations

from zhouqiao.search.backends import WORD_NORMALISER_SQL


def add(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE search_fts ADD COLUMN IF NOT EXISTS norm real")
    schema_editor.execute(
        "UPDATE search_fts SET norm = " + WORD_NORMALISER_SQL + " WHERE norm IS NULL"  # noqa: S608 (a constant)  # nosec B608
    )
    schema_editor.execute("ALTER TABLE search_fts ALTER COLUMN norm SET NOT NULL")


class Migration(migrations.Migration):
    dependencies = [("search", "0009_gram_length_normaliser")]

    operations = [migrations.RunPython(add, migrations.RunPython.noop)]

"""PostgreSQL: ``search_grams`` gains ``norm``, the n-gram vector's length normaliser
(log2(1 + positions held), what ``ts_rank``'s normalisation 1 computes from the vector on every
call), so the n-gram query ranks its matches without a pass over each row's lexemes (see
zhouqiao.search.backends.gram_vector). Rows already written get it computed here. SQLite: nothing."""

from django.db import migrations


def add(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE search_grams ADD COLUMN IF NOT EXISTS norm real")
    schema_editor.execute(
        "UPDATE search_grams SET norm = coalesce(log(2, 1 + nullif("
        "(SELECT sum(greatest(coalesce(array_length(u.positions, 1), 0), 1)) FROM unnest(grams) u), 0)"
        "), 1) WHERE norm IS NULL"
    )
    schema_editor.execute("ALTER TABLE search_grams ALTER COLUMN norm SET NOT NULL")


class Migration(migrations.Migration):
    dependencies = [("search", "0008_narrow_fulltext_tables")]

    operations = [migrations.RunPython(add, migrations.RunPython.noop)]

"""PostgreSQL: the word and n-gram tsvectors move out of the wide ``search_document`` row into the
narrow tables ``search_fts(id, tsv)`` and ``search_grams(id, grams)`` (see zhouqiao.search.backends):
a query that ranks many matching rows then reads short rows only. A database made before this
migration has the old columns: their values are moved and the columns dropped. SQLite: nothing."""

from django.db import migrations

from zhouqiao.search.backends import PostgresFts


def move(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    for sql in PostgresFts.create_sql + PostgresFts.gram_create_sql:
        schema_editor.execute(sql)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'search_document'"
            " AND column_name IN ('tsv', 'grams')"
        )
        old = {row[0] for row in cursor.fetchall()}
        if "tsv" in old:
            cursor.execute("INSERT INTO search_fts (id, tsv) SELECT id, tsv FROM search_document")
            cursor.execute("ALTER TABLE search_document DROP COLUMN tsv")
        if "grams" in old:
            cursor.execute(
                "INSERT INTO search_grams (id, grams) SELECT id, grams FROM search_document"
                " WHERE grams IS NOT NULL"
            )
            cursor.execute("ALTER TABLE search_document DROP COLUMN grams")


class Migration(migrations.Migration):
    dependencies = [("search", "0007_notifications_to_inbox")]

    operations = [migrations.RunPython(move, migrations.RunPython.noop)]

"""The n-gram index of the typed-word path (see zhouqiao.search.backends): an FTS5 table
``search_grams`` on SQLite, a ``grams`` tsvector column with a GIN index on PostgreSQL; filled here
for the documents already indexed (the n-grams come from their stored title, keywords and text)."""

from django.db import migrations

from zhouqiao.search.analysis import grams
from zhouqiao.search.backends import FulltextRow, backend_for

BATCH = 1000


def create(apps, schema_editor):
    backend = backend_for(schema_editor.connection)
    for sql in backend.gram_create_sql:
        schema_editor.execute(sql)
    SearchDocument = apps.get_model("search", "SearchDocument")
    rows = SearchDocument.objects.order_by("pk").values_list("pk", "title", "keywords", "text")
    last = 0
    with schema_editor.connection.cursor() as cursor:
        while True:
            batch = list(rows.filter(pk__gt=last)[:BATCH])
            if not batch:
                break
            backend.add_grams(
                cursor,
                [
                    FulltextRow(pk, "", "", grams(title), grams("\n".join(p for p in (keywords, text) if p)))
                    for pk, title, keywords, text in batch
                ],
            )
            last = batch[-1][0]


def drop(apps, schema_editor):
    backend = backend_for(schema_editor.connection)
    for sql in backend.gram_drop_sql:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("search", "0005_instrument_documents")]

    operations = [migrations.RunPython(create, drop)]

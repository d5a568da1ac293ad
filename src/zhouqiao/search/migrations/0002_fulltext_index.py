"""The full-text index per database: an FTS5 virtual table on SQLite, a generated tsvector column
with a GIN index on PostgreSQL (see zhouqiao.search.backends)."""

from django.db import migrations

from zhouqiao.search.backends import backend_for


def create(apps, schema_editor):
    backend = backend_for(schema_editor.connection)
    for sql in backend.create_sql:
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    backend = backend_for(schema_editor.connection)
    for sql in backend.drop_sql:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]

"""The n-gram index gains the edge characters of CJK runs that touch a Latin word or a number
(analysis.grams: 用光5G → 用光 光 5 g), so a typed piece that starts or ends inside such a run
(光5, 5G专) finds the record. A query is cut the same way, so rows written before must be rewritten
from the stored documents (their word rows are written again unchanged)."""

from django.db import migrations

BATCH = 2000


def rewrite(apps, schema_editor):
    from zhouqiao.search.backends import backend_for
    from zhouqiao.search.indexing import fulltext_row

    Document = apps.get_model("search", "SearchDocument")
    backend = backend_for(schema_editor.connection)
    last = 0
    with schema_editor.connection.cursor() as cursor:
        while True:
            docs = list(Document.objects.filter(pk__gt=last).order_by("pk")[:BATCH])
            if not docs:
                break
            backend.put(cursor, [fulltext_row(d) for d in docs])
            last = docs[-1].pk


class Migration(migrations.Migration):
    dependencies = [("search", "0010_word_length_normaliser")]

    operations = [migrations.RunPython(rewrite, migrations.RunPython.noop)]

"""Recompute the stored MinHash signatures with the packed-code-point shingle hash (see
zhouqiao.search.similarity): a signature is only comparable with one made by the same hash."""

from django.db import migrations


def recompute(apps, schema_editor):
    from zhouqiao.search.similarity import minhash

    SearchDocument = apps.get_model("search", "SearchDocument")
    batch = []
    for doc in SearchDocument.objects.only("title", "keywords", "text").iterator(chunk_size=2000):
        body = "\n".join(p for p in (doc.keywords, doc.text) if p)
        doc.minhash = minhash(doc.title + body)
        batch.append(doc)
        if len(batch) == 2000:
            SearchDocument.objects.bulk_update(batch, ["minhash"])
            batch = []
    SearchDocument.objects.bulk_update(batch, ["minhash"])


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext_index")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]

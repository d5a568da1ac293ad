"""Saved-search alerts move to the one inbox (``notifications.Notification``): every old message is
copied (same text, time, read state and link, keyed per saved search and record as new alerts are),
the owners of saved searches keep getting them by e-mail as before (the inbox sends e-mail only to
those who opted in to a kind), and the search app's own model is dropped."""

from django.db import migrations

ALERT, DEMAND_MATCH = "search.alert", "search.demand_match"


def copy_to_inbox(apps, schema_editor):
    from django.urls import NoReverseMatch

    from zhouqiao.search.models import SearchDocument as LiveDocument

    Old = apps.get_model("search", "Notification")
    New = apps.get_model("notifications", "Notification")
    SavedSearch = apps.get_model("search", "SavedSearch")
    EmailPreference = apps.get_model("notifications", "EmailPreference")
    rows = []
    for old in Old.objects.select_related("saved_search", "document").order_by("pk").iterator():
        saved, doc = old.saved_search, old.document
        kind = DEMAND_MATCH if saved is not None and saved.demand_id else ALERT
        if saved is not None and doc is not None:
            key = f"search.alert:{saved.pk}:{doc.kind}:{doc.object_id}"
        else:  # the saved search or the record is gone: keep the message under its old id
            key = f"search.alert:old:{old.pk}"
        url = ""
        if doc is not None:
            try:
                url = LiveDocument(kind=doc.kind, object_id=doc.object_id).get_absolute_url()
            except NoReverseMatch:
                url = ""
        rows.append(
            New(
                user_id=old.user_id,
                kind=kind,
                key=key,
                title=old.message[:255],
                url=url,
                created_at=old.created_at,
                read_at=old.read_at,
            )
        )
    New.objects.bulk_create(rows, ignore_conflicts=True)
    prefs = []
    for user_id, demand_id in SavedSearch.objects.values_list("user_id", "demand_id").distinct():
        prefs.append(EmailPreference(user_id=user_id, kind=DEMAND_MATCH if demand_id else ALERT))
    EmailPreference.objects.bulk_create(prefs, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0006_ngram_index"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(copy_to_inbox, migrations.RunPython.noop),
        migrations.DeleteModel(name="Notification"),
    ]

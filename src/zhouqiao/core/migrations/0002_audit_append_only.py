"""Make the audit table append-only in the database itself, on SQLite and on PostgreSQL."""

from django.db import migrations

from zhouqiao.core.migrations._audit_triggers import install


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]

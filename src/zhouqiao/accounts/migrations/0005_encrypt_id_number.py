"""ID numbers encrypted at rest (zhouqiao.core.crypto): the column becomes text and the numbers
already stored are encrypted in place."""

from django.db import migrations

import zhouqiao.core.crypto


def encrypt_existing(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for pk, stored in User.objects.exclude(id_number="").values_list("pk", "id_number").iterator():
        # values_list reads through the field, which decrypts; saving encrypts what is not yet.
        User.objects.filter(pk=pk).update(id_number=stored)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_policy_editor_duty"),
    ]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="id_number",
            field=zhouqiao.core.crypto.EncryptedCharField(blank=True, max_length=18, verbose_name="身份证号"),
        ),
        migrations.RunPython(encrypt_existing, migrations.RunPython.noop),
    ]

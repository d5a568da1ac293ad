"""Registered contracts issued before the verification code get one now, and the name of the organ
that registered them (the registrar's bureau); returned contracts take their last return time
from the audit log."""

from django.db import migrations


def backfill(apps, schema_editor):
    from zhouqiao.contracts.certificates import new_verification_code, registry_name

    Contract = apps.get_model("contracts", "Contract")
    Organisation = apps.get_model("accounts", "Organisation")
    StaffAssignment = apps.get_model("accounts", "StaffAssignment")
    User = apps.get_model("accounts", "User")
    AuditEvent = apps.get_model("core", "AuditEvent")
    for contract in Contract.objects.filter(status__in=["registered", "reversed"], verification_code=None):
        registrar = User.objects.filter(pk=contract.registrar_id).first()
        contract.verification_code = new_verification_code()
        contract.registry_name = registry_name(
            registrar,
            contract.region_id,
            organisations=Organisation.objects,
            assignments=StaffAssignment.objects,
        )
        contract.save(update_fields=["verification_code", "registry_name"])
    for contract in Contract.objects.filter(status="returned", returned_at=None):
        event = (
            AuditEvent.objects.filter(action="contract.returned", target_id=str(contract.pk))
            .order_by("-at")
            .first()
        )
        contract.returned_at = event.at if event else contract.submitted_at
        contract.save(update_fields=["returned_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0002_registry_and_verification"),
        ("accounts", "0002_initial"),
        ("core", "0002_audit_append_only"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]

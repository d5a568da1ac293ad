# Issue 16: a bureau's staff with the policy_editor duty propose and approve its policy values.
# Written by hand (the duty's choices and the constraint that lists the known duties only).

from django.db import migrations, models

DUTIES = [
    "reviewer",
    "registrar",
    "finance",
    "policy_editor",
    "system_admin",
    "audit_admin",
    "security_admin",
]


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_consent_tokens_sessions_totp")]

    operations = [
        migrations.AlterField(
            model_name="staffassignment",
            name="duty",
            field=models.CharField(
                choices=[
                    ("reviewer", "审核员"),
                    ("registrar", "合同登记员"),
                    ("finance", "财务审批"),
                    ("policy_editor", "政策参数编辑"),
                    ("system_admin", "系统管理员"),
                    ("audit_admin", "审计管理员"),
                    ("security_admin", "安全管理员"),
                ],
                max_length=16,
                verbose_name="职责",
            ),
        ),
        migrations.RemoveConstraint(model_name="staffassignment", name="assignment_duty_known"),
        migrations.AddConstraint(
            model_name="staffassignment",
            constraint=models.CheckConstraint(
                condition=models.Q(("duty__in", DUTIES)), name="assignment_duty_known"
            ),
        ),
    ]

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import zhouqiao.core.money


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0002_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("contracts", "0001_initial"),
        ("core", "0002_audit_append_only"),
    ]

    operations = [
        migrations.CreateModel(
            name="Application",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("rule_id", models.CharField(max_length=64, verbose_name="规则")),
                ("clause", models.CharField(max_length=16, verbose_name="政策条款")),
                ("title", models.CharField(max_length=200, verbose_name="政策名称")),
                (
                    "beneficiary",
                    models.CharField(
                        choices=[
                            ("seller", "卖方（成果输出单位）"),
                            ("buyer", "买方"),
                            ("broker", "技术经纪（理）人"),
                            ("transfer_institution", "技术转移机构"),
                            ("registrant", "合同登记方"),
                            ("inventors", "成果完成人（团队）"),
                            ("applicant", "申请单位"),
                        ],
                        max_length=24,
                        verbose_name="受益方",
                    ),
                ),
                (
                    "ceiling",
                    zhouqiao.core.money.MoneyField(
                        decimal_places=2, max_digits=14, verbose_name="最高金额（元）"
                    ),
                ),
                ("statement", models.TextField(blank=True, verbose_name="申请说明")),
                (
                    "granted_amount",
                    zhouqiao.core.money.MoneyField(
                        blank=True, decimal_places=2, max_digits=14, null=True, verbose_name="核定金额（元）"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("invited", "可申请"),
                            ("submitted", "待评审"),
                            ("granted", "已核定"),
                            ("refused", "未获支持"),
                            ("withdrawn", "已撤销"),
                        ],
                        default="invited",
                        max_length=16,
                        verbose_name="状态",
                    ),
                ),
                ("status_reason", models.TextField(blank=True, verbose_name="评审意见")),
                ("trace", models.JSONField(default=dict)),
                ("year", models.PositiveIntegerField()),
                ("created_at", models.DateTimeField()),
                (
                    "contract",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="applications",
                        to="contracts.contract",
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="policy_applications",
                        to="accounts.organisation",
                    ),
                ),
                (
                    "payer_region",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="core.region"
                    ),
                ),
                (
                    "reviewer",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at", "-pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("granted_amount__isnull", True),
                            ("granted_amount__lte", models.F("ceiling")),
                            _connector="OR",
                        ),
                        name="application_within_ceiling",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="CapUsage",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("beneficiary_key", models.CharField(max_length=80)),
                ("clause", models.CharField(max_length=16)),
                ("year", models.PositiveIntegerField()),
                ("used", zhouqiao.core.money.MoneyField(decimal_places=2, default=0, max_digits=14)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("beneficiary_key", "clause", "year"), name="cap_usage_unique"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("used__gte", 0)), name="cap_usage_not_negative"
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="DistributionScheme",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "inventors_ratio",
                    models.DecimalField(
                        decimal_places=4, max_digits=7, verbose_name="成果完成人（团队）比例"
                    ),
                ),
                ("unit_ratio", models.DecimalField(decimal_places=4, max_digits=7, verbose_name="单位比例")),
                (
                    "department_ratio",
                    models.DecimalField(decimal_places=4, max_digits=7, verbose_name="院系（所）比例"),
                ),
                ("updated_at", models.DateTimeField()),
                (
                    "organisation",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="distribution_scheme",
                        to="accounts.organisation",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("inventors_ratio__gte", "0.7000")),
                        name="scheme_inventors_at_least_70",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Entitlement",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("rule_id", models.CharField(max_length=64, verbose_name="规则")),
                ("clause", models.CharField(max_length=16, verbose_name="政策条款")),
                ("title", models.CharField(max_length=200, verbose_name="政策名称")),
                (
                    "beneficiary",
                    models.CharField(
                        choices=[
                            ("seller", "卖方（成果输出单位）"),
                            ("buyer", "买方"),
                            ("broker", "技术经纪（理）人"),
                            ("transfer_institution", "技术转移机构"),
                            ("registrant", "合同登记方"),
                            ("inventors", "成果完成人（团队）"),
                            ("applicant", "申请单位"),
                        ],
                        max_length=24,
                        verbose_name="受益方",
                    ),
                ),
                ("beneficiary_name", models.CharField(max_length=128, verbose_name="受益人")),
                ("year", models.PositiveIntegerField(verbose_name="年度")),
                (
                    "amount",
                    zhouqiao.core.money.MoneyField(
                        decimal_places=2, max_digits=14, verbose_name="核定金额（元）"
                    ),
                ),
                ("trace", models.JSONField(default=dict, verbose_name="计算依据")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("computed", "待确认"),
                            ("confirmed", "待财务初审"),
                            ("first_approved", "待财务复审"),
                            ("approved", "待拨付"),
                            ("paid", "已拨付"),
                            ("rejected", "已驳回"),
                            ("reversed", "已冲销"),
                        ],
                        default="computed",
                        max_length=16,
                        verbose_name="状态",
                    ),
                ),
                ("status_reason", models.TextField(blank=True, verbose_name="意见")),
                ("payment_reference", models.CharField(blank=True, max_length=64, verbose_name="拨付凭证号")),
                ("created_at", models.DateTimeField(verbose_name="核定时间")),
                ("updated_at", models.DateTimeField(verbose_name="更新时间")),
                (
                    "annual_cap_key",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="policy.capusage",
                    ),
                ),
                (
                    "application",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="entitlement",
                        to="policy.application",
                    ),
                ),
                (
                    "confirmed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "contract",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="entitlements",
                        to="contracts.contract",
                    ),
                ),
                (
                    "first_approver",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="entitlements",
                        to="accounts.organisation",
                        verbose_name="受益单位",
                    ),
                ),
                (
                    "payer_region",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="core.region",
                        verbose_name="兑现部门所在地",
                    ),
                ),
                (
                    "second_approver",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "政策兑现",
                "verbose_name_plural": "政策兑现",
                "ordering": ["-created_at", "-pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("amount__gt", 0)), name="entitlement_positive"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            (
                                "status__in",
                                [
                                    "computed",
                                    "confirmed",
                                    "first_approved",
                                    "approved",
                                    "paid",
                                    "rejected",
                                    "reversed",
                                ],
                            )
                        ),
                        name="entitlement_status_known",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("first_approver__isnull", True),
                            ("second_approver__isnull", True),
                            models.Q(("first_approver", models.F("second_approver")), _negated=True),
                            _connector="OR",
                        ),
                        name="entitlement_two_different_approvers",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("contract__isnull", False)),
                        fields=("contract", "rule_id", "beneficiary"),
                        name="entitlement_once_per_contract_rule",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="IncomeDistribution",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "income",
                    zhouqiao.core.money.MoneyField(
                        decimal_places=2, max_digits=14, verbose_name="转化收入（元）"
                    ),
                ),
                (
                    "costs",
                    zhouqiao.core.money.MoneyField(
                        decimal_places=2, max_digits=14, verbose_name="相关成本（元）"
                    ),
                ),
                (
                    "net_income",
                    zhouqiao.core.money.MoneyField(
                        decimal_places=2, max_digits=14, verbose_name="净收入（元）"
                    ),
                ),
                (
                    "inventors_amount",
                    zhouqiao.core.money.MoneyField(
                        decimal_places=2, max_digits=14, verbose_name="成果完成人（团队）"
                    ),
                ),
                (
                    "unit_amount",
                    zhouqiao.core.money.MoneyField(decimal_places=2, max_digits=14, verbose_name="单位"),
                ),
                (
                    "department_amount",
                    zhouqiao.core.money.MoneyField(
                        decimal_places=2, max_digits=14, verbose_name="院系（所）"
                    ),
                ),
                ("inventors", models.JSONField(default=list, verbose_name="成果完成人及份额")),
                ("ratios", models.JSONField(default=dict)),
                ("created_at", models.DateTimeField()),
                (
                    "contract",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="distributions",
                        to="contracts.contract",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="accounts.organisation",
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="LedgerEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("grant", "核定"),
                            ("release", "冲销"),
                            ("payment", "拨付"),
                            ("recovery", "追回"),
                        ],
                        max_length=10,
                    ),
                ),
                ("amount", zhouqiao.core.money.MoneyField(decimal_places=2, max_digits=14)),
                ("at", models.DateTimeField()),
                ("note", models.CharField(blank=True, max_length=200)),
                (
                    "actor",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "entitlement",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="ledger",
                        to="policy.entitlement",
                    ),
                ),
            ],
            options={
                "ordering": ["at", "pk"],
            },
        ),
    ]

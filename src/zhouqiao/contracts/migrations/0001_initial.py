import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import zhouqiao.core.money


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0002_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("core", "0002_audit_append_only"),
    ]

    operations = [
        migrations.CreateModel(
            name="Contract",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="合同名称")),
                (
                    "contract_type",
                    models.CharField(
                        choices=[
                            ("development", "技术开发"),
                            ("transfer", "技术转让"),
                            ("licence", "技术许可"),
                            ("consulting", "技术咨询"),
                            ("service", "技术服务"),
                            ("equity", "技术入股"),
                        ],
                        max_length=16,
                        verbose_name="合同类型",
                    ),
                ),
                (
                    "subtype",
                    models.CharField(
                        choices=[
                            ("commissioned_development", "委托开发"),
                            ("cooperative_development", "合作开发"),
                            ("patent_transfer", "专利权转让"),
                            ("patent_application_transfer", "专利申请权转让"),
                            ("know_how_transfer", "技术秘密转让"),
                            ("other_transfer", "其他技术转让"),
                            ("patent_licence", "专利实施许可"),
                            ("know_how_licence", "技术秘密使用许可"),
                            ("other_licence", "其他技术许可"),
                            ("consulting", "技术咨询"),
                            ("service", "技术服务"),
                            ("training", "技术培训"),
                            ("intermediary", "技术中介"),
                            ("equity", "技术入股"),
                        ],
                        max_length=32,
                        verbose_name="合同子类",
                    ),
                ),
                ("broker_name", models.CharField(blank=True, max_length=64, verbose_name="技术经纪（理）人")),
                (
                    "contract_amount",
                    zhouqiao.core.money.MoneyField(
                        decimal_places=2, max_digits=14, verbose_name="合同成交额（元）"
                    ),
                ),
                (
                    "technology_amount",
                    zhouqiao.core.money.MoneyField(
                        decimal_places=2, max_digits=14, verbose_name="技术交易额（元）"
                    ),
                ),
                ("signed_on", models.DateField(verbose_name="签订日期")),
                ("ip_summary", models.TextField(blank=True, verbose_name="涉及的知识产权")),
                ("summary", models.TextField(blank=True, verbose_name="合同主要内容")),
                ("is_written", models.BooleanField(default=True, verbose_name="书面合同")),
                (
                    "attachment",
                    models.FileField(
                        blank=True, upload_to="contracts/%Y/", verbose_name="签字盖章的合同文本（PDF）"
                    ),
                ),
                ("attachment_name", models.CharField(blank=True, max_length=200, verbose_name="原文件名")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("draft", "草稿"),
                            ("submitted", "待登记审查"),
                            ("returned", "已退回"),
                            ("registered", "已登记"),
                            ("refused", "不予登记"),
                            ("reversed", "已撤销登记"),
                        ],
                        default="draft",
                        max_length=16,
                        verbose_name="状态",
                    ),
                ),
                ("status_reason", models.TextField(blank=True, verbose_name="登记意见")),
                (
                    "registration_number",
                    models.CharField(
                        blank=True, max_length=20, null=True, unique=True, verbose_name="登记号"
                    ),
                ),
                ("submitted_at", models.DateTimeField(blank=True, null=True, verbose_name="提交时间")),
                ("decision_due", models.DateField(blank=True, null=True, verbose_name="登记办结期限")),
                ("registered_at", models.DateTimeField(blank=True, null=True, verbose_name="登记时间")),
                (
                    "source_deal_id",
                    models.PositiveBigIntegerField(blank=True, null=True, verbose_name="来源交易"),
                ),
                ("created_at", models.DateTimeField(verbose_name="创建时间")),
                (
                    "broker_region",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="core.region",
                        verbose_name="经纪人执业地区",
                    ),
                ),
                (
                    "buyer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="contracts_bought",
                        to="accounts.organisation",
                        verbose_name="买方",
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
                    "industry",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        to="core.industry",
                        verbose_name="所属行业",
                    ),
                ),
                (
                    "region",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="core.region",
                        verbose_name="登记地区",
                    ),
                ),
                (
                    "registrar",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="登记人员",
                    ),
                ),
                (
                    "seller",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="contracts_sold",
                        to="accounts.organisation",
                        verbose_name="卖方",
                    ),
                ),
                (
                    "transfer_institution",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="contracts_brokered",
                        to="accounts.organisation",
                        verbose_name="中介方（技术转移机构）",
                    ),
                ),
            ],
            options={
                "verbose_name": "技术合同",
                "verbose_name_plural": "技术合同",
                "ordering": ["-created_at", "-pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("technology_amount__lte", models.F("contract_amount"))),
                        name="contract_technology_amount_within_amount",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("technology_amount__gte", 0)),
                        name="contract_amounts_not_negative",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            (
                                "status__in",
                                ["draft", "submitted", "returned", "registered", "refused", "reversed"],
                            )
                        ),
                        name="contract_status_known",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("seller", models.F("buyer")), _negated=True),
                        name="contract_parties_differ",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("source_deal_id__isnull", False)),
                        fields=("source_deal_id",),
                        name="contract_one_per_deal",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="NonTechnicalItem",
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
                            ("equipment", "设备"),
                            ("materials", "材料"),
                            ("construction", "基建"),
                            ("other", "其他非技术性款项"),
                        ],
                        max_length=16,
                        verbose_name="类别",
                    ),
                ),
                ("description", models.CharField(blank=True, max_length=200, verbose_name="说明")),
                (
                    "amount",
                    zhouqiao.core.money.MoneyField(
                        decimal_places=2, max_digits=14, verbose_name="金额（元）"
                    ),
                ),
                (
                    "contract",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="non_technical_items",
                        to="contracts.contract",
                    ),
                ),
            ],
            options={
                "ordering": ["pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("amount__gt", 0)), name="non_technical_item_positive"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="PaymentInstalment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("due_on", models.DateField(verbose_name="约定支付日期")),
                (
                    "amount",
                    zhouqiao.core.money.MoneyField(
                        decimal_places=2, max_digits=14, verbose_name="金额（元）"
                    ),
                ),
                ("note", models.CharField(blank=True, max_length=200, verbose_name="支付条件")),
                (
                    "contract",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="instalments",
                        to="contracts.contract",
                    ),
                ),
            ],
            options={
                "ordering": ["due_on", "pk"],
                "constraints": [
                    models.CheckConstraint(condition=models.Q(("amount__gt", 0)), name="instalment_positive")
                ],
            },
        ),
        migrations.CreateModel(
            name="RegistrationSequence",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("year", models.PositiveIntegerField()),
                ("region_code", models.CharField(max_length=6)),
                ("last", models.PositiveIntegerField(default=0)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("year", "region_code"), name="registration_sequence_unique"
                    )
                ],
            },
        ),
    ]

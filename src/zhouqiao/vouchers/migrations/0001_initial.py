from decimal import Decimal

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
            name="Pool",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("year", models.PositiveSmallIntegerField(verbose_name="年度")),
                (
                    "category",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("research_development", "研究开发"),
                            ("testing", "检验检测"),
                            ("evaluation", "科技评估评价"),
                            ("consulting", "科技咨询"),
                            ("comprehensive", "综合科技服务"),
                        ],
                        max_length=24,
                        verbose_name="服务类别",
                    ),
                ),
                ("name", models.CharField(max_length=128, verbose_name="名称")),
                ("clause", models.CharField(default="001#23", max_length=32, verbose_name="政策依据")),
                (
                    "enterprise_ceiling",
                    zhouqiao.core.money.MoneyField(
                        decimal_places=2,
                        default=Decimal("200000.00"),
                        max_digits=14,
                        verbose_name="单个企业年度上限",
                    ),
                ),
                (
                    "voucher_share",
                    models.DecimalField(
                        decimal_places=4,
                        default=Decimal("0.5000"),
                        max_digits=7,
                        verbose_name="创新券支付比例上限",
                    ),
                ),
                ("validity_days", models.PositiveIntegerField(default=180, verbose_name="有效天数")),
                (
                    "available",
                    zhouqiao.core.money.MoneyField(
                        decimal_places=2, default=Decimal("0"), max_digits=14, verbose_name="可发放余额"
                    ),
                ),
                ("created_at", models.DateTimeField(verbose_name="创建时间")),
                (
                    "jurisdiction",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, to="core.region", verbose_name="发放地区"
                    ),
                ),
            ],
            options={
                "verbose_name": "创新券资金池",
                "verbose_name_plural": "创新券资金池",
                "ordering": ["-year", "jurisdiction_id", "category"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("jurisdiction", "year", "category"), name="voucher_pool_once"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("available__gte", 0)), name="voucher_pool_not_negative"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("voucher_share__gt", 0), ("voucher_share__lte", 1)),
                        name="voucher_pool_share_range",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="Application",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "category",
                    models.CharField(
                        choices=[
                            ("research_development", "研究开发"),
                            ("testing", "检验检测"),
                            ("evaluation", "科技评估评价"),
                            ("consulting", "科技咨询"),
                            ("comprehensive", "综合科技服务"),
                        ],
                        max_length=24,
                        verbose_name="服务类别",
                    ),
                ),
                (
                    "amount",
                    zhouqiao.core.money.MoneyField(decimal_places=2, max_digits=14, verbose_name="申请金额"),
                ),
                ("purpose", models.TextField(verbose_name="用途说明")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("submitted", "待审核"),
                            ("approved", "已批准"),
                            ("returned", "已退回"),
                            ("withdrawn", "已撤回"),
                        ],
                        default="submitted",
                        max_length=16,
                        verbose_name="状态",
                    ),
                ),
                ("status_reason", models.TextField(blank=True, verbose_name="审核意见")),
                ("submitted_at", models.DateTimeField(verbose_name="提交时间")),
                ("decided_at", models.DateTimeField(blank=True, null=True, verbose_name="审核时间")),
                (
                    "applicant",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "enterprise",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="voucher_applications",
                        to="accounts.organisation",
                        verbose_name="申请企业",
                    ),
                ),
                (
                    "pool",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="applications",
                        to="vouchers.pool",
                        verbose_name="资金池",
                    ),
                ),
            ],
            options={
                "verbose_name": "创新券申请",
                "verbose_name_plural": "创新券申请",
                "ordering": ["-submitted_at"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("amount__gt", 0)), name="voucher_application_amount_positive"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("status__in", ["submitted", "approved", "returned", "withdrawn"])
                        ),
                        name="voucher_application_status_known",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="ProviderService",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "category",
                    models.CharField(
                        choices=[
                            ("research_development", "研究开发"),
                            ("testing", "检验检测"),
                            ("evaluation", "科技评估评价"),
                            ("consulting", "科技咨询"),
                            ("comprehensive", "综合科技服务"),
                        ],
                        max_length=24,
                        verbose_name="服务类别",
                    ),
                ),
                ("name", models.CharField(max_length=128, verbose_name="服务名称")),
                ("description", models.TextField(blank=True, verbose_name="服务内容")),
                (
                    "price",
                    zhouqiao.core.money.MoneyField(decimal_places=2, max_digits=14, verbose_name="参考价格"),
                ),
                ("unit", models.CharField(default="次", max_length=16, verbose_name="计价单位")),
                (
                    "status",
                    models.CharField(
                        choices=[("submitted", "待审核"), ("approved", "已入库"), ("returned", "已退回")],
                        default="submitted",
                        max_length=16,
                        verbose_name="状态",
                    ),
                ),
                ("status_reason", models.TextField(blank=True, verbose_name="审核意见")),
                ("submitted_at", models.DateTimeField(verbose_name="提交时间")),
                ("approved_at", models.DateTimeField(blank=True, null=True, verbose_name="入库时间")),
                (
                    "provider",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="voucher_services",
                        to="accounts.organisation",
                        verbose_name="服务机构",
                    ),
                ),
            ],
            options={
                "verbose_name": "服务机构服务",
                "verbose_name_plural": "服务机构服务",
                "ordering": ["category", "name"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("price__gte", 0)), name="voucher_service_price_not_negative"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("status__in", ["submitted", "approved", "returned"])),
                        name="voucher_service_status_known",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="Voucher",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.CharField(max_length=32, unique=True, verbose_name="券号")),
                (
                    "category",
                    models.CharField(
                        choices=[
                            ("research_development", "研究开发"),
                            ("testing", "检验检测"),
                            ("evaluation", "科技评估评价"),
                            ("consulting", "科技咨询"),
                            ("comprehensive", "综合科技服务"),
                        ],
                        max_length=24,
                        verbose_name="服务类别",
                    ),
                ),
                (
                    "amount",
                    zhouqiao.core.money.MoneyField(decimal_places=2, max_digits=14, verbose_name="面额"),
                ),
                (
                    "remaining",
                    zhouqiao.core.money.MoneyField(decimal_places=2, max_digits=14, verbose_name="余额"),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("active", "有效"), ("expired", "已过期"), ("revoked", "已作废")],
                        default="active",
                        max_length=16,
                        verbose_name="状态",
                    ),
                ),
                (
                    "source",
                    models.CharField(
                        choices=[
                            ("application", "企业申请"),
                            ("high_tech_subsidy", "高新技术企业认定补贴（001#20）"),
                            ("staff", "主管部门直接发放"),
                        ],
                        max_length=24,
                        verbose_name="发放依据",
                    ),
                ),
                ("source_ref", models.CharField(blank=True, max_length=64, verbose_name="依据编号")),
                ("issued_at", models.DateTimeField(verbose_name="发放时间")),
                ("expires_on", models.DateField(verbose_name="有效期至")),
                ("closed_at", models.DateTimeField(blank=True, null=True, verbose_name="失效时间")),
                (
                    "application",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="voucher",
                        to="vouchers.application",
                    ),
                ),
                (
                    "enterprise",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="vouchers",
                        to="accounts.organisation",
                        verbose_name="持券企业",
                    ),
                ),
                (
                    "pool",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="vouchers",
                        to="vouchers.pool",
                        verbose_name="资金池",
                    ),
                ),
            ],
            options={
                "verbose_name": "创新券",
                "verbose_name_plural": "创新券",
                "ordering": ["-issued_at"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("amount__gt", 0)), name="voucher_amount_positive"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("remaining__gte", 0), ("remaining__lte", models.F("amount"))),
                        name="voucher_remaining_in_range",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("status__in", ["active", "expired", "revoked"])),
                        name="voucher_status_known",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("source_ref", ""), _negated=True),
                        fields=("source", "source_ref", "enterprise"),
                        name="voucher_source_once",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="ServiceOrder",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("description", models.TextField(blank=True, verbose_name="服务内容")),
                (
                    "price",
                    zhouqiao.core.money.MoneyField(decimal_places=2, max_digits=14, verbose_name="订单金额"),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("placed", "已下单"),
                            ("delivered", "已交付"),
                            ("claimed", "服务机构已申请兑付"),
                            ("confirmed", "企业已确认"),
                            ("settled", "已结算"),
                            ("cancelled", "已取消"),
                        ],
                        default="placed",
                        max_length=16,
                        verbose_name="状态",
                    ),
                ),
                ("source_ref", models.CharField(blank=True, max_length=64, verbose_name="来源")),
                ("placed_at", models.DateTimeField(verbose_name="下单时间")),
                ("delivered_at", models.DateTimeField(blank=True, null=True, verbose_name="交付时间")),
                (
                    "enterprise",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="accounts.organisation",
                        verbose_name="企业",
                    ),
                ),
                (
                    "placed_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "provider",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="accounts.organisation",
                        verbose_name="服务机构",
                    ),
                ),
                (
                    "service",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="orders",
                        to="vouchers.providerservice",
                        verbose_name="服务",
                    ),
                ),
                (
                    "voucher",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="orders",
                        to="vouchers.voucher",
                        verbose_name="创新券",
                    ),
                ),
            ],
            options={
                "verbose_name": "服务订单",
                "verbose_name_plural": "服务订单",
                "ordering": ["-placed_at"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("price__gt", 0)), name="voucher_order_price_positive"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            (
                                "status__in",
                                ["placed", "delivered", "claimed", "confirmed", "settled", "cancelled"],
                            )
                        ),
                        name="voucher_order_status_known",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="Redemption",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "amount",
                    zhouqiao.core.money.MoneyField(decimal_places=2, max_digits=14, verbose_name="核销金额"),
                ),
                ("claimed_at", models.DateTimeField(verbose_name="申请时间")),
                ("confirmed_at", models.DateTimeField(blank=True, null=True, verbose_name="企业确认时间")),
                ("settled_at", models.DateTimeField(blank=True, null=True, verbose_name="结算时间")),
                ("settlement_ref", models.CharField(blank=True, max_length=64, verbose_name="拨付凭证号")),
                (
                    "claimed_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "confirmed_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "settled_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "order",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="redemptions",
                        to="vouchers.serviceorder",
                    ),
                ),
                (
                    "voucher",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="redemptions",
                        to="vouchers.voucher",
                    ),
                ),
            ],
            options={
                "verbose_name": "创新券核销",
                "verbose_name_plural": "创新券核销",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("order", "voucher"), name="voucher_redeemed_once_per_order"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("amount__gt", 0)), name="voucher_redemption_amount_positive"
                    ),
                ],
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
                            ("allocate", "预算下达"),
                            ("issue", "发放"),
                            ("redeem", "兑付申请（核销）"),
                            ("settle", "结算拨付"),
                            ("expire", "过期收回"),
                            ("revoke", "作废收回"),
                            ("adjust", "预算调整"),
                        ],
                        max_length=16,
                        verbose_name="类型",
                    ),
                ),
                (
                    "amount",
                    zhouqiao.core.money.MoneyField(decimal_places=2, max_digits=14, verbose_name="金额"),
                ),
                ("at", models.DateTimeField(verbose_name="时间")),
                ("note", models.CharField(blank=True, max_length=255, verbose_name="说明")),
                (
                    "actor",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "pool",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="entries",
                        to="vouchers.pool",
                    ),
                ),
                (
                    "redemption",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="entries",
                        to="vouchers.redemption",
                    ),
                ),
                (
                    "voucher",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="entries",
                        to="vouchers.voucher",
                    ),
                ),
            ],
            options={
                "verbose_name": "创新券台账",
                "verbose_name_plural": "创新券台账",
                "ordering": ["at", "pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            (
                                "kind__in",
                                ["allocate", "issue", "redeem", "settle", "expire", "revoke", "adjust"],
                            )
                        ),
                        name="voucher_entry_kind_known",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("kind", "adjust"), ("amount__gt", 0), _connector="OR"),
                        name="voucher_entry_amount_positive",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("redemption__isnull", False)),
                        fields=("redemption", "kind"),
                        name="voucher_entry_once_per_redemption",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("kind", "issue")),
                        fields=("voucher",),
                        name="voucher_entry_issue_once",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="Certification",
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
                        choices=[("high_tech", "高新技术企业"), ("tech_sme", "科技型中小企业")],
                        max_length=16,
                        verbose_name="认定类型",
                    ),
                ),
                ("number", models.CharField(max_length=64, verbose_name="证书编号")),
                ("valid_from", models.DateField(verbose_name="有效期起")),
                ("valid_until", models.DateField(verbose_name="有效期至")),
                ("recorded_at", models.DateTimeField(verbose_name="登记时间")),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="certifications",
                        to="accounts.organisation",
                        verbose_name="企业",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "企业资质认定",
                "verbose_name_plural": "企业资质认定",
                "ordering": ["-valid_until"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("kind", "number"), name="voucher_certification_number_once"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("valid_until__gte", models.F("valid_from"))),
                        name="voucher_certification_dates",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="DeclaredRelation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("description", models.CharField(max_length=255, verbose_name="关联关系")),
                ("recorded_at", models.DateTimeField(verbose_name="登记时间")),
                (
                    "enterprise",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="accounts.organisation",
                        verbose_name="企业",
                    ),
                ),
                (
                    "provider",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="accounts.organisation",
                        verbose_name="服务机构",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "关联关系",
                "verbose_name_plural": "关联关系",
                "constraints": [
                    models.UniqueConstraint(fields=("provider", "enterprise"), name="voucher_relation_once")
                ],
            },
        ),
        migrations.CreateModel(
            name="IdempotencyKey",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.CharField(max_length=128)),
                ("endpoint", models.CharField(max_length=128)),
                ("request_hash", models.CharField(max_length=64)),
                ("status_code", models.PositiveSmallIntegerField(null=True)),
                ("response", models.JSONField(null=True)),
                ("created_at", models.DateTimeField()),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "constraints": [models.UniqueConstraint(fields=("user", "key"), name="idempotency_key_once")],
            },
        ),
    ]

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import zhouqiao.core.money


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0007_remove_staffassignment_assignment_duty_known_and_more"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("catalog", "0001_initial"),
        ("contracts", "0003_backfill_certificates"),
        ("core", "0003_privacy_consent"),
        ("market", "0005_auction_event_seq_once"),
        ("projects", "0001_initial"),
        ("search", "0008_narrow_fulltext_tables"),
    ]

    operations = [
        migrations.CreateModel(
            name="PatentPool",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=100, verbose_name="专利池名称")),
                ("created_at", models.DateTimeField(verbose_name="设立时间")),
                (
                    "holder",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="accounts.organisation",
                        verbose_name="持有和运营机构",
                    ),
                ),
                (
                    "region",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="core.region",
                        verbose_name="所属辖区",
                    ),
                ),
            ],
            options={
                "verbose_name": "专利池",
                "verbose_name_plural": "专利池",
                "ordering": ["region"],
            },
        ),
        migrations.CreateModel(
            name="AcquisitionCase",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "origin",
                    models.CharField(
                        choices=[("offer", "权利人拟放弃"), ("idle", "授权后未实施")],
                        max_length=8,
                        verbose_name="收储线索",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "待决定"),
                            ("acquired", "已收储"),
                            ("refused", "不予收储"),
                            ("withdrawn", "已撤回"),
                        ],
                        default="pending",
                        max_length=12,
                        verbose_name="状态",
                    ),
                ),
                ("owner_reason", models.TextField(blank=True, verbose_name="拟放弃原因")),
                (
                    "asking_price",
                    zhouqiao.core.money.MoneyField(
                        blank=True, decimal_places=2, max_digits=14, null=True, verbose_name="期望价格（元）"
                    ),
                ),
                ("opened_at", models.DateTimeField(verbose_name="提出时间")),
                (
                    "price",
                    zhouqiao.core.money.MoneyField(
                        blank=True, decimal_places=2, max_digits=14, null=True, verbose_name="收储价格（元）"
                    ),
                ),
                ("decision_reason", models.TextField(blank=True, verbose_name="决定理由")),
                ("decided_at", models.DateTimeField(blank=True, null=True, verbose_name="决定时间")),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "opened_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "pool",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="patent_pool.patentpool",
                    ),
                ),
            ],
            options={
                "verbose_name": "专利收储案",
                "verbose_name_plural": "专利收储案",
                "ordering": ["-opened_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="TrackedPatent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.CharField(max_length=64, verbose_name="专利号")),
                ("key", models.CharField(editable=False, max_length=64, unique=True)),
                ("title", models.CharField(max_length=255, verbose_name="专利名称")),
                ("filed_on", models.DateField(blank=True, null=True, verbose_name="申请日")),
                ("granted_on", models.DateField(blank=True, null=True, verbose_name="授权公告日")),
                ("ipc", models.CharField(blank=True, max_length=64, verbose_name="IPC 分类")),
                ("abstract", models.TextField(blank=True, verbose_name="摘要")),
                (
                    "source",
                    models.CharField(
                        choices=[
                            ("project", "财政资助项目"),
                            ("achievement", "科技成果登记"),
                            ("corpus", "专利文献库"),
                            ("declared", "权利人申报"),
                        ],
                        max_length=12,
                        verbose_name="来源",
                    ),
                ),
                ("funded", models.BooleanField(default=False, verbose_name="财政资助项目产生")),
                (
                    "implementation",
                    models.CharField(
                        choices=[("watching", "观察期内"), ("idle", "未实施"), ("implemented", "已实施")],
                        default="watching",
                        max_length=12,
                        verbose_name="实施状态",
                    ),
                ),
                ("flagged_at", models.DateTimeField(blank=True, null=True, verbose_name="标记未实施时间")),
                ("implemented_at", models.DateTimeField(blank=True, null=True, verbose_name="确认实施时间")),
                ("created_at", models.DateTimeField(verbose_name="纳入跟踪时间")),
                ("updated_at", models.DateTimeField(verbose_name="更新时间")),
                ("is_sample", models.BooleanField(default=False, verbose_name="演示数据")),
                (
                    "achievement",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="catalog.achievement",
                    ),
                ),
                (
                    "corpus",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="search.patentrecord",
                    ),
                ),
                (
                    "industry",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="core.industry",
                        verbose_name="所属行业",
                    ),
                ),
                (
                    "ip_item",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="catalog.intellectualproperty",
                    ),
                ),
                (
                    "owner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="accounts.organisation",
                        verbose_name="专利权人",
                    ),
                ),
                (
                    "project",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="projects.project",
                        verbose_name="资助项目",
                    ),
                ),
                (
                    "region",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="core.region",
                        verbose_name="所在地区",
                    ),
                ),
            ],
            options={
                "verbose_name": "跟踪的发明专利",
                "verbose_name_plural": "跟踪的发明专利",
                "ordering": ["-granted_on", "pk"],
                "indexes": [
                    models.Index(fields=["implementation", "region"], name="patent_pool_impleme_5bb006_idx")
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("source__in", ["project", "achievement", "corpus", "declared"])),
                        name="tracked_patent_source_known",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("implementation__in", ["watching", "idle", "implemented"])),
                        name="tracked_patent_implementation_known",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("granted_on__isnull", True),
                            ("filed_on__isnull", True),
                            ("granted_on__gte", models.F("filed_on")),
                            _connector="OR",
                        ),
                        name="tracked_patent_granted_after_filed",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("implementation", "idle"), _negated=True),
                            ("flagged_at__isnull", False),
                            _connector="OR",
                        ),
                        name="tracked_patent_idle_has_flag_time",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="PooledPatent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("acquired_at", models.DateTimeField(verbose_name="收储时间")),
                (
                    "price",
                    zhouqiao.core.money.MoneyField(
                        decimal_places=2, max_digits=14, verbose_name="收储价格（元）"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("held", "在池待运营"),
                            ("listed", "挂牌中"),
                            ("licensed", "已许可"),
                            ("transferred", "已转让"),
                            ("lapsed", "已失效"),
                        ],
                        default="held",
                        max_length=12,
                        verbose_name="运营状态",
                    ),
                ),
                ("licence_terms", models.TextField(blank=True, verbose_name="许可方式与条件")),
                ("updated_at", models.DateTimeField(verbose_name="更新时间")),
                ("is_sample", models.BooleanField(default=False, verbose_name="演示数据")),
                (
                    "achievement",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="catalog.achievement",
                    ),
                ),
                (
                    "auction",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="market.auction",
                    ),
                ),
                (
                    "case",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="pooled",
                        to="patent_pool.acquisitioncase",
                    ),
                ),
                (
                    "listing",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="market.listing",
                    ),
                ),
                (
                    "pool",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="patents",
                        to="patent_pool.patentpool",
                    ),
                ),
                (
                    "patent",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="pooled",
                        to="patent_pool.trackedpatent",
                    ),
                ),
            ],
            options={
                "verbose_name": "池内专利",
                "verbose_name_plural": "池内专利",
                "ordering": ["-acquired_at", "-pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("status__in", ["held", "listed", "licensed", "transferred", "lapsed"])
                        ),
                        name="pooled_status_known",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("price__gte", 0)), name="pooled_price_not_negative"
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="ImplementationRecord",
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
                            ("self", "自行实施"),
                            ("licence", "许可他人实施"),
                            ("transfer", "转让"),
                            ("equity", "作价入股"),
                        ],
                        max_length=12,
                        verbose_name="实施方式",
                    ),
                ),
                ("evidence", models.TextField(verbose_name="实施情况与证明材料")),
                ("recorded_at", models.DateTimeField(verbose_name="登记时间")),
                (
                    "recorded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "patent",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="implementations",
                        to="patent_pool.trackedpatent",
                    ),
                ),
            ],
            options={
                "verbose_name": "专利实施记录",
                "verbose_name_plural": "专利实施记录",
                "ordering": ["-recorded_at", "-pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("kind__in", ["self", "licence", "transfer", "equity"])),
                        name="implementation_kind_known",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("evidence", ""), _negated=True),
                        name="implementation_has_evidence",
                    ),
                ],
            },
        ),
        migrations.AddField(
            model_name="acquisitioncase",
            name="patent",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="cases",
                to="patent_pool.trackedpatent",
            ),
        ),
        migrations.CreateModel(
            name="AnnualFee",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("due_on", models.DateField(verbose_name="缴费截止日")),
                (
                    "amount",
                    zhouqiao.core.money.MoneyField(
                        decimal_places=2, max_digits=14, verbose_name="应缴金额（元）"
                    ),
                ),
                ("paid_on", models.DateField(blank=True, null=True, verbose_name="缴费日期")),
                (
                    "paid_amount",
                    zhouqiao.core.money.MoneyField(
                        blank=True, decimal_places=2, max_digits=14, null=True, verbose_name="实缴金额（元）"
                    ),
                ),
                ("reference", models.CharField(blank=True, max_length=64, verbose_name="缴费凭证号")),
                ("created_at", models.DateTimeField(verbose_name="登记时间")),
                (
                    "created_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "paid_recorded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "pooled",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="fees",
                        to="patent_pool.pooledpatent",
                    ),
                ),
            ],
            options={
                "verbose_name": "专利年费",
                "verbose_name_plural": "专利年费",
                "ordering": ["due_on", "pk"],
                "constraints": [
                    models.UniqueConstraint(fields=("pooled", "due_on"), name="annual_fee_once_per_date"),
                    models.UniqueConstraint(
                        condition=models.Q(("paid_on__isnull", True)),
                        fields=("pooled",),
                        name="annual_fee_one_open_per_patent",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("amount__gt", 0)), name="annual_fee_amount_positive"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("paid_amount__isnull", True), ("paid_on__isnull", True)),
                            models.Q(("paid_amount__gt", 0), ("paid_on__isnull", False)),
                            _connector="OR",
                        ),
                        name="annual_fee_payment_complete",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="Proceeds",
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
                        choices=[("licence", "许可费"), ("transfer", "转让价款"), ("other", "其他收益")],
                        max_length=10,
                        verbose_name="收益类型",
                    ),
                ),
                (
                    "amount",
                    zhouqiao.core.money.MoneyField(
                        decimal_places=2, max_digits=14, verbose_name="金额（元）"
                    ),
                ),
                ("received_on", models.DateField(verbose_name="到账日期")),
                ("note", models.CharField(blank=True, max_length=200, verbose_name="说明")),
                ("recorded_at", models.DateTimeField(verbose_name="登记时间")),
                (
                    "contract",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="contracts.contract",
                    ),
                ),
                (
                    "deal",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="market.deal",
                    ),
                ),
                (
                    "pooled",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="proceeds",
                        to="patent_pool.pooledpatent",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "运营收益",
                "verbose_name_plural": "运营收益",
                "ordering": ["-received_on", "-pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("kind__in", ["licence", "transfer", "other"])),
                        name="proceeds_kind_known",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("amount__gt", 0)), name="proceeds_amount_positive"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("contract__isnull", False), ("deal__isnull", False), _connector="OR"
                        ),
                        name="proceeds_has_origin",
                    ),
                ],
            },
        ),
        migrations.AddConstraint(
            model_name="acquisitioncase",
            constraint=models.CheckConstraint(
                condition=models.Q(("origin__in", ["offer", "idle"])), name="acquisition_origin_known"
            ),
        ),
        migrations.AddConstraint(
            model_name="acquisitioncase",
            constraint=models.CheckConstraint(
                condition=models.Q(("status__in", ["pending", "acquired", "refused", "withdrawn"])),
                name="acquisition_status_known",
            ),
        ),
        migrations.AddConstraint(
            model_name="acquisitioncase",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "pending")),
                fields=("patent",),
                name="acquisition_one_pending_per_patent",
            ),
        ),
        migrations.AddConstraint(
            model_name="acquisitioncase",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "acquired")),
                fields=("patent",),
                name="acquisition_acquired_once",
            ),
        ),
        migrations.AddConstraint(
            model_name="acquisitioncase",
            constraint=models.CheckConstraint(
                condition=models.Q(("asking_price__isnull", True), ("asking_price__gte", 0), _connector="OR"),
                name="acquisition_asking_not_negative",
            ),
        ),
        migrations.AddConstraint(
            model_name="acquisitioncase",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "acquired"), _negated=True),
                    models.Q(("decided_at__isnull", False), ("pool__isnull", False), ("price__gte", 0)),
                    _connector="OR",
                ),
                name="acquisition_acquired_complete",
            ),
        ),
    ]

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import zhouqiao.core.money


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0002_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("catalog", "0001_initial"),
        ("core", "0002_audit_append_only"),
    ]

    operations = [
        migrations.CreateModel(
            name="CalendarDay",
            fields=[
                ("date", models.DateField(primary_key=True, serialize=False, verbose_name="日期")),
                ("is_workday", models.BooleanField(default=False, verbose_name="是否工作日")),
                ("name", models.CharField(blank=True, max_length=64, verbose_name="说明")),
            ],
            options={
                "verbose_name": "节假日与调休",
                "verbose_name_plural": "节假日与调休",
                "ordering": ["date"],
            },
        ),
        migrations.CreateModel(
            name="MarketRules",
            fields=[
                (
                    "region",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="core.region",
                        verbose_name="市场所在地区",
                    ),
                ),
                (
                    "notice_working_days",
                    models.PositiveSmallIntegerField(
                        blank=True, null=True, verbose_name="挂牌公示期（工作日）"
                    ),
                ),
                (
                    "extension_window_minutes",
                    models.PositiveSmallIntegerField(
                        blank=True, null=True, verbose_name="延时触发时段（结束前分钟数）"
                    ),
                ),
                (
                    "extension_minutes",
                    models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="每次延时（分钟）"),
                ),
            ],
            options={
                "verbose_name": "分市场交易规则",
                "verbose_name_plural": "分市场交易规则",
            },
        ),
        migrations.CreateModel(
            name="Auction",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="拍卖标的")),
                (
                    "mode",
                    models.CharField(
                        choices=[
                            ("transfer", "转让"),
                            ("licence", "许可"),
                            ("equity", "作价入股"),
                            ("joint_development", "合作开发"),
                            ("other", "其他"),
                        ],
                        max_length=20,
                        verbose_name="转化方式",
                    ),
                ),
                ("terms", models.TextField(blank=True, verbose_name="竞买须知与交易条件")),
                ("starts_at", models.DateTimeField(verbose_name="竞价开始")),
                ("ends_at", models.DateTimeField(db_index=True, verbose_name="竞价结束")),
                ("scheduled_end_at", models.DateTimeField(verbose_name="原定结束时间")),
                (
                    "starting_price",
                    zhouqiao.core.money.MoneyField(
                        decimal_places=2, max_digits=14, verbose_name="起拍价（元）"
                    ),
                ),
                (
                    "reserve_price",
                    zhouqiao.core.money.MoneyField(
                        decimal_places=2, max_digits=14, verbose_name="保留价（元）"
                    ),
                ),
                ("reserve_salt", models.CharField(blank=True, max_length=32)),
                (
                    "increment",
                    zhouqiao.core.money.MoneyField(
                        decimal_places=2, max_digits=14, verbose_name="加价幅度（元）"
                    ),
                ),
                (
                    "deposit_amount",
                    zhouqiao.core.money.MoneyField(
                        decimal_places=2, max_digits=14, verbose_name="保证金（元）"
                    ),
                ),
                (
                    "extension_window_minutes",
                    models.PositiveSmallIntegerField(verbose_name="延时触发时段（分钟）"),
                ),
                ("extension_minutes", models.PositiveSmallIntegerField(verbose_name="每次延时（分钟）")),
                ("restricted", models.BooleanField(default=False, verbose_name="仅限意向受让方竞买")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("scheduled", "竞价安排中"),
                            ("sold", "成交"),
                            ("unsold", "流拍"),
                            ("cancelled", "已取消"),
                        ],
                        default="scheduled",
                        max_length=12,
                        verbose_name="状态",
                    ),
                ),
                ("status_reason", models.TextField(blank=True, verbose_name="说明")),
                (
                    "current_price",
                    zhouqiao.core.money.MoneyField(
                        blank=True, decimal_places=2, max_digits=14, null=True, verbose_name="当前价（元）"
                    ),
                ),
                ("bid_count", models.PositiveIntegerField(default=0, verbose_name="出价次数")),
                ("chain_length", models.PositiveIntegerField(default=0)),
                ("head_hash", models.CharField(blank=True, max_length=64)),
                ("final_hash", models.CharField(blank=True, max_length=64, verbose_name="结束时的记录哈希")),
                ("closed_at", models.DateTimeField(blank=True, null=True, verbose_name="结束处理时间")),
                ("next_paddle", models.PositiveIntegerField(default=1)),
                ("created_at", models.DateTimeField(verbose_name="创建时间")),
                ("is_sample", models.BooleanField(default=False, verbose_name="演示数据")),
                (
                    "achievement",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="catalog.achievement",
                        verbose_name="科技成果",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
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
                (
                    "seller",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="accounts.organisation",
                        verbose_name="委托方",
                    ),
                ),
            ],
            options={
                "verbose_name": "拍卖",
                "verbose_name_plural": "拍卖",
                "ordering": ["-starts_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="AuctionRegistration",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(verbose_name="报名时间")),
                (
                    "deposit_amount",
                    zhouqiao.core.money.MoneyField(
                        decimal_places=2, max_digits=14, verbose_name="保证金（元）"
                    ),
                ),
                (
                    "deposit_status",
                    models.CharField(
                        choices=[
                            ("pending", "待缴纳"),
                            ("paid", "已缴纳"),
                            ("released", "已退还"),
                            ("applied", "已转为成交价款"),
                        ],
                        default="pending",
                        max_length=10,
                        verbose_name="保证金状态",
                    ),
                ),
                ("deposit_reference", models.CharField(blank=True, max_length=64, verbose_name="缴款凭证号")),
                ("deposit_paid_at", models.DateTimeField(blank=True, null=True, verbose_name="到账时间")),
                (
                    "deposit_settled_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="退还/转付时间"),
                ),
                ("paddle", models.PositiveIntegerField(blank=True, null=True, verbose_name="竞买号")),
                (
                    "auction",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="registrations",
                        to="market.auction",
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
                    "deposit_recorded_by",
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
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="accounts.organisation",
                        verbose_name="竞买人",
                    ),
                ),
            ],
            options={
                "verbose_name": "竞买登记",
                "verbose_name_plural": "竞买登记",
                "ordering": ["auction", "pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("deposit_status__in", ["pending", "paid", "released", "applied"])
                        ),
                        name="registration_deposit_status_known",
                    ),
                    models.UniqueConstraint(fields=("auction", "organisation"), name="registration_once"),
                    models.UniqueConstraint(
                        condition=models.Q(("paddle__isnull", False)),
                        fields=("auction", "paddle"),
                        name="registration_paddle_unique",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("deposit_status", "pending"), ("paddle__isnull", False), _connector="OR"
                        ),
                        name="registration_paid_has_paddle",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="AuctionEvent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("seq", models.PositiveIntegerField(verbose_name="序号")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("created", "拍卖创建"),
                            ("registered", "竞买报名"),
                            ("deposit_paid", "保证金到账，发放竞买号"),
                            ("bid", "出价"),
                            ("extended", "延时"),
                            ("rescheduled", "调整竞价时间"),
                            ("cancelled", "取消"),
                            ("closed", "结束"),
                        ],
                        max_length=14,
                        verbose_name="类型",
                    ),
                ),
                ("at", models.DateTimeField(verbose_name="时间")),
                (
                    "amount",
                    zhouqiao.core.money.MoneyField(
                        blank=True, decimal_places=2, max_digits=14, null=True, verbose_name="金额（元）"
                    ),
                ),
                ("idempotency_key", models.CharField(blank=True, max_length=128)),
                ("data", models.JSONField(default=dict)),
                ("prev_hash", models.CharField(max_length=64)),
                ("hash", models.CharField(max_length=64)),
                (
                    "auction",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="events",
                        to="market.auction",
                    ),
                ),
                (
                    "registration",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="events",
                        to="market.auctionregistration",
                    ),
                ),
            ],
            options={
                "verbose_name": "拍卖记录",
                "verbose_name_plural": "拍卖记录",
                "ordering": ["auction", "seq", "pk"],
                "indexes": [models.Index(fields=["auction", "seq"], name="market_auct_auction_e4e5d6_idx")],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            (
                                "kind__in",
                                [
                                    "created",
                                    "registered",
                                    "deposit_paid",
                                    "bid",
                                    "extended",
                                    "rescheduled",
                                    "cancelled",
                                    "closed",
                                ],
                            )
                        ),
                        name="auction_event_kind_known",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("idempotency_key", ""), _negated=True),
                        fields=("registration", "idempotency_key"),
                        name="bid_idempotency_key_once",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("kind", "bid"), _negated=True),
                            models.Q(("amount__gt", 0), ("registration__isnull", False)),
                            _connector="OR",
                        ),
                        name="auction_bid_complete",
                    ),
                ],
            },
        ),
        migrations.AddField(
            model_name="auction",
            name="leading",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="market.auctionregistration",
                verbose_name="当前领先",
            ),
        ),
        migrations.CreateModel(
            name="Listing",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="挂牌项目")),
                (
                    "price",
                    zhouqiao.core.money.MoneyField(
                        decimal_places=2, max_digits=14, verbose_name="挂牌价格（元）"
                    ),
                ),
                (
                    "mode",
                    models.CharField(
                        choices=[
                            ("transfer", "转让"),
                            ("licence", "许可"),
                            ("equity", "作价入股"),
                            ("joint_development", "合作开发"),
                            ("other", "其他"),
                        ],
                        max_length=20,
                        verbose_name="转化方式",
                    ),
                ),
                ("terms", models.TextField(blank=True, verbose_name="交易条件")),
                ("notice_working_days", models.PositiveSmallIntegerField(verbose_name="公示期（工作日）")),
                ("notice_starts_at", models.DateTimeField(verbose_name="公示开始")),
                ("notice_ends_at", models.DateTimeField(db_index=True, verbose_name="公示截止")),
                (
                    "on_no_intent",
                    models.CharField(
                        choices=[("relist", "自动重新挂牌（再公示一期）"), ("withdraw", "撤牌")],
                        default="withdraw",
                        max_length=10,
                        verbose_name="期满无意向时",
                    ),
                ),
                ("relist_count", models.PositiveSmallIntegerField(default=0, verbose_name="重新挂牌次数")),
                (
                    "auction_increment",
                    zhouqiao.core.money.MoneyField(
                        decimal_places=2, max_digits=14, verbose_name="竞价加价幅度（元）"
                    ),
                ),
                (
                    "auction_deposit",
                    zhouqiao.core.money.MoneyField(
                        decimal_places=2, max_digits=14, verbose_name="竞价保证金（元）"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("notice", "公示中"),
                            ("sold", "已成交"),
                            ("to_auction", "转入竞价"),
                            ("unsold", "期满无意向"),
                            ("withdrawn", "已撤牌"),
                        ],
                        default="notice",
                        max_length=12,
                        verbose_name="状态",
                    ),
                ),
                ("status_reason", models.TextField(blank=True, verbose_name="说明")),
                ("concluded_at", models.DateTimeField(blank=True, null=True, verbose_name="处理时间")),
                ("created_at", models.DateTimeField(verbose_name="挂牌时间")),
                ("is_sample", models.BooleanField(default=False, verbose_name="演示数据")),
                (
                    "achievement",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="catalog.achievement",
                        verbose_name="科技成果",
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
                    "region",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="core.region",
                        verbose_name="所在地区",
                    ),
                ),
                (
                    "seller",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="accounts.organisation",
                        verbose_name="挂牌方",
                    ),
                ),
            ],
            options={
                "verbose_name": "挂牌",
                "verbose_name_plural": "挂牌",
                "ordering": ["-created_at", "-pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("status__in", ["notice", "sold", "to_auction", "unsold", "withdrawn"])
                        ),
                        name="listing_status_known",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("auction_deposit__gte", 0), ("auction_increment__gt", 0), ("price__gt", 0)
                        ),
                        name="listing_amounts_positive",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("notice_ends_at__gt", models.F("notice_starts_at"))),
                        name="listing_notice_ordered",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("status", "notice")),
                        fields=("achievement",),
                        name="listing_one_active_per_achievement",
                    ),
                ],
            },
        ),
        migrations.AddField(
            model_name="auction",
            name="listing",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="auction",
                to="market.listing",
                verbose_name="来源挂牌",
            ),
        ),
        migrations.CreateModel(
            name="ListingIntent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("note", models.CharField(blank=True, max_length=500, verbose_name="说明")),
                ("created_at", models.DateTimeField(verbose_name="登记时间")),
                ("withdrawn_at", models.DateTimeField(blank=True, null=True, verbose_name="撤回时间")),
                (
                    "created_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "listing",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="intents",
                        to="market.listing",
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="accounts.organisation",
                        verbose_name="意向受让方",
                    ),
                ),
            ],
            options={
                "verbose_name": "受让意向",
                "verbose_name_plural": "受让意向",
                "ordering": ["created_at", "pk"],
                "constraints": [
                    models.UniqueConstraint(fields=("listing", "organisation"), name="intent_once")
                ],
            },
        ),
        migrations.CreateModel(
            name="Negotiation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="洽谈事项")),
                (
                    "status",
                    models.CharField(
                        choices=[("open", "洽谈中"), ("agreed", "已成交"), ("closed", "已结束")],
                        default="open",
                        max_length=12,
                        verbose_name="状态",
                    ),
                ),
                ("created_at", models.DateTimeField(verbose_name="发起时间")),
                ("updated_at", models.DateTimeField(verbose_name="最后更新")),
                (
                    "achievement",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="catalog.achievement",
                        verbose_name="科技成果",
                    ),
                ),
                (
                    "broker",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="accounts.organisation",
                        verbose_name="中介方（技术转移机构）",
                    ),
                ),
                (
                    "buyer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
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
                    "demand",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="catalog.demand",
                        verbose_name="技术需求",
                    ),
                ),
                (
                    "initiator",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="accounts.organisation",
                        verbose_name="发起方",
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
                (
                    "seller",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="accounts.organisation",
                        verbose_name="卖方",
                    ),
                ),
            ],
            options={
                "verbose_name": "撮合洽谈",
                "verbose_name_plural": "撮合洽谈",
                "ordering": ["-updated_at", "-pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("status__in", ["open", "agreed", "closed"])),
                        name="negotiation_status_known",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("achievement__isnull", False), ("demand__isnull", True)),
                            models.Q(("achievement__isnull", True), ("demand__isnull", False)),
                            _connector="OR",
                        ),
                        name="negotiation_one_lot",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("seller", models.F("buyer")), _negated=True),
                        name="negotiation_parties_differ",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("status", "open")),
                        fields=("achievement", "buyer"),
                        name="negotiation_one_open_per_achievement_buyer",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("status", "open")),
                        fields=("demand", "seller"),
                        name="negotiation_one_open_per_demand_seller",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="Deal",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "source",
                    models.CharField(
                        choices=[("negotiation", "撮合交易"), ("listing", "挂牌交易"), ("auction", "拍卖")],
                        max_length=12,
                        verbose_name="交易方式",
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="交易项目")),
                (
                    "amount",
                    zhouqiao.core.money.MoneyField(
                        decimal_places=2, max_digits=14, verbose_name="成交金额（元）"
                    ),
                ),
                (
                    "mode",
                    models.CharField(
                        choices=[
                            ("transfer", "转让"),
                            ("licence", "许可"),
                            ("equity", "作价入股"),
                            ("joint_development", "合作开发"),
                            ("other", "其他"),
                        ],
                        max_length=20,
                        verbose_name="转化方式",
                    ),
                ),
                ("terms", models.TextField(blank=True, verbose_name="主要条款")),
                ("agreed_at", models.DateTimeField(verbose_name="成交时间")),
                (
                    "contract_id",
                    models.PositiveBigIntegerField(blank=True, null=True, verbose_name="合同草稿"),
                ),
                ("is_sample", models.BooleanField(default=False, verbose_name="演示数据")),
                (
                    "achievement",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="catalog.achievement",
                        verbose_name="科技成果",
                    ),
                ),
                (
                    "auction",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="deal",
                        to="market.auction",
                    ),
                ),
                (
                    "broker",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="accounts.organisation",
                        verbose_name="中介方（技术转移机构）",
                    ),
                ),
                (
                    "buyer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="accounts.organisation",
                        verbose_name="买方",
                    ),
                ),
                (
                    "demand",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="catalog.demand",
                        verbose_name="技术需求",
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
                (
                    "seller",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="accounts.organisation",
                        verbose_name="卖方",
                    ),
                ),
                (
                    "listing",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="deal",
                        to="market.listing",
                    ),
                ),
                (
                    "negotiation",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="deal",
                        to="market.negotiation",
                    ),
                ),
            ],
            options={
                "verbose_name": "交易",
                "verbose_name_plural": "交易",
                "ordering": ["-agreed_at", "-pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("source__in", ["negotiation", "listing", "auction"])),
                        name="deal_source_known",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("amount__gt", 0)), name="deal_amount_positive"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("seller", models.F("buyer")), _negated=True),
                        name="deal_parties_differ",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(
                                ("auction__isnull", True),
                                ("listing__isnull", True),
                                ("negotiation__isnull", False),
                                ("source", "negotiation"),
                            ),
                            models.Q(
                                ("auction__isnull", True),
                                ("listing__isnull", False),
                                ("negotiation__isnull", True),
                                ("source", "listing"),
                            ),
                            models.Q(
                                ("auction__isnull", False),
                                ("negotiation__isnull", True),
                                ("source", "auction"),
                            ),
                            _connector="OR",
                        ),
                        name="deal_source_matches_origin",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="NegotiationEntry",
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
                            ("message", "留言"),
                            ("offer", "报价"),
                            ("invite", "邀请中介"),
                            ("accept", "接受报价"),
                            ("close", "结束洽谈"),
                        ],
                        max_length=10,
                        verbose_name="类型",
                    ),
                ),
                ("body", models.TextField(blank=True, verbose_name="内容")),
                (
                    "amount",
                    zhouqiao.core.money.MoneyField(
                        blank=True, decimal_places=2, max_digits=14, null=True, verbose_name="报价金额（元）"
                    ),
                ),
                (
                    "mode",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("transfer", "转让"),
                            ("licence", "许可"),
                            ("equity", "作价入股"),
                            ("joint_development", "合作开发"),
                            ("other", "其他"),
                        ],
                        max_length=20,
                        verbose_name="转化方式",
                    ),
                ),
                ("terms", models.TextField(blank=True, verbose_name="主要条款")),
                ("created_at", models.DateTimeField(verbose_name="时间")),
                (
                    "author",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "negotiation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="entries",
                        to="market.negotiation",
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
                "verbose_name": "洽谈记录",
                "verbose_name_plural": "洽谈记录",
                "ordering": ["created_at", "pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("kind__in", ["message", "offer", "invite", "accept", "close"])),
                        name="negotiation_entry_kind_known",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("kind", "offer"), _negated=True),
                            models.Q(("amount__gt", 0), ("mode__gt", "")),
                            _connector="OR",
                        ),
                        name="negotiation_offer_complete",
                    ),
                ],
            },
        ),
        migrations.AddConstraint(
            model_name="auction",
            constraint=models.CheckConstraint(
                condition=models.Q(("status__in", ["scheduled", "sold", "unsold", "cancelled"])),
                name="auction_status_known",
            ),
        ),
        migrations.AddConstraint(
            model_name="auction",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("deposit_amount__gte", 0),
                    ("increment__gt", 0),
                    ("reserve_price__gte", 0),
                    ("starting_price__gt", 0),
                ),
                name="auction_amounts_positive",
            ),
        ),
        migrations.AddConstraint(
            model_name="auction",
            constraint=models.CheckConstraint(
                condition=models.Q(("ends_at__gt", models.F("starts_at"))), name="auction_times_ordered"
            ),
        ),
        migrations.AddConstraint(
            model_name="auction",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("current_price__isnull", True),
                    ("current_price__gte", models.F("starting_price")),
                    _connector="OR",
                ),
                name="auction_price_at_least_start",
            ),
        ),
    ]

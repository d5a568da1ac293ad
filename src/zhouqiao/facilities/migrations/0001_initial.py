import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import zhouqiao.core.money


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0002_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("vouchers", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="Instrument",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=128, verbose_name="仪器名称")),
                ("model_number", models.CharField(blank=True, max_length=128, verbose_name="规格型号")),
                ("manufacturer", models.CharField(blank=True, max_length=128, verbose_name="生产厂商")),
                (
                    "category",
                    models.CharField(
                        choices=[
                            ("analytical", "分析仪器"),
                            ("physical_testing", "物理性能测试仪器"),
                            ("metrology", "计量仪器"),
                            ("electronic", "电子测量仪器"),
                            ("laser", "激光器"),
                            ("process_testing", "工艺试验仪器"),
                            ("special_testing", "特种检测仪器"),
                            ("computing", "计算机及其配套设备"),
                            ("other", "其他仪器"),
                        ],
                        max_length=24,
                        verbose_name="仪器类别",
                    ),
                ),
                ("location", models.CharField(max_length=255, verbose_name="安放地点")),
                (
                    "value",
                    zhouqiao.core.money.MoneyField(
                        decimal_places=2, max_digits=14, verbose_name="原值（元）"
                    ),
                ),
                (
                    "funding_source",
                    models.CharField(
                        choices=[("public", "财政资金"), ("self", "自筹资金"), ("mixed", "财政与自筹")],
                        max_length=16,
                        verbose_name="购置资金来源",
                    ),
                ),
                ("description", models.TextField(blank=True, verbose_name="仪器简介")),
                ("capabilities", models.TextField(blank=True, verbose_name="主要功能与技术指标")),
                (
                    "guide_price_filing",
                    models.CharField(
                        blank=True,
                        help_text="依据002§17，共享服务指导价报财政、物价部门核定备案。",
                        max_length=64,
                        verbose_name="指导价备案号",
                    ),
                ),
                (
                    "open_from",
                    models.PositiveSmallIntegerField(
                        default=8,
                        validators=[django.core.validators.MaxValueValidator(23)],
                        verbose_name="每日开放起始（时）",
                    ),
                ),
                (
                    "open_until",
                    models.PositiveSmallIntegerField(
                        default=17,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(24),
                        ],
                        verbose_name="每日开放截止（时）",
                    ),
                ),
                (
                    "open_weekdays",
                    models.CharField(default="12345", max_length=7, verbose_name="开放日（1=周一）"),
                ),
                ("contact_name", models.CharField(blank=True, max_length=64, verbose_name="联系人")),
                ("contact_phone", models.CharField(blank=True, max_length=20, verbose_name="联系电话")),
                ("is_listed", models.BooleanField(default=True, verbose_name="对外开放")),
                ("is_sample", models.BooleanField(default=False, verbose_name="演示数据")),
                ("created_at", models.DateTimeField(verbose_name="登记时间")),
                (
                    "owner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="instruments",
                        to="accounts.organisation",
                        verbose_name="所属单位",
                    ),
                ),
            ],
            options={
                "verbose_name": "大型仪器设备",
                "verbose_name_plural": "大型仪器设备",
                "ordering": ["owner__name", "name"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("value__gt", 0)), name="instrument_value_positive"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("open_until__gt", models.F("open_from"))),
                        name="instrument_opening_hours",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            (
                                "category__in",
                                [
                                    "analytical",
                                    "physical_testing",
                                    "metrology",
                                    "electronic",
                                    "laser",
                                    "process_testing",
                                    "special_testing",
                                    "computing",
                                    "other",
                                ],
                            )
                        ),
                        name="instrument_category_known",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="Booking",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("starts_at", models.DateTimeField(verbose_name="开始时间")),
                ("ends_at", models.DateTimeField(verbose_name="结束时间")),
                ("purpose", models.TextField(verbose_name="用途")),
                ("samples_planned", models.PositiveIntegerField(default=0, verbose_name="预计样品数")),
                (
                    "price_group",
                    models.CharField(
                        choices=[
                            ("internal", "内部用户"),
                            ("external", "外单位用户"),
                            ("enterprise", "企业用户"),
                        ],
                        max_length=16,
                        verbose_name="价格分组",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("requested", "待确认"),
                            ("approved", "已确认"),
                            ("refused", "已拒绝"),
                            ("cancelled", "已取消"),
                            ("completed", "已完成"),
                        ],
                        default="requested",
                        max_length=16,
                        verbose_name="状态",
                    ),
                ),
                ("status_reason", models.TextField(blank=True, verbose_name="说明")),
                ("created_at", models.DateTimeField(verbose_name="预约时间")),
                ("decided_at", models.DateTimeField(blank=True, null=True, verbose_name="确认时间")),
                (
                    "booker",
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
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="accounts.organisation",
                        verbose_name="预约单位",
                    ),
                ),
                (
                    "voucher",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="bookings",
                        to="vouchers.voucher",
                        verbose_name="使用创新券",
                    ),
                ),
                (
                    "instrument",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="bookings",
                        to="facilities.instrument",
                        verbose_name="仪器",
                    ),
                ),
            ],
            options={
                "verbose_name": "仪器预约",
                "verbose_name_plural": "仪器预约",
                "ordering": ["-starts_at"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("ends_at__gt", models.F("starts_at"))), name="booking_dates"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("status__in", ["requested", "approved", "refused", "cancelled", "completed"])
                        ),
                        name="booking_status_known",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="BookedSlot",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("slot_start", models.DateTimeField()),
                (
                    "booking",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="slots",
                        to="facilities.booking",
                    ),
                ),
                (
                    "instrument",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="facilities.instrument",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("instrument", "slot_start"), name="instrument_slot_once")
                ],
            },
        ),
        migrations.CreateModel(
            name="InstrumentPhoto",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "image",
                    models.FileField(
                        upload_to="instruments/%Y/",
                        validators=[
                            django.core.validators.FileExtensionValidator(["jpg", "jpeg", "png", "webp"])
                        ],
                        verbose_name="照片",
                    ),
                ),
                ("caption", models.CharField(blank=True, max_length=128, verbose_name="说明")),
                (
                    "instrument",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="photos",
                        to="facilities.instrument",
                    ),
                ),
            ],
            options={
                "verbose_name": "仪器照片",
                "verbose_name_plural": "仪器照片",
            },
        ),
        migrations.CreateModel(
            name="MaintenanceWindow",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("starts_at", models.DateTimeField(verbose_name="开始时间")),
                ("ends_at", models.DateTimeField(verbose_name="结束时间")),
                ("reason", models.CharField(max_length=255, verbose_name="事由")),
                (
                    "instrument",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="maintenance",
                        to="facilities.instrument",
                    ),
                ),
            ],
            options={
                "verbose_name": "维护时段",
                "verbose_name_plural": "维护时段",
                "ordering": ["starts_at"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("ends_at__gt", models.F("starts_at"))), name="maintenance_dates"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="PriceRule",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "group",
                    models.CharField(
                        choices=[
                            ("internal", "内部用户"),
                            ("external", "外单位用户"),
                            ("enterprise", "企业用户"),
                        ],
                        max_length=16,
                        verbose_name="价格分组",
                    ),
                ),
                (
                    "unit",
                    models.CharField(
                        choices=[("hour", "机时"), ("sample", "样品")], max_length=8, verbose_name="计价单位"
                    ),
                ),
                (
                    "unit_price",
                    zhouqiao.core.money.MoneyField(
                        decimal_places=2, max_digits=14, verbose_name="单价（元）"
                    ),
                ),
                (
                    "step_after",
                    models.PositiveSmallIntegerField(
                        blank=True, null=True, verbose_name="阶梯起点（单位数）"
                    ),
                ),
                (
                    "step_price",
                    zhouqiao.core.money.MoneyField(
                        blank=True,
                        decimal_places=2,
                        max_digits=14,
                        null=True,
                        verbose_name="阶梯后单价（元）",
                    ),
                ),
                (
                    "instrument",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="prices",
                        to="facilities.instrument",
                    ),
                ),
            ],
            options={
                "verbose_name": "共享服务指导价",
                "verbose_name_plural": "共享服务指导价",
                "ordering": ["group", "unit"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("instrument", "group", "unit"), name="instrument_price_once"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("unit_price__gte", 0)), name="instrument_price_not_negative"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("step_after__isnull", True), ("step_price__isnull", True)),
                            models.Q(("step_after__gt", 0), ("step_price__gte", 0)),
                            _connector="OR",
                        ),
                        name="instrument_price_step_complete",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="Rating",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "score",
                    models.PositiveSmallIntegerField(
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(5),
                        ],
                        verbose_name="评分",
                    ),
                ),
                ("comment", models.TextField(blank=True, verbose_name="评价")),
                ("rated_at", models.DateTimeField(verbose_name="评价时间")),
                (
                    "booking",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="rating",
                        to="facilities.booking",
                    ),
                ),
                (
                    "rated_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "用户评价",
                "verbose_name_plural": "用户评价",
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("score__gte", 1), ("score__lte", 5)), name="rating_score_range"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Usage",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("hours", models.DecimalField(decimal_places=2, max_digits=6, verbose_name="实际机时")),
                ("samples", models.PositiveIntegerField(default=0, verbose_name="样品数")),
                (
                    "fee",
                    zhouqiao.core.money.MoneyField(
                        decimal_places=2, max_digits=14, verbose_name="服务费（元）"
                    ),
                ),
                ("fee_trace", models.JSONField(default=list, verbose_name="计费明细")),
                ("recorded_at", models.DateTimeField(verbose_name="登记时间")),
                (
                    "booking",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="usage",
                        to="facilities.booking",
                    ),
                ),
                (
                    "order",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="vouchers.serviceorder",
                        verbose_name="创新券服务订单",
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
                "verbose_name": "使用记录",
                "verbose_name_plural": "使用记录",
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("hours__gte", 0)), name="usage_hours_not_negative"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("fee__gte", 0)), name="usage_fee_not_negative"
                    ),
                ],
            },
        ),
    ]

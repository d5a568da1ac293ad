import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import zhouqiao.core.money


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0008_statistics_duty"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("contracts", "0003_backfill_certificates"),
        ("core", "0003_privacy_consent"),
    ]

    operations = [
        migrations.CreateModel(
            name="Broker",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=64, verbose_name="姓名（与技术合同所填一致）")),
                (
                    "level",
                    models.CharField(
                        choices=[
                            ("junior", "初级技术经纪人"),
                            ("intermediate", "中级技术经纪人"),
                            ("senior", "高级技术经理人"),
                        ],
                        max_length=16,
                        verbose_name="等级",
                    ),
                ),
                ("certificate_number", models.CharField(max_length=40, verbose_name="证书编号")),
                ("certificate_issuer", models.CharField(max_length=128, verbose_name="发证机构")),
                ("certificate_date", models.DateField(verbose_name="发证日期")),
                ("fields", models.CharField(blank=True, max_length=200, verbose_name="服务领域")),
                ("profile", models.TextField(blank=True, verbose_name="个人简介")),
                ("created_at", models.DateTimeField(verbose_name="登记时间")),
                ("updated_at", models.DateTimeField(verbose_name="更新时间")),
                ("is_sample", models.BooleanField(default=False, verbose_name="演示数据")),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="brokers",
                        to="accounts.organisation",
                        verbose_name="所在技术转移机构",
                    ),
                ),
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="broker_profile",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="账号",
                    ),
                ),
            ],
            options={
                "verbose_name": "技术经纪（理）人",
                "verbose_name_plural": "技术经纪（理）人",
                "ordering": ["name", "pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("level__in", ["junior", "intermediate", "senior"])),
                        name="broker_level_known",
                    ),
                    models.UniqueConstraint(
                        fields=("organisation", "name"), name="broker_name_once_per_institution"
                    ),
                    models.UniqueConstraint(
                        fields=("certificate_issuer", "certificate_number"), name="broker_certificate_once"
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="BrokerRating",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("score", models.PositiveSmallIntegerField(verbose_name="评分")),
                ("comment", models.TextField(blank=True, verbose_name="评价")),
                ("created_at", models.DateTimeField(verbose_name="评价时间")),
                (
                    "broker",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="ratings",
                        to="institutions.broker",
                    ),
                ),
                (
                    "contract",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="contracts.contract"
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="accounts.organisation",
                        verbose_name="评价方",
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
                "verbose_name": "委托方评价",
                "verbose_name_plural": "委托方评价",
                "ordering": ["-created_at", "-pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("score__gte", 1), ("score__lte", 5)), name="broker_rating_1_to_5"
                    ),
                    models.UniqueConstraint(
                        fields=("contract", "organisation"), name="broker_rating_once_per_party"
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="InstitutionAssessment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("year", models.PositiveSmallIntegerField(verbose_name="年度")),
                ("values", models.JSONField(default=dict, verbose_name="评分")),
                ("note", models.TextField(blank=True, verbose_name="评分说明")),
                ("entered_at", models.DateTimeField(verbose_name="评分时间")),
                (
                    "entered_by",
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
                "verbose_name": "技术转移机构人工评分",
                "verbose_name_plural": "技术转移机构人工评分",
                "constraints": [
                    models.UniqueConstraint(fields=("organisation", "year"), name="assessment_once_per_year")
                ],
            },
        ),
        migrations.CreateModel(
            name="InstitutionFiling",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("submitted", "待审核"), ("approved", "已备案"), ("returned", "已退回")],
                        default="submitted",
                        max_length=12,
                        verbose_name="状态",
                    ),
                ),
                ("staff_count", models.PositiveIntegerField(verbose_name="专职从业人员（人）")),
                ("part_time_experts", models.PositiveIntegerField(default=0, verbose_name="兼职专家（人）")),
                ("fields", models.CharField(max_length=200, verbose_name="服务领域")),
                ("services", models.JSONField(default=list, verbose_name="服务类型")),
                ("description", models.TextField(blank=True, verbose_name="机构简介与服务内容")),
                ("reason", models.TextField(blank=True, verbose_name="审核意见")),
                (
                    "number",
                    models.CharField(
                        blank=True, max_length=24, null=True, unique=True, verbose_name="备案编号"
                    ),
                ),
                ("filed_on", models.DateField(blank=True, null=True, verbose_name="备案日期")),
                ("submitted_at", models.DateTimeField(verbose_name="提交时间")),
                ("decided_at", models.DateTimeField(blank=True, null=True, verbose_name="审核时间")),
                ("is_sample", models.BooleanField(default=False, verbose_name="演示数据")),
                (
                    "bureau_region",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="core.region",
                        verbose_name="备案主管部门所在地区",
                    ),
                ),
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
                    "organisation",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="filing",
                        to="accounts.organisation",
                        verbose_name="技术转移机构",
                    ),
                ),
                (
                    "submitted_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "技术转移机构备案",
                "verbose_name_plural": "技术转移机构备案",
                "ordering": ["-submitted_at", "-pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("status__in", ["submitted", "approved", "returned"])),
                        name="filing_status_known",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("status", "approved"), _negated=True),
                            models.Q(("filed_on__isnull", False), ("number__isnull", False)),
                            _connector="OR",
                        ),
                        name="filing_approved_has_date_and_number",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="InstitutionScore",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("year", models.PositiveSmallIntegerField(verbose_name="年度")),
                ("total", models.DecimalField(decimal_places=2, max_digits=5, verbose_name="总分")),
                ("pillars", models.JSONField(default=dict, verbose_name="分项得分")),
                ("items", models.JSONField(default=list, verbose_name="指标明细")),
                ("computed_at", models.DateTimeField(verbose_name="计算时间")),
                (
                    "computed_by",
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
                    ),
                ),
            ],
            options={
                "verbose_name": "技术转移机构绩效评分",
                "verbose_name_plural": "技术转移机构绩效评分",
                "ordering": ["-total", "organisation__name"],
                "constraints": [
                    models.UniqueConstraint(fields=("organisation", "year"), name="score_once_per_year"),
                    models.CheckConstraint(
                        condition=models.Q(("total__gte", 0), ("total__lte", 100)),
                        name="score_total_0_to_100",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="TrainingRecord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("year", models.PositiveSmallIntegerField(verbose_name="年度")),
                ("course", models.CharField(max_length=200, verbose_name="培训课程")),
                ("provider", models.CharField(max_length=128, verbose_name="培训机构")),
                ("hours", models.DecimalField(decimal_places=1, max_digits=5, verbose_name="学时")),
                ("recorded_at", models.DateTimeField(verbose_name="登记时间")),
                (
                    "broker",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="training",
                        to="institutions.broker",
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
                "verbose_name": "培训记录",
                "verbose_name_plural": "培训记录",
                "ordering": ["-year", "pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("hours__gt", 0), ("hours__lte", 500)),
                        name="training_hours_bounded",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="AnnualReport",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("year", models.PositiveSmallIntegerField(verbose_name="年度")),
                ("due_on", models.DateField(verbose_name="报送截止日期")),
                (
                    "status",
                    models.CharField(
                        choices=[("draft", "填报中"), ("submitted", "已提交")],
                        default="draft",
                        max_length=12,
                        verbose_name="状态",
                    ),
                ),
                ("figures", models.JSONField(default=dict, verbose_name="平台数据")),
                (
                    "staff_count",
                    models.PositiveIntegerField(blank=True, null=True, verbose_name="年末专职从业人员（人）"),
                ),
                (
                    "total_income",
                    zhouqiao.core.money.MoneyField(
                        blank=True,
                        decimal_places=2,
                        max_digits=14,
                        null=True,
                        verbose_name="年度总收入（元）",
                    ),
                ),
                (
                    "technical_income",
                    zhouqiao.core.money.MoneyField(
                        blank=True,
                        decimal_places=2,
                        max_digits=14,
                        null=True,
                        verbose_name="技术性收入（元）",
                    ),
                ),
                ("summary", models.TextField(blank=True, verbose_name="年度工作总结")),
                ("submitted_at", models.DateTimeField(blank=True, null=True, verbose_name="提交时间")),
                ("created_at", models.DateTimeField(verbose_name="创建时间")),
                ("updated_at", models.DateTimeField(verbose_name="更新时间")),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="annual_reports",
                        to="accounts.organisation",
                    ),
                ),
                (
                    "submitted_by",
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
                "verbose_name": "技术转移机构年度报告",
                "verbose_name_plural": "技术转移机构年度报告",
                "ordering": ["-year", "organisation__name"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("status__in", ["draft", "submitted"])),
                        name="annual_report_status_known",
                    ),
                    models.UniqueConstraint(
                        fields=("organisation", "year"), name="annual_report_once_per_year"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("technical_income__isnull", True),
                            ("total_income__isnull", True),
                            ("technical_income__lte", models.F("total_income")),
                            _connector="OR",
                        ),
                        name="annual_report_technical_within_total",
                    ),
                ],
            },
        ),
    ]

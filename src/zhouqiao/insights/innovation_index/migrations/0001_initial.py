import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import zhouqiao.insights.innovation_index.framework


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("core", "0003_privacy_consent"),
    ]

    operations = [
        migrations.CreateModel(
            name="IndexYear",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("year", models.PositiveSmallIntegerField(unique=True, verbose_name="年度")),
                (
                    "status",
                    models.CharField(
                        choices=[("open", "录入中"), ("published", "已发布")],
                        default="open",
                        max_length=16,
                        verbose_name="状态",
                    ),
                ),
                (
                    "normalisation",
                    models.CharField(
                        choices=[("minmax", "最小—最大值标准化"), ("zscore", "Z分数标准化")],
                        default="minmax",
                        max_length=16,
                        verbose_name="标准化方法",
                    ),
                ),
                (
                    "weights",
                    models.JSONField(
                        default=zhouqiao.insights.innovation_index.framework.default_weights,
                        verbose_name="权重",
                    ),
                ),
                ("demo", models.BooleanField(default=False, verbose_name="演示数据")),
                ("opened_at", models.DateTimeField(verbose_name="开放时间")),
                ("published_at", models.DateTimeField(blank=True, null=True, verbose_name="发布时间")),
                ("inputs_file", models.BinaryField(blank=True, null=True, verbose_name="发布的输入数据")),
                (
                    "inputs_sha256",
                    models.CharField(blank=True, max_length=64, verbose_name="输入数据SHA-256"),
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
                    "published_by",
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
                "verbose_name": "指数年度",
                "verbose_name_plural": "指数年度",
                "ordering": ["-year"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("status__in", ["open", "published"])),
                        name="index_year_status_known",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("year__gte", 2000), ("year__lte", 2100)),
                        name="index_year_bounded",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="IndexScore",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "score",
                    models.DecimalField(
                        blank=True, decimal_places=6, max_digits=14, null=True, verbose_name="指数得分"
                    ),
                ),
                ("rank", models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="排名")),
                (
                    "other_rank",
                    models.PositiveSmallIntegerField(
                        blank=True, null=True, verbose_name="另一标准化方法下排名"
                    ),
                ),
                (
                    "rank_min",
                    models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="敏感性最高排名"),
                ),
                (
                    "rank_max",
                    models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="敏感性最低排名"),
                ),
                ("pillars", models.JSONField(default=dict, verbose_name="分项得分")),
                ("indicators", models.JSONField(default=dict, verbose_name="指标值")),
                (
                    "region",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="core.region"
                    ),
                ),
                (
                    "index_year",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="scores",
                        to="innovation_index.indexyear",
                    ),
                ),
            ],
            options={
                "ordering": ["index_year", "rank", "region_id"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("index_year", "region"), name="index_score_one_per_region_year"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="IndexInput",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("values", models.JSONField(default=dict, verbose_name="输入数据")),
                ("updated_at", models.DateTimeField(verbose_name="更新时间")),
                (
                    "region",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="core.region"
                    ),
                ),
                (
                    "updated_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "index_year",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="inputs",
                        to="innovation_index.indexyear",
                    ),
                ),
            ],
            options={
                "ordering": ["index_year", "region_id"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("index_year", "region"), name="index_input_one_per_region_year"
                    )
                ],
            },
        ),
    ]

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("core", "0003_privacy_consent"),
    ]

    operations = [
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
                ("published_at", models.DateTimeField(blank=True, null=True, verbose_name="发布时间")),
                ("created_at", models.DateTimeField(verbose_name="创建时间")),
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
                (
                    "region",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="core.region",
                        verbose_name="辖区",
                    ),
                ),
            ],
            options={
                "verbose_name": "年度报告",
                "verbose_name_plural": "年度报告",
                "ordering": ["-year", "region_id"],
            },
        ),
        migrations.CreateModel(
            name="ReportVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.PositiveIntegerField(verbose_name="版本")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("queued", "排队等待生成"),
                            ("running", "正在生成"),
                            ("ready", "已生成"),
                            ("failed", "生成失败"),
                        ],
                        default="queued",
                        max_length=12,
                        verbose_name="状态",
                    ),
                ),
                ("progress", models.PositiveSmallIntegerField(default=0, verbose_name="进度（%）")),
                ("stage", models.CharField(blank=True, max_length=64, verbose_name="当前步骤")),
                ("error", models.TextField(blank=True, verbose_name="失败原因")),
                ("requested_at", models.DateTimeField(verbose_name="提交时间")),
                ("started_at", models.DateTimeField(blank=True, null=True, verbose_name="开始时间")),
                ("finished_at", models.DateTimeField(blank=True, null=True, verbose_name="完成时间")),
                (
                    "pdf",
                    models.FileField(blank=True, upload_to="annual_reports/%Y/", verbose_name="PDF 文件"),
                ),
                (
                    "xlsx",
                    models.FileField(blank=True, upload_to="annual_reports/%Y/", verbose_name="Excel 文件"),
                ),
                ("timings", models.JSONField(blank=True, default=dict, verbose_name="耗时（秒）")),
                (
                    "report",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="versions",
                        to="annual_reports.annualreport",
                    ),
                ),
                (
                    "requested_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "年度报告版本",
                "verbose_name_plural": "年度报告版本",
                "ordering": ["-number"],
                "constraints": [
                    models.UniqueConstraint(fields=("report", "number"), name="annual_report_version_once"),
                    models.CheckConstraint(
                        condition=models.Q(("status__in", ["queued", "running", "ready", "failed"])),
                        name="annual_report_version_status_known",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("progress__lte", 100)),
                        name="annual_report_version_progress_range",
                    ),
                ],
            },
        ),
        migrations.AddField(
            model_name="annualreport",
            name="published_version",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="annual_reports.reportversion",
                verbose_name="公开版本",
            ),
        ),
        migrations.AddConstraint(
            model_name="annualreport",
            constraint=models.UniqueConstraint(
                fields=("region", "year"), name="annual_report_region_year_once"
            ),
        ),
        migrations.AddConstraint(
            model_name="annualreport",
            constraint=models.CheckConstraint(
                condition=models.Q(("year__gte", 1980), ("year__lte", 2100)),
                name="annual_report_region_year_range",
            ),
        ),
    ]

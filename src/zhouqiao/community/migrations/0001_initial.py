import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0007_remove_staffassignment_assignment_duty_known_and_more"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("core", "0003_privacy_consent"),
    ]

    operations = [
        migrations.CreateModel(
            name="Expert",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=64, verbose_name="姓名")),
                ("title", models.CharField(blank=True, max_length=64, verbose_name="职称")),
                ("keywords", models.CharField(blank=True, max_length=255, verbose_name="关键词")),
                ("profile", models.TextField(blank=True, verbose_name="简介与主要成果")),
                ("phone", models.CharField(blank=True, max_length=20, verbose_name="联系电话")),
                ("email", models.EmailField(blank=True, max_length=254, verbose_name="联系邮箱")),
                ("available", models.BooleanField(default=True, verbose_name="可参加评审")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("applied", "待审核"),
                            ("approved", "已入库"),
                            ("rejected", "未通过"),
                            ("suspended", "已暂停"),
                        ],
                        default="applied",
                        max_length=16,
                        verbose_name="状态",
                    ),
                ),
                ("status_reason", models.TextField(blank=True, verbose_name="审核意见")),
                ("created_at", models.DateTimeField(verbose_name="登记时间")),
                ("approved_at", models.DateTimeField(blank=True, null=True, verbose_name="入库时间")),
                ("is_sample", models.BooleanField(default=False, verbose_name="演示数据")),
                (
                    "disciplines",
                    models.ManyToManyField(blank=True, to="core.discipline", verbose_name="学科领域"),
                ),
                (
                    "industries",
                    models.ManyToManyField(blank=True, to="core.industry", verbose_name="行业领域"),
                ),
                (
                    "jurisdiction",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="core.region",
                        verbose_name="入库管理部门所在地区",
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="experts",
                        to="accounts.organisation",
                        verbose_name="工作单位",
                    ),
                ),
                (
                    "region",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, to="core.region", verbose_name="所在地区"
                    ),
                ),
                (
                    "user",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="expert",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="平台账户",
                    ),
                ),
            ],
            options={
                "verbose_name": "专家",
                "verbose_name_plural": "专家",
                "ordering": ["name", "pk"],
                "indexes": [
                    models.Index(fields=["status", "available"], name="community_e_status_66da39_idx")
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("status__in", ["applied", "approved", "rejected", "suspended"])),
                        name="expert_status_known",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="ExpertConflict",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("person_name", models.CharField(blank=True, max_length=64, verbose_name="回避人员")),
                ("reason", models.CharField(blank=True, max_length=255, verbose_name="回避原因")),
                (
                    "expert",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="declared_conflicts",
                        to="community.expert",
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="accounts.organisation",
                        verbose_name="回避单位",
                    ),
                ),
            ],
            options={
                "verbose_name": "回避关系",
                "verbose_name_plural": "回避关系",
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("organisation__isnull", True), ("person_name", ""), _negated=True
                        ),
                        name="expert_conflict_names_someone",
                    )
                ],
            },
        ),
    ]

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
        ("community", "0001_initial"),
        ("core", "0003_privacy_consent"),
    ]

    operations = [
        migrations.CreateModel(
            name="Milestone",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("deliverable", models.CharField(max_length=200, verbose_name="节点目标与交付物")),
                ("due_date", models.DateField(verbose_name="计划完成日期")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "待完成"),
                            ("reported", "已报告，待确认"),
                            ("confirmed", "已确认"),
                        ],
                        default="pending",
                        max_length=12,
                        verbose_name="状态",
                    ),
                ),
                ("reported_at", models.DateTimeField(blank=True, null=True, verbose_name="报告时间")),
                ("confirmed_at", models.DateTimeField(blank=True, null=True, verbose_name="确认时间")),
                ("officer_note", models.TextField(blank=True, verbose_name="专员意见")),
            ],
            options={
                "verbose_name": "节点目标",
                "verbose_name_plural": "节点目标",
                "ordering": ["due_date", "pk"],
            },
        ),
        migrations.CreateModel(
            name="Project",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="项目名称")),
                ("summary", models.TextField(blank=True, verbose_name="项目简介")),
                ("keywords", models.CharField(blank=True, max_length=255, verbose_name="关键词")),
                ("call_title", models.CharField(max_length=200, verbose_name="所属计划（申报通知）")),
                (
                    "approved_amount",
                    zhouqiao.core.money.MoneyField(
                        decimal_places=2, max_digits=14, verbose_name="立项资助金额（元）"
                    ),
                ),
                ("start_date", models.DateField(verbose_name="实施期开始")),
                ("end_date", models.DateField(verbose_name="实施期结束")),
                ("post_subsidy", models.BooleanField(default=False, verbose_name="实行后补助")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("in_progress", "实施中"),
                            ("rectifying", "整改中"),
                            ("under_acceptance", "验收中"),
                            ("accepted", "已验收"),
                            ("failed", "验收未通过"),
                            ("terminated", "已终止"),
                        ],
                        default="in_progress",
                        max_length=20,
                        verbose_name="状态",
                    ),
                ),
                ("supervisor", models.CharField(blank=True, max_length=200, verbose_name="项目监理")),
                ("mid_term_due", models.DateField(blank=True, null=True, verbose_name="中期检查时间")),
                (
                    "mid_term_conclusion",
                    models.CharField(
                        blank=True,
                        choices=[("passed", "通过"), ("rectify", "整改"), ("terminate", "终止")],
                        max_length=12,
                        verbose_name="中期检查结论",
                    ),
                ),
                ("mid_term_reason", models.TextField(blank=True, verbose_name="中期检查意见")),
                ("mid_term_at", models.DateTimeField(blank=True, null=True, verbose_name="中期检查时间")),
                ("report_title", models.CharField(blank=True, max_length=200, verbose_name="科技报告题名")),
                ("report_abstract", models.TextField(blank=True, verbose_name="科技报告摘要")),
                ("report_body", models.TextField(blank=True, verbose_name="科技报告正文")),
                (
                    "report_submitted_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="科技报告提交时间"),
                ),
                ("acceptance_due", models.DateField(blank=True, null=True, verbose_name="验收意见截止日期")),
                (
                    "acceptance_conclusion",
                    models.CharField(
                        blank=True,
                        choices=[("passed", "通过验收"), ("failed", "不通过验收")],
                        max_length=12,
                        verbose_name="验收结论",
                    ),
                ),
                ("acceptance_reason", models.TextField(blank=True, verbose_name="验收意见")),
                ("accepted_at", models.DateTimeField(blank=True, null=True, verbose_name="验收时间")),
                (
                    "report_public_from",
                    models.DateField(blank=True, null=True, verbose_name="科技报告公开日期"),
                ),
                ("created_at", models.DateTimeField(verbose_name="立项时间")),
                ("is_sample", models.BooleanField(default=False, verbose_name="演示数据")),
                (
                    "achievement",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="catalog.achievement",
                        verbose_name="转化登记的科技成果",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "officer",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="officer_projects",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="项目专员",
                    ),
                ),
                (
                    "region",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="core.region",
                        verbose_name="立项部门所在地区",
                    ),
                ),
                (
                    "undertaker",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="funded_projects",
                        to="accounts.organisation",
                        verbose_name="承担单位",
                    ),
                ),
            ],
            options={
                "verbose_name": "立项项目",
                "verbose_name_plural": "立项项目",
                "ordering": ["-start_date", "-pk"],
                "indexes": [
                    models.Index(fields=["region", "start_date"], name="projects_pr_region__78e43a_idx"),
                    models.Index(fields=["status"], name="projects_pr_status_f023cb_idx"),
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("end_date__gt", models.F("start_date"))), name="project_period"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("approved_amount__gt", 0)), name="project_amount_positive"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            (
                                "status__in",
                                [
                                    "in_progress",
                                    "rectifying",
                                    "under_acceptance",
                                    "accepted",
                                    "failed",
                                    "terminated",
                                ],
                            )
                        ),
                        name="project_status_known",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="ProgressReport",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("body", models.TextField(verbose_name="报告内容")),
                ("submitted_at", models.DateTimeField(verbose_name="提交时间")),
                (
                    "milestone",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reports",
                        to="projects.milestone",
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
                (
                    "project",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reports",
                        to="projects.project",
                    ),
                ),
            ],
            options={
                "verbose_name": "进展报告",
                "verbose_name_plural": "进展报告",
                "ordering": ["-submitted_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="PanelMember",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "opinion",
                    models.CharField(
                        blank=True,
                        choices=[("pass", "同意通过验收"), ("fail", "不同意通过验收")],
                        max_length=8,
                        verbose_name="验收意见",
                    ),
                ),
                ("comment", models.TextField(blank=True, verbose_name="评价意见")),
                ("invited_at", models.DateTimeField()),
                ("submitted_at", models.DateTimeField(blank=True, null=True, verbose_name="提交时间")),
                (
                    "expert",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="community.expert"
                    ),
                ),
                (
                    "project",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="panel",
                        to="projects.project",
                    ),
                ),
            ],
            options={
                "verbose_name": "验收专家",
                "verbose_name_plural": "验收专家",
                "ordering": ["pk"],
                "constraints": [
                    models.UniqueConstraint(fields=("project", "expert"), name="panel_member_once")
                ],
            },
        ),
        migrations.AddField(
            model_name="milestone",
            name="project",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="milestones", to="projects.project"
            ),
        ),
        migrations.CreateModel(
            name="Disbursement",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "amount",
                    zhouqiao.core.money.MoneyField(
                        decimal_places=2, max_digits=14, verbose_name="拨付金额（元）"
                    ),
                ),
                ("paid_on", models.DateField(verbose_name="拨付日期")),
                ("note", models.CharField(blank=True, max_length=200, verbose_name="说明")),
                ("recorded_at", models.DateTimeField()),
                (
                    "recorded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "project",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="disbursements",
                        to="projects.project",
                    ),
                ),
            ],
            options={
                "verbose_name": "经费拨付",
                "verbose_name_plural": "经费拨付",
                "ordering": ["paid_on", "pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("amount__gt", 0)), name="disbursement_positive"
                    )
                ],
            },
        ),
    ]

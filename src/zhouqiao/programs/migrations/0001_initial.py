import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import zhouqiao.core.money


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0007_remove_staffassignment_assignment_duty_known_and_more"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("community", "0001_initial"),
        ("core", "0003_privacy_consent"),
    ]

    operations = [
        migrations.CreateModel(
            name="Application",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(max_length=128, verbose_name="项目名称")),
                ("category", models.CharField(blank=True, max_length=64, verbose_name="支持方向")),
                ("summary", models.TextField(verbose_name="项目摘要")),
                ("plan", models.TextField(verbose_name="研究内容与实施方案")),
                ("keywords", models.CharField(blank=True, max_length=255, verbose_name="关键词")),
                (
                    "requested_amount",
                    zhouqiao.core.money.MoneyField(
                        decimal_places=2, max_digits=14, verbose_name="申请资助金额"
                    ),
                ),
                (
                    "rd_investment",
                    zhouqiao.core.money.MoneyField(
                        blank=True,
                        decimal_places=2,
                        max_digits=14,
                        null=True,
                        verbose_name="上年度研发投入（申报单位自报）",
                    ),
                ),
                ("project_start", models.DateField(verbose_name="项目开始日期")),
                ("project_end", models.DateField(verbose_name="项目结束日期")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("draft", "草稿"),
                            ("submitted", "待形式审查"),
                            ("returned", "退回修改"),
                            ("accepted", "已受理"),
                            ("approved", "拟立项"),
                            ("not_funded", "未获立项"),
                            ("established", "已立项"),
                        ],
                        default="draft",
                        max_length=16,
                        verbose_name="状态",
                    ),
                ),
                ("status_reason", models.TextField(blank=True, verbose_name="审查意见")),
                ("submitted_at", models.DateTimeField(blank=True, null=True, verbose_name="提交时间")),
                ("checked_at", models.DateTimeField(blank=True, null=True, verbose_name="形式审查时间")),
                ("duplicate_flags", models.JSONField(blank=True, default=list, verbose_name="查重结果")),
                (
                    "aggregate_score",
                    models.DecimalField(
                        blank=True, decimal_places=2, max_digits=6, null=True, verbose_name="评审得分"
                    ),
                ),
                ("divergent", models.BooleanField(default=False, verbose_name="评分分歧较大")),
                (
                    "approved_amount",
                    zhouqiao.core.money.MoneyField(
                        blank=True, decimal_places=2, max_digits=14, null=True, verbose_name="拟资助金额"
                    ),
                ),
                ("created_at", models.DateTimeField(verbose_name="创建时间")),
                ("is_sample", models.BooleanField(default=False, verbose_name="演示数据")),
                (
                    "applicant",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="申报人",
                    ),
                ),
                (
                    "discipline",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="core.discipline",
                        verbose_name="所属学科",
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
                    "lead",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="call_applications",
                        to="accounts.organisation",
                        verbose_name="申报单位",
                    ),
                ),
            ],
            options={
                "verbose_name": "项目申报书",
                "verbose_name_plural": "项目申报书",
                "ordering": ["-pk"],
            },
        ),
        migrations.CreateModel(
            name="Attachment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("stored_name", models.CharField(max_length=80)),
                ("original_name", models.CharField(max_length=255, verbose_name="文件名")),
                ("extension", models.CharField(max_length=8)),
                ("content_type", models.CharField(max_length=120)),
                ("size", models.PositiveIntegerField()),
                ("uploaded_at", models.DateTimeField()),
                (
                    "application",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="attachments",
                        to="programs.application",
                    ),
                ),
            ],
            options={
                "ordering": ["pk"],
            },
        ),
        migrations.CreateModel(
            name="Call",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(max_length=128, verbose_name="指南名称")),
                ("guide", models.TextField(verbose_name="申报指南")),
                ("categories", models.JSONField(blank=True, default=list, verbose_name="支持方向")),
                (
                    "budget",
                    zhouqiao.core.money.MoneyField(decimal_places=2, max_digits=14, verbose_name="资助总额"),
                ),
                (
                    "region_prefix",
                    models.CharField(blank=True, max_length=12, verbose_name="申报单位所在地区"),
                ),
                (
                    "organisation_kinds",
                    models.JSONField(blank=True, default=list, verbose_name="申报单位类型"),
                ),
                ("require_rd_reported", models.BooleanField(default=False, verbose_name="须已填报研发投入")),
                ("opens_at", models.DateTimeField(verbose_name="申报开始时间")),
                ("closes_at", models.DateTimeField(verbose_name="申报截止时间")),
                ("project_start", models.DateField(verbose_name="项目执行期开始")),
                ("project_end", models.DateField(verbose_name="项目执行期结束")),
                ("rubric", models.JSONField(default=list, verbose_name="评审指标")),
                ("blind", models.BooleanField(default=True, verbose_name="匿名评审")),
                (
                    "reviewers_per_application",
                    models.PositiveSmallIntegerField(default=5, verbose_name="每项评审专家数"),
                ),
                ("load_cap", models.PositiveSmallIntegerField(default=8, verbose_name="每位专家评审上限")),
                (
                    "aggregation",
                    models.CharField(
                        choices=[
                            ("trimmed", "去掉一个最高分和一个最低分后取平均（评审专家不少于5人时）"),
                            ("mean", "全部评分取平均"),
                        ],
                        default="trimmed",
                        max_length=16,
                        verbose_name="汇总规则",
                    ),
                ),
                (
                    "divergence_threshold",
                    models.DecimalField(
                        decimal_places=2, default=20, max_digits=5, verbose_name="分歧提示阈值（分）"
                    ),
                ),
                ("objection_days", models.PositiveSmallIntegerField(default=5, verbose_name="公示期（天）")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("draft", "草稿"),
                            ("open", "申报中"),
                            ("review", "评审中"),
                            ("notice", "公示中"),
                            ("closed", "已立项"),
                        ],
                        default="draft",
                        max_length=16,
                        verbose_name="状态",
                    ),
                ),
                ("notice_starts_at", models.DateTimeField(blank=True, null=True, verbose_name="公示开始")),
                ("notice_ends_at", models.DateTimeField(blank=True, null=True, verbose_name="公示截止")),
                (
                    "assignment_run",
                    models.CharField(
                        choices=[
                            ("idle", "未开始"),
                            ("queued", "排队中"),
                            ("running", "分配中"),
                            ("done", "已完成"),
                            ("failed", "未完成"),
                        ],
                        default="idle",
                        max_length=16,
                        verbose_name="专家分配",
                    ),
                ),
                ("assignment_done", models.PositiveIntegerField(default=0)),
                ("assignment_total", models.PositiveIntegerField(default=0)),
                ("assignment_message", models.CharField(blank=True, max_length=255)),
                ("created_at", models.DateTimeField(verbose_name="创建时间")),
                ("is_sample", models.BooleanField(default=False, verbose_name="演示数据")),
                (
                    "created_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "jurisdiction",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        to="core.region",
                        verbose_name="主管部门所在地区",
                    ),
                ),
            ],
            options={
                "verbose_name": "项目申报指南",
                "verbose_name_plural": "项目申报指南",
                "ordering": ["-opens_at", "-pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("status__in", ["draft", "open", "review", "notice", "closed"])),
                        name="call_status_known",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("budget__gt", 0)), name="call_budget_positive"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("closes_at__gt", models.F("opens_at"))),
                        name="call_closes_after_opening",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("project_end__gt", models.F("project_start"))),
                        name="call_period_ordered",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("reviewers_per_application__gte", 1)),
                        name="call_reviewers_positive",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("load_cap__gte", 1)), name="call_cap_positive"
                    ),
                ],
            },
        ),
        migrations.AddField(
            model_name="application",
            name="call",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="applications", to="programs.call"
            ),
        ),
        migrations.CreateModel(
            name="Milestone",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(max_length=255, verbose_name="节点目标")),
                ("due", models.DateField(verbose_name="完成日期")),
                (
                    "application",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="milestones",
                        to="programs.application",
                    ),
                ),
            ],
            options={
                "ordering": ["due", "pk"],
            },
        ),
        migrations.CreateModel(
            name="Objection",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("reason", models.TextField(verbose_name="异议理由")),
                ("created_at", models.DateTimeField(verbose_name="提出时间")),
                ("answer", models.TextField(blank=True, verbose_name="处理意见")),
                ("upheld", models.BooleanField(default=False, verbose_name="异议成立")),
                ("answered_at", models.DateTimeField(blank=True, null=True, verbose_name="处理时间")),
                (
                    "answered_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "application",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="objections",
                        to="programs.application",
                    ),
                ),
                (
                    "author",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["pk"],
            },
        ),
        migrations.CreateModel(
            name="Partner",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("role", models.CharField(blank=True, max_length=128, verbose_name="分工")),
                (
                    "application",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="partners",
                        to="programs.application",
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="accounts.organisation",
                        verbose_name="合作单位",
                    ),
                ),
            ],
            options={
                "ordering": ["pk"],
                "constraints": [
                    models.UniqueConstraint(fields=("application", "organisation"), name="partner_once")
                ],
            },
        ),
        migrations.CreateModel(
            name="ReviewAssignment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("relevance", models.FloatField(default=0, verbose_name="匹配度")),
                ("reason", models.TextField(blank=True, verbose_name="推荐理由")),
                ("assigned_at", models.DateTimeField(verbose_name="分配时间")),
                ("scores", models.JSONField(blank=True, default=list, verbose_name="各项评分")),
                (
                    "total",
                    models.DecimalField(
                        blank=True, decimal_places=2, max_digits=6, null=True, verbose_name="总分"
                    ),
                ),
                ("comment", models.TextField(blank=True, verbose_name="评审意见")),
                ("submitted_at", models.DateTimeField(blank=True, null=True, verbose_name="评审提交时间")),
                (
                    "application",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="assignments",
                        to="programs.application",
                    ),
                ),
                (
                    "assigned_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "call",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="assignments",
                        to="programs.call",
                    ),
                ),
                (
                    "expert",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="call_assignments",
                        to="community.expert",
                    ),
                ),
            ],
            options={
                "ordering": ["pk"],
                "indexes": [models.Index(fields=["call", "expert"], name="programs_re_call_id_b7c6d9_idx")],
                "constraints": [
                    models.UniqueConstraint(fields=("application", "expert"), name="review_assignment_once")
                ],
            },
        ),
        migrations.CreateModel(
            name="TeamMember",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=64, verbose_name="姓名")),
                ("title", models.CharField(blank=True, max_length=64, verbose_name="职称")),
                ("role", models.CharField(blank=True, max_length=128, verbose_name="分工")),
                (
                    "application",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="team",
                        to="programs.application",
                    ),
                ),
            ],
            options={
                "ordering": ["pk"],
            },
        ),
        migrations.CreateModel(
            name="BudgetLine",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("item", models.CharField(max_length=128, verbose_name="预算科目")),
                (
                    "amount",
                    zhouqiao.core.money.MoneyField(decimal_places=2, max_digits=14, verbose_name="金额"),
                ),
                (
                    "application",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="budget_lines",
                        to="programs.application",
                    ),
                ),
            ],
            options={
                "ordering": ["pk"],
                "constraints": [
                    models.CheckConstraint(condition=models.Q(("amount__gt", 0)), name="budget_line_positive")
                ],
            },
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(fields=["call", "status"], name="programs_ap_call_id_eeb336_idx"),
        ),
        migrations.AddConstraint(
            model_name="application",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "status__in",
                        [
                            "draft",
                            "submitted",
                            "returned",
                            "accepted",
                            "approved",
                            "not_funded",
                            "established",
                        ],
                    )
                ),
                name="application_status_known",
            ),
        ),
        migrations.AddConstraint(
            model_name="application",
            constraint=models.CheckConstraint(
                condition=models.Q(("requested_amount__gt", 0)), name="application_amount_positive"
            ),
        ),
        migrations.AddConstraint(
            model_name="application",
            constraint=models.CheckConstraint(
                condition=models.Q(("project_end__gt", models.F("project_start"))),
                name="application_period_ordered",
            ),
        ),
        migrations.AddConstraint(
            model_name="application",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("approved_amount__isnull", True), ("approved_amount__gt", 0), _connector="OR"
                ),
                name="application_approved_positive",
            ),
        ),
    ]

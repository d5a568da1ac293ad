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
        ("contracts", "0003_backfill_certificates"),
        ("core", "0003_privacy_consent"),
        ("policy", "0004_parameter_changes"),
    ]

    operations = [
        migrations.CreateModel(
            name="Challenge",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="榜单名称")),
                ("summary", models.TextField(verbose_name="榜单说明（公开）")),
                (
                    "investment",
                    zhouqiao.core.money.MoneyField(
                        decimal_places=2, max_digits=14, verbose_name="企业先行投入（元）"
                    ),
                ),
                (
                    "reward",
                    zhouqiao.core.money.MoneyField(
                        decimal_places=2, max_digits=14, verbose_name="揭榜奖励（元）"
                    ),
                ),
                ("deadline", models.DateField(verbose_name="揭榜截止日期")),
                ("completion_date", models.DateField(verbose_name="攻关完成期限")),
                (
                    "eligibility",
                    models.CharField(
                        choices=[
                            ("nationwide", "全国范围内已认证的创新主体（谁能干就让谁干）"),
                            ("province", "仅限本省已认证的创新主体"),
                        ],
                        default="nationwide",
                        max_length=16,
                        verbose_name="揭榜条件",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("draft", "草稿"),
                            ("pending_review", "待审核"),
                            ("returned", "已退回"),
                            ("open", "征集中"),
                            ("reviewing", "评审中"),
                            ("awarded", "已揭榜"),
                            ("in_progress", "攻关中"),
                            ("accepted", "已验收"),
                            ("unawarded", "未揭榜"),
                        ],
                        default="draft",
                        max_length=16,
                        verbose_name="状态",
                    ),
                ),
                ("status_reason", models.TextField(blank=True, verbose_name="审核或决定意见")),
                ("created_at", models.DateTimeField(verbose_name="创建时间")),
                ("submitted_at", models.DateTimeField(blank=True, null=True, verbose_name="提交审核时间")),
                ("published_at", models.DateTimeField(blank=True, null=True, verbose_name="发布时间")),
                (
                    "review_started_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="进入评审时间"),
                ),
                ("decided_at", models.DateTimeField(blank=True, null=True, verbose_name="揭榜决定时间")),
                ("selection_reason", models.TextField(blank=True, verbose_name="选定理由")),
                ("is_sample", models.BooleanField(default=False, verbose_name="演示数据")),
                (
                    "contract",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="contracts.contract",
                        verbose_name="技术开发合同",
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
                        related_name="challenges",
                        to="catalog.demand",
                        verbose_name="来源需求",
                    ),
                ),
                (
                    "owner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="challenges",
                        to="accounts.organisation",
                        verbose_name="发榜单位",
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
                "verbose_name": "揭榜挂帅榜单",
                "verbose_name_plural": "揭榜挂帅榜单",
                "ordering": ["-published_at", "-pk"],
                "indexes": [models.Index(fields=["status", "region"], name="challenges__status_609de2_idx")],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            (
                                "status__in",
                                [
                                    "draft",
                                    "pending_review",
                                    "returned",
                                    "open",
                                    "reviewing",
                                    "awarded",
                                    "in_progress",
                                    "accepted",
                                    "unawarded",
                                ],
                            )
                        ),
                        name="challenge_status_known",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("eligibility__in", ["nationwide", "province"])),
                        name="challenge_eligibility_known",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("investment__gte", 0)), name="challenge_investment_not_negative"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("reward__gte", 0)), name="challenge_reward_not_negative"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("completion_date__gte", models.F("deadline"))),
                        name="challenge_completion_after_deadline",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="Acceptance",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.CharField(max_length=32, unique=True, verbose_name="验收编号")),
                ("passed", models.BooleanField(verbose_name="验收通过")),
                ("note", models.TextField(verbose_name="验收意见")),
                ("accepted_at", models.DateTimeField(verbose_name="验收时间")),
                ("subsidy_note", models.TextField(blank=True, verbose_name="补助申请情况")),
                (
                    "accepted_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "subsidy_application",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="policy.application",
                    ),
                ),
                (
                    "witness",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="community.expert",
                        verbose_name="见证专家",
                    ),
                ),
                (
                    "challenge",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="acceptances",
                        to="challenges.challenge",
                    ),
                ),
            ],
            options={
                "verbose_name": "市场验收",
                "verbose_name_plural": "市场验收",
                "ordering": ["-accepted_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="ChallengeAttachment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("file", models.FileField(upload_to="challenges/%Y/")),
                ("original_name", models.CharField(max_length=200, verbose_name="文件名")),
                ("size", models.PositiveBigIntegerField(verbose_name="大小（字节）")),
                ("confidential", models.BooleanField(default=False, verbose_name="保密附件")),
                ("uploaded_at", models.DateTimeField()),
                (
                    "challenge",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="attachments",
                        to="challenges.challenge",
                    ),
                ),
                (
                    "uploaded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "榜单附件",
                "verbose_name_plural": "榜单附件",
                "ordering": ["pk"],
            },
        ),
        migrations.CreateModel(
            name="Indicator",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("position", models.PositiveSmallIntegerField(default=0)),
                ("name", models.CharField(max_length=100, verbose_name="指标名称")),
                ("target", models.DecimalField(decimal_places=4, max_digits=18, verbose_name="目标值")),
                ("unit", models.CharField(max_length=20, verbose_name="单位")),
                (
                    "direction",
                    models.CharField(
                        choices=[("ge", "不低于（≥）"), ("le", "不高于（≤）")],
                        default="ge",
                        max_length=2,
                        verbose_name="达标方向",
                    ),
                ),
                ("method", models.CharField(max_length=255, verbose_name="测量方法")),
                (
                    "challenge",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="indicators",
                        to="challenges.challenge",
                    ),
                ),
            ],
            options={
                "verbose_name": "技术指标",
                "verbose_name_plural": "技术指标",
                "ordering": ["position", "pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("unit", ""), _negated=True), name="indicator_unit_required"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("direction__in", ["ge", "le"])), name="indicator_direction_known"
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="Measurement",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("committed", models.DecimalField(decimal_places=4, max_digits=18, verbose_name="承诺值")),
                ("measured", models.DecimalField(decimal_places=4, max_digits=18, verbose_name="实测值")),
                ("passed", models.BooleanField(verbose_name="达标")),
                (
                    "acceptance",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="measurements",
                        to="challenges.acceptance",
                    ),
                ),
                (
                    "indicator",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="challenges.indicator",
                    ),
                ),
            ],
            options={
                "ordering": ["indicator__position", "indicator_id"],
                "constraints": [
                    models.UniqueConstraint(fields=("acceptance", "indicator"), name="measurement_once")
                ],
            },
        ),
        migrations.CreateModel(
            name="Proposal",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("members", models.TextField(verbose_name="团队成员")),
                ("technical_route", models.TextField(verbose_name="技术路线")),
                (
                    "price",
                    zhouqiao.core.money.MoneyField(
                        decimal_places=2, max_digits=14, verbose_name="报价（元）"
                    ),
                ),
                ("schedule", models.TextField(verbose_name="进度安排")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("submitted", "已提交"),
                            ("selected", "已揭榜"),
                            ("not_selected", "未入选"),
                            ("withdrawn", "已撤回"),
                        ],
                        default="submitted",
                        max_length=16,
                        verbose_name="状态",
                    ),
                ),
                ("submitted_at", models.DateTimeField(verbose_name="提交时间")),
                ("duplicate_matches", models.JSONField(blank=True, default=list)),
                ("near_duplicate", models.BooleanField(default=False, verbose_name="疑似重复")),
                ("signature", models.JSONField(blank=True, default=list)),
                ("is_sample", models.BooleanField(default=False)),
                (
                    "challenge",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="proposals",
                        to="challenges.challenge",
                    ),
                ),
                (
                    "lead",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="challenge_proposals",
                        to="accounts.organisation",
                        verbose_name="牵头单位",
                    ),
                ),
                (
                    "partners",
                    models.ManyToManyField(
                        blank=True,
                        related_name="challenge_partnerships",
                        to="accounts.organisation",
                        verbose_name="联合单位",
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
                "verbose_name": "揭榜方案",
                "verbose_name_plural": "揭榜方案",
                "ordering": ["submitted_at", "pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("status__in", ["submitted", "selected", "not_selected", "withdrawn"])
                        ),
                        name="proposal_status_known",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("price__gte", 0)), name="proposal_price_not_negative"
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("status", "withdrawn"), _negated=True),
                        fields=("challenge", "lead"),
                        name="proposal_one_per_lead",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("status", "selected")),
                        fields=("challenge",),
                        name="proposal_one_selected",
                    ),
                ],
            },
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
                ("position", models.PositiveSmallIntegerField(default=0)),
                ("title", models.CharField(max_length=200, verbose_name="里程碑")),
                ("deliverable", models.CharField(max_length=255, verbose_name="交付物")),
                ("due_on", models.DateField(verbose_name="计划完成日期")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("planned", "待交付"),
                            ("reported", "待确认"),
                            ("accepted", "已确认"),
                            ("returned", "已退回"),
                        ],
                        default="planned",
                        max_length=12,
                        verbose_name="状态",
                    ),
                ),
                ("report", models.TextField(blank=True, verbose_name="交付说明")),
                ("reported_at", models.DateTimeField(blank=True, null=True, verbose_name="交付时间")),
                ("decided_at", models.DateTimeField(blank=True, null=True, verbose_name="确认时间")),
                ("decision_reason", models.TextField(blank=True, verbose_name="确认或退回意见")),
                (
                    "proposal",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="milestones",
                        to="challenges.proposal",
                    ),
                ),
            ],
            options={
                "verbose_name": "里程碑",
                "verbose_name_plural": "里程碑",
                "ordering": ["position", "due_on", "pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("status__in", ["planned", "reported", "accepted", "returned"])),
                        name="milestone_status_known",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="CommittedValue",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("value", models.DecimalField(decimal_places=4, max_digits=18, verbose_name="承诺值")),
                (
                    "indicator",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="challenges.indicator",
                    ),
                ),
                (
                    "proposal",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="committed",
                        to="challenges.proposal",
                    ),
                ),
            ],
            options={
                "ordering": ["indicator__position", "indicator_id"],
                "constraints": [
                    models.UniqueConstraint(fields=("proposal", "indicator"), name="committed_once")
                ],
            },
        ),
        migrations.CreateModel(
            name="ReviewPanel",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("reason", models.CharField(blank=True, max_length=255, verbose_name="遴选理由")),
                ("assigned_at", models.DateTimeField()),
                (
                    "assigned_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "challenge",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="panel",
                        to="challenges.challenge",
                    ),
                ),
                (
                    "expert",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="challenge_panels",
                        to="community.expert",
                    ),
                ),
            ],
            options={
                "verbose_name": "评审专家",
                "verbose_name_plural": "评审专家",
                "ordering": ["assigned_at", "pk"],
                "constraints": [
                    models.UniqueConstraint(fields=("challenge", "expert"), name="panel_expert_once")
                ],
            },
        ),
        migrations.CreateModel(
            name="Score",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("score", models.PositiveSmallIntegerField(verbose_name="评分")),
                ("comment", models.TextField(verbose_name="评审意见")),
                ("scored_at", models.DateTimeField()),
                (
                    "expert",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="challenge_scores",
                        to="community.expert",
                    ),
                ),
                (
                    "proposal",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="scores",
                        to="challenges.proposal",
                    ),
                ),
            ],
            options={
                "verbose_name": "专家评分",
                "verbose_name_plural": "专家评分",
                "ordering": ["scored_at", "pk"],
                "constraints": [
                    models.UniqueConstraint(fields=("proposal", "expert"), name="score_once_per_expert"),
                    models.CheckConstraint(
                        condition=models.Q(("score__gte", 0), ("score__lte", 100)), name="score_0_100"
                    ),
                ],
            },
        ),
    ]

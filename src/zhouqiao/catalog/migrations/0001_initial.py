import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import zhouqiao.catalog.models
import zhouqiao.core.money


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0002_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("core", "0002_audit_append_only"),
    ]

    operations = [
        migrations.CreateModel(
            name="AchievementPackage",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="成果包名称")),
                ("theme", models.CharField(blank=True, max_length=200, verbose_name="主题")),
                ("description", models.TextField(blank=True, verbose_name="说明")),
                (
                    "status",
                    models.CharField(
                        choices=[("draft", "编辑中"), ("published", "已发布"), ("withdrawn", "已撤下")],
                        default="draft",
                        max_length=12,
                        verbose_name="状态",
                    ),
                ),
                ("created_at", models.DateTimeField(verbose_name="创建时间")),
                ("published_at", models.DateTimeField(blank=True, null=True, verbose_name="发布时间")),
                ("is_sample", models.BooleanField(default=False, verbose_name="演示数据")),
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
                    "key_industry",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="core.keyindustry",
                        verbose_name="重点产业",
                    ),
                ),
                (
                    "region",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="core.region",
                        verbose_name="发布地区",
                    ),
                ),
            ],
            options={
                "verbose_name": "成果包",
                "verbose_name_plural": "成果包",
                "ordering": ["-published_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="Demand",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="名称")),
                (
                    "keywords",
                    models.CharField(
                        blank=True,
                        help_text="多个关键词用逗号或顿号分隔",
                        max_length=200,
                        verbose_name="关键词",
                    ),
                ),
                ("contact_name", models.CharField(blank=True, max_length=64, verbose_name="联系人")),
                ("contact_phone", models.CharField(blank=True, max_length=20, verbose_name="联系电话")),
                ("contact_email", models.EmailField(blank=True, max_length=254, verbose_name="联系邮箱")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("draft", "草稿"),
                            ("submitted", "待审核"),
                            ("returned", "已退回"),
                            ("published", "已发布"),
                            ("closed", "已关闭"),
                            ("expired", "已过期"),
                        ],
                        default="draft",
                        max_length=16,
                        verbose_name="状态",
                    ),
                ),
                ("status_reason", models.TextField(blank=True, verbose_name="审核意见")),
                ("created_at", models.DateTimeField(verbose_name="创建时间")),
                ("updated_at", models.DateTimeField(verbose_name="更新时间")),
                ("submitted_at", models.DateTimeField(blank=True, null=True, verbose_name="提交时间")),
                (
                    "published_at",
                    models.DateTimeField(blank=True, db_index=True, null=True, verbose_name="发布时间"),
                ),
                ("closed_at", models.DateTimeField(blank=True, null=True, verbose_name="关闭时间")),
                ("is_sample", models.BooleanField(default=False, verbose_name="演示数据")),
                (
                    "summary",
                    models.TextField(
                        help_text="对所有人公开的简要说明，不要写入保密内容", verbose_name="需求摘要（公开）"
                    ),
                ),
                ("problem", models.TextField(verbose_name="需要解决的问题")),
                ("indicators", models.TextField(blank=True, verbose_name="需达到的技术指标")),
                ("current_approach", models.TextField(blank=True, verbose_name="目前的做法")),
                (
                    "budget_min",
                    zhouqiao.core.money.MoneyField(
                        blank=True, decimal_places=2, max_digits=14, null=True, verbose_name="预算下限（元）"
                    ),
                ),
                (
                    "budget_max",
                    zhouqiao.core.money.MoneyField(
                        blank=True, decimal_places=2, max_digits=14, null=True, verbose_name="预算上限（元）"
                    ),
                ),
                ("deadline", models.DateField(blank=True, null=True, verbose_name="截止日期")),
                (
                    "cooperation_modes",
                    zhouqiao.catalog.models.ModesField(
                        blank=True, default="", max_length=100, verbose_name="合作方式"
                    ),
                ),
                (
                    "confidentiality",
                    models.CharField(
                        choices=[
                            ("public", "公开"),
                            ("summary", "公开摘要，详情仅对已认证机构可见"),
                            ("invited", "仅对受邀机构可见"),
                        ],
                        default="public",
                        max_length=10,
                        verbose_name="保密级别",
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
                    "key_industries",
                    models.ManyToManyField(
                        blank=True, related_name="+", to="core.keyindustry", verbose_name="重点产业"
                    ),
                ),
                (
                    "owner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="accounts.organisation",
                        verbose_name="所属机构",
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
                "verbose_name": "技术需求",
                "verbose_name_plural": "技术需求",
                "ordering": ["-published_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="DemandInvitation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("invited_at", models.DateTimeField(verbose_name="邀请时间")),
                (
                    "demand",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="invitations",
                        to="catalog.demand",
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="accounts.organisation",
                    ),
                ),
            ],
            options={
                "verbose_name": "需求邀请",
                "verbose_name_plural": "需求邀请",
                "constraints": [
                    models.UniqueConstraint(fields=("demand", "organisation"), name="invitation_once")
                ],
            },
        ),
        migrations.AddField(
            model_name="demand",
            name="invited",
            field=models.ManyToManyField(
                blank=True,
                related_name="+",
                through="catalog.DemandInvitation",
                to="accounts.organisation",
                verbose_name="受邀机构",
            ),
        ),
        migrations.CreateModel(
            name="ImportJob",
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
                        choices=[("achievement", "科技成果"), ("demand", "技术需求")],
                        max_length=12,
                        verbose_name="类型",
                    ),
                ),
                ("original_name", models.CharField(max_length=200, verbose_name="文件名")),
                ("stored_name", models.CharField(max_length=100)),
                ("file_format", models.CharField(max_length=8)),
                ("submit_for_review", models.BooleanField(default=False, verbose_name="导入后提交审核")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "排队中"),
                            ("validating", "正在校验"),
                            ("invalid", "校验未通过"),
                            ("writing", "正在写入"),
                            ("succeeded", "导入完成"),
                            ("failed", "导入失败"),
                        ],
                        default="pending",
                        max_length=12,
                        verbose_name="状态",
                    ),
                ),
                ("total_rows", models.PositiveIntegerField(default=0, verbose_name="总行数")),
                ("checked_rows", models.PositiveIntegerField(default=0, verbose_name="已校验行数")),
                ("written_rows", models.PositiveIntegerField(default=0, verbose_name="已写入行数")),
                ("error_count", models.PositiveIntegerField(default=0, verbose_name="错误数")),
                ("errors", models.JSONField(blank=True, default=list, verbose_name="校验报告")),
                ("message", models.TextField(blank=True, verbose_name="说明")),
                ("created_at", models.DateTimeField(verbose_name="上传时间")),
                ("finished_at", models.DateTimeField(blank=True, null=True, verbose_name="完成时间")),
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
                    "owner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="accounts.organisation",
                        verbose_name="所属机构",
                    ),
                ),
            ],
            options={
                "verbose_name": "导入任务",
                "verbose_name_plural": "导入任务",
                "ordering": ["-created_at", "-id"],
            },
        ),
        migrations.AddField(
            model_name="demand",
            name="import_job",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="catalog.importjob",
            ),
        ),
        migrations.CreateModel(
            name="Achievement",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="名称")),
                (
                    "keywords",
                    models.CharField(
                        blank=True,
                        help_text="多个关键词用逗号或顿号分隔",
                        max_length=200,
                        verbose_name="关键词",
                    ),
                ),
                ("contact_name", models.CharField(blank=True, max_length=64, verbose_name="联系人")),
                ("contact_phone", models.CharField(blank=True, max_length=20, verbose_name="联系电话")),
                ("contact_email", models.EmailField(blank=True, max_length=254, verbose_name="联系邮箱")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("draft", "草稿"),
                            ("submitted", "待审核"),
                            ("returned", "已退回"),
                            ("published", "已发布"),
                            ("closed", "已关闭"),
                            ("expired", "已过期"),
                        ],
                        default="draft",
                        max_length=16,
                        verbose_name="状态",
                    ),
                ),
                ("status_reason", models.TextField(blank=True, verbose_name="审核意见")),
                ("created_at", models.DateTimeField(verbose_name="创建时间")),
                ("updated_at", models.DateTimeField(verbose_name="更新时间")),
                ("submitted_at", models.DateTimeField(blank=True, null=True, verbose_name="提交时间")),
                (
                    "published_at",
                    models.DateTimeField(blank=True, db_index=True, null=True, verbose_name="发布时间"),
                ),
                ("closed_at", models.DateTimeField(blank=True, null=True, verbose_name="关闭时间")),
                ("is_sample", models.BooleanField(default=False, verbose_name="演示数据")),
                ("abstract", models.TextField(verbose_name="成果简介")),
                ("problem", models.TextField(blank=True, verbose_name="解决的问题")),
                ("advantages", models.TextField(blank=True, verbose_name="技术优势（与现有方案比较）")),
                ("scenarios", models.TextField(blank=True, verbose_name="应用场景")),
                ("economics", models.TextField(blank=True, verbose_name="经济性比较（与主流替代方案）")),
                (
                    "readiness",
                    models.PositiveSmallIntegerField(
                        choices=[
                            (1, "1级：发现基本原理或看到基本原理的报道"),
                            (2, "2级：形成技术概念或开发方案"),
                            (3, "3级：关键技术或功能通过可行性验证（实验室）"),
                            (4, "4级：实验室环境中的部件或原理样机验证"),
                            (5, "5级：相关环境中的部件或初样验证"),
                            (6, "6级：相关环境中的系统样机演示"),
                            (7, "7级：实际使用环境中的系统样机试验（中试）"),
                            (8, "8级：实际系统完成并通过验证（试用、小批量）"),
                            (9, "9级：实际系统经过运行考验，实现产业化"),
                        ],
                        verbose_name="技术就绪水平（TRL）",
                    ),
                ),
                (
                    "transfer_modes",
                    zhouqiao.catalog.models.ModesField(
                        blank=True, default="", max_length=100, verbose_name="转化方式"
                    ),
                ),
                (
                    "price_kind",
                    models.CharField(
                        choices=[("fixed", "固定价格"), ("range", "价格区间"), ("negotiable", "面议")],
                        default="negotiable",
                        max_length=12,
                        verbose_name="价格方式",
                    ),
                ),
                (
                    "price_min",
                    zhouqiao.core.money.MoneyField(
                        blank=True,
                        decimal_places=2,
                        max_digits=14,
                        null=True,
                        verbose_name="价格（下限，元）",
                    ),
                ),
                (
                    "price_max",
                    zhouqiao.core.money.MoneyField(
                        blank=True,
                        decimal_places=2,
                        max_digits=14,
                        null=True,
                        verbose_name="价格（上限，元）",
                    ),
                ),
                ("team", models.TextField(blank=True, verbose_name="团队与发明人")),
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
                    "discipline",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="core.discipline",
                        verbose_name="学科",
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
                    "key_industries",
                    models.ManyToManyField(
                        blank=True, related_name="+", to="core.keyindustry", verbose_name="重点产业"
                    ),
                ),
                (
                    "owner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="accounts.organisation",
                        verbose_name="所属机构",
                    ),
                ),
                (
                    "patent_class",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="core.patentclass",
                        verbose_name="IPC 分类",
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
                    "import_job",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="catalog.importjob",
                    ),
                ),
            ],
            options={
                "verbose_name": "科技成果",
                "verbose_name_plural": "科技成果",
                "ordering": ["-published_at", "-id"],
                "indexes": [
                    models.Index(fields=["status", "region"], name="catalog_ach_status_09a001_idx"),
                    models.Index(fields=["status", "readiness"], name="catalog_ach_status_82fb38_idx"),
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            (
                                "status__in",
                                ["draft", "submitted", "returned", "published", "closed", "expired"],
                            )
                        ),
                        name="achievement_status_known",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("readiness__gte", 1), ("readiness__lte", 9)),
                        name="achievement_trl_1_9",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(
                                ("price_kind", "negotiable"),
                                ("price_max__isnull", True),
                                ("price_min__isnull", True),
                            ),
                            models.Q(
                                ("price_kind", "fixed"),
                                ("price_max", models.F("price_min")),
                                ("price_min__isnull", False),
                            ),
                            models.Q(
                                ("price_kind", "range"),
                                ("price_max__gt", models.F("price_min")),
                                ("price_min__isnull", False),
                            ),
                            _connector="OR",
                        ),
                        name="achievement_price_consistent",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="IntellectualProperty",
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
                            ("invention_patent", "发明专利"),
                            ("utility_model", "实用新型专利"),
                            ("design", "外观设计专利"),
                            ("software_copyright", "软件著作权"),
                            ("plant_variety", "植物新品种权"),
                            ("know_how", "技术秘密"),
                        ],
                        max_length=20,
                        verbose_name="类型",
                    ),
                ),
                ("number", models.CharField(blank=True, max_length=64, verbose_name="申请号/登记号")),
                (
                    "status",
                    models.CharField(
                        choices=[("filed", "已申请"), ("granted", "已授权"), ("lapsed", "已失效")],
                        default="granted",
                        max_length=12,
                        verbose_name="状态",
                    ),
                ),
                ("filed_on", models.DateField(blank=True, null=True, verbose_name="申请日")),
                ("granted_on", models.DateField(blank=True, null=True, verbose_name="授权日")),
                (
                    "achievement",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="ip_items",
                        to="catalog.achievement",
                    ),
                ),
            ],
            options={
                "verbose_name": "知识产权",
                "verbose_name_plural": "知识产权",
                "ordering": ["id"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            (
                                "kind__in",
                                [
                                    "invention_patent",
                                    "utility_model",
                                    "design",
                                    "software_copyright",
                                    "plant_variety",
                                    "know_how",
                                ],
                            )
                        ),
                        name="ip_kind_known",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("status__in", ["filed", "granted", "lapsed"])),
                        name="ip_status_known",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="PackageItem",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("position", models.PositiveIntegerField(default=0)),
                (
                    "achievement",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="catalog.achievement",
                    ),
                ),
                (
                    "package",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="items",
                        to="catalog.achievementpackage",
                    ),
                ),
            ],
            options={
                "ordering": ["position", "id"],
                "constraints": [
                    models.UniqueConstraint(fields=("package", "achievement"), name="package_item_once")
                ],
            },
        ),
        migrations.AddField(
            model_name="achievementpackage",
            name="achievements",
            field=models.ManyToManyField(
                related_name="packages", through="catalog.PackageItem", to="catalog.achievement"
            ),
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
                ("original_name", models.CharField(max_length=200, verbose_name="文件名")),
                ("stored_name", models.CharField(max_length=100, unique=True)),
                ("content_type", models.CharField(max_length=100)),
                ("size", models.PositiveBigIntegerField(verbose_name="大小（字节）")),
                ("sha256", models.CharField(max_length=64)),
                ("uploaded_at", models.DateTimeField(verbose_name="上传时间")),
                (
                    "achievement",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="attachments",
                        to="catalog.achievement",
                    ),
                ),
                (
                    "uploaded_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "demand",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="attachments",
                        to="catalog.demand",
                    ),
                ),
            ],
            options={
                "verbose_name": "附件",
                "verbose_name_plural": "附件",
                "ordering": ["id"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("achievement__isnull", False), ("demand__isnull", True)),
                            models.Q(("achievement__isnull", True), ("demand__isnull", False)),
                            _connector="OR",
                        ),
                        name="attachment_one_owner",
                    )
                ],
            },
        ),
        migrations.AddIndex(
            model_name="demand",
            index=models.Index(fields=["status", "region"], name="catalog_dem_status_8769cb_idx"),
        ),
        migrations.AddIndex(
            model_name="demand",
            index=models.Index(fields=["status", "deadline"], name="catalog_dem_status_6b3caf_idx"),
        ),
        migrations.AddConstraint(
            model_name="demand",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("status__in", ["draft", "submitted", "returned", "published", "closed", "expired"])
                ),
                name="demand_status_known",
            ),
        ),
        migrations.AddConstraint(
            model_name="demand",
            constraint=models.CheckConstraint(
                condition=models.Q(("confidentiality__in", ["public", "summary", "invited"])),
                name="demand_confidentiality_known",
            ),
        ),
        migrations.AddConstraint(
            model_name="demand",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("budget_min__isnull", True),
                    ("budget_max__isnull", True),
                    ("budget_max__gte", models.F("budget_min")),
                    _connector="OR",
                ),
                name="demand_budget_ordered",
            ),
        ),
        migrations.AddConstraint(
            model_name="achievementpackage",
            constraint=models.CheckConstraint(
                condition=models.Q(("status__in", ["draft", "published", "withdrawn"])),
                name="package_status_known",
            ),
        ),
    ]

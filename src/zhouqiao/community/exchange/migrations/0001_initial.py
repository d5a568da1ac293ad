import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0008_statistics_duty"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("catalog", "0001_initial"),
        ("challenges", "0001_initial"),
        ("community", "0003_expert_availability_expert_category_and_more"),
        ("core", "0003_privacy_consent"),
    ]

    operations = [
        migrations.CreateModel(
            name="Conversation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("post", models.CharField(blank=True, max_length=24, verbose_name="洽谈岗位")),
                ("created_at", models.DateTimeField(verbose_name="发起时间")),
                ("last_at", models.DateTimeField(verbose_name="最后消息时间")),
                (
                    "expert",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="conversations",
                        to="community.expert",
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
                (
                    "started_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "人才对接洽谈",
                "verbose_name_plural": "人才对接洽谈",
                "ordering": ["-last_at", "-pk"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("expert", "organisation"), name="conversation_once_per_pair"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Message",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("body", models.TextField(verbose_name="内容")),
                ("sent_at", models.DateTimeField(verbose_name="发送时间")),
                (
                    "author",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "conversation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="messages",
                        to="exchange.conversation",
                    ),
                ),
            ],
            options={
                "verbose_name": "洽谈消息",
                "verbose_name_plural": "洽谈消息",
                "ordering": ["sent_at", "pk"],
            },
        ),
        migrations.CreateModel(
            name="Notice",
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
                        choices=[("notice", "通知公告"), ("policy", "政策文件"), ("guide", "申报指南")],
                        default="notice",
                        max_length=12,
                        verbose_name="类别",
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="标题")),
                ("body", models.TextField(verbose_name="正文")),
                ("number", models.CharField(blank=True, max_length=64, verbose_name="文号")),
                ("publisher", models.CharField(max_length=128, verbose_name="发布单位")),
                ("publish_at", models.DateTimeField(db_index=True, verbose_name="发布时间")),
                ("seed", models.CharField(blank=True, max_length=8, verbose_name="对应政策文件编号")),
                ("created_at", models.DateTimeField(verbose_name="创建时间")),
                ("withdrawn_at", models.DateTimeField(blank=True, null=True, verbose_name="撤回时间")),
                ("is_sample", models.BooleanField(default=False, verbose_name="演示数据")),
                (
                    "created_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "jurisdiction",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="core.region",
                        verbose_name="发布部门所在地区",
                    ),
                ),
                (
                    "region",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="core.region",
                        verbose_name="涉及地区",
                    ),
                ),
            ],
            options={
                "verbose_name": "通知公告",
                "verbose_name_plural": "通知公告",
                "ordering": ["-publish_at", "-pk"],
                "indexes": [models.Index(fields=["kind", "publish_at"], name="exchange_no_kind_72d11e_idx")],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("kind__in", ["notice", "policy", "guide"])),
                        name="notice_kind_known",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="NoticeAttachment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("original_name", models.CharField(max_length=200, verbose_name="文件名")),
                ("stored_name", models.CharField(max_length=64, unique=True)),
                ("content_type", models.CharField(max_length=100)),
                ("size", models.PositiveIntegerField(verbose_name="大小（字节）")),
                ("sha256", models.CharField(max_length=64)),
                ("uploaded_at", models.DateTimeField(verbose_name="上传时间")),
                (
                    "notice",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="attachments",
                        to="exchange.notice",
                    ),
                ),
            ],
            options={
                "verbose_name": "公告附件",
                "verbose_name_plural": "公告附件",
                "ordering": ["pk"],
            },
        ),
        migrations.CreateModel(
            name="Question",
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
                            ("achievement", "科技成果"),
                            ("demand", "技术需求"),
                            ("challenge", "揭榜挂帅榜单"),
                            ("policy", "政策条款"),
                        ],
                        max_length=12,
                        verbose_name="咨询对象",
                    ),
                ),
                ("rule_id", models.CharField(blank=True, max_length=80, verbose_name="政策条款")),
                ("subject", models.CharField(max_length=200, verbose_name="咨询对象名称")),
                ("body", models.TextField(verbose_name="问题")),
                ("asked_at", models.DateTimeField(verbose_name="提问时间")),
                (
                    "status",
                    models.CharField(
                        choices=[("waiting", "待回答"), ("answered", "已回答"), ("hidden", "已隐藏")],
                        default="waiting",
                        max_length=12,
                        verbose_name="状态",
                    ),
                ),
                ("answer", models.TextField(blank=True, verbose_name="回答")),
                ("answered_as", models.CharField(blank=True, max_length=128, verbose_name="回答方")),
                ("answered_at", models.DateTimeField(blank=True, null=True, verbose_name="回答时间")),
                ("hidden_reason", models.TextField(blank=True, verbose_name="隐藏原因")),
                ("hidden_at", models.DateTimeField(blank=True, null=True, verbose_name="隐藏时间")),
                ("is_sample", models.BooleanField(default=False, verbose_name="演示数据")),
                (
                    "achievement",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="catalog.achievement",
                    ),
                ),
                (
                    "answered_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "asker",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "challenge",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="challenges.challenge",
                    ),
                ),
                (
                    "demand",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="catalog.demand",
                    ),
                ),
                (
                    "hidden_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "owner",
                    models.ForeignKey(
                        blank=True,
                        null=True,
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
                "verbose_name": "咨询问答",
                "verbose_name_plural": "咨询问答",
                "ordering": ["-asked_at", "-pk"],
                "indexes": [
                    models.Index(fields=["kind", "status"], name="exchange_qu_kind_90e3f7_idx"),
                    models.Index(fields=["status", "region"], name="exchange_qu_status_919cf2_idx"),
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("kind__in", ["achievement", "demand", "challenge", "policy"])),
                        name="question_kind_known",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("status__in", ["waiting", "answered", "hidden"])),
                        name="question_status_known",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(
                                ("achievement__isnull", False),
                                ("challenge__isnull", True),
                                ("demand__isnull", True),
                                ("kind", "achievement"),
                            ),
                            models.Q(
                                ("achievement__isnull", True),
                                ("challenge__isnull", True),
                                ("demand__isnull", False),
                                ("kind", "demand"),
                            ),
                            models.Q(
                                ("achievement__isnull", True),
                                ("challenge__isnull", False),
                                ("demand__isnull", True),
                                ("kind", "challenge"),
                            ),
                            models.Q(
                                ("achievement__isnull", True),
                                ("challenge__isnull", True),
                                ("demand__isnull", True),
                                ("kind", "policy"),
                                models.Q(("rule_id", ""), _negated=True),
                            ),
                            _connector="OR",
                        ),
                        name="question_one_target",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("status", "answered"), _negated=True),
                            models.Q(("answer", ""), _negated=True),
                            _connector="OR",
                        ),
                        name="question_answered_has_answer",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("status", "hidden"), _negated=True),
                            models.Q(("hidden_reason", ""), _negated=True),
                            _connector="OR",
                        ),
                        name="question_hidden_has_reason",
                    ),
                ],
            },
        ),
    ]

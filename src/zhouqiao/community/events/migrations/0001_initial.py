import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0008_statistics_duty"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("catalog", "0001_initial"),
        ("core", "0003_privacy_consent"),
        ("market", "0005_auction_event_seq_once"),
    ]

    operations = [
        migrations.CreateModel(
            name="Event",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="活动名称")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("launch", "成果发布会"),
                            ("matchmaking", "供需对接会"),
                            ("roadshow", "项目路演会"),
                            ("training", "培训"),
                        ],
                        max_length=16,
                        verbose_name="活动类型",
                    ),
                ),
                ("agenda", models.TextField(verbose_name="活动议程")),
                ("place", models.CharField(max_length=200, verbose_name="活动地点")),
                ("starts_at", models.DateTimeField(verbose_name="开始时间")),
                ("ends_at", models.DateTimeField(verbose_name="结束时间")),
                ("capacity", models.PositiveIntegerField(verbose_name="名额")),
                ("seats_taken", models.PositiveIntegerField(default=0, verbose_name="已占名额")),
                ("audience", models.CharField(max_length=200, verbose_name="面向对象")),
                ("registration_deadline", models.DateTimeField(verbose_name="报名截止时间")),
                ("organiser_name", models.CharField(max_length=128, verbose_name="主办单位")),
                (
                    "status",
                    models.CharField(
                        choices=[("published", "报名中"), ("cancelled", "已取消")],
                        default="published",
                        max_length=12,
                        verbose_name="状态",
                    ),
                ),
                (
                    "meeting_start",
                    models.DateTimeField(blank=True, null=True, verbose_name="一对一洽谈开始时间"),
                ),
                (
                    "slot_minutes",
                    models.PositiveSmallIntegerField(default=20, verbose_name="每场洽谈时长（分钟）"),
                ),
                ("slot_count", models.PositiveSmallIntegerField(default=0, verbose_name="洽谈场次")),
                ("tables", models.PositiveSmallIntegerField(default=0, verbose_name="洽谈桌数")),
                (
                    "schedule_generated_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="排程生成时间"),
                ),
                (
                    "schedule_published_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="排程发布时间"),
                ),
                ("created_at", models.DateTimeField(verbose_name="发布时间")),
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
                    "organiser_org",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="accounts.organisation",
                        verbose_name="主办机构",
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
                "verbose_name": "活动",
                "verbose_name_plural": "活动",
                "ordering": ["-starts_at", "-pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("kind__in", ["launch", "matchmaking", "roadshow", "training"])),
                        name="event_kind_known",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("status__in", ["published", "cancelled"])),
                        name="event_status_known",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("seats_taken__lte", models.F("capacity"))),
                        name="event_within_capacity",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("capacity__gte", 1)), name="event_capacity_positive"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("ends_at__gt", models.F("starts_at"))),
                        name="event_ends_after_start",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="Registration",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("note", models.CharField(blank=True, max_length=500, verbose_name="报名说明")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "待审核"),
                            ("approved", "已通过"),
                            ("rejected", "未通过"),
                            ("cancelled", "已取消"),
                        ],
                        default="pending",
                        max_length=12,
                        verbose_name="状态",
                    ),
                ),
                ("reason", models.CharField(blank=True, max_length=500, verbose_name="审核意见")),
                ("decided_at", models.DateTimeField(blank=True, null=True, verbose_name="审核时间")),
                ("checkin_token", models.CharField(max_length=32, unique=True)),
                ("checked_in_at", models.DateTimeField(blank=True, null=True, verbose_name="签到时间")),
                ("availability", models.JSONField(blank=True, default=list, verbose_name="可参加的洽谈场次")),
                ("created_at", models.DateTimeField(verbose_name="报名时间")),
                (
                    "checked_in_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
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
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "event",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="registrations",
                        to="events.event",
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="accounts.organisation",
                        verbose_name="所在单位",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "活动报名",
                "verbose_name_plural": "活动报名",
                "ordering": ["created_at", "pk"],
                "constraints": [
                    models.UniqueConstraint(fields=("event", "user"), name="event_registration_once"),
                    models.CheckConstraint(
                        condition=models.Q(("status__in", ["pending", "approved", "rejected", "cancelled"])),
                        name="event_registration_status_known",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="Meeting",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("slot", models.PositiveSmallIntegerField(verbose_name="场次")),
                ("table", models.PositiveSmallIntegerField(verbose_name="桌号")),
                ("score", models.PositiveIntegerField(verbose_name="匹配分")),
                ("mutual", models.BooleanField(default=False, verbose_name="双向意向")),
                (
                    "outcome",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("agreement", "达成初步合作意向"),
                            ("follow_up", "有意向，需进一步洽谈"),
                            ("no_interest", "暂无合作意向"),
                            ("absent", "对方未到场"),
                        ],
                        max_length=16,
                        verbose_name="洽谈结果",
                    ),
                ),
                ("outcome_note", models.CharField(blank=True, max_length=500, verbose_name="结果说明")),
                ("outcome_at", models.DateTimeField(blank=True, null=True, verbose_name="结果登记时间")),
                (
                    "achievement",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="catalog.achievement",
                    ),
                ),
                (
                    "demand",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="catalog.demand",
                    ),
                ),
                (
                    "event",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="meetings",
                        to="events.event",
                    ),
                ),
                (
                    "negotiation",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="market.negotiation",
                    ),
                ),
                (
                    "outcome_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "first",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="events.registration",
                    ),
                ),
                (
                    "second",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="events.registration",
                    ),
                ),
            ],
            options={
                "verbose_name": "一对一洽谈",
                "verbose_name_plural": "一对一洽谈",
                "ordering": ["slot", "table"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("event", "slot", "table"), name="meeting_table_once_per_slot"
                    ),
                    models.UniqueConstraint(
                        fields=("event", "first", "slot"), name="meeting_first_once_per_slot"
                    ),
                    models.UniqueConstraint(
                        fields=("event", "second", "slot"), name="meeting_second_once_per_slot"
                    ),
                    models.UniqueConstraint(fields=("event", "first", "second"), name="meeting_pair_once"),
                    models.CheckConstraint(
                        condition=models.Q(("first", models.F("second")), _negated=True),
                        name="meeting_two_sides",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("outcome", ""),
                            ("outcome__in", ["agreement", "follow_up", "no_interest", "absent"]),
                            _connector="OR",
                        ),
                        name="meeting_outcome_known",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="Interest",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("target_key", models.CharField(max_length=24)),
                (
                    "level",
                    models.PositiveSmallIntegerField(
                        choices=[(1, "感兴趣"), (2, "非常希望洽谈")], verbose_name="意向程度"
                    ),
                ),
                ("created_at", models.DateTimeField(verbose_name="登记时间")),
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
                    "target",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="accounts.organisation",
                        verbose_name="意向对象",
                    ),
                ),
                (
                    "registration",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="interests",
                        to="events.registration",
                    ),
                ),
            ],
            options={
                "verbose_name": "洽谈意向",
                "verbose_name_plural": "洽谈意向",
                "ordering": ["pk"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("registration", "target_key"), name="event_interest_once"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("level__in", [1, 2])), name="event_interest_level_known"
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="RoadshowSlot",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("starts_at", models.DateTimeField(verbose_name="路演时间")),
                ("minutes", models.PositiveSmallIntegerField(default=15, verbose_name="路演时长（分钟）")),
                ("speaker", models.CharField(blank=True, max_length=64, verbose_name="路演人")),
                (
                    "achievement",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="catalog.achievement",
                        verbose_name="路演成果",
                    ),
                ),
                (
                    "event",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="roadshow_slots",
                        to="events.event",
                    ),
                ),
                (
                    "presenter",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="accounts.organisation",
                        verbose_name="路演单位",
                    ),
                ),
            ],
            options={
                "verbose_name": "路演场次",
                "verbose_name_plural": "路演场次",
                "ordering": ["starts_at", "pk"],
                "constraints": [
                    models.UniqueConstraint(fields=("event", "achievement"), name="roadshow_achievement_once")
                ],
            },
        ),
    ]

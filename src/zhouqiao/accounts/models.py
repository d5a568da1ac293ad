import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhouqiao.accounts.states import VerificationStatus
from zhouqiao.core.crypto import EncryptedCharField
from zhouqiao.core.models import Region


class OrganisationKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    UNIVERSITY = "university", _("高等院校")
    INSTITUTE = "institute", _("科研院所")
    NEW_RD_INSTITUTION = "new_rd_institution", _("新型研发机构")
    TRANSFER_INSTITUTION = "transfer_institution", _("技术转移机构")
    SERVICE_PROVIDER = "service_provider", _("科技服务机构")
    INVESTOR = "investor", _("投资机构")
    GOVERNMENT = "government", _("科技主管部门")


class User(AbstractUser):
    display_name = models.CharField(_("姓名"), max_length=64, blank=True)
    phone = models.CharField(_("手机号码"), max_length=20, blank=True)
    id_number = EncryptedCharField(_("身份证号"), max_length=18, blank=True)  # encrypted at rest
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)
    # The username folded for comparison (NFKC, casefold, invisibles removed, see names.py): two
    # names that look alike have the same key, and a new name whose key is taken is refused.
    username_key = models.CharField(max_length=150, db_index=True, blank=True, editable=False)
    # When a second factor first became required of this person (their first sign-in with a duty
    # that requires it); they may sign in without it until settings.TOTP_GRACE_DAYS later.
    totp_required_since = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username

    def save(self, *args, **kwargs):
        # A derived column of this row (like a slug): kept with the name however the row is written.
        from zhouqiao.accounts.names import key

        self.username_key = key(self.username)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "username" in update_fields:
            kwargs["update_fields"] = {*update_fields, "username_key"}
        super().save(*args, **kwargs)


class OrganisationQuerySet(models.QuerySet):
    def verified(self):
        return self.filter(status=VerificationStatus.VERIFIED)

    def visible_to(self, user):
        from zhouqiao.accounts import scope

        return self.filter(scope.organisation_visibility_q(user)).distinct()


class Organisation(models.Model):
    name = models.CharField(_("机构名称"), max_length=128)
    kind = models.CharField(_("机构类型"), max_length=24, choices=OrganisationKind.choices)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, verbose_name=_("所在地区"))
    address = models.CharField(_("地址"), max_length=255, blank=True)
    legal_representative = models.CharField(_("法定代表人"), max_length=64, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=64, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    contact_email = models.EmailField(_("联系邮箱"), blank=True)
    website = models.URLField(_("网址"), blank=True)
    description = models.TextField(_("简介"), blank=True)
    status = models.CharField(
        _("认证状态"), max_length=16, choices=VerificationStatus.choices, default=VerificationStatus.SUBMITTED
    )
    status_reason = models.TextField(_("审核意见"), blank=True)
    verified_at = models.DateTimeField(_("认证时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"))
    is_sample = models.BooleanField(_("演示数据"), default=False)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=VerificationStatus.values), name="organisation_status_known"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=OrganisationKind.values), name="organisation_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_verified(self) -> bool:
        return self.status == VerificationStatus.VERIFIED


class OrganisationDocument(models.Model):
    """A verification document of an organisation (营业执照或事业单位法人证书副本的扫描件).

    Stored under a server-made name; read only through the view that checks who asks (the
    organisation's members and the reviewers whose jurisdiction covers it), never from MEDIA_URL."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(_("文件"), upload_to="organisations/%Y/")
    original_name = models.CharField(_("原文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"), default=0)
    uploaded_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"))

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("机构认证材料")
        verbose_name_plural = _("机构认证材料")

    def __str__(self) -> str:
        return f"{self.organisation} · {self.original_name}"

    @property
    def extension(self) -> str:
        return self.file.name.rsplit(".", 1)[-1].lower()


class MemberRole(models.TextChoices):
    ADMIN = "admin", _("机构管理员")
    MEMBER = "member", _("成员")


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("角色"), max_length=8, choices=MemberRole.choices, default=MemberRole.MEMBER)
    joined_at = models.DateTimeField(_("加入时间"))

    class Meta:
        verbose_name = _("机构成员")
        verbose_name_plural = _("机构成员")
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="membership_once")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation}"


class Duty(models.TextChoices):
    """What government staff may do within their jurisdiction."""

    REVIEWER = "reviewer", _("审核员")
    REGISTRAR = "registrar", _("合同登记员")
    FINANCE = "finance", _("财务审批")
    POLICY_EDITOR = "policy_editor", _("政策参数编辑")  # proposes and approves a bureau's own policy values
    PROGRAM_OFFICER = "program_officer", _("项目管理")  # calls, 揭榜挂帅, experts, projects, the patent pool
    STATISTICS = (
        "statistics",
        _("统计监测"),
    )  # targets, the innovation index inputs, listing reserve, annual reports
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    AUDIT_ADMIN = "audit_admin", _("审计管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")


# 三员分立 (GB/T 22239 level 3): the system, security and audit administrators are three people.
# In particular nobody holds both the power to grant permissions (security) and to read the log.
EXCLUSIVE_DUTIES = {Duty.SYSTEM_ADMIN, Duty.AUDIT_ADMIN, Duty.SECURITY_ADMIN}


class StaffAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="assignments")
    jurisdiction = models.ForeignKey(Region, on_delete=models.PROTECT, verbose_name=_("管辖区域"))
    duty = models.CharField(_("职责"), max_length=16, choices=Duty.choices)
    granted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    granted_at = models.DateTimeField(_("授权时间"))

    class Meta:
        verbose_name = _("政府工作人员职责")
        verbose_name_plural = _("政府工作人员职责")
        constraints = [
            models.UniqueConstraint(fields=["user", "jurisdiction", "duty"], name="assignment_once"),
            models.CheckConstraint(condition=models.Q(duty__in=Duty.values), name="assignment_duty_known"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.jurisdiction} · {self.get_duty_display()}"


class TokenScope(models.TextChoices):
    READ = "read", _("只读")
    WRITE = "write", _("读写")


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the key is shown once when created.

    A read token answers GET/HEAD/OPTIONS only. A token stops working at ``expires_at`` and is
    revoked with every other token of its owner when the owner's password changes."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("名称"), max_length=64)
    prefix = models.CharField(max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    scope = models.CharField(_("权限"), max_length=8, choices=TokenScope.choices, default=TokenScope.READ)
    created_at = models.DateTimeField(_("创建时间"))
    expires_at = models.DateTimeField(_("有效期至"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")
        constraints = [
            models.CheckConstraint(condition=models.Q(scope__in=TokenScope.values), name="token_scope_known")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()


class InvitationKind(models.TextChoices):
    INVITATION = "invitation", _("机构邀请")
    REQUEST = "request", _("加入申请")


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("待处理")
    ACCEPTED = "accepted", _("已接受")
    DECLINED = "declined", _("已拒绝")
    CANCELLED = "cancelled", _("已撤回")


class MembershipInvitation(models.Model):
    """Membership by consent: an organisation's admin invites a person, who accepts or declines;
    or a person asks to join, and an admin of the organisation approves or declines. Only the
    accepting side's act creates the membership."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations_out")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="membership_invitations")
    kind = models.CharField(_("类型"), max_length=12, choices=InvitationKind.choices)
    role = models.CharField(_("角色"), max_length=8, choices=MemberRole.choices, default=MemberRole.MEMBER)
    status = models.CharField(
        _("状态"), max_length=12, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    note = models.CharField(_("附言"), max_length=200, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("发出时间"))
    decided_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("机构成员邀请")
        verbose_name_plural = _("机构成员邀请")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=models.Q(status="pending"),
                name="invitation_pending_once",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=InvitationKind.values), name="invitation_kind_known"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=InvitationStatus.values), name="invitation_status_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.user} → {self.organisation}"


class LoginSession(models.Model):
    """One signed-in session, so that a person can see where they are signed in and end it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="login_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(_("登录时间"))
    last_seen_at = models.DateTimeField(_("最近活动"))
    user_agent = models.CharField(_("浏览器"), max_length=300, blank=True)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("登录会话")
        verbose_name_plural = _("登录会话")
        indexes = [models.Index(fields=["user", "ended_at"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.created_at:%Y-%m-%d %H:%M}"


class TotpDevice(models.Model):
    """A person's TOTP authenticator (RFC 6238, 30 s, 6 digits). ``last_step`` refuses a code
    used once already."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="totp_device")
    secret = EncryptedCharField(max_length=64)  # encrypted at rest, like ID numbers
    created_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_step = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("动态口令设备")
        verbose_name_plural = _("动态口令设备")

    def __str__(self) -> str:
        return f"{self.user} · TOTP"

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None

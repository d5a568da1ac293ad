"""Demo organisations and one account per role, in Changchun, Jilin City and a county.

The organisations are ones the seeds name; their credit codes are made up (valid check character,
marked ``is_sample``) and nothing here claims to be their real data.
"""

import hashlib

from django.db import transaction

from zhouqiao.accounts.credit_code import ALPHABET, make
from zhouqiao.accounts.models import (
    Duty,
    MemberRole,
    Membership,
    Organisation,
    OrganisationDocument,
    StaffAssignment,
    TotpDevice,
    User,
)
from zhouqiao.accounts.states import VerificationStatus

DEMO_PASSWORD = "Zhouqiao@2026"  # published in the README  # nosec B105
# The three administrators of the demo sign in with a second factor (README): this TOTP secret,
# entered in any authenticator app (or `python -c "import pyotp; print(pyotp.TOTP('…').now())"`).
DEMO_TOTP_SECRET = "ZHOUQIAODEMOTOTPSECRETJL"  # published in the README  # nosec B105
DEMO_TOTP_ACCOUNTS = ("security_admin", "audit_admin", "system_admin")

# (key, name, kind, region, registration prefix: 91 enterprise, 12 public institution, 11 government)
ORGANISATIONS = [
    ("faw", "中国第一汽车集团有限公司", "enterprise", "220174", "91"),
    ("crrc", "中车长春轨道客车股份有限公司", "enterprise", "220106", "91"),
    ("xiuzheng", "修正药业集团股份有限公司", "enterprise", "220173", "91"),
    ("chemfibre", "吉林化纤集团有限责任公司", "enterprise", "220203", "91"),
    ("dehui-agri", "德惠市禾丰农产品深加工有限公司", "enterprise", "220183", "91"),
    ("jlu", "吉林大学", "university", "220104", "12"),
    ("nenu", "东北师范大学", "university", "220102", "12"),
    ("cust", "长春理工大学", "university", "220105", "12"),
    ("ciomp", "中国科学院长春光学精密机械与物理研究所", "institute", "220173", "12"),
    ("ciac", "中国科学院长春应用化学研究所", "institute", "220104", "12"),
    ("jaas", "吉林省农业科学院", "institute", "220102", "12"),
    ("jl-newrd", "吉林省新型碳材料研究院", "new_rd_institution", "220271", "52"),
    ("cc-ttc", "长春科技大市场技术转移服务中心", "transfer_institution", "220173", "12"),
    ("cc-testing", "长春市质量检验检测服务有限公司", "service_provider", "220106", "91"),
    ("jl-fund", "吉林省科技创新投资基金", "investor", "220102", "91"),
    ("jl-startup", "吉林市智造未来科技有限公司", "enterprise", "220204", "91"),
    ("gov-jl", "吉林省科学技术厅", "government", "220102", "11"),
    ("gov-cc", "长春市科学技术局", "government", "220104", "11"),
    ("gov-jc", "吉林市科学技术局", "government", "220202", "11"),
    ("gov-dh", "德惠市科学技术局", "government", "220183", "11"),
]
# Registered but not yet verified: the reviewers' queue has something to do.
PENDING = {"jl-startup"}

# username, display name, organisation key, role, staff duties [(jurisdiction, duty)]
ACCOUNTS = [
    ("enterprise", "王建国（一汽技术中心）", "faw", MemberRole.ADMIN, []),
    ("enterprise_jl", "刘晓梅（吉林化纤）", "chemfibre", MemberRole.ADMIN, []),
    ("enterprise_county", "赵德全（德惠禾丰）", "dehui-agri", MemberRole.ADMIN, []),
    ("university", "李明（吉林大学技术转移中心）", "jlu", MemberRole.ADMIN, []),
    ("institute", "陈光（长春光机所成果转化处）", "ciomp", MemberRole.ADMIN, []),
    ("broker", "孙立（技术经纪人）", "cc-ttc", MemberRole.ADMIN, []),
    ("provider", "周检（检验检测服务）", "cc-testing", MemberRole.ADMIN, []),
    ("startup", "吴创（待认证企业）", "jl-startup", MemberRole.ADMIN, []),
    (
        "province_staff",
        "省科技厅审核员",
        "gov-jl",
        MemberRole.MEMBER,
        [
            ("220000", Duty.REVIEWER),
            ("220000", Duty.REGISTRAR),
            ("220000", Duty.FINANCE),
            ("220000", Duty.STATISTICS),
        ],
    ),
    # The province's second finance officer: 财务初审 of what province_staff 核定, or 复审 of
    # what province_staff 初审 (one person never takes two of these steps: policy.services).
    (
        "province_finance",
        "省科技厅资金管理处复核员",
        "gov-jl",
        MemberRole.MEMBER,
        [("220000", Duty.FINANCE)],
    ),
    (
        "city_staff",
        "长春市科技局审核员",
        "gov-cc",
        MemberRole.MEMBER,
        [
            ("220100", Duty.REVIEWER),
            ("220100", Duty.REGISTRAR),
            ("220100", Duty.FINANCE),
            ("220100", Duty.POLICY_EDITOR),
            ("220100", Duty.STATISTICS),
        ],
    ),
    # Proposes changes of Changchun's policy parameters; city_staff, the other editor, approves them.
    (
        "city_policy_editor",
        "长春市科技局政策法规处",
        "gov-cc",
        MemberRole.MEMBER,
        [("220100", Duty.POLICY_EDITOR)],
    ),
    (
        "jilin_city_staff",
        "吉林市科技局审核员",
        "gov-jc",
        MemberRole.MEMBER,
        [
            ("220200", Duty.REVIEWER),
            ("220200", Duty.REGISTRAR),
            ("220200", Duty.FINANCE),
            ("220200", Duty.STATISTICS),
        ],
    ),
    (
        "county_staff",
        "德惠市科技局审核员",
        "gov-dh",
        MemberRole.MEMBER,
        [("220183", Duty.REVIEWER), ("220183", Duty.REGISTRAR), ("220183", Duty.STATISTICS)],
    ),
    ("security_admin", "省科技厅安全管理员", "gov-jl", MemberRole.MEMBER, [("220000", Duty.SECURITY_ADMIN)]),
    ("audit_admin", "省科技厅审计管理员", "gov-jl", MemberRole.MEMBER, [("220000", Duty.AUDIT_ADMIN)]),
    ("system_admin", "省科技厅系统管理员", "gov-jl", MemberRole.MEMBER, [("220000", Duty.SYSTEM_ADMIN)]),
    # Calls, 揭榜挂帅, the expert registry, funded projects and the patent pool of the province.
    (
        "program_officer",
        "省科技厅项目管理处",
        "gov-jl",
        MemberRole.MEMBER,
        [("220000", Duty.PROGRAM_OFFICER)],
    ),
    # A professor whom community.demo enters in the expert registry: reviews calls and challenges.
    ("expert", "王立新（吉林大学 教授）", "jlu", MemberRole.MEMBER, []),
]


def demo_credit_code(key: str, prefix: str, region: str) -> str:
    digest = hashlib.sha256(key.encode()).digest()
    body = "".join(ALPHABET[b % 31] for b in digest[:9])
    return make(prefix + region + body)


@transaction.atomic
def create_demo_accounts(*, now) -> dict[str, int]:
    organisations = {}
    for key, name, kind, region, prefix in ORGANISATIONS:
        status = VerificationStatus.SUBMITTED if key in PENDING else VerificationStatus.VERIFIED
        org, _ = Organisation.objects.get_or_create(
            credit_code=demo_credit_code(key, prefix, region),
            defaults={
                "name": name,
                "kind": kind,
                "region_id": region,
                "status": status,
                "created_at": now,
                "verified_at": now if status == VerificationStatus.VERIFIED else None,
                "is_sample": True,
                "contact_phone": "1390431"
                + str(int(hashlib.sha256(key.encode()).hexdigest(), 16) % 10000).zfill(4),
                "description": "演示数据（示例）：" + name,
            },
        )
        organisations[key] = org
    for username, display_name, org_key, role, duties in ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "display_name": display_name,
                "password_changed_at": now,
                "date_joined": now,
                "email": f"{username}@demo.zhouqiao.local",
                "phone": "13804310000",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        Membership.objects.get_or_create(
            user=user, organisation=organisations[org_key], defaults={"role": role, "joined_at": now}
        )
        for jurisdiction, duty in duties:
            StaffAssignment.objects.get_or_create(
                user=user, jurisdiction_id=jurisdiction, duty=duty, defaults={"granted_at": now}
            )
        if username in DEMO_TOTP_ACCOUNTS:
            TotpDevice.objects.get_or_create(
                user=user, defaults={"secret": DEMO_TOTP_SECRET, "created_at": now, "confirmed_at": now}
            )
    _licence_scan(organisations["jl-startup"], uploaded_by=User.objects.get(username="startup"), now=now)
    return {"organisations": len(organisations), "accounts": len(ACCOUNTS)}


def _licence_scan(org: Organisation, *, uploaded_by: User, now) -> None:
    """The waiting organisation's licence scan, so that its reviewer has a document to open: a
    one-page PDF made here (marked as sample), not a real licence."""
    if org.documents.exists():
        return
    import weasyprint
    from django.core.files.base import ContentFile
    from django.utils.html import escape

    markup = (
        "<html><body style='font-family: sans-serif'>"
        "<h1 style='text-align:center'>营业执照（副本）</h1>"
        "<p style='text-align:center;color:#b00'>演示数据（示例），非真实证照</p>"
        f"<p>名称：{escape(org.name)}</p><p>统一社会信用代码：{escape(org.credit_code)}</p>"
        "<p>类型：有限责任公司</p><p>住所：吉林省吉林市船营区</p></body></html>"
    )
    content = weasyprint.HTML(string=markup).write_pdf()
    doc = OrganisationDocument(
        organisation=org,
        original_name="营业执照副本（示例）.pdf",
        size=len(content),
        uploaded_by=uploaded_by,
        uploaded_at=now,
    )
    doc.file.save(f"demo-{org.credit_code}.pdf", ContentFile(content), save=False)
    doc.save()

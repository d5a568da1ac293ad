"""Demo project calls of the provincial bureau (吉林省科学技术厅, account ``program_officer``):

* an open call (申报中): 新材料与汽车电子, applications accepted for another 30 days;
* a call in review (评审中): five applications of demo organisations submitted and accepted,
  reviewers assigned by the product's assignment (``programs.assignment.run``), some scores in;
  the demo expert account (``expert``, 王立新) holds one review still to write.

Only experts with a platform account review (``programs.assignment.reviewers``), so the registry's
experts that the demo calls and challenges need get one (:func:`reviewer_accounts`: user name = the
local part of their demo e-mail, ``expert10`` …, the demo password). The other experts of the
registry stay without an account, and are never offered as reviewers.

Records are marked ``is_sample``; re-running finds the calls by title and adds nothing.
"""

import datetime as dt
from decimal import Decimal

from zhouqiao.accounts.models import Organisation, User
from zhouqiao.programs import assignment, services
from zhouqiao.programs.models import Call, ReviewAssignment
from zhouqiao.programs.states import Aggregation, ApplicationStatus

OPEN_TITLE = "2027年度吉林省科技发展计划重点研发项目（新材料与汽车电子）"
REVIEW_TITLE = "2026年度吉林省科技发展计划重点研发项目（先进制造与新能源汽车）"
RUBRIC = [
    {"name": "创新性与技术先进性", "weight": 30, "max_score": 10},
    {"name": "技术路线可行性", "weight": 25, "max_score": 10},
    {"name": "团队与研究基础", "weight": 20, "max_score": 10},
    {"name": "经济社会效益", "weight": 15, "max_score": 10},
    {"name": "预算合理性", "weight": 10, "max_score": 10},
]
GUIDE = (
    "一、支持方向\n围绕吉林省汽车、新材料、先进制造等重点产业链的关键核心技术，支持企业牵头、产学研联合攻关。\n"
    "二、申报要求\n1. 申报单位为在吉林省内注册、在本平台完成认证的企业、高等院校或科研院所；\n"
    "2. 企业申报的，须填报上年度研发投入（省对企业的科技计划项目投入与企业研发经费投入相结合）；\n"
    "3. 项目须设置可考核的节点目标，预算明细合计须与申请资助金额一致。\n"
    "三、评审方式\n形式审查后，由系统从专家库中按学科和研究内容匹配、自动回避后分配专家匿名评审，"
    "评审结果经主管部门审定后向社会公示。"
)

# lead organisation, applicant username, title, category, discipline, industry, keywords, summary, amount
APPLICATIONS = [
    ("中国第一汽车集团有限公司", "enterprise", "车规级碳化硅功率模块封装与电驱动总成集成技术", "新能源汽车",
     "47040", "3670", "碳化硅、功率器件、电驱动",
     "研究车规级碳化硅功率模块的低感封装、银烧结互连与油冷散热，完成电驱动总成集成与台架耐久验证。",
     Decimal("800000")),
    ("吉林化纤集团有限责任公司", "enterprise_jl", "大丝束碳纤维原丝高速纺丝关键技术", "先进制造",
     "43030", "2821", "碳纤维、原丝、纺丝",
     "突破大丝束碳纤维原丝湿法高速纺丝与均质化控制，建设千吨级示范线，支撑复合材料在汽车轻量化中的应用。",
     Decimal("600000")),
    ("中国科学院长春光学精密机械与物理研究所", "institute", "激光雷达光学扫描系统小型化设计", "先进制造",
     "14035", "4040", "激光雷达、光学扫描",
     "研究车载激光雷达微振镜光学扫描系统的小型化与可靠性设计，完成样机研制和车规环境试验。",
     Decimal("500000")),
    ("吉林大学", "university", "工业缺陷图像深度学习检测平台", "先进制造",
     "52020", "6513", "深度学习、缺陷检测、机器视觉",
     "构建面向汽车零部件产线的缺陷图像深度学习检测平台，解决小样本缺陷识别与在线部署问题。",
     Decimal("400000")),
    ("中车长春轨道客车股份有限公司", None, "轨道车辆铝合金车体焊接变形控制", "先进制造",
     "46025", "3711", "铝合金焊接、转向架",
     "研究轨道车辆铝合金车体焊接变形预测与控制工艺，降低返修率，形成工艺规范。",
     Decimal("300000")),
]  # fmt: skip


# The registry's experts (community.demo) who review the demo calls and challenges, besides 王立新
# (``expert``): the fields of the call in review (电驱动, 碳纤维, 激光雷达, 机器视觉) and of the
# challenges; 韩振东 works at the issuer of a challenge (一汽) and shows its 回避.
# (刘振华, expert 1, stays without one: tests/security/test_access_matrix.py asks the pages of the
# first expert, and the exchange's "talk to an expert" page opens only for experts with an account.)
REVIEWERS = [
    "马俊峰",
    "高文杰",
    "林志强",
    "罗永刚",
    "郑国栋",
    "冯雪梅",
    "董博",
    "袁晓峰",
    "潘宇",
    "韩振东",
]


def reviewer_accounts(*, now) -> int:
    """Give the demo's reviewers a platform account (the demo password). Safe to re-run."""
    from django.contrib.auth.hashers import make_password

    from zhouqiao.accounts.demo import DEMO_PASSWORD
    from zhouqiao.community.models import Expert

    made, password = 0, None
    for expert in Expert.objects.filter(name__in=REVIEWERS, user=None, is_sample=True).select_related(
        "organisation"
    ):
        username = expert.email.split("@")[0] if expert.email else f"expert_{expert.pk}"
        if User.objects.filter(username=username).exists():
            continue
        password = password or make_password(DEMO_PASSWORD)  # hashed once for all of them
        expert.user = User.objects.create(
            username=username,
            display_name=f"{expert.name}（{expert.organisation.name} {expert.title}）"[:64],
            email=expert.email,
            password=password,
            password_changed_at=now,
            date_joined=now,
        )
        expert.save(update_fields=["user"])
        made += 1
    return made


def _officer(now) -> User:
    return User.objects.get(username="program_officer")  # made by accounts.demo


def _fields(*, opens_at, closes_at, title, categories, budget) -> dict:
    return {
        "title": title,
        "guide": GUIDE,
        "categories": categories,
        "budget": budget,
        "region_prefix": "22",
        "organisation_kinds": [],
        "require_rd_reported": True,
        "opens_at": opens_at,
        "closes_at": closes_at,
        "project_start": dt.date(opens_at.year + 1, 1, 1),
        "project_end": dt.date(opens_at.year + 2, 12, 31),
        "rubric": RUBRIC,
        "blind": True,
        "reviewers_per_application": 3,
        "load_cap": 3,
        "aggregation": Aggregation.TRIMMED,
        "divergence_threshold": Decimal("20"),
        "objection_days": 5,
        "post_subsidy": True,
    }


def _applicant(username, organisation):
    from zhouqiao.accounts.models import MemberRole, Membership

    user = User.objects.filter(username=username).first() if username else None
    if user is None:
        membership = Membership.objects.filter(organisation=organisation, role=MemberRole.ADMIN).first()
        user = membership.user if membership else None
    return user


def create_demo_data(*, now) -> dict[str, int]:
    officer = _officer(now)
    made = {"calls": 0, "applications": 0, "reviews": 0, "reviewer_accounts": reviewer_accounts(now=now)}
    if not Call.objects.filter(title=OPEN_TITLE).exists():
        call = services.create_call(
            actor=officer, now=now, jurisdiction_id="220000",
            **_fields(opens_at=now - dt.timedelta(days=10), closes_at=now + dt.timedelta(days=30), title=OPEN_TITLE,
                      categories=["新材料", "汽车电子", "先进制造"], budget=Decimal("5000000")),
        )  # fmt: skip
        services.publish_call(actor=officer, now=now, call_id=call.pk)
        Call.objects.filter(pk=call.pk).update(is_sample=True)
        made["calls"] += 1
    if not Call.objects.filter(title=REVIEW_TITLE).exists():
        made = _call_in_review(officer, now, made)
    return made


def _call_in_review(officer, now, made) -> dict[str, int]:
    opened = now - dt.timedelta(days=60)
    applied = now - dt.timedelta(days=30)
    call = services.create_call(
        actor=officer, now=opened, jurisdiction_id="220000",
        **_fields(opens_at=opened, closes_at=now - dt.timedelta(days=7), title=REVIEW_TITLE,
                  categories=["先进制造", "新能源汽车"], budget=Decimal("2000000")),
    )  # fmt: skip
    services.publish_call(actor=officer, now=opened, call_id=call.pk)
    Call.objects.filter(pk=call.pk).update(is_sample=True)
    made["calls"] += 1
    orgs = {o.name: o for o in Organisation.objects.filter(name__in=[a[0] for a in APPLICATIONS])}
    for lead_name, username, title, category, discipline, industry, keywords, summary, amount in APPLICATIONS:
        lead = orgs.get(lead_name)
        user = _applicant(username, lead) if lead else None
        if lead is None or user is None:
            continue
        start = call.project_start
        data = services.ApplicationInput(
            title=title, summary=summary, category=category, keywords=keywords,
            plan=f"第一年：完成{keywords.split('、')[0]}关键技术研究与样机；第二年：完成验证并在企业示范应用。",
            discipline_id=discipline if _exists("Discipline", discipline) else None,
            industry_id=industry if _exists("Industry", industry) else None,
            requested_amount=amount, project_start=start, project_end=call.project_end,
            rd_investment=amount * 20,  # as declared by the applicant (002 （四）)
            team=[("项目负责人", "研究员", "总体负责"), ("技术骨干", "高级工程师", "试验验证")],
            milestones=[("完成关键技术研究与样机", dt.date(start.year, 12, 31)), ("完成验证与示范应用", call.project_end)],
            budget_lines=[("设备费", (amount * Decimal("0.4")).quantize(Decimal("0.01"))),
                          ("材料费", (amount * Decimal("0.35")).quantize(Decimal("0.01"))),
                          ("测试化验加工费", amount - (amount * Decimal("0.4")).quantize(Decimal("0.01")) - (amount * Decimal("0.35")).quantize(Decimal("0.01")))],
        )  # fmt: skip
        app = services.save_application(actor=user, now=applied, call_id=call.pk, lead_id=lead.pk, data=data)
        services.submit_application(actor=user, now=applied, application_id=app.pk)
        services.formal_check(
            actor=officer, now=applied + dt.timedelta(days=1), application_id=app.pk, accept=True
        )
        made["applications"] += 1
    review_start = now - dt.timedelta(days=5)
    services.start_review(actor=officer, now=review_start, call_id=call.pk)
    assignment.start(actor=officer, now=review_start, call_id=call.pk)
    assignment.run(call_id=call.pk, actor=officer, now=review_start)
    _give_the_demo_expert_a_review(officer, call, review_start)
    made["reviews"] = _some_scores(call, now)
    return made


def _exists(model: str, code: str) -> bool:
    from zhouqiao.core import models

    return getattr(models, model).objects.filter(code=code).exists()


def _give_the_demo_expert_a_review(officer, call, now) -> None:
    from zhouqiao.community.models import Expert
    from zhouqiao.core.errors import DomainError

    expert = Expert.objects.filter(user__username="expert").first()
    if expert is None or ReviewAssignment.objects.filter(call=call, expert=expert).exists():
        return
    for row in ReviewAssignment.objects.filter(call=call).order_by("relevance", "pk"):
        try:
            assignment.swap(actor=officer, now=now, assignment_id=row.pk, expert_id=expert.pk)
            return
        except DomainError:
            continue


def _some_scores(call, now) -> int:
    """Reviews of the other experts: all but the demo expert's (``expert``), on the first three
    applications (the last one still waits for its reviews, from experts who can sign in)."""
    apps = list(call.applications.filter(status=ApplicationStatus.ACCEPTED).order_by("pk"))[:3]
    written = 0
    for n, row in enumerate(
        ReviewAssignment.objects.filter(application__in=apps)
        .exclude(expert__user__username="expert")
        .select_related("application")
    ):
        base = [8, 7, 7, 6, 8] if n % 3 else [9, 8, 8, 7, 7]
        scores = [Decimal(min(10, b + (row.application_id % 2))) for b in base]
        row.scores = [str(s) for s in scores]
        row.total = services.review_total(call.rubric, scores)
        row.comment = "技术路线清晰，节点目标可考核；建议细化中试验证方案。（演示数据）"
        row.submitted_at = now - dt.timedelta(days=1)
        row.save(update_fields=["scores", "total", "comment", "submitted_at"])
        written += 1
    for app in apps:
        services.refresh_aggregate(app, call)
    return written

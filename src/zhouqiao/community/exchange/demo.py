"""Demo 信息发布 and 互动交流: notices of the province, the cities and a county (the five seed
documents among them as 政策文件, a call guide, one scheduled for next week), and answered
questions on demo achievements, a demand and a policy clause. Safe to re-run."""

from datetime import timedelta

from django.db import transaction

from zhouqiao.accounts.models import User
from zhouqiao.catalog.models import Achievement, Demand
from zhouqiao.catalog.states import RecordStatus
from zhouqiao.community.exchange.documents import SEED_DOCUMENTS
from zhouqiao.community.exchange.models import Notice, NoticeKind, Question, QuestionStatus, TargetKind

# seed → (region, publisher, staff account)
_SEED_PUBLISHERS = {
    "000": ("220000", "吉林省科学技术厅", "province_staff"),
    "001": ("220100", "长春市科学技术局", "city_staff"),
    "002": ("220000", "吉林省科学技术厅", "province_staff"),
    "003": ("220200", "吉林市科学技术局", "jilin_city_staff"),
    "004": ("220000", "吉林省科学技术厅", "province_staff"),
}

# (kind, title, body, region, publisher, account, days before now (negative: scheduled))
NOTICES = [
    (
        NoticeKind.GUIDE,
        "关于组织申报2027年度长春市科技发展计划项目的通知",
        "各有关单位：\n为落实《长春市进一步加快科技创新发展的若干政策措施》，现组织申报2027年度市级科技发展计划项目。"
        "申报单位须在平台“项目管理”中在线填报，截止时间以申报指南为准。（演示数据）",
        "220100",
        "长春市科学技术局",
        "city_staff",
        12,
    ),
    (
        NoticeKind.NOTICE,
        "长春科技大市场2026年第四季度成果路演对接会的通知",
        "长春科技大市场定于下月举办成果路演对接会，欢迎高校院所和企业在平台“活动与对接会”报名。（演示数据）",
        "220100",
        "长春市科学技术局",
        "city_staff",
        5,
    ),
    (
        NoticeKind.NOTICE,
        "关于开展2026年度技术合同认定登记数据核查的通知",
        "各市（州）科技局：请于本月底前完成本地区技术合同登记数据核查，核查结果在平台“数据集中”中报送。（演示数据）",
        "220000",
        "吉林省科学技术厅",
        "province_staff",
        20,
    ),
    (
        NoticeKind.GUIDE,
        "吉林市科技创新券申领指南",
        "在吉林市注册的科技型中小企业可在平台申领科技创新券，用于购买检验检测、研发设计等科技服务。（演示数据）",
        "220200",
        "吉林市科学技术局",
        "jilin_city_staff",
        30,
    ),
    (
        NoticeKind.NOTICE,
        "德惠市农业科技成果转化对接活动预告",
        "德惠市科技局将组织农业科技成果转化对接活动，面向农产品深加工企业征集技术需求。（演示数据）",
        "220183",
        "德惠市科学技术局",
        "county_staff",
        8,
    ),
    (
        NoticeKind.NOTICE,
        "2027年度省级技术转移示范机构绩效评价工作安排（定时发布）",
        "省科技厅将于明年一季度开展技术转移示范机构绩效评价，具体安排届时发布。（演示数据）",
        "220000",
        "吉林省科学技术厅",
        "province_staff",
        -7,
    ),
]


@transaction.atomic
def create_demo_data(*, now) -> dict[str, int]:
    users = {u.username: u for u in User.objects.filter(username__in=_accounts())}
    notices = 0
    for doc in SEED_DOCUMENTS:
        region, publisher, account = _SEED_PUBLISHERS[doc.seed]
        notices += _notice(
            users,
            account,
            kind=NoticeKind.POLICY,
            title=f"《{doc.title}》",
            body=f"{doc.issuer}印发《{doc.title}》{('（' + doc.number + '）') if doc.number else ''}。"
            "全文见附件或政策原文；平台已落实的奖补条款见“政策条款与奖补规则”。（演示数据）",
            region=region,
            publisher=publisher,
            publish_at=now - timedelta(days=60 + int(doc.seed) * 3),
            number=doc.number,
            seed=doc.seed,
            now=now,
        )
    for kind, title, body, region, publisher, account, days in NOTICES:
        notices += _notice(
            users,
            account,
            kind=kind,
            title=title,
            body=body,
            region=region,
            publisher=publisher,
            publish_at=now - timedelta(days=days),
            now=now,
        )
    return {"notices": notices, "questions": _questions(users, now=now)}


def _accounts():
    return {
        "province_staff",
        "city_staff",
        "jilin_city_staff",
        "county_staff",
        "enterprise",
        "university",
        "enterprise_jl",
    }


def _notice(
    users, account, *, kind, title, body, region, publisher, publish_at, now, number="", seed=""
) -> int:
    author = users.get(account) or users.get("province_staff")
    if author is None or Notice.objects.filter(title=title, is_sample=True).exists():
        return 0
    Notice.objects.create(
        kind=kind,
        title=title,
        body=body,
        number=number,
        region_id=region,
        jurisdiction_id=region,
        publisher=publisher,
        publish_at=publish_at,
        seed=seed,
        created_by=author,
        created_at=now - timedelta(days=70),
        is_sample=True,
    )
    return 1


def _questions(users, *, now) -> int:
    asker, asker_jl = users.get("enterprise"), users.get("enterprise_jl")
    university, city = users.get("university"), users.get("city_staff")
    if not (asker and university and city):
        return 0
    published = Achievement.objects.filter(is_sample=True, status=RecordStatus.PUBLISHED)
    achievements = list(published.filter(owner__name="吉林大学").order_by("pk")[:2])
    demand = (
        Demand.objects.filter(
            is_sample=True, status=RecordStatus.PUBLISHED, owner__name="中国第一汽车集团有限公司"
        )
        .order_by("pk")
        .first()
    )
    rows = []
    if achievements:
        rows.append(
            {
                "kind": TargetKind.ACHIEVEMENT,
                "achievement": achievements[0],
                "owner": achievements[0].owner,
                "region_id": achievements[0].region_id,
                "subject": achievements[0].title,
                "body": "该成果是否已有中试线验证？许可方式下是否提供工艺培训？",
                "asker": asker,
                "answer": "已在合作企业完成中试验证，许可实施时由课题组派员提供为期两周的工艺培训。",
                "answered_by": university,
                "answered_as": achievements[0].owner.name,
            }
        )
    if len(achievements) > 1 and asker_jl:
        rows.append(
            {
                "kind": TargetKind.ACHIEVEMENT,
                "achievement": achievements[1],
                "owner": achievements[1].owner,
                "region_id": achievements[1].region_id,
                "subject": achievements[1].title,
                "body": "这项成果能否以作价入股方式与吉林市企业合作？",
                "asker": asker_jl,
                "answer": "可以，学校支持以作价入股方式转化，具体比例可在“我的洽谈”中进一步协商。",
                "answered_by": university,
                "answered_as": achievements[1].owner.name,
            }
        )
    if demand is not None:
        rows.append(
            {
                "kind": TargetKind.DEMAND,
                "demand": demand,
                "owner": demand.owner,
                "region_id": demand.region_id,
                "subject": demand.title,
                "body": "该需求是否接受高校与企业联合体响应？",
                "asker": university,
                "answer": "接受联合体响应，牵头单位须为在吉林省注册的法人单位。",
                "answered_by": asker,
                "answered_as": demand.owner.name,
            }
        )
    from zhouqiao.policy import engine

    rule = next((r for p in engine.packages() if p.id == "001" for r in p.rules), None)
    if rule is not None:
        rows.append(
            {
                "kind": TargetKind.POLICY,
                "rule_id": rule.id,
                "region_id": "220100",
                "subject": rule.title,
                "body": "该条款的奖补需要企业单独提出申请吗？",
                "asker": asker,
                "answer": "按平台标注的方式办理：“免申即享”的项目在技术合同登记后自动核定，无需另行申请。",
                "answered_by": city,
                "answered_as": "长春市科学技术局",
            }
        )
    made = 0
    for n, row in enumerate(rows):
        if Question.objects.filter(is_sample=True, body=row["body"]).exists():
            continue
        asked = now - timedelta(days=10 - n)
        Question.objects.create(
            **row,
            asked_at=asked,
            answered_at=asked + timedelta(hours=20),
            status=QuestionStatus.ANSWERED,
            is_sample=True,
        )
        made += 1
    return made

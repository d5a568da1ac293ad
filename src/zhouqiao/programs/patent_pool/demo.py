"""Patent pool demo (runs after the projects demo): three invention patents flagged 未实施 (one
from a funded project of before the platform); one patent of a funded project on the platform (the
projects demo's, recorded by the program officer; granted last year, so only watched); one offered by its
owner (长春光机所, waiting for the program officer); the province's pool (held by 吉林省科学技术厅)
with three patents flagged and then acquired — one listed on the market, one whose annual fee falls
due in ten days, one held; and one patent of 吉林大学 granted two years ago that the journey offers.

The actions go through the services, as the people would: ``program_officer`` (created by the
community demo; created here if missing) decides and lists, ``province_staff`` publishes the
pool's catalog record. Patent numbers are made up. Safe to re-run: a patent already tracked is
left as it is.

The catalog demo's achievements list invention patents too; the demo does not track them (the
first daily ``zhouqiao patent-pool check`` does, and flags the old ones), so that the demo's inboxes
and to-do lists hold the few cases above rather than some thirty generated ones.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from zhouqiao.accounts.models import Organisation, User
from zhouqiao.programs.patent_pool import services
from zhouqiao.programs.patent_pool.models import AcquisitionCase, PooledPatent, TrackedPatent, number_key
from zhouqiao.programs.patent_pool.states import CaseStatus, PatentSource

PROVINCE_BUREAU = "吉林省科学技术厅"

# number, title, owner, years since grant, filing → grant (days), industry, abstract
FLAGGED = [
    (
        "ZL201810571234.6",
        "一种高强韧铝锂合金薄板的短流程制备方法",
        "吉林大学",
        5,
        700,
        "3216",
        "以连铸连轧替代传统铸锭—热轧工艺制备铝锂合金薄板，流程缩短40%，强塑积提高15%。",
    ),
    (
        "ZL201910388765.2",
        "可生物降解聚乳酸/聚碳酸亚丙酯共混材料及其制备方法",
        "中国科学院长春应用化学研究所",
        4,
        600,
        "2651",
        "通过反应增容提高两相相容性，断裂伸长率超过200%，适用于地膜和包装膜。",
    ),
    (
        "ZL201910455512.8",
        "玉米秸秆低温生物质炭化还田装置及方法",
        "吉林省农业科学院",
        4,
        500,
        "0190",
        "田间移动式低温炭化，秸秆炭化率60%以上，炭基肥还田提高土壤有机质含量。",
    ),
]
OFFERED = (
    "ZL201710296548.3",
    "大口径轻量化反射镜的支撑结构及装调方法",
    "中国科学院长春光学精密机械与物理研究所",
    6,
    800,
    "4040",
    "柔性铰链多点支撑，面形精度优于λ/50，适用于空间与地基大口径光学系统。",
    "该方向已转入新一代技术路线，拟不再维持本专利，希望收储后由企业许可实施。",
    "20000",
)
# number, title, owner, years since grant, filing → grant, industry, abstract, price, what happens
POOLED = [
    (
        "ZL201610874321.5",
        "稀土掺杂长余辉发光陶瓷及其低温烧结方法",
        "中国科学院长春应用化学研究所",
        6,
        750,
        "3073",
        "低温烧结制备长余辉发光陶瓷，余辉时间超过12小时，用于应急标识与装饰材料。",
        "30000",
        "listed",
    ),
    (
        "ZL201711023456.1",
        "汽车座椅骨架激光拼焊工艺及其质量在线检测方法",
        "长春理工大学",
        5,
        650,
        "3670",
        "激光拼焊与视觉在线检测结合，焊缝缺陷检出率99%以上。",
        "15000",
        "fee_due",
    ),
    (
        "ZL201810112233.4",
        "人参皂苷Rg3的酶法定向转化制备方法",
        "吉林大学",
        5,
        600,
        "2740",
        "以重组糖苷酶定向转化人参总皂苷制备Rg3，转化率85%以上。",
        "0",
        "held",
    ),
]
FUNDED_BEFORE = "吉林省科技发展计划重点科技攻关项目（2016年立项）"
PROJECT_PATENT = ("ZL202310456789.1", "汽车车身异种材料自冲铆接头及其可靠性评价方法")
JOURNEY = (
    "ZL202210345678.9",
    "一种车用镁合金板材的温轧成形方法",
    "吉林大学",
    2,
    500,
    "3216",
    "温轧结合在线退火，镁合金板材室温成形性能提高30%，用于汽车内饰件轻量化。",
)


def _officer(now) -> User:
    return User.objects.get(username="program_officer")  # made by accounts.demo


def _track(row, now, **extra) -> TrackedPatent | None:
    number, title, owner_name, years, days, industry, abstract = row[:7]
    owner = Organisation.objects.filter(name=owner_name).first()
    if owner is None or TrackedPatent.objects.filter(key=number_key(number)).exists():
        return None
    today = timezone.localdate(now)
    granted = today.replace(year=today.year - years) - dt.timedelta(days=30)
    values = {
        "number": number,
        "title": title,
        "owner": owner,
        "region_id": owner.region_id,
        "filed_on": granted - dt.timedelta(days=days),
        "granted_on": granted,
        "industry_id": industry,
        "abstract": abstract,
        "source": PatentSource.DECLARED,
        "created_at": now,
        "updated_at": now,
        "is_sample": True,
    }
    values.update(extra)
    with transaction.atomic():
        return TrackedPatent.objects.create(**values)


def _member(owner) -> User | None:
    return (
        User.objects.filter(memberships__organisation=owner, is_active=True)
        .order_by("memberships__role", "pk")  # an administrator first ("admin" < "member")
        .first()
    )


def create_demo_data(*, now) -> dict[str, int]:
    from zhouqiao.catalog import services as catalog
    from zhouqiao.programs.projects.models import Project

    officer = _officer(now)
    reviewer = User.objects.filter(username="province_staff").first()

    today = timezone.localdate(now)
    cutoff = today.replace(year=today.year - services.idle_years())
    for i, row in enumerate(FLAGGED):
        # The first comes from a funded project of before the platform (named, no project record).
        extra = (
            {"source": PatentSource.PROJECT, "funded": True, "project_name": FUNDED_BEFORE} if i == 0 else {}
        )
        patent = _track(row, now, **extra)
        if patent is not None:
            services.flag_if_idle(patent_id=patent.pk, cutoff=cutoff, now=now)

    # A patent of a funded project on the platform (projects demo), recorded by the officer: granted
    # last year, so it is watched, not flagged.
    project = (
        Project.objects.filter(is_sample=True, undertaker__kind__in=["university", "institute"])
        .order_by("pk")
        .first()
    )
    if project is not None and not TrackedPatent.objects.filter(key=number_key(PROJECT_PATENT[0])).exists():
        granted = min(today - dt.timedelta(days=300), project.end_date)
        filed = project.start_date + dt.timedelta(days=60)
        services.track_project_patent(
            actor=officer,
            project_id=project.pk,
            number=PROJECT_PATENT[0],
            title=PROJECT_PATENT[1],
            granted_on=granted,
            filed_on=filed if filed < granted else None,
            now=now,
        )

    patent = _track(OFFERED, now)
    if patent is not None:
        owner_user = _member(patent.owner)
        if owner_user is not None and services.is_owner_admin(owner_user, patent):  # only they offer
            services.offer_patent(
                actor=owner_user, patent_id=patent.pk, reason=OFFERED[7], asking_price=OFFERED[8], now=now
            )

    for row in POOLED:
        patent = _track(row, now)
        if patent is None:
            continue
        # Flagged by the idle check, then acquired by the officer (the funded-patent route of §26).
        services.flag_if_idle(patent_id=patent.pk, cutoff=cutoff, now=now)
        case = AcquisitionCase.objects.filter(patent=patent, status=CaseStatus.PENDING).first()
        if case is None:
            continue
        pooled = services.acquire(
            actor=officer, case_id=case.pk, price=row[7], reason="具备产业化前景，收储后许可实施", now=now
        )
        what = row[8]
        if what == "fee_due":
            services.schedule_fee(
                actor=officer,
                pooled_id=pooled.pk,
                amount="1200",
                due_on=timezone.localdate(now) + dt.timedelta(days=10),
                now=now,
            )
        elif what == "listed" and services.may_operate_on_market(officer, pooled.pool):
            pooled = services.prepare_market_record(
                actor=officer,
                pooled_id=pooled.pk,
                licence_terms="普通许可，许可费按年收取；也可协商转让。",
                now=now,
            )
            if pooled.achievement.status == "submitted" and reviewer is not None:
                catalog.publish(actor=reviewer, kind="achievement", record_id=pooled.achievement_id, now=now)
            services.list_on_market(
                actor=officer,
                pooled_id=pooled.pk,
                price="60000",
                mode="licence",
                terms="普通许可，许可期限三年。",
                now=now,
            )

    _track(JOURNEY, now)
    return {
        "tracked patents": TrackedPatent.objects.count(),
        "pending cases": AcquisitionCase.objects.filter(status=CaseStatus.PENDING).count(),
        "pooled patents": PooledPatent.objects.count(),
    }

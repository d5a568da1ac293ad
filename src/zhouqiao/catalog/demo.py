"""Demo achievements and demands across the seeds' key industries (004#5, 000#3).

Written for the demo, not real records: titles and texts are composed from hand-written building
blocks per key industry (technologies, products, problems, scenarios), so that they read naturally
and vary. Owned by the demo organisations of ``accounts.demo`` (looked up by name), marked
``is_sample``; mostly published, a few submitted for the reviewers' queue, a couple of confidential
demands. Safe to re-run: records whose title already exists for the owner are skipped.
"""

import random
from datetime import timedelta
from decimal import Decimal

from django.db import transaction

from zhouqiao.accounts.models import Organisation
from zhouqiao.catalog.models import (
    Achievement,
    AchievementPackage,
    Confidentiality,
    Demand,
    DemandInvitation,
    IntellectualProperty,
    IPKind,
    IPStatus,
    PackageItem,
    PriceKind,
    pack_modes,
)
from zhouqiao.catalog.states import PackageStatus, RecordStatus
from zhouqiao.core import clock
from zhouqiao.core.models import Industry, KeyIndustry

ACHIEVEMENTS, DEMANDS = 300, 100

# key industry slug: (industry class codes, technologies, products, problems, scenarios, advantages)
BLOCKS = {
    "automotive": (
        ["3670", "3612"],
        [
            "车规级碳化硅功率模块封装",
            "轻量化铝镁合金压铸",
            "线控制动冗余控制",
            "电驱动总成油冷散热",
            "车身激光拼焊",
        ],
        ["新能源乘用车", "商用车底盘", "电驱动总成"],
        ["整车减重困难", "电驱系统温升过高", "零部件一致性差"],
        ["整车厂总装线", "零部件配套企业", "新能源汽车电驱产线"],
        ["重量减轻约18%", "热阻降低约30%", "生产节拍提高25%"],
    ),
    "petrochemical": (
        ["2614", "2651"],
        [
            "乙烯裂解炉结焦抑制",
            "重油加氢催化剂再生",
            "聚烯烃高端牌号共聚",
            "炼厂低温余热回收",
            "丙烯腈副产物高值化",
        ],
        ["乙烯装置", "加氢装置", "聚烯烃装置"],
        ["装置运行周期短", "催化剂寿命不足", "副产物处理成本高"],
        ["大型炼化一体化基地", "化工园区", "精细化工企业"],
        ["运行周期延长40%", "能耗降低12%", "催化剂寿命延长一倍"],
    ),
    "agri-processing": (
        ["1311", "1391", "1351"],
        [
            "玉米淀粉酶法深加工",
            "秸秆纤维素高值化利用",
            "鲜食玉米速冻保鲜",
            "大米副产物蛋白提取",
            "人参皂苷定向转化",
        ],
        ["玉米", "水稻", "人参"],
        ["加工附加值低", "副产物利用率低", "保鲜期短"],
        ["粮食主产区加工企业", "县域农产品加工园", "特色农产品企业"],
        ["出品率提高8%", "副产物利用率超过90%", "保鲜期延长至12个月"],
    ),
    "health": (
        ["2720", "2761", "3581"],
        [
            "长效重组蛋白药物制剂",
            "中药配方颗粒质量控制",
            "全自动尿液分析",
            "新型佐剂疫苗递送",
            "医用可降解镁合金支架",
        ],
        ["生物制剂", "中药饮片", "体外诊断设备"],
        ["给药频次高", "批间质量波动大", "检测通量低"],
        ["二级以上医院", "制药企业", "基层医疗机构"],
        ["给药间隔延长至每周一次", "批间差异小于5%", "检测通量提高3倍"],
    ),
    "equipment": (
        ["3421", "3441", "3491"],
        [
            "五轴联动数控加工误差补偿",
            "大型铸锻件无损检测",
            "工业机器人柔性装配",
            "高压阀门密封面堆焊",
            "智能产线数字孪生",
        ],
        ["数控机床", "大型结构件", "智能产线"],
        ["加工精度不稳定", "缺陷检出率低", "换型时间长"],
        ["装备制造企业", "航空航天零部件车间", "离散制造工厂"],
        ["定位精度提高至3微米", "缺陷检出率达到98%", "换型时间缩短60%"],
    ),
    "rail-transit": (
        ["3711", "3714"],
        [
            "高速列车转向架健康监测",
            "轨道车辆铝合金车体焊接",
            "城轨车辆再生制动能量回收",
            "车体轻量化复合材料",
            "牵引变流器故障预测",
        ],
        ["动车组", "城轨车辆", "转向架"],
        ["运维成本高", "焊接变形大", "能耗偏高"],
        ["轨道客车主机厂", "地铁运营公司", "检修基地"],
        ["运维成本降低20%", "变形量控制在0.5毫米以内", "牵引能耗降低15%"],
    ),
    "new-energy": (
        ["4415", "3841", "3849"],
        [
            "风电叶片健康监测",
            "退役动力电池梯次利用",
            "光伏组件智能清扫",
            "固态电解质薄膜制备",
            "氢燃料电池低铂催化剂",
        ],
        ["风电场", "储能电站", "燃料电池电堆"],
        ["发电效率下降", "电池一致性差", "铂用量高成本大"],
        ["风电运营企业", "储能系统集成商", "氢能装备企业"],
        ["发电量提升6%", "梯次电池筛选效率提高5倍", "铂载量降低50%"],
    ),
    "new-materials": (
        ["2651", "3091", "2821"],
        ["碳纤维原丝高速纺丝", "聚乳酸改性增韧", "稀土发光材料制备", "高性能聚酰亚胺薄膜", "石墨烯导热复合"],
        ["碳纤维", "生物基塑料", "功能薄膜"],
        ["强度离散大", "材料脆性大", "导热性能不足"],
        ["复合材料企业", "包装与纺织企业", "电子材料企业"],
        ["拉伸强度提高15%", "断裂伸长率提高至原来的8倍", "导热系数提升3倍"],
    ),
    "optoelectronics": (
        ["3976", "4040", "3963"],
        [
            "大口径光学元件超精密加工",
            "半导体激光器芯片封装",
            "红外焦平面探测",
            "激光雷达光学扫描",
            "机器视觉在线检测",
        ],
        ["光学镜头", "激光器", "光电探测器"],
        ["面形精度不足", "器件散热困难", "成本过高难以量产"],
        ["光学仪器企业", "激光加工企业", "智能制造产线"],
        ["面形精度达到λ/50", "输出功率提高30%", "成本降低约一半"],
    ),
    "aerospace": (
        ["3741", "3749"],
        [
            "小卫星星载计算机抗辐照",
            "航空发动机叶片涂层",
            "无人机长航时动力",
            "空间光学遥感相机轻量化",
            "复合材料构件自动铺放",
        ],
        ["商业小卫星", "航空发动机", "工业无人机"],
        ["抗辐照能力弱", "高温寿命短", "续航时间短"],
        ["卫星研制单位", "航空零部件企业", "通用航空企业"],
        ["单粒子翻转率降低两个数量级", "涂层寿命延长一倍", "续航时间提高40%"],
    ),
    "next-gen-it": (
        ["6513", "6520", "3921"],
        ["工业互联网标识解析", "边缘计算网关", "国产数据库高可用", "5G专网低时延调度", "工业软件云化部署"],
        ["工业互联网平台", "边缘网关", "企业信息系统"],
        ["数据孤岛严重", "时延高", "系统可用性不足"],
        ["制造企业", "园区与政务", "能源企业"],
        ["时延降低至10毫秒以内", "可用性达到99.99%", "部署周期缩短70%"],
    ),
    "ai": (
        ["6513", "6579"],
        [
            "缺陷图像深度学习检测",
            "农作物病虫害智能识别",
            "医学影像辅助诊断",
            "设备故障声纹诊断",
            "中文大模型知识问答",
        ],
        ["视觉检测系统", "农业物联网", "影像辅助诊断软件"],
        ["人工检测漏检率高", "病害识别滞后", "专业人员不足"],
        ["制造车间", "大田种植基地", "县级医院"],
        ["漏检率降至0.5%以下", "识别准确率超过95%", "阅片效率提高4倍"],
    ),
    "biotech": (
        ["2762", "0511"],
        [
            "动物疫苗耐热保护剂",
            "微生物菌剂土壤修复",
            "基因编辑玉米育种",
            "梅花鹿茸活性肽提取",
            "发酵法生产氨基酸",
        ],
        ["兽用疫苗", "微生物菌剂", "育种材料"],
        ["冷链运输成本高", "黑土地退化", "育种周期长"],
        ["养殖企业", "黑土地保护示范区", "种业企业"],
        ["常温保存期延长至12个月", "土壤有机质提高10%", "育种周期缩短两年"],
    ),
}

ACHIEVEMENT_OWNERS = [
    "吉林大学",
    "东北师范大学",
    "长春理工大学",
    "中国科学院长春光学精密机械与物理研究所",
    "中国科学院长春应用化学研究所",
    "吉林省农业科学院",
    "吉林省新型碳材料研究院",
]
DEMAND_OWNERS = [
    "中国第一汽车集团有限公司",
    "中车长春轨道客车股份有限公司",
    "修正药业集团股份有限公司",
    "吉林化纤集团有限责任公司",
    "德惠市禾丰农产品深加工有限公司",
]
TITLE_PATTERNS = [
    "{product}{tech}技术",
    "面向{product}的{tech}关键工艺",
    "{tech}装置及其在{product}中的应用",
    "{product}用{tech}成套技术",
]
# Everyday names of some key industries, beside the taxonomy's own name (which every record of the
# industry carries as a keyword, so typing a home-page chip's name finds them too).
INDUSTRY_ALIASES = {
    "health": ["生物医药"],
    "biotech": ["生物医药"],
    "agri-processing": ["农产品加工"],
    "optoelectronics": ["光电"],
}
DEMAND_PATTERNS = ["{product}{problem}问题攻关", "解决{problem}的{tech}需求", "{product}{tech}合作开发"]
SURNAMES = "王李张刘陈杨赵黄周吴孙马朱胡郭何林高罗"
PACKAGES = [
    ("automotive", "汽车产业轻量化与电动化成果包", "一汽配套与新能源汽车"),
    ("optoelectronics", "光电子信息重点领域成果包", "长春光谷：光学、激光与探测"),
    ("agri-processing", "农产品深加工成果包", "玉米、水稻、人参精深加工"),
]


def _phone(rng) -> str:
    return "1" + rng.choice("3589") + "".join(rng.choice("0123456789") for _ in range(9))


def _achievement(rng, slug, n, owner, now) -> tuple[Achievement, str, IntellectualProperty | None]:
    codes, techs, products, problems, scenarios, advantages = BLOCKS[slug]
    tech, product = techs[n % len(techs)], products[(n // len(techs)) % len(products)]
    title = TITLE_PATTERNS[(n // (len(techs) * len(products))) % len(TITLE_PATTERNS)].format(
        tech=tech, product=product
    )
    problem, scenario, advantage = rng.choice(problems), rng.choice(scenarios), rng.choice(advantages)
    trl = rng.choice([3, 4, 5, 5, 6, 6, 7, 7, 8, 9])
    kind = rng.choice([PriceKind.FIXED, PriceKind.RANGE, PriceKind.NEGOTIABLE, PriceKind.NEGOTIABLE])
    low = Decimal(rng.choice([20, 30, 50, 80, 100, 150, 200, 300, 500, 800])) * 10000
    price = {
        PriceKind.FIXED: (low, low),
        PriceKind.RANGE: (low, low * 2),
        PriceKind.NEGOTIABLE: (None, None),
    }[kind]
    modes = rng.sample(["transfer", "licence", "equity", "joint_development"], rng.choice([1, 2, 2, 3]))
    a = Achievement(
        owner=owner,
        region_id=owner.region_id,
        title=title,
        industry_id=rng.choice(codes),
        readiness=trl,
        abstract=(
            f"本成果针对{product}领域{problem}的问题，研发了{tech}技术，已完成"
            f"{'实验室验证' if trl <= 4 else '中试验证' if trl <= 7 else '小批量应用'}（TRL {trl}）。"
        ),
        problem=f"现有{product}普遍存在{problem}的问题，制约了{scenario}的降本增效。",
        advantages=f"与现有主流方案相比，{advantage}，关键工艺参数可在现有产线上实现。",
        scenarios=f"适用于{scenario}，也可推广至{rng.choice(scenarios)}。",
        economics=f"以年产规模测算，较主流进口方案综合成本降低约{rng.choice([15, 20, 25, 30, 40])}%，投资回收期约"
        f"{rng.choice([1.5, 2, 2.5, 3])}年。",
        keywords="，".join([tech[:4], product, problem[:4]]),
        transfer_modes=pack_modes(modes),
        price_kind=kind,
        price_min=price[0],
        price_max=price[1],
        team=f"{rng.choice(SURNAMES)}教授团队（{rng.randint(4, 15)}人）",
        contact_name=f"{rng.choice(SURNAMES)}老师",
        contact_phone=_phone(rng),
        contact_email=f"ttc{rng.randint(100, 999)}@example.edu.cn",
        is_sample=True,
    )
    ip = None
    if rng.random() < 0.8:
        filed = clock.local_date(now - timedelta(days=rng.randint(400, 2500)))
        ipkind = rng.choice(
            [
                IPKind.INVENTION_PATENT,
                IPKind.INVENTION_PATENT,
                IPKind.UTILITY_MODEL,
                IPKind.SOFTWARE_COPYRIGHT,
                IPKind.KNOW_HOW,
            ]
        )
        granted = ipkind != IPKind.KNOW_HOW and rng.random() < 0.75
        ip = IntellectualProperty(
            kind=ipkind,
            number=""
            if ipkind == IPKind.KNOW_HOW
            else f"ZL{filed.year}1{rng.randint(10**7, 10**8 - 1)}.{rng.randint(0, 9)}",
            status=IPStatus.GRANTED if granted else IPStatus.FILED,
            filed_on=filed,
            granted_on=filed + timedelta(days=rng.randint(300, 900)) if granted else None,
        )
    return a, slug, ip


def _demand(rng, slug, n, owner, now) -> tuple[Demand, str]:
    codes, techs, products, problems, scenarios, advantages = BLOCKS[slug]
    tech, product, problem = (
        rng.choice(techs),
        products[n % len(products)],
        problems[(n // len(products)) % len(problems)],
    )
    title = DEMAND_PATTERNS[n % len(DEMAND_PATTERNS)].format(tech=tech, product=product, problem=problem)
    low = Decimal(rng.choice([10, 20, 30, 50, 100, 200])) * 10000
    d = Demand(
        owner=owner,
        region_id=owner.region_id,
        title=title,
        industry_id=rng.choice(codes),
        summary=f"我单位在{product}生产中遇到{problem}的问题，寻求高校院所合作解决。",
        problem=f"目前{product}{problem}，影响交付与成本；希望引入{tech}等技术，在现有产线上改进。",
        indicators=f"目标：{rng.choice(advantages)}；方案须在{rng.choice([6, 9, 12, 18])}个月内完成中试验证。",
        current_approach=f"现采用传统工艺并依赖人工经验调整，{problem}问题反复出现。",
        budget_min=low,
        budget_max=low * rng.choice([1, 2, 3]),
        deadline=clock.local_date(now + timedelta(days=rng.randint(60, 360))),
        cooperation_modes=pack_modes(
            rng.sample(["transfer", "licence", "joint_development"], rng.choice([1, 2]))
        ),
        keywords="，".join([tech[:4], product, problem[:4]]),
        contact_name=f"{rng.choice(SURNAMES)}工",
        contact_phone=_phone(rng),
        contact_email=f"rd{rng.randint(100, 999)}@example.com.cn",
        is_sample=True,
    )
    return d, slug


def _stamp(record, rng, now, status) -> None:
    record.status = status
    record.created_at = now - timedelta(days=rng.randint(30, 240))
    record.updated_at = record.submitted_at = record.created_at + timedelta(days=rng.randint(1, 10))
    if status == RecordStatus.PUBLISHED:
        record.published_at = record.submitted_at + timedelta(days=rng.randint(1, 7))
        record.updated_at = record.published_at


def _industry_keywords(record, slug: str, names: dict[str, str]) -> None:
    """Add the key industry's name (from the taxonomy) and its everyday names to the keywords."""
    extra = [w for w in [names.get(slug, ""), *INDUSTRY_ALIASES.get(slug, [])] if w]
    record.keywords = "，".join(dict.fromkeys([*record.keywords.split("，"), *extra]))


@transaction.atomic
def create_demo_data(*, now) -> dict[str, int]:
    rng = random.Random(20260302)  # noqa: S311 — reproducible demo text, not security
    slugs = list(BLOCKS)
    known = set(
        Industry.objects.filter(code__in={c for b in BLOCKS.values() for c in b[0]}).values_list(
            "code", flat=True
        )
    )
    owners = {o.name: o for o in Organisation.objects.filter(name__in=ACHIEVEMENT_OWNERS + DEMAND_OWNERS)}
    a_owners = [owners[n] for n in ACHIEVEMENT_OWNERS if n in owners]
    d_owners = [owners[n] for n in DEMAND_OWNERS if n in owners]
    if not a_owners or not d_owners:
        return {"achievements": 0, "demands": 0, "packages": 0}
    names = dict(KeyIndustry.objects.values_list("slug", "name"))
    existing = set(Achievement.objects.filter(is_sample=True).values_list("owner_id", "title"))
    new_achievements, seen = [], set(existing)
    for n in range(ACHIEVEMENTS):
        slug = slugs[n % len(slugs)]
        a, slug, ip = _achievement(rng, slug, n // len(slugs), a_owners[n % len(a_owners)], now)
        _industry_keywords(a, slug, names)
        status = RecordStatus.SUBMITTED if n % 25 == 7 else RecordStatus.PUBLISHED
        _stamp(a, rng, now, status)
        if a.industry_id not in known:
            a.industry_id = None
        if (a.owner_id, a.title) not in seen:
            seen.add((a.owner_id, a.title))
            new_achievements.append((a, slug, ip))
    created = Achievement.objects.bulk_create([a for a, _s, _i in new_achievements])
    Achievement.key_industries.through.objects.bulk_create(
        Achievement.key_industries.through(achievement_id=a.pk, keyindustry_id=s)
        for a, (_x, s, _i) in zip(created, new_achievements, strict=True)
    )
    IntellectualProperty.objects.bulk_create(
        IntellectualProperty(
            achievement_id=a.pk,
            kind=i.kind,
            number=i.number,
            status=i.status,
            filed_on=i.filed_on,
            granted_on=i.granted_on,
        )
        for a, (_x, _s, i) in zip(created, new_achievements, strict=True)
        if i
    )

    existing = set(Demand.objects.filter(is_sample=True).values_list("owner_id", "title"))
    new_demands, seen = [], set(existing)
    for n in range(DEMANDS):
        d, slug = _demand(rng, slugs[n % len(slugs)], n // len(slugs), d_owners[n % len(d_owners)], now)
        _industry_keywords(d, slug, names)
        _stamp(d, rng, now, RecordStatus.SUBMITTED if n % 20 == 3 else RecordStatus.PUBLISHED)
        d.confidentiality = {
            11: Confidentiality.SUMMARY,
            24: Confidentiality.SUMMARY,
            37: Confidentiality.INVITED,
        }.get(n, Confidentiality.PUBLIC)
        if d.industry_id not in known:
            d.industry_id = None
        if (d.owner_id, d.title) not in seen:
            seen.add((d.owner_id, d.title))
            new_demands.append((d, slug))
    created_d = Demand.objects.bulk_create([d for d, _s in new_demands])
    Demand.key_industries.through.objects.bulk_create(
        Demand.key_industries.through(demand_id=d.pk, keyindustry_id=s)
        for d, (_x, s) in zip(created_d, new_demands, strict=True)
    )
    invitee = owners.get(ACHIEVEMENT_OWNERS[0])
    if invitee is not None:
        DemandInvitation.objects.bulk_create(
            DemandInvitation(demand=d, organisation=invitee, invited_at=now)
            for d in created_d
            if d.confidentiality == Confidentiality.INVITED
        )
    waiting = _county_queue(owners.get(COUNTY_OWNER), now)
    return {
        "achievements": len(created) + waiting,
        "demands": len(created_d) + waiting,
        "packages": _packages(now),
    }


# 德惠市 (a county) has its own reviewer (README: county_staff): one demand and one achievement of
# the 德惠 enterprise wait for review there, so the county's queue is not empty in a fresh demo.
COUNTY_OWNER = "德惠市禾丰农产品深加工有限公司"
COUNTY_DEMAND = "鲜食玉米速冻保鲜期延长技术需求"
COUNTY_ACHIEVEMENT = "玉米淀粉加工副产物蛋白提取与饲料化技术"


def _county_queue(owner, now) -> int:
    """Submitted two days ago (idempotent: found by title); returns how many pairs were added."""
    if owner is None or Demand.objects.filter(owner=owner, title=COUNTY_DEMAND).exists():
        return 0
    submitted = now - timedelta(days=2)
    common = {
        "owner": owner,
        "region_id": owner.region_id,
        "status": RecordStatus.SUBMITTED,
        "created_at": submitted - timedelta(days=3),
        "updated_at": submitted,
        "submitted_at": submitted,
        "industry_id": "1391" if Industry.objects.filter(code="1391").exists() else None,
        "contact_name": "赵德全",
        "contact_phone": "13904310183",
        "is_sample": True,
    }
    demand = Demand.objects.create(
        **common,
        title=COUNTY_DEMAND,
        summary="我公司年加工鲜食玉米约8000吨，速冻后保鲜期不足，寻求高校院所合作延长保鲜期。",
        problem="现有速冻工艺下鲜食玉米冷藏6个月后口感变差、褐变明显，影响淡季供货。",
        indicators="冷藏保鲜期延长至12个月，褐变率低于5%，方案可在现有速冻线上实施。",
        current_approach="沸水烫漂后单体速冻，依靠经验控制烫漂时间。",
        budget_min=Decimal("300000"),
        budget_max=Decimal("500000"),
        deadline=clock.local_date(now + timedelta(days=180)),
        cooperation_modes=pack_modes(["joint_development"]),
        keywords="鲜食玉米，速冻保鲜，农产品加工",
        contact_email="rd@example-dehui.com.cn",
    )
    achievement = Achievement.objects.create(
        **common,
        title=COUNTY_ACHIEVEMENT,
        abstract="本成果利用玉米淀粉加工的副产物（玉米浆、胚芽粕）提取蛋白，并将残渣制成饲料，已在本公司生产线中试验证（TRL 6）。",
        problem="玉米淀粉加工副产物多作低价饲料出售，附加值低。",
        advantages="蛋白提取率约75%，副产物利用率超过90%，可在现有淀粉生产线旁建设。",
        scenarios="县域玉米深加工企业、农产品加工园区。",
        readiness=6,
        keywords="玉米淀粉，副产物，蛋白提取，农产品加工",
        transfer_modes=pack_modes(["licence", "joint_development"]),
        price_kind=PriceKind.NEGOTIABLE,
        team="公司技术中心（6人）",
        contact_email="tech@example-dehui.com.cn",
    )
    if KeyIndustry.objects.filter(slug="agri-processing").exists():
        demand.key_industries.add("agri-processing")
        achievement.key_industries.add("agri-processing")
    return 1


def _packages(now) -> int:
    count = 0
    for slug, title, theme in PACKAGES:
        if AchievementPackage.objects.filter(title=title, is_sample=True).exists():
            continue
        ids = list(
            Achievement.objects.filter(
                is_sample=True, status=RecordStatus.PUBLISHED, key_industries__slug=slug
            )
            .order_by("-readiness", "pk")
            .values_list("pk", flat=True)[:12]
        )
        if not ids:
            continue
        package = AchievementPackage.objects.create(
            title=title,
            theme=theme,
            key_industry_id=slug,
            region_id="220100",
            status=PackageStatus.PUBLISHED,
            description="依据吉政发〔2018〕27号第十七条“建立重点领域科技成果包发布机制”整理（演示数据）。",
            created_at=now,
            published_at=now,
            is_sample=True,
        )
        PackageItem.objects.bulk_create(
            PackageItem(package=package, achievement_id=pk, position=n) for n, pk in enumerate(ids)
        )
        count += 1
    return count

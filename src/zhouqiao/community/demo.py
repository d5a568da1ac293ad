"""Demo expert registry: about thirty approved experts of Jilin's universities and institutes whose
fields and keywords match the demo's achievements and demands (catalog.demo's key-industry
building blocks), a few declared conflicts, one application waiting for the program officer
(``program_officer``), and the ``expert`` demo account (both made by accounts.demo) entered as an
approved expert who can sign in and review. Names are made up; records are marked ``is_sample``. Safe to re-run.
"""

from django.db import transaction

from zhouqiao.accounts.models import Organisation, User
from zhouqiao.catalog.demo import BLOCKS
from zhouqiao.community.models import Expert, ExpertConflict, ExpertStatus
from zhouqiao.core.models import Discipline, Industry

EXPERT_ACCOUNT = "expert"

# name, organisation, title, key industry (catalog.demo.BLOCKS), disciplines, extra keywords, profile
EXPERTS = [
    (
        "刘振华",
        "吉林大学",
        "教授",
        "automotive",
        ["46025", "5802010"],
        "汽车车身、轻量化",
        "长期从事汽车车身轻量化与连接工艺研究，主持国家重点研发计划课题。",
    ),
    (
        "王立新",
        "吉林大学",
        "教授",
        "automotive",
        ["47040", "51030"],
        "碳化硅、功率器件、电驱动",
        "研究新能源汽车电驱动系统与碳化硅功率器件封装，多项成果在整车企业应用。",
    ),
    (
        "赵明远",
        "吉林大学",
        "研究员",
        "equipment",
        ["46025", "46020"],
        "数控机床、误差补偿",
        "从事五轴数控加工精度与误差补偿研究。",
    ),
    (
        "孙海涛",
        "吉林大学",
        "教授",
        "rail-transit",
        ["46025", "5803030"],
        "铝合金焊接、转向架",
        "研究轨道车辆铝合金车体焊接变形控制与转向架结构健康监测。",
    ),
    (
        "李春燕",
        "吉林大学",
        "教授",
        "health",
        ["35020", "35035"],
        "重组蛋白、药物制剂",
        "从事长效重组蛋白药物制剂与给药系统研究。",
    ),
    (
        "陈宏伟",
        "吉林大学",
        "副教授",
        "ai",
        ["52020", "51040"],
        "深度学习、缺陷检测、机器视觉",
        "研究工业缺陷图像深度学习检测与设备故障声纹诊断。",
    ),
    (
        "周立群",
        "东北师范大学",
        "教授",
        "new-materials",
        ["43050", "43070"],
        "高分子材料、功能薄膜",
        "从事高性能聚酰亚胺薄膜与功能高分子材料研究。",
    ),
    (
        "吴晓丽",
        "东北师范大学",
        "教授",
        "biotech",
        ["18061", "21050"],
        "微生物菌剂、土壤修复",
        "研究微生物菌剂与黑土地土壤修复。",
    ),
    (
        "郑国栋",
        "东北师范大学",
        "副教授",
        "ai",
        ["52020", "21060"],
        "病虫害识别、智慧农业",
        "研究农作物病虫害智能识别与遥感监测。",
    ),
    (
        "马俊峰",
        "长春理工大学",
        "教授",
        "optoelectronics",
        ["51020", "14030"],
        "半导体激光器、光电子",
        "从事半导体激光器芯片与封装技术研究。",
    ),
    (
        "高文杰",
        "长春理工大学",
        "教授",
        "optoelectronics",
        ["14030", "46025"],
        "超精密加工、光学元件",
        "研究大口径光学元件超精密加工与检测。",
    ),
    (
        "冯雪梅",
        "长春理工大学",
        "副教授",
        "equipment",
        ["52060", "46025"],
        "数字孪生、智能产线",
        "研究智能产线数字孪生与工业机器人柔性装配。",
    ),
    (
        "黄建平",
        "中国科学院长春光学精密机械与物理研究所",
        "研究员",
        "aerospace",
        ["59020", "14030"],
        "空间光学、遥感相机",
        "从事空间光学遥感相机轻量化设计。",
    ),
    (
        "林志强",
        "中国科学院长春光学精密机械与物理研究所",
        "研究员",
        "optoelectronics",
        ["51020", "51070"],
        "激光雷达、红外探测",
        "研究激光雷达光学扫描与红外焦平面探测器。",
    ),
    (
        "何丽娟",
        "中国科学院长春光学精密机械与物理研究所",
        "副研究员",
        "aerospace",
        ["59035", "52050"],
        "星载计算机、抗辐照",
        "研究小卫星星载计算机抗辐照加固。",
    ),
    (
        "罗永刚",
        "中国科学院长春光学精密机械与物理研究所",
        "研究员",
        "equipment",
        ["43025", "51040"],
        "无损检测、机器视觉",
        "从事大型铸锻件无损检测与在线视觉检测。",
    ),
    (
        "宋佳琪",
        "中国科学院长春应用化学研究所",
        "研究员",
        "new-materials",
        ["43050", "53044"],
        "聚乳酸、生物基塑料",
        "研究聚乳酸改性增韧与生物基材料产业化。",
    ),
    (
        "谢文博",
        "中国科学院长春应用化学研究所",
        "研究员",
        "new-energy",
        ["48010", "53041"],
        "燃料电池、催化剂、电化学",
        "从事氢燃料电池低铂催化剂与电化学能源研究。",
    ),
    (
        "韩雪",
        "中国科学院长春应用化学研究所",
        "研究员",
        "petrochemical",
        ["53051", "53024"],
        "催化剂、聚烯烃、石油化工",
        "研究重油加氢催化剂与聚烯烃高端牌号。",
    ),
    (
        "唐国华",
        "中国科学院长春应用化学研究所",
        "研究员",
        "new-materials",
        ["43045", "14050"],
        "稀土发光材料",
        "从事稀土发光材料制备与应用。",
    ),
    (
        "曹振宇",
        "中国科学院长春应用化学研究所",
        "副研究员",
        "new-energy",
        ["48040", "43035"],
        "固态电解质、储能、动力电池",
        "研究固态电解质薄膜与退役动力电池梯次利用。",
    ),
    (
        "许文静",
        "吉林省农业科学院",
        "研究员",
        "agri-processing",
        ["21045", "55020"],
        "玉米深加工、淀粉",
        "从事玉米淀粉酶法深加工与鲜食玉米保鲜。",
    ),
    (
        "邓海燕",
        "吉林省农业科学院",
        "研究员",
        "biotech",
        ["18031", "21030"],
        "玉米育种、基因编辑",
        "研究基因编辑玉米育种。",
    ),
    (
        "彭立军",
        "吉林省农业科学院",
        "研究员",
        "agri-processing",
        ["36040", "55020"],
        "人参皂苷、中药材",
        "从事人参皂苷定向转化与人参精深加工。",
    ),
    (
        "蒋志华",
        "吉林省农业科学院",
        "副研究员",
        "biotech",
        ["23030", "35020"],
        "动物疫苗、兽医",
        "研究动物疫苗耐热保护剂与梅花鹿茸活性肽。",
    ),
    (
        "董博",
        "吉林省新型碳材料研究院",
        "研究员",
        "new-materials",
        ["43055", "54030"],
        "碳纤维、原丝、复合材料",
        "从事碳纤维原丝高速纺丝与碳纤维复合材料研究。",
    ),
    (
        "袁晓峰",
        "吉林省新型碳材料研究院",
        "高级工程师",
        "new-materials",
        ["43070", "43055"],
        "石墨烯、导热",
        "研究石墨烯导热复合材料。",
    ),
    (
        "潘宇",
        "吉林省新型碳材料研究院",
        "高级工程师",
        "rail-transit",
        ["43055", "5803030"],
        "复合材料、车体轻量化",
        "从事轨道车辆车体轻量化复合材料研究。",
    ),
    (
        "田志刚",
        "吉林大学",
        "教授",
        "next-gen-it",
        ["52040", "51050"],
        "工业互联网、边缘计算",
        "研究工业互联网标识解析与边缘计算网关。",
    ),
    (
        "于海波",
        "东北师范大学",
        "教授",
        "health",
        ["36040", "35099"],
        "中药配方颗粒、质量控制",
        "从事中药配方颗粒质量控制研究。",
    ),
]

# (expert name, organisation name or None, person name, reason)
CONFLICTS = [
    ("刘振华", "中国第一汽车集团有限公司", "", "近三年担任技术顾问"),
    ("孙海涛", "中车长春轨道客车股份有限公司", "", "承担企业横向课题"),
    ("谢文博", "", "曹振宇", "同一课题组"),
    ("许文静", "德惠市禾丰农产品深加工有限公司", "", "企业科技特派员"),
]

# The application waiting for the program officer.
PENDING = (
    "钱晓东",
    "长春理工大学",
    "副教授",
    "automotive",
    ["47040"],
    "线控制动、冗余控制",
    "研究汽车线控制动冗余控制系统。",
)


@transaction.atomic
def create_demo_data(*, now) -> dict[str, int]:
    names = {e[1] for e in EXPERTS} | {PENDING[1]} | {c[1] for c in CONFLICTS if c[1]}
    orgs = {o.name: o for o in Organisation.objects.filter(name__in=names)}
    known_disciplines = set(Discipline.objects.values_list("code", flat=True))
    known_industries = set(Industry.objects.values_list("code", flat=True))
    created = 0
    experts: dict[str, Expert] = {}
    for n, row in enumerate([*EXPERTS, PENDING]):
        name, org_name, title, slug, disciplines, extra, profile = row
        org = orgs.get(org_name)
        if org is None:
            continue
        pending = row is PENDING
        codes, techs = BLOCKS[slug][0], BLOCKS[slug][1]
        keywords = "、".join(
            dict.fromkeys([*extra.split("、"), techs[n % len(techs)], techs[(n + 2) % len(techs)]])
        )
        expert, was_created = Expert.objects.get_or_create(
            name=name,
            organisation=org,
            is_sample=True,
            defaults={
                "title": title,
                "keywords": keywords,
                "profile": profile + "（演示数据）",
                "region_id": org.region_id,
                "jurisdiction_id": "220000" if not pending else org.region_id,
                "phone": f"1390431{7000 + n:04d}",
                "email": f"expert{n + 1}@demo.zhouqiao.local",
                "available": n % 9 != 5,
                "status": ExpertStatus.APPLIED if pending else ExpertStatus.APPROVED,
                "created_at": now,
                "approved_at": None if pending else now,
                "updated_at": now,
            },
        )
        if was_created:
            created += 1
            expert.disciplines.set([c for c in disciplines if c in known_disciplines])
            expert.industries.set([c for c in codes[:2] if c in known_industries])
        experts[name] = expert
    for expert_name, org_name, person, reason in CONFLICTS:
        expert = experts.get(expert_name)
        org = orgs.get(org_name) if org_name else None
        if expert is None or (org_name and org is None):
            continue
        ExpertConflict.objects.get_or_create(
            expert=expert, organisation=org, person_name=person, defaults={"reason": reason}
        )
    account_holder = experts.get("王立新")
    user = User.objects.filter(username=EXPERT_ACCOUNT).first()  # made by accounts.demo
    if account_holder is not None and user is not None:
        if account_holder.user_id is None and not Expert.objects.filter(user=user).exists():
            account_holder.user = user
            account_holder.save(update_fields=["user"])
    created += _talent(experts, now=now)
    return {"experts": created}


# 人才资源库 (003 #28): two senior engineers of enterprises, open to 产业教授 posts (001 #17).
ENGINEERS = [
    ("韩振东", "中国第一汽车集团有限公司", "正高级工程师", ["46025"], "整车集成、底盘电控"),
    ("郑海波", "中车长春轨道客车股份有限公司", "高级工程师", ["58020"], "转向架、轨道车辆动力学"),
]


def _talent(experts: dict, *, now) -> int:
    """The 双融 marks of the demo people: researchers mostly open to 科技副总 posts, a few limited or
    closed; the engineers open to 产业教授 posts. Safe to re-run."""
    created = 0
    names = {row[1] for row in ENGINEERS}
    orgs = {o.name: o for o in Organisation.objects.filter(name__in=names)}
    known = set(
        Discipline.objects.filter(code__in=[c for row in ENGINEERS for c in row[3]]).values_list(
            "code", flat=True
        )
    )
    for n, (name, org_name, title, disciplines, keywords) in enumerate(ENGINEERS):
        org = orgs.get(org_name)
        if org is None:
            continue
        expert, was_created = Expert.objects.get_or_create(
            name=name,
            organisation=org,
            is_sample=True,
            defaults={
                "title": title,
                "keywords": keywords,
                "profile": f"{org_name}{title}，长期从事{keywords}工程实践，愿到高校兼职产业教授。（演示数据）",
                "region_id": org.region_id,
                "jurisdiction_id": "220100",
                "phone": f"1390432{8000 + n:04d}",
                "email": f"engineer{n + 1}@demo.zhouqiao.local",
                "status": ExpertStatus.APPROVED,
                "created_at": now,
                "approved_at": now,
                "updated_at": now,
                "category": "engineer",
                "industry_professor": True,
            },
        )
        if was_created:
            created += 1
            expert.disciplines.set([c for c in disciplines if c in known])
    for n, expert in enumerate(sorted(experts.values(), key=lambda e: e.pk)):
        availability = "limited" if n % 7 == 3 else "closed" if n % 11 == 4 else "open"
        Expert.objects.filter(pk=expert.pk, category="researcher").update(
            vice_president=n % 3 != 2, availability=availability
        )
    return created

"""Demo 榜单: challenges of Jilin enterprises built from their demo demands (catalog.demo), one at
each status — 待审核, 征集中, 评审中, 已揭榜, 攻关中, 已验收 (with its 001#4 application), 未揭榜 —
walked through the services with the demo accounts, so that the audit trail, notifications and
to-dos are the real ones. Runs after community.demo (experts, ``program_officer``, ``expert``).

Teams are 长春光机所 (``institute``) and 长春市质量检验检测服务有限公司 (``provider``): the demo's
expert with an account (``expert``, 王立新) works at 吉林大学 and would have to recuse from a
proposal of 吉林大学. Safe to re-run: nothing is made when sample challenges exist.
"""

import datetime as dt

from zhouqiao.accounts.models import Organisation, User
from zhouqiao.catalog.models import Demand
from zhouqiao.catalog.states import RecordStatus
from zhouqiao.core import clock
from zhouqiao.programs.challenges import services
from zhouqiao.programs.challenges.models import Challenge, Proposal

# (name, target, unit, direction, method, the stronger team's commitment, the other's)
INDICATOR_SETS = [
    [
        ("产品一次合格率", "98", "%", "ge", "连续3个批次、每批200件抽检", "99.5", "98.5"),
        ("单件能耗", "12", "kWh", "le", "第三方能耗计量，连续运行72小时取平均", "10", "11.5"),
    ],
    [
        ("关键部件寿命", "5000", "小时", "ge", "加速寿命试验，按行业标准折算", "6000", "5200"),
        ("故障率", "0.5", "%", "le", "现场运行6个月统计", "0.3", "0.45"),
    ],
    [
        ("生产节拍提升", "20", "%", "ge", "与改造前同一产线对比，连续两周统计", "25", "21"),
        ("材料损耗", "3", "%", "le", "按月度投入产出台账核算", "2", "2.8"),
    ],
]

ROUTES = [
    "建立工艺参数与质量指标的数字孪生模型，在线采集温度、压力与振动数据，以贝叶斯优化闭环调参，"
    "配合机器视觉在线检测剔除异常件，最终在企业产线连续运行验证。",
    "对现有装备进行模块化改造，引入伺服驱动与高精度传感器，分段重构控制逻辑，"
    "由检测中心按国家标准开展抽样测试，形成可复制的改造规范。",
    "从材料配方入手，采用高通量实验筛选添加剂组合，结合有限元仿真确定结构参数，"
    "小试、中试两级放大后在用户现场进行长周期可靠性考核。",
    "联合上下游企业组建攻关小组，先做失效分析找出主因，再以正交试验优化关键工序，"
    "同步制定企业标准与作业指导书，保证量产一致性。",
]

ROUTE_ENDS = [
    "项目组每月向发榜企业汇报进展，关键节点邀请第三方检测机构见证测试。",
    "全过程数据留痕，样件随批次编号封存，便于验收时复测追溯。",
    "知识产权按合同约定归属，揭榜方负责驻厂技术培训三个月。",
    "风险预案：如中试未达标，启用备选工艺路线并延长验证期不超过一个月。",
]

# key, owner user, status, indicator set, days ago the challenge was created
# The demands each enterprise turns into challenges come from its own key industry when it has one.
INDUSTRY = {
    "中国第一汽车集团有限公司": "automotive",
    "吉林化纤集团有限责任公司": "new-materials",
    "德惠市禾丰农产品深加工有限公司": "agri-processing",
}


def _demand_for(owner, slug: str, used: set[int]):
    published = Demand.objects.filter(owner=owner, status=RecordStatus.PUBLISHED, is_sample=True).exclude(
        pk__in=used
    )
    return (
        published.filter(key_industries__slug=slug).order_by("pk").first() or published.order_by("pk").first()
    )


PLAN = [
    ("accepted", "enterprise", "中国第一汽车集团有限公司", 0, 300),
    ("in_progress", "enterprise_county", "德惠市禾丰农产品深加工有限公司", 1, 200),
    ("awarded", "enterprise_jl", "吉林化纤集团有限责任公司", 2, 150),
    ("reviewing", "enterprise", "中国第一汽车集团有限公司", 1, 60),
    ("open", "enterprise", "中国第一汽车集团有限公司", 2, 20),
    ("unawarded", "enterprise_jl", "吉林化纤集团有限责任公司", 0, 120),
    ("pending_review", "enterprise_county", "德惠市禾丰农产品深加工有限公司", 0, 5),
]


def _data(demand: Demand, indicators, start: dt.date, *, days_open: int, days_total: int) -> dict:
    return {
        "demand_id": demand.pk,
        "title": demand.title[:180],
        "summary": f"{demand.summary}面向全国有实力的创新主体张榜，企业先行投入，揭榜方按承诺指标攻关，市场验收。（演示数据）",
        "investment": "3000000",
        "reward": "1500000",
        "deadline": (start + dt.timedelta(days=days_open)).isoformat(),
        "completion_date": (start + dt.timedelta(days=days_total)).isoformat(),
        "eligibility": "nationwide",
        "indicators": [
            {"name": n, "target": t, "unit": u, "direction": d, "method": m}
            for n, t, u, d, m, _b, _w in indicators
        ],
    }


# Each team's people, one a line as the form asks: 姓名（单位、职称、分工）, the unit named in full.
TEAMS = {
    "中国科学院长春光学精密机械与物理研究所": [
        ("陈思远", "研究员", "项目负责人"),
        ("刘佳宁", "副研究员", "工艺研发"),
    ],
    "长春市质量检验检测服务有限公司": [
        ("孙浩然", "高级工程师", "项目负责人"),
        ("周子涵", "工程师", "检测验证"),
    ],
}


def members_text(lead_name: str) -> str:
    return "\n".join(
        f"{name}（{lead_name}、{title}、{role}）"
        for name, title, role in TEAMS.get(lead_name, [("王工", "高级工程师", "项目负责人")])
    )


def _proposal_data(
    challenge: Challenge,
    *,
    indicators,
    lead_name: str,
    better: bool,
    milestones: int,
    start: dt.date,
    variant: int,
) -> dict:
    commitments = {row[0]: (row[5] if better else row[6]) for row in indicators}
    committed = {i.pk: commitments[i.name] for i in challenge.indicators.all()}
    end = challenge.completion_date
    steps = [
        ("方案设计与样机试制", "样机及设计报告"),
        ("中试验证", "中试验证报告"),
        ("产线应用与指标测试", "第三方测试报告"),
    ][-milestones:]
    span = (end - start).days
    return {
        "members": members_text(lead_name),
        "technical_route": ROUTES[variant % 4] + ROUTE_ENDS[(variant // 4) % 4] + "（演示数据）",
        "price": "1800000" if better else "1500000",
        "schedule": "分阶段推进，每阶段提交交付物并经发榜企业确认。",
        "partner_ids": [],
        "committed": committed,
        "milestones": [
            {
                "title": t,
                "deliverable": d,
                "due_on": (start + dt.timedelta(days=span * (n + 1) // (len(steps) + 1))).isoformat(),
            }
            for n, (t, d) in enumerate(steps)
        ],
    }


def create_demo_data(*, now) -> dict[str, int]:
    from zhouqiao.programs.demo import reviewer_accounts

    reviewer_accounts(now=now)  # the panel is drawn from experts who can sign in and score
    if Challenge.objects.filter(is_sample=True).exists():
        for lead_name in TEAMS:  # a demo loaded before the teams were written out in full
            Proposal.objects.filter(is_sample=True, lead__name=lead_name).exclude(
                members=members_text(lead_name)
            ).update(members=members_text(lead_name))
        return {"challenges": 0}
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=[
                "enterprise",
                "enterprise_jl",
                "enterprise_county",
                "institute",
                "provider",
                "program_officer",
                "expert",
            ]
        )
    }
    if len(users) < 7:
        return {"challenges": 0}
    from zhouqiao.community.models import Expert

    expert = Expert.objects.filter(user=users["expert"]).first()
    orgs = {
        o.name: o
        for o in Organisation.objects.filter(
            name__in=[p[2] for p in PLAN]
            + ["中国科学院长春光学精密机械与物理研究所", "长春市质量检验检测服务有限公司"]
        )
    }
    ciomp = orgs.get("中国科学院长春光学精密机械与物理研究所")
    testing = orgs.get("长春市质量检验检测服务有限公司")
    officer = users["program_officer"]
    used: set[int] = set()
    made = 0
    for status, username, owner_name, indicator_set, days_ago in PLAN:
        owner = orgs.get(owner_name)
        if owner is None:
            continue
        demand = _demand_for(owner, INDUSTRY.get(owner_name, ""), used)
        if demand is None:
            continue
        used.add(demand.pk)
        at = now - dt.timedelta(days=days_ago)
        start = clock.local_date(at)
        total = 330 if status in ("accepted", "in_progress", "awarded") else 360
        challenge = services.create_challenge(
            actor=users[username],
            organisation_id=owner.pk,
            data=_data(demand, INDICATOR_SETS[indicator_set], start, days_open=30, days_total=total),
            now=at,
        )
        Challenge.objects.filter(pk=challenge.pk).update(is_sample=True)
        made += 1
        services.submit_challenge(actor=users[username], challenge_id=challenge.pk, now=at)
        if status == "pending_review":
            continue
        at += dt.timedelta(days=2)
        services.review_challenge(
            actor=officer,
            challenge_id=challenge.pk,
            publish=True,
            reason="指标可验证，投入与奖励明确，同意发布。",
            now=at,
        )
        if status == "open":
            continue
        if status == "unawarded":
            services.close_collection(
                actor=officer,
                challenge_id=challenge.pk,
                reason="征集期内无人揭榜。",
                now=at + dt.timedelta(days=30),
            )
            continue
        milestones = 1 if status == "reviewing" else 2
        proposals = []
        for lead, user, better in ((ciomp, users["institute"], True), (testing, users["provider"], False)):
            at += dt.timedelta(days=3)
            proposals.append(
                services.submit_proposal(
                    actor=user,
                    challenge_id=challenge.pk,
                    lead_id=lead.pk,
                    data=_proposal_data(
                        challenge,
                        indicators=INDICATOR_SETS[indicator_set],
                        lead_name=lead.name,
                        better=better,
                        milestones=milestones,
                        start=start,
                        variant=made * 2 + (0 if better else 1),
                    ),
                    now=at,
                )
            )
        Proposal.objects.filter(pk__in=[p.pk for p in proposals]).update(is_sample=True)
        # Collection ends the morning after the deadline (ending it earlier needs a reason).
        at = max(
            at + dt.timedelta(days=10),
            dt.datetime.combine(challenge.deadline + dt.timedelta(days=1), dt.time(9), tzinfo=at.tzinfo),
        )
        services.close_collection(actor=officer, challenge_id=challenge.pk, now=at)
        if expert is not None:
            services.assign_expert(
                actor=officer, challenge_id=challenge.pk, expert_id=expert.pk, reason="研究方向相近", now=at
            )
        if status == "reviewing" or expert is None:
            continue
        at += dt.timedelta(days=5)
        for proposal, score, comment in (
            (proposals[0], 90, "技术路线先进，团队基础扎实，指标承诺有把握。"),
            (proposals[1], 76, "报价较低，但在线检测能力不足，风险较大。"),
        ):
            services.score_proposal(
                actor=users["expert"], proposal_id=proposal.pk, score=score, comment=comment, now=at
            )
        at += dt.timedelta(days=3)
        services.select_proposal(
            actor=users[username],
            proposal_id=proposals[0].pk,
            reason="专家评分最高，技术路线与产线匹配。",
            now=at,
        )
        if status == "awarded":
            continue
        winner = proposals[0]
        milestone_rows = list(winner.milestones.all())
        if status == "in_progress":
            milestone_rows = milestone_rows[:1]
        for m in milestone_rows:
            at = max(at, dt.datetime.combine(m.due_on, dt.time(10), tzinfo=at.tzinfo) - dt.timedelta(days=2))
            services.report_milestone(
                actor=users["institute"], milestone_id=m.pk, report=f"{m.deliverable}已提交。", now=at
            )
            at += dt.timedelta(days=2)
            services.decide_milestone(
                actor=users[username], milestone_id=m.pk, accept=True, reason="交付物齐全。", now=at
            )
        if status == "in_progress":
            continue
        at += dt.timedelta(days=7)
        at = min(at, now - dt.timedelta(days=1))
        measured = {c.indicator_id: str(c.value) for c in winner.committed.all()}
        services.accept_challenge(
            actor=users[username],
            challenge_id=challenge.pk,
            measured=measured,
            note="经现场测试，各项指标均达到承诺值，同意通过市场验收。",
            witness_id=expert.pk,
            now=at,
        )
    return {"challenges": made}

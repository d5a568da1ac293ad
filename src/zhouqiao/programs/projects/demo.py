"""Demo funded projects at different stages, standing on their own (no call application), run by
``program_officer`` (吉林省科学技术厅, 项目管理; created by community/demo.py):

1. 吉林化纤 (enterprise_jl): in progress, two milestones (one due soon), one disbursement, mid-term
   check not yet recorded — the journey walks it to acceptance and 后补助;
2. 吉林化纤: at mid-term (整改 recorded, to be checked again);
3. 吉林大学: accepted in 2025, its 科技报告 public;
4. 吉林化纤: accepted (70% paid, the rest 待拨付), 后补助 (003 #16) application submitted to the
   finance desk of 吉林市.

The acceptance panels are experts with an account, each of whom submits an opinion.

Every step goes through the services, with past clocks for the finished ones. Marked ``is_sample``;
safe to re-run (a project of the same title is not made twice).
"""

import datetime as dt

from django.utils import timezone

from zhouqiao.accounts.models import Membership, Organisation, User
from zhouqiao.programs.projects import services
from zhouqiao.programs.projects.models import Project

CALL = "2025年度吉林省科技发展计划（重点研发）"
IN_PROGRESS = "高强度碳纤维原丝连续化制备关键技术"
AT_MID_TERM = "大丝束碳纤维低成本碳化工艺"
ACCEPTED = "汽车轻量化车身连接工艺与可靠性评价"
SUBSIDISED = "碳纤维复合材料汽车零部件成型技术"


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _member(org: Organisation) -> User | None:
    row = Membership.objects.filter(organisation=org).select_related("user").order_by("role", "pk").first()
    return row.user if row else None


def _project(officer, org, title, *, amount, start, end, summary, keywords, now) -> Project:
    project = services.create_project(
        actor=officer,
        undertaker_id=org.pk,
        title=title,
        call_title=CALL,
        amount=amount,
        start_date=start,
        end_date=end,
        summary=summary + "（演示数据）",
        keywords=keywords,
        post_subsidy=True,
        region_id="220000",
        now=now,
        is_sample=True,
    )
    return services.assign_officer(
        actor=officer,
        project_id=project.pk,
        officer_id=officer.pk,
        supervisor="吉林省科技项目监理中心（演示）",
        mid_term_due=start + (end - start) / 2,
        now=now,
    )


def _accept(project, officer, member, experts, *, report, when, public_from):
    title, abstract, body = report
    services.submit_final_report(
        actor=member, project_id=project.pk, title=title, abstract=abstract, body=body, now=_at(when)
    )
    services.form_panel(
        actor=officer,
        project_id=project.pk,
        expert_ids=[e.pk for e in experts],
        due_date=when + dt.timedelta(days=14),
        now=_at(when, 11),
    )
    for seat in project.panel.select_related("expert__user"):
        if seat.expert.user_id:
            services.record_opinion(
                actor=seat.expert.user,
                project_id=project.pk,
                opinion="pass",
                comment="各项考核指标均已完成，同意通过验收。",
                now=_at(when + dt.timedelta(days=3)),
            )
    return services.conclude_acceptance(
        actor=officer,
        project_id=project.pk,
        conclusion="passed",
        reason="专家组一致同意通过验收：合同约定的技术指标全部完成，经费使用规范。",
        report_public_from=public_from,
        now=_at(when + dt.timedelta(days=7)),
    )


def create_demo_data(*, now) -> dict[str, int]:
    officer = User.objects.filter(username="program_officer").first()
    jilin_fibre = Organisation.objects.filter(name="吉林化纤集团有限责任公司").first()
    jlu = Organisation.objects.filter(name="吉林大学").first()
    if officer is None or jilin_fibre is None or jlu is None:
        return {}
    if Project.objects.filter(is_sample=True, title=IN_PROGRESS).exists():
        return {"projects": 0}
    fibre_member, jlu_member = _member(jilin_fibre), _member(jlu)
    today = timezone.localdate(now)
    made = 0

    # 1. In progress: milestones (one due within the month), a first disbursement.
    start = dt.date(today.year, 1, 1)
    p1 = _project(
        officer,
        jilin_fibre,
        IN_PROGRESS,
        amount="1500000",
        start=start,
        end=dt.date(today.year + 1, 12, 31),
        summary="突破高强度碳纤维原丝连续化聚合、纺丝与预氧化关键技术，建成千吨级中试线。",
        keywords="碳纤维，原丝，纺丝",
        now=_at(start),
    )
    services.add_milestone(
        actor=officer,
        project_id=p1.pk,
        deliverable="原丝中试线建成并连续运行30天",
        due_date=today + dt.timedelta(days=14),
        now=_at(start),
    )
    services.add_milestone(
        actor=officer,
        project_id=p1.pk,
        deliverable="T700级原丝性能检测报告",
        due_date=dt.date(today.year + 1, 9, 30),
        now=_at(start),
    )
    services.record_disbursement(
        actor=officer,
        project_id=p1.pk,
        amount="1050000",
        paid_on=start + dt.timedelta(days=30),
        note="立项后拨付70%",
        now=_at(start + dt.timedelta(days=30)),
    )
    made += 1

    # 2. At mid-term: 整改 recorded, the officer checks it again.
    start2 = dt.date(today.year - 1, 6, 1)
    p2 = _project(
        officer,
        jilin_fibre,
        AT_MID_TERM,
        amount="800000",
        start=start2,
        end=dt.date(today.year + 1, 5, 31),
        summary="研究48K大丝束碳纤维低成本碳化工艺及装备。",
        keywords="大丝束，碳化，低成本",
        now=_at(start2),
    )
    services.record_disbursement(
        actor=officer,
        project_id=p2.pk,
        amount="560000",
        paid_on=start2,
        note="立项后拨付70%",
        now=_at(start2),
    )
    services.record_mid_term(
        actor=officer,
        project_id=p2.pk,
        conclusion="rectify",
        reason="碳化炉改造进度滞后约三个月，请于2个月内提交整改报告并调整实施计划。",
        now=now,
    )
    made += 1

    from zhouqiao.community.models import Expert, ExpertStatus

    def panel(project):
        # Experts who sign in and submit their opinion (the page then shows every opinion that the
        # conclusion rests on); experts without an account only when too few have one.
        pool = list(services.eligible_experts(project, now=now))
        with_account = [e for e in pool if e.user_id]
        others = [e for e in pool if not e.user_id]
        return (with_account + others)[: services.PANEL_MIN]

    if Expert.objects.filter(status=ExpertStatus.APPROVED).count() >= services.PANEL_MIN and jlu_member:
        # 3. Accepted in 2025, report public since.
        start3 = dt.date(today.year - 3, 1, 1)
        p3 = _project(
            officer,
            jlu,
            ACCEPTED,
            amount="2000000",
            start=start3,
            end=dt.date(today.year - 1, 6, 30),
            summary="研究汽车轻量化车身异种材料连接工艺，建立连接接头可靠性评价方法。",
            keywords="轻量化，车身，连接工艺，可靠性",
            now=_at(start3),
        )
        services.record_disbursement(
            actor=officer,
            project_id=p3.pk,
            amount="2000000",
            paid_on=start3,
            note="全额拨付",
            now=_at(start3),
        )
        services.record_mid_term(
            actor=officer,
            project_id=p3.pk,
            conclusion="passed",
            reason="进度符合计划。",
            now=_at(start3 + dt.timedelta(days=540)),
        )
        when = dt.date(today.year - 1, 7, 15)
        _accept(
            p3,
            officer,
            jlu_member,
            panel(p3),
            report=(
                "汽车轻量化车身异种材料连接工艺与可靠性评价技术报告",
                "针对钢铝混合车身，研究自冲铆接、流钻螺钉与胶接复合连接工艺，建立接头疲劳寿命预测模型与可靠性评价规范。",
                "一、研究背景\n汽车轻量化要求钢铝等异种材料在车身上的可靠连接。\n"
                "二、主要研究内容\n自冲铆接工艺窗口、胶铆复合接头疲劳性能、腐蚀环境下的可靠性评价。\n"
                "三、主要成果\n形成连接工艺规范2项，申请发明专利5项，在一汽车身车间完成示范应用。\n"
                "四、结论\n各项技术指标全部完成。（演示数据）",
            ),
            when=when,
            public_from=when + dt.timedelta(days=30),
        )
        made += 1

        # 4. Accepted, 后补助 applied for.
        if fibre_member:
            start4 = dt.date(today.year - 2, 3, 1)
            p4 = _project(
                officer,
                jilin_fibre,
                SUBSIDISED,
                amount="1000000",
                start=start4,
                end=dt.date(today.year, 2, 28),
                summary="研究碳纤维复合材料汽车零部件高压树脂传递模塑成型技术。",
                keywords="碳纤维复合材料，HP-RTM，汽车零部件",
                now=_at(start4),
            )
            services.record_disbursement(
                actor=officer,
                project_id=p4.pk,
                amount="700000",
                paid_on=start4 + dt.timedelta(days=30),
                note="立项后拨付70%，余款验收后拨付",
                now=_at(start4 + dt.timedelta(days=30)),
            )
            when4 = dt.date(today.year, 4, 10)
            _accept(
                p4,
                officer,
                fibre_member,
                panel(p4),
                report=(
                    "碳纤维复合材料汽车零部件成型技术报告",
                    "建立HP-RTM成型工艺，完成碳纤维复合材料电池包上盖试制。",
                    "成型周期缩短至5分钟以内，零件减重40%。（演示数据）",
                ),
                when=when4,
                public_from=dt.date(today.year + 1, 4, 10),
            )
            services.apply_post_subsidy(
                actor=fibre_member, project_id=p4.pk, now=_at(when4 + dt.timedelta(days=10))
            )
            made += 1
    return {"projects": made}

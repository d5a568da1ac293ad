"""Audit records in words: the one registry of what each audit action code means in Chinese.

Every code any service writes (``audit.record("…")``, including the ``f"contract.{to_status}"``
families) has a label here; ``tests/core/test_audit_labels.py`` scans the source for audit calls
and fails when one is missing. Pages and exports show :func:`action_label`; the code itself stays
only as a small reference (and a column of its own in the CSV).
"""

import functools
import re

from django.apps import apps
from django.db.models import DateTimeField, FileField, JSONField
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

L = gettext_lazy

ACTIONS: dict[str, str] = {
    # sign-in and accounts
    "auth.login": L("登录"),
    "auth.logout": L("退出登录"),
    "auth.login_failed": L("登录失败"),
    "auth.lockout": L("多次登录失败，账号被暂时锁定"),
    "auth.password_change": L("修改密码"),
    "auth.password_reset_mail": L("发送重设密码邮件"),
    "auth.password_reset": L("通过邮件重设密码"),
    "account.register": L("注册账号"),
    "privacy.consent": L("同意个人信息保护政策"),
    "privacy.export": L("下载个人信息副本"),
    "privacy.erase": L("注销账号并删除个人信息"),
    "api_token.create": L("创建接口令牌"),
    "api_token.revoke": L("吊销接口令牌"),
    "api_token.revoke_all": L("吊销全部接口令牌"),
    "auth.second_factor_enrol": L("绑定动态口令"),
    "auth.second_factor_remove": L("解除动态口令"),
    "auth.session_end": L("结束登录会话"),
    "staff.grant": L("授予工作职责"),
    "staff.revoke": L("撤销工作职责"),
    "organisation.register": L("登记机构"),
    "organisation.update": L("修改机构信息"),
    "organisation.document_upload": L("上传机构认证材料"),
    "organisation.document_remove": L("删除机构认证材料"),
    "organisation.add_member": L("添加机构成员"),
    "organisation.invite_member": L("邀请加入机构"),
    "organisation.request_membership": L("申请加入机构"),
    "organisation.member_join": L("加入机构"),
    "organisation.invitation_declined": L("谢绝机构邀请或加入申请"),
    "organisation.invitation_cancelled": L("撤回机构邀请或加入申请"),
    "organisation.member_leave": L("退出机构"),
    "organisation.submitted": L("重新提交机构认证"),
    "organisation.verified": L("机构认证通过"),
    "organisation.returned": L("退回机构认证"),
    "notifications.email_preferences": L("修改邮件通知设置"),
    # achievements, demands, packages
    "achievement.create": L("新建科技成果"),
    "achievement.update": L("修改科技成果"),
    "achievement.draft": L("科技成果退回草稿"),
    "achievement.submitted": L("提交科技成果审核"),
    "achievement.returned": L("退回科技成果"),
    "achievement.published": L("发布科技成果"),
    "achievement.closed": L("关闭科技成果"),
    "achievement.expired": L("科技成果到期下架"),
    "achievement.attach": L("上传科技成果附件"),
    "achievement.detach": L("删除科技成果附件"),
    "achievement.import": L("批量导入科技成果"),
    "demand.create": L("新建技术需求"),
    "demand.update": L("修改技术需求"),
    "demand.draft": L("技术需求退回草稿"),
    "demand.submitted": L("提交技术需求审核"),
    "demand.returned": L("退回技术需求"),
    "demand.published": L("发布技术需求"),
    "demand.closed": L("关闭技术需求"),
    "demand.expired": L("技术需求到期下架"),
    "demand.attach": L("上传技术需求附件"),
    "demand.detach": L("删除技术需求附件"),
    "demand.import": L("批量导入技术需求"),
    "demand.invite": L("邀请机构响应需求"),
    "demand.uninvite": L("取消响应需求的邀请"),
    "import.start": L("开始批量导入"),
    "package.create": L("新建成果包"),
    "package.update": L("修改成果包"),
    "package.draft": L("成果包改回编辑中"),
    "package.published": L("发布成果包"),
    "package.withdrawn": L("撤下成果包"),
    # search
    "search.novelty_report": L("生成查新报告"),
    "search.patents_imported": L("导入专利文献"),
    "saved_search.create": L("保存检索条件"),
    "saved_search.delete": L("删除保存的检索"),
    "synonym.create": L("新增同义词"),
    "synonym.update": L("修改同义词"),
    "synonym.delete": L("删除同义词"),
    # market
    "market.negotiation.open": L("发起洽谈"),
    "market.negotiation.message": L("洽谈留言"),
    "market.negotiation.offer": L("洽谈报价"),
    "market.negotiation.agreed": L("洽谈达成一致"),
    "market.negotiation.invite": L("邀请技术经纪人参与洽谈"),
    "market.negotiation.broker_accepted": L("中介方接受洽谈邀请"),
    "market.negotiation.broker_declined": L("中介方谢绝洽谈邀请"),
    "market.negotiation.broker_withdrawn": L("撤回洽谈中介邀请"),
    "market.negotiation.closed": L("结束洽谈"),
    "market.listing.create": L("挂牌"),
    "market.listing.intent": L("登记受让意向"),
    "market.listing.intent_withdrawn": L("撤回受让意向"),
    "market.listing.withdrawn": L("撤牌"),
    "market.listing.notice": L("挂牌重新公示"),
    "market.listing.sold": L("挂牌成交"),
    "market.listing.to_auction": L("挂牌转入竞价"),
    "market.listing.unsold": L("挂牌期满无意向"),
    "market.auction.create": L("发布拍卖"),
    "market.auction.register": L("报名竞买"),
    "market.auction.deposit_paid": L("确认竞买保证金到账"),
    "market.auction.bid": L("出价"),
    "market.auction.reschedule": L("调整拍卖时间"),
    "market.auction.cancel": L("取消拍卖"),
    "market.auction.scheduled": L("拍卖重新安排"),
    "market.auction.sold": L("拍卖成交"),
    "market.auction.unsold": L("拍卖流拍"),
    "market.auction.cancelled": L("拍卖已取消"),
    "market.deal": L("达成交易"),
    "market.deal.contract_drafted": L("交易生成技术合同草稿"),
    # contracts
    "contract.create": L("新建技术合同"),
    "contract.update": L("修改技术合同"),
    "contract.attach": L("上传合同文本"),
    "contract.draft": L("技术合同退回草稿"),
    "contract.submitted": L("提交技术合同登记"),
    "contract.returned": L("退回技术合同"),
    "contract.registered": L("登记技术合同"),
    "contract.refused": L("技术合同不予登记"),
    "contract.reversed": L("撤销技术合同登记"),
    # policy
    "policy.entitlement_computed": L("计算政策兑现金额"),
    "policy.entitlement_confirmed": L("受益方确认政策兑现"),
    "policy.entitlement_granted": L("评审核定政策兑现金额"),
    "policy.attachment_added": L("上传政策申请材料"),
    "policy.entitlement_first_approved": L("政策兑现财务初审通过"),
    "policy.entitlement_approved": L("政策兑现财务复审通过"),
    "policy.entitlement_paid": L("拨付政策兑现资金"),
    "policy.entitlement_rejected": L("驳回政策兑现"),
    "policy.entitlement_reversed": L("冲销政策兑现"),
    "policy.application_invited": L("邀请申报政策支持"),
    "policy.application_submitted": L("提交政策支持申请"),
    "policy.application_withdrawn": L("撤回政策支持申请"),
    "policy.application_refused": L("不予支持政策申请"),
    "policy.application_granted": L("批准政策支持申请"),
    "policy.distribution_scheme": L("设定收益分配方案"),
    "policy.income_distributed": L("登记成果转化收益分配"),
    "policy.entitlement_superseded": L("政策兑现被择优项目取代"),
    "policy.parameter_proposed": L("提出政策参数调整"),
    "policy.parameter_approved": L("批准政策参数调整"),
    "policy.parameter_rejected": L("退回政策参数调整"),
    "policy.document_adopted": L("记录政策文件施行"),
    # vouchers
    "voucher_pool.create": L("设立创新券资金池"),
    "voucher_pool.adjust": L("调整创新券资金池预算"),
    "voucher_certification.record": L("登记企业资质认定"),
    "voucher_application.submit": L("提交创新券申请"),
    "voucher_application.submitted": L("重新提交创新券申请"),
    "voucher_application.approved": L("批准创新券申请"),
    "voucher_application.returned": L("退回创新券申请"),
    "voucher_application.withdrawn": L("撤回创新券申请"),
    "voucher.issue": L("发放创新券"),
    "voucher.active": L("创新券恢复有效"),
    "voucher.expired": L("创新券过期"),
    "voucher.revoked": L("作废创新券"),
    "voucher_service.submit": L("提交服务入库申请"),
    "voucher_service.revise": L("修改服务并重新提交"),
    "voucher_service.submitted": L("服务重新提交审核"),
    "voucher_service.approved": L("服务审核入库"),
    "voucher_service.returned": L("退回服务入库申请"),
    "voucher_relation.record": L("登记关联关系"),
    "voucher_order.place": L("用券下单"),
    "voucher_order.placed": L("创新券订单重新下单"),
    "voucher_order.delivered": L("服务机构确认交付"),
    "voucher_order.claimed": L("服务机构申请兑付"),
    "voucher_order.confirmed": L("企业确认服务"),
    "voucher_order.settled": L("创新券订单结算"),
    "voucher_order.cancelled": L("取消创新券订单"),
    # enterprise profiles, the listing reserve and annual reports (insights)
    "enterprise_profile.certification": L("登记企业资质认定（小巨人等）"),
    "enterprise_reserve.criterion_set": L("设定上市后备资源库入库条件"),
    "enterprise_reserve.criterion_deleted": L("删除上市后备资源库入库条件"),
    "enterprise_reserve.added": L("企业列入上市后备资源库"),
    "enterprise_reserve.removed": L("企业移出上市后备资源库"),
    "annual_report.requested": L("生成年度报告"),
    "annual_report.published": L("发布年度报告"),
    "annual_report.unpublished": L("撤回年度报告"),
    # facilities
    "instrument.register": L("登记仪器设备"),
    "instrument.price": L("修改仪器收费标准"),
    "instrument.maintenance": L("登记仪器维护停用"),
    "booking.request": L("申请预约仪器"),
    "booking.requested": L("仪器预约重新待确认"),
    "booking.approved": L("确认仪器预约"),
    "booking.refused": L("拒绝仪器预约"),
    "booking.cancelled": L("取消仪器预约"),
    "booking.completed": L("登记仪器使用完成"),
    "booking.rate": L("评价仪器服务"),
    # events (community/events)
    "events.event.publish": L("发布活动"),
    "events.event.cancel": L("取消活动"),
    "events.registration.submit": L("报名参加活动"),
    "events.registration.approved": L("活动报名通过"),
    "events.registration.rejected": L("活动报名未通过"),
    "events.registration.cancelled": L("取消活动报名"),
    "events.registration.check_in": L("活动签到"),
    "events.roadshow.add": L("安排成果路演"),
    "events.interest.set": L("登记洽谈意向"),
    "events.interest.clear": L("撤回洽谈意向"),
    "events.availability.set": L("登记可参加的洽谈场次"),
    "events.schedule.generate": L("生成一对一洽谈排程"),
    "events.schedule.publish": L("发布一对一洽谈排程"),
    "events.meeting.outcome": L("登记一对一洽谈结果"),
    "events.meeting.negotiation": L("一对一洽谈转入在线洽谈"),
    # the expert registry (community)
    # brokers and transfer institutions (community.institutions)
    "broker.register": L("登记技术经纪（理）人"),
    "broker.update": L("修改技术经纪（理）人信息"),
    "broker.training": L("登记技术经纪（理）人培训"),
    "broker.rated": L("评价技术经纪（理）人"),
    "broker.certificate_approved": L("核验通过技术经纪人证书"),
    "broker.certificate_returned": L("退回技术经纪人证书"),
    "institution.filing_submitted": L("提交技术转移机构备案申请"),
    "institution.filing_approved": L("准予技术转移机构备案"),
    "institution.filing_returned": L("退回技术转移机构备案申请"),
    "institution.report_opened": L("开始填报技术转移机构年度报告"),
    "institution.report_saved": L("保存技术转移机构年度报告草稿"),
    "institution.report_submitted": L("提交技术转移机构年度报告"),
    "institution.assessed": L("技术转移机构绩效人工评分"),
    "institution.scored": L("计算技术转移机构绩效评分"),
    "community.expert.applied": L("申请加入专家库"),
    "community.expert.updated": L("修改专家信息"),
    "community.expert.resubmitted": L("修改后重新提交专家入库申请"),
    "community.expert.approved": L("专家入库申请通过"),
    "community.expert.rejected": L("专家入库申请未通过"),
    "community.expert.suspended": L("暂停专家资格"),
    "community.expert.reinstated": L("恢复专家资格"),
    "community.invitation.sent": L("邀请专家入库"),
    "community.talent.updated": L("修改人才资源库信息"),
    "exchange.question.asked": L("公开提问"),
    "exchange.question.answered": L("回答咨询"),
    "exchange.question.hidden": L("隐藏问答（审核）"),
    "exchange.notice.published": L("发布通知公告"),
    "exchange.notice.withdrawn": L("撤回通知公告"),
    "exchange.conversation.opened": L("发起人才对接洽谈"),
    "exchange.message.sent": L("发送人才对接消息"),
    "community.invitation.accepted": L("接受专家入库邀请"),
    "community.invitation.declined": L("谢绝专家入库邀请"),
    # 揭榜挂帅 (programs/challenges)
    "challenges.challenge.create": L("创建揭榜挂帅榜单"),
    "challenges.challenge.update": L("修改揭榜挂帅榜单"),
    "challenges.challenge.pending_review": L("提交揭榜挂帅榜单审核"),
    "challenges.challenge.returned": L("退回揭榜挂帅榜单"),
    "challenges.challenge.open": L("发布揭榜挂帅榜单"),
    "challenges.challenge.reviewing": L("揭榜挂帅榜单结束征集，进入专家评审"),
    "challenges.challenge.closed_early": L("揭榜挂帅榜单在截止日期前提前结束征集"),
    "challenges.challenge.awarded": L("揭榜挂帅榜单选定揭榜方"),
    "challenges.challenge.unawarded": L("揭榜挂帅榜单未揭榜"),
    "challenges.challenge.in_progress": L("揭榜挂帅进入攻关"),
    "challenges.challenge.accepted": L("揭榜挂帅通过市场验收"),
    "challenges.attachment.add": L("上传揭榜挂帅榜单附件"),
    "challenges.proposal.submit": L("提交揭榜方案"),
    "challenges.proposal.score": L("专家为揭榜方案评分"),
    "challenges.proposal.select": L("选定揭榜方案并生成技术开发合同草稿"),
    "challenges.panel.add": L("遴选揭榜挂帅评审专家"),
    "challenges.panel.refused": L("评审专家须回避，未予遴选"),
    "challenges.panel.recused": L("揭榜挂帅评审专家申请回避"),
    "challenges.milestone.report": L("报告揭榜攻关里程碑交付"),
    "challenges.milestone.accepted": L("确认揭榜攻关里程碑"),
    "challenges.milestone.returned": L("退回揭榜攻关里程碑"),
    "challenges.acceptance.record": L("登记揭榜挂帅市场验收结果"),
    "challenges.acceptance.subsidy_applied": L("申请揭榜挂帅补助"),
    "challenges.acceptance.subsidy_refused": L("揭榜挂帅补助申请未能提出"),
    # project calls (programs)
    "programs.call.created": L("创建项目申报指南"),
    "programs.call.updated": L("修改项目申报指南"),
    "programs.call.published": L("发布项目申报指南"),
    "programs.call.review_started": L("项目申报截止，进入评审"),
    "programs.application.created": L("填写项目申报书"),
    "programs.application.updated": L("修改项目申报书"),
    "programs.application.attachment_added": L("上传项目申报书附件"),
    "programs.application.submitted": L("提交项目申报书"),
    "programs.application.accepted": L("项目申报书通过形式审查"),
    "programs.application.returned": L("项目申报书退回修改"),
    "programs.assignment.started": L("开始分配评审专家"),
    "programs.assignment.written": L("分配评审专家"),
    "programs.assignment.swapped": L("更换评审专家"),
    "programs.review.submitted": L("提交项目评审意见"),
    "programs.review.recused": L("评审专家申请回避"),
    "programs.call.approved": L("确定拟立项项目及资助金额"),
    "programs.call.notice_published": L("发布立项公示"),
    "programs.objection.raised": L("对拟立项项目提出异议"),
    "programs.objection.answered": L("答复立项公示异议"),
    "programs.call.established": L("项目申报指南正式立项"),
    # funded projects (programs/projects)
    "projects.created": L("科技计划项目立项"),
    "projects.officer_assigned": L("指派项目专员"),
    "projects.milestone_added": L("添加项目节点目标"),
    "projects.milestone_reported": L("报告项目节点完成情况"),
    "projects.milestone_confirmed": L("确认项目节点目标"),
    "projects.milestone_returned": L("退回项目节点报告"),
    "projects.report_submitted": L("提交项目进展报告"),
    "projects.disbursed": L("登记项目经费拨付"),
    "projects.mid_term_recorded": L("记录项目中期检查结论"),
    "projects.final_report_submitted": L("提交项目科技报告"),
    "projects.panel_formed": L("组建项目验收专家组"),
    "projects.opinion_recorded": L("提交项目验收意见"),
    "projects.acceptance_concluded": L("记录项目验收结论"),
    "projects.achievement_drafted": L("项目成果登记为科技成果草稿"),
    # the patent pool (programs/patent_pool, 专利收储与运营)
    "patent_pool.patent.declare": L("登记发明专利"),
    "patent_pool.patent.project": L("登记财政资助项目的发明专利"),
    "patent_pool.patent.flagged": L("发明专利标记为授权后未实施"),
    "patent_pool.patent.implemented": L("发现发明专利的技术合同或交易，确认已实施"),
    "patent_pool.patent.implementation": L("登记发明专利实施情况"),
    "patent_pool.case.open": L("发明专利提请收储"),
    "patent_pool.case.offer": L("申请收储拟放弃的发明专利"),
    "patent_pool.case.withdraw": L("撤回专利收储申请"),
    "patent_pool.case.acquire": L("决定收储发明专利"),
    "patent_pool.case.refuse": L("决定不予收储发明专利"),
    "patent_pool.pool.create": L("设立专利池"),
    "patent_pool.pooled.update": L("更新池内专利的运营状态"),
    "patent_pool.fee.schedule": L("登记池内专利年费缴纳计划"),
    "patent_pool.fee.paid": L("登记池内专利年费缴纳"),
    "patent_pool.proceeds": L("登记池内专利运营收益"),
    # county innovation development index and targets (insights)
    "innovation_index.year.opened": L("开放县域创新发展指数年度录入"),
    "innovation_index.method.updated": L("设置县域创新发展指数标准化方法和权重"),
    "innovation_index.inputs.imported": L("导入县域创新发展指数输入数据"),
    "innovation_index.input.updated": L("录入县域创新发展指数输入数据"),
    "innovation_index.year.published": L("发布县域创新发展指数"),
    "targets.actual.entered": L("录入发展目标实际值"),
}

UNKNOWN = L("其他操作")

# Actors that are not people: the names services write for them.
SYSTEM_ACTORS: dict[str, str] = {
    "scheduler": L("系统定时任务"),
    "payment-hook": L("支付回调"),
    "manage.py import-patents": L("命令行导入"),
}


def actor_label(actor_name: str, display_name: str = "") -> str:
    """Who acted, as a person reads it: the name, a system actor in words, else the login name."""
    if display_name:
        return display_name
    system = SYSTEM_ACTORS.get(actor_name)
    return str(system) if system is not None else actor_name


def action_label(code: str) -> str:
    """The Chinese name of an audit action code ("auth.login" → "登录")."""
    label = ACTIONS.get(code)
    return str(label) if label is not None else str(UNKNOWN)


def is_known(code: str) -> bool:
    return code in ACTIONS


def known_codes() -> list[str]:
    return list(ACTIONS)


def _model(label: str):
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


# Models that do not name themselves (no ``Meta.verbose_name``: Django would show the class name,
# "application"), named here so that the 对象类型 column never shows English.
TYPE_NAMES: dict[str, str] = {
    "policy.application": L("政策支持申请"),
    "policy.distributionscheme": L("收益分配方案"),
    "policy.incomedistribution": L("成果转化收益分配"),
    "policy.capusage": L("政策年度限额使用"),
    "policy.ledgerentry": L("政策资金台账"),
    "contracts.paymentinstalment": L("合同付款计划"),
    "contracts.nontechnicalitem": L("合同非技术性费用"),
    "catalog.packageitem": L("成果包条目"),
    "programs.partner": L("合作单位"),
    "programs.teammember": L("项目团队成员"),
    "programs.milestone": L("项目进度安排"),
    "programs.budgetline": L("项目预算"),
    "programs.attachment": L("申报书附件"),
    "programs.reviewassignment": L("评审任务"),
    "programs.objection": L("立项公示异议"),
    "challenges.committedvalue": L("揭榜承诺指标"),
    "challenges.measurement": L("验收测量值"),
    "innovation_index.indexinput": L("县域创新发展指数输入数据"),
    "innovation_index.indexscore": L("县域创新发展指数得分"),
    "facilities.bookedslot": L("仪器预约时段"),
}


def target_type_label(label: str) -> str:
    """ "catalog.achievement" → "科技成果": the model's own Chinese name (or, for a model that does
    not name itself, the name in TYPE_NAMES); never the class name."""
    model = _model(label) if label else None
    if model is None:
        return _("其他") if label else ""
    if "verbose_name" in model._meta.original_attrs:
        return str(model._meta.verbose_name)
    return str(TYPE_NAMES.get(label, _("其他")))


# The events a policy rule is claimed for (``trigger`` in policy/packages/*.yaml), in words.
POLICY_EVENTS: dict[str, str] = {
    "high_tech_certified": L("认定为高新技术企业"),
    "academician_conversion": L("院士向本地企业转化科技成果"),
    "academician_first_industrialisation": L("院士成果国内首次产业化"),
    "award_winning_conversion": L("省级以上获奖成果在本地转化"),
    "challenge_accepted": L("揭榜挂帅项目通过市场验收"),
    "city_incubator_certified": L("认定为市级科技企业孵化器"),
    "funded_project_accepted": L("财政科技计划项目通过验收"),
    "incubator_outstanding": L("科技企业孵化器运营成效突出"),
    "international_cooperation_assessed": L("国际科技合作基地（园区）通过考核"),
    "national_innovation_centre_approved": L("获批国家技术创新中心"),
    "national_innovative_enterprise": L("认定为国家级创新型（试点）企业"),
    "national_ip_demonstration": L("认定为国家知识产权示范或试点企业"),
    "national_patent_gold_award": L("获国家专利金奖"),
    "national_progress_award": L("获国家科学技术进步奖"),
    "new_rd_institution_evaluated": L("新型研发机构绩效评价"),
    "pilot_platform_assessed": L("中试平台（基地）开放共享考核"),
    "service_platform_assessed": L("科技成果转化综合性服务平台年度考核"),
    "shuangchuang_team_selected": L("入选市级高层次“双创”人才团队"),
    "talent_led_project_selected": L("入选高端人才领军项目"),
    "tto_performance": L("技术转移机构建设成效评价"),
}


def policy_event_label(code: str) -> str:
    """ "high_tech_certified" → "认定为高新技术企业"; an event not listed: the title of a rule it
    triggers, else 其他事项 (never the code)."""
    if code in POLICY_EVENTS:
        return str(POLICY_EVENTS[code])
    from zhouqiao.policy import engine

    rule = next((r for r in engine.all_rules() if r.trigger == code), None)
    return rule.title if rule is not None else str(_("其他事项"))


def rule_label(rule_id: str) -> str:
    """A policy rule by its title ("高新技术企业认定奖励（县区后补助）"), never its id."""
    from zhouqiao.policy import engine

    rule = engine.rule_by_id(rule_id) if rule_id else None
    return rule.title if rule is not None else str(_("其他政策规则"))


def clause_label(clause: str) -> str:
    """ "001#20" → "《长春市加快科技创新发展若干政策措施》第二十条"."""
    from zhouqiao.policy.describe import cite

    return cite(clause).text


def _policy_document(code: str) -> str:
    from zhouqiao.policy.describe import package

    pkg = package(code)
    return f"《{pkg.short_title}》" if pkg else str(_("政策文件"))


def _parameter(name: str) -> str:
    from zhouqiao.policy.describe import parameter_label

    return parameter_label(name)


@functools.lru_cache(maxsize=1024)  # the GB/T 2260 divisions are reference data: they do not change
def region_words(code: str) -> str:
    """A region code or prefix in words: "22" or "220000" → 吉林省, "2201" → 长春市,
    "220104" → 长春市朝阳区 (the province only when it is the region itself)."""
    from zhouqiao.core.models import Region

    code = str(code).strip()
    if not code.isdigit() or len(code) > 6:
        return str(_("其他地区"))
    code = code.ljust(6, "0")
    names = dict(
        Region.objects.filter(code__in={code, code[:4] + "00", code[:2] + "0000"}).values_list("code", "name")
    )
    if code not in names:
        return str(_("其他地区"))
    chain = [code[:2] + "0000", code[:4] + "00", code]
    words = [names[c] for c in dict.fromkeys(chain) if names.get(c) and names[c] not in ("市辖区", "县")]
    return "".join(words[1:] if len(words) > 1 else words)


def _duty(code: str) -> str:
    from zhouqiao.accounts.models import Duty

    return str(dict(Duty.choices).get(code, _("其他职责")))


def _organisation_kinds(kinds) -> str:
    from zhouqiao.accounts.models import OrganisationKind

    labels = dict(OrganisationKind.choices)
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return "、".join(str(labels.get(k, _("其他"))) for k in kinds) or str(_("不限"))


def _modes(value) -> str:
    """A ``ModesField`` value (",transfer,licence,") as its labels: 转让、许可."""
    from zhouqiao.catalog.models import TransferMode

    labels = dict(TransferMode.choices)
    return "、".join(str(labels.get(m, _("其他"))) for m in str(value).split(",") if m)


def _drafted(value) -> str:
    return str(_("已生成"))


def _amount(value) -> str:
    from zhouqiao.core.money import format_yuan

    try:
        return format_yuan(value)
    except (ArithmeticError, ValueError, TypeError):
        return str(value)


def _plain(value) -> str:
    return str(value)


# A value the model stores as a code, in words: (object type, field) → its Chinese.
VALUE_WORDS = {
    ("programs.call", "region_prefix"): region_words,
    ("programs.call", "organisation_kinds"): _organisation_kinds,
    ("market.deal", "contract_id"): _drafted,
    ("policy.application", "rule_id"): rule_label,
    ("policy.entitlement", "rule_id"): rule_label,
    ("policy.parameterchange", "rule_id"): rule_label,
    ("policy.application", "event"): policy_event_label,
    ("policy.application", "clause"): clause_label,
    ("policy.entitlement", "clause"): clause_label,
    ("policy.parameterchange", "package"): _policy_document,
    ("policy.parameterchange", "name"): _parameter,
}

# Keys an audit record carries that are not fields of its object (what a grant granted, what a bid
# offered): (object type, key) → (label, how its value reads). Keys not here and not fields of the
# object are left to the CSV, never shown raw.
EXTRA_KEYS = {
    ("accounts.user", "duty"): (L("职责"), _duty),
    ("accounts.user", "jurisdiction"): (L("管辖区域"), region_words),
    ("market.auction", "amount"): (L("出价"), _amount),
    ("projects.project", "amount"): (L("本次拨付"), _amount),
    ("projects.project", "total"): (L("累计拨付"), _amount),
    ("projects.project", "paid_on"): (L("拨付日期"), _plain),
    ("projects.project", "deliverable"): (L("节点成果"), _plain),
    ("projects.project", "due_date"): (L("完成期限"), _plain),
    ("patent_pool.pooledpatent", "amount"): (L("年费金额"), _amount),
    ("patent_pool.pooledpatent", "due_on"): (L("缴费期限"), _plain),
    ("vouchers.pool", "budget"): (L("预算"), _amount),
    ("vouchers.serviceorder", "redeemed"): (L("兑付金额"), _amount),
    ("vouchers.serviceorder", "voucher"): (L("券号"), _plain),
    ("challenges.proposal", "score"): (L("评分"), _plain),
    ("challenges.proposal", "comment"): (L("评审意见"), _plain),
    ("challenges.challenge", "reason"): (L("遴选理由"), _plain),
    ("challenges.acceptance", "ceiling"): (L("补助上限"), _amount),
    ("accounts.organisation", "total"): (L("绩效得分"), _plain),
    ("accounts.organisation", "year"): (L("年度"), _plain),
}

INTERNAL_REFERENCE = re.compile(r"^[a-z_]+[:#]\d+$")
YUAN_SUFFIX = re.compile(r"[（(]元[）)]$")


def _is_money(field) -> bool:
    from zhouqiao.core.money import MoneyField

    return isinstance(field, MoneyField)


def _moment(value) -> str:
    """A stored ISO date-time in local time as a clerk reads it: 2026-12-05 01:49."""
    from datetime import datetime

    from django.utils import timezone

    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.strftime("%Y-%m-%d %H:%M")


def _field_value(field, value) -> str:
    if value is None or value == "":
        return "—"
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field is not None and _is_money(field):
        from zhouqiao.core.money import format_yuan

        try:
            return format_yuan(value)
        except (ArithmeticError, ValueError, TypeError):
            return str(value)
    if isinstance(field, DateTimeField) and isinstance(value, str):
        return _moment(value)
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, list | dict):
        value = "、".join(str(v) for v in value) if isinstance(value, list) else str(value)
    text = str(value)
    return text if len(text) <= 40 else text[:39] + "…"


def changes(event) -> list[str]:
    """What an event changed, in words: "状态：待审核 → 已认证" (field names and choice values in
    Chinese, from the target model; fields the model does not know keep their value only)."""
    model = _model(event.target_type) if event.target_type else None
    before = event.before if isinstance(event.before, dict) else {}
    after = event.after if isinstance(event.after, dict) else {}
    lines = []
    for name in list(dict.fromkeys([*before, *after])):
        field = None
        if model is not None:
            try:
                field = model._meta.get_field(name)
            except Exception:  # noqa: BLE001 — a key that is not a field (a computed snapshot entry)
                field = None
        old, new = before.get(name), after.get(name)
        if field is None or not hasattr(field, "verbose_name"):
            extra = EXTRA_KEYS.get((event.target_type, name))
            if extra is None:
                continue  # a technical key with no name a clerk would know: left to the CSV
            label, render = str(extra[0]), extra[1]
            old, new = (render(v) if v not in (None, "") else None for v in (old, new))
            _add_line(lines, label, None, name in before, name in after, old, new)
            continue
        label = str(field.verbose_name)
        words = VALUE_WORDS.get((event.target_type, name))
        if field.is_relation or (isinstance(field, JSONField) and words is None) or "hash" in name:
            continue  # an internal id, a structure or a digest: left to the CSV
        if type(field).__name__ == "ModesField":  # ",transfer,licence," → 转让、许可
            words = _modes
        if isinstance(field, FileField):  # a stored path: say only whether there is a file
            old, new = (_("已上传") if v else None for v in (old, new))
        elif any(isinstance(v, str) and INTERNAL_REFERENCE.match(v) for v in (old, new)):
            continue  # an internal reference ("application:3"): the raw value stays in the CSV
        elif words is not None:  # a code (rule, event, clause): in words
            old, new = (
                words(v if isinstance(v, list) else str(v)) if v not in (None, "") else None
                for v in (old, new)
            )
        if _is_money(field):  # the unit is in the amount itself ("5万元"): not twice
            label = YUAN_SUFFIX.sub("", label)
        if words is not None:
            field = None  # the value is in words already: no choices or amounts to apply again
        _add_line(lines, label, field, name in before, name in after, old, new)
    return lines


def _add_line(lines, label, field, had, has, old, new) -> None:
    if had and has:
        if old != new:
            lines.append(f"{label}：{_field_value(field, old)} → {_field_value(field, new)}")
    elif has:
        lines.append(f"{label}：{_field_value(field, new)}")
    else:
        lines.append(f"{label}：{_field_value(field, old)} → —")


# --- the 对象 column: the record as a clerk names it -------------------------------------------

CLAUSE_CODE = re.compile(r"(?<![\w#])(\d{3}#\d+)(?![\w#])")
CEILING = re.compile(r"≤(\d+(?:\.\d{1,2})?)(?![\d.])")
BARE_AMOUNT = re.compile(r"(?<![\w.,#:/-])(\d+\.\d{2})(?![\w.%])")
POLICY_APPLICATION = re.compile(r"^(\S+) (\d+) ≤(\d+(?:\.\d+)?)$")


def _yuan(text: str) -> str:
    from zhouqiao.core.money import format_yuan

    return format_yuan(text)


def _reworded(text: str) -> str:
    """A stored description with its clause codes and bare amounts in words:
    "001#18 吉林大学 300.00" → "《长春市加快科技创新发展若干政策措施》第十八条 吉林大学 300.00元"."""
    text = CLAUSE_CODE.sub(lambda m: clause_label(m.group(1)), text)
    text = CEILING.sub(lambda m: _("最高%(amount)s") % {"amount": _yuan(m.group(1))}, text)
    return BARE_AMOUNT.sub(lambda m: _yuan(m.group(1)), text)


def target_texts(events) -> dict[int, str]:
    """The 对象 of each event (by its pk) in words, in at most two queries. The stored description
    (``target_repr``) was written for developers by some models ("001#20 5 ≤100000.00": clause,
    organisation id, ceiling); it is said again here with the document and article, the
    organisation's name and the amount with its unit. Other descriptions keep their words, with any
    clause code or bare amount in them reworded."""
    from zhouqiao.accounts.models import Organisation

    events = list(events)
    applications = {
        e.pk: m
        for e in events
        if e.target_type == "policy.application" and (m := POLICY_APPLICATION.match(e.target_repr or ""))
    }
    names = (
        dict(
            Organisation.objects.filter(pk__in={int(m.group(2)) for m in applications.values()}).values_list(
                "pk", "name"
            )
        )
        if applications
        else {}
    )
    changes_ = {
        e.target_id for e in events if e.target_type == "policy.parameterchange" and e.target_id.isdigit()
    }
    summaries = {}
    if changes_:
        from zhouqiao.policy.describe import change_summary
        from zhouqiao.policy.models import ParameterChange

        summaries = {str(c.pk): change_summary(c) for c in ParameterChange.objects.filter(pk__in=changes_)}
    out = {}
    for e in events:
        if (m := applications.get(e.pk)) is not None:
            clause, organisation, ceiling = m.groups()
            out[e.pk] = _("%(clause)s · %(organisation)s · 最高%(ceiling)s") % {
                "clause": clause_label(clause),
                "organisation": names.get(int(organisation), _("已删除的机构")),
                "ceiling": _yuan(ceiling),
            }
        elif e.target_id in summaries and e.target_type == "policy.parameterchange":
            out[e.pk] = summaries[e.target_id]
        else:
            out[e.pk] = _reworded(e.target_repr or "")
    return out

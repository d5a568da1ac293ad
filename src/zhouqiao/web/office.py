"""The back office (管理后台, /office/): for each duty a person holds, the working pages of that duty.

A page shows only to those it lets in: the check is :func:`zhouqiao.web.navigation.allowed` (the
menu's "links this user may open", ``navigation.LINK_ALLOWED``), so the office never links into a
refusal. A page listed under two duties shows under the first the person holds.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhouqiao.accounts.models import Duty
from zhouqiao.web import navigation

# duty: its working pages, (label, URL name), in the order a person of that duty uses them.
DUTY_PAGES: dict[str, tuple[tuple[str, str], ...]] = {
    Duty.REVIEWER: (
        (_("成果与需求审核"), "catalog:review_queue"),
        (_("机构认证审核"), "web:verification_queue"),
        (_("技术转移机构备案审核"), "institutions:filing_queue"),
        (_("发布成果包"), "catalog:package_create"),
        (_("交易监管"), "market:oversight"),
        (_("检索同义词维护"), "search:synonyms"),
    ),
    Duty.REGISTRAR: (
        (_("技术合同认定登记"), "contracts:list"),
        (_("技术合同登记统计"), "contracts:statistics"),
    ),
    Duty.FINANCE: (
        (_("奖补兑现审批与拨付"), "policy:finance"),
        (_("创新券业务办理"), "vouchers:office"),
        (_("专利文献导入"), "search:patent_import"),
    ),
    Duty.STATISTICS: (
        (_("指数数据管理"), "innovation_index:manage"),
        (_("发展目标与进展"), "targets:target_list"),
        (_("年度报告"), "annual_reports:report_list"),
        (_("科技型企业上市后备资源库"), "enterprise_profiles:reserve"),
        (_("技术转移机构评价排名"), "institutions:ranking"),
        (_("仪器开放共享评价"), "facilities:evaluation"),
    ),
    Duty.POLICY_EDITOR: ((_("政策参数调整"), "policy:changes"),),
    Duty.PROGRAM_OFFICER: (
        (_("专家入库审核"), "community:review_queue"),
        (_("科技计划项目申报"), "programs:call_list"),
        (_("立项项目管理"), "projects:manage_list"),
        (_("揭榜挂帅榜单"), "challenges:board"),
        (_("专利收储与运营"), "patent_pool:staff"),
    ),
    Duty.SYSTEM_ADMIN: (
        (_("专利文献导入"), "search:patent_import"),
        (_("检索同义词维护"), "search:synonyms"),
    ),
    Duty.AUDIT_ADMIN: ((_("查询与导出审计记录"), "web:audit_log"),),
    Duty.SECURITY_ADMIN: ((_("人员授权"), "web:staff_grants"),),
}


@dataclass(frozen=True)
class DutySection:
    duty: str
    label: str
    jurisdictions: tuple[str, ...]
    links: tuple[tuple[str, str], ...]  # (label, url)


def sections(user, assignments) -> list[DutySection]:
    """One section per duty held (in the order of ``Duty``), with the jurisdictions it is held for
    and the pages of the duty this user may open."""
    held: dict[str, list[str]] = {}
    for a in assignments:
        held.setdefault(a.duty, []).append(a.jurisdiction.name)
    shown: set[str] = set()
    out = []
    for duty in Duty:
        if duty not in held:
            continue
        links = []
        for label, url_name in DUTY_PAGES.get(duty, ()):
            if url_name in shown or not navigation.allowed(url_name, user):
                continue
            shown.add(url_name)
            links.append((label, reverse(url_name)))
        out.append(
            DutySection(
                duty=duty,
                label=duty.label,
                jurisdictions=tuple(dict.fromkeys(held[duty])),
                links=tuple(links),
            )
        )
    return out

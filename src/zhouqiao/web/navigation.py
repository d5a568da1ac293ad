"""The functions of the "科创一网通" platform (seed 001 #13) and where each lives.

A top-menu item opens the *working page* of its function straight away (the first of its
``entry`` pages the user may open), not a page of links. The function's other pages stay one
click away in a strip of its links (:func:`strip`), shown on every page of the function.

A function without links is not built: it is left out of the menu and the home page, so nobody
clicks into a dead end ("show what exists"); ``/f/<slug>/`` still says so honestly.
"""

import functools
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty
from zhouqiao.search import patents


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated)


def _reviewer(user) -> bool:
    return _signed_in(user) and scope.has_duty(user, Duty.REVIEWER)


def _holds(duty: str):
    def check(user) -> bool:
        return _signed_in(user) and scope.has_duty(user, duty)

    return check


def _may_apply_for_contract(user) -> bool:
    """A visitor is shown the way (to the login form); a signed-in person only if the service
    would take their application (catalog.posting: no administrator, no bureau as seller; the
    seller verified)."""
    from zhouqiao.catalog import posting

    return not _signed_in(user) or bool(posting.organisations_for(user, posting.CONTRACT, verified_only=True))


def _posts_records(user) -> bool:
    """Posts achievements or demands for an organisation (catalog.posting): not a bureau's clerk."""
    from zhouqiao.catalog import posting

    return _signed_in(user) and (
        posting.may_post_any(user, posting.ACHIEVEMENT) or posting.may_post_any(user, posting.DEMAND)
    )


def _edits_synonyms(user) -> bool:
    from zhouqiao.search.services import may_edit_synonyms

    return _signed_in(user) and may_edit_synonyms(user)


def _edits_policy(user) -> bool:
    from zhouqiao.policy.services import editable_packages

    return _signed_in(user) and scope.has_duty(user, Duty.POLICY_EDITOR) and bool(editable_packages(user))


def _is_broker(user) -> bool:
    from zhouqiao.community.institutions.models import Broker

    return _signed_in(user) and Broker.objects.filter(user=user).exists()


def _sees_institution_ranking(user) -> bool:
    from zhouqiao.community.institutions.access import sees_ranking

    return sees_ranking(user)


# Pages some users would be refused (or that concern only some): the link shows only to those
# the page lets in. A page not named here is open to everyone (personal pages send a visitor to
# the login form, which is where a visitor should go).
LINK_ALLOWED = {
    "contracts:statistics": scope.is_business_staff,
    "facilities:evaluation": scope.is_business_staff,
    "enterprise_profiles:reserve": scope.is_business_staff,
    "vouchers:office": scope.is_business_staff,
    "market:oversight": scope.is_business_staff,
    "search:patent_import": patents.may_import,
    "catalog:review_queue": _reviewer,
    "catalog:mine": _posts_records,
    "web:workspace": _signed_in,
    "exchange:conversation_list": _signed_in,
    "contracts:new": _may_apply_for_contract,
    # The back office's pages of each duty (web.office).
    "web:verification_queue": _reviewer,
    "institutions:filing_queue": _reviewer,
    "catalog:package_create": _reviewer,
    "search:synonyms": _edits_synonyms,
    "policy:finance": _holds(Duty.FINANCE),
    "policy:changes": _edits_policy,
    "innovation_index:manage": _holds(Duty.STATISTICS),
    "institutions:ranking": _sees_institution_ranking,
    "institutions:my_broker": _is_broker,
    "community:review_queue": _holds(Duty.PROGRAM_OFFICER),
    "patent_pool:staff": _holds(Duty.PROGRAM_OFFICER),
    "projects:manage_list": _signed_in,
    "web:audit_log": scope.can_read_audit,
}


@dataclass(frozen=True)
class Function:
    slug: str
    name: str
    summary: str
    # The working page: the first of these the user may open (see LINK_ALLOWED).
    entry: tuple[str, ...] = ()
    # The function's pages, in the order of its strip: (label, URL name).
    links: tuple[tuple[str, str], ...] = ()
    # URL namespaces (or single URL names) whose other pages (details, forms) belong to this function.
    namespaces: tuple[str, ...] = ()

    @property
    def built(self) -> bool:
        return bool(self.links)


PORTAL_FUNCTIONS = [
    Function(
        "news",
        _("信息发布"),
        _("科技创新政策、通知公告与项目指南"),
        entry=("exchange:notice_list",),
        links=(
            (_("通知公告"), "exchange:notice_list"),
            (_("政策条款与奖补规则"), "policy:rules"),
        ),
        namespaces=("exchange:notice_list", "exchange:notice_detail"),
    ),
    Function(
        "resources",
        _("资源整合"),
        _("机构、专家、大型仪器设备共享"),
        # Instruments are the resource people come to use (search, book); the directories are a click away.
        entry=("facilities:index",),
        links=(
            (_("大型仪器设备共享"), "facilities:index"),
            (_("我的仪器预约"), "facilities:bookings"),
            (_("机构名录"), "web:organisations"),
            (_("专家库"), "community:expert_list"),
            (_("人才资源库"), "community:talent"),
            (_("技术转移机构"), "institutions:institution_list"),
            (_("技术经纪人"), "institutions:broker_list"),
            (_("我的经纪人主页"), "institutions:my_broker"),
            (_("科技服务机构与服务"), "vouchers:providers"),
        ),
        namespaces=("facilities", "web:organisation_detail", "community", "institutions"),
    ),
    Function(
        "data",
        _("数据集中"),
        _("开放接口、数据导出与指标监测"),
        # The indicators: staff see their jurisdiction's, everyone else the published figures.
        entry=("insights:dashboard",),
        links=(
            (_("指标监测"), "insights:dashboard"),
            (_("发展目标与进展"), "targets:target_list"),
            (_("县域创新发展指数"), "innovation_index:ranking"),
            (_("年度报告"), "annual_reports:report_list"),
            (_("科技型企业上市后备资源库"), "enterprise_profiles:reserve"),
            (_("技术合同登记统计"), "contracts:statistics"),
            (_("仪器开放共享评价"), "facilities:evaluation"),
            (_("开放数据与接口"), "web:open_data"),
        ),
        namespaces=("insights", "innovation_index", "targets", "annual_reports", "enterprise_profiles"),
    ),
    Function(
        "projects",
        _("项目管理"),
        _("揭榜挂帅与科技计划项目"),
        # The public lists first: what is on the board, which calls are open, what was funded.
        entry=("challenges:board",),
        links=(
            (_("揭榜挂帅榜单"), "challenges:board"),
            (_("科技计划项目申报"), "programs:call_list"),
            (_("立项项目公开"), "projects:project_list"),
            (_("专利收储与运营"), "patent_pool:index"),
        ),
        namespaces=("challenges", "programs", "projects", "patent_pool"),
    ),
    Function(
        "interaction",
        _("互动交流"),
        _("在线洽谈、对接会与路演"),
        entry=("events:event_list",),
        links=(
            (_("活动与对接会"), "events:event_list"),
            (_("咨询问答"), "exchange:question_list"),
            (_("人才对接洽谈"), "exchange:conversation_list"),
            (_("我的洽谈"), "market:negotiation_list"),
        ),
        namespaces=("events", "exchange"),
    ),
    Function(
        "showcase",
        _("成果展示"),
        _("可转化科技成果项目库与成果包"),
        # The library itself: filters and keyword search over published achievements.
        entry=("catalog:achievement_list",),
        links=(
            (_("科技成果库"), "catalog:achievement_list"),
            (_("企业技术需求库"), "catalog:demand_list"),
            (_("成果包"), "catalog:package_list"),
            (_("成果与需求检索"), "search:search"),
            (_("我的成果与需求"), "catalog:mine"),
            (_("成果与需求审核"), "catalog:review_queue"),
        ),
        namespaces=("catalog", "search:matches"),
    ),
    Function(
        "novelty",
        _("专利查新"),
        _("查重查新与查新报告"),
        entry=("search:novelty",),
        links=(
            (_("查重/查新与查新报告"), "search:novelty"),
            (_("专利文献导入"), "search:patent_import"),
        ),
        namespaces=("search:novelty_record",),
    ),
    Function(
        "trading",
        _("技术交易"),
        _("撮合、挂牌、拍卖与技术合同登记"),
        # The market: what is on offer now (listings in notice, auctions to come).
        entry=("market:index",),
        links=(
            (_("科技大市场：挂牌与拍卖"), "market:index"),
            (_("撮合洽谈"), "market:negotiation_list"),
            (_("技术合同认定登记"), "contracts:list"),
            (_("交易监管"), "market:oversight"),
        ),
        namespaces=("market", "contracts"),
    ),
    Function(
        "services",
        _("企业办事"),
        _("政策兑现、创新券与个人工作台"),
        # Signed in: the workspace gathers what waits on the person; a visitor tries the calculator.
        entry=("web:workspace", "policy:calculator"),
        links=(
            (_("个人工作台"), "web:workspace"),
            (_("政策计算器"), "policy:calculator"),
            (_("我的奖补兑现"), "policy:entitlements"),
            (_("择优支持与事项申请"), "policy:applications"),
            (_("科技创新券"), "vouchers:index"),
            (_("申请技术合同登记"), "contracts:new"),
            (_("创新券业务办理"), "vouchers:office"),
        ),
        namespaces=("policy", "vouchers"),
    ),
]

FUNCTIONS_BY_SLUG = {f.slug: f for f in PORTAL_FUNCTIONS}


def allowed(url_name: str, user) -> bool:
    check = LINK_ALLOWED.get(url_name)
    return check is None or bool(check(user))


@functools.cache
def _guarded(view_name: str | None) -> tuple[str, ...]:
    """The guarded URL names (:data:`LINK_ALLOWED`) that the menu and strip of a page ask about:
    every function's entries and the links of the page's own function."""
    asked = {name for f in PORTAL_FUNCTIONS if f.built for name in f.entry}
    current = function_of(view_name)
    if current is not None:
        asked |= {name for _label, name in current.links}
    return tuple(name for name in LINK_ALLOWED if name in asked)


def permissions(user, view_name: str | None) -> tuple[bool, ...]:
    """Which of the guarded links that the page's menu and strip show the user may open: all they
    depend on besides the page (the checks read the request's one load of duties and memberships)."""
    return tuple(allowed(url_name, user) for url_name in _guarded(view_name))


def entry_url(function: Function, user) -> str | None:
    """Where the function's menu item leads this user: its first working page they may open."""
    for url_name in function.entry:
        if allowed(url_name, user):
            return reverse(url_name)
    return None


def links_for(function: Function, user) -> list[tuple[str, str, str]]:
    """(label, url, URL name) of the function's pages this user may open."""
    return [(label, reverse(name), name) for label, name in function.links if allowed(name, user)]


def function_of(view_name: str | None) -> Function | None:
    """The function a page belongs to: the one listing it (its entry first), else its app's."""
    if not view_name:
        return None
    for f in PORTAL_FUNCTIONS:
        if view_name in f.entry:
            return f
    namespace = view_name.split(":", 1)[0]
    # A page in several strips (撮合洽谈 is also 互动交流's 我的洽谈) belongs to its app's function.
    listing = [f for f in PORTAL_FUNCTIONS if any(view_name == name for _label, name in f.links)]
    if listing:
        return next(
            (f for f in listing if view_name in f.namespaces or namespace in f.namespaces), listing[0]
        )
    for f in PORTAL_FUNCTIONS:
        if view_name in f.namespaces or namespace in f.namespaces:
            return f
    return None


def menu(user, view_name: str | None = None) -> list[dict]:
    """The top menu: each built function with the URL of its working page for this user."""
    current = function_of(view_name)
    items = []
    for f in PORTAL_FUNCTIONS:
        if not f.built:
            continue
        url = entry_url(f, user)
        if url is None:
            continue
        items.append({"function": f, "url": url, "current": f is current})
    return items


def strip(user, view_name: str | None) -> dict | None:
    """The sub-navigation of the page's function: its pages this user may open, the current marked."""
    function = function_of(view_name)
    if function is None:
        return None
    links = [
        {"label": label, "url": url, "current": name == view_name}
        for label, url, name in links_for(function, user)
    ]
    if len(links) < 2:
        return None
    return {"function": function, "links": links}

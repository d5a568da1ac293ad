"""The nine functions of the "科创一网通" platform (seed 001 #13) and where each lives.

A function with ``links`` opens a page of its services; one without is not built yet and says so
honestly ("建设中") instead of showing pretend content.
"""

from django.utils.translation import gettext_lazy as _

from zhouqiao.accounts import scope
from zhouqiao.search import patents

PORTAL_FUNCTIONS = [
    {
        "slug": "news",
        "name": _("信息发布"),
        "summary": _("科技创新政策、通知公告与项目指南"),
        "links": [
            (_("政策条款与奖补规则"), "policy:rules"),
        ],
    },
    {
        "slug": "resources",
        "name": _("资源整合"),
        "summary": _("机构、专家、大型仪器设备共享"),
        "links": [
            (_("机构名录"), "web:organisations"),
            (_("大型仪器设备共享"), "facilities:index"),
            (_("我的仪器预约"), "facilities:bookings"),
            (_("科技服务机构与服务"), "vouchers:providers"),
        ],
    },
    {
        "slug": "data",
        "name": _("数据集中"),
        "summary": _("开放接口、数据导出与指标监测"),
        "links": [
            (_("开放数据与接口"), "web:open_data"),
            (_("技术合同登记统计（科技局）"), "contracts:statistics"),
            (_("仪器开放共享评价"), "facilities:evaluation"),
        ],
    },
    {"slug": "projects", "name": _("项目管理"), "summary": _("揭榜挂帅与科技计划项目"), "links": []},
    {
        "slug": "interaction",
        "name": _("互动交流"),
        "summary": _("在线洽谈、对接会与路演"),
        "links": [
            (_("我的洽谈"), "market:negotiation_list"),
        ],
    },
    {
        "slug": "showcase",
        "name": _("成果展示"),
        "summary": _("可转化科技成果项目库与成果包"),
        "links": [
            (_("成果与需求检索"), "search:search"),
            (_("科技成果库"), "catalog:achievement_list"),
            (_("企业技术需求库"), "catalog:demand_list"),
            (_("成果包"), "catalog:package_list"),
        ],
    },
    {
        "slug": "novelty",
        "name": _("专利查新"),
        "summary": _("查重查新与查新报告"),
        "links": [
            (_("查重/查新与查新报告"), "search:novelty"),
            (_("专利文献导入（科技局）"), "search:patent_import"),
        ],
    },
    {
        "slug": "trading",
        "name": _("技术交易"),
        "summary": _("撮合、挂牌、拍卖与技术合同登记"),
        "links": [
            (_("科技大市场：挂牌与拍卖"), "market:index"),
            (_("撮合洽谈"), "market:negotiation_list"),
            (_("技术合同认定登记"), "contracts:list"),
        ],
    },
    {
        "slug": "services",
        "name": _("企业办事"),
        "summary": _("政策兑现、创新券与个人工作台"),
        "links": [
            (_("政策计算器"), "policy:calculator"),
            (_("我的奖补兑现"), "policy:entitlements"),
            (_("科技创新券"), "vouchers:index"),
            (_("创新券业务办理（科技局）"), "vouchers:office"),
            (_("技术合同登记"), "contracts:list"),
            (_("个人工作台"), "web:workspace"),
        ],
    },
]

# Pages some users would be refused: the link shows only to those the page lets in.
LINK_ALLOWED = {
    "contracts:statistics": scope.is_business_staff,
    "facilities:evaluation": scope.is_business_staff,
    "vouchers:office": scope.is_business_staff,
    "search:patent_import": patents.may_import,
}

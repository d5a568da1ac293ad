"""The nine functions of the "科创一网通" platform (seed 001 #13) and where each lives.

``ready`` says whether the function is built; a function that is not yet built gets an honest
"建设中" page instead of pretend content.
"""

from django.utils.translation import gettext_lazy as _

PORTAL_FUNCTIONS = [
    {"slug": "news", "name": _("信息发布"), "summary": _("科技创新政策、通知公告与项目指南"), "ready": False},
    {"slug": "resources", "name": _("资源整合"), "summary": _("机构、专家、大型仪器设备共享"), "ready": True,
     "url_name": "web:organisations"},
    {"slug": "data", "name": _("数据集中"), "summary": _("开放接口、数据导出与指标监测"), "ready": True,
     "url_name": "web:open_data"},
    {"slug": "projects", "name": _("项目管理"), "summary": _("揭榜挂帅与科技计划项目"), "ready": False},
    {"slug": "interaction", "name": _("互动交流"), "summary": _("在线咨询、对接会与路演"), "ready": False},
    {"slug": "showcase", "name": _("成果展示"), "summary": _("可转化科技成果项目库与成果包"), "ready": False},
    {"slug": "novelty", "name": _("专利查新"), "summary": _("查重查新与查新报告"), "ready": False},
    {"slug": "trading", "name": _("技术交易"), "summary": _("撮合、挂牌、拍卖与技术合同登记"), "ready": False},
    {"slug": "services", "name": _("企业办事"), "summary": _("政策兑现、创新券与个人工作台"), "ready": True,
     "url_name": "web:workspace"},
]

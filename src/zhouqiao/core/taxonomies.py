"""Reference vocabularies that are small and fixed enough to live in code."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReadinessLevel(models.IntegerChoices):
    """Technology readiness levels 1–9 (技术就绪水平), after GB/T 22900 (科学技术研究项目评价通则),
    development-type projects."""

    TRL1 = 1, _("1级：发现基本原理或看到基本原理的报道")
    TRL2 = 2, _("2级：形成技术概念或开发方案")
    TRL3 = 3, _("3级：关键技术或功能通过可行性验证（实验室）")
    TRL4 = 4, _("4级：实验室环境中的部件或原理样机验证")
    TRL5 = 5, _("5级：相关环境中的部件或初样验证")
    TRL6 = 6, _("6级：相关环境中的系统样机演示")
    TRL7 = 7, _("7级：实际使用环境中的系统样机试验（中试）")
    TRL8 = 8, _("8级：实际系统完成并通过验证（试用、小批量）")
    TRL9 = 9, _("9级：实际系统经过运行考验，实现产业化")


# The key industries the seeds name. ``clauses`` cites where; ``divisions`` are the GB/T 4754-2017
# divisions (大类) the industry mostly falls in — an editorial mapping used for filters and
# matching, not a statistical definition.
KEY_INDUSTRIES = [
    # slug, name, group, clauses, divisions
    ("automotive", "汽车", "支柱产业", "004#5 000#3", ["36"]),
    ("petrochemical", "石化", "支柱产业", "004#5 003#5", ["25", "26"]),
    ("agri-processing", "农产品深加工", "支柱产业", "004#5 003#5", ["13", "14", "15"]),
    ("health", "医药健康", "优势产业", "004#5 000#3 003#10", ["27", "35", "84"]),
    ("equipment", "装备制造", "优势产业", "004#5 003#4", ["34", "35", "38", "40"]),
    ("rail-transit", "轨道交通装备", "优势产业", "000#3", ["37"]),
    ("new-energy", "新能源", "战略性新兴产业", "004#5", ["38", "44"]),
    ("new-materials", "新材料", "战略性新兴产业", "004#5 000#3 003#8", ["26", "28", "30", "32"]),
    ("optoelectronics", "光电子", "战略性新兴产业", "004#5 000#3", ["39", "40"]),
    ("aerospace", "航空航天", "战略性新兴产业", "004#5 003#4", ["37"]),
    ("next-gen-it", "新一代信息技术", "战略性新兴产业", "004#5", ["39", "63", "64", "65"]),
    ("ai", "人工智能", "战略性新兴产业", "004#5", ["65"]),
    ("biotech", "生物", "战略性新兴产业", "000#3", ["27", "05"]),
]

"""Cleaning of achievement and demand fields: one set of rules for forms, the API and the importer.

Every function takes loosely typed input (strings from a spreadsheet cell, a form or JSON) and returns
``(cleaned, errors)`` where ``errors`` maps a field name to Chinese messages. Nothing here touches
the database except :class:`Lookups`, which loads each reference vocabulary once into a dict so that
an import of 100,000 rows resolves codes without a query per row.
"""

import re
from datetime import date, datetime
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhouqiao.catalog.models import Confidentiality, IPKind, IPStatus, PriceKind, TransferMode, split_keywords
from zhouqiao.core.money import AmountError, parse_amount
from zhouqiao.core.taxonomies import ReadinessLevel

TRL_VALUES = frozenset(ReadinessLevel.values)
TRL_TEXT = {str(n): n for n in TRL_VALUES}
TEXT_LIMITS = {"title": 200, "keywords": 200, "contact_name": 64, "contact_phone": 20, "contact_email": 254}
LONG_TEXT_LIMIT = 20000
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE_RE = re.compile(r"^[0-9+\-() ]{5,20}$")
CONFIDENTIALITY_ALIASES = {
    "公开摘要": Confidentiality.SUMMARY,
    "仅受邀机构可见": Confidentiality.INVITED,
    "受邀可见": Confidentiality.INVITED,
}
IPC_RE = re.compile(r"^([A-H]\d{2}[A-Z])\s*(\d{1,4})\s*/\s*(\d{2,6})$")


# Field names as people read them in messages (lazy: rendered only when an error is reported).
LABELS = {
    "title": gettext_lazy("名称"),
    "abstract": gettext_lazy("成果简介"),
    "problem": gettext_lazy("解决的问题"),
    "advantages": gettext_lazy("技术优势"),
    "scenarios": gettext_lazy("应用场景"),
    "economics": gettext_lazy("经济性比较"),
    "team": gettext_lazy("团队与发明人"),
    "readiness": gettext_lazy("技术就绪水平"),
    "industry": gettext_lazy("行业代码"),
    "patent_class": gettext_lazy("IPC分类号"),
    "discipline": gettext_lazy("学科代码"),
    "keywords": gettext_lazy("关键词"),
    "transfer_modes": gettext_lazy("转化方式"),
    "cooperation_modes": gettext_lazy("合作方式"),
    "price_min": gettext_lazy("价格下限"),
    "price_max": gettext_lazy("价格上限"),
    "contact_name": gettext_lazy("联系人"),
    "contact_phone": gettext_lazy("联系电话"),
    "contact_email": gettext_lazy("联系邮箱"),
    "summary": gettext_lazy("需求摘要"),
    "indicators": gettext_lazy("技术指标"),
    "current_approach": gettext_lazy("目前的做法"),
    "budget_min": gettext_lazy("预算下限"),
    "budget_max": gettext_lazy("预算上限"),
    "deadline": gettext_lazy("截止日期"),
    "filed_on": gettext_lazy("申请日"),
    "granted_on": gettext_lazy("授权日"),
}


class Lookups:
    """Reference vocabularies as dicts, each loaded on first use."""

    def __init__(self):
        self._cache: dict[str, dict] = {}

    def _load(self, name):
        if name not in self._cache:
            from zhouqiao.core.models import Discipline, Industry, KeyIndustry, PatentClass

            if name == "industry":
                self._cache[name] = {c: c for c in Industry.objects.values_list("code", flat=True)}
            elif name == "patent_class":
                self._cache[name] = {s: s for s in PatentClass.objects.values_list("symbol", flat=True)}
            elif name == "discipline":
                self._cache[name] = {c: c for c in Discipline.objects.values_list("code", flat=True)}
            elif name == "key_industry":
                table = {}
                for slug, label in KeyIndustry.objects.values_list("slug", "name"):
                    table[slug] = slug
                    table[label] = slug
                self._cache[name] = table
        return self._cache[name]

    def industry(self, value: str) -> str | None:
        return self._load("industry").get(value)

    def patent_class(self, value: str) -> str | None:
        return self._load("patent_class").get(value)

    def discipline(self, value: str) -> str | None:
        return self._load("discipline").get(value)

    def key_industry(self, value: str) -> str | None:
        return self._load("key_industry").get(value)


def text(value) -> str:
    if value is None:
        return ""
    if type(value) is str:
        return (value.replace("\x00", "") if "\x00" in value else value).strip()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\x00", "").strip()


def first_token(value) -> str:
    """``"3611 汽车整车制造"`` → ``"3611"``: template dropdowns show the name after the code."""
    parts = text(value).split()
    return parts[0] if parts else ""


_TABLES: dict = {}


def _table(enum) -> dict:
    """Code and Chinese label → code, built once per enum (labels rendered in Chinese)."""
    table = _TABLES.get(enum)
    if table is None:
        with translation.override("zh-hans"):
            table = {str(label): code for code, label in enum.choices}
        table.update({code: code for code in enum.values})
        _TABLES[enum] = table
    return table


def _choice(value, enum, *, multiple=False) -> list[str] | str | None:
    """Accept a value by its code or its Chinese label; with ``multiple``, several separated by
    、，,;；/ or spaces. Returns None for an unknown entry."""
    table = _table(enum)

    def one(token):
        return table.get(token.strip())

    if not multiple:
        return one(text(value)) if text(value) else ""
    if isinstance(value, list | tuple | set):
        tokens = [text(v) for v in value]
    else:
        tokens = split_keywords(text(value))
    result = []
    for token in tokens:
        code = one(token)
        if code is None:
            return None
        if code not in result:
            result.append(code)
    return result


class Cleaner:
    """Collects cleaned values and Chinese errors for one record."""

    def __init__(self, raw: dict, lookups: Lookups):
        self.raw, self.lookups = raw, lookups
        self.data: dict = {}
        self.errors: dict[str, list[str]] = {}

    def error(self, field, message):
        self.errors.setdefault(field, []).append(str(message))

    def string(self, field, *, required=False):
        label = LABELS[field]
        value = text(self.raw.get(field))
        limit = TEXT_LIMITS.get(field, LONG_TEXT_LIMIT)
        if required and not value:
            self.error(field, _("请填写%(label)s。") % {"label": label})
        elif len(value) > limit:
            self.error(field, _("%(label)s不能超过%(n)s个字。") % {"label": label, "n": limit})
        self.data[field] = value[:limit]
        return value

    def code(self, field, resolver, *, normalise=first_token):
        label = LABELS[field]
        value = normalise(self.raw.get(field))
        if not value:
            self.data[field] = None
            return
        resolved = resolver(value)
        if resolved is None:
            self.error(field, _("%(label)s“%(value)s”不存在。") % {"label": label, "value": value[:40]})
        self.data[field] = resolved

    def amount(self, field):
        label = LABELS[field]
        raw = self.raw.get(field)
        if raw is None or text(raw) == "":
            self.data[field] = None
            return None
        if isinstance(raw, float):  # a spreadsheet cell: go through its shortest decimal text
            raw = repr(raw)
        raw_text = text(raw).replace("元", "").replace("，", ",").replace("¥", "").strip()
        # The one parser (core.money): bounded, two places, never rounded; "50万" is 500000 yuan.
        try:
            if raw_text.endswith("万"):
                wan = Decimal(raw_text[:-1].replace(",", "").strip())
                value = parse_amount(wan * 10000 if wan.is_finite() else raw_text)
            else:
                value = parse_amount(raw_text)
        except AmountError as exc:
            self.error(field, _("%(label)s：%(reason)s") % {"label": label, "reason": exc})
            value = None
        except (ValueError, ArithmeticError):
            self.error(field, _("%(label)s应为金额（元），如 500000 或 50万。") % {"label": label})
            value = None
        self.data[field] = value
        return value

    def day(self, field):
        label = LABELS[field]
        raw = self.raw.get(field)
        if raw is None or text(raw) == "":
            self.data[field] = None
            return None
        if isinstance(raw, datetime):
            value = raw.date()
        elif isinstance(raw, date):
            value = raw
        else:
            value = None
            token = (
                text(raw)
                .replace("/", "-")
                .replace(".", "-")
                .replace("年", "-")
                .replace("月", "-")
                .rstrip("日")
            )
            try:
                year, month, dom = (int(p) for p in token.split("-"))
                value = date(year, month, dom)
            except (ValueError, TypeError):
                value = None
            if value is None or not (1900 <= value.year <= 2200):
                self.error(field, _("%(label)s应为日期，如 2026-06-30。") % {"label": label})
                value = None
        self.data[field] = value
        return value

    def modes(self, field):
        label = LABELS[field]
        value = _choice(self.raw.get(field) or [], TransferMode, multiple=True)
        if value is None:
            self.error(field, _("%(label)s只能是：转让、许可、作价入股、合作开发、其他。") % {"label": label})
            value = []
        self.data[field] = value

    def key_industries(self):
        raw = self.raw.get("key_industries") or []
        tokens = [text(v) for v in raw] if isinstance(raw, list | tuple | set) else split_keywords(text(raw))
        slugs = []
        for token in tokens:
            slug = self.lookups.key_industry(token)
            if slug is None:
                self.error("key_industries", _("重点产业“%(value)s”不存在。") % {"value": token[:40]})
            elif slug not in slugs:
                slugs.append(slug)
        self.data["key_industries"] = slugs

    def contact(self):
        self.string("contact_name")
        phone = self.string("contact_phone")
        if phone and not PHONE_RE.match(phone):
            self.error("contact_phone", _("联系电话格式不正确。"))
        email = self.string("contact_email")
        if email and not EMAIL_RE.match(email):
            self.error("contact_email", _("联系邮箱格式不正确。"))

    def classification(self):
        self.code("industry", self.lookups.industry)
        self.key_industries()
        keywords = "，".join(split_keywords(text(self.raw.get("keywords"))))
        if len(keywords) > TEXT_LIMITS["keywords"]:
            self.error("keywords", _("关键词不能超过%(n)s个字。") % {"n": TEXT_LIMITS["keywords"]})
        self.data["keywords"] = keywords[: TEXT_LIMITS["keywords"]]


def normalise_ipc(value) -> str:
    token = text(value).upper()
    match = IPC_RE.match(token)
    return f"{match.group(1)} {int(match.group(2))}/{match.group(3)}" if match else token


def clean_achievement(raw: dict, lookups: Lookups) -> tuple[dict, dict]:
    c = Cleaner(raw, lookups)
    c.string("title", required=True)
    c.string("abstract", required=True)
    for field in ("problem", "advantages", "scenarios", "economics", "team"):
        c.string(field)
    trl = text(raw.get("readiness"))
    level = TRL_TEXT.get(trl)
    if level is None and trl:
        try:
            number = Decimal(trl)
            level = int(number) if number == int(number) else None
        except (ArithmeticError, ValueError):
            level = None
    if level not in TRL_VALUES:
        c.error("readiness", _("技术就绪水平（TRL）应为1至9的整数。"))
        level = None
    c.data["readiness"] = level
    c.classification()
    c.code("patent_class", lookups.patent_class, normalise=normalise_ipc)
    c.code("discipline", lookups.discipline)
    c.modes("transfer_modes")
    if not c.errors.get("transfer_modes") and not c.data["transfer_modes"]:
        c.error("transfer_modes", _("请至少选择一种转化方式。"))
    _clean_price(c)
    c.contact()
    return c.data, c.errors


def _clean_price(c: Cleaner) -> None:
    kind = _choice(c.raw.get("price_kind"), PriceKind)
    low = c.amount("price_min")
    high = c.amount("price_max")
    if kind is None:
        c.error("price_kind", _("价格方式只能是：固定价格、价格区间、面议。"))
        return
    if not kind:  # inferred from the amounts, as spreadsheets often leave it out
        kind = (
            PriceKind.NEGOTIABLE
            if low is None and high is None
            else (PriceKind.FIXED if high is None or high == low or low is None else PriceKind.RANGE)
        )
    c.data["price_kind"] = kind
    if c.errors.get("price_min") or c.errors.get("price_max"):
        return
    if kind == PriceKind.NEGOTIABLE:
        c.data["price_min"] = c.data["price_max"] = None
    elif kind == PriceKind.FIXED:
        amount = low if low is not None else high
        if amount is None:
            c.error("price_min", _("固定价格须填写金额。"))
        c.data["price_min"] = c.data["price_max"] = amount
    else:
        if low is None or high is None:
            c.error("price_max", _("价格区间须填写下限和上限。"))
        elif high <= low:
            c.error("price_max", _("价格上限应大于下限。"))


def clean_ip_item(raw: dict) -> tuple[dict, dict]:
    c = Cleaner(raw, Lookups())
    kind = _choice(raw.get("kind"), IPKind)
    status = _choice(raw.get("status"), IPStatus)
    if not kind:
        c.error(
            "kind",
            _(
                "知识产权类型只能是：发明专利、实用新型专利、外观设计专利、软件著作权、植物新品种权、技术秘密。"
            ),
        )
    if status is None:
        c.error("status", _("知识产权状态只能是：已申请、已授权、已失效。"))
    number = text(raw.get("number"))[:64]
    if kind and kind != IPKind.KNOW_HOW and not number:
        c.error("number", _("请填写申请号或登记号。"))
    c.data.update(kind=kind, status=status or IPStatus.GRANTED, number=number)
    filed = c.day("filed_on")
    granted = c.day("granted_on")
    if filed and granted and granted < filed:
        c.error("granted_on", _("授权日不能早于申请日。"))
    return c.data, c.errors


def clean_demand(raw: dict, lookups: Lookups, *, as_of: date | None = None) -> tuple[dict, dict]:
    c = Cleaner(raw, lookups)
    c.string("title", required=True)
    c.string("summary", required=True)
    c.string("problem", required=True)
    c.string("indicators")
    c.string("current_approach")
    low = c.amount("budget_min")
    high = c.amount("budget_max")
    if low is not None and high is not None and high < low:
        c.error("budget_max", _("预算上限不能小于下限。"))
    deadline = c.day("deadline")
    if deadline and as_of and deadline < as_of:
        c.error("deadline", _("截止日期不能早于今天。"))
    c.modes("cooperation_modes")
    level = _choice(
        CONFIDENTIALITY_ALIASES.get(text(raw.get("confidentiality")), raw.get("confidentiality")),
        Confidentiality,
    )
    if level is None:
        c.error("confidentiality", _("保密级别只能是：公开、公开摘要、仅受邀机构可见。"))
    c.data["confidentiality"] = level or Confidentiality.PUBLIC
    c.classification()
    c.contact()
    return c.data, c.errors

"""Pickers instead of typed codes: dates, regions (GB/T 2260) and the searchable reference
vocabularies (industry GB/T 4754, discipline GB/T 13745, IPC).

Each works without JavaScript and is improved by ``static/zhouqiao/pickers.js`` when it runs:

* :class:`DateInput` — the browser's own date picker (ISO value whatever the page language).
* :class:`RegionPickerWidget` / :class:`RegionField` — without JS one select of the home province's
  counties grouped by city; with JS a province → city → county cascade fed by ``web:region_options``.
  The form receives the code of the deepest level chosen; the field checks it exists.
* :class:`CodePickerWidget` — a text input showing "代码 名称" with a datalist of suggestions: the
  coarse levels are in the page (enough without JS, and a typed code or exact name is resolved on
  the server); with JS the list follows what is typed (``web:code_suggestions``). The form receives
  the code.
"""

import re
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhouqiao.core.models import Discipline, Industry, PatentClass, Region, RegionLevel

MAX_QUERY = 50
MAX_SUGGESTIONS = 20


class DateInput(forms.DateInput):
    """``<input type="date">``: the value is always ISO (a Chinese locale would render 2026/05/11,
    which a date input shows as empty)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


# --- regions ------------------------------------------------------------------------------------

LEVEL_DEPTH = {RegionLevel.PROVINCE: 0, RegionLevel.CITY: 1, RegionLevel.COUNTY: 2}


def home_province() -> str:
    return getattr(settings, "ZHOUQIAO_HOME_PROVINCE", "220000")


def region_label(region: Region) -> str:
    """A city row named 市辖区 or 县 (municipalities) is shown with its province's name."""
    if region.level == RegionLevel.CITY and region.name in ("市辖区", "县", "省直辖县级行政区划"):
        return f"{region.parent.name}（{region.name}）" if region.parent_id else region.name
    return region.name


class RegionPickerWidget(forms.Select):
    template_name = "web/widgets/region_picker.html"

    def __init__(self, attrs=None, *, min_level: str = RegionLevel.COUNTY):
        super().__init__(attrs)
        self.min_level = min_level

    def _allowed(self, level: str) -> bool:
        return LEVEL_DEPTH[level] >= LEVEL_DEPTH[self.min_level]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].pop("maxlength", None)  # a CharField's, meaningless on a select
        code = str(value[0] if isinstance(value, list | tuple) and value else value or "")
        home = Region.objects.filter(code=home_province()).first()
        groups = []
        if home is not None:
            cities = list(home.children.order_by("code").prefetch_related("children"))
            for city in cities:
                options = (
                    [(city.code, _("%(city)s（全市）") % {"city": city.name})]
                    if self._allowed("city")
                    else []
                )
                options += [(c.code, c.name) for c in city.children.all()]
                groups.append((region_label(city), options))
        chosen = Region.objects.select_related("parent__parent").filter(code=code).first() if code else None
        known = {c for _label, options in groups for c, _n in options}
        if home is not None and self._allowed("province"):
            known.add(home.code)
        context["widget"].update(
            {
                "groups": groups,
                "home": home if home is not None and self._allowed("province") else None,
                "value_code": code,
                # a value outside the home province (or an unknown code sent back) keeps its option
                "extra": (code, chosen.full_name if chosen else code) if code and code not in known else None,
                "chain": ",".join(r.code for r in chosen.ancestors()) if chosen else "",
                "options_url": reverse("web:region_options"),
                "min_level": self.min_level,
                "default_province": home_province() if self.is_required and not code else "",
            }
        )
        return context


class RegionField(forms.CharField):
    """A region chosen with :class:`RegionPickerWidget`; cleans to the six-digit code of a region that
    exists and is at least as deep as ``min_level``."""

    default_error_messages = {
        "unknown": _("所选地区不存在，请从列表中选择。"),
        "too_shallow_city": _("请选择到市或县（区）一级。"),
        "too_shallow_county": _("请选择到县（区）一级。"),
    }

    def __init__(self, *, min_level: str = RegionLevel.COUNTY, **kwargs):
        self.min_level = min_level
        kwargs.setdefault("widget", RegionPickerWidget(min_level=min_level))
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        return {}  # no maxlength on a select

    def clean(self, value):
        code = super().clean(value)
        if not code:
            return code
        region = Region.objects.filter(code=code).first() if re.fullmatch(r"\d{6}", code) else None
        if region is None:
            raise ValidationError(self.error_messages["unknown"], code="unknown")
        if LEVEL_DEPTH[region.level] < LEVEL_DEPTH[self.min_level]:
            # a city without counties (东莞市, 中山市 …) is as deep as it goes
            if not (region.level == RegionLevel.CITY and not region.children.exists()):
                key = f"too_shallow_{self.min_level}"
                raise ValidationError(self.error_messages[key], code="too_shallow")
        return code


# --- searchable reference vocabularies --------------------------------------------------------

IPC_RE = re.compile(r"^([A-Ha-h]\d{2}[A-Za-z])\s*(\d{1,4})\s*/\s*(\d{2,6})")


@dataclass(frozen=True)
class Vocabulary:
    slug: str
    model: type
    code_field: str
    name_field: str
    coarse: Q  # the levels listed in the page, enough to choose without JavaScript
    placeholder: str

    def rows(self):
        return self.model.objects.values_list(self.code_field, self.name_field)

    def code_candidates(self, text: str) -> list[str]:
        """The codes the start of ``text`` could be ("3611 汽柴油车整车制造" → 3611)."""
        tokens = text.split()
        if not tokens:
            return []
        if self.slug == "ipc":
            match = IPC_RE.match(text)
            if match:
                return [f"{match.group(1).upper()} {int(match.group(2))}/{match.group(3)}"]
            return [tokens[0].upper()]
        return [tokens[0].upper()]

    def resolve(self, text: str) -> str | None:
        """The code ``text`` names: a code (optionally followed by its name) or an exact name. When a
        name is shared by a level and its only child (361 / 3610), the deeper one."""
        text = " ".join((text or "").split())
        if not text:
            return None
        codes = self.code_candidates(text)
        found = self.model.objects.filter(**{f"{self.code_field}__in": codes}).values_list(
            self.code_field, flat=True
        )
        if found:
            return found[0]
        named = sorted(
            self.model.objects.filter(**{self.name_field: text}).values_list(self.code_field, flat=True),
            key=len,
        )
        if named and all(named[-1].startswith(code) for code in named):
            return named[-1]
        return None

    def label(self, code: str) -> str:
        name = (
            self.model.objects.filter(**{self.code_field: code})
            .values_list(self.name_field, flat=True)
            .first()
        )
        return f"{code} {name}" if name is not None else code

    def suggest(self, query: str, limit: int = MAX_SUGGESTIONS) -> list[tuple[str, str]]:
        """Codes starting with the query first, then names starting with it, then names containing it."""
        query = " ".join((query or "").split())[:MAX_QUERY]
        if not query:
            return []
        code_f, name_f = self.code_field, self.name_field
        results: dict[str, str] = {}
        prefix = self.code_candidates(query)[0]
        if self.slug == "ipc" and re.fullmatch(r"[A-H]\d{2}[A-Z]\d+", prefix):
            prefix = f"{prefix[:4]} {prefix[4:]}"  # B60L15 → B60L 15
        if re.fullmatch(r"[0-9A-Z][0-9A-Z /]*", prefix):
            for code, name in (
                self.rows().filter(**{f"{code_f}__startswith": prefix}).order_by(code_f)[:limit]
            ):
                results[code] = name
        name_query = query.split(" ", 1)[1] if query.upper().startswith(prefix) and " " in query else query
        for lookup in ("startswith", "contains"):
            if len(results) >= limit:
                break
            rows = self.rows().filter(**{f"{name_f}__{lookup}": name_query}).order_by(code_f)
            for code, name in rows[: limit * 2]:
                results.setdefault(code, name)
        return list(results.items())[:limit]

    def coarse_rows(self) -> list[tuple[str, str]]:
        return list(self.rows().filter(self.coarse).order_by(self.code_field))


VOCABULARIES = {
    "industry": Vocabulary(
        "industry", Industry, "code", "name", Q(level="division"), _("输入行业代码或名称，如 汽车")
    ),
    "discipline": Vocabulary(
        "discipline", Discipline, "code", "name", Q(level=1), _("输入学科代码或名称，如 机械工程")
    ),
    "ipc": Vocabulary(
        "ipc", PatentClass, "symbol", "title", Q(level="class"), _("输入分类号或名称，如 B60L")
    ),
}


class CodePickerWidget(forms.TextInput):
    """A text input with suggestions: shows "代码 名称", submits the code."""

    template_name = "web/widgets/code_picker.html"

    def __init__(self, vocabulary: str, attrs=None):
        super().__init__(attrs)
        self.vocabulary = vocabulary

    @property
    def vocab(self) -> Vocabulary:
        return VOCABULARIES[self.vocabulary]

    def format_value(self, value):
        value = super().format_value(value)
        if value and self.vocab.resolve(value) == value:
            return self.vocab.label(value)
        return value

    def value_from_datadict(self, data, files, name):
        raw = data.get(name)
        if raw is None:
            return None
        return self.vocab.resolve(raw) or raw.strip()

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        widget["attrs"].pop("maxlength", None)  # "3611 汽柴油车整车制造" is longer than the code
        list_id = f"{widget['attrs'].get('id') or name}_suggestions"
        widget["attrs"].update(
            {
                "list": list_id,
                "autocomplete": "off",
                "spellcheck": "false",
                "placeholder": str(self.vocab.placeholder),
                "data-suggest-url": reverse("web:code_suggestions", args=[self.vocabulary]),
            }
        )
        widget["list_id"] = list_id
        widget["suggestions"] = [f"{code} {name}" for code, name in self.vocab.coarse_rows()]
        return context

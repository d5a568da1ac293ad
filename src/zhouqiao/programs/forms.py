"""Forms of project calls. The rubric (评审指标) is a table of rows (name, weight, maximum score).
The application's lists (team, milestones, budget lines, partners) are typed one item a line with
the parts separated by "|"; each bad line is refused with its number, in Chinese."""

import datetime as dt
import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhouqiao.accounts.models import Organisation, OrganisationKind
from zhouqiao.accounts.states import VerificationStatus
from zhouqiao.core.forms import AmountField
from zhouqiao.core.models import Discipline, Industry
from zhouqiao.core.money import AmountError, parse_amount
from zhouqiao.programs.states import Aggregation
from zhouqiao.web.widgets import CodePickerWidget, DateInput

SEPARATOR = re.compile(r"\s*[|｜]\s*")


def _lines(text: str) -> list[tuple[int, list[str]]]:
    return [
        (n, SEPARATOR.split(line.strip()))
        for n, line in enumerate((text or "").splitlines(), 1)
        if line.strip()
    ]


def _bad(n: int, message) -> ValidationError:
    return ValidationError(_("第%(n)d行：%(m)s") % {"n": n, "m": message})


RUBRIC_ROWS = 8
# What a new call starts with (content the officer edits, so not translated).
DEFAULT_RUBRIC = [
    ("创新性", 30, 10),
    ("技术路线可行性", 25, 10),
    ("团队与基础", 20, 10),
    ("经济社会效益", 15, 10),
    ("预算合理性", 10, 10),
]


def _local_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class CallForm(forms.Form):
    title = forms.CharField(label=_("指南名称"), max_length=128)
    jurisdiction = forms.ChoiceField(label=_("主管部门"))
    guide = forms.CharField(label=_("申报指南"), widget=forms.Textarea(attrs={"rows": 8}))
    categories = forms.CharField(
        label=_("支持方向"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一个方向。"),
    )
    budget = AmountField(label=_("资助总额（元）"), positive=True)
    local_only = forms.BooleanField(label=_("仅限本辖区注册的单位申报"), required=False, initial=True)
    organisation_kinds = forms.MultipleChoiceField(
        label=_("申报单位类型（不选则不限）"),
        required=False,
        choices=[(k.value, k.label) for k in OrganisationKind if k != OrganisationKind.GOVERNMENT],
        widget=forms.CheckboxSelectMultiple,
    )
    require_rd_reported = forms.BooleanField(label=_("申报单位须填报上年度研发投入"), required=False)
    opens_on = forms.DateField(label=_("申报开始日期"), widget=DateInput())
    closes_on = forms.DateField(
        label=_("申报截止日期"), widget=DateInput(), help_text=_("截止日当天24时止。")
    )
    project_start = forms.DateField(label=_("项目执行期开始"), widget=DateInput())
    project_end = forms.DateField(label=_("项目执行期结束"), widget=DateInput())
    blind = forms.BooleanField(
        label=_("匿名评审（评审专家看不到申报单位和人员）"), required=False, initial=True
    )
    reviewers_per_application = forms.IntegerField(
        label=_("每项评审专家数"), min_value=1, max_value=15, initial=5
    )
    load_cap = forms.IntegerField(label=_("每位专家评审上限（项）"), min_value=1, max_value=200, initial=8)
    aggregation = forms.ChoiceField(
        label=_("评分汇总规则"), choices=Aggregation.choices, initial=Aggregation.TRIMMED
    )
    divergence_threshold = forms.DecimalField(
        label=_("分歧提示阈值（最高分与最低分之差，分）"),
        min_value=0,
        max_value=100,
        decimal_places=2,
        initial=20,
    )
    objection_days = forms.IntegerField(label=_("公示期（天）"), min_value=1, max_value=60, initial=5)
    post_subsidy = forms.BooleanField(label=_("项目验收后给予后补助"), required=False)

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        # (jurisdiction code, the bureau's name): the department issues the call for its region.
        self.fields["jurisdiction"].choices = list(departments)
        # The rubric (评审指标) as rows of three boxes — name, weight, maximum score — placed after
        # the project period; unused rows stay empty.
        before = list(self.fields)[: list(self.fields).index("blind")]
        for i in range(RUBRIC_ROWS):
            default = DEFAULT_RUBRIC[i] if i < len(DEFAULT_RUBRIC) else ("", None, None)
            n = i + 1
            self.fields[f"rubric_name_{i}"] = forms.CharField(
                label=_("第%(n)d项指标名称") % {"n": n}, max_length=64, required=False, initial=default[0]
            )
            self.fields[f"rubric_weight_{i}"] = forms.IntegerField(
                label=_("第%(n)d项权重") % {"n": n}, min_value=1, max_value=100, required=False,
                initial=default[1], error_messages={"invalid": _("权重须为1到100之间的整数。")},
            )  # fmt: skip
            self.fields[f"rubric_max_{i}"] = forms.IntegerField(
                label=_("第%(n)d项满分") % {"n": n}, min_value=1, max_value=100, required=False,
                initial=default[2], error_messages={"invalid": _("满分须为1到100之间的整数。")},
            )  # fmt: skip
        rows = [name for name in self.fields if name.startswith("rubric_")]
        self.order_fields(before + rows)
        self._before = before

    @property
    def fields_before_rubric(self):
        return [self[name] for name in self._before]

    @property
    def fields_after_rubric(self):
        return [
            self[name] for name in self.fields if name not in self._before and not name.startswith("rubric_")
        ]

    @property
    def rubric_rows(self):
        return [
            (i + 1, [self[f"rubric_{part}_{i}"] for part in ("name", "weight", "max")])
            for i in range(RUBRIC_ROWS)
        ]

    rubric_problem = ""  # why the rubric rows are refused, shown beside them

    def clean_categories(self):
        return [line.strip() for line in self.cleaned_data["categories"].splitlines() if line.strip()]

    def clean(self):
        from zhouqiao.core.errors import ValidationFailed
        from zhouqiao.programs.services import validate_rubric

        data = super().clean()
        rubric = []
        for i in range(RUBRIC_ROWS):
            name_field = f"rubric_name_{i}"
            if any(f"rubric_{part}_{i}" in self.errors for part in ("name", "weight", "max")):
                return data  # a box of this row is already refused (not a whole number, out of range)
            name = (data.get(name_field) or "").strip()
            weight, top = data.get(f"rubric_weight_{i}"), data.get(f"rubric_max_{i}")
            if not name and weight is None and top is None:
                continue
            if not name or weight is None or top is None:
                self.rubric_problem = _("第%(n)d项评审指标请填写指标名称、权重和满分三项。") % {"n": i + 1}
                self.add_error(None, self.rubric_problem)
                return data
            rubric.append({"name": name, "weight": weight, "max_score": top})
        try:
            data["rubric"] = validate_rubric(rubric)
        except ValidationFailed as exc:
            self.rubric_problem = str(exc.message)
            self.add_error(None, self.rubric_problem)
        return data

    def service_fields(self, jurisdiction) -> dict:
        d = self.cleaned_data
        return {
            "title": d["title"],
            "guide": d["guide"],
            "categories": d["categories"],
            "budget": d["budget"],
            "region_prefix": jurisdiction.scope_prefix if d["local_only"] else "",
            "organisation_kinds": d["organisation_kinds"],
            "require_rd_reported": d["require_rd_reported"],
            "opens_at": _local_start(d["opens_on"]),
            "closes_at": _local_start(d["closes_on"] + dt.timedelta(days=1)),
            "project_start": d["project_start"],
            "project_end": d["project_end"],
            "rubric": d["rubric"],
            "blind": d["blind"],
            "reviewers_per_application": d["reviewers_per_application"],
            "load_cap": d["load_cap"],
            "aggregation": d["aggregation"],
            "divergence_threshold": d["divergence_threshold"],
            "objection_days": d["objection_days"],
            "post_subsidy": d["post_subsidy"],
        }


class ApplicationForm(forms.Form):
    lead = forms.ChoiceField(label=_("申报单位"))
    title = forms.CharField(label=_("项目名称"), max_length=128)
    category = forms.ChoiceField(label=_("支持方向"), required=False)
    discipline = forms.CharField(
        label=_("所属学科（GB/T 13745）"), max_length=8, required=False, widget=CodePickerWidget("discipline")
    )
    industry = forms.CharField(
        label=_("所属行业（GB/T 4754）"), max_length=5, required=False, widget=CodePickerWidget("industry")
    )
    keywords = forms.CharField(
        label=_("关键词"), max_length=255, required=False, help_text=_("用顿号或逗号分隔。")
    )
    summary = forms.CharField(label=_("项目摘要"), widget=forms.Textarea(attrs={"rows": 4}))
    plan = forms.CharField(label=_("研究内容与实施方案"), widget=forms.Textarea(attrs={"rows": 8}))
    requested_amount = AmountField(label=_("申请资助金额（元）"), positive=True)
    rd_investment = AmountField(
        label=_("上年度研发投入（元）"),
        required=False,
        help_text=_("按申报单位向统计部门报送的研发费用填写。"),
    )
    project_start = forms.DateField(label=_("项目开始日期"), widget=DateInput())
    project_end = forms.DateField(label=_("项目结束日期"), widget=DateInput())
    partners = forms.CharField(
        label=_("合作单位"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("每行一个，按“单位名称或统一社会信用代码|分工”填写；须为本平台已认证的机构。"),
    )
    team = forms.CharField(
        label=_("项目团队"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一人，按“姓名|职称|分工”填写。"),
    )
    milestones = forms.CharField(
        label=_("节点目标"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一个，按“完成日期|目标与交付物”填写，日期如 2027-06-30，须在项目执行期内。"),
    )
    budget_lines = forms.CharField(
        label=_("预算明细"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行一项，按“预算科目|金额（元）”填写，合计须等于申请资助金额。"),
    )

    def __init__(self, *args, organisations=(), call=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].choices = [(o.pk, o.name) for o in organisations]
        if call is not None and call.categories:
            self.fields["category"].choices = [("", _("请选择"))] + [(c, c) for c in call.categories]
            self.fields["category"].required = True
        else:
            del self.fields["category"]

    def clean_discipline(self):
        code = self.cleaned_data["discipline"].strip()
        if code and not Discipline.objects.filter(code=code).exists():
            raise ValidationError(_("请从列表中选择学科。"))
        return code or None

    def clean_industry(self):
        code = self.cleaned_data["industry"].strip()
        if code and not Industry.objects.filter(code=code).exists():
            raise ValidationError(_("请从列表中选择行业。"))
        return code or None

    def clean_partners(self):
        out = []
        for n, parts in _lines(self.cleaned_data["partners"]):
            name = parts[0]
            org = (
                Organisation.objects.filter(status=VerificationStatus.VERIFIED).filter(models_q(name)).first()
            )
            if org is None:
                raise _bad(n, _("未找到已认证的机构“%(n)s”") % {"n": name})
            out.append((org.pk, parts[1] if len(parts) > 1 else ""))
        return out

    def clean_team(self):
        out = []
        for n, parts in _lines(self.cleaned_data["team"]):
            if not parts[0] or len(parts[0]) > 64:
                raise _bad(n, _("请填写姓名"))
            out.append((parts[0], parts[1] if len(parts) > 1 else "", parts[2] if len(parts) > 2 else ""))
        return out

    def clean_milestones(self):
        out = []
        for n, parts in _lines(self.cleaned_data["milestones"]):
            if len(parts) < 2 or not parts[1]:
                raise _bad(n, _("请按“完成日期|目标与交付物”填写"))
            try:
                due = dt.date.fromisoformat(parts[0])
            except ValueError:
                raise _bad(n, _("日期格式应为 2027-06-30")) from None
            out.append((parts[1][:255], due))
        return out

    def clean_budget_lines(self):
        out = []
        for n, parts in _lines(self.cleaned_data["budget_lines"]):
            if len(parts) != 2 or not parts[0]:
                raise _bad(n, _("请按“预算科目|金额（元）”填写"))
            try:
                amount = parse_amount(parts[1], allow_zero=False)
            except AmountError as exc:
                raise _bad(n, str(exc)) from None
            out.append((parts[0][:128], amount))
        return out


def models_q(name: str):
    from django.db.models import Q

    return Q(name=name) | Q(credit_code=name.upper())


class FormalCheckForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审查结论"),
        choices=[("accept", _("受理")), ("return", _("退回修改"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("审查意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ReviewForm(forms.Form):
    comment = forms.CharField(label=_("评审意见"), widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, rubric=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rubric = list(rubric)
        for i, c in enumerate(self.rubric):
            self.fields[f"score_{i}"] = forms.CharField(
                label=_("%(n)s（满分%(m)d分，权重%(w)d%%）")
                % {"n": c["name"], "m": c["max_score"], "w": c["weight"]},
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            )
        self.order_fields([f"score_{i}" for i in range(len(self.rubric))] + ["comment"])

    def scores(self) -> list[str]:
        return [self.cleaned_data[f"score_{i}"] for i in range(len(self.rubric))]


class SwapForm(forms.Form):
    expert = forms.ChoiceField(label=_("更换为"))

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].choices = [
            (e.pk, f"{e.name}（{e.organisation.name}）") for e, _s, _r in candidates
        ]


class ObjectionForm(forms.Form):
    reason = forms.CharField(label=_("异议理由"), widget=forms.Textarea(attrs={"rows": 3}), min_length=5)


class RecusalForm(forms.Form):
    reason = forms.CharField(
        label=_("回避理由"),
        widget=forms.Textarea(attrs={"rows": 2}),
        min_length=5,
        help_text=_("例如：本人与申报单位有合作关系、与项目组成员有亲属关系，或曾提交相同、相近的申请。"),
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("处理意见"), widget=forms.Textarea(attrs={"rows": 2}))
    upheld = forms.BooleanField(label=_("异议成立（撤销该项目的拟立项）"), required=False)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("附件"))


def decimal_or_none(value) -> Decimal | None:
    value = (value or "").strip()
    return parse_amount(value) if value else None

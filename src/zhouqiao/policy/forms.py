from django import forms
from django.utils.translation import gettext_lazy as _

from zhouqiao.core import uploads
from zhouqiao.core.money import AmountError, parse_amount
from zhouqiao.core.money import format_yuan as yuan
from zhouqiao.policy.engine import CONTRACT_TYPES
from zhouqiao.vouchers.states import ServiceCategory
from zhouqiao.web.widgets import RegionField

TYPES = [
    ("enterprise", _("企业")),
    ("university", _("高校")),
    ("institute", _("科研院所")),
    ("new_rd_institution", _("新型研发机构")),
    ("transfer_institution", _("技术转移机构")),
    ("service_provider", _("科技服务机构")),
    ("investor", _("投资机构")),
    ("government", _("政府部门")),
]


class AmountField(forms.CharField):
    """A typed amount in yuan, parsed by the one bounded parser (``core.money.parse_amount``:
    ≤ 10¹² 元, two places); its Chinese sentence is the field's error."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 32)
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")

    def clean(self, value):
        text = super().clean(value)
        if text in (None, ""):
            return None
        try:
            return parse_amount(text)
        except AmountError as exc:
            raise forms.ValidationError(str(exc)) from exc


class CalculatorForm(forms.Form):
    date = forms.DateField(
        label=_("登记日期"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    contract_type = forms.ChoiceField(label=_("合同类型"), choices=[(t, t) for t in CONTRACT_TYPES])
    contract_amount = AmountField(label=_("合同成交额（元）"))
    technology_amount = AmountField(label=_("技术交易额（元）"))
    costs = AmountField(
        label=_("卖方申报的成果转化成本（元，用于计算净收入，可不填）"),
        required=False,
    )
    seller_type = forms.ChoiceField(label=_("卖方类型"), choices=TYPES, initial="university")
    seller_region = RegionField(label=_("卖方所在地区"), min_level="city", initial="220102")
    buyer_type = forms.ChoiceField(label=_("买方类型"), choices=TYPES, initial="enterprise")
    buyer_region = RegionField(label=_("买方所在地区"), min_level="city", initial="220104")
    broker_region = RegionField(label=_("技术经纪人执业地区（无则不选）"), min_level="city", required=False)
    institution_region = RegionField(
        label=_("技术转移机构所在地区（无则不选）"), min_level="city", required=False
    )
    institution_registered = forms.BooleanField(label=_("技术转移机构已纳入市级备案"), required=False)
    side = forms.ChoiceField(
        label=_("我方是（列出我方的每一条相关政策，及不适用的原因）"),
        choices=[("buyer", _("买方（成果承接方）")), ("seller", _("卖方（成果输出方）"))],
        initial="buyer",
        required=False,
    )

    # The fields of the case (the JSON keys) each form field feeds, for placing the engine's
    # refusals on the right input.
    CASE_FIELDS = {
        "date": "date",
        "contract_type": "contract_type",
        "contract_amount": "contract_amount",
        "technology_amount": "technology_amount",
        "costs": "costs",
        "seller.type": "seller_type",
        "seller.region": "seller_region",
        "buyer.type": "buyer_type",
        "buyer.region": "buyer_region",
        "broker.region": "broker_region",
        "transfer_institution.region": "institution_region",
        "transfer_institution.registered": "institution_registered",
    }

    def __init__(self, *args, consumable=(), **kwargs):
        """``consumable``: (beneficiary, clause, label) of each rule whose cap counts what the
        beneficiary already received this year (the calculator's ``consumed`` input)."""
        super().__init__(*args, **kwargs)
        self.consumed_fields = []
        for beneficiary, clause, label in consumable:
            name = f"consumed__{beneficiary}__{clause.replace('#', '_')}"
            self.fields[name] = AmountField(label=label, required=False)
            self.consumed_fields.append((name, beneficiary, clause))
            self.CASE_FIELDS = {**self.CASE_FIELDS, f"consumed.{beneficiary}.{clause}": name}

    def main_fields(self):
        names = {n for n, _b, _c in self.consumed_fields}
        return [self[n] for n in self.fields if n not in names]

    def consumed_inputs(self):
        return [self[n] for n, _b, _c in self.consumed_fields]

    def case(self) -> dict:
        d = self.cleaned_data
        consumed: dict = {}
        for name, beneficiary, clause in self.consumed_fields:
            if d.get(name):
                consumed.setdefault(beneficiary, {})[clause] = str(d[name])
        return {
            "date": d["date"].isoformat(),
            "contract_type": d["contract_type"],
            "contract_amount": str(d["contract_amount"]),
            "technology_amount": str(d["technology_amount"]),
            "seller": {"type": d["seller_type"], "region": d["seller_region"]},
            "buyer": {"type": d["buyer_type"], "region": d["buyer_region"]},
            "broker": {"region": d["broker_region"]} if d.get("broker_region") else None,
            "transfer_institution": {
                "registered": bool(d.get("institution_registered")),
                "region": d["institution_region"],
            }
            if d.get("institution_region")
            else None,
            "consumed": consumed,
            **({"costs": str(d["costs"])} if d.get("costs") is not None else {}),
        }


SELLER_KINDS = {"university", "institute", "new_rd_institution"}


def calculator_initial(organisation) -> dict:
    """The calculator's side and party fields prefilled with the signed-in user's organisation:
    a university, institute or R&D institution sells results, any other unit buys them."""
    if organisation is None or organisation.kind == "government":
        return {}
    side = "seller" if organisation.kind in SELLER_KINDS else "buyer"
    return {"side": side, f"{side}_type": organisation.kind, f"{side}_region": organisation.region_id}


def region_choices(province: str = "220000") -> list:
    """The province's cities and counties for a <select>, grouped by city (optgroup): the city
    itself first (its urban area), then its counties."""
    from zhouqiao.core.models import Region

    prefix = engine_prefix(province)
    regions = list(Region.objects.filter(code__startswith=prefix).exclude(code=province).order_by("code"))
    cities = [r for r in regions if r.level == "city"]
    grouped = []
    for city in cities:
        counties = [(r.code, r.name) for r in regions if r.parent_id == city.code]
        grouped.append((city.name, [(city.code, _("%(city)s（全市）") % {"city": city.name}), *counties]))
    return grouped


def engine_prefix(code: str) -> str:
    from zhouqiao.policy.engine import region_prefix

    return region_prefix(code)


STAGE_CHOICES = [
    ("", _("全部待办")),
    ("confirmed", _("待财务初审")),
    ("first_approved", _("待财务复审")),
    ("approved", _("待拨付")),
    ("computed", _("待受益方确认")),
    ("paid", _("已拨付")),
    ("rejected", _("已驳回")),
]


class FinanceFilterForm(forms.Form):
    """The finance desk's filters; every field optional and bounded."""

    status = forms.ChoiceField(label=_("办理环节"), choices=STAGE_CHOICES, required=False)
    rule = forms.ChoiceField(label=_("政策条款"), required=False)
    organisation = forms.CharField(label=_("受益单位名称"), max_length=64, required=False)
    region = forms.ChoiceField(label=_("受益单位所在地区"), required=False)
    date_from = forms.DateField(
        label=_("核定日期自"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        label=_("核定日期至"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    amount_min = forms.DecimalField(
        label=_("金额不低于（元）"), max_digits=14, decimal_places=2, min_value=0, required=False
    )
    amount_max = forms.DecimalField(
        label=_("金额不高于（元）"), max_digits=14, decimal_places=2, min_value=0, required=False
    )

    def __init__(self, *args, rules=(), regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule"].choices = [("", _("全部条款")), *rules]
        self.fields["region"].choices = [("", _("全部地区")), *regions]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("结束日期不能早于开始日期。"))
        if (
            data.get("amount_min") is not None
            and data.get("amount_max") is not None
            and data["amount_min"] > data["amount_max"]
        ):
            self.add_error("amount_max", _("最高金额不能低于最低金额。"))
        return data


class TransitionForm(forms.Form):
    reason = forms.CharField(label=_("理由"), required=False)
    payment_reference = forms.CharField(label=_("拨付凭证号"), required=False)
    voucher_category = forms.ChoiceField(
        label=_("创新券服务类别"), required=False, choices=[("", "—"), *ServiceCategory.choices]
    )


class ReviewForm(forms.Form):
    amount = AmountField(label=_("核定金额（元）"), required=False)
    reason = forms.CharField(
        label=_("评审意见（认定事项须在此记录）"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


ATTACHMENT_HELP = _("PDF、JPG或PNG，每个不超过10MB")
ACCEPT = ".pdf,.jpg,.jpeg,.png"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern); the service checks each."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def uploaded(files) -> list[tuple[bytes, str]]:
    """Uploaded files as the service takes them: (content, original name) (core.uploads)."""
    return [uploads.read_scan(f) for f in files or []]


class StatementForm(forms.Form):
    """Submitting an invited application: the statement and one upload per required material."""

    statement = forms.CharField(
        label=_("申请说明（转化成效、创新性、市场前景等）"), widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, materials=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.materials = list(materials)
        for i, material in enumerate(self.materials):
            self.fields[f"material_{i}"] = MultipleFileField(label=material, help_text=ATTACHMENT_HELP)

    def uploaded_files(self) -> list[tuple[str, bytes, str]]:
        """[(material, content, original name)] of the uploaded files."""
        out = []
        for i, material in enumerate(self.materials):
            for content, name in uploaded(self.cleaned_data.get(f"material_{i}")):
                out.append((material, content, name))
        return out


class AttachmentForm(forms.Form):
    """Adding materials to an application not yet reviewed."""

    material = forms.ChoiceField(label=_("对应的须附材料"), required=False)
    attachments = MultipleFileField(label=_("文件"), help_text=ATTACHMENT_HELP)

    def __init__(self, *args, materials=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["material"].choices = [(m, m) for m in materials] + [("", _("其他材料"))]


def claimable_rules_for(organisations) -> list:
    """The event rules at least one of these organisations may claim: the same check the service
    makes (``engine.may_claim``: the rule's region and unit type), so the form lists nothing the
    service would refuse for that reason."""
    from zhouqiao.policy import engine

    applicants = [engine.Party(type=o.kind, region=o.region_id) for o in organisations]
    return [r for r in engine.claimable_event_rules() if any(engine.may_claim(r, a) for a in applicants)]


def event_rule_choices(rules=None):
    from zhouqiao.policy import describe, engine

    choices = []
    for rule in engine.claimable_event_rules() if rules is None else rules:
        amount = rule.parameter(rule.fixed_amount or "ceiling", rule.valid_from)[0] or ""
        kind = _("定额") if rule.automatic else _("最高")
        label = _("%(clause)s %(title)s（%(kind)s %(amount)s）")
        choices.append(
            (
                rule.id,
                label
                % {
                    "clause": describe.cite(rule.clause).text,
                    "title": rule.title,
                    "kind": kind,
                    "amount": yuan(amount),
                },
            )
        )
    return choices


class EventApplicationForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("申请单位"), queryset=None, empty_label=None)
    rule_id = forms.ChoiceField(
        label=_("申请的政策条款"),
        choices=(),
        error_messages={
            "invalid_choice": _("本单位不能申请所选条款（适用地区或单位类型不符），请从列表中选择。")
        },
    )
    event_date = forms.DateField(
        label=_("事项发生日期（认定、获奖、转化等）"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    event_reference = forms.CharField(label=_("证书或文件编号"), max_length=100)
    statement = forms.CharField(
        label=_("申请说明（事项经过与取得的效益）"), widget=forms.Textarea(attrs={"rows": 4})
    )
    attachments = MultipleFileField(
        label=_("证明材料"),
        help_text=_("按所选条款的“须附材料”上传（见下表），PDF、JPG或PNG，每个不超过10MB；可多选"),
    )

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.rules = claimable_rules_for(organisations)
        self.fields["rule_id"].choices = event_rule_choices(self.rules)

    def uploaded_files(self) -> list[tuple[str, bytes, str]]:
        """[(material, content, original name)]: tied to the rule's one material if it has only
        one, else untied (the reviewer sees them as the application's materials)."""
        from zhouqiao.policy import engine

        rule = engine.rule_by_id(self.cleaned_data.get("rule_id") or "")
        material = rule.evidence[0] if rule is not None and len(rule.evidence) == 1 else ""
        return [(material, c, n) for c, n in uploaded(self.cleaned_data.get("attachments"))]


class SchemeForm(forms.Form):
    """The unit's shares in percent, as 002#15 and 003#17 state them (不低于70%); the service
    keeps fractions (``ratios()``)."""

    inventors_ratio = forms.DecimalField(
        label=_("成果完成人（团队）比例（%，不低于70%）"),
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
    )
    department_ratio = forms.DecimalField(
        label=_("院系（所）比例（%）"), max_digits=5, decimal_places=2, min_value=0, max_value=100
    )

    @staticmethod
    def as_percent(ratio) -> str:
        from decimal import Decimal

        return f"{(Decimal(str(ratio)) * 100).normalize():f}"

    def ratios(self) -> tuple:
        d = self.cleaned_data
        return d["inventors_ratio"] / 100, d["department_ratio"] / 100


class DistributionForm(forms.Form):
    contract = forms.ModelChoiceField(label=_("已登记的技术合同"), queryset=None)
    costs = forms.DecimalField(
        label=_("相关成本（评估、专利维护、谈判等，元）"),
        max_digits=14,
        decimal_places=2,
        min_value=0,
        initial="0.00",
    )

    def __init__(self, *args, contracts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contract"].queryset = contracts
        # 登记号 · 合同名称 · 金额, not the registration number alone (Contract.__str__)
        self.fields["contract"].label_from_instance = lambda c: " · ".join(
            part for part in (c.registration_number or "", c.title, str(yuan(c.contract_amount))) if part
        )


class InventorForm(forms.Form):
    name = forms.CharField(label=_("成果完成人"), max_length=64, required=False)
    share = forms.DecimalField(label=_("份额"), max_digits=7, decimal_places=4, min_value=0, required=False)


InventorFormSet = forms.formset_factory(InventorForm, extra=5, max_num=20)


class ParameterChangeForm(forms.Form):
    """A policy editor's proposal: which value (a rule's parameter, or the document's status),
    the new value, from when, why, and the adopting document's number."""

    target = forms.ChoiceField(label=_("调整项目"))
    value = forms.CharField(
        label=_("新值"),
        max_length=64,
        help_text=_(
            "按“现为”的写法填写：金额如“150万元”（也可填元数 1500000）；比例如“3%”；"
            "上限计算方式填“每个受益方每自然年”或“每份合同”；文件状态填“施行”或“废止”。"
        ),
    )
    effective_from = forms.DateField(
        label=_("生效日期"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    reason = forms.CharField(label=_("调整理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    adopting_document = forms.CharField(label=_("依据文件文号"), max_length=100)

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [("", _("请选择")), *targets]

    def clean_value(self):
        """The words as the page shows them, in the page's language, to the values stored."""
        from zhouqiao.policy.engine import IN_FORCE, REPEALED
        from zhouqiao.policy.parameters import CAP_PERIODS

        words = {"每年": "year", **{str(label): code for code, label in CAP_PERIODS.items()}}
        words.update({str(_("施行")): IN_FORCE, str(_("废止")): REPEALED})
        value = self.cleaned_data["value"].strip()
        return words.get(value, value)

    def split_target(self) -> tuple[str, str, str]:
        """(package, rule id or "", parameter name) of the chosen target."""
        package, rule_id, name = self.cleaned_data["target"].split(":")
        return package, rule_id, name


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("审批意见（不予通过时必填）"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

from django import forms
from django.utils.translation import gettext_lazy as _

from zhouqiao.core.money import format_yuan as yuan
from zhouqiao.policy.engine import CONTRACT_TYPES
from zhouqiao.vouchers.states import ServiceCategory

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


class CalculatorForm(forms.Form):
    date = forms.DateField(
        label=_("登记日期"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    contract_type = forms.ChoiceField(label=_("合同类型"), choices=[(t, t) for t in CONTRACT_TYPES])
    contract_amount = forms.DecimalField(
        label=_("合同成交额（元）"), max_digits=14, decimal_places=2, min_value=0
    )
    technology_amount = forms.DecimalField(
        label=_("技术交易额（元）"), max_digits=14, decimal_places=2, min_value=0
    )
    seller_type = forms.ChoiceField(label=_("卖方类型"), choices=TYPES, initial="university")
    seller_region = forms.CharField(label=_("卖方地区代码"), max_length=6, initial="220102")
    buyer_type = forms.ChoiceField(label=_("买方类型"), choices=TYPES, initial="enterprise")
    buyer_region = forms.CharField(label=_("买方地区代码"), max_length=6, initial="220104")
    broker_region = forms.CharField(
        label=_("技术经纪人执业地区代码（无则留空）"), max_length=6, required=False
    )
    institution_region = forms.CharField(
        label=_("技术转移机构地区代码（无则留空）"), max_length=6, required=False
    )
    institution_registered = forms.BooleanField(label=_("技术转移机构已纳入市级备案"), required=False)

    def case(self) -> dict:
        d = self.cleaned_data
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
            "consumed": {},
        }


class TransitionForm(forms.Form):
    reason = forms.CharField(label=_("理由"), required=False)
    payment_reference = forms.CharField(label=_("拨付凭证号"), required=False)
    voucher_category = forms.ChoiceField(
        label=_("创新券服务类别"), required=False, choices=[("", "—"), *ServiceCategory.choices]
    )


class ReviewForm(forms.Form):
    amount = forms.DecimalField(
        label=_("核定金额（元）"), max_digits=14, decimal_places=2, min_value=0, required=False
    )
    reason = forms.CharField(label=_("评审意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class StatementForm(forms.Form):
    statement = forms.CharField(
        label=_("申请说明（转化成效、创新性、市场前景等）"), widget=forms.Textarea(attrs={"rows": 4})
    )


def event_rule_choices():
    from zhouqiao.policy import engine

    choices = []
    for rule in engine.event_rules():
        amount = rule.parameter(rule.fixed_amount or "ceiling", rule.valid_from)[0] or ""
        kind = _("定额") if rule.automatic else _("最高")
        label = _("%(clause)s %(title)s（%(kind)s %(amount)s）")
        choices.append(
            (
                rule.id,
                label % {"clause": rule.clause, "title": rule.title, "kind": kind, "amount": yuan(amount)},
            )
        )
    return choices


class EventApplicationForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("申请单位"), queryset=None, empty_label=None)
    rule_id = forms.ChoiceField(label=_("申请的政策条款"), choices=())
    event_date = forms.DateField(
        label=_("事项发生日期（认定、获奖、转化等）"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    event_reference = forms.CharField(label=_("证书或文件编号"), max_length=100)
    statement = forms.CharField(
        label=_("申请说明（事项经过与取得的效益）"), widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["rule_id"].choices = event_rule_choices()


class SchemeForm(forms.Form):
    inventors_ratio = forms.DecimalField(
        label=_("成果完成人（团队）比例（不低于0.70）"),
        max_digits=5,
        decimal_places=4,
        min_value=0,
        max_value=1,
    )
    department_ratio = forms.DecimalField(
        label=_("院系（所）比例"), max_digits=5, decimal_places=4, min_value=0, max_value=1
    )


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


class InventorForm(forms.Form):
    name = forms.CharField(label=_("成果完成人"), max_length=64, required=False)
    share = forms.DecimalField(label=_("份额"), max_digits=7, decimal_places=4, min_value=0, required=False)


InventorFormSet = forms.formset_factory(InventorForm, extra=5, max_num=20)

from django import forms
from django.utils.translation import gettext_lazy as _

from zhouqiao.policy.engine import CONTRACT_TYPES

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
    date = forms.DateField(label=_("登记日期"), widget=forms.DateInput(attrs={"type": "date"}))
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

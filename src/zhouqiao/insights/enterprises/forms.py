from django import forms
from django.utils.translation import gettext_lazy as _

from zhouqiao.insights.enterprises.states import CertificationKind, Figure


class CertificationForm(forms.Form):
    kind = forms.ChoiceField(label=_("认定类型"), choices=CertificationKind.choices)
    number = forms.CharField(label=_("证书编号"), max_length=64)
    valid_from = forms.DateField(
        label=_("有效期起"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    valid_until = forms.DateField(
        label=_("有效期至"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class CriterionForm(forms.Form):
    figure = forms.ChoiceField(label=_("指标"), choices=Figure.choices)
    minimum = forms.CharField(
        label=_("不低于"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=2000)

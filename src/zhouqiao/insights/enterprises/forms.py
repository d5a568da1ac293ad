from django import forms
from django.utils.translation import gettext_lazy as _

from zhouqiao.insights.enterprises.states import YES_NO_FIGURES, CertificationKind, Figure


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
    """A threshold: a certificate figure (是否高新技术企业 …) means it must be held (是); the rest a
    number. "Not required" is no criterion at all, so it is not offered (delete the criterion)."""

    figure = forms.ChoiceField(
        label=_("指标"),
        choices=Figure.choices,
        help_text=_("选择“是否……”类资质指标，即要求企业持有该项有效认定，无需填写门槛。"),
    )
    minimum = forms.CharField(
        label=_("不低于（数量、金额类指标）"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=_("金额以元为单位，例如 5000000；资质类指标不填。"),
    )
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if data.get("figure") in YES_NO_FIGURES:
            data["minimum"] = "1"
        elif not (data.get("minimum") or "").strip():
            self.add_error("minimum", _("请填写门槛。"))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=2000)

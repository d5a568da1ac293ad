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
    """A threshold: a 是/否 for the certificate figures (是否高新技术企业 …), a number for the rest."""

    figure = forms.ChoiceField(label=_("指标"), choices=Figure.choices)
    answer = forms.ChoiceField(
        label=_("要求（“是否”类指标）"),
        choices=[("1", _("是")), ("0", _("否（不作要求）"))],
        initial="1",
        required=False,
        help_text=_("指标为“是否高新技术企业”等资质时选择；其他指标不看此项。"),
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
            data["minimum"] = data.get("answer") or "1"
        elif not (data.get("minimum") or "").strip():
            self.add_error("minimum", _("请填写门槛。"))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=2000)

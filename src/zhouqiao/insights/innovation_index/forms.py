from django import forms
from django.utils.translation import gettext_lazy as _

from zhouqiao.insights.innovation_index import framework as fw

MAX_UPLOAD = 5 * 1024 * 1024


class OpenYearForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("填好的输入数据模板（.xlsx，5 MB 以内）"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("文件不能超过5 MB。"))
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("请上传 .xlsx 格式的 Excel 文件。"))
        return upload


class MethodForm(forms.Form):
    normalisation = forms.ChoiceField(label=_("标准化方法"), choices=list(fw.NORMALISATIONS.items()))

    def __init__(self, *args, weights=None, **kwargs):
        super().__init__(*args, **kwargs)
        weights = weights or fw.default_weights()
        for p in fw.PILLARS:
            self.fields[f"pillar_{p.code}"] = forms.DecimalField(
                label=_("分项权重：%(p)s") % {"p": p.label},
                min_value=0,
                max_value=100,
                max_digits=8,
                decimal_places=4,
                initial=weights["pillars"].get(p.code, 1),
            )
        for i in fw.INDICATORS:
            self.fields[f"indicator_{i.code}"] = forms.DecimalField(
                label=_("指标权重：%(i)s") % {"i": i.label},
                min_value=0,
                max_value=100,
                max_digits=8,
                decimal_places=4,
                initial=weights["indicators"].get(i.code, 1),
            )

    def weights(self) -> dict:
        data = self.cleaned_data
        return {
            "pillars": {p: data[f"pillar_{p}"] for p in fw.PILLAR_CODES},
            "indicators": {i: data[f"indicator_{i}"] for i in fw.INDICATOR_CODES},
        }


class InputForm(forms.Form):
    """One region's inputs for one year, one field per framework input."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for inp in fw.INPUTS:
            self.fields[inp.code] = forms.DecimalField(
                label=f"{inp.label}（{inp.unit}）",
                required=inp.required,
                min_value=0,
                max_value=10**11,
                max_digits=18,
                decimal_places=6,
                help_text=_("必填，须大于0") if inp.required else _("可空；空缺视为缺失，不按0计"),
            )

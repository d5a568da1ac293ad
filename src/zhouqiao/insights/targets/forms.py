from django import forms
from django.utils.translation import gettext_lazy as _


class ActualForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    value = forms.CharField(label=_("实际值"), max_length=30)
    source_document = forms.CharField(
        label=_("来源文件"), max_length=200, help_text=_("如：2020年吉林省国民经济和社会发展统计公报")
    )
    note = forms.CharField(label=_("备注"), max_length=500, required=False)

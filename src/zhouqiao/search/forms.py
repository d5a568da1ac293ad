from django import forms
from django.utils.translation import gettext_lazy as _

from zhouqiao.search.novelty import MAX_TEXT


class NoveltyForm(forms.Form):
    title = forms.CharField(label=_("名称"), max_length=255, required=False)
    text = forms.CharField(
        label=_("内容（摘要、技术方案、需求描述等）"),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=MAX_TEXT,
        required=False,
    )
    keywords = forms.CharField(label=_("关键词（用顿号分隔）"), max_length=255, required=False)

    def clean(self):
        data = super().clean()
        if not (data.get("title") or "").strip() and not (data.get("text") or "").strip():
            raise forms.ValidationError(_("请填写要查重的名称或内容。"))
        return data


class RecordPickForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("类型"), choices=[("achievement", _("科技成果")), ("demand", _("技术需求"))]
    )
    pk = forms.IntegerField(label=_("编号"), min_value=1)


class PatentImportForm(forms.Form):
    file = forms.FileField(label=_("专利 CSV 文件（UTF-8）"))

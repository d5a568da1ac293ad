"""Forms only parse: the rules live in ``validation`` and ``services`` (errors come back onto fields)."""

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from zhouqiao.catalog.models import (
    Achievement,
    Confidentiality,
    ImportKind,
    IntellectualProperty,
    PriceKind,
    TransferMode,
)
from zhouqiao.core.models import KeyIndustry
from zhouqiao.core.taxonomies import ReadinessLevel
from zhouqiao.web.widgets import CodePickerWidget, DateInput

TEXTAREA = forms.Textarea(attrs={"rows": 4})


def _key_industry_choices():
    return list(KeyIndustry.objects.values_list("slug", "name"))


class OwnerMixin:
    def set_owners(self, organisations):
        """Offer the user's organisations; hidden when there is only one."""
        choices = [(o.pk, o.name) for o in organisations]
        self.fields["owner"] = forms.TypedChoiceField(label=_("所属机构"), choices=choices, coerce=int)
        if len(choices) == 1:
            self.fields["owner"].initial = choices[0][0]
            self.fields["owner"].widget = forms.HiddenInput()


class RecordForm(OwnerMixin, forms.Form):
    title = forms.CharField(label=_("名称"), max_length=200)
    industry = forms.CharField(
        label=_("所属行业（GB/T 4754）"),
        max_length=8,
        required=False,
        help_text=_("如 3670 汽车零部件及配件制造"),
        widget=CodePickerWidget("industry"),
    )
    key_industries = forms.MultipleChoiceField(
        label=_("重点产业"), required=False, widget=forms.CheckboxSelectMultiple
    )
    keywords = forms.CharField(
        label=_("关键词"), max_length=200, required=False, help_text=_("多个用顿号分隔")
    )
    contact_name = forms.CharField(label=_("联系人"), max_length=64, required=False)
    contact_phone = forms.CharField(
        label=_("联系电话"), max_length=20, required=False, help_text=_("对公众脱敏显示")
    )
    contact_email = forms.CharField(label=_("联系邮箱"), max_length=254, required=False)

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key_industries"].choices = _key_industry_choices()
        if organisations:
            self.set_owners(organisations)


class AchievementForm(RecordForm):
    field_order = [
        "owner",
        "title",
        "abstract",
        "problem",
        "advantages",
        "scenarios",
        "economics",
        "readiness",
        "industry",
        "patent_class",
        "discipline",
        "key_industries",
        "keywords",
        "transfer_modes",
        "price_kind",
        "price_min",
        "price_max",
        "team",
    ]
    abstract = forms.CharField(label=_("成果简介"), widget=TEXTAREA)
    problem = forms.CharField(label=_("解决的问题"), widget=TEXTAREA, required=False)
    advantages = forms.CharField(label=_("技术优势（与现有方案比较）"), widget=TEXTAREA, required=False)
    scenarios = forms.CharField(label=_("应用场景"), widget=TEXTAREA, required=False)
    economics = forms.CharField(label=_("经济性比较（与主流替代方案）"), widget=TEXTAREA, required=False)
    readiness = forms.ChoiceField(label=_("技术就绪水平（TRL）"), choices=ReadinessLevel.choices)
    patent_class = forms.CharField(
        label=_("IPC 分类号"),
        max_length=20,
        required=False,
        help_text=_("如 B60L 15/00"),
        widget=CodePickerWidget("ipc"),
    )
    discipline = forms.CharField(
        label=_("学科（GB/T 13745）"), max_length=8, required=False, widget=CodePickerWidget("discipline")
    )
    transfer_modes = forms.MultipleChoiceField(
        label=_("转化方式"), choices=TransferMode.choices, widget=forms.CheckboxSelectMultiple
    )
    price_kind = forms.ChoiceField(
        label=_("价格方式"), choices=PriceKind.choices, widget=forms.RadioSelect, initial=PriceKind.NEGOTIABLE
    )
    price_min = forms.CharField(label=_("价格（元）或下限"), max_length=20, required=False)
    price_max = forms.CharField(label=_("价格上限（元）"), max_length=20, required=False)
    team = forms.CharField(label=_("团队与发明人"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class IPItemForm(forms.ModelForm):
    """One row of the IP table; the rules (number required, dates in order) are the service's."""

    class Meta:
        model = IntellectualProperty
        fields = ["kind", "number", "status", "filed_on", "granted_on"]
        widgets = {
            "filed_on": DateInput(),
            "granted_on": DateInput(),
        }

    def has_changed(self):
        # A blank new row still sends its status drop-down's default: that alone is not a row.
        if self.instance.pk is None and not any(
            self.data.get(self.add_prefix(n)) for n in ("kind", "number", "filed_on", "granted_on")
        ):
            return False
        return super().has_changed()


# Existing rows carry their id (edited in place), a ticked "删除" removes one, and one blank row
# adds one; an unchanged blank row is ignored.
IPFormSet = inlineformset_factory(
    Achievement,
    IntellectualProperty,
    form=IPItemForm,
    extra=1,
    max_num=30,
    validate_max=True,
    can_delete=True,
)


def ip_items_from(formset) -> list[dict]:
    """The whole IP list the page asks for: kept rows with their id, new rows without."""
    items = []
    for form in formset.forms:
        existing = form.cleaned_data.get("id")  # the service checks that it is this achievement's
        if form in formset.deleted_forms or (existing is None and not form.has_changed()):
            continue
        item = {k: v for k, v in form.cleaned_data.items() if k in IPItemForm.Meta.fields}
        if existing is not None:
            item["id"] = existing.pk
        items.append(item)
    return items


class DemandForm(RecordForm):
    field_order = [
        "owner",
        "title",
        "summary",
        "problem",
        "indicators",
        "current_approach",
        "budget_min",
        "budget_max",
        "deadline",
        "cooperation_modes",
        "confidentiality",
        "industry",
        "key_industries",
        "keywords",
    ]
    summary = forms.CharField(
        label=_("需求摘要（公开）"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("对所有人公开，不要写入保密内容"),
    )
    problem = forms.CharField(label=_("需要解决的问题"), widget=TEXTAREA)
    indicators = forms.CharField(label=_("需达到的技术指标"), widget=TEXTAREA, required=False)
    current_approach = forms.CharField(label=_("目前的做法"), widget=TEXTAREA, required=False)
    budget_min = forms.CharField(label=_("预算下限（元）"), max_length=20, required=False)
    budget_max = forms.CharField(label=_("预算上限（元）"), max_length=20, required=False)
    deadline = forms.DateField(label=_("截止日期"), required=False, widget=DateInput())
    cooperation_modes = forms.MultipleChoiceField(
        label=_("合作方式"), choices=TransferMode.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    confidentiality = forms.ChoiceField(
        label=_("保密级别"),
        choices=Confidentiality.choices,
        widget=forms.RadioSelect,
        initial=Confidentiality.PUBLIC,
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("附件（PDF、Office 文档或图片，20 MB 以内）"))


class InviteForm(forms.Form):
    organisation = forms.IntegerField(label=_("受邀机构编号"), min_value=1)


class ImportForm(OwnerMixin, forms.Form):
    kind = forms.ChoiceField(label=_("导入类型"), choices=ImportKind.choices)
    file = forms.FileField(label=_("文件（.xlsx 或 .csv）"))
    submit_for_review = forms.BooleanField(label=_("导入后直接提交审核（机构须已认证）"), required=False)

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.set_owners(organisations)


class PackageForm(forms.Form):
    title = forms.CharField(label=_("成果包名称"), max_length=200)
    theme = forms.CharField(label=_("主题"), max_length=200, required=False)
    key_industry = forms.ChoiceField(label=_("重点产业"), required=False)
    region = forms.ChoiceField(label=_("发布地区"))
    description = forms.CharField(label=_("说明"), widget=TEXTAREA, required=False)
    achievements = forms.CharField(
        label=_("收录成果编号"), help_text=_("已发布成果的编号，用逗号分隔"), required=False
    )

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key_industry"].choices = [("", "—")] + _key_industry_choices()
        self.fields["region"].choices = [(r.code, r.full_name) for r in regions]

    def achievement_ids(self) -> list[int]:
        text = (
            (self.cleaned_data.get("achievements") or "")
            .replace("，", ",")
            .replace("、", ",")
            .replace(" ", ",")
        )
        ids = []
        for token in text.split(","):
            if token.strip().isdigit():
                ids.append(int(token.strip()))
            elif token.strip():
                self.add_error("achievements", _("成果编号应为数字。"))
        return ids

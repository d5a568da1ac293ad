"""Forms of 揭榜挂帅: they collect what a person typed; the services validate it (so the API and
the pages refuse the same input with the same Chinese message)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from zhouqiao.core.forms import AmountField
from zhouqiao.programs.challenges.states import ChallengeStatus, Direction, Eligibility

INDICATOR_ROWS = 4
MILESTONE_ROWS = 4
DATE = forms.DateInput(attrs={"type": "date"})


class ChallengeForm(forms.Form):
    demand_id = forms.TypedChoiceField(label=_("来源技术需求"), coerce=int, required=False)
    title = forms.CharField(label=_("榜单名称"), max_length=200)
    summary = forms.CharField(label=_("榜单说明（公开）"), widget=forms.Textarea(attrs={"rows": 4}))
    investment = AmountField(label=_("企业先行投入（元）"))
    reward = AmountField(label=_("揭榜奖励（元）"))
    deadline = forms.CharField(label=_("揭榜截止日期"), widget=DATE)
    completion_date = forms.CharField(label=_("攻关完成期限"), widget=DATE)
    eligibility = forms.ChoiceField(
        label=_("揭榜条件"), choices=Eligibility.choices, initial=Eligibility.NATIONWIDE
    )

    def __init__(self, *args, demands=(), government=False, **kwargs):
        super().__init__(*args, **kwargs)
        if government:
            del self.fields["demand_id"]
        else:
            self.fields["demand_id"].choices = [("", _("请选择"))] + [(d.pk, d.title) for d in demands]
            self.fields["demand_id"].required = True


class IndicatorForm(forms.Form):
    name = forms.CharField(label=_("指标名称"), max_length=100, required=False)
    target = forms.CharField(label=_("目标值"), max_length=24, required=False)
    unit = forms.CharField(label=_("单位"), max_length=20, required=False)
    direction = forms.ChoiceField(label=_("达标方向"), choices=Direction.choices, initial=Direction.AT_LEAST)
    method = forms.CharField(label=_("测量方法"), max_length=255, required=False)


IndicatorFormSet = forms.formset_factory(IndicatorForm, extra=INDICATOR_ROWS, max_num=10)


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("里程碑"), max_length=200, required=False)
    deliverable = forms.CharField(label=_("交付物"), max_length=255, required=False)
    due_on = forms.CharField(label=_("计划完成日期"), required=False, widget=DATE)


MilestoneFormSet = forms.formset_factory(MilestoneForm, extra=MILESTONE_ROWS, max_num=12)


class ProposalForm(forms.Form):
    lead_id = forms.TypedChoiceField(label=_("牵头单位"), coerce=int)
    partner_ids = forms.TypedMultipleChoiceField(
        label=_("联合单位（可多选）"),
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    members = forms.CharField(
        label=_("团队成员（每行一人：姓名（单位、职称））"), widget=forms.Textarea(attrs={"rows": 3})
    )
    technical_route = forms.CharField(label=_("技术路线"), widget=forms.Textarea(attrs={"rows": 5}))
    price = AmountField(label=_("报价（元）"))
    schedule = forms.CharField(label=_("进度安排"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, leads=(), partners=(), indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_id"].choices = [(o.pk, o.name) for o in leads]
        self.fields["partner_ids"].choices = [(o.pk, o.name) for o in partners]
        self.indicators = list(indicators)
        for indicator in self.indicators:
            self.fields[f"committed_{indicator.pk}"] = forms.CharField(
                label=_("%(name)s 承诺值（%(dir)s %(target)s %(unit)s）")
                % {
                    "name": indicator.name,
                    "dir": indicator.get_direction_display(),
                    "target": indicator.target_text,
                    "unit": indicator.unit,
                },
                required=False,
                max_length=24,
            )

    def committed(self) -> dict:
        return {i.pk: self.cleaned_data.get(f"committed_{i.pk}", "") for i in self.indicators}

    def committed_fields(self):
        return [self[f"committed_{i.pk}"] for i in self.indicators]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("意见或理由"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class RecusalForm(forms.Form):
    reason = forms.CharField(
        label=_("回避理由"),
        widget=forms.Textarea(attrs={"rows": 2}),
        min_length=5,
        help_text=_("例如：本人与该揭榜团队的单位有合作关系、与团队成员有亲属关系，或曾参与该方案的编写。"),
    )


class ScoreForm(forms.Form):
    score = forms.CharField(
        label=_("评分（0–100）"), max_length=5, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    comment = forms.CharField(label=_("评审意见"), widget=forms.Textarea(attrs={"rows": 2}))


class ReportForm(forms.Form):
    report = forms.CharField(label=_("交付说明"), widget=forms.Textarea(attrs={"rows": 2}))


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("附件"))
    confidential = forms.BooleanField(
        label=_("保密附件（仅发榜单位、项目管理人员和受邀评审专家可见）"), required=False
    )


class AcceptanceForm(forms.Form):
    note = forms.CharField(label=_("验收意见"), widget=forms.Textarea(attrs={"rows": 3}))
    witness_id = forms.TypedChoiceField(
        label=_("见证专家（可选）"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, committed=(), experts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["witness_id"].choices = [("", _("不邀请"))] + [
            (e.pk, f"{e.name}（{e.organisation.name}）") for e in experts
        ]
        self.committed = list(committed)
        for c in self.committed:
            i = c.indicator
            self.fields[f"measured_{i.pk}"] = forms.CharField(
                label=_("%(name)s 实测值（承诺%(dir)s %(value)s %(unit)s）")
                % {
                    "name": i.name,
                    "dir": i.get_direction_display(),
                    "value": c.value_text,
                    "unit": i.unit,
                },
                required=False,
                max_length=24,
            )

    def measured(self) -> dict:
        return {
            c.indicator_id: self.cleaned_data.get(f"measured_{c.indicator_id}", "") for c in self.committed
        }

    def measured_fields(self):
        return [self[f"measured_{c.indicator_id}"] for c in self.committed]


class BoardFilterForm(forms.Form):
    q = forms.CharField(label=_("关键词"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("全部状态"))]
        + [
            (s.value, s.label)
            for s in (
                ChallengeStatus.OPEN,
                ChallengeStatus.REVIEWING,
                ChallengeStatus.AWARDED,
                ChallengeStatus.IN_PROGRESS,
                ChallengeStatus.ACCEPTED,
                ChallengeStatus.UNAWARDED,
            )
        ],
    )
    region = forms.ChoiceField(label=_("发榜地区"), required=False)

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("全部地区"))] + list(regions)

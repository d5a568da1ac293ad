from django import forms
from django.utils.translation import gettext_lazy as _

from zhouqiao.core.forms import AmountField
from zhouqiao.programs.projects.states import AcceptanceConclusion, MidTermConclusion, Opinion

DATE = forms.DateInput(attrs={"type": "date"})
TEXT = forms.Textarea(attrs={"rows": 4})


class SearchForm(forms.Form):
    q = forms.CharField(label=_("关键词"), required=False, max_length=100)
    region = forms.ChoiceField(label=_("地区"), required=False)
    year = forms.ChoiceField(label=_("立项年度"), required=False)

    def __init__(self, *args, regions=(), years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("全部地区")), *regions]
        self.fields["year"].choices = [("", _("全部年度")), *[(str(y), str(y)) for y in years]]


class AssignForm(forms.Form):
    prefix = "assign"

    officer = forms.ChoiceField(label=_("项目专员"))
    supervisor = forms.CharField(label=_("项目监理（单位或人员，可不填）"), required=False, max_length=200)
    mid_term_due = forms.DateField(label=_("中期检查时间（可不填）"), required=False, widget=DATE)

    def __init__(self, *args, officers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].choices = [(str(u.pk), u.display_name or u.username) for u in officers]


class MilestoneForm(forms.Form):
    prefix = "milestone"

    deliverable = forms.CharField(label=_("节点目标与交付物"), max_length=200)
    due_date = forms.DateField(label=_("计划完成日期"), widget=DATE)


class ReportForm(forms.Form):
    prefix = "report"

    body = forms.CharField(label=_("报告内容"), widget=TEXT, max_length=5000)


class DisbursementForm(forms.Form):
    prefix = "disburse"

    amount = AmountField(label=_("拨付金额（元）"), positive=True)
    paid_on = forms.DateField(label=_("拨付日期"), widget=DATE)
    note = forms.CharField(label=_("说明（可不填）"), required=False, max_length=200)


class MidTermForm(forms.Form):
    prefix = "mid_term"

    conclusion = forms.ChoiceField(
        label=_("中期检查结论"), choices=MidTermConclusion.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(label=_("检查意见"), widget=TEXT, max_length=5000)

    def __init__(self, *args, recheck: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if recheck:  # under 整改: the re-check passes the project or ends it
            self.fields["conclusion"].label = _("整改复查结论")
            self.fields["conclusion"].choices = [
                c for c in MidTermConclusion.choices if c[0] != MidTermConclusion.RECTIFY
            ]


class FinalReportForm(forms.Form):
    prefix = "final"

    title = forms.CharField(label=_("科技报告题名"), max_length=200)
    abstract = forms.CharField(label=_("摘要"), widget=TEXT, max_length=2000)
    body = forms.CharField(label=_("正文"), widget=forms.Textarea(attrs={"rows": 8}), max_length=100_000)


class PanelForm(forms.Form):
    prefix = "panel"

    experts = forms.MultipleChoiceField(label=_("验收专家"), widget=forms.CheckboxSelectMultiple)
    due_date = forms.DateField(label=_("验收意见截止日期"), widget=DATE)

    def __init__(self, *args, experts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["experts"].choices = [
            (str(e.pk), f"{e.name}（{e.organisation.name}{'，' + e.title if e.title else ''}）")
            for e in experts
        ]


class OpinionForm(forms.Form):
    prefix = "opinion"

    opinion = forms.ChoiceField(label=_("验收意见"), choices=Opinion.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("评价意见"), widget=TEXT, max_length=5000)


class ConclusionForm(forms.Form):
    prefix = "conclude"

    conclusion = forms.ChoiceField(
        label=_("验收结论"), choices=AcceptanceConclusion.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(label=_("验收意见"), widget=TEXT, max_length=5000)
    report_public_from = forms.DateField(
        label=_("科技报告公开日期（不填则验收当日公开）"), required=False, widget=DATE
    )

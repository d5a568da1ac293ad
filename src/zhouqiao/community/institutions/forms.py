"""Forms parse what people type; the services decide (and refuse with Chinese messages)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from zhouqiao.community.institutions import weights
from zhouqiao.community.institutions.states import BrokerLevel, ServiceType
from zhouqiao.core.forms import AmountField, ShowsEveryError
from zhouqiao.web.widgets import DateInput


class FilingForm(ShowsEveryError, forms.Form):
    staff_count = forms.IntegerField(label=_("专职从业人员（人）"), min_value=1, max_value=100000)
    part_time_experts = forms.IntegerField(
        label=_("兼职专家（人）"), min_value=0, max_value=100000, initial=0
    )
    fields = forms.CharField(
        label=_("服务领域"), max_length=200, help_text=_("如：先进制造、生物医药、新材料")
    )
    services = forms.MultipleChoiceField(
        label=_("服务类型"),
        choices=ServiceType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,  # the service names what is missing, in its own words
        help_text=_("依据《技术转移服务规范》（GB/T 34670）"),
    )
    description = forms.CharField(
        label=_("机构简介与服务内容"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def service_errors(self, data):
        from zhouqiao.community.institutions.services import filing_errors

        return filing_errors(data)


class DecisionForm(forms.Form):
    reason = forms.CharField(label=_("审核意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class BrokerForm(ShowsEveryError, forms.Form):
    user = forms.TypedChoiceField(label=_("本机构成员账号"), coerce=int)
    name = forms.CharField(label=_("姓名（与技术合同所填一致）"), max_length=64)
    level = forms.ChoiceField(label=_("等级"), choices=BrokerLevel.choices)
    certificate_number = forms.CharField(label=_("证书编号"), max_length=40)
    certificate_issuer = forms.CharField(
        label=_("发证机构"), max_length=128, initial=_("国家技术转移东北中心")
    )
    certificate_date = forms.DateField(label=_("发证日期"), widget=DateInput())
    fields = forms.CharField(label=_("服务领域"), max_length=200, required=False)
    profile = forms.CharField(label=_("个人简介"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    certificate_scan = forms.FileField(
        label=_("证书扫描件"),
        required=False,
        help_text=_("PDF、JPG或PNG，不超过10MB；上传新扫描件后证书重新提交核验"),
        widget=forms.FileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args, members=(), editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["user"]
        else:
            self.fields["user"].choices = [(u.pk, str(u)) for u in members]

    def service_errors(self, data):
        from django.utils import timezone

        from zhouqiao.community.institutions.services import broker_errors
        from zhouqiao.core import clock

        return broker_errors(data, today=timezone.localdate(clock.now()))


class TrainingForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=1980, max_value=2100)
    course = forms.CharField(label=_("培训课程"), max_length=200)
    provider = forms.CharField(label=_("培训机构"), max_length=128, initial=_("国家技术转移东北中心"))
    hours = forms.DecimalField(label=_("学时"), min_value=0, max_value=500, decimal_places=1)


class RatingForm(forms.Form):
    contract = forms.TypedChoiceField(label=_("合同"), coerce=int)
    score = forms.TypedChoiceField(
        label=_("评分"), coerce=int, choices=[(n, _("%(n)s分") % {"n": n}) for n in range(5, 0, -1)]
    )
    comment = forms.CharField(label=_("评价"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, contracts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contract"].choices = [(c.pk, f"{c.registration_number} {c.title}") for c in contracts]


class ReportForm(forms.Form):
    staff_count = forms.IntegerField(label=_("年末专职从业人员（人）"), min_value=1, max_value=100000)
    total_income = AmountField(label=_("年度总收入（元）"), required=False)
    technical_income = AmountField(label=_("其中技术性收入（元）"), required=False)
    summary = forms.CharField(
        label=_("年度工作总结"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )


class AssessmentForm(forms.Form):
    """One box per staff-judged item; the service checks each lies within its points."""

    note = forms.CharField(label=_("评分说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, item in weights.STAFF_ITEMS.items():
            self.fields[code] = forms.CharField(
                label=_("%(label)s（0–%(max)s分）") % {"label": item.label, "max": item.points},
                max_length=8,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            )
        self.order_fields([*weights.STAFF_ITEMS, "note"])

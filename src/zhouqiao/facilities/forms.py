import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from zhouqiao.core.forms import AmountField
from zhouqiao.core.money import format_yuan as yuan
from zhouqiao.facilities.states import FundingSource, InstrumentCategory


class BookingForm(forms.Form):
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False)
    organisation = forms.TypedChoiceField(label=_("预约单位"), coerce=int)
    # The browser's date picker sends and shows ISO dates whatever the page's locale.
    day = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    hour = forms.TypedChoiceField(label=_("开始时间"), coerce=int)
    hours = forms.IntegerField(label=_("机时数"), min_value=1, max_value=12, initial=1)
    samples = forms.IntegerField(label=_("预计样品数"), min_value=0, initial=0, required=False)
    purpose = forms.CharField(label=_("用途"), widget=forms.Textarea(attrs={"rows": 2}))
    voucher = forms.TypedChoiceField(
        label=_("使用创新券（检验检测类，可选）"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, instrument, organisations=(), vouchers=(), today=None, **kwargs):
        super().__init__(*args, **kwargs)
        if today is not None:
            self.fields["day"].widget.attrs["min"] = today.isoformat()
        self.fields["idempotency_key"].initial = uuid.uuid4().hex
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]
        self.fields["hour"].choices = [
            (h, f"{h:02d}:00") for h in range(instrument.open_from, instrument.open_until)
        ]
        self.fields["voucher"].choices = [("", _("不使用"))] + [
            (v.pk, _("%(code)s · 余额 %(amount)s") % {"code": v.code, "amount": yuan(v.remaining)})
            for v in vouchers
        ]


class UsageForm(forms.Form):
    hours = forms.DecimalField(label=_("实际机时"), max_digits=6, decimal_places=2, min_value=0)
    samples = forms.IntegerField(label=_("样品数"), min_value=0, initial=0, required=False)


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("评分"), coerce=int, choices=lambda: [(i, _("%(n)d 分") % {"n": i}) for i in range(5, 0, -1)]
    )
    comment = forms.CharField(label=_("评价"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class InstrumentForm(forms.Form):
    owner = forms.TypedChoiceField(label=_("所属单位"), coerce=int)
    name = forms.CharField(label=_("仪器名称"), max_length=128)
    model_number = forms.CharField(label=_("规格型号"), max_length=128, required=False)
    category = forms.ChoiceField(label=_("仪器类别"), choices=InstrumentCategory.choices)
    location = forms.CharField(label=_("安放地点"), max_length=255)
    value = AmountField(label=_("原值（元）"), positive=True)
    # No preselected source: a private company's instrument is not bought with public money.
    funding_source = forms.ChoiceField(
        label=_("购置资金来源"), choices=[("", _("请选择"))] + list(FundingSource.choices)
    )
    capabilities = forms.CharField(
        label=_("主要功能与技术指标"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    guide_price_filing = forms.CharField(label=_("指导价备案号"), max_length=64, required=False)
    hour_price = AmountField(label=_("外单位指导价（元/机时）"))
    enterprise_hour_price = AmountField(label=_("企业用户指导价（元/机时，留空同外单位）"), required=False)
    internal_hour_price = AmountField(label=_("内部用户价格（元/机时，留空同外单位）"), required=False)
    step_after = forms.IntegerField(
        label=_("阶梯价：超过多少机时后优惠（机时，可选）"), min_value=1, max_value=10000, required=False
    )
    step_price = AmountField(label=_("阶梯价：超出部分单价（元/机时，可选）"), required=False)
    sample_price = AmountField(label=_("按样品计价（元/样品，可选）"), required=False)

    def clean(self):
        d = super().clean()
        if (d.get("step_after") is None) != (d.get("step_price") is None):
            self.add_error("step_price", _("阶梯价须同时填写起点机时和超出部分单价。"))
        elif d.get("step_price") is not None:
            hourly = [d.get(k) for k in ("hour_price", "enterprise_hour_price", "internal_hour_price")]
            if any(p is not None and d["step_price"] > p for p in hourly):
                self.add_error("step_price", _("超出部分单价不应高于各价格分组的机时单价。"))
        return d

    def __init__(self, *args, owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [(o.pk, o.name) for o in owners]

    def prices(self) -> list[dict]:
        d = self.cleaned_data
        # The tier applies to every hourly price: after ``step_after`` hours, each hour costs ``step_price``.
        step = {"step_after": d.get("step_after"), "step_price": d.get("step_price")}
        prices = [{"group": "external", "unit": "hour", "unit_price": d["hour_price"], **step}]
        for group, key in (("enterprise", "enterprise_hour_price"), ("internal", "internal_hour_price")):
            if d.get(key) is not None:
                prices.append({"group": group, "unit": "hour", "unit_price": d[key], **step})
        if d.get("sample_price") is not None:
            prices.append({"group": "external", "unit": "sample", "unit_price": d["sample_price"]})
        return prices


class MaintenanceForm(forms.Form):
    """The owner closes the instrument for maintenance (the calendar shows 维护; nobody may book)."""

    starts_at = forms.DateTimeField(
        label=_("维护开始"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    ends_at = forms.DateTimeField(
        label=_("维护结束"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    reason = forms.CharField(label=_("维护说明"), max_length=255, required=False)

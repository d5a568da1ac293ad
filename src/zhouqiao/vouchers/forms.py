import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from zhouqiao.core.forms import AmountField
from zhouqiao.core.money import format_yuan as yuan
from zhouqiao.vouchers.states import CertificationKind, ServiceCategory


class IdempotentForm(forms.Form):
    """Money-moving forms carry a key made when the form is shown: a double submit moves nothing twice."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["idempotency_key"].initial = uuid.uuid4().hex


class ApplicationForm(forms.Form):
    enterprise = forms.TypedChoiceField(label=_("申请企业"), coerce=int)
    category = forms.ChoiceField(label=_("服务类别"), choices=ServiceCategory.choices)
    amount = AmountField(label=_("申请金额（元）"), positive=True)
    purpose = forms.CharField(label=_("用途说明"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, enterprises=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].choices = [(o.pk, o.name) for o in enterprises]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class RevokeForm(IdempotentForm):
    reason = forms.CharField(label=_("作废理由"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ServiceForm(forms.Form):
    provider = forms.TypedChoiceField(label=_("服务机构"), coerce=int)
    category = forms.ChoiceField(label=_("服务类别"), choices=ServiceCategory.choices)
    name = forms.CharField(label=_("服务名称"), max_length=128)
    price = AmountField(label=_("参考价格（元）"))
    unit = forms.CharField(label=_("计价单位"), max_length=16, initial="次")
    description = forms.CharField(
        label=_("服务内容"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, providers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [(o.pk, o.name) for o in providers]


class OrderForm(forms.Form):
    voucher = forms.TypedChoiceField(label=_("使用创新券"), coerce=int)
    price = AmountField(label=_("订单金额（元）"), positive=True)
    description = forms.CharField(
        label=_("服务需求"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, vouchers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["voucher"].choices = [
            (
                v.pk,
                _("%(code)s · %(category)s · 余额 %(amount)s")
                % {"code": v.code, "category": v.get_category_display(), "amount": yuan(v.remaining)},
            )
            for v in vouchers
        ]


class ClaimForm(IdempotentForm):
    amount = AmountField(label=_("核销金额（元，留空按上限）"), positive=True, required=False)


class SettleForm(IdempotentForm):
    settlement_ref = forms.CharField(label=_("拨付凭证号"), max_length=64, required=False)


class CertificationForm(forms.Form):
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=18)
    kind = forms.ChoiceField(label=_("认定类型"), choices=CertificationKind.choices)
    number = forms.CharField(label=_("证书编号"), max_length=64)
    valid_from = forms.DateField(
        label=_("有效期起"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    valid_until = forms.DateField(
        label=_("有效期至"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class CertificationImportForm(forms.Form):
    file = forms.FileField(label=_("资质认定名单（.xlsx 或 .csv）"))


class PercentField(forms.CharField):
    """A share typed as the tables and the policy parameters show it, "50%" or "50" (per cent);
    cleaned to the ratio the services keep (0.5)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "placeholder": "50%", "maxlength": "8"})

    def to_python(self, value):
        from decimal import Decimal, InvalidOperation

        text = super().to_python(value).replace("％", "%").strip().removesuffix("%").strip()
        if not text:
            return None
        try:
            percent = Decimal(text)
        except InvalidOperation:
            percent = None
        # from 1%: "0.5" is the old ratio habit, refused rather than read as 0.5%
        if (
            percent is None
            or not percent.is_finite()
            or not 1 <= percent <= 100
            or percent != percent.quantize(Decimal("0.1"))
        ):
            raise forms.ValidationError(_("请按百分比填写1到100之间的数（最多一位小数），如 50%。"))
        return percent / 100

    def prepare_value(self, value):
        from decimal import Decimal

        if isinstance(value, Decimal):
            return f"{(value * 100).normalize():f}%"
        return value


class PoolForm(IdempotentForm):
    jurisdiction = forms.ChoiceField(label=_("发放地区"))
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    budget = AmountField(label=_("年度预算（元）"))
    category = forms.ChoiceField(
        label=_("服务类别（留空为不分类别）"),
        required=False,
        choices=[("", "—")] + list(ServiceCategory.choices),
    )
    enterprise_ceiling = AmountField(label=_("单个企业年度上限（元）"), required=False)
    voucher_share = PercentField(label=_("创新券最高支付比例（%，如 50%）"), required=False)
    validity_days = forms.IntegerField(label=_("有效天数"), required=False)

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].choices = [(r.code, r.name) for r in regions]


class PoolAdjustForm(IdempotentForm):
    amount = AmountField(label=_("调整金额（元，调减为负数）"), signed=True)
    note = forms.CharField(label=_("调整理由"), max_length=255)


class RelationForm(forms.Form):
    provider_credit_code = forms.CharField(label=_("服务机构统一社会信用代码"), max_length=18)
    enterprise_credit_code = forms.CharField(label=_("企业统一社会信用代码"), max_length=18)
    description = forms.CharField(label=_("关联关系说明"), max_length=255)

from django import forms
from django.utils.translation import gettext_lazy as _

from zhouqiao.catalog.models import TransferMode
from zhouqiao.core.forms import AmountField
from zhouqiao.programs.patent_pool.states import ImplementationKind, PoolStatus, ProceedsKind

DATE = forms.DateInput(attrs={"type": "date"})


class PoolFilterForm(forms.Form):
    q = forms.CharField(label=_("关键词"), required=False, max_length=100, help_text=_("专利号或名称"))
    pool = forms.ChoiceField(label=_("专利池"), required=False)
    field = forms.ChoiceField(label=_("技术领域"), required=False)
    status = forms.ChoiceField(label=_("状态"), required=False)

    def __init__(self, *args, pools=(), fields=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pool"].choices = [("", _("全部")), *pools]
        self.fields["field"].choices = [("", _("全部")), *fields]
        self.fields["status"].choices = [
            ("", _("全部可许可")),
            (PoolStatus.HELD, PoolStatus.HELD.label),
            (PoolStatus.LISTED, PoolStatus.LISTED.label),
            (PoolStatus.LICENSED, PoolStatus.LICENSED.label),
        ]


class OfferForm(forms.Form):
    reason = forms.CharField(
        label=_("拟放弃的原因"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("例如：不再从事该方向、年费负担、无实施条件等"),
    )
    asking_price = AmountField(label=_("期望价格（元，可不填）"), required=False)


class ImplementationForm(forms.Form):
    kind = forms.ChoiceField(label=_("实施方式"), choices=ImplementationKind.choices)
    evidence = forms.CharField(
        label=_("实施情况与证明材料"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("写明实施的产品或合同、许可备案号、起始时间等"),
    )


class DeclareForm(forms.Form):
    owner = forms.ChoiceField(label=_("专利权人"))
    number = forms.CharField(label=_("专利号"), max_length=64, help_text=_("例如 ZL202110234567.8"))
    title = forms.CharField(label=_("专利名称"), max_length=255)
    filed_on = forms.DateField(label=_("申请日"), required=False, widget=DATE)
    granted_on = forms.DateField(label=_("授权公告日"), widget=DATE)
    ipc = forms.CharField(label=_("IPC 分类号"), max_length=64, required=False)

    def __init__(self, *args, owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = list(owners)


class AcquireForm(forms.Form):
    price = AmountField(label=_("收储价格（元）"), help_text=_("无偿收储填 0"))
    reason = forms.CharField(
        label=_("收储理由"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("产业化前景、评估意见等"),
    )


class RefuseForm(forms.Form):
    refuse_reason = forms.CharField(
        label=_("不予收储的理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class FeeScheduleForm(forms.Form):
    amount = AmountField(label=_("年费金额（元）"), positive=True)
    due_on = forms.DateField(
        label=_("缴费截止日"), required=False, widget=DATE, help_text=_("不填则按申请日的下一个周年日计算")
    )


class FeePaymentForm(forms.Form):
    paid_on = forms.DateField(label=_("缴费日期"), widget=DATE)
    paid_amount = AmountField(label=_("实缴金额（元，不填则为应缴金额）"), required=False, positive=True)
    reference = forms.CharField(label=_("缴费凭证号"), max_length=64, required=False)


class MarketRecordForm(forms.Form):
    licence_terms = forms.CharField(
        label=_("许可方式与条件"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        help_text=_("例如：普通许可，许可费按年收取；也可协商转让"),
    )


class ListingForm(forms.Form):
    price = AmountField(label=_("挂牌价格（元）"), positive=True)
    mode = forms.ChoiceField(
        label=_("转化方式"),
        choices=[
            (TransferMode.LICENCE, TransferMode.LICENCE.label),
            (TransferMode.TRANSFER, TransferMode.TRANSFER.label),
        ],
    )
    terms = forms.CharField(
        label=_("交易条件"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False
    )


class ProceedsForm(forms.Form):
    kind = forms.ChoiceField(label=_("收益类型"), choices=ProceedsKind.choices)
    amount = AmountField(label=_("金额（元）"), positive=True)
    received_on = forms.DateField(label=_("到账日期"), widget=DATE)
    source = forms.ChoiceField(label=_("来自"), required=True)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, sources=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [("", _("请选择技术合同或交易")), *sources]

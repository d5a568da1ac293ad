from django import forms
from django.utils.translation import gettext_lazy as _

from zhouqiao.catalog.models import TransferMode
from zhouqiao.core.forms import AmountField
from zhouqiao.market.states import NoIntentAction


class ListingForm(forms.Form):
    price = AmountField(label=_("挂牌价格（元）"))
    mode = forms.ChoiceField(label=_("转化方式"), choices=TransferMode.choices)
    terms = forms.CharField(label=_("交易条件"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    on_no_intent = forms.ChoiceField(
        label=_("公示期满无人登记意向时"), choices=NoIntentAction.choices, initial=NoIntentAction.WITHDRAW
    )
    auction_increment = AmountField(
        label=_("竞价加价幅度（元）"),
        required=False,
        help_text=_("两家以上意向受让方时转入竞价；留空为挂牌价的1%"),
    )
    auction_deposit = AmountField(
        label=_("竞价保证金（元）"),
        required=False,
        help_text=_("留空为挂牌价的10%"),
    )


class BidForm(forms.Form):
    amount = AmountField(label=_("出价（元）"), positive=True)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=128)


class DepositForm(forms.Form):
    reference = forms.CharField(label=_("缴款凭证号"), max_length=64)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class MessageForm(forms.Form):
    body = forms.CharField(label=_("留言"), widget=forms.Textarea(attrs={"rows": 3}))


class OfferForm(forms.Form):
    amount = AmountField(label=_("报价金额（元）"), positive=True)
    # No mode is preselected: an offer that went out as 转让 because that was the first choice,
    # while the message asked for 许可, was a finding. The page preselects only what the lot
    # offers when it offers exactly one mode (or what the latest offer named).
    mode = forms.ChoiceField(
        label=_("转化方式"),
        choices=[("", _("请选择转化方式"))] + TransferMode.choices,
        error_messages={"required": _("请选择转化方式。"), "invalid_choice": _("请选择转化方式。")},
    )
    terms = forms.CharField(label=_("主要条款"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class InviteForm(forms.Form):
    broker_id = forms.IntegerField(label=_("中介机构"), widget=forms.Select)


class OpenNegotiationForm(forms.Form):
    message = forms.CharField(label=_("留言"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

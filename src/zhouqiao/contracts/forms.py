from django import forms
from django.utils.translation import gettext_lazy as _

from zhouqiao.accounts.models import Organisation
from zhouqiao.accounts.states import VerificationStatus
from zhouqiao.contracts.states import ContractSubtype, ContractType


class ContractForm(forms.Form):
    title = forms.CharField(label=_("合同名称"), max_length=200)
    contract_type = forms.ChoiceField(label=_("合同类型"), choices=ContractType.choices)
    subtype = forms.ChoiceField(label=_("合同子类"), choices=ContractSubtype.choices)
    buyer = forms.ModelChoiceField(label=_("买方"), queryset=Organisation.objects.none())
    transfer_institution = forms.ModelChoiceField(
        label=_("中介方（技术转移机构）"), required=False, queryset=Organisation.objects.none()
    )
    broker_name = forms.CharField(label=_("技术经纪（理）人"), max_length=64, required=False)
    broker_region = forms.CharField(label=_("经纪人执业地区代码"), max_length=6, required=False)
    contract_amount = forms.DecimalField(
        label=_("合同成交额（元）"), max_digits=14, decimal_places=2, min_value=0
    )
    equipment = forms.DecimalField(
        label=_("其中：设备款（元）"), max_digits=14, decimal_places=2, required=False, min_value=0
    )
    materials = forms.DecimalField(
        label=_("其中：材料款（元）"), max_digits=14, decimal_places=2, required=False, min_value=0
    )
    construction = forms.DecimalField(
        label=_("其中：基建款（元）"), max_digits=14, decimal_places=2, required=False, min_value=0
    )
    signed_on = forms.DateField(label=_("签订日期"), widget=forms.DateInput(attrs={"type": "date"}))
    ip_summary = forms.CharField(
        label=_("涉及的知识产权"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    summary = forms.CharField(
        label=_("合同主要内容"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    attachment = forms.FileField(label=_("签字盖章的合同文本（PDF）"), required=False)

    def __init__(self, *args, seller=None, **kwargs):
        super().__init__(*args, **kwargs)
        verified = Organisation.objects.filter(status=VerificationStatus.VERIFIED).order_by("name")
        self.fields["buyer"].queryset = verified.exclude(pk=getattr(seller, "pk", None))
        self.fields["transfer_institution"].queryset = verified.filter(kind="transfer_institution")

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload:
            head = upload.read(5)
            upload.seek(0)
            if head != b"%PDF-":
                raise forms.ValidationError(_("合同文本须为PDF文件。"))
        return upload

    def service_data(self) -> dict:
        d = self.cleaned_data
        items = [
            {"kind": kind, "amount": str(d[kind])}
            for kind in ("equipment", "materials", "construction")
            if d.get(kind)
        ]
        return {
            "title": d["title"],
            "contract_type": d["contract_type"],
            "subtype": d["subtype"],
            "buyer_id": d["buyer"].pk,
            "transfer_institution_id": d["transfer_institution"].pk
            if d.get("transfer_institution")
            else None,
            "broker_name": d.get("broker_name"),
            "broker_region": d.get("broker_region"),
            "contract_amount": str(d["contract_amount"]),
            "signed_on": d["signed_on"].isoformat(),
            "ip_summary": d.get("ip_summary"),
            "summary": d.get("summary"),
            "non_technical_items": items,
        }


class AttachmentForm(forms.Form):
    attachment = forms.FileField(label=_("签字盖章的合同文本（PDF）"))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

from decimal import Decimal

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhouqiao.accounts.models import Organisation
from zhouqiao.accounts.states import VerificationStatus
from zhouqiao.catalog import posting
from zhouqiao.contracts.states import ContractSubtype, ContractType, NonTechnicalKind
from zhouqiao.core.forms import AmountField
from zhouqiao.web.widgets import DateInput, RegionPickerWidget

CHOOSE = ("", _("请选择"))


class ContractForm(forms.Form):
    """The seller's application. Type and subtype start unselected unless known (nothing is
    guessed). The buyer is picked among verified market parties (no bureau, no investor), by
    name; a contract made from a deal keeps the deal's buyer (``fixed_buyer``), shown as text."""

    title = forms.CharField(label=_("合同名称"), max_length=200)
    contract_type = forms.ChoiceField(label=_("合同类型"), choices=[CHOOSE, *ContractType.choices])
    subtype = forms.ChoiceField(label=_("合同子类"), choices=[CHOOSE, *ContractSubtype.choices])
    buyer = forms.ModelChoiceField(
        label=_("买方"), queryset=Organisation.objects.none(), empty_label=_("请选择买方单位")
    )
    transfer_institution = forms.ModelChoiceField(
        label=_("中介方（技术转移机构）"), required=False, queryset=Organisation.objects.none()
    )
    broker_name = forms.CharField(label=_("技术经纪（理）人"), max_length=64, required=False)
    broker_region = forms.CharField(
        label=_("技术经纪人执业地区"),
        max_length=6,
        required=False,
        widget=RegionPickerWidget(min_level="city"),
    )
    contract_amount = AmountField(label=_("合同成交额（元）"))
    signed_on = forms.DateField(label=_("签订日期"), widget=DateInput())
    ip_summary = forms.CharField(
        label=_("涉及的知识产权"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    summary = forms.CharField(
        label=_("合同主要内容"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    attachment = forms.FileField(label=_("签字盖章的合同文本（PDF）"), required=False)

    def __init__(self, *args, seller=None, editing=False, fixed_buyer=None, current_buyer_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fixed_buyer = fixed_buyer
        if editing:  # the signed contract is replaced on the detail page
            del self.fields["attachment"]
        verified = Organisation.objects.filter(status=VerificationStatus.VERIFIED).order_by("name")
        if fixed_buyer is not None:
            del self.fields["buyer"]
        else:
            parties = Q(status=VerificationStatus.VERIFIED, kind__in=posting.POSTERS[posting.CONTRACT])
            if current_buyer_id:  # the draft's buyer stays selectable as it is
                parties |= Q(pk=current_buyer_id)
            self.fields["buyer"].queryset = (
                Organisation.objects.filter(parties).exclude(pk=getattr(seller, "pk", None)).order_by("name")
            )
        self.fields["transfer_institution"].queryset = verified.filter(kind="transfer_institution")

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload:
            head = upload.read(5)
            upload.seek(0)
            if head != b"%PDF-":
                raise forms.ValidationError(_("合同文本须为PDF文件。"))
        return upload

    def service_data(self, items=None, instalments=None) -> dict:
        """The service's input; ``items`` and ``instalments`` are the two formsets."""
        d = self.cleaned_data
        return {
            "title": d["title"],
            "contract_type": d["contract_type"],
            "subtype": d["subtype"],
            "buyer_id": self.fixed_buyer.pk if self.fixed_buyer is not None else d["buyer"].pk,
            "transfer_institution_id": d["transfer_institution"].pk
            if d.get("transfer_institution")
            else None,
            "broker_name": d.get("broker_name"),
            "broker_region": d.get("broker_region"),
            "contract_amount": str(d["contract_amount"]),
            "signed_on": d["signed_on"].isoformat(),
            "ip_summary": d.get("ip_summary"),
            "summary": d.get("summary"),
            "non_technical_items": _rows(items, ("kind", "description", "amount")),
            "instalments": _rows(instalments, ("due_on", "amount", "note")),
        }

    @classmethod
    def initial_for(cls, contract) -> dict:
        return {
            "title": contract.title,
            "contract_type": contract.contract_type,
            "subtype": contract.subtype,
            "buyer": contract.buyer_id,
            "transfer_institution": contract.transfer_institution_id,
            "broker_name": contract.broker_name,
            "broker_region": contract.broker_region_id or "",
            "contract_amount": contract.contract_amount,
            "signed_on": contract.signed_on,
            "ip_summary": contract.ip_summary,
            "summary": contract.summary,
        }


def _rows(formset, keys) -> list[dict]:
    """Filled rows of a formset as plain data (dates as ISO strings, amounts as strings)."""
    rows = []
    for form in formset.forms if formset is not None else ():
        data = form.cleaned_data
        if not data or data.get("DELETE") or data.get("amount") is None:
            continue
        rows.append({k: data[k].isoformat() if k == "due_on" else str(data.get(k) or "") for k in keys})
    return rows


class NonTechnicalItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=NonTechnicalKind.choices)
    description = forms.CharField(label=_("说明"), max_length=200, required=False)
    amount = AmountField(label=_("金额（元）"), positive=True, required=False)


class InstalmentForm(forms.Form):
    due_on = forms.DateField(
        label=_("约定支付日期"),
        required=False,
        widget=DateInput(),
    )
    amount = AmountField(label=_("金额（元）"), positive=True, required=False)
    note = forms.CharField(label=_("支付条件"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if (data.get("due_on") is None) != (data.get("amount") is None):
            raise forms.ValidationError(_("每期支付须同时填写日期和金额。"))
        return data


class RowLabelledFormSet(forms.BaseFormSet):
    """The rows of a table share the column headers, which screen readers do not tie to an input:
    every input gets its own name, "第2行 金额（元）" (or "第2期 …" for a payment schedule)."""

    row_word = _("第%(n)d行")

    def add_fields(self, form, index):
        super().add_fields(form, index)
        row = self.row_word % {"n": (index or 0) + 1}
        for field in form.fields.values():
            field.widget.attrs["aria-label"] = f"{row} {field.label}"


class InstalmentRows(RowLabelledFormSet):
    row_word = _("第%(n)d期")


NonTechnicalItemFormSet = forms.formset_factory(
    NonTechnicalItemForm, formset=RowLabelledFormSet, extra=2, can_delete=True, max_num=30
)
InstalmentFormSet = forms.formset_factory(
    InstalmentForm, formset=InstalmentRows, extra=2, can_delete=True, max_num=60
)


def item_initial(contract) -> list[dict]:
    return [
        {"kind": i.kind, "description": i.description, "amount": i.amount}
        for i in contract.non_technical_items.all()
    ]


def instalment_initial(contract) -> list[dict]:
    return [{"due_on": i.due_on, "amount": i.amount, "note": i.note} for i in contract.instalments.all()]


class StatisticsFilterForm(forms.Form):
    level = forms.ChoiceField(
        label=_("地区汇总层级"),
        required=False,
        choices=[("province", _("省")), ("city", _("市（州）")), ("county", _("县（市、区）"))],
    )
    year = forms.IntegerField(label=_("登记年度"), required=False, min_value=2000, max_value=2100)


class AttachmentForm(forms.Form):
    attachment = forms.FileField(label=_("签字盖章的合同文本（PDF）"))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


WAN_YUAN = Decimal(10_000)


class ContractFilterForm(forms.Form):
    """The filters of the contract list. Staff filter their jurisdiction's contracts on every
    field; an organisation's members filter their own by status and keyword. Every field is
    optional and bounded: a bad value is reported in Chinese and that filter is left out."""

    q = forms.CharField(label=_("关键词或登记号"), max_length=100, required=False)
    status = forms.ChoiceField(label=_("状态"), required=False)
    contract_type = forms.ChoiceField(label=_("合同类型"), required=False)
    registered_from = forms.DateField(
        label=_("登记日期自"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    registered_to = forms.DateField(
        label=_("登记日期至"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    region = forms.ChoiceField(label=_("登记地区"), required=False)
    buyer_region = forms.ChoiceField(label=_("买方地区"), required=False)
    industry = forms.ChoiceField(label=_("所属行业"), required=False)
    amount_min = forms.DecimalField(
        label=_("成交额不低于（万元）"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    amount_max = forms.DecimalField(
        label=_("成交额不高于（万元）"), required=False, min_value=0, max_digits=12, decimal_places=2
    )

    STAFF_ONLY = (
        "contract_type",
        "registered_from",
        "registered_to",
        "region",
        "buyer_region",
        "industry",
        "amount_min",
        "amount_max",
    )

    def __init__(self, *args, staff: bool, regions=(), buyer_regions=(), industries=(), **kwargs):
        super().__init__(*args, **kwargs)
        from zhouqiao.contracts.states import ContractStatus

        statuses = ContractStatus.choices
        if staff:  # another organisation's draft is never in a registrar's list
            statuses = [c for c in statuses if c[0] != ContractStatus.DRAFT]
        self.fields["status"].choices = [("", _("全部状态")), *statuses]
        if not staff:
            for name in self.STAFF_ONLY:
                del self.fields[name]
            return
        self.fields["contract_type"].choices = [("", _("全部类型")), *ContractType.choices]
        self.fields["region"].choices = [("", _("全部地区")), *regions]
        self.fields["buyer_region"].choices = [("", _("不限")), *buyer_regions]
        self.fields["industry"].choices = [("", _("全部行业")), ("none", _("未填写")), *industries]

    def clean(self):
        data = super().clean()
        start, end = data.get("registered_from"), data.get("registered_to")
        if start and end and start > end:
            self.add_error("registered_to", _("结束日期不能早于开始日期。"))
        low, high = data.get("amount_min"), data.get("amount_max")
        if low is not None and high is not None and low > high:
            self.add_error("amount_max", _("成交额上限不能低于下限。"))
        return data

    def filters(self) -> dict:
        """The valid filters only (an invalid field is dropped, its error shown)."""
        self.is_valid()
        data = {k: v for k, v in getattr(self, "cleaned_data", {}).items() if v not in (None, "")}
        for key in ("amount_min", "amount_max"):
            if key in data:
                data[key] = data[key] * WAN_YUAN
        return data

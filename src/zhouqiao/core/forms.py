"""What every app's forms share: ``AmountField`` is the one way a page takes an amount, and
``show_domain_error`` the one way a service's refusal lands on a form, and ``ShowsEveryError``
puts a service's own checks beside the fields in the same submission.

from zhouqiao.core.forms import AmountField
price = AmountField(label=_("挂牌价格（元）"))
amount = AmountField(label=_("金额（元）"), positive=True, required=False)
adjustment = AmountField(label=_("调整金额（元，调减为负数）"), signed=True)
"""

from django import forms
from django.core.exceptions import ValidationError

from zhouqiao.core.money import AmountError, parse_amount, parse_signed_amount

MAX_TYPED = 24  # "1,000,000,000,000.00" and then some


class AmountField(forms.CharField):
    """Yuan as a person types them ("500000", "50万", "1.2亿"), parsed by ``core.money.parse_amount``: at most two decimals (no
    silent rounding), ≤ 10¹² 元, no negatives (unless ``signed``), > 0 when ``positive``; the
    cleaned value is a ``Decimal`` (``None`` when left empty)."""

    def __init__(self, *, positive: bool = False, signed: bool = False, **kwargs):
        self.positive, self.signed = positive, signed
        attrs = {"inputmode": "decimal", "autocomplete": "off", "maxlength": MAX_TYPED}
        kwargs.setdefault("widget", forms.TextInput(attrs=attrs))
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        if len(value) > MAX_TYPED:
            value = "x"  # no amount is this long: refused with the parser's own sentence
        parse = parse_signed_amount if self.signed else parse_amount
        try:
            if self.signed:
                return parse(value, allow_zero=not self.positive)
            return parse(value, allow_zero=not self.positive, units=True)  # "50万" is 500000 yuan
        except AmountError as exc:
            raise ValidationError(str(exc), code="amount") from None

    def prepare_value(self, value):
        return "" if value is None else str(value)


def show_domain_error(form, exc, *, fields: dict[str, str] | None = None) -> None:
    """Put a service's refusal (a ``DomainError``) on the form: each message under the field the
    service named (``fields`` maps a service's field name to the form's where they differ, and
    ``org_x`` stands for ``x`` on forms that prefix their organisation fields), the rest above it."""
    placed = False
    for field, errors in (exc.detail or {}).items():
        name = (fields or {}).get(field, field)
        for candidate in (name, f"org_{name}"):
            if candidate in form.fields:
                for message in errors:
                    form.add_error(candidate, message)
                placed = True
                break
    if not placed:
        form.add_error(None, str(exc.message))


class ShowsEveryError:
    """A form whose service checks more than its fields do: ``service_errors`` (the service's own
    checks on what parsed, ``{field: [message, ...]}``) land beside the fields that have no error of
    their own yet, so one submission shows every problem instead of one round at a time."""

    def service_errors(self, data: dict) -> dict[str, list[str]]:
        return {}

    def clean(self):
        data = super().clean()
        for field, messages in self.service_errors(data).items():
            if field in self.fields and field not in self.errors:
                for message in messages:
                    self.add_error(field, message)
        return data

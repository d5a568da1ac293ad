"""The one amount format: zero reads 0元 (no 0.00元 on any page), other amounts unchanged."""

from decimal import Decimal

from django.template import Context, Template
from django.utils import translation

from zhouqiao.core.money import format_yuan


def test_zero_reads_0_yuan_everywhere():
    assert format_yuan(Decimal("0.00")) == "0元"
    assert format_yuan(0) == "0元"
    assert format_yuan(Decimal("-0.00")) == "0元"
    assert Template("{% load money %}{{ a|yuan }}").render(Context({"a": Decimal("0")})) == "0元"
    with translation.override("en"):
        assert format_yuan(Decimal("0")) == "0 yuan"


def test_other_amounts_keep_their_form():
    assert format_yuan(Decimal("500000")) == "50万元"
    assert format_yuan(Decimal("120000000")) == "1.2亿元"
    assert format_yuan(Decimal("1234.5")) == "1,234.50元"
    assert format_yuan(Decimal("0.05")) == "0.05元"
    assert format_yuan(None) == ""

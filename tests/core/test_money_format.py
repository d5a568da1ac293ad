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


def test_a_fixed_unit_reads_every_figure_of_a_column_alike():
    """``yuan:"万"``: a table column in one unit, two decimals, half-up; zero without decimals."""
    column = ["2812900.00", "2250320.00", "1023200", "50", "123456789012.34"]
    assert [format_yuan(Decimal(v), "万") for v in column] == [
        "281.29万元",
        "225.03万元",
        "102.32万元",
        "0.01万元",
        "12,345,678.90万元",
    ]
    assert format_yuan(Decimal("154319540.00"), "万") == "15,431.95万元"
    assert format_yuan(Decimal("0"), "万") == "0万元"
    assert format_yuan(Decimal("150000000"), "亿") == "1.50亿元"
    template = Template('{% load money %}{{ a|yuan:"万" }} {{ a|yuan }}')
    assert template.render(Context({"a": Decimal("2250320")})) == "225.03万元 2,250,320.00元"
    with translation.override("en"):
        assert format_yuan(Decimal("2250320"), "万") == "2,250,320.00 yuan"  # no 万 in English


def test_small_whole_amounts_carry_no_fen():
    """Under 1万元 a whole amount reads 8,000元 / 400元, fen only when there are some."""
    assert format_yuan(Decimal("8000.00")) == "8,000元"
    assert format_yuan(Decimal("400")) == "400元"
    assert format_yuan(Decimal("1200.00")) == "1,200元"
    assert format_yuan(Decimal("1234.50")) == "1,234.50元"
    assert format_yuan(Decimal("-500.00")) == "-500元"
    assert format_yuan(Decimal("12345")) == "12,345.00元"  # 1万元 or more: unchanged
    assert Template("{% load money %}{{ a|yuan }}/年").render(Context({"a": Decimal("1200")})) == "1,200元/年"

"""Amounts in Chinese financial capitals (大写), worked out by hand from the bill-filling rules."""

from decimal import Decimal

import pytest

from zhouqiao.core.money import amount_in_capitals

CASES = [
    ("0", "零元整"),
    ("0.05", "伍分"),
    ("0.50", "伍角"),
    ("0.55", "伍角伍分"),
    ("1", "壹元整"),
    ("10", "壹拾元整"),
    ("15", "壹拾伍元整"),
    ("100", "壹佰元整"),
    ("101", "壹佰零壹元整"),
    ("110", "壹佰壹拾元整"),
    ("1001", "壹仟零壹元整"),
    ("1010", "壹仟零壹拾元整"),
    ("10000", "壹万元整"),
    ("10010", "壹万零壹拾元整"),
    ("100100", "壹拾万零壹佰元整"),
    ("110000", "壹拾壹万元整"),
    ("325.04", "叁佰贰拾伍元零肆分"),
    ("1680.32", "壹仟陆佰捌拾元叁角贰分"),
    ("16409.02", "壹万陆仟肆佰零玖元零贰分"),
    ("107000.53", "壹拾万柒仟元伍角叁分"),
    ("800000", "捌拾万元整"),
    ("1000000.50", "壹佰万元伍角"),
    ("1200000", "壹佰贰拾万元整"),
    ("12100000.00", "壹仟贰佰壹拾万元整"),
    ("100000000", "壹亿元整"),
    ("100000001", "壹亿零壹元整"),
    ("101000000", "壹亿零壹佰万元整"),
    ("120000000", "壹亿贰仟万元整"),
    ("1000010000", "壹拾亿零壹万元整"),
    ("1000200000000", "壹万零贰亿元整"),
    ("999999999999.99", "玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
]


@pytest.mark.parametrize(("amount", "capitals"), CASES)
def test_it_writes_amounts_in_capitals(amount, capitals):
    assert amount_in_capitals(Decimal(amount)) == capitals


def test_it_rounds_half_up_to_the_fen_once():
    assert amount_in_capitals(Decimal("0.005")) == "壹分"
    assert amount_in_capitals(Decimal("9.995")) == "壹拾元整"


def test_it_refuses_negative_amounts_and_floats():
    with pytest.raises(ValueError):
        amount_in_capitals(Decimal("-1"))
    with pytest.raises(TypeError):
        amount_in_capitals(1.5)

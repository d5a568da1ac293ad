import pytest

from zhouqiao.accounts import credit_code

# Published codes of real organisations (their check characters are computed by GB 32100-2015).
REAL_CODES = ["91110000802100433B", "911100001000044477", "91350100M000100Y43"]


@pytest.mark.parametrize("code", REAL_CODES)
def test_it_accepts_real_codes(code):
    assert credit_code.validate(code.lower()) == code


def test_it_rejects_a_wrong_check_character_in_chinese():
    good = REAL_CODES[0]
    bad = good[:17] + ("A" if good[17] != "A" else "B")
    with pytest.raises(credit_code.InvalidCreditCode, match="校验位不正确"):
        credit_code.validate(bad)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("9111000080210043", "应为18位"),
        ("91110000802100433BX", "应为18位"),
        ("9111000080210O433B", "不允许的字符"),
    ],
)
def test_it_rejects_malformed_codes(code, message):
    with pytest.raises(credit_code.InvalidCreditCode, match=message):
        credit_code.validate(code)


def test_every_single_character_change_is_caught():
    code = REAL_CODES[1]
    for position in range(18):
        for replacement in credit_code.ALPHABET:
            if replacement == code[position]:
                continue
            changed = code[:position] + replacement + code[position + 1 :]
            if position in range(2, 8) and not replacement.isdigit():
                continue  # the region part must be digits: rejected for its shape instead
            with pytest.raises(credit_code.InvalidCreditCode):
                credit_code.validate(changed)

"""A result's snippet never starts in the middle of a number or a Latin token ("…1207A 采用")."""

from zhouqiao.search.queries import snippet


def test_a_snippet_starts_at_a_token_not_inside_it():
    text = "一种低温烧结方法，专利号CN2021101207A 采用纳米银膏实现芯片与基板的低温连接，" * 2 + "纳米银膏"
    out = str(snippet(text, ["纳米银膏"], width=30))
    body = out.removeprefix("…")
    assert body.startswith("CN2021101207A") or not body[0].isascii(), out
    assert "<mark>纳米银膏</mark>" in out


def test_a_long_token_is_skipped_rather_than_cut():
    text = "说明：" + "A" * 60 + " 采用纳米银膏"
    out = str(snippet(text, ["纳米银膏"], width=30))
    assert "<mark>纳米银膏</mark>" in out and not out.removeprefix("…").startswith("A"), out

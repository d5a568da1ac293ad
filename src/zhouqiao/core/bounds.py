"""Bounded input for the API: the one amount type, the one page and year parameters, and a JSON
body parser that refuses deep nesting.

Every ninja schema field that takes money is ``Amount`` (or ``OptionalAmount`` / ``SignedAmount``);
every list endpoint takes ``paging: Query[Page]``; every year parameter is ``Year``. Out-of-range
values are answered 422 in the API's error shape, never a 500.

    from ninja import Query
    from zhouqiao.core.bounds import Amount, Page, Year

    class BidIn(Schema):
        amount: Amount

    @router.get("/things")
    def list_things(request, paging: Query[Page], year: Year | None = None):
        return [out(t) for t in paging.slice(Thing.objects.all())]
"""

import json
from decimal import Decimal
from typing import Annotated

from django.conf import settings
from ninja import Schema
from ninja.parser import Parser
from pydantic import BeforeValidator, Field, PlainSerializer, WithJsonSchema
from pydantic_core import PydanticCustomError

from zhouqiao.core.money import AmountError, parse_amount, parse_signed_amount

# --- amounts ---------------------------------------------------------------------------------------

AMOUNT_ERROR = "amount"  # the pydantic error type: its message is the Chinese sentence to show
_AMOUNT_SCHEMA = {
    "type": "string",
    "pattern": r"^[0-9]{1,12}(\.[0-9]{1,2})?$",
    "maxLength": 15,
    "description": "金额（元），最多两位小数，小于1万亿元",
    "examples": ["350000.00"],
}


def _amount(parse, *, optional: bool = False, **kwargs):
    def validate(value):
        if optional and (value is None or (isinstance(value, str) and not value.strip())):
            return None
        try:
            return parse(value, **kwargs)
        except AmountError as exc:
            raise PydanticCustomError(AMOUNT_ERROR, str(exc)) from None

    return BeforeValidator(validate)


def _as_text(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


Amount = Annotated[
    Decimal,
    _amount(parse_amount),
    PlainSerializer(_as_text, return_type=str),
    WithJsonSchema(_AMOUNT_SCHEMA),
]
"""An amount ≥ 0 (below 10¹² 元, at most two decimals, no rounding)."""

OptionalAmount = Annotated[
    Decimal | None,
    _amount(parse_amount, optional=True),
    PlainSerializer(_as_text, return_type=str | None),
    WithJsonSchema({"anyOf": [_AMOUNT_SCHEMA, {"type": "null"}, {"const": ""}]}),
]
"""An amount that may be left out (``null`` or ``""`` → ``None``); declare it ``= None``."""

PositiveAmount = Annotated[
    Decimal,
    _amount(parse_amount, allow_zero=False),
    PlainSerializer(_as_text, return_type=str),
    WithJsonSchema({**_AMOUNT_SCHEMA, "description": "金额（元），大于零，最多两位小数，小于1万亿元"}),
]

SignedAmount = Annotated[
    Decimal,
    _amount(parse_signed_amount),
    PlainSerializer(_as_text, return_type=str),
    WithJsonSchema(
        {
            **_AMOUNT_SCHEMA,
            "pattern": r"^-?[0-9]{1,12}(\.[0-9]{1,2})?$",
            "maxLength": 16,
            "description": "调整金额（元），调减为负数，最多两位小数，绝对值小于1万亿元",
        }
    ),
]
"""A correction that may go either way (pool adjustments)."""


# --- pages and years -------------------------------------------------------------------------------

MAX_LIMIT = 200
MAX_OFFSET = 1_000_000  # past any list this platform holds: beyond it the request is refused (422)
MIN_YEAR, MAX_YEAR = 1980, 2100

Year = Annotated[int, Field(ge=MIN_YEAR, le=MAX_YEAR, description="年度（1980–2100）")]


class Page(Schema):
    """``?limit=&offset=`` of every list endpoint."""

    limit: int = Field(50, ge=1, le=MAX_LIMIT, description="每页条数（1–200）")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="跳过的条数（0–1000000）")

    def slice(self, rows):
        return rows[self.offset : self.offset + self.limit]


class LongPage(Page):
    """A page of up to 500 rows (the audit log, read in bulk by an auditor)."""

    limit: int = Field(100, ge=1, le=500, description="每页条数（1–500）")


# --- the JSON body ---------------------------------------------------------------------------------


class BodyRejected(ValueError):
    """A request body the API will not read; ``message`` is the Chinese sentence to show."""

    def __init__(self, code: str, message):
        super().__init__(str(message))
        self.code, self.message = code, message


def json_depth(value) -> int:
    """Nesting depth of parsed JSON (a scalar is 0, ``[]`` is 1), without recursion."""
    depth, level = 0, [(value, 1)]
    while level:
        node, d = level.pop()
        if isinstance(node, dict):
            children = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        depth = max(depth, d)
        level.extend((child, d + 1) for child in children)
    return depth


class BoundedJSONParser(Parser):
    """The API's JSON parser: numbers with a fraction or exponent are read as ``Decimal`` (never a
    binary float) and bodies nested deeper than ``API_MAX_JSON_DEPTH`` are refused (400)."""

    def parse_body(self, request):
        from django.utils.translation import gettext as _

        try:
            data = json.loads(request.body, parse_float=Decimal)
        except RecursionError:
            data = None
            too_deep = True
        except ValueError as exc:  # also UnicodeDecodeError and int digits past Python's limit
            raise BodyRejected("invalid_json", _("请求内容不是有效的 JSON。")) from exc
        else:
            too_deep = json_depth(data) > settings.API_MAX_JSON_DEPTH
        if too_deep:
            raise BodyRejected(
                "json_too_deep",
                _("请求内容嵌套过深（不超过%(n)d层）。") % {"n": settings.API_MAX_JSON_DEPTH},
            )
        return data

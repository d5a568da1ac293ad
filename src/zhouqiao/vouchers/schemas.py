"""API payloads. Amounts travel as strings ("1234.50"), dates as ISO strings."""

from datetime import date

from ninja import Schema

from zhouqiao.core.bounds import Amount, OptionalAmount, SignedAmount, Year


class PoolIn(Schema):
    jurisdiction: str
    year: Year
    budget: Amount
    category: str = ""
    name: str = ""
    enterprise_ceiling: OptionalAmount = None
    voucher_share: str | None = None
    validity_days: int | None = None


class AdjustIn(Schema):
    amount: SignedAmount
    note: str


class CertificationIn(Schema):
    organisation_id: int
    kind: str
    number: str
    valid_from: date
    valid_until: date


class CertificationRowIn(Schema):
    credit_code: str
    kind: str
    number: str
    valid_from: str
    valid_until: str


class ApplicationIn(Schema):
    enterprise_id: int
    category: str
    amount: Amount
    purpose: str


class ReasonIn(Schema):
    reason: str = ""


class IssueIn(Schema):
    pool_id: int
    enterprise_id: int
    category: str
    amount: Amount
    source: str
    source_ref: str = ""


class ServiceIn(Schema):
    provider_id: int
    category: str
    name: str
    price: Amount
    unit: str = "次"
    description: str = ""


class OrderIn(Schema):
    enterprise_id: int
    service_id: int
    voucher_id: int
    price: Amount
    description: str = ""


class ClaimIn(Schema):
    amount: OptionalAmount = None


class SettleIn(Schema):
    settlement_ref: str = ""


class RelationIn(Schema):
    provider_id: int
    enterprise_id: int
    description: str

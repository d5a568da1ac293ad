"""API payloads. Amounts travel as strings ("1234.50"), dates as ISO strings."""

from datetime import date

from ninja import Schema


class PoolIn(Schema):
    jurisdiction: str
    year: int
    budget: str
    category: str = ""
    name: str = ""
    enterprise_ceiling: str | None = None
    voucher_share: str | None = None
    validity_days: int | None = None


class AdjustIn(Schema):
    amount: str
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
    amount: str
    purpose: str


class ReasonIn(Schema):
    reason: str = ""


class IssueIn(Schema):
    pool_id: int
    enterprise_id: int
    category: str
    amount: str
    source: str
    source_ref: str = ""


class ServiceIn(Schema):
    provider_id: int
    category: str
    name: str
    price: str
    unit: str = "次"
    description: str = ""


class OrderIn(Schema):
    enterprise_id: int
    service_id: int
    voucher_id: int
    price: str
    description: str = ""


class ClaimIn(Schema):
    amount: str | None = None


class SettleIn(Schema):
    settlement_ref: str = ""


class RelationIn(Schema):
    provider_id: int
    enterprise_id: int
    description: str

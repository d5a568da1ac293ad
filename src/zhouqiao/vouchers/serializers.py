"""Plain JSON dicts for the API (also stored as idempotent responses): money as strings."""


def pool_out(p) -> dict:
    return {
        "id": p.pk,
        "name": p.name,
        "jurisdiction": p.jurisdiction_id,
        "year": p.year,
        "category": p.category,
        "available": str(p.available),
        "enterprise_ceiling": str(p.enterprise_ceiling),
        "voucher_share": str(p.voucher_share),
        "validity_days": p.validity_days,
        "clause": p.clause,
    }


def certification_out(c) -> dict:
    return {
        "id": c.pk,
        "organisation_id": c.organisation_id,
        "kind": c.kind,
        "number": c.number,
        "valid_from": c.valid_from.isoformat(),
        "valid_until": c.valid_until.isoformat(),
    }


def application_out(a) -> dict:
    voucher = getattr(a, "voucher", None) if a.status == "approved" else None
    return {
        "id": a.pk,
        "enterprise_id": a.enterprise_id,
        "pool_id": a.pool_id,
        "category": a.category,
        "amount": str(a.amount),
        "purpose": a.purpose,
        "status": a.status,
        "status_reason": a.status_reason,
        "submitted_at": a.submitted_at.isoformat(),
        "voucher_id": voucher.pk if voucher else None,
    }


def voucher_out(v) -> dict:
    return {
        "id": v.pk,
        "code": v.code,
        "pool_id": v.pool_id,
        "enterprise_id": v.enterprise_id,
        "category": v.category,
        "amount": str(v.amount),
        "remaining": str(v.remaining),
        "status": v.status,
        "source": v.source,
        "source_ref": v.source_ref,
        "issued_at": v.issued_at.isoformat(),
        "expires_on": v.expires_on.isoformat(),
    }


def service_out(s) -> dict:
    return {
        "id": s.pk,
        "provider_id": s.provider_id,
        "provider_name": s.provider.name,
        "category": s.category,
        "name": s.name,
        "price": str(s.price),
        "unit": s.unit,
        "description": s.description,
        "status": s.status,
        "status_reason": s.status_reason,
    }


def order_out(o) -> dict:
    redemption = o.redemptions.first()
    return {
        "id": o.pk,
        "enterprise_id": o.enterprise_id,
        "provider_id": o.provider_id,
        "service_id": o.service_id,
        "voucher_id": o.voucher_id,
        "price": str(o.price),
        "status": o.status,
        "description": o.description,
        "redeemed": str(redemption.amount) if redemption else None,
        "settlement_ref": redemption.settlement_ref if redemption else "",
    }


def entry_out(e) -> dict:
    return {
        "id": e.pk,
        "kind": e.kind,
        "amount": str(e.amount),
        "at": e.at.isoformat(),
        "note": e.note,
        "order_id": e.redemption.order_id if e.redemption_id else None,
    }

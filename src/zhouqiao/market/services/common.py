"""What the market services share: acting for an organisation, lots, amounts."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Organisation
from zhouqiao.catalog.models import Achievement, TransferMode
from zhouqiao.catalog.states import RecordStatus
from zhouqiao.core.errors import NotFound, PermissionDenied, ValidationFailed
from zhouqiao.core.money import AmountError, parse_amount
from zhouqiao.market.exceptions import LOT_NOT_PUBLISHED, NO_ORGANISATION, NOT_MEMBER, NOT_VERIFIED


def fail(field: str, message, code: str = "validation_failed") -> ValidationFailed:
    return ValidationFailed(message, code=code, detail={field: [str(message)]})


def acting_organisation(actor, organisation_id=None, *, verified: bool = True) -> Organisation:
    """The organisation ``actor`` acts for: the one they name (they must be a member), or, when they
    belong to exactly one organisation, that one. Someone who belongs to several must name it;
    nothing is guessed (issue 17: a "first one" guess booked a person's bids to another
    organisation's paddle)."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("请先登录。"), code="unauthenticated", status=401)
    own = scope.organisation_ids(actor)
    if organisation_id not in (None, ""):
        try:
            wanted = int(organisation_id)
        except (TypeError, ValueError):
            raise fail(
                "organisation_id", _("请选择以哪个机构的名义办理。"), "organisation_required"
            ) from None
        if wanted not in own:
            raise PermissionDenied(NOT_MEMBER)
    elif not own:
        raise PermissionDenied(NO_ORGANISATION, code="no_organisation")
    elif len(own) > 1:
        raise fail(
            "organisation_id",
            _("您同时属于多个机构，请选择以哪个机构的名义办理。"),
            "organisation_required",
        )
    else:
        wanted = own[0]
    org = Organisation.objects.get(pk=wanted)
    if verified and not org.is_verified:
        raise PermissionDenied(NOT_VERIFIED, code="not_verified")
    return org


def published_achievement(achievement_id) -> Achievement:
    achievement = Achievement.objects.select_related("owner", "region").filter(pk=achievement_id).first()
    if achievement is None:
        raise NotFound(_("科技成果不存在。"))
    if achievement.status != RecordStatus.PUBLISHED:
        raise fail("achievement", LOT_NOT_PUBLISHED, "lot_not_published")
    return achievement


def _not_positive(value) -> bool:
    try:
        return Decimal(str(value).strip().replace(",", "")) <= 0
    except InvalidOperation:
        return False


def amount(value, field: str, label, *, allow_zero: bool = False) -> Decimal:
    """Through the one parser (core.money): ≤ 10¹² 元, two places, never rounded."""
    if value is None or value == "":
        raise fail(field, _("%(label)s不是有效金额。") % {"label": label}, "invalid_amount")
    try:
        return parse_amount(value, allow_zero=allow_zero)
    except AmountError as exc:
        if _not_positive(value):
            message = _("%(label)s应大于零。") % {"label": label}
        else:
            message = _("%(label)s：%(reason)s") % {"label": label, "reason": exc}
        raise fail(field, message, "invalid_amount") from None


def mode(value: str) -> str:
    if value not in TransferMode.values:
        raise fail("mode", _("请选择转化方式。"))
    return value

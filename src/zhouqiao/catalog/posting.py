"""Who may put records on the market in an organisation's name: post a technology demand or an
achievement, or apply (as the seller) to register a technology contract. The one rule, read by the
services (which refuse) and by every page that offers the buttons (which show them only to those
the service would accept).

- The three administrators of 三员分立 (system, security, audit) run the platform, not the
  business: they create and edit no business record, whatever organisation they belong to.
- The market's parties post: enterprises, universities, institutes, new R&D institutions, transfer
  institutions (for the holders they serve) and service providers. Investors post nothing.
- A science and technology bureau does not post demands or achievements, with one exception: the
  bureau's program officers put the patents of its patent pool on the market as achievements.
- A bureau is the registry of technology contracts: it does not apply to register one of its own.
"""

from django.utils.translation import gettext as _

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import EXCLUSIVE_DUTIES, Duty, Organisation, OrganisationKind

ACHIEVEMENT, DEMAND, CONTRACT = "achievement", "demand", "contract"

_MARKET_PARTIES = frozenset(
    {
        OrganisationKind.ENTERPRISE,
        OrganisationKind.UNIVERSITY,
        OrganisationKind.INSTITUTE,
        OrganisationKind.NEW_RD_INSTITUTION,
        OrganisationKind.TRANSFER_INSTITUTION,
        OrganisationKind.SERVICE_PROVIDER,
    }
)
# Which kinds of organisation post each kind of record (a bureau's exception is in :func:`refusal`).
POSTERS = {ACHIEVEMENT: _MARKET_PARTIES, DEMAND: _MARKET_PARTIES, CONTRACT: _MARKET_PARTIES}


def is_administrator(user) -> bool:
    """Holds one of the three administrators' duties (三员)."""
    return any(scope.has_duty(user, duty) for duty in EXCLUSIVE_DUTIES)


def _what(kind: str) -> str:
    return {ACHIEVEMENT: _("科技成果"), DEMAND: _("技术需求"), CONTRACT: _("技术合同登记申请")}[kind]


def refusal(user, organisation, kind: str) -> str | None:
    """Why ``user`` may not post a record of ``kind`` for ``organisation`` (Chinese), or None.
    Membership is part of the rule: only an organisation's members act in its name."""
    if not getattr(user, "is_authenticated", False):
        return _("请先登录。")
    if is_administrator(user):
        return _("系统管理员、安全管理员和审计管理员（三员）不办理业务，不能发布或修改%(what)s。") % {
            "what": _what(kind)
        }
    if organisation is None or not scope.is_member(user, organisation):
        return _("只有所属机构的成员可以执行此操作。")
    if organisation.kind == OrganisationKind.GOVERNMENT:
        if kind == CONTRACT:
            return _("科技主管部门是技术合同的登记机关，不能以本部门为卖方申请技术合同登记。")
        if kind == ACHIEVEMENT and scope.has_duty(user, Duty.PROGRAM_OFFICER):
            return None  # the patent pool's patents, put on the market by its officers
        return _("科技主管部门不在科技大市场发布技术需求或科技成果。")
    if organisation.kind not in POSTERS[kind]:
        return _("%(org_kind)s不能发布%(what)s。") % {
            "org_kind": organisation.get_kind_display(),
            "what": _what(kind),
        }
    return None


def may_post(user, organisation, kind: str) -> bool:
    return refusal(user, organisation, kind) is None


def _own_organisations(user) -> list[Organisation]:
    """The user's organisations by name, from the memberships scope reads once a request (the menu
    asks on every page)."""
    return sorted((m.organisation for m in scope.memberships(user)), key=lambda o: o.name)


def organisations_for(user, kind: str, *, verified_only: bool = False) -> list[Organisation]:
    """The user's organisations in whose name they may post ``kind``, by name."""
    if not getattr(user, "is_authenticated", False) or is_administrator(user):
        return []
    return [
        o
        for o in _own_organisations(user)
        if (o.is_verified or not verified_only) and may_post(user, o, kind)
    ]


def may_post_any(user, kind: str) -> bool:
    """Whether to offer the button: the user may post ``kind`` for at least one organisation."""
    return bool(organisations_for(user, kind))


def bureau_name(region_code: str, duty: str) -> str:
    """Who handles a record of ``region_code`` with ``duty`` (the reviewer of a demand, the
    registrar of a contract), for the messages that say whom it now waits on: the bureau of the
    jurisdiction it waits on (notifications.recipients.handling_jurisdiction)."""
    from zhouqiao.notifications import recipients

    return recipients.bureau_name(recipients.handling_jurisdiction(duty, region_code), duty)

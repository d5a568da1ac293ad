"""Every write of 揭榜挂帅: keyword-only arguments plus ``actor`` and ``now``; one durable
transaction owning its row lock, its audit record and its notifications.

Who may do what (checked here, and by the pages through the ``may_*`` helpers below):

* the issuer (发榜单位) — members of the challenge's owner organisation: draft, submit, select a
  proposal (企业主体), accept or return milestones, final acceptance;
* program officers (``Duty.PROGRAM_OFFICER``) whose jurisdiction covers the challenge's region:
  publish or return a submitted challenge (not one they submitted themselves), close collection,
  pick the review panel;
* teams — members of a verified organisation other than the issuer: submit proposals as lead; the
  lead's members report deliverables;
* experts on the challenge's panel (``Expert.user``): score each proposal 0–100 with a comment, or
  step aside (申请回避) with a reason while the review is open.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal, InvalidOperation

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty, Organisation
from zhouqiao.accounts.states import VerificationStatus
from zhouqiao.core import audit, clock
from zhouqiao.core.errors import (
    Conflict,
    DomainError,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from zhouqiao.core.locking import lock
from zhouqiao.core.money import AmountError, format_yuan, parse_amount
from zhouqiao.programs.challenges import checks, todos
from zhouqiao.programs.challenges.models import (
    VALUE_DIGITS,
    VALUE_PLACES,
    Acceptance,
    Challenge,
    ChallengeAttachment,
    CommittedValue,
    Indicator,
    Measurement,
    Milestone,
    PanelRecusal,
    Proposal,
    ReviewPanel,
    Score,
    plain,
)
from zhouqiao.programs.challenges.states import (
    EDITABLE,
    REASON_REQUIRED,
    TRANSITIONS,
    Actor,
    ChallengeStatus,
    Direction,
    Eligibility,
    MilestoneStatus,
    ProposalStatus,
)

NOT_ALLOWED = _("您无权进行此操作。")
SUBSIDY_RULE = "cc_challenge_accepted"  # 001#4 in policy/packages/001_changchun.yaml
MAX_INDICATORS = 10
MAX_MILESTONES = 12
MAX_ATTACHMENT = 20 * 1024 * 1024
CHALLENGE_FIELDS = [
    "title",
    "owner",
    "demand",
    "summary",
    "investment",
    "reward",
    "deadline",
    "completion_date",
    "eligibility",
    "status",
    "status_reason",
]


def _fail(field: str, message) -> ValidationFailed:
    return ValidationFailed(message, detail={field: [str(message)]})


def _text(data: dict, field: str, message, limit: int | None = None) -> str:
    value = (data.get(field) or "").strip()
    if not value:
        raise _fail(field, message)
    return value[:limit] if limit else value


def _amount(value, field: str, label) -> Decimal:
    if value is None or value == "":
        raise _fail(field, _("请填写%(label)s。") % {"label": label})
    try:
        return parse_amount(value)
    except AmountError as exc:
        raise _fail(field, _("%(label)s：%(reason)s") % {"label": label, "reason": exc}) from exc


def _date(value, field: str, message) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value or "").strip())
    except ValueError as exc:
        raise _fail(field, message) from exc


def _number(value, field: str, label) -> Decimal:
    """An indicator value: a finite decimal with at most four places."""
    text = str(value if value is not None else "").strip().replace(",", "").replace("，", "")
    if not text:
        raise _fail(field, _("请填写%(label)s。") % {"label": label})
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        raise _fail(field, _("%(label)s须为数字。") % {"label": label}) from exc
    if not number.is_finite() or "e" in text.lower():
        raise _fail(field, _("%(label)s须为数字。") % {"label": label})
    if number.as_tuple().exponent < -VALUE_PLACES:
        raise _fail(field, _("%(label)s最多保留四位小数。") % {"label": label})
    if abs(number) >= Decimal(10) ** (VALUE_DIGITS - VALUE_PLACES):
        raise _fail(field, _("%(label)s超出范围。") % {"label": label})
    return number


# -- who may -----------------------------------------------------------------------------------------


def is_owner(user, challenge: Challenge) -> bool:
    return scope.is_member(user, challenge.owner)


def is_officer(user, challenge: Challenge) -> bool:
    return scope.covers(user, challenge.region_id, Duty.PROGRAM_OFFICER)


def expert_of(user):
    from zhouqiao.community.models import Expert, ExpertStatus

    if not getattr(user, "is_authenticated", False):
        return None
    return Expert.objects.filter(user=user, status=ExpertStatus.APPROVED).first()


def is_panel_expert(user, challenge: Challenge) -> bool:
    expert = expert_of(user)
    return expert is not None and challenge.panel.filter(expert=expert).exists()


def is_team(user, proposal: Proposal) -> bool:
    return scope.is_member(user, proposal.lead)


def may_move(user, challenge: Challenge, to_status: str) -> bool:
    who = TRANSITIONS.get(challenge.status, {}).get(to_status)
    if who == Actor.OWNER:
        return is_owner(user, challenge)
    if who == Actor.STAFF:
        if (
            to_status in (ChallengeStatus.OPEN, ChallengeStatus.RETURNED)
            and challenge.created_by_id == user.pk
        ):
            return False  # 002 §23: who proposes does not also decide
        return is_officer(user, challenge)
    if who == Actor.TEAM:
        selected = challenge.selected_proposal
        return selected is not None and is_team(user, selected)
    return False


def team_organisations(user) -> list[Organisation]:
    """The verified organisations a person may lead a proposal for."""
    return list(
        Organisation.objects.filter(
            pk__in=scope.organisation_ids(user), status=VerificationStatus.VERIFIED
        ).exclude(kind="government")
    )


def eligible(challenge: Challenge, organisation: Organisation) -> bool:
    if not organisation.is_verified or organisation.pk == challenge.owner_id:
        return False
    if challenge.eligibility == Eligibility.PROVINCE:
        return organisation.region_id[:2] == challenge.region_id[:2]
    return True


# -- state changes -----------------------------------------------------------------------------------


def _move(
    challenge: Challenge, to_status: str, *, actor, reason: str = "", closed_early: bool = False, now
) -> Challenge:
    allowed = TRANSITIONS.get(challenge.status, {})
    if to_status not in allowed:
        raise InvalidTransition(
            _("榜单当前状态“%(status)s”不能执行此操作。") % {"status": challenge.get_status_display()}
        )
    if not may_move(actor, challenge, to_status):
        raise PermissionDenied(NOT_ALLOWED)
    reason = (reason or "").strip()
    if to_status in REASON_REQUIRED and not reason:
        raise _fail("reason", _("请填写理由。"))
    before = audit.snapshot(challenge, CHALLENGE_FIELDS)
    challenge.status = to_status
    if reason or to_status in REASON_REQUIRED:
        challenge.status_reason = reason
    if to_status == ChallengeStatus.PENDING_REVIEW:
        challenge.submitted_at = now
    elif to_status == ChallengeStatus.OPEN:
        challenge.published_at, challenge.published_by = now, actor
    elif to_status == ChallengeStatus.REVIEWING:
        challenge.review_started_at = now
    elif to_status in (ChallengeStatus.AWARDED, ChallengeStatus.UNAWARDED):
        challenge.decided_at = now
    challenge.save()
    audit.record(
        f"challenges.challenge.{to_status}",
        actor=actor,
        target=challenge,
        before=before,
        after=audit.snapshot(challenge, CHALLENGE_FIELDS),
        reason=reason,
        now=now,
    )
    todos.challenge_changed(challenge, now=now, closed_early=closed_early)
    return challenge


def _clean_indicators(rows) -> list[Indicator]:
    out = []
    for i, row in enumerate(rows or []):
        if not any(str(row.get(k) or "").strip() for k in ("name", "target", "unit", "method")):
            continue  # an empty row of the form
        n = {"n": len(out) + 1}
        name = (row.get("name") or "").strip()
        if not name:
            raise _fail("indicators", _("第%(n)d项指标：请填写指标名称。") % n)
        target = _number(row.get("target"), "indicators", _("第%(n)d项指标的目标值") % n)
        unit = (row.get("unit") or "").strip()
        if not unit:
            raise _fail(
                "indicators",
                _("第%(n)d项指标“%(name)s”：请填写单位（如 %%、MPa、小时）。") % {**n, "name": name},
            )
        direction = row.get("direction") or Direction.AT_LEAST
        if direction not in Direction.values:
            raise _fail("indicators", _("第%(n)d项指标：请选择达标方向。") % n)
        method = (row.get("method") or "").strip()
        if not method:
            raise _fail("indicators", _("第%(n)d项指标“%(name)s”：请填写测量方法。") % {**n, "name": name})
        out.append(
            Indicator(
                position=i,
                name=name[:100],
                target=target,
                unit=unit[:20],
                direction=direction,
                method=method[:255],
            )
        )
    if not out:
        raise _fail("indicators", _("请至少填写一项可验证的技术指标。"))
    if len(out) > MAX_INDICATORS:
        raise _fail("indicators", _("技术指标最多%(n)d项。") % {"n": MAX_INDICATORS})
    if len({i.name for i in out}) != len(out):
        raise _fail("indicators", _("指标名称不能重复。"))
    return out


def _clean_challenge(data: dict, *, owner: Organisation, actor, now) -> dict:
    from zhouqiao.catalog.models import Demand
    from zhouqiao.catalog.states import RecordStatus

    title = _text(data, "title", _("请填写榜单名称。"), 200)
    summary = _text(data, "summary", _("请填写榜单说明。"))
    demand = None
    if owner.kind == "government":
        if data.get("demand_id"):
            raise _fail("demand_id", _("科技管理部门发布的公共难题榜单不关联企业需求。"))
    else:
        demand = Demand.objects.filter(pk=data.get("demand_id") or 0, owner=owner).first()
        if demand is None:
            raise _fail("demand_id", _("请选择本单位已发布的一项技术需求。"))
        if demand.status != RecordStatus.PUBLISHED:
            raise _fail("demand_id", _("只有已发布的技术需求可以转为榜单。"))
    investment = _amount(data.get("investment"), "investment", _("企业先行投入"))
    reward = _amount(data.get("reward"), "reward", _("揭榜奖励"))
    deadline = _date(data.get("deadline"), "deadline", _("请填写揭榜截止日期（YYYY-MM-DD）。"))
    completion = _date(
        data.get("completion_date"), "completion_date", _("请填写攻关完成期限（YYYY-MM-DD）。")
    )
    if deadline < clock.local_date(now):
        raise _fail("deadline", _("揭榜截止日期不能早于今天。"))
    if completion <= deadline:
        raise _fail("completion_date", _("攻关完成期限应晚于揭榜截止日期。"))
    eligibility = data.get("eligibility") or Eligibility.NATIONWIDE
    if eligibility not in Eligibility.values:
        raise _fail("eligibility", _("请选择揭榜条件。"))
    return {
        "fields": {
            "title": title,
            "summary": summary,
            "demand": demand,
            "investment": investment,
            "reward": reward,
            "deadline": deadline,
            "completion_date": completion,
            "eligibility": eligibility,
        },
        "indicators": _clean_indicators(data.get("indicators")),
    }


def may_post(user, organisation: Organisation) -> bool:
    """Members of a verified enterprise (from its demands), or a bureau's program officers."""
    if not organisation.is_verified or not scope.is_member(user, organisation):
        return False
    if organisation.kind == "government":
        return scope.has_duty(user, Duty.PROGRAM_OFFICER)
    return organisation.kind == "enterprise"


@transaction.atomic(durable=True)
def create_challenge(*, actor, organisation_id: int, data: dict, now) -> Challenge:
    owner = Organisation.objects.filter(pk=organisation_id).first()
    if owner is None or not may_post(actor, owner):
        raise PermissionDenied(_("只有已认证企业的成员或科技管理部门的项目管理人员可以发布榜单。"))
    cleaned = _clean_challenge(data, owner=owner, actor=actor, now=now)
    challenge = Challenge.objects.create(
        **cleaned["fields"], owner=owner, region=owner.region, created_by=actor, created_at=now
    )
    for indicator in cleaned["indicators"]:
        indicator.challenge = challenge
    Indicator.objects.bulk_create(cleaned["indicators"])
    audit.record(
        "challenges.challenge.create",
        actor=actor,
        target=challenge,
        after={
            **audit.snapshot(challenge, CHALLENGE_FIELDS),
            "indicators": [str(i) for i in cleaned["indicators"]],
        },
        now=now,
    )
    return challenge


@transaction.atomic(durable=True)
def update_challenge(*, actor, challenge_id: int, data: dict, now) -> Challenge:
    challenge = lock(Challenge.objects.all(), challenge_id)
    if not is_owner(actor, challenge):
        raise PermissionDenied(NOT_ALLOWED)
    if challenge.status not in EDITABLE:
        raise InvalidTransition(_("只有草稿或已退回的榜单可以修改。"))
    before = audit.snapshot(challenge, CHALLENGE_FIELDS)
    cleaned = _clean_challenge(
        {**data, "demand_id": data.get("demand_id") or challenge.demand_id},
        owner=challenge.owner,
        actor=actor,
        now=now,
    )
    for key, value in cleaned["fields"].items():
        setattr(challenge, key, value)
    challenge.save()
    challenge.indicators.all().delete()
    for indicator in cleaned["indicators"]:
        indicator.challenge = challenge
    Indicator.objects.bulk_create(cleaned["indicators"])
    audit.record(
        "challenges.challenge.update",
        actor=actor,
        target=challenge,
        before=before,
        after={
            **audit.snapshot(challenge, CHALLENGE_FIELDS),
            "indicators": [str(i) for i in cleaned["indicators"]],
        },
        now=now,
    )
    return challenge


@transaction.atomic(durable=True)
def submit_challenge(*, actor, challenge_id: int, now) -> Challenge:
    challenge = lock(Challenge.objects.all(), challenge_id)
    if challenge.deadline < clock.local_date(now):
        raise _fail("deadline", _("揭榜截止日期已过，请修改后再提交。"))
    return _move(challenge, ChallengeStatus.PENDING_REVIEW, actor=actor, now=now)


@transaction.atomic(durable=True)
def review_challenge(*, actor, challenge_id: int, publish: bool, reason: str, now) -> Challenge:
    """A program officer publishes the challenge on the 榜单 or returns it, with reasons."""
    challenge = lock(Challenge.objects.all(), challenge_id)
    if not (reason or "").strip():
        raise _fail("reason", _("请填写审核意见。"))
    if publish and challenge.deadline < clock.local_date(now):
        raise InvalidTransition(_("揭榜截止日期已过，请退回发榜单位修改。"))
    to = ChallengeStatus.OPEN if publish else ChallengeStatus.RETURNED
    return _move(challenge, to, actor=actor, reason=reason, now=now)


def closes_early(challenge: Challenge, *, now) -> bool:
    """Would ending collection now cut the published deadline short (the deadline day included)?"""
    return clock.local_date(now) <= challenge.deadline


@transaction.atomic(durable=True)
def close_collection(*, actor, challenge_id: int, reason: str = "", confirm: bool = False, now) -> Challenge:
    """A program officer ends collection: with proposals it goes to expert review, without any
    it ends 未揭榜.

    Before the published deadline (揭榜截止日期) teams may still be preparing proposals, so ending
    it early is a decision of its own (the bureau runs the 榜单, 001#27 责任单位：市科技局): the
    officer confirms it and gives a reason, which is recorded in the audit
    (``challenges.challenge.closed_early``), shown on the challenge as its decision and sent to
    the issuer's members. After the deadline a click suffices; without proposals the challenge
    is 未揭榜 (no one took it up)."""
    challenge = lock(Challenge.objects.all(), challenge_id)
    if challenge.status == ChallengeStatus.OPEN and not may_move(actor, challenge, ChallengeStatus.REVIEWING):
        raise PermissionDenied(NOT_ALLOWED)
    reason = (reason or "").strip()
    early = challenge.status == ChallengeStatus.OPEN and closes_early(challenge, now=now)
    if early:
        deadline = challenge.deadline.isoformat()
        if not reason:
            raise _fail(
                "reason",
                _("揭榜截止日期（%(d)s）未到，提前结束征集须填写理由，理由将告知发榜单位。")
                % {"d": deadline},
            )
        if not confirm:
            raise _fail(
                "confirm",
                _("揭榜截止日期（%(d)s）未到，请勾选确认提前结束征集。") % {"d": deadline},
            )
        reason = _("截止日期（%(d)s）前提前结束征集：%(reason)s") % {"d": deadline, "reason": reason}
    live = challenge.proposals.exclude(status=ProposalStatus.WITHDRAWN).exists()
    if live:
        to, why = ChallengeStatus.REVIEWING, reason
    else:
        to, why = ChallengeStatus.UNAWARDED, reason or _("征集期内无人揭榜。")
    challenge = _move(challenge, to, actor=actor, reason=why, closed_early=early, now=now)
    if early:
        audit.record(
            "challenges.challenge.closed_early",
            actor=actor,
            target=challenge,
            after={"deadline": challenge.deadline.isoformat(), "status": to},
            reason=why,
            now=now,
        )
    return challenge


@transaction.atomic(durable=True)
def add_attachment(*, actor, challenge_id: int, content: bytes, filename: str, confidential: bool, now):
    challenge = lock(Challenge.objects.all(), challenge_id)
    if not is_owner(actor, challenge):
        raise PermissionDenied(NOT_ALLOWED)
    if challenge.status not in (*EDITABLE, ChallengeStatus.OPEN):
        raise InvalidTransition(_("当前状态不能再添加附件。"))
    if not content or len(content) > MAX_ATTACHMENT:
        raise _fail("file", _("附件不能为空，且不超过20MB。"))
    name = (filename or "attachment").replace("/", "_")[-200:]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else "bin"
    attachment = ChallengeAttachment(
        challenge=challenge,
        original_name=name,
        size=len(content),
        confidential=bool(confidential),
        uploaded_by=actor,
        uploaded_at=now,
    )
    attachment.file.save(f"{uuid.uuid4().hex}.{extension[:8]}", ContentFile(content), save=False)
    attachment.save()
    audit.record(
        "challenges.attachment.add",
        actor=actor,
        target=challenge,
        after={"file": name, "confidential": attachment.confidential},
        now=now,
    )
    return attachment


def may_download(user, attachment: ChallengeAttachment) -> bool:
    challenge = attachment.challenge
    if is_owner(user, challenge) or is_officer(user, challenge):
        return True
    if attachment.confidential:
        return is_panel_expert(user, challenge)
    return challenge.status in (
        ChallengeStatus.OPEN,
        ChallengeStatus.REVIEWING,
        ChallengeStatus.AWARDED,
        ChallengeStatus.IN_PROGRESS,
        ChallengeStatus.ACCEPTED,
        ChallengeStatus.UNAWARDED,
    )


# -- proposals ---------------------------------------------------------------------------------------


def _clean_proposal(challenge: Challenge, data: dict, *, lead: Organisation) -> dict:
    members = _text(data, "members", _("请填写团队成员（每行一人）。"))
    route = _text(data, "technical_route", _("请填写技术路线。"))
    schedule = _text(data, "schedule", _("请填写进度安排。"))
    price = _amount(data.get("price"), "price", _("报价"))
    partners = []
    for pk in data.get("partner_ids") or []:
        org = Organisation.objects.filter(pk=pk).first()
        if org is None or not org.is_verified or org.kind == "government":
            raise _fail("partner_ids", _("联合单位须为已认证的创新主体。"))
        if org.pk in (lead.pk, challenge.owner_id):
            raise _fail("partner_ids", _("联合单位不能是牵头单位或发榜单位。"))
        partners.append(org)
    committed_raw = data.get("committed") or {}
    indicators = list(challenge.indicators.all())
    committed = []
    for indicator in indicators:
        raw = committed_raw.get(indicator.pk, committed_raw.get(str(indicator.pk)))
        if raw is None or str(raw).strip() == "":
            raise _fail(
                "committed",
                _("请填写指标“%(name)s”的承诺值（单位：%(unit)s）。")
                % {"name": indicator.name, "unit": indicator.unit},
            )
        value = _number(raw, "committed", _("指标“%(name)s”的承诺值") % {"name": indicator.name})
        if not indicator.met_by(value):
            raise _fail(
                "committed",
                _("指标“%(name)s”的承诺值%(value)s%(unit)s未达到榜单要求（%(dir)s%(target)s%(unit)s）。")
                % {
                    "name": indicator.name,
                    "value": plain(value),
                    "unit": indicator.unit,
                    "dir": indicator.get_direction_display(),
                    "target": indicator.target_text,
                },
            )
        committed.append(CommittedValue(indicator=indicator, value=value))
    milestones = []
    for i, row in enumerate(data.get("milestones") or []):
        if not any(str(row.get(k) or "").strip() for k in ("title", "deliverable", "due_on")):
            continue
        n = {"n": len(milestones) + 1}
        title = (row.get("title") or "").strip()
        deliverable = (row.get("deliverable") or "").strip()
        if not title or not deliverable:
            raise _fail("milestones", _("第%(n)d个里程碑：请填写名称和交付物。") % n)
        due = _date(
            row.get("due_on"), "milestones", _("第%(n)d个里程碑：计划完成日期格式应为 YYYY-MM-DD。") % n
        )
        if due > challenge.completion_date:
            raise _fail(
                "milestones",
                _("第%(n)d个里程碑的计划完成日期%(due)s晚于榜单的攻关完成期限%(end)s。")
                % {**n, "due": due.isoformat(), "end": challenge.completion_date.isoformat()},
            )
        milestones.append(Milestone(position=i, title=title[:200], deliverable=deliverable[:255], due_on=due))
    if not milestones:
        raise _fail("milestones", _("请至少填写一个里程碑及其交付物。"))
    if len(milestones) > MAX_MILESTONES:
        raise _fail("milestones", _("里程碑最多%(n)d个。") % {"n": MAX_MILESTONES})
    return {
        "fields": {"members": members, "technical_route": route, "schedule": schedule, "price": price},
        "partners": partners,
        "committed": committed,
        "milestones": milestones,
    }


@transaction.atomic(durable=True)
def submit_proposal(*, actor, challenge_id: int, lead_id: int, data: dict, now) -> Proposal:
    """A team answers the 榜 (揭榜). The proposal is checked against other proposals, call
    applications and the public corpus (查重); a near duplicate is flagged to staff."""
    challenge = lock(Challenge.objects.all(), challenge_id)
    lead = Organisation.objects.filter(pk=lead_id).first()
    if lead is None or not scope.is_member(actor, lead):
        raise PermissionDenied(_("请以您所在的已认证单位作为牵头单位揭榜。"))
    if lead.kind == "government" or not eligible(challenge, lead):
        if lead.pk == challenge.owner_id:
            raise PermissionDenied(_("发榜单位不能揭自己的榜。"))
        raise PermissionDenied(_("牵头单位不符合本榜单的揭榜条件（须为已认证的创新主体）。"))
    if challenge.status != ChallengeStatus.OPEN:
        raise InvalidTransition(_("该榜单不在征集中，不能揭榜。"))
    if challenge.deadline < clock.local_date(now):
        raise InvalidTransition(_("揭榜截止日期已过。"))
    if challenge.proposals.filter(lead=lead).exclude(status=ProposalStatus.WITHDRAWN).exists():
        raise Conflict(_("本单位已就该榜单提交过方案。"), code="already_proposed")
    cleaned = _clean_proposal(challenge, data, lead=lead)
    proposal = Proposal(
        **cleaned["fields"], challenge=challenge, lead=lead, submitted_by=actor, submitted_at=now
    )
    proposal.signature = checks.signature_of(f"{challenge.title}\n{proposal.text}")
    try:
        with transaction.atomic():
            proposal.save()
    except IntegrityError as exc:
        raise Conflict(_("本单位已就该榜单提交过方案。"), code="already_proposed") from exc
    proposal.partners.set(cleaned["partners"])
    for item in cleaned["committed"]:
        item.proposal = proposal
    CommittedValue.objects.bulk_create(cleaned["committed"])
    for item in cleaned["milestones"]:
        item.proposal = proposal
    Milestone.objects.bulk_create(cleaned["milestones"])
    proposal.duplicate_matches = checks.check_proposal(proposal, now=now)
    proposal.near_duplicate = any(m["near_duplicate"] for m in proposal.duplicate_matches)
    proposal.save(update_fields=["duplicate_matches", "near_duplicate"])
    audit.record(
        "challenges.proposal.submit",
        actor=actor,
        target=proposal,
        after={
            "challenge": challenge.pk,
            "lead": lead.pk,
            "partners": [p.pk for p in cleaned["partners"]],
            "price": proposal.price,
            "committed": {c.indicator_id: c.value for c in cleaned["committed"]},
            "milestones": [(m.title, m.due_on) for m in cleaned["milestones"]],
            "near_duplicate": proposal.near_duplicate,
        },
        region_code=challenge.region_id,
        now=now,
    )
    todos.proposal_submitted(proposal, now=now)
    return proposal


# -- expert review -----------------------------------------------------------------------------------


def party_of(proposal: Proposal):
    from zhouqiao.community.conflicts import Party

    people = [line.split("（")[0].split("(")[0] for line in proposal.members.splitlines()]
    return Party.of([proposal.lead_id, *proposal.partners.values_list("pk", flat=True)], people)


def conflicts_of(challenge: Challenge, experts, *, now) -> dict[int, str]:
    """{expert id: why they must not review this challenge} — one reason per expert.

    * The issuer (发榜单位): an expert who works there, or who declared it as a conflict, is in
      conflict for the whole challenge. The issuer chooses the winning proposal (企业主体) and pays
      for it: its own staff are a party to the matter, not independent advisers. Sources
      (research/review-and-challenges.md §1): national plans exclude experts "with an interest in
      the matter"; NSFC Regulations Art. 19 / 2024 Art. 20(3) exclude a reviewer from the same
      legal-person unit (同一法人单位) as a party; government procurement Art. 16 excludes the
      supplier's employees. No Jilin text was found, so the issuer is treated as a party.
    * Each proposal's party (lead, partners, team members) by ``community.conflicts``.
    """
    from zhouqiao.community.conflicts import ConflictIndex
    from zhouqiao.community.models import ExpertConflict

    experts = list(experts)
    if not experts:
        return {}
    out = {}
    declared = set(
        ExpertConflict.objects.filter(
            expert_id__in=[e.pk for e in experts], organisation_id=challenge.owner_id
        ).values_list("expert_id", flat=True)
    )
    recused = dict(
        PanelRecusal.objects.filter(challenge=challenge, expert_id__in=[e.pk for e in experts]).values_list(
            "expert_id", "reason"
        )
    )
    for expert in experts:
        if expert.pk in recused:
            out[expert.pk] = _("本人已申请对本榜单回避：%(reason)s") % {"reason": recused[expert.pk]}
        elif expert.organisation_id == challenge.owner_id:
            out[expert.pk] = _("本人所在单位为发榜单位（对整个榜单回避）")
        elif expert.pk in declared:
            out[expert.pk] = _("发榜单位为本人申报的回避单位（对整个榜单回避）")
    rest = [e for e in experts if e.pk not in out]
    if not rest:
        return out
    index = ConflictIndex.build(rest, now=now)
    proposals = list(challenge.proposals.exclude(status=ProposalStatus.WITHDRAWN).select_related("lead"))
    parties = [(p, party_of(p)) for p in proposals]
    for expert in rest:
        for proposal, party in parties:
            reason = index.reason(expert.pk, party)
            if reason:
                out[expert.pk] = _("与“%(lead)s”的方案：%(reason)s") % {
                    "lead": proposal.lead.name,
                    "reason": reason,
                }
                break
    return out


def suggested_experts(challenge: Challenge, *, now, limit: int = 8):
    """[(expert, score, why they fit, conflict reason or "")], best first (community.matching).

    Only experts who can review online are suggested (``programs.assignment.reviewers``, the rule
    calls use too): an expert without a platform account could never score a proposal, so the page
    offers no button that can only fail. An expert in conflict is listed with the reason."""
    from zhouqiao.community import matching
    from zhouqiao.programs import assignment

    parts = [challenge.title, challenge.summary, *(i.name for i in challenge.indicators.all())]
    if challenge.demand_id:
        parts += [challenge.demand.problem, challenge.demand.keywords]
    item = matching.ItemProfile(
        text=" ".join(p for p in parts if p),
        industries=frozenset([challenge.demand.industry_id])
        if challenge.demand_id and challenge.demand.industry_id
        else frozenset(),
    )
    chosen = list(challenge.panel.values_list("expert_id", flat=True))
    pool = assignment.expert_pool().exclude(pk__in=chosen).select_related("organisation")
    found = assignment.ranked(item, pool, limit=limit)
    conflicts = conflicts_of(challenge, [e for e, _s, _r in found], now=now)
    return [(e, s, r, conflicts.get(e.pk, "")) for e, s, r in found]


@transaction.atomic(durable=True)
def assign_expert(*, actor, challenge_id: int, expert_id: int, reason: str = "", now) -> ReviewPanel:
    from zhouqiao.community.models import Expert
    from zhouqiao.programs.assignment import reviewer_problem

    challenge = lock(Challenge.objects.all(), challenge_id)
    if not is_officer(actor, challenge):
        raise PermissionDenied(NOT_ALLOWED)
    if challenge.status not in (ChallengeStatus.OPEN, ChallengeStatus.REVIEWING):
        raise InvalidTransition(_("只有征集中或评审中的榜单可以遴选评审专家。"))
    expert = Expert.objects.select_related("user").filter(pk=expert_id).first()
    problem = reviewer_problem(expert)  # the one rule of who can review online (programs.assignment)
    if problem:
        raise _fail("expert_id", problem)
    conflict = conflicts_of(challenge, [expert], now=now).get(expert.pk)
    if conflict:
        audit.record(
            "challenges.panel.refused",
            actor=actor,
            target=challenge,
            after={"expert": expert.pk},
            success=False,
            reason=conflict,
            now=now,
        )
        raise ValidationFailed(
            _("%(name)s须回避：%(reason)s") % {"name": expert.name, "reason": conflict},
            code="conflict_of_interest",
            detail={"expert_id": [_("须回避：%(reason)s") % {"reason": conflict}]},
        )
    try:
        with transaction.atomic():
            member = ReviewPanel.objects.create(
                challenge=challenge,
                expert=expert,
                reason=(reason or "")[:255],
                assigned_by=actor,
                assigned_at=now,
            )
    except IntegrityError as exc:
        raise Conflict(_("该专家已在评审组中。"), code="already_on_panel") from exc
    # The first open recusal (申请回避) of the challenge is filled by this expert.
    waiting = PanelRecusal.objects.filter(challenge=challenge, replaced_at=None).order_by("recused_at", "pk")
    PanelRecusal.objects.filter(pk__in=waiting.values("pk")[:1]).update(replaced_at=now)
    audit.record(
        "challenges.panel.add",
        actor=actor,
        target=challenge,
        after={"expert": expert.pk, "reason": member.reason},
        now=now,
    )
    todos.expert_assigned(member, now=now)
    return member


@transaction.atomic(durable=True)
def score_proposal(*, actor, proposal_id: int, score, comment: str, now) -> Score:
    proposal = lock(Proposal.objects.select_related("challenge"), proposal_id)
    challenge = proposal.challenge
    expert = expert_of(actor)
    if expert is None or not challenge.panel.filter(expert=expert).exists():
        raise PermissionDenied(_("只有本榜单的评审专家可以评分。"))
    if challenge.status != ChallengeStatus.REVIEWING:
        raise InvalidTransition(_("该榜单不在评审中。"))
    if proposal.status == ProposalStatus.WITHDRAWN:
        raise InvalidTransition(_("该方案已撤回。"))
    try:
        value = int(str(score).strip())
    except (TypeError, ValueError) as exc:
        raise _fail("score", _("评分须为0至100之间的整数。")) from exc
    if not 0 <= value <= 100:
        raise _fail("score", _("评分须为0至100之间的整数。"))
    comment = (comment or "").strip()
    if not comment:
        raise _fail("comment", _("请填写评审意见。"))
    existing = Score.objects.filter(proposal=proposal, expert=expert).first()
    before = {"score": existing.score, "comment": existing.comment} if existing else None
    if existing:
        existing.score, existing.comment, existing.scored_at = value, comment, now
        existing.save()
        row = existing
    else:
        row = Score.objects.create(
            proposal=proposal, expert=expert, score=value, comment=comment, scored_at=now
        )
    audit.record(
        "challenges.proposal.score",
        actor=actor,
        target=proposal,
        before=before,
        after={"expert": expert.pk, "score": value, "comment": comment},
        region_code=challenge.region_id,
        now=now,
    )
    todos.proposal_scored(row, now=now)
    return row


RECUSAL_OPEN = (ChallengeStatus.OPEN, ChallengeStatus.REVIEWING)


def may_recuse(user, challenge: Challenge) -> bool:
    """A panel expert may step aside (申请回避) until the issuer has decided."""
    return challenge.status in RECUSAL_OPEN and is_panel_expert(user, challenge)


@transaction.atomic(durable=True)
def recuse(*, actor, proposal_id: int, reason: str, now) -> PanelRecusal:
    """A panel expert steps aside (申请回避) with a reason, from the proposal that raised the conflict.
    A conflict with one competing team is a conflict for the whole challenge (the rule
    ``conflicts_of`` applies when the panel is picked), so the expert leaves the panel, the scores
    they gave on this challenge are withdrawn (kept in the audit record), and they cannot be invited
    again. The challenge's program officers are told once; the challenge waits in their to-do until
    a replacement expert is invited (``assign_expert``). Audited."""
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise _fail("reason", _("请写明回避理由（至少5个字）。"))
    found = Proposal.objects.filter(pk=proposal_id).values_list("challenge_id", flat=True).first()
    if found is None:
        raise NotFound(_("方案不存在。"))
    challenge = lock(Challenge.objects.all(), found)
    proposal = Proposal.objects.select_related("lead").get(pk=proposal_id)
    expert = expert_of(actor)
    member = challenge.panel.filter(expert=expert).first() if expert is not None else None
    if member is None:
        raise PermissionDenied(_("只有本榜单的评审专家可以申请回避。"))
    if challenge.status not in RECUSAL_OPEN:
        raise InvalidTransition(_("发榜单位已作出揭榜决定，不能再申请回避；如有利益冲突请联系项目管理人员。"))
    scores = list(Score.objects.filter(proposal__challenge=challenge, expert=expert).order_by("pk"))
    recusal = PanelRecusal.objects.create(
        challenge=challenge, proposal=proposal, expert=expert, reason=reason, recused_at=now
    )
    Score.objects.filter(pk__in=[s.pk for s in scores]).delete()
    member.delete()
    audit.record(
        "challenges.panel.recused",
        actor=actor,
        target=challenge,
        before={
            "expert": expert.pk,
            "scores": [{"proposal": s.proposal_id, "score": s.score, "comment": s.comment} for s in scores],
        },
        after={"proposal": proposal.pk},
        reason=reason,
        region_code=challenge.region_id,
        now=now,
    )
    todos.expert_recused(recusal, now=now)
    return recusal


# -- selection and the contract draft ----------------------------------------------------------------


def _draft_contract(challenge: Challenge, proposal: Proposal, *, actor, now):
    """The 技术开发 contract between the team's lead (seller) and the issuer (buyer), as a draft
    the parties complete and submit to registration as usual."""
    from zhouqiao.contracts import services as contract_services
    from zhouqiao.contracts.states import ContractType

    indicators = "；".join(
        f"{c.indicator.name}{c.indicator.get_direction_display()}{c.value_text}{c.indicator.unit}"
        for c in proposal.committed.select_related("indicator")
    )
    data = {
        "title": (_("%(title)s技术开发合同（揭榜挂帅）") % {"title": challenge.title})[:200],
        "contract_type": ContractType.DEVELOPMENT,
        "buyer_id": challenge.owner_id,
        "contract_amount": proposal.price,
        "signed_on": clock.local_date(now).isoformat(),
        "summary": _("揭榜挂帅榜单“%(title)s”选定方案。承诺指标：%(ind)s。里程碑：%(ms)s。")
        % {
            "title": challenge.title,
            "ind": indicators,
            "ms": "；".join(f"{m.title}（{m.due_on.isoformat()}）" for m in proposal.milestones.all()),
        },
    }
    return contract_services.draft_for_buyer_selection(actor=actor, seller=proposal.lead, data=data, now=now)


def may_select(user, challenge: Challenge) -> bool:
    return challenge.status == ChallengeStatus.REVIEWING and is_owner(user, challenge)


@transaction.atomic(durable=True)
def select_proposal(*, actor, proposal_id: int, reason: str, now) -> Proposal:
    """The issuer selects the winning proposal (企业主体) with the experts' scores in view; the
    others are not selected; a 技术开发 contract draft is made for the parties."""
    proposal = Proposal.objects.select_related("challenge").filter(pk=proposal_id).first()
    if proposal is None:
        raise NotFound(_("方案不存在。"))
    challenge = lock(Challenge.objects.all(), proposal.challenge_id)
    proposal = lock(Proposal.objects.all(), proposal_id)
    if not is_owner(actor, challenge):
        raise PermissionDenied(NOT_ALLOWED)
    if challenge.status != ChallengeStatus.REVIEWING:
        raise InvalidTransition(_("只有评审中的榜单可以选定揭榜方。"))
    if proposal.status != ProposalStatus.SUBMITTED:
        raise InvalidTransition(_("该方案不能被选定。"))
    reason = (reason or "").strip()
    if not reason:
        raise _fail("reason", _("请填写选定理由。"))
    if not proposal.scores.exists():
        raise InvalidTransition(_("该方案尚无专家评分，请待专家评审后再选定。"))
    if not proposal.lead.is_verified:
        raise InvalidTransition(_("牵头单位已不在认证状态，不能选定。"))
    proposal.status = ProposalStatus.SELECTED
    proposal.save(update_fields=["status"])
    challenge.proposals.filter(status=ProposalStatus.SUBMITTED).update(status=ProposalStatus.NOT_SELECTED)
    challenge.selection_reason = reason
    contract = _draft_contract(challenge, proposal, actor=actor, now=now)
    challenge.contract = contract
    _move(challenge, ChallengeStatus.AWARDED, actor=actor, reason=reason, now=now)
    audit.record(
        "challenges.proposal.select",
        actor=actor,
        target=proposal,
        after={"challenge": challenge.pk, "contract": contract.pk, "price": proposal.price},
        reason=reason,
        region_code=challenge.region_id,
        now=now,
    )
    todos.proposal_selected(proposal, now=now)
    return proposal


@transaction.atomic(durable=True)
def declare_unawarded(*, actor, challenge_id: int, reason: str, now) -> Challenge:
    challenge = lock(Challenge.objects.all(), challenge_id)
    challenge = _move(challenge, ChallengeStatus.UNAWARDED, actor=actor, reason=reason, now=now)
    challenge.proposals.filter(status=ProposalStatus.SUBMITTED).update(status=ProposalStatus.NOT_SELECTED)
    return challenge


# -- milestones --------------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def report_milestone(*, actor, milestone_id: int, report: str, now) -> Milestone:
    milestone = Milestone.objects.select_related("proposal").filter(pk=milestone_id).first()
    if milestone is None:
        raise NotFound(_("里程碑不存在。"))
    challenge = lock(Challenge.objects.all(), milestone.proposal.challenge_id)
    milestone = lock(Milestone.objects.select_related("proposal__lead"), milestone_id)
    proposal = milestone.proposal
    if not is_team(actor, proposal):
        raise PermissionDenied(NOT_ALLOWED)
    if proposal.status != ProposalStatus.SELECTED or challenge.status not in (
        ChallengeStatus.AWARDED,
        ChallengeStatus.IN_PROGRESS,
    ):
        raise InvalidTransition(_("只有已揭榜的方案可以报告交付。"))
    if milestone.status not in (MilestoneStatus.PLANNED, MilestoneStatus.RETURNED):
        raise InvalidTransition(_("该里程碑已交付，等待发榜单位确认或已确认。"))
    report = (report or "").strip()
    if not report:
        raise _fail("report", _("请填写交付说明。"))
    before = {"status": milestone.status}
    milestone.status, milestone.report, milestone.reported_at = MilestoneStatus.REPORTED, report, now
    milestone.save()
    audit.record(
        "challenges.milestone.report",
        actor=actor,
        target=milestone,
        before=before,
        after={"status": milestone.status, "report": report},
        region_code=challenge.region_id,
        now=now,
    )
    if challenge.status == ChallengeStatus.AWARDED:
        _move(challenge, ChallengeStatus.IN_PROGRESS, actor=actor, now=now)
    todos.milestone_changed(milestone, now=now)
    return milestone


@transaction.atomic(durable=True)
def decide_milestone(*, actor, milestone_id: int, accept: bool, reason: str = "", now) -> Milestone:
    milestone = Milestone.objects.select_related("proposal").filter(pk=milestone_id).first()
    if milestone is None:
        raise NotFound(_("里程碑不存在。"))
    challenge = lock(Challenge.objects.all(), milestone.proposal.challenge_id)
    milestone = lock(Milestone.objects.select_related("proposal"), milestone_id)
    if not is_owner(actor, challenge):
        raise PermissionDenied(NOT_ALLOWED)
    if milestone.status != MilestoneStatus.REPORTED:
        raise InvalidTransition(_("只有已交付待确认的里程碑可以确认或退回。"))
    reason = (reason or "").strip()
    if not accept and not reason:
        raise _fail("reason", _("退回时请填写理由。"))
    before = {"status": milestone.status}
    milestone.status = MilestoneStatus.ACCEPTED if accept else MilestoneStatus.RETURNED
    milestone.decided_at, milestone.decision_reason = now, reason
    milestone.save()
    audit.record(
        f"challenges.milestone.{milestone.status}",
        actor=actor,
        target=milestone,
        before=before,
        after={"status": milestone.status},
        reason=reason,
        region_code=challenge.region_id,
        now=now,
    )
    todos.milestone_changed(milestone, now=now)
    return milestone


# -- final acceptance (市场验收) and the 001#4 subsidy ------------------------------------------------


def ready_for_acceptance(challenge: Challenge) -> bool:
    proposal = challenge.selected_proposal
    return (
        challenge.status == ChallengeStatus.IN_PROGRESS
        and proposal is not None
        and not proposal.milestones.exclude(status=MilestoneStatus.ACCEPTED).exists()
    )


@transaction.atomic(durable=True)
def _record_acceptance(*, actor, challenge_id: int, measured: dict, note: str, witness_id, now) -> Acceptance:
    from zhouqiao.community.models import Expert, ExpertStatus

    challenge = lock(Challenge.objects.all(), challenge_id)
    if not is_owner(actor, challenge):
        raise PermissionDenied(NOT_ALLOWED)
    if challenge.status != ChallengeStatus.IN_PROGRESS:
        raise InvalidTransition(_("只有攻关中的榜单可以验收。"))
    if not ready_for_acceptance(challenge):
        raise InvalidTransition(_("还有里程碑未交付或未确认，不能进行最终验收。"))
    note = (note or "").strip()
    if not note:
        raise _fail("note", _("请填写验收意见。"))
    witness = None
    if witness_id:
        witness = Expert.objects.filter(pk=witness_id, status=ExpertStatus.APPROVED).first()
        if witness is None:
            raise _fail("witness_id", _("请选择已入库的专家作为见证专家。"))
    proposal = challenge.selected_proposal
    rows = []
    for committed in proposal.committed.select_related("indicator"):
        indicator = committed.indicator
        raw = measured.get(indicator.pk, measured.get(str(indicator.pk)))
        if raw is None or str(raw).strip() == "":
            raise _fail(
                "measured",
                _("请填写指标“%(name)s”的实测值（单位：%(unit)s）。")
                % {"name": indicator.name, "unit": indicator.unit},
            )
        value = _number(raw, "measured", _("指标“%(name)s”的实测值") % {"name": indicator.name})
        probe = Indicator(target=committed.value, direction=indicator.direction)
        rows.append(
            Measurement(
                indicator=indicator, committed=committed.value, measured=value, passed=probe.met_by(value)
            )
        )
    passed = all(r.passed for r in rows)
    sequence = challenge.acceptances.count() + 1  # the challenge row is locked
    acceptance = Acceptance.objects.create(
        challenge=challenge,
        number=f"JB{now.year}{challenge.pk:05d}-{sequence:04d}",
        passed=passed,
        note=note,
        witness=witness,
        accepted_by=actor,
        accepted_at=now,
    )
    for row in rows:
        row.acceptance = acceptance
    Measurement.objects.bulk_create(rows)
    audit.record(
        "challenges.acceptance.record",
        actor=actor,
        target=challenge,
        after={
            "number": acceptance.number,
            "passed": passed,
            "measured": {
                r.indicator_id: {"committed": r.committed, "measured": r.measured, "passed": r.passed}
                for r in rows
            },
            "witness": witness.pk if witness else None,
        },
        reason=note,
        now=now,
    )
    if passed:
        _move(challenge, ChallengeStatus.ACCEPTED, actor=actor, reason=note, now=now)
    todos.acceptance_recorded(acceptance, now=now)
    return acceptance


def accept_challenge(
    *, actor, challenge_id: int, measured: dict, note: str, witness_id=None, now
) -> Acceptance:
    """Final acceptance (市场验收): a measured value for each committed indicator, pass when it meets
    the committed value in the indicator's direction (the commitment is at least the target). When
    every indicator passes the challenge is 已验收 and, for an enterprise's challenge, the 001#4
    subsidy application is made for the enterprise through the policy engine (a second
    transaction: the acceptance stands if the application is refused, and the refusal is kept on
    the acceptance for the enterprise to see and retry)."""
    acceptance = _record_acceptance(
        actor=actor, challenge_id=challenge_id, measured=measured, note=note, witness_id=witness_id, now=now
    )
    if acceptance.passed:
        apply_subsidy(actor=actor, acceptance_id=acceptance.pk, now=now)
        acceptance.refresh_from_db()
    return acceptance


def may_apply_subsidy(user, acceptance: Acceptance) -> bool:
    challenge = acceptance.challenge
    return (
        acceptance.passed
        and acceptance.subsidy_application_id is None
        and challenge.owner.kind == "enterprise"
        and is_owner(user, challenge)
    )


def apply_subsidy(*, actor, acceptance_id: int, now):
    """The 001#4 application (最高100万元) for the issuing enterprise, the acceptance its evidence."""
    from zhouqiao.policy import services as policy_services

    acceptance = Acceptance.objects.select_related("challenge__owner").get(pk=acceptance_id)
    challenge = acceptance.challenge
    if not may_apply_subsidy(actor, acceptance):
        if challenge.owner.kind != "enterprise":
            _note_subsidy(
                acceptance, _("科技管理部门发布的公共难题榜单不适用企业先行投入补助。"), actor=actor, now=now
            )
            return None
        raise PermissionDenied(NOT_ALLOWED)
    proposal = challenge.selected_proposal
    statement = _(
        "揭榜挂帅榜单“%(title)s”已于%(date)s通过市场验收（验收编号%(number)s，各项承诺指标均达标）。"
        "企业先行投入%(investment)s，揭榜方%(team)s，技术开发合同金额%(price)s。"
    ) % {
        "title": challenge.title,
        "date": timezone.localdate(acceptance.accepted_at).isoformat(),
        "number": acceptance.number,
        "investment": format_yuan(challenge.investment),
        "team": proposal.lead.name if proposal else "",
        "price": format_yuan(proposal.price) if proposal else "",
    }
    try:
        application = policy_services.apply_for_event(
            actor=actor,
            organisation_id=challenge.owner_id,
            rule_id=SUBSIDY_RULE,
            event_date=timezone.localdate(acceptance.accepted_at),
            event_reference=acceptance.number,
            statement=statement,
            now=now,
            from_platform_record=True,
        )
    except DomainError as exc:  # e.g. 001 not in force on the date, or the enterprise outside Changchun
        _note_subsidy(acceptance, str(exc.message), actor=actor, now=now)
        return None
    _link_subsidy(acceptance.pk, application, actor=actor, now=now)
    return application


@transaction.atomic(durable=True)
def _note_subsidy(acceptance: Acceptance, note: str, *, actor, now) -> None:
    row = lock(Acceptance.objects.all(), acceptance.pk)
    row.subsidy_note = note
    row.save(update_fields=["subsidy_note"])
    audit.record(
        "challenges.acceptance.subsidy_refused",
        actor=actor,
        target=row.challenge,
        after={"acceptance": row.number},
        success=False,
        reason=note,
        now=now,
    )


@transaction.atomic(durable=True)
def _link_subsidy(acceptance_id: int, application, *, actor, now) -> None:
    row = lock(Acceptance.objects.all(), acceptance_id)
    row.subsidy_application = application
    row.subsidy_note = ""
    row.save(update_fields=["subsidy_application", "subsidy_note"])
    audit.record(
        "challenges.acceptance.subsidy_applied",
        actor=actor,
        target=row.challenge,
        after={"acceptance": row.number, "application": application.pk, "ceiling": application.ceiling},
        now=now,
    )

"""Every write of project calls (科技计划项目申报). Keyword arguments, ``actor`` and ``now``; one
durable transaction each; an audit record; ``DomainError`` subclasses with Chinese messages.

Decisions where the issue and the sources are silent (see research/review-and-challenges.md):

* Partners (合作单位) are named from verified organisations; they are told they were named (a
  notification to their administrators) but their consent is not a step of the flow.
* The R&D condition (001 #21 for Changchun's calls: 研发投入 as a basic condition for *enterprises*
  applying for S&T projects; 002 （四） for the province's, see ``rd_condition``) is checked against
  the amount the applicant declares (no statistics feed exists): > 0 when the call requires it and
  the lead is an enterprise; universities and institutes are not asked.
* The aggregation rule is a per-call setting (trimmed mean when ≥ 5 reviews, or plain mean): no
  S&T-plan source for 去掉最高最低分 was found.
* An objection upheld by staff withdraws the application's approval (拟立项 → 未获立项); 立项 waits
  until the notice period has ended and every objection has an answer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty, Organisation, OrganisationKind
from zhouqiao.accounts.states import VerificationStatus
from zhouqiao.core import audit
from zhouqiao.core.errors import DomainError, InvalidTransition, PermissionDenied, ValidationFailed
from zhouqiao.core.locking import lock
from zhouqiao.core.money import AmountError, format_yuan, parse_amount
from zhouqiao.notifications import recipients
from zhouqiao.notifications.services import notify
from zhouqiao.programs.models import (
    Application,
    Attachment,
    BudgetLine,
    Call,
    Milestone,
    Objection,
    Partner,
    Recusal,
    ReviewAssignment,
    TeamMember,
)
from zhouqiao.programs.states import APPLICATION_MOVES, CALL_MOVES, Aggregation, ApplicationStatus, CallStatus

CENT = Decimal("0.01")
TRIM_FROM = 5  # 去掉一个最高分和一个最低分 when at least this many reviews are in


def refused(message, field: str | None = None, code: str = "invalid") -> ValidationFailed:
    return ValidationFailed(message, code=code, detail={field: [str(message)]} if field else None)


# -- permissions ---------------------------------------------------------------------------------
def is_officer(user, call: Call) -> bool:
    return scope.covers(user, call.jurisdiction_id, Duty.PROGRAM_OFFICER)


def require_officer(user, call: Call) -> None:
    if not is_officer(user, call):
        raise PermissionDenied(_("只有本辖区科技主管部门的项目管理人员可以进行此操作。"))


def may_edit_application(user, application: Application) -> bool:
    return scope.is_member(user, application.lead) and application.status in (
        ApplicationStatus.DRAFT,
        ApplicationStatus.RETURNED,
    )


# -- rubric --------------------------------------------------------------------------------------
def validate_rubric(rubric) -> list[dict]:
    """A list of criteria ``{"name", "weight", "max_score"}``; weights are whole numbers summing to 100."""
    if not rubric:
        raise refused(_("请至少填写一项评审指标。"), "rubric")
    out, names = [], set()
    for i, c in enumerate(rubric, 1):
        name = str(c.get("name", "")).strip()
        if not name:
            raise refused(_("第%(i)d项评审指标缺少名称。") % {"i": i}, "rubric")
        if name in names:
            raise refused(_("评审指标“%(n)s”重复。") % {"n": name}, "rubric")
        names.add(name)
        try:
            weight, max_score = int(str(c.get("weight")).strip()), int(str(c.get("max_score")).strip())
        except (TypeError, ValueError):
            raise refused(_("评审指标“%(n)s”的权重和满分须为整数。") % {"n": name}, "rubric") from None
        if weight <= 0 or max_score <= 0 or max_score > 100:
            raise refused(_("评审指标“%(n)s”的权重须大于0，满分须在1到100之间。") % {"n": name}, "rubric")
        out.append({"name": name, "weight": weight, "max_score": max_score})
    total = sum(c["weight"] for c in out)
    if total != 100:
        raise refused(_("评审指标的权重合计须为100，现为%(t)d。") % {"t": total}, "rubric")
    return out


# -- calls ---------------------------------------------------------------------------------------
CALL_FIELDS = [
    "title", "guide", "categories", "budget", "region_prefix", "organisation_kinds", "require_rd_reported",
    "opens_at", "closes_at", "project_start", "project_end", "rubric", "blind", "reviewers_per_application",
    "load_cap", "aggregation", "divergence_threshold", "objection_days", "post_subsidy",
]  # fmt: skip


def _check_call_fields(fields: dict) -> dict:
    fields = dict(fields)
    fields["rubric"] = validate_rubric(fields.get("rubric"))
    try:
        fields["budget"] = parse_amount(fields.get("budget"), allow_zero=False)
    except AmountError as exc:
        raise refused(str(exc), "budget") from None
    if fields["closes_at"] <= fields["opens_at"]:
        raise refused(_("申报截止时间须晚于开始时间。"), "closes_at")
    if fields["project_end"] <= fields["project_start"]:
        raise refused(_("项目执行期结束日期须晚于开始日期。"), "project_end")
    kinds = [k for k in fields.get("organisation_kinds") or [] if k]
    if any(k not in OrganisationKind.values for k in kinds):
        raise refused(_("申报单位类型不正确。"), "organisation_kinds")
    fields["organisation_kinds"] = kinds
    if fields.get("aggregation") not in Aggregation.values:
        raise refused(_("请选择评分汇总规则。"), "aggregation")
    if not 1 <= int(fields.get("reviewers_per_application") or 0) <= 15:
        raise refused(_("每项评审专家数须在1到15之间。"), "reviewers_per_application")
    if int(fields.get("load_cap") or 0) < 1:
        raise refused(_("每位专家评审上限须至少为1。"), "load_cap")
    if not 1 <= int(fields.get("objection_days") or 0) <= 60:
        raise refused(_("公示期须在1到60天之间。"), "objection_days")
    fields["categories"] = [c.strip() for c in fields.get("categories") or [] if c.strip()]
    fields.setdefault("post_subsidy", False)
    return fields


def create_call(*, actor, now, jurisdiction_id: str, **fields) -> Call:
    if not scope.covers(actor, jurisdiction_id, Duty.PROGRAM_OFFICER):
        raise PermissionDenied(_("只有本辖区科技主管部门的项目管理人员可以发布申报指南。"))
    fields = _check_call_fields(fields)
    with transaction.atomic(durable=True):
        call = Call.objects.create(
            jurisdiction_id=jurisdiction_id, created_by=actor, created_at=now, **fields
        )
        audit.record(
            "programs.call.created",
            actor=actor,
            target=call,
            after=audit.snapshot(call, CALL_FIELDS),
            now=now,
        )
    return call


def update_call(*, actor, now, call_id: int, **fields) -> Call:
    fields = _check_call_fields(fields)
    with transaction.atomic(durable=True):
        call = lock(Call.objects, call_id)
        require_officer(actor, call)
        if call.status != CallStatus.DRAFT:
            raise InvalidTransition(_("指南发布后不能再修改。"))
        before = audit.snapshot(call, CALL_FIELDS)
        for name, value in fields.items():
            setattr(call, name, value)
        call.save()
        audit.record(
            "programs.call.updated",
            actor=actor,
            target=call,
            before=before,
            after=audit.snapshot(call, CALL_FIELDS),
            now=now,
        )
    return call


def _move_call(call: Call, to: str) -> None:
    if to not in CALL_MOVES[call.status]:
        raise InvalidTransition(
            _("指南当前状态为“%(s)s”，不能进行此操作。") % {"s": call.get_status_display()}
        )
    call.status = to


def publish_call(*, actor, now, call_id: int) -> Call:
    with transaction.atomic(durable=True):
        call = lock(Call.objects, call_id)
        require_officer(actor, call)
        _move_call(call, CallStatus.OPEN)
        call.save(update_fields=["status"])
        audit.record("programs.call.published", actor=actor, target=call, now=now)
    return call


def start_review(*, actor, now, call_id: int) -> Call:
    """Close applications (after the deadline) and open the review."""
    with transaction.atomic(durable=True):
        call = lock(Call.objects, call_id)
        require_officer(actor, call)
        if now < call.closes_at:
            raise InvalidTransition(_("申报尚未截止，不能进入评审。"))
        _move_call(call, CallStatus.REVIEW)
        call.save(update_fields=["status"])
        audit.record("programs.call.review_started", actor=actor, target=call, now=now)
    return call


# -- eligibility ---------------------------------------------------------------------------------
def eligibility_problems(call: Call, organisation: Organisation, rd_investment: Decimal | None) -> list[str]:
    """Why ``organisation`` may not lead an application to ``call`` (empty: eligible)."""
    problems = []
    if organisation.status != VerificationStatus.VERIFIED:
        problems.append(_("申报单位须已通过平台机构认证。"))
    if call.region_prefix and not organisation.region_id.startswith(call.region_prefix):
        problems.append(_("申报单位须注册在本指南规定的地区。"))
    if call.organisation_kinds and organisation.kind not in call.organisation_kinds:
        problems.append(
            _("本指南仅限以下类型的单位申报：%(k)s。")
            % {"k": "、".join(str(OrganisationKind(k).label) for k in call.organisation_kinds)}
        )
    if (
        call.require_rd_reported
        and organisation.kind == OrganisationKind.ENTERPRISE
        and not (rd_investment and rd_investment > 0)
    ):
        problems.append(_("本指南要求申报企业填报上年度研发投入（研发投入是企业申请科技项目的基本条件）。"))
    return problems


def eligibility_rules(call: Call) -> list[str]:
    """The call's conditions as sentences for the guide page."""
    rules = [_("申报单位须为在本平台完成认证的机构；合作单位须为已认证机构。")]
    if call.region_prefix:
        from zhouqiao.core.models import Region

        region = Region.objects.filter(code__startswith=call.region_prefix).order_by("code").first()
        rules.append(_("申报单位须注册在%(r)s。") % {"r": region.name if region else call.region_prefix})
    if call.organisation_kinds:
        rules.append(
            _("申报单位类型：%(k)s。")
            % {"k": "、".join(str(OrganisationKind(k).label) for k in call.organisation_kinds)}
        )
    if call.require_rd_reported:
        rules.append(rd_condition(call))
    return rules


CHANGCHUN = "2201"  # 长春市: the region code prefix of the city and its districts


def rd_condition(call: Call) -> str:
    """The R&D condition with the policy it rests on, for the level of the bureau issuing the call.

    Changchun's 《长春市进一步加快科技创新发展的若干政策措施》 item 21 (seed 001 #21) makes R&D
    input a basic condition for enterprises applying for S&T projects; it binds the city's calls
    only. For the province (and the other cities and prefectures) the provincial 《吉林省关于建立健全
    技术创新市场导向机制加快科技成果产业化的实施意见》 (seed 002, （四）) ties the government's S&T
    project funding of an enterprise to its R&D input, which is why a provincial call asks for it."""
    if call.jurisdiction_id.startswith(CHANGCHUN):
        return _(
            "申报企业须填报上年度研发投入，研发投入情况是企业申请科技项目的基本条件"
            "（《长春市进一步加快科技创新发展的若干政策措施》第二十一条）。"
        )
    return _(
        "申报企业须填报上年度研发投入，政府对企业的科技计划项目投入与企业研发经费投入相结合"
        "（《吉林省关于建立健全技术创新市场导向机制加快科技成果产业化的实施意见》第四条）。"
    )


# -- applications --------------------------------------------------------------------------------
@dataclass
class ApplicationInput:
    title: str
    summary: str
    plan: str
    requested_amount: Decimal
    project_start: dt.date
    project_end: dt.date
    category: str = ""
    keywords: str = ""
    discipline_id: str | None = None
    industry_id: str | None = None
    rd_investment: Decimal | None = None
    partners: list = None  # [(organisation_id, role)]
    team: list = None  # [(name, title, role)]
    milestones: list = None  # [(title, due date)]
    budget_lines: list = None  # [(item, Decimal)]


def _check_application(call: Call, data: ApplicationInput, lead: Organisation) -> None:
    if not data.title.strip():
        raise refused(_("请填写项目名称。"), "title")
    if data.project_end <= data.project_start:
        raise refused(_("项目结束日期须晚于开始日期。"), "project_end")
    if data.project_start < call.project_start or data.project_end > call.project_end:
        raise refused(
            _("项目执行期须在指南规定的%(a)s至%(b)s之内。")
            % {"a": call.project_start, "b": call.project_end},
            "project_end",
        )
    if call.categories and data.category not in call.categories:
        raise refused(_("请选择指南中的支持方向。"), "category")
    if not data.milestones:
        raise refused(_("请至少填写一个节点目标。"), "milestones")
    for title, due in data.milestones:
        if not (data.project_start <= due <= data.project_end):
            raise refused(
                _("节点目标“%(t)s”的完成日期%(d)s不在项目执行期内。") % {"t": title, "d": due}, "milestones"
            )
    if not data.budget_lines:
        raise refused(_("请填写预算明细。"), "budget_lines")
    total = sum((amount for _item, amount in data.budget_lines), Decimal("0"))
    if total != data.requested_amount:
        raise refused(
            _("预算明细合计%(t)s元，与申请资助金额%(r)s元不一致。")
            % {"t": f"{total:,.2f}", "r": f"{data.requested_amount:,.2f}"},
            "budget_lines",
        )
    if not data.team:
        raise refused(_("请至少填写一名项目团队成员。"), "team")
    partner_ids = [pk for pk, _role in data.partners or []]
    if lead.pk in partner_ids:
        raise refused(_("合作单位不能是申报单位本身。"), "partners")
    if len(set(partner_ids)) != len(partner_ids):
        raise refused(_("合作单位重复。"), "partners")
    verified = set(
        Organisation.objects.filter(pk__in=partner_ids, status=VerificationStatus.VERIFIED).values_list(
            "pk", flat=True
        )
    )
    if set(partner_ids) - verified:
        raise refused(_("合作单位须为在本平台完成认证的机构。"), "partners")


def save_application(
    *, actor, now, call_id: int, lead_id: int, data: ApplicationInput, application_id: int | None = None
) -> Application:
    """Create a draft or change a draft / returned application (the whole form at once)."""
    with transaction.atomic(durable=True):
        call = Call.objects.get(pk=call_id)
        lead = Organisation.objects.get(pk=lead_id)
        if not scope.is_member(actor, lead):
            raise PermissionDenied(_("只能以本人所在机构的名义申报。"))
        if call.status != CallStatus.OPEN or not (call.opens_at <= now < call.closes_at):
            raise InvalidTransition(_("该指南当前不在申报期内。"))
        problems = eligibility_problems(call, lead, data.rd_investment)
        if problems:
            raise refused(problems[0], "lead", code="ineligible")
        _check_application(call, data, lead)
        values = {
            "title": data.title.strip(), "summary": data.summary, "plan": data.plan, "category": data.category,
            "keywords": data.keywords, "discipline_id": data.discipline_id or None, "industry_id": data.industry_id or None,
            "requested_amount": data.requested_amount, "rd_investment": data.rd_investment,
            "project_start": data.project_start, "project_end": data.project_end,
        }  # fmt: skip
        if application_id is None:
            application = Application.objects.create(
                call=call,
                lead=lead,
                applicant=actor,
                created_at=now,
                status=ApplicationStatus.DRAFT,
                **values,
            )
        else:
            application = lock(Application.objects, application_id)
            if (
                application.call_id != call.pk
                or application.lead_id != lead.pk
                or not may_edit_application(actor, application)
            ):
                raise PermissionDenied(_("该申报书当前不能修改。"))
            for k, v in values.items():
                setattr(application, k, v)
            application.save()
            for related in (
                application.partners,
                application.team,
                application.milestones,
                application.budget_lines,
            ):
                related.all().delete()
        Partner.objects.bulk_create(
            Partner(application=application, organisation_id=pk, role=role)
            for pk, role in data.partners or []
        )
        TeamMember.objects.bulk_create(
            TeamMember(application=application, name=n, title=t, role=r) for n, t, r in data.team
        )
        Milestone.objects.bulk_create(
            Milestone(application=application, title=t, due=d) for t, d in data.milestones
        )
        BudgetLine.objects.bulk_create(
            BudgetLine(application=application, item=i, amount=a) for i, a in data.budget_lines
        )
        after = {"title": application.title, "requested_amount": application.requested_amount}
        if application_id is None:
            audit.record(
                "programs.application.created", actor=actor, target=application, after=after, now=now
            )
        else:
            audit.record(
                "programs.application.updated", actor=actor, target=application, after=after, now=now
            )
    return application


def add_attachment(*, actor, now, application_id: int, upload) -> Attachment:
    from zhouqiao.catalog import files

    ext, content_type = files.check_attachment(upload)
    with transaction.atomic(durable=True):
        application = lock(Application.objects, application_id)
        if not may_edit_application(actor, application):
            raise PermissionDenied(_("该申报书当前不能修改。"))
        stored, size, _digest = files.store(upload, "programs", ext)
        attachment = Attachment.objects.create(
            application=application, stored_name=stored, original_name=files.safe_display_name(upload.name)[:255],
            extension=ext, content_type=content_type, size=size, uploaded_at=now,
        )  # fmt: skip
        audit.record(
            "programs.application.attachment_added",
            actor=actor,
            target=application,
            after={"file": attachment.original_name},
            now=now,
        )
    return attachment


def _move(application: Application, to: str) -> None:
    if to not in APPLICATION_MOVES[application.status]:
        raise InvalidTransition(
            _("申报书当前状态为“%(s)s”，不能进行此操作。") % {"s": application.get_status_display()}
        )
    application.status = to


def submit_application(*, actor, now, application_id: int) -> Application:
    from zhouqiao.programs import duplicates

    application = Application.objects.select_related("call").get(pk=application_id)
    flags = duplicates.flags_for(application, now=now)  # reads only: outside the transaction
    with transaction.atomic(durable=True):
        application = lock(Application.objects.select_related("call", "lead"), application_id)
        call = application.call
        if not scope.is_member(actor, application.lead):
            raise PermissionDenied(_("只有申报单位的成员可以提交申报书。"))
        if call.status != CallStatus.OPEN or not (call.opens_at <= now < call.closes_at):
            raise InvalidTransition(_("该指南当前不在申报期内，不能提交。"))
        problems = eligibility_problems(call, application.lead, application.rd_investment)
        if problems:
            raise refused(problems[0], code="ineligible")
        _move(application, ApplicationStatus.SUBMITTED)
        application.submitted_at = now
        application.duplicate_flags = flags
        application.save(update_fields=["status", "submitted_at", "duplicate_flags"])
        audit.record("programs.application.submitted", actor=actor, target=application, now=now)
        url = reverse("programs:application_detail", args=[application.pk])
        notify(
            recipients.staff(Duty.PROGRAM_OFFICER, call.jurisdiction_id),
            kind="programs.application_submitted",
            title=_("项目申报书待形式审查：%(t)s") % {"t": application.title},
            url=url,
            key=f"programs:application:{application.pk}:submitted:{now.isoformat()}",
            now=now,
        )
        for partner in application.partners.select_related("organisation"):
            notify(
                recipients.org_admins(partner.organisation),
                kind="programs.partner_named",
                title=_("贵单位被列为项目申报的合作单位：%(t)s") % {"t": application.title},
                url=reverse("programs:call_detail", args=[call.pk]),
                key=f"programs:application:{application.pk}:partner:{partner.organisation_id}",
                now=now,
            )
    return application


def formal_check(*, actor, now, application_id: int, accept: bool, reason: str = "") -> Application:
    """形式审查: accept (受理) or return with reasons (退回修改; the applicant may resubmit)."""
    reason = (reason or "").strip()
    if not accept and not reason:
        raise refused(_("退回时须写明理由。"), "reason")
    with transaction.atomic(durable=True):
        application = lock(Application.objects.select_related("call"), application_id)
        require_officer(actor, application.call)
        _move(application, ApplicationStatus.ACCEPTED if accept else ApplicationStatus.RETURNED)
        application.status_reason = reason
        application.checked_at = now
        application.save(update_fields=["status", "status_reason", "checked_at"])
        if accept:
            audit.record("programs.application.accepted", actor=actor, target=application, now=now)
        else:
            audit.record(
                "programs.application.returned", actor=actor, target=application, reason=reason, now=now
            )
        notify(
            [application.applicant, *recipients.org_admins(application.lead)],
            kind="programs.application_checked",
            title=(_("项目申报书已受理：%(t)s") if accept else _("项目申报书被退回修改：%(t)s"))
            % {"t": application.title},
            url=reverse("programs:application_detail", args=[application.pk]),
            key=f"programs:application:{application.pk}:checked:{now.isoformat()}",
            now=now,
            body=reason,
        )
    return application


# -- review --------------------------------------------------------------------------------------
def review_total(rubric: list[dict], scores: list[Decimal]) -> Decimal:
    """Σ score / max × weight, out of 100, rounded half-up to 0.01."""
    total = sum(
        (
            Decimal(s) / Decimal(c["max_score"]) * Decimal(c["weight"])
            for c, s in zip(rubric, scores, strict=True)
        ),
        Decimal("0"),
    )
    return total.quantize(CENT, rounding=ROUND_HALF_UP)


def parse_scores(rubric: list[dict], raw: list) -> list[Decimal]:
    if len(raw) != len(rubric):
        raise refused(_("请为每一项评审指标打分。"), "scores")
    out = []
    for c, value in zip(rubric, raw, strict=True):
        try:
            score = Decimal(str(value).strip())
        except Exception:
            raise refused(_("“%(n)s”的评分须为数字。") % {"n": c["name"]}, "scores") from None
        if not score.is_finite() or score < 0 or score > c["max_score"] or score.as_tuple().exponent < -1:
            raise refused(
                _("“%(n)s”的评分须在0到%(m)d分之间（最多一位小数）。")
                % {"n": c["name"], "m": c["max_score"]},
                "scores",
            )
        out.append(score)
    return out


def aggregate(totals: list[Decimal], rule: str) -> Decimal | None:
    """The call's rule: trimmed mean (drop one highest and one lowest) from 5 reviews up, else mean."""
    if not totals:
        return None
    values = sorted(totals)
    if rule == Aggregation.TRIMMED and len(values) >= TRIM_FROM:
        values = values[1:-1]
    return (sum(values, Decimal("0")) / len(values)).quantize(CENT, rounding=ROUND_HALF_UP)


def submit_review(*, actor, now, assignment_id: int, scores: list, comment: str) -> ReviewAssignment:
    """The expert's scores and comment. The call is locked first (as a swap or a recusal does), so
    that the review that completes the round sees every other one and tells the officers, once."""
    comment = (comment or "").strip()
    call_id = ReviewAssignment.objects.filter(pk=assignment_id).values_list("call_id", flat=True).first()
    if call_id is None:
        raise PermissionDenied(_("只能提交分配给本人的评审。"))
    with transaction.atomic(durable=True):
        call = lock(Call.objects, call_id)
        assignment = lock(ReviewAssignment.objects.select_related("expert", "application"), assignment_id)
        if assignment.expert.user_id != actor.pk:
            raise PermissionDenied(_("只能提交分配给本人的评审。"))
        if call.status != CallStatus.REVIEW or assignment.application.status != ApplicationStatus.ACCEPTED:
            raise InvalidTransition(_("评审已结束，不能再提交评分。"))
        values = parse_scores(call.rubric, scores)
        if not comment:
            raise refused(_("请填写评审意见。"), "comment")
        assignment.scores = [str(v) for v in values]
        assignment.total = review_total(call.rubric, values)
        assignment.comment = comment
        assignment.submitted_at = now
        assignment.save(update_fields=["scores", "total", "comment", "submitted_at"])
        refresh_aggregate(assignment.application, call)
        audit.record(
            "programs.review.submitted",
            actor=actor,
            target=assignment.application,
            after={"total": assignment.total},
            now=now,
        )
        _tell_when_reviews_complete(call, now)
    return assignment


def _tell_when_reviews_complete(call: Call, now) -> None:
    """The last review is in (the decision may be taken): tell the call's program officers, once."""
    apps = {a.pk: a for a in call.applications.filter(status=ApplicationStatus.ACCEPTED)}
    if not apps or decision_blocker(call, apps) is not None:
        return
    done = ReviewAssignment.objects.filter(application_id__in=list(apps)).count()
    notify(
        recipients.staff(Duty.PROGRAM_OFFICER, call.jurisdiction_id),
        kind="programs.reviews_complete",
        title=_("评审已完成，待确定拟立项项目：%(t)s") % {"t": call.title},
        url=reverse("programs:call_detail", args=[call.pk]),
        key=f"programs:call:{call.pk}:reviews_complete",
        now=now,
        body=_("%(n)d份评审意见已全部提交，请按评审排名确定拟立项项目及资助金额。") % {"n": done},
    )


def refresh_aggregate(application: Application, call: Call) -> None:
    totals = list(application.assignments.exclude(total=None).values_list("total", flat=True))
    application.aggregate_score = aggregate(totals, call.aggregation)
    application.divergent = bool(totals) and (max(totals) - min(totals)) > call.divergence_threshold
    application.save(update_fields=["aggregate_score", "divergent"])


def ranking(call: Call) -> list[Application]:
    apps = list(
        call.applications.filter(
            status__in=[
                ApplicationStatus.ACCEPTED,
                ApplicationStatus.APPROVED,
                ApplicationStatus.NOT_FUNDED,
                ApplicationStatus.ESTABLISHED,
            ]
        ).select_related("lead")
    )
    apps.sort(key=lambda a: (a.aggregate_score is None, -(a.aggregate_score or 0), a.pk))
    return apps


def decision_blocker(call: Call, apps=None) -> str | None:
    """Why the funding decision cannot be taken yet (Chinese), or None. It is taken on complete
    reviews: every assigned review submitted, and every accepted application scored (an
    application nobody reviewed is not "not funded", it is not decided yet)."""
    from django.db.models import Count, Q

    if apps is None:
        apps = {a.pk: a for a in call.applications.filter(status=ApplicationStatus.ACCEPTED)}
    counts = ReviewAssignment.objects.filter(application_id__in=list(apps)).aggregate(
        all=Count("pk"), done=Count("pk", filter=Q(submitted_at__isnull=False))
    )
    recused = Recusal.objects.filter(application_id__in=list(apps), replaced_at=None).count()
    if recused:
        return _("有%(n)d位评审专家申请回避，尚未补充评审专家；请先补充分配评审专家并完成评审。") % {
            "n": recused
        }
    outstanding = counts["all"] - counts["done"]
    if outstanding:
        return _(
            "还有%(n)d份评审意见未提交（已提交%(d)d份，共%(all)d份），全部提交后才能确定拟立项项目。"
        ) % {"n": outstanding, "d": counts["done"], "all": counts["all"]}
    unscored = [a.title for a in apps.values() if a.aggregate_score is None]
    if unscored:
        return _("%(n)d份申报书还没有评审得分（%(t)s），请先分配评审专家并完成评审。") % {
            "n": len(unscored),
            "t": "、".join(f"“{t}”" for t in unscored[:3]),
        }
    return None


def approve(*, actor, now, call_id: int, amounts: dict[int, Decimal | None]) -> list[Application]:
    """Staff set the amount for each application to fund (None / 0: not funded); the total of the
    approved amounts must not exceed the call's budget and no amount may exceed the request."""
    with transaction.atomic(durable=True):
        call = lock(Call.objects, call_id)
        require_officer(actor, call)
        if call.status != CallStatus.REVIEW:
            raise InvalidTransition(_("只有评审中的指南可以确定拟立项项目。"))
        apps = {a.pk: a for a in call.applications.filter(status=ApplicationStatus.ACCEPTED)}
        blocker = decision_blocker(call, apps)
        if blocker:
            raise refused(blocker, "amounts", code="reviews_outstanding")
        total = Decimal("0")
        for pk, amount in amounts.items():
            if pk not in apps:
                raise refused(_("只能对已受理的申报书确定资助金额。"), "amounts")
            if amount:
                if amount > apps[pk].requested_amount:
                    raise refused(_("“%(t)s”的拟资助金额超过其申请金额。") % {"t": apps[pk].title}, "amounts")
                total += amount
        if total > call.budget:
            raise refused(
                _("拟资助金额合计%(t)s，超过指南资助总额%(b)s。")
                % {"t": format_yuan(total), "b": format_yuan(call.budget)},
                "amounts",
            )
        if not total:
            raise refused(_("请至少为一个项目填写拟资助金额。"), "amounts")
        for pk, application in apps.items():
            amount = amounts.get(pk)
            application.approved_amount = amount or None
            application.status = ApplicationStatus.APPROVED if amount else ApplicationStatus.NOT_FUNDED
            application.save(update_fields=["approved_amount", "status"])
        audit.record(
            "programs.call.approved",
            actor=actor,
            target=call,
            after={str(k): v for k, v in amounts.items()},
            now=now,
        )
    return list(apps.values())


def publish_notice(*, actor, now, call_id: int) -> Call:
    with transaction.atomic(durable=True):
        call = lock(Call.objects, call_id)
        require_officer(actor, call)
        if not call.applications.filter(status=ApplicationStatus.APPROVED).exists():
            raise InvalidTransition(_("请先确定拟立项项目及资助金额。"))
        _move_call(call, CallStatus.NOTICE)
        call.notice_starts_at = now
        call.notice_ends_at = now + dt.timedelta(days=call.objection_days)
        call.save(update_fields=["status", "notice_starts_at", "notice_ends_at"])
        audit.record("programs.call.notice_published", actor=actor, target=call, now=now)
        for application in call.applications.filter(
            status__in=[ApplicationStatus.APPROVED, ApplicationStatus.NOT_FUNDED]
        ).select_related("lead"):
            notify(
                [application.applicant],
                kind="programs.result",
                title=(
                    _("拟立项公示：%(t)s")
                    if application.status == ApplicationStatus.APPROVED
                    else _("项目未获立项：%(t)s")
                )
                % {"t": application.title},
                url=reverse("programs:application_detail", args=[application.pk]),
                key=f"programs:application:{application.pk}:result",
                now=now,
            )
    return call


def object_to(*, actor, now, application_id: int, reason: str) -> Objection:
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise refused(_("请写明异议理由（至少5个字）。"), "reason")
    with transaction.atomic(durable=True):
        application = Application.objects.select_related("call").get(pk=application_id)
        call = application.call
        if not getattr(actor, "is_authenticated", False):
            raise PermissionDenied(_("请先登录后再提出异议。"))
        if call.status != CallStatus.NOTICE or application.status != ApplicationStatus.APPROVED:
            raise InvalidTransition(_("该项目不在公示中。"))
        if not (call.notice_starts_at <= now < call.notice_ends_at):
            raise InvalidTransition(_("公示期已结束，不能再提出异议。"))
        objection = Objection.objects.create(
            application=application, author=actor, reason=reason, created_at=now
        )
        audit.record("programs.objection.raised", actor=actor, target=application, reason=reason, now=now)
        notify(
            recipients.staff(Duty.PROGRAM_OFFICER, call.jurisdiction_id),
            kind="programs.objection",
            title=_("拟立项项目收到异议：%(t)s") % {"t": application.title},
            url=reverse("programs:application_detail", args=[application.pk]),
            key=f"programs:objection:{objection.pk}",
            now=now,
        )
    return objection


def answer_objection(*, actor, now, objection_id: int, answer: str, upheld: bool) -> Objection:
    answer = (answer or "").strip()
    if not answer:
        raise refused(_("请填写处理意见。"), "answer")
    with transaction.atomic(durable=True):
        objection = lock(Objection.objects.select_related("application__call"), objection_id)
        application = objection.application
        require_officer(actor, application.call)
        if objection.answered_at:
            raise InvalidTransition(_("该异议已处理。"))
        objection.answer, objection.upheld = answer, upheld
        objection.answered_by, objection.answered_at = actor, now
        objection.save()
        if upheld and application.status == ApplicationStatus.APPROVED:
            application = lock(Application.objects, application.pk)
            _move(application, ApplicationStatus.NOT_FUNDED)
            application.save(update_fields=["status"])
        audit.record(
            "programs.objection.answered",
            actor=actor,
            target=application,
            reason=answer,
            after={"upheld": upheld},
            now=now,
        )
        notify(
            [objection.author],
            kind="programs.objection_answered",
            title=_("您提出的异议已处理：%(t)s") % {"t": application.title},
            url=reverse("programs:application_detail", args=[application.pk]),
            key=f"programs:objection:{objection.pk}:answered",
            now=now,
            body=answer,
        )
    return objection


def establish(*, actor, now, call_id: int) -> list:
    """立项: after the notice period, with every objection answered, each approved application
    becomes a project (``programs.projects.services.create_from_application``)."""
    from zhouqiao.programs.projects import services as project_services

    with transaction.atomic(durable=True):
        call = lock(Call.objects, call_id)
        require_officer(actor, call)
        if call.status != CallStatus.NOTICE:
            raise InvalidTransition(_("指南当前不在公示阶段。"))
        if now < call.notice_ends_at:
            raise InvalidTransition(_("公示期尚未结束，不能立项。"))
        if Objection.objects.filter(application__call=call, answered_at=None).exists():
            raise InvalidTransition(_("还有未处理的异议，处理完毕后才能立项。"))
        projects = []
        for application in call.applications.filter(status=ApplicationStatus.APPROVED).order_by("pk"):
            _move(application, ApplicationStatus.ESTABLISHED)
            application.save(update_fields=["status"])
            projects.append(
                project_services.create_from_application(application=application, actor=actor, now=now)
            )
        _move_call(call, CallStatus.CLOSED)
        call.save(update_fields=["status"])
        audit.record(
            "programs.call.established", actor=actor, target=call, after={"projects": len(projects)}, now=now
        )
    return projects


__all__ = ["DomainError"]

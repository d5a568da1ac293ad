"""Policy pages: the public rule list and 政策计算器, the entitlement desk, discretionary
applications (the beneficiary's list and claim form, the finance queue and review) and the
universities' and institutes' income distribution (scheme, sheet, PDF)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty, Organisation, OrganisationKind
from zhouqiao.contracts.pdf import pdf_response
from zhouqiao.core import batch, clock, uploads
from zhouqiao.core.errors import DomainError, NotFound
from zhouqiao.core.money import format_yuan
from zhouqiao.policy import describe, engine, parameters, routing, services
from zhouqiao.policy.forms import (
    AttachmentForm,
    CalculatorForm,
    DecisionForm,
    DistributionForm,
    EventApplicationForm,
    FinanceFilterForm,
    InventorFormSet,
    ParameterChangeForm,
    ReviewForm,
    SchemeForm,
    StatementForm,
    TransitionForm,
    calculator_initial,
    region_choices,
    uploaded,
)
from zhouqiao.policy.models import Application, DistributionScheme, Entitlement
from zhouqiao.policy.states import ENTITLEMENT_ACTIONS as ACTIONS
from zhouqiao.policy.states import ApplicationStatus, EntitlementStatus
from zhouqiao.vouchers.states import ServiceCategory


def rules(request):
    as_of = clock.local_date()
    packages = [
        {
            "package": p,
            "status": describe.document_status(p, as_of),
            "rules": [describe.rule_text(r, as_of) for r in p.rules],
        }
        for p in parameters.effective_packages()
    ]
    return render(request, "policy/rules.html", {"packages": packages})


def _show_errors(form, exc: DomainError) -> None:
    """A service's refusal on the form: on the field it names, else at the top."""
    placed = False
    for field, messages_ in (exc.detail or {}).items():
        if field in form.fields:
            for message in messages_ if isinstance(messages_, list) else [messages_]:
                form.add_error(field, str(message))
            placed = True
    if not placed or str(exc.message) not in str(form.errors):
        form.add_error(None, str(exc.message))


# --- discretionary applications -------------------------------------------------------------


@login_required
def application_list(request):
    user = request.user
    visible = Application.objects.visible_to(user).select_related("organisation", "contract")
    own = visible.filter(organisation_id__in=scope.organisation_ids(user))
    queue = visible.filter(routing.reviews_q(user))  # what waits on this user's bureau
    return render(
        request,
        "policy/applications.html",
        {
            "own": _with_sources(own[:200]),
            "queue": _with_sources(
                queue.filter(status=ApplicationStatus.SUBMITTED).order_by("submitted_at", "pk")[:200]
            ),
            # only what was reviewed: an invitation never applied for was not (nor one withdrawn)
            "decided": _with_sources(
                queue.filter(status__in=REVIEWED).exclude(organisation_id__in=scope.organisation_ids(user))[
                    :50
                ]
            ),
            "can_apply": _member_organisations(user).exists(),
        },
    )


REVIEWED = [ApplicationStatus.GRANTED, ApplicationStatus.REFUSED]


def _with_sources(applications) -> list:
    """Each application with ``source``: the record it comes from, by its title (the contract, the
    揭榜挂帅 challenge accepted, the project; else the certificate or document number)."""
    items = list(applications)
    challenge_ids = [a.pk for a in items if a.event == "challenge_accepted"]
    titles = {}
    if challenge_ids:
        from zhouqiao.programs.challenges.models import Acceptance

        titles = dict(
            Acceptance.objects.filter(subsidy_application_id__in=challenge_ids).values_list(
                "subsidy_application_id", "challenge__title"
            )
        )
    for a in items:
        if a.contract_id:
            a.source = _("技术合同《%(title)s》") % {"title": a.contract.title}
            a.source_ref = a.contract.registration_number
        elif a.pk in titles:
            a.source = _("揭榜挂帅“%(title)s”") % {"title": titles[a.pk]}
            a.source_ref = a.event_reference
        else:
            a.source, a.source_ref = a.event_reference, ""
    return items


def _member_organisations(user):
    """The verified organisations the user applies for: a bureau (government organisation) pays
    and reviews applications, it does not make them."""
    return (
        Organisation.objects.filter(pk__in=scope.organisation_ids(user), status="verified")
        .exclude(kind=OrganisationKind.GOVERNMENT)
        .order_by("name")
    )


@login_required
def application_new(request):
    organisations = _member_organisations(request.user)
    if not organisations.exists():
        messages.error(request, _("您所在的单位尚未通过认证，不能申请政策支持。"))
        return redirect("policy:applications")
    form = EventApplicationForm(
        request.POST or None,
        request.FILES or None,
        organisations=organisations,
        initial={"rule_id": request.GET.get("rule")},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            application = services.apply_for_event(
                actor=request.user,
                organisation_id=d["organisation"].pk,
                rule_id=d["rule_id"],
                event_date=d["event_date"],
                event_reference=d["event_reference"],
                statement=d["statement"],
                attachments=form.uploaded_files(),
                now=clock.now(),
            )
            messages.success(request, submitted_message(application))
            return redirect("policy:application_detail", pk=application.pk)
        except DomainError as exc:
            _show_errors(form, exc)
    return render(
        request,
        "policy/application_form.html",
        {"form": form, "rules": [describe.rule_text(r, clock.local_date()) for r in form.rules]},
    )


def submitted_message(application) -> str:
    return _("申请已提交，等待%(bureau)s评审。") % {"bureau": routing.reviewing_bureau(application)}


def _application(user, pk) -> Application:
    try:
        return services.get_application(user, pk)
    except NotFound as exc:
        raise Http404 from exc


def _materials(application, rule, user) -> list[dict]:
    """Each required material with the files attached for it, then the files tied to none."""
    if not services.may_read_attachments(user, application):
        return []
    files = list(application.attachments.all())
    evidence = list(rule.evidence) if rule is not None else []
    rows = [{"material": m, "files": [f for f in files if f.material == m]} for m in evidence]
    other = [f for f in files if f.material not in evidence]
    if other:
        rows.append({"material": _("其他证明材料"), "files": other, "other": True})
    return rows


def _application_page(request, application, statement_form=None, attachment_form=None):
    user = request.user
    rule = engine.rule_by_id(application.rule_id)
    materials = list(rule.evidence) if rule is not None else []
    return render(
        request,
        "policy/application_detail.html",
        {
            "application": application,
            "is_member": scope.is_member(user, application.organisation),
            "is_reviewer": routing.may_review(user, application),
            "statement_form": statement_form or StatementForm(materials=materials),
            "attachment_form": attachment_form or AttachmentForm(materials=materials),
            "may_attach": services.may_attach(user, application),
            "materials": _materials(application, rule, user),
            "review_form": ReviewForm(initial={"amount": application.ceiling}),
            "rule": rule,
            "reviewing_bureau": routing.reviewing_bureau(application)
            if application.status == ApplicationStatus.SUBMITTED
            else "",
        },
    )


@login_required
def application_detail(request, pk):
    return _application_page(request, _application(request.user, pk))


@login_required
@require_POST
def application_submit(request, pk):
    application = _application(request.user, pk)
    rule = engine.rule_by_id(application.rule_id)
    form = StatementForm(request.POST, request.FILES, materials=rule.evidence if rule else ())
    if form.is_valid():
        try:
            services.submit_application(
                actor=request.user,
                application_id=application.pk,
                statement=form.cleaned_data.get("statement", ""),
                attachments=form.uploaded_files(),
                now=clock.now(),
            )
            application.refresh_from_db()
            messages.success(request, submitted_message(application))
            return redirect("policy:application_detail", pk=application.pk)
        except DomainError as exc:
            _show_errors(form, exc)
    return _application_page(request, application, statement_form=form)


@login_required
@require_POST
def application_attach(request, pk):
    application = _application(request.user, pk)
    rule = engine.rule_by_id(application.rule_id)
    form = AttachmentForm(request.POST, request.FILES, materials=rule.evidence if rule else ())
    if form.is_valid():
        material = form.cleaned_data.get("material") or ""
        try:
            stored = services.add_attachments(
                actor=request.user,
                application_id=application.pk,
                files=[(material, c, n) for c, n in uploaded(form.cleaned_data.get("attachments"))],
                now=clock.now(),
            )
            messages.success(request, _("已上传%(n)s个文件。") % {"n": len(stored)})
            return redirect("policy:application_detail", pk=application.pk)
        except DomainError as exc:
            _show_errors(form, exc)
    return _application_page(request, application, attachment_form=form)


@login_required
def application_attachment(request, pk, attachment_pk):
    """One attached file, for the applicant's organisation and the reviewers who handle it."""
    from django.http import FileResponse

    application = _application(request.user, pk)
    if not services.may_read_attachments(request.user, application):
        raise Http404
    attachment = application.attachments.filter(pk=attachment_pk).first()
    if attachment is None:
        raise Http404
    try:
        stream = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        stream,
        content_type=uploads.content_type(attachment.kind),
        filename=attachment.name,
    )


@login_required
@require_POST
def application_review(request, pk, decision):
    if decision not in ("grant", "refuse"):
        raise Http404
    application = _application(request.user, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("核定金额应为不小于零的金额（精确到分）。"))
        return redirect("policy:application_detail", pk=application.pk)
    try:
        services.review_application(
            actor=request.user,
            application_id=application.pk,
            grant=decision == "grant",
            amount=form.cleaned_data.get("amount"),
            reason=form.cleaned_data.get("reason", ""),
            now=clock.now(),
        )
        application.refresh_from_db()
        if decision == "grant":
            entitlement = application.entitlement
            messages.success(
                request,
                _("已核定支持《%(title)s》%(amount)s，转财务初审（%(bureau)s）。")
                % {
                    "title": application.title,
                    "amount": format_yuan(application.granted_amount),
                    "bureau": services.next_bureau(entitlement),
                },
            )
            if missing := services.nobody_next(entitlement):
                messages.warning(request, missing)
        else:
            messages.success(
                request, _("已办结：《%(title)s》不予支持，已通知申请单位。") % {"title": application.title}
            )
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("policy:application_detail", pk=application.pk)


# --- income distribution (002#15, 003#17) -----------------------------------------------------


def _distributing_unit(user):
    """The university or institute the user administers (the first one, by name)."""
    return (
        Organisation.objects.filter(
            pk__in=scope.organisation_ids(user, role="admin"),
            kind__in=["university", "institute"],
            status="verified",
        )
        .order_by("name")
        .first()
    )


def _distributable_contracts(unit):
    from zhouqiao.contracts.models import Contract

    return Contract.objects.registered().filter(
        seller=unit, contract_type__in=["transfer", "licence", "equity"]
    )


@login_required
def distribution_index(request):
    unit = _distributing_unit(request.user)
    if unit is None:
        return render(request, "policy/distribution.html", {"unit": None})
    scheme = DistributionScheme.objects.filter(organisation=unit).first()
    form = SchemeForm(
        request.POST or None,
        initial={
            "inventors_ratio": SchemeForm.as_percent(
                scheme.inventors_ratio if scheme else services.MIN_INVENTORS_RATIO
            ),
            "department_ratio": SchemeForm.as_percent(scheme.department_ratio if scheme else 0),
        },
    )
    if request.method == "POST" and form.is_valid():
        inventors_ratio, department_ratio = form.ratios()
        try:
            services.set_distribution_scheme(
                actor=request.user,
                organisation_id=unit.pk,
                inventors_ratio=inventors_ratio,
                department_ratio=department_ratio,
                now=clock.now(),
            )
            messages.success(request, _("收益分配比例已保存。"))
            return redirect("policy:distribution")
        except DomainError as exc:
            _show_errors(form, exc)
    return render(
        request,
        "policy/distribution.html",
        {
            "unit": unit,
            "scheme": scheme,
            "form": form,
            "distributions": services.distributions_visible_to(request.user)
            .filter(organisation=unit)
            .select_related("contract")[:100],
        },
    )


@login_required
def distribution_new(request):
    unit = _distributing_unit(request.user)
    if unit is None:
        raise Http404
    data = request.POST if request.method == "POST" else None
    form = DistributionForm(
        data, contracts=_distributable_contracts(unit), initial={"contract": request.GET.get("contract")}
    )
    formset = InventorFormSet(data, prefix="inventors")
    if data is not None and form.is_valid() and formset.is_valid():
        people = [
            {"name": f.cleaned_data.get("name", ""), "share": f.cleaned_data.get("share")}
            for f in formset.forms
            if f.cleaned_data.get("name") or f.cleaned_data.get("share") is not None
        ]
        try:
            distribution = services.distribute_income(
                actor=request.user,
                contract_id=form.cleaned_data["contract"].pk,
                costs=form.cleaned_data["costs"],
                inventors=people,
                now=clock.now(),
            )
            messages.success(request, _("收益分配已记录。"))
            return redirect("policy:distribution_detail", pk=distribution.pk)
        except DomainError as exc:
            _show_errors(form, exc)
    return render(request, "policy/distribution_form.html", {"unit": unit, "form": form, "formset": formset})


def _distribution(user, pk):
    try:
        return services.get_distribution(user, pk)
    except NotFound as exc:
        raise Http404 from exc


@login_required
def distribution_detail(request, pk):
    return render(request, "policy/distribution_detail.html", {"d": _distribution(request.user, pk)})


@login_required
def distribution_sheet(request, pk):
    distribution = _distribution(request.user, pk)
    return pdf_response(
        "policy/distribution_sheet.html",
        {"d": distribution, "contract": distribution.contract},
        filename=f"distribution-{distribution.pk}.pdf",
    )


def _consumable(pkgs, as_of) -> list[tuple[str, str, str]]:
    """(beneficiary, clause, label) of each contract rule whose cap counts this year's use."""
    seen, out = set(), []
    for rule in engine.all_rules(pkgs):
        key = (rule.beneficiary, rule.clause)
        if rule.trigger == "contract" and rule.has_annual_cap(as_of) and key not in seen:
            seen.add(key)
            label = _("%(who)s本年已享受%(clause)s（元）") % {
                "who": describe.beneficiary(rule.beneficiary),
                "clause": describe.cite(rule.clause).text,
            }
            out.append((rule.beneficiary, rule.clause, label))
    return out


def calculator(request):
    """The public 政策计算器 under the effective parameters; results under a draft for comment
    are marked 依据征求意见稿，仅供参考. Every refusal lands on its field, in Chinese."""
    data = request.POST if request.method == "POST" else None
    pkgs = parameters.effective_packages()
    today = clock.local_date()
    form = CalculatorForm(
        data,
        initial={
            "date": today,
            "contract_type": "技术转让",
            "contract_amount": "800000.00",
            "technology_amount": "800000.00",
            **calculator_initial(_own_organisation(request.user)),
        },
        consumable=_consumable(pkgs, today),
    )
    results, own_side = None, None
    if data is not None and form.is_valid():
        try:
            facts = engine.parse_case(form.case(), region_exists=parameters.region_exists, pkgs=pkgs)
            results = engine.evaluate_contract(facts, pkgs, drafts=True)
            side = form.cleaned_data.get("side") or "buyer"
            own_side = {
                "party": describe.PARTIES[side],
                "checks": [
                    {"check": c, "why": "" if c.result else describe.why_not(c, facts.date)}
                    for c in engine.check_party(facts, side, results, pkgs, drafts=True)
                ],
            }
        except engine.CaseError as exc:
            target = form.CASE_FIELDS.get(exc.field)
            form.add_error(target if target in form.fields else None, exc.message)
    return render(
        request,
        "policy/calculator.html",
        {
            "form": form,
            "results": results,
            "own_side": own_side,
            "any_draft": any(r.draft for r in results or []),
        },
    )


def _own_organisation(user):
    """The signed-in user's first verified organisation (for prefilling the calculator)."""
    ids = scope.organisation_ids(user)
    return Organisation.objects.filter(pk__in=ids, status="verified").order_by("pk").first() if ids else None


def _with_actions(user, entitlements):
    """Each entitlement with the verbs ``user`` may press on it (the service's own check)."""
    items = list(entitlements)
    for e in items:
        e.actions = services.allowed_actions(user, e)
        e.barred = services.barred_short(user, e)  # why the waiting step is not this user's
    return items


@login_required
def entitlement_list(request):
    user = request.user
    visible = Entitlement.objects.visible_to(user).select_related("organisation", "contract")
    own = visible.filter(organisation_id__in=scope.organisation_ids(user))
    waiting, desk = None, []
    if scope.has_duty(user, Duty.FINANCE):
        queue = visible.filter(scope.region_q(user, "payer_region", Duty.FINANCE), status__in=FINANCE_WAITING)
        waiting = queue.count()
        # the oldest few, with their buttons (or why the step is not this officer's: the 核定人
        # before the 初审, the 初审人 before the 复审); the desk has them all, with filters and batches
        desk = [
            e
            for e in _with_actions(user, queue.order_by("updated_at", "pk")[:DESK_PREVIEW])
            if e.actions or e.barred
        ]
    return render(
        request,
        "policy/entitlements.html",
        {
            "own": _with_actions(user, own[:200]),
            "finance_waiting": waiting,
            "desk": desk,
            "voucher_categories": ServiceCategory.choices,
        },
    )


FINANCE_WAITING = [EntitlementStatus.CONFIRMED, EntitlementStatus.FIRST_APPROVED, EntitlementStatus.APPROVED]
FINANCE_PAGE = 50
DESK_PREVIEW = 20


def _finance_regions(user):
    """The regions within the user's finance jurisdictions, grouped by city."""
    prefixes = tuple(scope.prefixes(user, Duty.FINANCE))
    grouped = []
    for city, options in region_choices():
        kept = [(code, name) for code, name in options if code.startswith(prefixes)]
        if kept:
            grouped.append((city, kept))
    return grouped


def _rule_choices():
    return [(r.id, f"{describe.cite(r.clause).text} {r.title}") for r in engine.all_rules()]


@login_required
def finance(request):
    """The finance desk: every entitlement paid by the user's jurisdictions, filtered, with
    batch approval at the first or the second stage."""
    user = request.user
    if not scope.has_duty(user, Duty.FINANCE):
        raise Http404
    form = FinanceFilterForm(request.GET or None, rules=_rule_choices(), regions=_finance_regions(user))
    items = (
        Entitlement.objects.filter(scope.region_q(user, "payer_region", Duty.FINANCE))
        .select_related("organisation", "contract", "payer_region")
        .order_by("created_at", "pk")
    )
    d = form.cleaned_data if form.is_bound and form.is_valid() else {}
    status = d.get("status")
    items = items.filter(status=status) if status else items.filter(status__in=FINANCE_WAITING)
    if d.get("rule"):
        items = items.filter(rule_id=d["rule"])
    if d.get("organisation"):
        items = items.filter(
            Q(organisation__name__icontains=d["organisation"])
            | Q(beneficiary_name__icontains=d["organisation"])
        )
    if d.get("region"):
        items = items.filter(organisation__region__code__startswith=engine.region_prefix(d["region"]))
    if d.get("date_from"):
        items = items.filter(created_at__date__gte=d["date_from"])
    if d.get("date_to"):
        items = items.filter(created_at__date__lte=d["date_to"])
    if d.get("amount_min") is not None:
        items = items.filter(amount__gte=d["amount_min"])
    if d.get("amount_max") is not None:
        items = items.filter(amount__lte=d["amount_max"])
    page = Paginator(items, FINANCE_PAGE).get_page(request.GET.get("page"))
    rows = _with_actions(user, page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "policy/finance.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "batch_limit": batch.BATCH_LIMIT,
            "can_first": any("approve1" in r.actions for r in rows),
            "can_second": any("approve2" in r.actions for r in rows),
        },
    )


@login_required
@require_POST
def finance_batch(request):
    stage = request.POST.get("stage", "")
    ids = request.POST.getlist("ids")[: batch.BATCH_LIMIT + 1]
    try:
        outcome = services.approve_entitlements(
            actor=request.user, entitlement_ids=ids, stage=stage, now=clock.now()
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        if outcome.done:
            done = (
                _("已财务初审通过%(n)s项，转财务复审。")
                if stage == "approve1"
                else _("已财务复审通过%(n)s项，待拨付。")
            )
            messages.success(request, done % {"n": len(outcome.done)})
        for name, reason in outcome.failed:
            messages.error(request, _("%(name)s未办理：%(reason)s") % {"name": name, "reason": reason})
    back = request.POST.get("next")
    return redirect(back if url_is_local(back) else "policy:finance")


@login_required
def entitlement_detail(request, pk):
    try:
        entitlement = services.get_entitlement(request.user, pk)
    except NotFound as exc:
        raise Http404 from exc
    rule = engine.rule_by_id(entitlement.rule_id)
    e = _with_actions(request.user, [entitlement])[0]
    finance_view = scope.covers(request.user, entitlement.payer_region_id, Duty.FINANCE)
    return render(
        request,
        "policy/entitlement_detail.html",
        {
            "e": e,
            # a plain member sees who acts, instead of a button only the administrator may press
            "awaits_admin": entitlement.status == EntitlementStatus.COMPUTED
            and entitlement.organisation_id
            and "confirm" not in e.actions
            and scope.is_member(request.user, entitlement.organisation),
            "rule": rule,
            "rule_text": describe.rule_text(rule, clock.local_date(entitlement.created_at)) if rule else None,
            "ledger": entitlement.ledger.select_related("actor"),
            "voucher_categories": ServiceCategory.choices,
            "barred": services.barred_reason(request.user, entitlement),
            "nobody_next": services.nobody_next(entitlement) if finance_view else "",
            "finance_view": finance_view,
            "duty_rule": services.DUTY_RULE,
        },
    )


@login_required
@require_POST
def entitlement_transition(request, pk, action):
    if action not in ACTIONS:
        raise Http404
    form = TransitionForm(request.POST)
    form.is_valid()
    try:
        services.get_entitlement(request.user, pk)
        entitlement = services.transition_entitlement(
            actor=request.user,
            entitlement_id=pk,
            to_status=ACTIONS[action],
            reason=form.cleaned_data.get("reason"),
            payment_reference=form.cleaned_data.get("payment_reference"),
            voucher_category=form.cleaned_data.get("voucher_category") or "",
            now=clock.now(),
        )
        messages.success(request, services.step_done_message(entitlement))
        if missing := services.nobody_next(entitlement):
            messages.warning(request, missing)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect(
        request.POST.get("next") if url_is_local(request.POST.get("next")) else "policy:entitlements"
    )


def url_is_local(url) -> bool:
    return bool(url) and url.startswith("/") and not url.startswith("//")


# --- a bureau edits its own parameters (issue 16) ---------------------------------------------


def _change_targets(packages_, as_of) -> list:
    """The form's choices, grouped by document: its status, then each rule's parameters with
    the value in effect today."""
    from zhouqiao.policy.parameters import current_value, editable_parameters

    effective = {p.id: p for p in parameters.effective_packages()}
    groups = []
    for pkg in packages_:
        live = effective[pkg.id]
        options = [
            (
                f"{pkg.id}::{engine.DOCUMENT_PARAMETER}",
                _("文件状态（现为：%(v)s）") % {"v": live.current_status(as_of)},
            )
        ]
        for rule in sorted(live.rules, key=lambda r: describe.article_number(r.clause)):  # 第四条, 第九条, …
            for name in editable_parameters(rule):
                now_value = describe.parameter_value(name, current_value(live, rule, name, as_of))
                options.append(
                    (
                        f"{pkg.id}:{rule.id}:{name}",
                        _("%(cite)s %(title)s · %(name)s（现为：%(v)s）")
                        % {
                            "cite": describe.cite(rule.clause).text,
                            "title": rule.title,
                            "name": describe.parameter_label(name),
                            "v": now_value or _("无"),
                        },
                    )
                )
        groups.append((f"《{pkg.short_title}》", options))
    return groups


@login_required
def change_list(request):
    """The policy editor's desk: the documents of the jurisdiction with their status, the
    proposals waiting for this editor's approval, and every change so far."""
    from zhouqiao.policy.models import ParameterChange

    user = request.user
    editable = services.editable_packages(user)
    if not editable:
        raise Http404
    ids = [p.id for p in editable]
    changes = list(
        ParameterChange.objects.filter(package__in=ids).select_related("proposed_by", "decided_by")[:200]
    )
    for c in changes:
        c.summary = describe.change_summary(c)
    effective = {p.id: p for p in parameters.effective_packages()}
    today = clock.local_date()
    return render(
        request,
        "policy/changes.html",
        {
            "documents": [
                (effective[p.id], describe.document_status(effective[p.id], today)) for p in editable
            ],
            "waiting": [c for c in changes if services.may_decide_change(user, c)],
            "changes": changes,
        },
    )


@login_required
def change_new(request):
    user = request.user
    editable = services.editable_packages(user)
    if not editable:
        raise Http404
    today = clock.local_date()
    initial = {"effective_from": today}
    if request.GET.get("target"):
        initial["target"] = request.GET["target"]
    form = ParameterChangeForm(
        request.POST or None, targets=_change_targets(editable, today), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        package_id, rule_id, name = form.split_target()
        d = form.cleaned_data
        try:
            change = services.propose_parameter_change(
                actor=user,
                package_id=package_id,
                rule_id=rule_id,
                name=name,
                value=d["value"],
                effective_from=d["effective_from"],
                reason=d["reason"],
                adopting_document=d["adopting_document"],
                now=clock.now(),
            )
            messages.success(request, _("调整已提出，等待另一名政策参数编辑人员审批。"))
            return redirect("policy:change_detail", pk=change.pk)
        except DomainError as exc:
            _show_errors(form, exc)
    return render(request, "policy/change_form.html", {"form": form})


def _change(user, pk):
    from zhouqiao.policy.models import ParameterChange

    change = ParameterChange.objects.select_related("proposed_by", "decided_by").filter(pk=pk).first()
    package = engine.package_by_id(change.package) if change else None
    if change is None or package is None or not services.may_edit_package(user, package):
        raise Http404
    return change


@login_required
def change_detail(request, pk):
    change = _change(request.user, pk)
    from zhouqiao.policy.parameters import history

    return render(
        request,
        "policy/change_detail.html",
        {
            "change": change,
            "summary": describe.change_summary(change),
            "may_decide": services.may_decide_change(request.user, change),
            "own": change.proposed_by_id == request.user.pk,
            "form": DecisionForm(),
            "history": _history_rows(history(change.package, change.rule_id), change.name),
        },
    )


@login_required
@require_POST
def change_decide(request, pk, decision):
    if decision not in ("approve", "reject"):
        raise Http404
    change = _change(request.user, pk)
    form = DecisionForm(request.POST)
    form.is_valid()
    try:
        decided = services.decide_parameter_change(
            actor=request.user,
            change_id=change.pk,
            approve=decision == "approve",
            reason=form.cleaned_data.get("reason", ""),
            now=clock.now(),
        )
        if decision == "approve":
            messages.success(
                request,
                _("%(state)s：自生效日期起计算使用新值。") % {"state": decided.status_on(clock.local_date())},
            )
        else:
            messages.success(request, _("已退回。"))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("policy:change_detail", pk=change.pk)


def _history_rows(rows, only: str | None = None) -> list[dict]:
    """Each dated value in words, with the value it replaced (the diff) for changes."""
    out = []
    last: dict[str, str] = {}
    for row in rows:
        if only and row["name"] != only:
            continue
        change = row["change"]
        shown = row["change"] is None or change.status == "approved"
        out.append(
            {
                "name": describe.parameter_label(row["name"]),
                "from": row["from"],
                "old": describe.parameter_value(
                    row["name"], change.previous_value if change else last.get(row["name"], "")
                ),
                "new": describe.parameter_value(row["name"], row["value"]),
                "change": change,
                "shipped": change is None,
            }
        )
        if shown:
            last[row["name"]] = row["value"]
    return out


def rule_history(request, rule_id):
    """Public: every dated value of one rule, shipped and adopted, with what each replaced."""
    from zhouqiao.policy.parameters import history

    rule = engine.rule_by_id(rule_id)
    if rule is None:
        raise Http404
    package = engine.package_by_id(rule.package)
    editor = services.may_edit_package(request.user, package)
    rows = [
        r
        for r in _history_rows(history(rule.package, rule.id))
        if r["shipped"] or r["change"].status == "approved" or editor
    ]
    return render(
        request,
        "policy/rule_history.html",
        {"rule": rule, "package": package, "rows": rows, "editor": editor},
    )

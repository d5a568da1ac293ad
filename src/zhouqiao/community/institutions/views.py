"""Brokers and transfer institutions: parse → one service or selector → render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty, MemberRole, Organisation, OrganisationKind, User
from zhouqiao.community.institutions import access, scoring, selectors, services, spreadsheets, weights
from zhouqiao.community.institutions.forms import (
    AssessmentForm,
    BrokerForm,
    DecisionForm,
    FilingForm,
    RatingForm,
    ReportForm,
    TrainingForm,
)
from zhouqiao.community.institutions.models import (
    AnnualReport,
    Broker,
    InstitutionAssessment,
    InstitutionFiling,
    InstitutionScore,
)
from zhouqiao.community.institutions.states import (
    BrokerLevel,
    CertificateStatus,
    FilingStatus,
    ReportStatus,
    ServiceType,
)
from zhouqiao.core import clock, uploads
from zhouqiao.core.errors import DomainError
from zhouqiao.core.forms import show_domain_error
from zhouqiao.core.spreadsheets import xlsx_response

PAGE_SIZE = 20


def _today():
    return timezone.localdate(clock.now())


def _my_institutions(user):
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        pk__in=scope.organisation_ids(user, MemberRole.ADMIN), kind=OrganisationKind.TRANSFER_INSTITUTION
    ).order_by("name")


def _service_labels(codes) -> list[str]:
    labels = dict(ServiceType.choices)
    return [str(labels[c]) for c in codes if c in labels]


def institution_list(request):
    user = request.user
    filings = selectors.filed_institutions().order_by("organisation__name")
    latest = {
        s.organisation_id: s
        for s in InstitutionScore.objects.filter(
            organisation_id__in=filings.values("organisation_id")
        ).order_by("organisation_id", "year")
    }
    rows = [
        {"filing": f, "services": _service_labels(f.services), "score": latest.get(f.organisation_id)}
        for f in filings
    ]
    context = {
        "rows": rows,
        "mine": _my_institutions(user),
        "is_reviewer": access.is_reviewer(user),
        "sees_ranking": access.sees_ranking(user),
        "waiting": (
            InstitutionFiling.objects.filter(status=FilingStatus.SUBMITTED)
            .filter(scope.region_q(user, "bureau_region", Duty.REVIEWER))
            .count()
            if access.is_reviewer(user)
            else 0
        ),
    }
    return render(request, "institutions/institution_list.html", context)


def institution_detail(request, org_id):
    org = get_object_or_404(
        Organisation.objects.select_related("region"), pk=org_id, kind=OrganisationKind.TRANSFER_INSTITUTION
    )
    user = request.user
    filing = InstitutionFiling.objects.filter(organisation=org).first()
    filed = filing is not None and filing.status == FilingStatus.APPROVED
    is_admin = access.is_admin(user, org)
    assessor = access.can_assess(user, org)
    if not (filed or scope.is_member(user, org) or assessor or scope.can_view_organisation(user, org)):
        raise Http404
    score = InstitutionScore.objects.filter(organisation=org).order_by("-year").first()
    year = services.report_year(_today())
    context = {
        "org": org,
        "filing": filing,
        "filed": filed,
        "services": _service_labels(filing.services) if filing else [],
        "brokers": (
            Broker.objects.filter(organisation=org)
            if scope.is_member(user, org) or scope.covers(user, org.region_id, Duty.REVIEWER)
            else Broker.objects.certified().filter(organisation=org)
        ).order_by("name"),
        "score": score,
        "breakdown": scoring.describe(score.items) if score else None,
        "grade": weights.grade(score.total) if score else "",
        "is_admin": is_admin,
        "can_file": is_admin and (filing is None or filing.status == FilingStatus.RETURNED),
        "assessor": assessor and filed,
        "report_year": year,
        "reports": AnnualReport.objects.filter(organisation=org).order_by("-year")
        if (is_admin or assessor)
        else None,
        "source_url": weights.SOURCE_URL,
        "source_title": weights.SOURCE_TITLE,
    }
    return render(request, "institutions/institution_detail.html", context)


@login_required
def filing_form(request, org_id):
    org = get_object_or_404(Organisation, pk=org_id, kind=OrganisationKind.TRANSFER_INSTITUTION)
    if not access.is_admin(request.user, org):
        raise Http404
    filing = InstitutionFiling.objects.filter(organisation=org).first()
    if filing is not None and filing.status != FilingStatus.RETURNED:
        return redirect("institutions:filing_detail", pk=filing.pk)
    if request.method == "POST":
        form = FilingForm(request.POST)
        if form.is_valid():
            try:
                filing = services.submit_filing(
                    actor=request.user, organisation_id=org.pk, data=form.cleaned_data, now=clock.now()
                )
                messages.success(request, _("备案申请已提交，市科技局审核后您将收到通知。"))
                return redirect("institutions:filing_detail", pk=filing.pk)
            except DomainError as exc:
                show_domain_error(form, exc)
    else:
        initial = (
            {
                "staff_count": filing.staff_count,
                "part_time_experts": filing.part_time_experts,
                "fields": filing.fields,
                "services": filing.services,
                "description": filing.description,
            }
            if filing
            else {"description": org.description}
        )
        form = FilingForm(initial=initial)
    return render(request, "institutions/filing_form.html", {"form": form, "org": org, "filing": filing})


@login_required
def filing_queue(request):
    user = request.user
    if not access.is_reviewer(user):
        raise Http404
    rows = (
        InstitutionFiling.objects.filter(scope.region_q(user, "bureau_region", Duty.REVIEWER))
        .select_related("organisation")
        .order_by("status", "-submitted_at")
    )
    return render(request, "institutions/filing_queue.html", {"filings": rows})


@login_required
def filing_detail(request, pk):
    filing = get_object_or_404(
        InstitutionFiling.objects.select_related("organisation", "bureau_region"), pk=pk
    )
    user = request.user
    reviewer = access.can_review_filing(user, filing)
    if not (reviewer or scope.is_member(user, filing.organisation)):
        raise Http404
    context = {
        "filing": filing,
        "services": _service_labels(filing.services),
        "can_decide": reviewer and filing.status == FilingStatus.SUBMITTED,
        "can_resubmit": access.is_admin(user, filing.organisation) and filing.status == FilingStatus.RETURNED,
        "form": DecisionForm(),
    }
    return render(request, "institutions/filing_detail.html", context)


@login_required
@require_POST
def decide_filing(request, pk, action):
    if action not in ("approve", "return"):
        raise Http404
    form = DecisionForm(request.POST)
    form.is_valid()
    try:
        filing = services.decide_filing(
            actor=request.user,
            filing_id=pk,
            approve=action == "approve",
            reason=form.cleaned_data.get("reason", ""),
            now=clock.now(),
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("institutions:filing_detail", pk=pk)
    if filing.status == FilingStatus.APPROVED:
        messages.success(request, _("已准予备案，备案编号%(number)s。") % {"number": filing.number})
    else:
        messages.success(request, _("已退回备案申请，机构会收到审核意见。"))
    return redirect("institutions:filing_detail", pk=pk)


# --- annual reports ---------------------------------------------------------------------------------


def _report_view(request, org, year):
    report = AnnualReport.objects.filter(organisation=org, year=year).first()
    is_admin = access.is_admin(request.user, org)
    if report is None:
        if not (is_admin or access.can_assess(request.user, org)):
            raise Http404
        return render(
            request,
            "institutions/report.html",
            {
                "org": org,
                "year": year,
                "report": None,
                "is_admin": is_admin,
                "due_on": services.report_due(year),
            },
        )
    if not access.can_view_report(request.user, report):
        raise Http404
    editable = is_admin and report.status == ReportStatus.DRAFT
    form = None
    if editable:
        if request.method == "POST":
            form = ReportForm(request.POST)
            if form.is_valid():
                try:
                    services.save_report(
                        actor=request.user,
                        report_id=report.pk,
                        data=form.cleaned_data,
                        submit="submit" in request.POST,
                        now=clock.now(),
                    )
                    messages.success(
                        request, _("年度报告已提交。") if "submit" in request.POST else _("已保存草稿。")
                    )
                    return redirect("institutions:report", org_id=org.pk, year=year)
                except DomainError as exc:
                    show_domain_error(form, exc)
        else:
            form = ReportForm(
                initial={
                    "staff_count": report.staff_count,
                    "total_income": report.total_income,
                    "technical_income": report.technical_income,
                    "summary": report.summary,
                }
            )
    return render(
        request,
        "institutions/report.html",
        {
            "org": org,
            "year": year,
            "report": report,
            "form": form,
            "is_admin": is_admin,
            "due_on": report.due_on,
        },
    )


@login_required
def report(request, org_id, year):
    org = get_object_or_404(Organisation, pk=org_id, kind=OrganisationKind.TRANSFER_INSTITUTION)
    return _report_view(request, org, year)


@login_required
@require_POST
def open_report(request, org_id, year):
    org = get_object_or_404(Organisation, pk=org_id, kind=OrganisationKind.TRANSFER_INSTITUTION)
    try:
        services.open_report(actor=request.user, organisation_id=org.pk, year=year, now=clock.now())
        messages.success(request, _("已按平台数据预填年度报告，请补充后提交。"))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("institutions:report", org_id=org.pk, year=year)


# --- scores and ranking -----------------------------------------------------------------------------


def _year_param(request) -> int:
    default = services.report_year(_today())
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or default)
    except ValueError:
        return default
    return year if 1980 <= year <= _today().year else default


@login_required
def ranking(request):
    user = request.user
    if not access.sees_ranking(user):
        raise Http404
    year = _year_param(request)
    # Scores are computed without anyone pressing a button: here the ones this year's ranking lacks,
    # when a report is submitted that institution's, and daily the open year's (institution-scores).
    services.score_missing(year=year, within=access.ranking_q(user), now=clock.now())
    rows = selectors.ranking(year, within=access.ranking_q(user))
    years = sorted({*InstitutionScore.objects.values_list("year", flat=True), services.report_year(_today())})
    context = {"year": year, "rows": rows, "years": years[::-1]}
    return render(request, "institutions/ranking.html", context)


@login_required
@require_POST
def compute_ranking(request):
    year = _year_param(request)
    try:
        scores = services.compute_scores(actor=request.user, year=year, now=clock.now())
        messages.success(request, _("已按平台数据计算%(n)s家机构的绩效评分。") % {"n": len(scores)})
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect(f"{reverse('institutions:ranking')}?year={year}")


@login_required
def export_ranking(request):
    user = request.user
    if not access.sees_ranking(user):
        raise Http404
    year = _year_param(request)
    services.score_missing(year=year, within=access.ranking_q(user), now=clock.now())
    rows = selectors.ranking(year, within=access.ranking_q(user))
    return xlsx_response(spreadsheets.ranking_workbook(year, rows), f"institution-ranking-{year}.xlsx")


@login_required
def assess(request, org_id, year):
    org = get_object_or_404(Organisation, pk=org_id, kind=OrganisationKind.TRANSFER_INSTITUTION)
    if not access.can_assess(request.user, org):
        raise Http404
    existing = InstitutionAssessment.objects.filter(organisation=org, year=year).first()
    if request.method == "POST":
        form = AssessmentForm(request.POST)
        if form.is_valid():
            values = {code: form.cleaned_data[code] for code in weights.STAFF_ITEMS}
            try:
                services.assess(
                    actor=request.user,
                    organisation_id=org.pk,
                    year=year,
                    values=values,
                    note=form.cleaned_data["note"],
                    now=clock.now(),
                )
                messages.success(request, _("评分已保存，绩效得分已重新计算。"))
                return redirect("institutions:institution_detail", org_id=org.pk)
            except DomainError as exc:
                show_domain_error(form, exc)
    else:
        form = AssessmentForm(
            initial={**(existing.values if existing else {}), "note": existing.note if existing else ""}
        )
    preview = scoring.compute(scoring.facts(org, year), existing.values if existing else {})
    context = {
        "org": org,
        "year": year,
        "form": form,
        "breakdown": scoring.describe(preview["items"]),
        "total": preview["total"],
    }
    return render(request, "institutions/assess.html", context)


# --- brokers ---------------------------------------------------------------------------------------


def broker_list(request):
    """The public list shows certified brokers only; an institution's members also see their own
    brokers still waiting for (or returned by) the check, and reviewers those they are to check."""
    user = request.user
    rows = selectors.brokers().certified().order_by("organisation__name", "name")
    q = (request.GET.get("q") or "").strip()[:50]
    if q:
        from django.db.models import Q

        rows = rows.filter(Q(name__icontains=q) | Q(fields__icontains=q) | Q(organisation__name__icontains=q))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    unchecked = selectors.brokers().exclude(certificate_status=CertificateStatus.APPROVED)
    context = {
        "page": page,
        "q": q,
        "mine": _my_institutions(user),
        "own_unchecked": unchecked.filter(organisation_id__in=scope.organisation_ids(user)).order_by("name")
        if user.is_authenticated
        else [],
        "to_check": unchecked.filter(certificate_status=CertificateStatus.SUBMITTED)
        .filter(scope.region_q(user, "organisation__region", Duty.REVIEWER))
        .order_by("certificate_submitted_at", "pk")
        if access.is_reviewer(user)
        else [],
    }
    return render(request, "institutions/broker_list.html", context)


def broker_detail(request, pk):
    broker = get_object_or_404(selectors.brokers(), pk=pk)
    user = request.user
    if not access.sees_broker(user, broker):
        raise Http404
    record = selectors.broker_record(broker)
    rateable = selectors.rateable_contracts(user, broker) if user.is_authenticated else []
    is_admin = access.is_admin(user, broker.organisation)
    context = {
        "broker": broker,
        "record": record,
        "contracts": selectors.broker_contracts(broker).order_by("-registered_at")[:50],
        "training": selectors.training_by_year(broker),
        "ratings": broker.ratings.select_related("organisation").order_by("-created_at")[:20],
        "rating_form": RatingForm(contracts=rateable) if rateable else None,
        "is_admin": is_admin,
        "training_form": TrainingForm(initial={"year": _today().year}) if is_admin else None,
        "can_check": broker.certificate_status == CertificateStatus.SUBMITTED
        and access.can_review_certificate(user, broker),
        "changes": _changes_since_approval(broker),
        "sees_scan": access.sees_certificate_scan(user, broker),
        "sees_pending": access.sees_pending_certificate(user, broker),
    }
    return render(request, "institutions/broker_detail.html", context)


@login_required
def my_broker(request):
    """A broker's own page (the menu's 我的经纪人主页): where they see their record and, as
    their institution's admin, edit it."""
    broker = Broker.objects.filter(user=request.user).only("pk").first()
    if broker is None:
        raise Http404
    return redirect("institutions:broker_detail", pk=broker.pk)


@login_required
@require_POST
def decide_certificate(request, pk, action):
    if action not in ("approve", "return"):
        raise Http404
    broker = get_object_or_404(selectors.brokers(), pk=pk)
    if not access.sees_broker(request.user, broker):
        raise Http404
    form = DecisionForm(request.POST)
    form.is_valid()
    try:
        broker = services.decide_certificate(
            actor=request.user,
            broker_id=pk,
            approve=action == "approve",
            reason=form.cleaned_data.get("reason", ""),
            now=clock.now(),
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("institutions:broker_detail", pk=pk)
    if broker.certificate_status == CertificateStatus.APPROVED:
        messages.success(request, _("证书已核验，%(name)s已在技术经纪人名录中公开。") % {"name": broker.name})
    else:
        messages.success(request, _("已退回证书，机构和经纪人会收到核验意见。"))
    return redirect("institutions:broker_detail", pk=pk)


def _changes_since_approval(broker) -> list[tuple[str, str, str]]:
    """(label, as approved, as now) of each certificate item changed since the last approval, while
    the changed certificate waits for its check."""
    approved = broker.approved_certificate or {}
    if broker.certificate_status != CertificateStatus.SUBMITTED or not approved:
        return []
    levels = dict(BrokerLevel.choices)
    rows = []
    for name in services.CERTIFICATE_FIELDS:
        before, now = str(approved.get(name, "")), getattr(broker, name)
        now = now.isoformat() if hasattr(now, "isoformat") else str(now)
        if before != now:
            if name == "level":
                before, now = levels.get(before, before), levels.get(now, now)
            rows.append((str(Broker._meta.get_field(name).verbose_name), before, now))
    if (broker.certificate_scan.name or "") != approved.get("certificate_scan", ""):
        rows.append(
            (_("证书扫描件"), _("原扫描件") if approved.get("certificate_scan") else "—", _("新上传"))
        )
    return rows


def _members(org):
    taken = Broker.objects.values("user_id")
    return User.objects.filter(memberships__organisation=org).exclude(pk__in=taken).order_by("username")


@login_required
def broker_create(request, org_id):
    org = get_object_or_404(Organisation, pk=org_id, kind=OrganisationKind.TRANSFER_INSTITUTION)
    if not access.is_admin(request.user, org):
        raise Http404
    members = list(_members(org))
    if not members:  # nobody to pick: say so and send the admin to invite, not an empty picker
        return render(
            request,
            "institutions/broker_form.html",
            {"form": None, "org": org, "broker": None, "no_members": True},
        )
    form = BrokerForm(request.POST or None, request.FILES or None, members=members)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            broker = services.register_broker(
                actor=request.user,
                organisation_id=org.pk,
                user_id=data.pop("user"),
                data=data,
                scan=uploads.read_scan(data.pop("certificate_scan", None)),
                now=clock.now(),
            )
            messages.success(
                request,
                _("已登记技术经纪（理）人%(name)s，证书经主管部门核验后在技术经纪人名录中公开。")
                % {"name": broker.name},
            )
            return redirect("institutions:broker_detail", pk=broker.pk)
        except DomainError as exc:
            show_domain_error(form, exc)
    return render(request, "institutions/broker_form.html", {"form": form, "org": org, "broker": None})


@login_required
def broker_edit(request, pk):
    broker = get_object_or_404(selectors.brokers(), pk=pk)
    if not access.is_admin(request.user, broker.organisation):
        raise Http404
    initial = {
        f: getattr(broker, f)
        for f in [
            "name",
            "level",
            "certificate_number",
            "certificate_issuer",
            "certificate_date",
            "fields",
            "profile",
        ]
    }
    form = BrokerForm(request.POST or None, request.FILES or None, initial=initial, editing=True)
    returned = broker.certificate_status == CertificateStatus.RETURNED
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            updated = services.update_broker(
                actor=request.user,
                broker_id=broker.pk,
                data=data,
                scan=uploads.read_scan(data.pop("certificate_scan", None)),
                now=clock.now(),
            )
            if updated.certificate_status == CertificateStatus.SUBMITTED and broker.certificate_status != (
                CertificateStatus.SUBMITTED
            ):
                messages.success(
                    request,
                    _("已保存。证书已重新提交核验；核验通过前，名录中仍显示上次核验通过的证书。")
                    if updated.approved_certificate
                    else _("已保存，证书已重新提交核验。"),
                )
            else:
                messages.success(request, _("已保存。"))
            return redirect("institutions:broker_detail", pk=broker.pk)
        except DomainError as exc:
            show_domain_error(form, exc)
    return render(
        request,
        "institutions/broker_form.html",
        {
            "form": form,
            "org": broker.organisation,
            "broker": broker,
            "return_reason": broker.certificate_reason if returned else "",
        },
    )


@login_required
def certificate_scan(request, pk):
    """The certificate scan, for the broker's institution and the reviewers only."""
    broker = get_object_or_404(selectors.brokers(), pk=pk)
    if not access.sees_certificate_scan(request.user, broker) or not broker.certificate_scan:
        raise Http404
    try:
        stream = broker.certificate_scan.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    kind = broker.certificate_scan.name.rsplit(".", 1)[-1]
    return FileResponse(
        stream,
        content_type=uploads.content_type(kind),
        filename=broker.certificate_scan_name or f"certificate.{kind}",
    )


@login_required
@require_POST
def add_training(request, pk):
    form = TrainingForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("培训记录填写有误：%(e)s") % {"e": " ".join(m for ms in form.errors.values() for m in ms)},
        )
        return redirect("institutions:broker_detail", pk=pk)
    try:
        services.add_training(actor=request.user, broker_id=pk, now=clock.now(), **form.cleaned_data)
        messages.success(request, _("已登记培训记录。"))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("institutions:broker_detail", pk=pk)


@login_required
@require_POST
def rate(request, pk):
    broker = get_object_or_404(selectors.brokers(), pk=pk)
    form = RatingForm(request.POST, contracts=selectors.rateable_contracts(request.user, broker))
    if not form.is_valid():
        messages.error(request, _("请选择合同和评分。"))
        return redirect("institutions:broker_detail", pk=pk)
    try:
        services.rate_broker(
            actor=request.user,
            broker_id=pk,
            contract_id=form.cleaned_data["contract"],
            score=form.cleaned_data["score"],
            comment=form.cleaned_data["comment"],
            now=clock.now(),
        )
        messages.success(request, _("感谢您的评价。"))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("institutions:broker_detail", pk=pk)

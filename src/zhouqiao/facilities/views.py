"""Instrument sharing pages: parse → call one service or selector → render."""

from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Organisation, OrganisationKind
from zhouqiao.core import clock
from zhouqiao.core.bounds import MAX_YEAR, MIN_YEAR
from zhouqiao.core.errors import DomainError
from zhouqiao.core.forms import show_domain_error
from zhouqiao.core.money import format_yuan
from zhouqiao.core.spreadsheets import xlsx_response
from zhouqiao.facilities import export, forms, selectors, services
from zhouqiao.facilities.models import Instrument
from zhouqiao.facilities.states import InstrumentCategory
from zhouqiao.vouchers import idempotency
from zhouqiao.vouchers.models import Voucher
from zhouqiao.vouchers.states import ServiceCategory, VoucherStatus


def _my_orgs(user):
    return Organisation.objects.filter(pk__in=scope.organisation_ids(user)).exclude(
        kind=OrganisationKind.GOVERNMENT
    )


def index(request):
    page = Paginator(
        selectors.registry(
            request.user, category=request.GET.get("category", ""), q=request.GET.get("q", "")
        ),
        20,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "facilities/index.html",
        {
            "page": page,
            "categories": InstrumentCategory.choices,
            "is_staff_user": scope.is_business_staff(request.user),
            "can_register": request.user.is_authenticated and _my_orgs(request.user).exists(),
        },
    )


def _monday(request) -> date:
    try:
        day = date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        day = timezone.localdate(clock.now())
    return selectors.week_start(day)


def _first_free(calendar) -> dict | None:
    """The booking form starts at the first free hour of the week shown."""
    free = [c.start for _hour, cells in calendar.rows for c in cells if c.state == "free"]
    if not free:
        return None
    first = timezone.localtime(min(free))
    return {"day": first.date(), "hour": first.hour}


def instrument(request, pk):
    inst = get_object_or_404(Instrument.objects.visible_to(request.user).select_related("owner"), pk=pk)
    now = clock.now()
    monday = _monday(request)
    calendar = selectors.calendar(inst, monday=monday, now=now)
    form = None
    is_owner = scope.is_member(request.user, inst.owner)
    # The owner's own people handle bookings of it; they are not offered the booking form.
    if request.user.is_authenticated and not is_owner:
        orgs = _my_orgs(request.user)
        vouchers = Voucher.objects.filter(
            enterprise__in=orgs,
            status=VoucherStatus.ACTIVE,
            category=ServiceCategory.TESTING,
            expires_on__gte=timezone.localdate(now),
        )
        form = forms.BookingForm(
            request.POST or None,
            instrument=inst,
            organisations=orgs,
            vouchers=vouchers,
            initial=_first_free(calendar)
            or {"day": max(monday, timezone.localdate(now) + timedelta(days=1))},
            today=timezone.localdate(now),
        )
        if request.method == "POST" and form.is_valid():
            d = form.cleaned_data
            starts_at = datetime.combine(d["day"], time(d["hour"]), tzinfo=timezone.get_current_timezone())
            try:
                _code, body, _replayed = idempotency.run_once(
                    user=request.user,
                    key=idempotency.key_from(request),
                    endpoint="facilities.bookings.form",
                    payload={"instrument": inst.pk, "starts_at": starts_at.isoformat(), "hours": d["hours"]},
                    action=lambda: (
                        201,
                        {
                            "id": services.book(
                                actor=request.user,
                                instrument_id=inst.pk,
                                organisation_id=d["organisation"],
                                starts_at=starts_at,
                                hours=d["hours"],
                                purpose=d["purpose"],
                                samples=d["samples"] or 0,
                                voucher_id=d["voucher"],
                                now=now,
                            ).pk
                        },
                    ),
                    now=now,
                )
            except DomainError as exc:
                show_domain_error(form, exc, fields={"starts_at": "day"})
            else:
                messages.success(request, _("预约已提交，等待仪器管理单位确认。"))
                return redirect("facilities:booking", body["id"])
    return render(
        request,
        "facilities/instrument.html",
        {
            "instrument": inst,
            "prices": inst.prices.all(),
            "photos": inst.photos.all(),
            "form": form,
            "calendar": calendar,
            "previous_week": monday - timedelta(days=7),
            "next_week": monday + timedelta(days=7),
            "is_owner": is_owner,
            "maintenance_form": forms.MaintenanceForm() if is_owner else None,
            "maintenance": inst.maintenance.filter(ends_at__gt=now).order_by("starts_at") if is_owner else (),
            "open_days": services.weekdays_in_words(inst.open_weekdays),
        },
    )


@login_required
@require_POST
def instrument_maintenance(request, pk):
    inst = get_object_or_404(Instrument.objects.visible_to(request.user), pk=pk)
    form = forms.MaintenanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写维护开始和结束时间。"))
        return redirect("facilities:instrument", pk)
    d = form.cleaned_data
    try:
        window = services.add_maintenance(
            actor=request.user,
            instrument_id=inst.pk,
            starts_at=d["starts_at"],
            ends_at=d["ends_at"],
            reason=d["reason"],
            now=clock.now(),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("已登记%(instrument)s的维护时段（%(start)s至%(end)s），该时段不接受预约。")
            % {
                "instrument": inst.name,
                "start": timezone.localtime(window.starts_at).strftime("%Y-%m-%d %H:%M"),
                "end": timezone.localtime(window.ends_at).strftime("%Y-%m-%d %H:%M"),
            },
        )
    return redirect("facilities:instrument", pk)


@login_required
def bookings(request):
    user = request.user
    own = scope.organisation_ids(user)
    return render(
        request,
        "facilities/bookings.html",
        {
            "mine": selectors.bookings_for(user).filter(organisation_id__in=own)[:50],
            "incoming": selectors.owner_queue(user),
            "done": selectors.bookings_for(user).filter(instrument__owner_id__in=own, status="completed")[
                :50
            ],
        },
    )


@login_required
def booking(request, pk):
    b = get_object_or_404(selectors.bookings_for(request.user), pk=pk)
    return render(
        request,
        "facilities/booking.html",
        {
            "booking": b,
            "usage": getattr(b, "usage", None) if b.status == "completed" else None,
            "rating": getattr(b, "rating", None) if b.status == "completed" else None,
            "is_owner": scope.is_member(request.user, b.instrument.owner),
            "is_booker": scope.is_member(request.user, b.organisation),
            "actions": services.actions_open_to(request.user, b, now=clock.now()),
            "expected": services.expected_fee(b),
            "usage_form": forms.UsageForm(initial={"hours": b.hours}),
            "rating_form": forms.RatingForm(),
            "reason_form": forms.ReasonForm(),
        },
    )


@login_required
@require_POST
def booking_action(request, pk, action):
    b = get_object_or_404(selectors.bookings_for(request.user), pk=pk)
    now, user = clock.now(), request.user
    try:
        if action == "usage":
            form = forms.UsageForm(request.POST)
            if not form.is_valid():
                raise DomainError(_("请填写实际机时和样品数。"))
            usage = services.record_usage(
                actor=user,
                booking_id=b.pk,
                hours=form.cleaned_data["hours"],
                samples=form.cleaned_data["samples"] or 0,
                now=now,
            )
            messages.success(request, _("使用情况已登记，服务费 %(fee)s。") % {"fee": format_yuan(usage.fee)})
            if usage.order_id:
                return redirect("vouchers:order", usage.order_id)
        elif action == "rate":
            form = forms.RatingForm(request.POST)
            if not form.is_valid():
                raise DomainError(_("请选择评分。"))
            services.rate(
                actor=user,
                booking_id=b.pk,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
                now=now,
            )
            messages.success(request, _("感谢评价。"))
        else:
            target = {"approve": "approved", "refuse": "refused", "cancel": "cancelled"}.get(action)
            if target is None:
                raise Http404
            services.transition_booking(
                actor=user, booking_id=b.pk, to_status=target, reason=request.POST.get("reason", ""), now=now
            )
            done = {
                "approve": _(
                    "已同意%(org)s预约%(instrument)s（%(when)s），请按时安排上机，使用后登记机时并计费。"
                ),
                "refuse": _("已拒绝%(org)s预约%(instrument)s（%(when)s），预约单位会收到拒绝理由。"),
                "cancel": _("已取消%(org)s预约%(instrument)s（%(when)s），该时段已释放。"),
            }[action]
            start, end = timezone.localtime(b.starts_at), timezone.localtime(b.ends_at)
            when = f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"
            messages.success(
                request, done % {"org": b.organisation.name, "instrument": b.instrument.name, "when": when}
            )
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("facilities:booking", pk)


@login_required
def instrument_new(request):
    owners = _my_orgs(request.user)
    form = forms.InstrumentForm(request.POST or None, owners=owners)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        data = {
            k: d[k]
            for k in (
                "name",
                "model_number",
                "category",
                "location",
                "value",
                "funding_source",
                "capabilities",
                "guide_price_filing",
            )
        }
        try:
            inst = services.register_instrument(
                actor=request.user, owner_id=d["owner"], data=data, prices=form.prices(), now=clock.now()
            )
        except DomainError as exc:
            show_domain_error(form, exc, fields={"starts_at": "day"})
        else:
            messages.success(request, _("仪器已登记并对外开放。"))
            return redirect("facilities:instrument", inst.pk)
    return render(request, "facilities/instrument_new.html", {"form": form})


def _year(request) -> int:
    """The year asked for, within core.bounds' 1980–2100; anything else is this year."""
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = 0
    if MIN_YEAR <= year <= MAX_YEAR:
        return year
    return timezone.localdate(clock.now()).year


@login_required
def evaluation(request):
    if not scope.is_business_staff(request.user):
        raise DjangoPermissionDenied
    year = _year(request)
    return render(
        request,
        "facilities/evaluation.html",
        {
            "year": year,
            "by_instrument": selectors.evaluation_by_instrument(request.user, year),
            "by_owner": selectors.evaluation_by_owner(request.user, year),
            "weights": selectors.weights_in_words(),
        },
    )


@login_required
def evaluation_export(request):
    if not scope.is_business_staff(request.user):
        raise DjangoPermissionDenied
    year = _year(request)
    content = export.evaluation_workbook(
        year,
        selectors.evaluation_by_instrument(request.user, year),
        selectors.evaluation_by_owner(request.user, year),
    )
    return xlsx_response(content, f"sharing-evaluation-{year}.xlsx")

"""Writes of the innovation index: open a year, import or edit inputs, set the method, publish.

Every function takes keyword arguments plus ``actor`` and ``now``, runs in one durable
transaction, writes an audit record and raises a ``DomainError`` with a Chinese message.
An import is all-or-nothing: any bad row and nothing is written.
"""

import hashlib
import io
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty
from zhouqiao.core import audit
from zhouqiao.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from zhouqiao.core.locking import lock
from zhouqiao.core.models import Region, RegionLevel
from zhouqiao.insights.innovation_index import compute as calc
from zhouqiao.insights.innovation_index import framework as fw
from zhouqiao.insights.innovation_index import workbook
from zhouqiao.insights.innovation_index.models import IndexInput, IndexScore, IndexStatus, IndexYear

PROVINCE = "220000"
FIRST_YEAR = 2015
MAX_LISTED_ERRORS = 30


# --- who may -----------------------------------------------------------------------------------


def index_regions():
    """Every county, city district and development zone of Jilin: the index ranks them all."""
    return Region.objects.filter(level=RegionLevel.COUNTY, code__startswith="22").order_by("code")


def can_enter(user) -> bool:
    return scope.has_duty(user, Duty.STATISTICS)


def can_manage(user) -> bool:
    """Open a year, set its method and publish it: statistics staff of the province."""
    return scope.covers(user, PROVINCE, Duty.STATISTICS)


def regions_of(user):
    """The index regions whose inputs this user enters."""
    return [r for r in index_regions() if scope.covers(user, r.code, Duty.STATISTICS)]


def _require_enter(actor):
    if not can_enter(actor):
        raise PermissionDenied(_("只有统计监测人员可以录入县域创新发展指数数据。"))


def _require_manage(actor):
    if not can_manage(actor):
        raise PermissionDenied(_("只有省级统计监测人员可以开放、设置和发布县域创新发展指数。"))


def _open_year(year: int) -> IndexYear:
    try:
        index_year = lock(IndexYear.objects.all(), IndexYear.objects.get(year=year).pk)
    except IndexYear.DoesNotExist as exc:
        raise NotFound(_("%(y)s年度尚未开放录入。") % {"y": year}) from exc
    if index_year.is_published:
        raise Conflict(_("%(y)s年度指数已发布，输入数据和结果已冻结。") % {"y": year}, code="frozen")
    return index_year


# --- years -------------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def open_year(*, year: int, actor, now, demo: bool = False) -> IndexYear:
    _require_manage(actor)
    latest = timezone.localdate(now).year
    if not isinstance(year, int) or not FIRST_YEAR <= year <= latest:
        raise ValidationFailed(
            _("年度须在%(a)s年至%(b)s年之间。") % {"a": FIRST_YEAR, "b": latest}, code="year_out_of_range"
        )
    if IndexYear.objects.filter(year=year).exists():
        raise Conflict(_("%(y)s年度已开放或已发布。") % {"y": year}, code="year_exists")
    previous = IndexYear.objects.filter(year__lt=year).order_by("-year").first()
    index_year = IndexYear.objects.create(
        year=year,
        opened_at=now,
        opened_by=actor,
        demo=demo,
        normalisation=previous.normalisation if previous else fw.DEFAULT_NORMALISATION,
        weights=previous.weights if previous else fw.default_weights(),
    )
    audit.record(
        "innovation_index.year.opened",
        actor=actor,
        target=index_year,
        after={"year": year},
        region_code=PROVINCE,
        now=now,
    )
    return index_year


def _check_weights(weights: dict) -> dict:
    clean = fw.default_weights()
    for group, codes in (("pillars", fw.PILLAR_CODES), ("indicators", fw.INDICATOR_CODES)):
        for code in codes:
            raw = (weights.get(group) or {}).get(code, 1.0)
            try:
                value = Decimal(str(raw))
            except Exception as exc:  # noqa: BLE001
                raise ValidationFailed(_("权重须为数字。"), code="bad_weight") from exc
            if not value.is_finite() or value < 0 or value > 100:
                raise ValidationFailed(_("权重须在0到100之间。"), code="bad_weight")
            clean[group][code] = float(value)
        if not any(clean[group].values()):
            raise ValidationFailed(_("权重不能全部为0。"), code="bad_weight")
    for pillar in fw.PILLAR_CODES:
        if clean["pillars"][pillar] and not any(
            clean["indicators"][i.code] for i in fw.indicators_of(pillar)
        ):
            raise ValidationFailed(_("参与计算的分项中至少要有一项指标的权重大于0。"), code="bad_weight")
    return clean


@transaction.atomic(durable=True)
def set_method(*, year: int, normalisation: str, weights: dict, actor, now) -> IndexYear:
    _require_manage(actor)
    index_year = _open_year(year)
    if normalisation not in fw.NORMALISATIONS:
        raise ValidationFailed(_("未知的标准化方法。"), code="bad_normalisation")
    before = {"normalisation": index_year.normalisation, "weights": index_year.weights}
    index_year.normalisation = normalisation
    index_year.weights = _check_weights(weights)
    index_year.save(update_fields=["normalisation", "weights"])
    audit.record(
        "innovation_index.method.updated",
        actor=actor,
        target=index_year,
        before=before,
        after={"normalisation": normalisation, "weights": index_year.weights},
        region_code=PROVINCE,
        now=now,
    )
    return index_year


# --- inputs ------------------------------------------------------------------------------------


def _stored(values: dict) -> dict:
    return {i.code: (None if values.get(i.code) is None else str(values[i.code])) for i in fw.INPUTS}


def _fail(errors: list[str]):
    shown = errors[:MAX_LISTED_ERRORS]
    more = len(errors) - len(shown)
    message = _("导入未完成，未写入任何数据。请更正以下问题后重新导入：") + "；".join(shown)
    if more:
        message += _("……另有%(n)s处问题。") % {"n": more}
    raise ValidationFailed(message, code="bad_inputs", detail={"errors": errors})


@transaction.atomic(durable=True)
def import_inputs(*, source, actor, now) -> int:
    """Import the inputs workbook. Every region of the actor's jurisdiction must be in it for each
    year it names; any error and nothing is written. Returns the number of rows written."""
    _require_enter(actor)
    parsed = workbook.read(source)
    errors = list(parsed.errors)
    if not errors and not parsed.rows:
        errors.append(_("工作表“%(sheet)s”没有数据行。") % {"sheet": workbook.SHEET})
    regions = {r.code: r for r in index_regions()}
    years = {y.year: y for y in IndexYear.objects.filter(year__in={r.year for r in parsed.rows if r.year})}
    seen: dict[tuple, int] = {}
    for row in parsed.rows:
        where = _("工作表“%(sheet)s”第%(row)s行：") % {"sheet": workbook.SHEET, "row": row.number}
        if row.year is not None:
            index_year = years.get(row.year)
            if index_year is None:
                errors.append(where + _("%(y)s年度未开放录入。") % {"y": row.year})
            elif index_year.is_published:
                errors.append(where + _("%(y)s年度指数已发布，数据已冻结。") % {"y": row.year})
        if row.region_code:
            if row.region_code not in regions:
                errors.append(
                    where + _("区划代码“%(c)s”不是吉林省的县（市、区）或开发区。") % {"c": row.region_code}
                )
            elif not scope.covers(actor, row.region_code, Duty.STATISTICS):
                errors.append(
                    where + _("%(r)s不在您的统计监测辖区内。") % {"r": regions[row.region_code].name}
                )
            key = (row.year, row.region_code)
            if key in seen:
                errors.append(where + _("与第%(n)s行重复（同一年度、同一地区）。") % {"n": seen[key]})
            seen.setdefault(key, row.number)
    mine = [code for code in regions if scope.covers(actor, code, Duty.STATISTICS)]
    for year in sorted({r.year for r in parsed.rows if r.year in years}):
        present = {code for (y, code) in seen if y == year}
        absent = [c for c in mine if c not in present]
        if absent:
            names = "、".join(f"{regions[c].name}（{c}）" for c in absent[:10])
            more = _("等%(n)s个地区") % {"n": len(absent)} if len(absent) > 10 else ""
            errors.append(
                _(
                    "工作表“%(sheet)s”缺少%(y)s年度%(names)s%(more)s的数据行：须包含您辖区内的每个县（市、区）和开发区。"
                )
                % {"sheet": workbook.SHEET, "y": year, "names": names, "more": more}
            )
    if errors:
        _fail(errors)
    written = 0
    locked = {year: _open_year(year) for year in sorted(years)}  # a publication waits for the import
    for row in parsed.rows:
        index_year = locked[row.year]
        IndexInput.objects.update_or_create(
            index_year=index_year,
            region_id=row.region_code,
            defaults={"values": _stored(row.values), "updated_at": now, "updated_by": actor},
        )
        written += 1
    audit.record(
        "innovation_index.inputs.imported",
        actor=actor,
        target=None,
        after={"years": sorted({r.year for r in parsed.rows}), "rows": written},
        region_code=scope.home_region_code(actor),
        now=now,
    )
    return written


@transaction.atomic(durable=True)
def update_input(*, year: int, region_code: str, values: dict, actor, now) -> IndexInput:
    _require_enter(actor)
    if not index_regions().filter(code=region_code).exists():
        raise NotFound(_("该地区不在指数范围内。"))
    if not scope.covers(actor, region_code, Duty.STATISTICS):
        raise PermissionDenied(_("该地区不在您的统计监测辖区内。"))
    index_year = _open_year(year)
    clean = {}
    for inp in fw.INPUTS:
        value = values.get(inp.code)
        if value is not None and not isinstance(value, Decimal):
            value = Decimal(str(value))
        if value is None and inp.required:
            raise ValidationFailed(_("请填写“%(f)s”。") % {"f": workbook.header(inp)}, code="required")
        if value is not None and (value < 0 or (inp.required and value == 0) or value >= workbook.MAX_VALUE):
            raise ValidationFailed(
                _("“%(f)s”须为不小于0的数字（必填项须大于0）。") % {"f": workbook.header(inp)},
                code="out_of_range",
            )
        clean[inp.code] = value
    row = IndexInput.objects.filter(index_year=index_year, region_id=region_code).first()
    before = row.values if row else {}
    row, _created = IndexInput.objects.update_or_create(
        index_year=index_year,
        region_id=region_code,
        defaults={"values": _stored(clean), "updated_at": now, "updated_by": actor},
    )
    audit.record(
        "innovation_index.input.updated",
        actor=actor,
        target=row,
        before=before,
        after=row.values,
        region_code=region_code,
        now=now,
    )
    return row


# --- what the platform already knows ----------------------------------------------------------

# Inputs the platform records itself: (indicator of zhouqiao.insights.indicators, divisor to the input's unit).
PLATFORM_INPUTS = {
    "contract_turnover": ("contract_turnover", Decimal(10000)),  # yuan → 万元
    "vouchers_redeemed": ("vouchers_redeemed", Decimal(10000)),  # yuan → 万元
    "instrument_hours": ("instrument_sharing_hours", Decimal(1)),
}


def platform_figures(codes: list[str], year: int) -> dict[str, dict[str, Decimal]]:
    """The template's pre-filled columns: each region's figures from the platform's own records
    (registered contracts, redeemed vouchers, instrument sharing hours), one query per city and figure."""
    from zhouqiao.insights import indicators

    cities = sorted({code[:4] + "00" for code in codes})
    out: dict[str, dict[str, Decimal]] = {code: {} for code in codes}
    for input_code, (indicator, divisor) in PLATFORM_INPUTS.items():
        if indicator not in indicators.INDICATORS:
            continue
        for city in cities:
            for code, figure in indicators.by_region(indicator, parent_code=city, year=year).items():
                if code in out:
                    out[code][input_code] = (Decimal(figure) / divisor).quantize(Decimal("0.01"))
    for code in codes:  # a region without records has zero of each
        for input_code, (indicator, _divisor) in PLATFORM_INPUTS.items():
            if indicator in indicators.INDICATORS:
                out[code].setdefault(input_code, Decimal("0.00"))
    return out


# --- computing and publishing -------------------------------------------------------------------


def inputs_of(index_year: IndexYear) -> dict[str, dict]:
    return {row.region_id: row.values for row in index_year.inputs.all()}


def compute_year(index_year: IndexYear, *, sensitivity: bool = True) -> calc.IndexResult:
    return calc.compute(
        inputs_of(index_year),
        normalisation=index_year.normalisation,
        weights=index_year.weights,
        sensitivity=sensitivity,
    )


def published_workbook(index_year: IndexYear) -> bytes:
    names = dict(index_regions().values_list("code", "name"))
    rows = [
        (index_year.year, code, names.get(code, ""), values)
        for code, values in sorted(inputs_of(index_year).items())
    ]
    note = _("演示数据（虚构），仅用于演示。") if index_year.demo else ""
    return workbook.build(
        rows, params={"normalisation": index_year.normalisation, "weights": index_year.weights}, note=note
    )


def _number(value) -> str | None:
    return None if value is None else str(calc.rounded(value))


@transaction.atomic(durable=True)
def publish_year(*, year: int, actor, now) -> IndexYear:
    """Freeze the year: its inputs become the downloadable workbook, its results are stored."""
    _require_manage(actor)
    index_year = _open_year(year)
    have = set(index_year.inputs.values_list("region_id", flat=True))
    absent = [r for r in index_regions() if r.code not in have]
    if absent:
        names = "、".join(r.name for r in absent[:10])
        raise ValidationFailed(
            _("尚有%(n)s个地区未录入数据（%(names)s%(more)s），不能发布。")
            % {"n": len(absent), "names": names, "more": _("等") if len(absent) > 10 else ""},
            code="incomplete",
        )
    # Compute from the frozen file itself, so the published results are exactly what anyone gets
    # from the downloadable inputs.
    content = published_workbook(index_year)
    parsed = workbook.read(io.BytesIO(content))
    result = calc.compute(
        workbook.as_inputs(parsed.rows, year),
        normalisation=parsed.params["normalisation"],
        weights=parsed.params["weights"],
    )
    IndexScore.objects.filter(index_year=index_year).delete()
    IndexScore.objects.bulk_create(
        IndexScore(
            index_year=index_year,
            region_id=r.region_code,
            score=calc.rounded(r.score),
            rank=r.rank,
            other_rank=r.other_rank,
            rank_min=r.rank_min,
            rank_max=r.rank_max,
            pillars={k: _number(v) for k, v in r.pillars.items()},
            indicators={k: _number(v) for k, v in r.indicators.items()},
        )
        for r in result.regions
    )
    index_year.status = IndexStatus.PUBLISHED
    index_year.published_at = now
    index_year.published_by = actor
    index_year.inputs_file = content
    index_year.inputs_sha256 = hashlib.sha256(content).hexdigest()
    index_year.save()
    audit.record(
        "innovation_index.year.published",
        actor=actor,
        target=index_year,
        after={"year": year, "regions": len(result.regions), "sha256": index_year.inputs_sha256},
        region_code=PROVINCE,
        now=now,
    )
    return index_year

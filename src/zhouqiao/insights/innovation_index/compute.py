"""The county innovation development index computed from its inputs: one implementation, used by
the ranking page, the publishing service, the ``innovation-index`` command and the tests.

Steps (OECD/JRC *Handbook on Constructing Composite Indicators*, 2008; written out on the
methodology page):

1. Indicators: each is a ratio of two inputs (``framework.INDICATORS``). A missing numerator, or a
   denominator that is missing or 0, leaves the indicator missing for that region.
2. Coverage: a region missing more than a third of the indicators is listed but not ranked, and
   its values take no part in the normalisation of the others.
3. Normalisation over the ranked regions, per indicator: min-max to 0–100 (default) or z-score
   (mean 0, population standard deviation 1). An indicator where "less is better" is reversed.
   An indicator equal for every region scores 50 (min-max) or 0 (z-score) everywhere.
4. Weighting and aggregation: a pillar is the weighted arithmetic mean of its indicators that the
   region has (weights renormalised over those present: a missing indicator is neither zero nor
   imputed); the index is the weighted arithmetic mean of the pillars the region has.
5. Ranking: highest score first; equal scores (to 9 decimals) share a rank ("1, 2, 2, 4").
6. Sensitivity: the index is recomputed SENSITIVITY_DRAWS times, each weight multiplied by a factor
   drawn uniformly from [0.8, 1.2] and the normalisation drawn from both methods, from a fixed
   random seed; each region's lowest and highest rank is reported, and its rank under the other
   normalisation with the published weights.

The arithmetic is in float64 (numpy). The same inputs always give the same floats, so a published
index is recomputed exactly from its published inputs.
"""

from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np

from zhouqiao.insights.innovation_index import framework as fw

TIE_DECIMALS = 9


@dataclass
class RegionScore:
    region_code: str
    indicators: dict[str, float | None]
    normalised: dict[str, float | None]
    pillars: dict[str, float | None]
    score: float | None
    rank: int | None = None
    other_rank: int | None = None  # rank under the other normalisation
    rank_min: int | None = None
    rank_max: int | None = None
    missing: list[str] = field(default_factory=list)

    @property
    def ranked(self) -> bool:
        return self.rank is not None


@dataclass
class IndexResult:
    normalisation: str
    weights: dict
    regions: list[RegionScore]  # ranked first (by rank, then code), unranked after

    def by_code(self) -> dict[str, RegionScore]:
        return {r.region_code: r for r in self.regions}


def _number(value) -> float:
    if value is None or value == "":
        return np.nan
    return float(Decimal(str(value)))


def indicator_matrix(codes: list[str], inputs: dict[str, dict]) -> np.ndarray:
    """n regions × k indicators, NaN where an indicator cannot be computed."""
    matrix = np.full((len(codes), len(fw.INDICATORS)), np.nan)
    for i, code in enumerate(codes):
        row = inputs.get(code, {})
        for j, ind in enumerate(fw.INDICATORS):
            num, den = _number(row.get(ind.numerator)), _number(row.get(ind.denominator))
            if not np.isnan(num) and not np.isnan(den) and den != 0:
                matrix[i, j] = num / den * ind.factor
    return matrix


def normalise(matrix: np.ndarray, method: str) -> np.ndarray:
    out = np.full(matrix.shape, np.nan)
    for j, ind in enumerate(fw.INDICATORS):
        column = matrix[:, j]
        present = ~np.isnan(column)
        if not present.any():
            continue
        values = column[present]
        if method == "zscore":
            std = values.std()
            scaled = (values - values.mean()) / std if std > 0 else np.zeros_like(values)
            if ind.direction < 0:
                scaled = -scaled
        else:
            low, high = values.min(), values.max()
            scaled = (values - low) / (high - low) * 100 if high > low else np.full_like(values, 50.0)
            if ind.direction < 0:
                scaled = 100 - scaled
        out[present, j] = scaled
    return out


def _weighted_mean(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Row-wise weighted mean over the non-missing entries; NaN where a row has none."""
    present = ~np.isnan(values)
    w = np.where(present, weights, 0.0)
    total = w.sum(axis=1)
    sums = (np.where(present, values, 0.0) * w).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, sums / np.where(total > 0, total, 1.0), np.nan)


def aggregate(normalised: np.ndarray, indicator_weights: np.ndarray, pillar_weights: np.ndarray):
    """Pillar scores (n × p) and the composite (n)."""
    pillars = np.full((normalised.shape[0], len(fw.PILLARS)), np.nan)
    for p, pillar in enumerate(fw.PILLAR_CODES):
        cols = [j for j, ind in enumerate(fw.INDICATORS) if ind.pillar == pillar]
        pillars[:, p] = _weighted_mean(normalised[:, cols], indicator_weights[cols])
    return pillars, _weighted_mean(pillars, pillar_weights)


def ranks(scores: np.ndarray) -> np.ndarray:
    """Competition ranks (1 = best), 0 where the score is missing."""
    rounded = np.round(scores, TIE_DECIMALS)
    valid = ~np.isnan(rounded)
    values = np.where(valid, rounded, -np.inf)
    above = (values[None, :] > values[:, None]).sum(axis=1)  # how many score strictly higher
    return np.where(valid, 1 + above, 0).astype(int)


def weight_vectors(weights: dict | None) -> tuple[np.ndarray, np.ndarray]:
    weights = weights or fw.default_weights()
    ind = np.array([float(weights.get("indicators", {}).get(c, 1.0)) for c in fw.INDICATOR_CODES])
    pil = np.array([float(weights.get("pillars", {}).get(c, 1.0)) for c in fw.PILLAR_CODES])
    return ind, pil


def _scores(matrix, method, ind_w, pil_w):
    normalised = normalise(matrix, method)
    pillars, composite = aggregate(normalised, ind_w, pil_w)
    return normalised, pillars, composite


def compute(
    inputs: dict[str, dict],
    *,
    normalisation: str = fw.DEFAULT_NORMALISATION,
    weights: dict | None = None,
    sensitivity: bool = True,
) -> IndexResult:
    """The index of the regions in ``inputs`` ({region code: {input code: value}})."""
    if normalisation not in fw.NORMALISATIONS:
        raise ValueError(normalisation)
    codes = sorted(inputs)
    raw = indicator_matrix(codes, inputs)
    missing_share = np.isnan(raw).mean(axis=1) if codes else np.array([])
    eligible = missing_share <= fw.MAX_MISSING_SHARE + 1e-12
    matrix = raw.copy()
    matrix[~eligible, :] = np.nan
    ind_w, pil_w = weight_vectors(weights)
    normalised, pillars, composite = _scores(matrix, normalisation, ind_w, pil_w)
    rank = ranks(composite)
    other = "zscore" if normalisation == "minmax" else "minmax"
    other_rank = ranks(_scores(matrix, other, ind_w, pil_w)[2])
    low, high = rank.copy(), rank.copy()
    if sensitivity and len(codes) > 1:
        rng = np.random.default_rng(fw.SENSITIVITY_SEED)
        s = fw.SENSITIVITY_SPREAD
        methods = list(fw.NORMALISATIONS)
        for _draw in range(fw.SENSITIVITY_DRAWS):
            iw = ind_w * rng.uniform(1 - s, 1 + s, size=ind_w.shape)
            pw = pil_w * rng.uniform(1 - s, 1 + s, size=pil_w.shape)
            method = methods[int(rng.integers(0, len(methods)))]
            drawn = ranks(_scores(matrix, method, iw, pw)[2])
            low = np.minimum(low, drawn)
            high = np.maximum(high, drawn)
        low, high = np.minimum(low, other_rank), np.maximum(high, other_rank)

    def value(x):
        return None if np.isnan(x) else float(x)

    regions = []
    for i, code in enumerate(codes):
        ranked = bool(rank[i])
        regions.append(
            RegionScore(
                region_code=code,
                indicators={c: value(raw[i, j]) for j, c in enumerate(fw.INDICATOR_CODES)},
                normalised={c: value(normalised[i, j]) for j, c in enumerate(fw.INDICATOR_CODES)},
                pillars={c: value(pillars[i, p]) for p, c in enumerate(fw.PILLAR_CODES)},
                score=value(composite[i]),
                rank=int(rank[i]) if ranked else None,
                other_rank=int(other_rank[i]) if ranked else None,
                rank_min=int(low[i]) if ranked else None,
                rank_max=int(high[i]) if ranked else None,
                missing=[c for j, c in enumerate(fw.INDICATOR_CODES) if np.isnan(raw[i, j])],
            )
        )
    regions.sort(key=lambda r: (r.rank is None, r.rank or 0, r.region_code))
    total_p = pil_w.sum()
    shown = {
        "pillars": {c: float(w / total_p) for c, w in zip(fw.PILLAR_CODES, pil_w, strict=True)},
        "indicators": {c: float(w) for c, w in zip(fw.INDICATOR_CODES, ind_w, strict=True)},
    }
    return IndexResult(normalisation=normalisation, weights=shown, regions=regions)


def rounded(score: float | None, places: int = 6) -> Decimal | None:
    """How a score is stored and shown: half-up to ``places`` decimals."""
    if score is None:
        return None
    return Decimal(repr(score)).quantize(Decimal(1).scaleb(-places), rounding="ROUND_HALF_UP")

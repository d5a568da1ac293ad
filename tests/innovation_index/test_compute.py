"""The index arithmetic against a worked example computed by hand (no database)."""

import math

import pytest

from zhouqiao.insights.innovation_index.compute import compute

COLUMNS = ("population", "gdp", "firms", "fiscal_spending", "rd_expenditure", "fiscal_st_spending",
           "high_tech_enterprises", "contract_turnover", "invention_patents", "vouchers_redeemed", "instrument_hours")  # fmt: skip
# units:     万人   亿元  户    万元  万元   万元 家  万元 件  万元 小时
A = dict(zip(COLUMNS, (10, 100, 1000, 1000, 20000, 20, 5, 100, 30, 10, 100), strict=True))
B = dict(zip(COLUMNS, (20, 100, 2000, 1000, 10000, 10, 20, 400, 20, 20, 100), strict=True))
C = dict(zip(COLUMNS, (10, 50, 1000, 1000, 5000, 30, 0, 0, 10, 0, 0), strict=True))
EXAMPLE = {"220101": A, "220102": B, "220103": C}


def test_worked_example_ranks_as_computed_by_hand():
    """Indicators (framework definitions):

    ====================  ====================  =====  =====  =====
    indicator             formula               A      B      C
    ====================  ====================  =====  =====  =====
    R&D intensity %       rd/(gdp·10000)·100    2      1      1
    fiscal S&T share %    fst/fiscal·100        2      1      3
    high-tech /万户        ht/firms·10000        50     100    0
    turnover 元/人         ct/pop                10     20     0
    patents /万人          pat/pop               3      1      1
    vouchers 万元/万人      vou/pop               1      1      0
    instrument h/万人      hours/pop             10     5      0
    ====================  ====================  =====  =====  =====

    Min-max to 0–100 per indicator (min → 0, max → 100):
    R&D A100 B0 C0; fiscal A50 B0 C100; high-tech A50 B100 C0; turnover A50 B100 C0;
    patents A100 B0 C0; vouchers A100 B100 C0; instruments A100 B50 C0.

    Pillars (equal weights within): input = (R&D + fiscal)/2 → A 75, B 0, C 50;
    output = (high-tech + turnover + patents)/3 → A 66.667, B 66.667, C 0;
    environment = (vouchers + instruments)/2 → A 100, B 75, C 0.

    Index = mean of the three pillars → A (75+66.667+100)/3 = 80.556,
    B (0+66.667+75)/3 = 47.222, C (50+0+0)/3 = 16.667. Ranking: A 1, B 2, C 3.
    """
    result = compute(EXAMPLE).by_code()
    a, b, c = result["220101"], result["220102"], result["220103"]
    assert a.indicators["rd_intensity"] == pytest.approx(2)
    assert b.indicators["high_tech_density"] == pytest.approx(100)
    assert a.normalised["fiscal_st_share"] == pytest.approx(50)
    assert a.pillars == pytest.approx({"input": 75, "output": 200 / 3, "environment": 100})
    assert b.pillars == pytest.approx({"input": 0, "output": 200 / 3, "environment": 75})
    assert c.pillars == pytest.approx({"input": 50, "output": 0, "environment": 0})
    assert a.score == pytest.approx(725 / 9)  # 80.556
    assert b.score == pytest.approx(425 / 9)  # 47.222
    assert c.score == pytest.approx(50 / 3)  # 16.667
    assert [a.rank, b.rank, c.rank] == [1, 2, 3]


def test_weights_are_configurable_and_change_the_ranking():
    """Pillar weights input 4, output 1, environment 1 (normalised to 4/6, 1/6, 1/6):
    A (4·75 + 66.667 + 100)/6 = 77.778; B (0 + 66.667 + 75)/6 = 23.611; C (4·50)/6 = 33.333,
    so C overtakes B."""
    weights = {"pillars": {"input": 4, "output": 1, "environment": 1}, "indicators": {}}
    result = compute(EXAMPLE, weights=weights).by_code()
    assert result["220101"].score == pytest.approx(700 / 9)
    assert result["220102"].score == pytest.approx(85 / 3.6)
    assert result["220103"].score == pytest.approx(100 / 3)
    assert [result[c].rank for c in ("220101", "220103", "220102")] == [1, 2, 3]


def test_zscore_normalisation_is_available():
    """R&D intensity A 2, B 1, C 1: mean 4/3, population sd √(2/9), so A = (2/3)/√(2/9) = √2."""
    result = compute(EXAMPLE, normalisation="zscore").by_code()
    assert result["220101"].normalised["rd_intensity"] == pytest.approx(math.sqrt(2))
    assert result["220102"].normalised["rd_intensity"] == pytest.approx(-math.sqrt(2) / 2)
    assert result["220101"].rank == 1


def test_missing_values_are_neither_zero_nor_imputed_and_thin_regions_are_not_ranked():
    """B without instrument hours: its environment pillar is its vouchers score alone (100, not 75).
    D lacks 3 of 7 indicators (more than a third): listed, not ranked, not part of the min/max."""
    b = dict(B, instrument_hours=None)
    d = dict(A, rd_expenditure=None, invention_patents=None, vouchers_redeemed=None, contract_turnover=10**9)
    result = compute({"220101": A, "220102": b, "220103": C, "220104": d}).by_code()
    assert result["220102"].pillars["environment"] == pytest.approx(100)
    assert result["220104"].rank is None and result["220104"].score is None
    assert result["220102"].normalised["contract_turnover_per_capita"] == pytest.approx(
        100
    )  # D's huge value ignored


def test_equal_scores_share_a_rank_and_sensitivity_gives_rank_ranges():
    result = compute({"220101": A, "220102": dict(A), "220103": C}).by_code()
    assert result["220101"].rank == result["220102"].rank == 1
    assert result["220103"].rank == 3
    ranks = compute(EXAMPLE).by_code()
    for r in ranks.values():
        assert r.rank_min <= r.rank <= r.rank_max
    assert compute(EXAMPLE).regions == compute(EXAMPLE).regions  # a fixed seed: the same every time

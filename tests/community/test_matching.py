"""Expert relevance: text, discipline and industry, explained in Chinese; fast at 1,000 × 3,000."""

import random
import time

import numpy as np
import pytest

from tests.community.helpers import make_expert
from zhouqiao.community.matching import (
    DISCIPLINE_NEAR,
    DISCIPLINE_SAME,
    INDUSTRY_NEAR,
    INDUSTRY_SAME,
    ExpertProfile,
    ItemProfile,
    expert_profiles,
    experts_for,
    explain,
    relevance_matrix,
)
from zhouqiao.community.models import ExpertStatus

pytestmark = pytest.mark.django_db

SIC = "碳化硅功率器件封装，车规级功率模块银烧结与热管理"
WELD = "铝合金焊接变形控制，激光焊接工艺与焊缝质量检测"


def profile(pk, text="", disciplines=(), industries=()):
    return ExpertProfile(
        id=pk,
        text=text,
        disciplines=frozenset(disciplines),
        industries=frozenset(industries),
        region="220102",
    )


def test_text_ranks_the_expert_who_knows_the_subject_first(reference):
    item = ItemProfile(text="寻求碳化硅功率模块的低温银烧结封装方案")
    scores = relevance_matrix([item], [profile(1, WELD), profile(2, SIC)])
    assert scores.shape == (1, 2)
    assert scores[0, 1] > scores[0, 0] >= 0


def test_a_contained_discipline_counts_more_than_a_shared_parent(reference):
    item = ItemProfile(text="", disciplines=frozenset({"46025"}))  # 机械制造工艺与设备
    experts = [
        profile(1, disciplines={"4602515"}),  # 焊接工艺与设备 — inside 46025
        profile(2, disciplines={"460"}),  # 机械工程 — contains 46025
        profile(3, disciplines={"46015"}),  # 机械学 — only the parent 460 in common
        profile(4, disciplines={"110"}),  # 数学
    ]
    scores = relevance_matrix([item], experts)[0]
    assert list(scores) == pytest.approx([DISCIPLINE_SAME, DISCIPLINE_SAME, DISCIPLINE_NEAR, 0.0])


def test_industry_bonus(reference):
    item = ItemProfile(text="", industries=frozenset({"3670"}))  # 汽车零部件及配件制造
    experts = [profile(1, industries={"36"}), profile(2, industries={"3610"}), profile(3, industries={"26"})]
    scores = relevance_matrix([item], experts)[0]
    assert list(scores) == pytest.approx([INDUSTRY_SAME, INDUSTRY_NEAR, 0.0])


def test_explain_names_fields_and_shared_keywords(reference):
    item = ItemProfile(text="碳化硅功率器件的封装可靠性", disciplines=frozenset({"4602515"}))
    expert = profile(1, "碳化硅 功率器件 电力电子", disciplines={"460"})
    reason = explain(item, expert)
    assert reason.startswith("学科相同：机械工程；关键词：")
    assert "碳化硅" in reason and "功率器件" in reason
    near = explain(
        ItemProfile(text="", disciplines=frozenset({"46015"})), profile(2, "", disciplines={"46025"})
    )
    assert near == "学科相近：机械工程"


def test_experts_for_returns_only_approved_available_experts_best_first(reference):
    sic = make_expert(name="王芯", keywords="碳化硅、功率器件、封装", disciplines=["4601510"])
    weld = make_expert(name="赵焊", keywords="焊接、铝合金、变形控制")
    make_expert(name="钱待", keywords="碳化硅、功率器件、封装", status=ExpertStatus.APPLIED)
    make_expert(name="孙忙", keywords="碳化硅、功率器件、封装", available=False)
    make_expert(name="李停", keywords="碳化硅、功率器件、封装", status=ExpertStatus.SUSPENDED)
    item = ItemProfile(text="车规级碳化硅功率器件封装")
    found = experts_for(item, limit=5)
    assert [e.name for e, _, _ in found] == ["王芯"]
    expert, score, reason = found[0]
    assert score > 0 and "碳化硅" in reason
    assert experts_for(item, exclude_ids=[sic.pk]) == []
    assert [e for e, _, _ in experts_for(ItemProfile(text="铝合金焊接"))] == [weld]


def test_profiles_carry_keywords_and_codes(reference):
    expert = make_expert(keywords="氢燃料电池", disciplines=["4601510"], industries=["3670"])
    [p] = expert_profiles([expert])
    assert p.id == expert.pk and "氢燃料电池" in p.text and "机械原理与机构学" in p.text
    assert p.disciplines == {"4601510"} and p.industries == {"3670"} and p.region == "220102"


def test_a_thousand_items_against_three_thousand_experts_in_seconds(reference):
    rng = random.Random(7)
    words = (
        SIC.replace("，", "") + WELD.replace("，", "") + "氢能燃料电池催化剂玉米深加工生物发酵人参皂苷提取"
    )
    vocab = [words[i : i + 2] for i in range(0, len(words) - 1, 2)] + [f"型号{n}" for n in range(300)]
    codes = ["460", "46025", "4602515", "46015", "110", "416", "4161020", "180"]
    inds = ["36", "3670", "3610", "26", "2710", "13"]

    def text():
        return "".join(rng.choice(vocab) for _ in range(40))

    items = [
        ItemProfile(
            text=text(),
            disciplines=frozenset(rng.sample(codes, 1)),
            industries=frozenset(rng.sample(inds, 1)),
        )
        for _ in range(1000)
    ]
    experts = [
        profile(i, text(), disciplines=rng.sample(codes, 2), industries=rng.sample(inds, 1))
        for i in range(3000)
    ]
    relevance_matrix(items[:1], experts)  # segmentation is memoised per text: time the scoring
    relevance_matrix(items, experts[:1])
    started = time.perf_counter()
    scores = relevance_matrix(items, experts)
    elapsed = time.perf_counter() - started
    assert scores.shape == (1000, 3000) and (scores >= 0).all() and np.isfinite(scores).all()
    # ~1 s on a quiet machine; a Python loop over the 3M pairs alone would take longer than this.
    assert elapsed < 6, elapsed

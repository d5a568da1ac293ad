"""Ranking behaviour a user notices: a title finds its own record first, "more like this" stays on
the topic of the record it starts from, and the optional e5 signal changes the order only when
supplied. Small hand-made corpus of three topics; the throwaway index of ``search-eval`` for the
pure cases, the database index (SQLite or PostgreSQL) for the production path."""

import numpy as np
import pytest

from zhouqiao.search import indexing
from zhouqiao.search.analysis import Analyzer, get_analyzer
from zhouqiao.search.evaluation import _Connection
from zhouqiao.search.models import SearchDocument
from zhouqiao.search.ranking import Ranker, SemanticModel

from .conftest import NOW

TOPICS = {
    "battery": [
        (
            "高镍三元正极材料的包覆改性",
            "采用氧化铝包覆高镍三元正极材料，提高锂离子电池的循环寿命和热稳定性。",
        ),
        ("硅碳负极的预锂化工艺", "通过预锂化补偿硅碳负极首次充放电的容量损失，提升锂离子电池能量密度。"),
        (
            "固态电解质界面阻抗的降低",
            "在固态电解质与正极之间引入缓冲层，降低界面阻抗，改善固态电池倍率性能。",
        ),
        ("磷酸铁锂电池低温充电方法", "采用脉冲加热与分段恒流充电，使磷酸铁锂电池在零下二十度仍可安全充电。"),
        ("电池管理系统的荷电状态估计", "基于扩展卡尔曼滤波估计动力电池荷电状态，误差小于百分之二。"),
        ("锂离子电池隔膜的陶瓷涂覆", "在聚乙烯隔膜表面涂覆陶瓷颗粒，提高电池的耐热性和电解液浸润性。"),
        ("动力电池梯次利用的筛选", "按容量衰减和内阻对退役动力电池分选重组，用于储能电站。"),
        (
            "电解液添加剂抑制锂枝晶",
            "加入氟代碳酸乙烯酯添加剂形成稳定界面膜，抑制负极锂枝晶生长，延长电池寿命。",
        ),
    ],
    "rice": [
        ("寒地水稻抗倒伏品种选育", "以吉林寒地粳稻为材料，选育茎秆粗壮、抗倒伏的水稻新品种，产量提高一成。"),
        ("水稻侧深施肥技术", "插秧同时将缓释肥料施于秧苗侧下方，减少氮肥用量，提高水稻产量。"),
        ("盐碱地水稻育苗基质", "以腐殖酸和秸秆炭配制育苗基质，改善盐碱地水稻秧苗素质和成活率。"),
        ("稻瘟病的绿色防控", "利用抗病品种轮换和生物农药防治稻瘟病，减少化学农药用量。"),
        ("水稻节水灌溉制度", "浅湿干交替灌溉结合土壤水分监测，节约稻田灌溉用水三成。"),
        ("稻田养蟹综合种养模式", "在稻田中放养河蟹，稻蟹共生，减少农药化肥，提高稻田综合收益。"),
        ("水稻秸秆还田腐熟", "秸秆粉碎配合腐熟菌剂还田，提高稻田土壤有机质含量。"),
        ("优质粳稻米食味品质评价", "测定直链淀粉和蛋白质含量，建立粳稻米食味品质评价方法。"),
    ],
    "medicine": [
        ("人参皂苷的提取纯化", "采用超声辅助提取和大孔树脂纯化人参皂苷，得率提高百分之十五。"),
        ("五味子多糖的抗氧化活性", "研究五味子多糖清除自由基的能力，评价其抗氧化和保肝作用。"),
        ("鹿茸多肽的制备", "以酶解法制备鹿茸多肽，考察其促进成骨细胞增殖的药理作用。"),
        ("中药复方治疗糖尿病肾病", "观察益气养阴中药复方对糖尿病肾病患者尿蛋白和肾功能的影响。"),
        ("刺五加注射液的质量标准", "建立刺五加注射液指纹图谱和含量测定方法，控制中药注射剂质量。"),
        ("林蛙油的免疫调节作用", "给小鼠灌胃林蛙油，测定免疫器官指数和细胞因子，评价免疫调节作用。"),
        ("北五味子炮制工艺优化", "以木脂素含量为指标优化醋五味子的炮制工艺，保证中药饮片质量。"),
        ("人参栽培中的连作障碍", "分析人参连作土壤中致病菌和自毒物质，提出轮作与土壤修复措施。"),
    ],
}
RECORDS = [(topic, title, text) for topic, rows in TOPICS.items() for title, text in rows]


class Index:
    """The search-eval pipeline (FTS5 BM25 candidates, corpus-fitted model) over ``RECORDS``."""

    def __init__(self, fitted=True, embeddings=None):
        from zhouqiao.search.analysis import grams
        from zhouqiao.search.backends import FulltextRow, PlainSqlite, SqliteFts

        self.analyzer = Analyzer()
        self.db = PlainSqlite()
        backend = SqliteFts()
        cursor = self.db.cursor()
        for sql in [*backend.create_sql, *backend.gram_create_sql]:
            cursor.execute(sql)
        self.stored = {}
        for i, (_, title, text) in enumerate(RECORDS):
            body = title + "\n" + text
            self.stored[i] = (self.analyzer.index_terms(body), body)
            backend.put(cursor, [FulltextRow(i, "", " ".join(self.stored[i][0]), [], grams(body))])
        self.db.commit()
        model = SemanticModel.fit(list(self.stored.values()), k=8) if fitted else None
        self.ranker = Ranker(
            backend,
            _Connection(self.db),
            self.analyzer,
            lambda ids: {i: self.stored[i] for i in ids},
            model,
            embeddings=embeddings,
        )

    def similar(self, i, limit=5, **kw):
        terms, body = self.stored[i]
        return [j for j, _ in self.ranker.similar(body, limit=limit, exclude={i}, terms=terms, **kw)]


def topic(i):
    return RECORDS[i][0]


def test_each_title_finds_its_own_record_first():
    index = Index()
    for i, (_, title, _) in enumerate(RECORDS):
        assert index.ranker.search(title, limit=3)[0][0] == i, title


def test_without_a_fitted_model_more_like_this_is_plain_bm25_and_still_on_topic():
    index = Index(fitted=False)
    pairs = [(i, index.similar(i)) for i in range(len(RECORDS))]
    assert on_topic(pairs)[0] >= 0.6


def on_topic(pairs):
    """Share of found records on the topic of their start record (a third by chance), and how
    many start records have an on-topic first neighbour."""
    found = [(i, j) for i, js in pairs for j in js]
    first = sum(1 for i, js in pairs if js and topic(js[0]) == topic(i))
    return sum(topic(i) == topic(j) for i, j in found) / len(found), first


def test_more_like_this_stays_on_the_topic_of_the_record():
    index = Index()
    pairs = [(i, index.similar(i)) for i in range(len(RECORDS))]
    assert all(i not in found for i, found in pairs)
    precision, first = on_topic(pairs)
    assert precision >= 0.7
    assert first >= 20


def test_a_record_of_another_topic_sharing_one_word_ranks_below_the_topic():
    # 人参栽培中的连作障碍 shares 土壤 with the rice records, but its neighbours are the 人参 records.
    index = Index()
    start = next(i for i, r in enumerate(RECORDS) if r[1] == "人参栽培中的连作障碍")
    found = index.similar(start)
    assert topic(found[0]) == "medicine"
    assert RECORDS[found[0]][1] == "人参皂苷的提取纯化"


def test_the_e5_signal_is_used_only_when_the_caller_supplies_vectors():
    # Fake "embeddings" that call a rice record the twin of a battery record: with the vectors the
    # battery record's neighbours include it; without them, they do not.
    battery = 0
    twin = next(i for i, r in enumerate(RECORDS) if r[1] == "寒地水稻抗倒伏品种选育")
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(len(RECORDS), 16)).astype(np.float32)
    vectors[twin] = vectors[battery]
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    index = Index(embeddings=lambda ids: {i: vectors[i] for i in ids})
    assert twin not in index.similar(battery)
    # The twin holds a candidate slot (a shared word: 提高) from which the e5 signal lifts it.
    assert twin in index.similar(battery, limit=24)
    assert twin in index.similar(battery, vector=vectors[battery])


@pytest.mark.django_db
@pytest.mark.usefixtures("fresh_analyzer")
def test_the_database_index_ranks_more_like_this_by_topic():
    analyzer = get_analyzer()
    indexing.write_documents(
        [
            SearchDocument(
                kind="achievement",
                object_id=i + 1,
                **indexing._document_values(
                    "achievement", {"title": title, "text": text, "published_at": NOW}, analyzer, NOW
                ),
            )
            for i, (_, title, text) in enumerate(RECORDS)
        ]
    )
    assert indexing.fit_semantic_model(now=NOW) is not None
    by_pk = {d.pk: d.object_id - 1 for d in SearchDocument.objects.all()}
    ranker = indexing.ranker()
    pairs = []
    for pk, i in by_pk.items():
        text = RECORDS[i][1] + "\n" + RECORDS[i][2]
        pairs.append((i, [by_pk[j] for j, _ in ranker.similar(text, limit=5, exclude={pk})]))
    assert all(i not in found for i, found in pairs)
    precision, first = on_topic(pairs)
    assert precision >= 0.7
    assert first >= 20
    top = ranker.search("人参皂苷的提取纯化", limit=1)
    assert by_pk[top[0][0]] == next(i for i, r in enumerate(RECORDS) if r[1] == "人参皂苷的提取纯化")

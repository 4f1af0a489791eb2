"""Clustering: average link without chaining, near-copies, the estimator contract, stable ids."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import zlib

import numpy as np
import pytest

import samestory
from samestory import Article
from samestory.cluster import ClusterOptions, NearDuplicateOptions, StoryClusterer
from samestory.cluster import estimator as estimator_module
from samestory.cluster import pipeline as pipeline_module
from samestory.cluster.linking import average_link
from samestory.cluster.neardup import lsh_bands, minhash_signatures, near_duplicate_groups
from samestory.store import open_store

DIM = 512


def _unit(vector: np.ndarray) -> np.ndarray:
    return (vector / np.linalg.norm(vector)).astype(np.float32)


def _basis(seed: int) -> np.ndarray:
    return _unit(np.random.default_rng(seed).standard_normal(DIM))


# Fake embeddings: the first word of a text names its vector. Tests stay fast and exact.
VECTORS: dict[str, np.ndarray] = {}


def _fake_embed(texts):
    out = []
    for text in texts:
        key = text.split()[0]
        if key not in VECTORS:
            VECTORS[key] = _basis(zlib.crc32(key.encode()))
        out.append(VECTORS[key])
    return np.vstack(out) if out else np.zeros((0, DIM), np.float32)


@pytest.fixture
def fake_embeddings(monkeypatch):
    monkeypatch.setattr(estimator_module, "embed_probes", _fake_embed)
    monkeypatch.setattr(pipeline_module, "embed_probes", _fake_embed)
    VECTORS.clear()
    return VECTORS


def _near(base: np.ndarray, noise: float, seed: int) -> np.ndarray:
    return _unit(base + noise * np.random.default_rng(seed).standard_normal(DIM) / np.sqrt(DIM))


def test_average_link_does_not_chain_through_a_bridge():
    a, b = _basis(1), _basis(2)
    group_a = [_near(a, 0.3, i) for i in range(5)]
    group_b = [_near(b, 0.3, 10 + i) for i in range(5)]
    bridge = _unit(a + b)  # ~0.7 to both groups
    vectors = np.vstack([*group_a, *group_b, bridge])
    edges = np.array([(i, j) for i in range(11) for j in range(i + 1, 11)])
    labels, _ = average_link(vectors, np.arange(11), edges, threshold=0.6)
    assert len(set(labels[:5])) == 1 and len(set(labels[5:10])) == 1
    assert labels[0] != labels[5]  # single link would glue both groups through the bridge


def test_average_link_keeps_the_smallest_cluster_number():
    v = _basis(3)
    labels, merges = average_link(np.vstack([v, v, v]), [4, 1, 7], np.array([[0, 1], [1, 2]]), 0.5)
    assert labels.tolist() == [1, 1, 1]
    assert {keep for _, keep, _ in merges} == {1}


def test_silhouettes_against_every_item_match_scikit_learn():
    from sklearn.metrics import silhouette_samples

    from samestory.cluster.core import silhouettes

    rng = np.random.default_rng(3)
    vectors = rng.standard_normal((240, 24))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    labels = rng.integers(0, 9, 240)
    labels[7] = 50  # a story of one: silhouette 0
    expected = silhouette_samples(vectors, labels, metric="cosine")
    sample = rng.permutation(240)[:100]
    got = silhouettes(vectors.astype(np.float32), labels, sample, block=32)
    assert np.allclose(got, expected[sample], atol=1e-5)


def test_cuts_within_one_standard_error_of_the_best_are_ties_won_by_fewer_stories(monkeypatch):
    from samestory.cluster import core

    # the silhouette each cut scores, lowest threshold first: 0.35 is best, 0.25 and 0.30
    # are within one standard error of it (0.01 here), 0.20 is not
    means = iter([0.10, 0.26, 0.292, 0.295, 0.30, 0.28, 0.2, 0.1, 0.05, 0.01])
    noise = np.tile([-1.0, 1.0], 200) * 0.2  # standard deviation 0.2, 400 items: SE 0.01

    def fake_silhouettes(unit, labels, sample, block=500):
        return next(means) + noise

    monkeypatch.setattr(core, "silhouettes", fake_silhouettes)
    vectors = np.vstack([_near(_basis(i // 4), 0.5, i) for i in range(40)])
    initial = np.arange(40)
    edges = np.array([(i, j) for i in range(40) for j in range(i + 1, 40)])
    assert core.choose_threshold(vectors, initial, edges) == 0.25


def test_lexical_model_round_trip_keeps_its_digest_and_reads_older_files():
    import io
    import json

    from samestory.cluster.lexical import LexicalModel

    texts = [f"Storm {word} hits the coast near {place}" for word in ("Ana", "Bo", "Cy")
             for place in ("Lisbon", "Porto", "Faro", "Braga")]  # fmt: skip
    model = LexicalModel.fit(texts)
    loaded = LexicalModel.from_bytes(model.to_bytes())
    assert loaded.__dict__["digest"] == model.digest  # read back, not hashed again
    assert np.array_equal(loaded.transform(texts[:3]), model.transform(texts[:3]))
    # a model saved before the digest was (compressed, no digest) is hashed on first use
    buffer = io.BytesIO()
    terms = sorted(model.vocabulary, key=model.vocabulary.__getitem__)
    np.savez_compressed(
        buffer, idf=model.idf, components=model.components,
        terms=np.frombuffer(json.dumps(terms).encode("utf-8"), dtype=np.uint8),
        fitted_on=np.array([model.fitted_on]),
    )  # fmt: skip
    assert LexicalModel.from_bytes(buffer.getvalue()).digest == model.digest


def test_a_handful_of_unrelated_texts_stay_apart_in_the_lexical_space():
    """Fitted on a few texts, the LSA space keeps one dimension per text: fewer would fold
    unrelated texts onto one axis, where after scaling they are parallel (cosine ±1)."""
    from samestory.cluster.lexical import LexicalModel

    texts = [
        "Springfield mayor resigns after a funding scandal and will move to Chicago",
        "Real Madrid beat Liverpool 1-0 in the Champions League final in Paris",
        "Floods displace thousands in Dhaka after a week of monsoon rain",
    ]
    for n in (2, 3):
        vectors = LexicalModel.fit(texts[:n]).transform(texts[:n])
        cosines = vectors @ vectors.T
        assert np.abs(cosines[~np.eye(n, dtype=bool)]).max() < 0.3, cosines


def test_near_copies_are_grouped_and_distinct_texts_are_not():
    base = (
        "The river burst its banks on Monday night, flooding the old town and forcing "
        "two hundred families to leave their homes, the mayor said at a press conference. "
        "Rescue teams worked through the night and the army sent boats to the lower districts."
    )
    copy = base + " Reporting by Jane Doe."
    other = (
        "The central bank raised interest rates by half a point on Thursday, its third "
        "increase this year, citing stubborn inflation in services and a tight labour market."
    )
    options = NearDuplicateOptions()
    signatures = minhash_signatures([base, other, copy], options)
    assert signatures.shape == (3, options.num_perm) and signatures.dtype == np.uint32
    assert near_duplicate_groups(signatures, options) == [[0, 2]]
    bands, rows = lsh_bands(0.8, 128)
    assert bands * rows <= 128 and rows > 1


def test_story_clusterer_follows_the_estimator_contract(fake_embeddings):
    clusterer = StoryClusterer(threshold=0.6, window_days=None, lexical_weight=0.0)
    assert clusterer.get_params()["threshold"] == 0.6
    assert not hasattr(clusterer, "labels_")  # __init__ only stores parameters
    texts = ["alpha one", "beta one", "alpha two", "beta two", "gamma one"]
    assert clusterer.fit(texts) is clusterer
    labels = clusterer.labels_
    assert len(labels) == 5
    assert labels[0] == labels[2] and labels[1] == labels[3]
    assert len({labels[0], labels[1], labels[4]}) == 3
    before = labels.copy()
    assert clusterer.partial_fit(["alpha three", "delta one"]) is clusterer
    assert clusterer.labels_[:5].tolist() == before.tolist()  # existing labels never change
    assert clusterer.labels_[5] == before[0]
    assert clusterer.labels_[6] not in set(before.tolist())
    assert clusterer.fit_predict(texts).tolist() == before.tolist()  # fit starts afresh
    with pytest.raises(ValueError, match="invalid parameter"):
        clusterer.set_params(colour="red")
    with pytest.raises(ValueError, match="threshold"):
        StoryClusterer(threshold=3.0).fit(texts)
    with pytest.raises(
        samestory.InputError, match=r"X\[0\]: StoryClusterer takes Articles or texts"
    ):
        StoryClusterer().fit([42])
    with pytest.raises(samestory.InputError, match="a single text"):
        StoryClusterer().fit("one text")  # not eight one-letter articles
    with pytest.raises(samestory.InputError, match=r"X\[1\]: a text without words"):
        StoryClusterer().fit(["a report", "  !!  "])
    assert repr(StoryClusterer(threshold=0.4)) == "StoryClusterer(threshold=0.4)"
    from sklearn.base import clone, is_clusterer

    assert (
        is_clusterer(StoryClusterer()) and clone(clusterer).get_params() == clusterer.get_params()
    )
    assert samestory.StoryClusterer is StoryClusterer


def test_story_clusterer_stops_at_n_clusters(fake_embeddings):
    texts = [f"{w} {i}" for w in ("alpha", "beta", "gamma") for i in range(3)]
    labels = StoryClusterer(n_clusters=2, window_days=None, lexical_weight=0.0).fit(texts).labels_
    assert len(set(labels.tolist())) == 2


def _articles(spec: list[tuple[str, str]]) -> list[Article]:
    day = dt.date(2024, 5, 1)
    return [
        Article(title=key, text=f"{key} {body}", lang="en", published=day) for key, body in spec
    ]


OPTIONS = ClusterOptions(threshold=0.5, lexical_weight=0.0)


def test_story_ids_are_stable_across_add_and_merges_are_recorded(tmp_path, fake_embeddings):
    a, b = _basis(101), _basis(202)
    b = _unit(b - (b @ a) * a)  # orthogonal to a
    fake_embeddings["pa"] = a
    fake_embeddings["pb"] = _unit(0.45 * a + np.sqrt(1 - 0.45**2) * b)  # 0.45 to pa: apart
    fake_embeddings["pc"] = _unit(fake_embeddings["pa"] + fake_embeddings["pb"])  # bridges
    fake_embeddings["pd"] = _basis(303)
    db = tmp_path / "stories.db"
    with open_store(db) as store:
        report = pipeline_module.cluster_articles(
            store, _articles([("pa", "first report"), ("pb", "second report")]), OPTIONS
        )
        assert report.new_stories == 2
        before = store.memberships()
        first_ids = set(before.values())
        report = pipeline_module.cluster_articles(
            store,
            _articles([("pc", "a bridging report"), ("pc", "another bridge"), ("pd", "else")]),
            OPTIONS,
        )
        after = store.memberships()
        assert report.merges == 1 and report.new_stories == 1
        survivor = before[_articles([("pa", "first report")])[0].id]  # the older story
        absorbed = (first_ids - {survivor}).pop()
        assert store.resolve(absorbed) == survivor  # the old id still resolves
        assert {after[i] for i in before} == {survivor}
        assert store.merges()[0][:2] == (absorbed, survivor)
        assert store.story_count() == 2
        # adding the same articles again changes nothing
        again = pipeline_module.cluster_articles(store, _articles([("pd", "else")]), OPTIONS)
        assert again.new_articles == 0 and again.linked == 0
        assert store.memberships() == after


def test_a_fixed_threshold_is_kept_and_a_new_one_regroups(tmp_path, fake_embeddings):
    a, b = _basis(101), _basis(202)
    b = _unit(b - (b @ a) * a)
    fake_embeddings["pa"] = a
    fake_embeddings["pb"] = _unit(0.6 * a + np.sqrt(1 - 0.6**2) * b)  # 0.6 to pa
    fake_embeddings["pc"] = _unit(0.6 * a - np.sqrt(1 - 0.6**2) * b)  # 0.6 to pa
    defaults = ClusterOptions(lexical_weight=0.0)
    with open_store(tmp_path / "s.db") as store:
        first = pipeline_module.cluster_articles(
            store, _articles([("pa", "first"), ("pb", "second")]),
            dataclasses.replace(defaults, threshold=0.9),
        )  # fmt: skip
        assert first.new_stories == 2
        # a later run without --threshold links with the one given, not the provisional 0.30
        later = pipeline_module.cluster_articles(store, _articles([("pc", "third")]), defaults)
        assert later.threshold == 0.9 and store.story_count() == 3
        # the same store grouped again with another threshold: regrouped, ids carried
        ids = set(store.memberships().values())
        again = pipeline_module.cluster_articles(
            store, [], dataclasses.replace(defaults, threshold=0.5)
        )
        assert again.regrouped and again.threshold == 0.5
        # pa and pb (0.6) join; pc is 0.6 to pa but -0.28 to pb: 0.16 on average, apart
        assert store.story_count() == 2 and set(store.memberships().values()) <= ids


def test_nothing_is_embedded_twice(tmp_path, monkeypatch, fake_embeddings):
    calls: list[int] = []

    def counting(texts):
        calls.append(len(texts))
        return _fake_embed(texts)

    monkeypatch.setattr(pipeline_module, "embed_probes", counting)
    db = tmp_path / "s.db"
    same_text = [
        Article(title="pa", text="pa the same words", url=f"https://site{i}.example/x", lang="en")
        for i in range(3)
    ]
    with open_store(db) as store:
        pipeline_module.cluster_articles(store, same_text, OPTIONS)
        pipeline_module.cluster_articles(store, same_text, OPTIONS)
        assert sum(calls) == 1
        assert store.article_count() == 3
        assert store.story_count() == 1
        assert len(set(store.near_duplicate_groups().values())) == 1


def test_near_copies_take_their_originals_vector(tmp_path, monkeypatch, fake_embeddings):
    calls: list[str] = []

    def counting(texts):
        calls.extend(texts)
        return _fake_embed(texts)

    monkeypatch.setattr(pipeline_module, "embed_probes", counting)
    words = " ".join(f"word{i}" for i in range(60))
    original = Article(title="pa", text=f"pa {words} end.", lang="en")
    copy = Article(title="pa", text=f"pa {words} end. Reporting by A.", lang="en")  # edited
    other = Article(title="pb", text="pb " + " ".join(f"other{i}" for i in range(60)), lang="en")
    with open_store(tmp_path / "s.db") as store:
        report = pipeline_module.cluster_articles(store, [original, other], OPTIONS)
        assert report.embedded == 2 and report.copies_sharing_vectors == 0
        report = pipeline_module.cluster_articles(store, [copy], OPTIONS)  # a later copy
        assert report.embedded == 0 and report.copies_sharing_vectors == 1
        kind = f"probe:{OPTIONS.probe_chars}"
        vectors = store.vectors(kind)
        assert len(vectors) == 3
        hashes = {h for _, h, _ in store.article_index()}
        assert len(hashes) == 3
        assert len({v.tobytes() for v in vectors.values()}) == 2
        assert len(calls) == 2
    with open_store(tmp_path / "one.db") as store:  # the copy in the same run as its original
        report = pipeline_module.cluster_articles(store, [copy, original, other], OPTIONS)
        assert report.embedded == 2 and report.copies_sharing_vectors == 1
        assert len(set(store.memberships().values())) == 2
    with open_store(tmp_path / "all.db") as store:
        report = pipeline_module.cluster_articles(
            store, [original, copy, other], dataclasses.replace(OPTIONS, copies_share_vectors=False)
        )
        assert report.embedded == 3 and report.copies_sharing_vectors == 0


def test_a_refused_merge_is_not_made():
    v = _basis(5)
    vectors = np.vstack([v, v, _near(v, 0.2, 1)])
    edges = np.array([[0, 1], [1, 2], [0, 2]])
    asked: list[tuple[list[int], list[int]]] = []

    def refuse_row_two(rows_a, rows_b, similarity):
        asked.append((list(rows_a), list(rows_b)))
        return 2 not in rows_a and 2 not in rows_b

    labels, _ = average_link(vectors, [0, 1, 2], edges, 0.5, verify=refuse_row_two)
    assert labels.tolist() == [0, 0, 2]
    assert asked  # the verifier saw member rows of both sides


def _split_scenario(fake_embeddings) -> None:
    """a1 and b1 are alike (0.55); later articles pull them apart into two events."""
    e1, e2 = _basis(11), _basis(12)
    e2 = _unit(e2 - (e2 @ e1) * e1)

    def at(degrees: float) -> np.ndarray:
        angle = np.radians(degrees)
        return _unit(np.cos(angle) * e1 + np.sin(angle) * e2)

    fake_embeddings["a1"] = at(0.0)
    fake_embeddings["b1"] = at(np.degrees(np.arccos(0.55)))
    for n in range(4):
        fake_embeddings[f"ax{n}"] = at(-20.0 - n)
        fake_embeddings[f"bx{n}"] = at(np.degrees(np.arccos(0.55)) + 20.0 + n)


def test_partial_fit_revises_early_stories_and_keeps_their_ids(fake_embeddings):
    _split_scenario(fake_embeddings)
    clusterer = StoryClusterer(threshold=0.5, window_days=None, lexical_weight=0.0)
    first = clusterer.fit(["a1 the first report", "b1 the second report"]).labels_.copy()
    assert first[0] == first[1]  # alike enough, with nothing else known
    later = [f"{key}{n} report number {n} of {key}" for key in ("ax", "bx") for n in range(4)]
    labels = clusterer.partial_fit(later).labels_
    assert labels[0] == first[0]  # the story keeps its id, on its bulk (ties: the first met)
    assert labels[1] != first[0] and labels[1] not in set(first.tolist())  # b1 split off
    assert len(set(labels[2:6].tolist()) | {labels[0]}) == 1
    assert len(set(labels[6:].tolist()) | {labels[1]}) == 1
    # the same articles in one batch give the same partition
    batch = StoryClusterer(threshold=0.5, window_days=None, lexical_weight=0.0)
    batch_labels = batch.fit(["a1 the first report", "b1 the second report", *later]).labels_
    same = batch_labels[:, None] == batch_labels[None, :]
    assert (same == (labels[:, None] == labels[None, :])).all()
    # without regrouping, a story once formed is never split
    never = StoryClusterer(threshold=0.5, window_days=None, lexical_weight=0.0, regroup_share=None)
    never.fit(["a1 the first report", "b1 the second report"]).partial_fit(later)
    assert never.labels_[0] == never.labels_[1]


def test_partial_fit_records_a_merge_when_a_regroup_joins_two_stories(fake_embeddings):
    e1, e2 = _basis(21), _basis(22)
    e2 = _unit(e2 - (e2 @ e1) * e1)
    fake_embeddings["pa"] = e1
    fake_embeddings["pb"] = _unit(0.45 * e1 + np.sqrt(1 - 0.45**2) * e2)
    fake_embeddings["pc"] = _unit(fake_embeddings["pa"] + fake_embeddings["pb"])
    clusterer = StoryClusterer(threshold=0.5, window_days=None, lexical_weight=0.0)
    first = clusterer.fit(["pa first", "pb second"]).labels_.copy()
    assert first[0] != first[1]
    labels = clusterer.partial_fit(["pc a bridge", "pc another bridge"]).labels_
    assert set(labels.tolist()) == {first[0]}  # the older id survives
    assert clusterer.merges_[-1][:2] == (first[1], first[0])


def test_add_regroups_the_store_and_keeps_story_ids(tmp_path, fake_embeddings):
    _split_scenario(fake_embeddings)
    db = tmp_path / "split.db"
    with open_store(db) as store:
        pipeline_module.cluster_articles(
            store, _articles([("a1", "the first report"), ("b1", "the second report")]), OPTIONS
        )
        (story,) = set(store.memberships().values())
        later = [
            (f"{key}{n}", f"report number {n} of {key}") for key in ("ax", "bx") for n in range(4)
        ]
        report = pipeline_module.cluster_articles(store, _articles(later), OPTIONS)
        assert report.regrouped and report.moved == 1 and report.linked == 8
        after = store.memberships()
        a1, b1 = (
            a.id for a in _articles([("a1", "the first report"), ("b1", "the second report")])
        )
        assert after[a1] == story and after[b1] != story
        assert store.story_count() == 2 and store.resolve(story) == story
        # a small addition (< 10 % of the store) links without regrouping
        many = [(f"ax{n % 4}", f"more on ax, part {n}") for n in range(20)]
        pipeline_module.cluster_articles(store, _articles(many), OPTIONS)
        report = pipeline_module.cluster_articles(store, _articles([("bx0", "late news")]), OPTIONS)
        assert not report.regrouped and report.moved == 0
        assert store.memberships()[a1] == story


def _stub_check(lengths: dict[int, int] | None = None):  # type: ignore[no-untyped-def]
    """A ``PairModelCheck`` over numbered rows: texts of ``lengths`` characters (10,000 by
    default), the pair model's answer left to the test's ``score_pairs``."""
    from samestory.cluster.pipeline import PairModelCheck

    class Stub(PairModelCheck):
        def _length(self, row):
            return (lengths or {}).get(row, 10_000)

        def _articles(self, x, y):
            return Article(text=f"text {x}"), Article(text=f"text {y}")

        def _analyses(self, articles):
            return articles

    return Stub


def test_pair_model_checks_are_budgeted_per_component(monkeypatch):
    import importlib

    from samestory.cluster.core import check_components

    a, b = _basis(1), _basis(2)
    vectors = np.vstack([a, _near(a, 0.05, 1), _near(a, 0.05, 2), b, _near(b, 0.05, 3)])
    edges = np.array([[0, 1], [1, 2], [3, 4], [0, 3]])  # 0-3: far apart, not joined
    components = check_components(vectors, edges, [], threshold=0.5)
    assert components[0] == components[1] == components[2] != components[3] == components[4]
    assert check_components(vectors, np.zeros((0, 2), int), [[0, 4]], 0.5)[4] == 0  # copies

    Stub = _stub_check()
    compare_module = importlib.import_module("samestory.compare")
    monkeypatch.setattr(compare_module, "score_pairs", lambda pairs: (None, np.array([0.9])))
    options = ClusterOptions(threshold=0.5, model_checks=1)
    check = Stub(vectors, 0.5, options)
    check.components = components
    assert check([0], [1], 0.55)
    assert not check([1], [2], 0.55)  # over this component's budget: left apart, unchecked
    assert check([3], [4], 0.55)  # the other component has its own
    assert check.checks == 2 and check.unchecked == 1
    run_budget = Stub(vectors, 0.5, options)  # no components: one budget for the run
    assert run_budget([0], [1], 0.55) and not run_budget([3], [4], 0.55)
    assert run_budget.checks == 1 and run_budget.unchecked == 1
    assert run_budget([3], [4], 0.61)  # certain: above the band and model_certain
    # the budget grows with the component: a share of 1 check per article allows 3 here
    growing = Stub(vectors, 0.5, dataclasses.replace(options, model_check_share=1.0))
    growing.components = components
    assert all(growing([0], [x], 0.55) for x in (1, 2)) and growing([1], [2], 0.55)
    assert growing.checks == 3 and growing.budgets[int(components[0])] == 3
    assert ClusterOptions(model_checks=0).check_budget(10**6) == 0
    assert ClusterOptions().check_budget(52_000) == 2600


def test_pair_model_checks_reach_up_to_model_certain_above_a_low_threshold(monkeypatch):
    """A topic-level threshold (0.2) leaves merges at 0.3-0.45 to the pair model, where it
    refuses most; short texts are left to the embedding, whatever the budget."""
    import importlib

    Stub = _stub_check({0: 5_000, 1: 5_000, 2: 100})
    compare_module = importlib.import_module("samestory.compare")
    monkeypatch.setattr(compare_module, "score_pairs", lambda pairs: (None, np.array([0.1])))
    vectors = np.vstack([_basis(1), _basis(2), _basis(3)])
    check = Stub(vectors, 0.2, ClusterOptions(model_checks=1, model_check_share=0.0))
    assert check.certain == pytest.approx(0.45)
    assert not check([0], [1], 0.35)  # 0.15 above the threshold, below 0.45: asked, refused
    assert check.checks == 1 and check.vetoes == 1
    assert check([0], [2], 0.35)  # a short text: the embedding decides
    assert check([0], [1], 0.5) and check.checks == 1  # certain
    high = Stub(vectors, 0.6, ClusterOptions())
    assert high.certain == pytest.approx(0.7)  # a high threshold keeps its band


def test_spark_bucket_rule_forms_the_local_near_copy_groups():
    """The Spark engine's per-bucket pairing gives exactly ``near_duplicate_groups``' groups,
    also where copies of copies drift apart (a member passing with two earlier ones)."""
    pd = pytest.importorskip("pandas")
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    from samestory.cluster.neardup import _BUCKET_PEERS
    from samestory.cluster.spark.stages import _bytes, bucket_pairs

    rng = np.random.default_rng(3)
    vocabulary = [f"w{i}" for i in range(400)]
    texts = []
    for _ in range(6):  # six stories, each copied and re-edited in a chain
        words = list(rng.choice(vocabulary, 120))
        for _ in range(25):
            texts.append(" ".join(words))
            for position in rng.choice(len(words), 3, replace=False):
                words[position] = str(rng.choice(vocabulary))
    order = rng.permutation(len(texts))
    options = NearDuplicateOptions()
    signatures = minhash_signatures([texts[i] for i in order], options)
    expected = near_duplicate_groups(signatures, options)
    assert expected and max(map(len, expected)) > 2

    bands, width = lsh_bands(options.threshold, options.num_perm, options.recall_weight)
    pair_of = bucket_pairs(options.check_bar, _BUCKET_PEERS)
    frames = []
    for band in range(bands):
        rows = signatures[:, band * width : (band + 1) * width]
        keys = [zlib.crc32(row.tobytes()) for row in rows]
        signed = {"seq": np.arange(len(texts)), "signature": _bytes(signatures, np.uint32)}
        frames.append(pd.DataFrame({"band": band, "key": keys, **signed}))
    buckets = pd.concat(frames)
    # as Spark hands them over: blocks of whole buckets (here three), rows in any order
    block = (buckets["band"] * 7919 + buckets["key"]) % 3
    left, right = [], []
    for number, part in buckets.groupby(block):
        found = pair_of(part.sample(frac=1, random_state=int(number)))
        left += found["a"].tolist()
        right += found["b"].tolist()
    graph = coo_matrix((np.ones(len(left)), (left, right)), shape=(len(texts),) * 2)
    _, labels = connected_components(graph, directed=False)
    groups: dict[int, list[int]] = {}
    for row, label in enumerate(labels.tolist()):
        groups.setdefault(label, []).append(row)
    assert sorted(g for g in groups.values() if len(g) > 1) == sorted(expected)


def test_spark_check_analyses_each_article_once(monkeypatch):
    """The Spark engine's pair-model check keeps analyses for later checks of its component:
    the central article of a growing story is analysed once, however often it is checked
    (within a bound: the least recently used go first)."""
    pd = pytest.importorskip("pandas")
    import samestory.analyze as analyze_module
    from samestory.cluster.spark import stages as stages_module
    from samestory.cluster.spark.stages import _Verifier

    members = pd.DataFrame(
        {
            "title": ["A", "B", "C"],
            "text": ["first text " * 80, "second text " * 80, "third text " * 80],
            "lang": ["en"] * 3,
            "published": [None] * 3,
            "url": [None] * 3,
        }
    )
    analysed: list[str] = []
    monkeypatch.setattr(
        analyze_module,
        "analyze_many",
        lambda articles: [analysed.append(a.title) or a.title for a in articles],
    )
    verifier = _Verifier(members, np.eye(3, dtype=np.float32), 0.5, ClusterOptions())
    a, b, c = (verifier._article(row) for row in range(3))
    assert verifier._analyses([a, b]) == ["A", "B"]
    assert verifier._analyses([a, c]) == ["A", "C"]
    assert verifier._analyses([b, a]) == ["B", "A"]
    assert analysed == ["A", "B", "C"]

    # bounded: the least recently used analysis goes first
    monkeypatch.setattr(stages_module, "ANALYSES_KEPT", 2)
    analysed.clear()
    verifier = _Verifier(members, np.eye(3, dtype=np.float32), 0.5, ClusterOptions())
    verifier._analyses([a, b])
    verifier._analyses([a, c])  # b is the least recently used: dropped
    assert verifier._analyses([b, a]) == ["B", "A"]
    assert analysed == ["A", "B", "C", "B"]


def test_another_probe_length_re_embeds_and_regroups_keeping_story_ids(
    tmp_path, monkeypatch, fake_embeddings
):
    calls: list[str] = []

    def counting(texts):
        calls.extend(texts)
        return _fake_embed(texts)

    monkeypatch.setattr(pipeline_module, "embed_probes", counting)
    first = _articles([("pa", "first report"), ("pa", "another on pa"), ("pb", "else")])
    with open_store(tmp_path / "s.db") as store:
        assert pipeline_module.stored_probe_chars(store) is None  # nothing grouped yet
        pipeline_module.cluster_articles(store, first, OPTIONS)
        assert pipeline_module.stored_probe_chars(store) == OPTIONS.probe_chars == 512
        before = store.memberships()
        calls.clear()
        # the same store, nothing new, a shorter probe: every text again, all regrouped
        shorter = dataclasses.replace(OPTIONS, probe_chars=256)
        report = pipeline_module.cluster_articles(store, [], shorter)
        assert report.regrouped and report.embedded == 3 and len(calls) == 3
        assert store.memberships() == before  # same stories, same ids
        assert pipeline_module.stored_probe_chars(store) == 256
        assert store.vectors("probe:512") == {} and len(store.vectors("probe:256")) == 3
        # a later run without options embeds like the stories were grouped
        calls.clear()
        report = pipeline_module.cluster_articles(store, _articles([("pb", "late news")]))
        assert report.embedded == 1  # (regrouped: a third more articles, not the probe)
        assert len(store.vectors("probe:256")) == 4 and store.vectors("probe:512") == {}
        assert store.memberships()[_articles([("pb", "late news")])[0].id] == before[first[2].id]


def test_an_untitled_story_is_headed_by_its_first_sentence():
    from samestory.cluster.core import HEADLINE_CHARS, story_headline

    assert story_headline(" Flood in Valencia ", "x") == "Flood in Valencia"
    text = "Dr. Smith said on Monday that the river had burst. Roads were closed.\nMore."
    assert story_headline(None, text) == "Dr. Smith said on Monday that the river had burst."
    assert story_headline("", "警方周一逮捕了三名男子，在城市北部进行了突袭行动。其他内容") == (
        "警方周一逮捕了三名男子，在城市北部进行了突袭行动。"
    )
    long = story_headline(None, "The council met " + "again and " * 40 + "voted.")
    assert len(long) <= HEADLINE_CHARS and long.endswith("…") and " …" not in long


def test_a_story_split_off_an_articles_old_story_gets_a_fresh_id(tmp_path, fake_embeddings):
    """b1 named the first story (it came first); a regrouping moves it off with the bx
    reports while a1 and a2 keep the story: the new story cannot take b1's name again, so
    it gets another id of the same format, one no story ever had and with another start."""
    _split_scenario(fake_embeddings)
    fake_embeddings["a2"] = _unit(fake_embeddings["a1"] + 0.02 * fake_embeddings["ax0"])
    first = _articles([("b1", "the first report"), ("a1", "the second"), ("a2", "the third")])
    with open_store(tmp_path / "split.db") as store:
        pipeline_module.cluster_articles(store, first, OPTIONS)
        (story,) = set(store.memberships().values())
        assert story == pipeline_module.story_id_for(first[0].id) == "s" + first[0].id[:12]
        later = [
            (f"{key}{n}", f"report number {n} of {key}") for key in ("ax", "bx") for n in range(4)
        ]
        report = pipeline_module.cluster_articles(store, _articles(later), OPTIONS)
        assert report.regrouped and report.new_stories == 1
        after = store.memberships()
        assert after[first[1].id] == after[first[2].id] == story  # the bulk keeps the id
        split = after[first[0].id]
        assert split != story and re.fullmatch(r"s[0-9a-f]{12}", split)
        assert not split.startswith(story[:5])
        assert split == pipeline_module.story_id_for(first[0].id, {story})  # reruns agree
        assert store.resolve(story) == story and store.resolve(split[:6]) == split
        assert store.story_ids() == {story, split}


def test_story_ids_never_reuse_a_taken_one():
    article = "2609a9e3e22266275ebc"
    plain = pipeline_module.story_id_for(article)
    assert plain == "s2609a9e3e222"
    taken = {plain}
    for _ in range(3):
        name = pipeline_module.story_id_for(article, taken)
        assert name not in taken and re.fullmatch(r"s[0-9a-f]{12}", name)
        taken.add(name)
    assert len(taken) == 4


def test_a_rerun_with_nothing_new_reports_the_stored_threshold(tmp_path, fake_embeddings):
    fake_embeddings["pa"] = _basis(101)
    with open_store(tmp_path / "s.db") as store:
        pipeline_module.cluster_articles(store, _articles([("pa", "first")]), OPTIONS)
        again = pipeline_module.cluster_articles(
            store, _articles([("pa", "first")]), ClusterOptions(lexical_weight=0.0)
        )
    assert again.new_articles == 0 and again.linked == 0 and again.threshold == 0.5

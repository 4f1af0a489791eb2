"""Which article representation could cluster WikiRef to B-cubed F1 0.95 (issue #7)? A diagnosis.

    python benchmarks/wikiref_representations.py ../shared/data/clustering/wikiref \
        --json benchmarks/wikiref_representations.json

For each WikiRef set and each representation, average link (``cluster.core.link``, no time
window, ``k`` = 20 as shipped) is scored at the threshold the silhouette picks without labels
(``choose_threshold``, as ``samestory eval clustering`` does) and, as an *oracle*, at the best
of a sweep of fixed thresholds (0.05 .. 0.775; this reads the labels, so it bounds what any
label-free choice could reach with that representation: nothing is chosen from it).

Representations: the shipped one (USE over the 512-character probe, plus TF-IDF LSA over the
first 4,000 characters, equal weight), each half alone, TF-IDF over the whole text, USE
averaged over 512-character chunks of the whole text, and multilingual-e5-small over the first
2,000 characters (centred on the corpus mean: e5's raw cosines are compressed), alone and
with the LSA half. Embedding takes ~5 minutes on 2 cores (e5 is the slow part).
"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path

import numpy as np

from samestory.analyze.models import embed, embed_e5
from samestory.cluster.core import (
    ClusterOptions,
    choose_threshold,
    lexical_text,
    link,
    link_candidates,
    probe_text,
)
from samestory.cluster.lexical import LexicalModel, combine
from samestory.eval.clustering import bcubed, datasets_under, load_dataset

SWEEP = [round(0.05 + 0.025 * i, 3) for i in range(30)]


def _unit(x: np.ndarray) -> np.ndarray:
    return (x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)).astype(np.float32)


def representations(
    texts: list[str], probes: list[str], lexical: list[str]
) -> dict[str, np.ndarray]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    use = embed(probes)
    lsa = LexicalModel.fit(lexical).transform(lexical)
    chunks, owner = [], []
    for i, text in enumerate(texts):
        for start in range(0, max(1, len(text)), 512):
            chunks.append(text[start : start + 512])
            owner.append(i)
    use_mean = np.zeros_like(use)
    np.add.at(use_mean, np.array(owner), embed(chunks))
    tfidf = TfidfVectorizer(sublinear_tf=True, min_df=2, token_pattern=r"(?u)\b\w\w+\b")
    tf_full = _unit(tfidf.fit_transform(texts).toarray())
    e5 = embed_e5([text[:2000] for text in texts])
    e5_centred = _unit(e5 - e5.mean(axis=0))
    return {
        "shipped (USE probe + LSA)": combine(use, lsa, 0.5),
        "USE probe": use,
        "LSA (first 4,000 chars)": lsa,
        "TF-IDF whole text": tf_full,
        "USE probe + TF-IDF whole text": combine(use, tf_full, 0.5),
        "USE chunk mean + LSA": combine(_unit(use_mean), lsa, 0.5),
        "e5 centred": e5_centred,
        "e5 centred + LSA": combine(e5_centred, lsa, 0.5),
    }


def score(vectors: np.ndarray, truth: np.ndarray) -> dict[str, float]:
    options = ClusterOptions(window_days=None)
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    edges = link_candidates(vectors, np.full(len(vectors), -1), options)
    chosen = choose_threshold(vectors, np.arange(len(vectors)), edges)
    labels, _, _ = link(vectors, options=replace(options, threshold=chosen))
    sweep = []
    for threshold in SWEEP:
        swept, _, _ = link(vectors, options=replace(options, threshold=threshold))
        sweep.append((bcubed(truth, swept)[2], threshold, len(set(swept.tolist()))))
    best = max(sweep)
    return {
        "chosen_threshold": chosen,
        "f1": round(bcubed(truth, labels)[2], 4),
        "clusters": len(set(labels.tolist())),
        "oracle_threshold": best[1],
        "oracle_f1": round(best[0], 4),
        "oracle_clusters": best[2],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path, help="the WikiRef folder (or one of its sets)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    results: dict[str, dict[str, dict[str, float]]] = {}
    for dataset in datasets_under(args.path):
        loaded = load_dataset(dataset)
        labels, articles = loaded.labels, loaded.articles
        truth = np.array(labels)
        reps = representations(
            [a.full_text for a in articles],
            [probe_text(a, 512) for a in articles],
            [lexical_text(a, 4000) for a in articles],
        )
        results[dataset.name] = {name: score(v, truth) for name, v in reps.items()}
    names = list(next(iter(results.values())))
    print("| representation | " + " | ".join(f"{d} label-free / oracle" for d in results) + " |")
    print("|---|" + "---|" * len(results))
    for name in names:
        cells = [
            f"{r[name]['f1']:.3f} ({r[name]['chosen_threshold']:.2f}) / "
            f"{r[name]['oracle_f1']:.3f} ({r[name]['oracle_threshold']:.3f})"
            for r in results.values()
        ]
        print(f"| {name} | " + " | ".join(cells) + " |")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

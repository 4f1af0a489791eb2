"""Are the stories of the store pipeline single events? A check on a mixed corpus (issue #7).

    python benchmarks/story_purity.py ../shared/data [--pairs 40] [--json OUT.json]

The corpus: every WikiRef150 article (15 topics, each many events: "michelle.obama",
"premier.league") and both texts of ``--pairs`` STS22 pairs whose gold Overall is at most 1.5
(the two texts report one event; original languages only, no machine-translated copies;
chosen with a fixed seed), all dated within three days, in one shuffled order. It goes
through ``cluster.pipeline.cluster_articles`` (the path of ``samestory cluster``, pair-model
checks included) into a fresh store, with the threshold chosen from the data as shipped.

Reported: for the STS22 texts, how many same-event pairs end in one story and how many
pairs of texts from different events share a story (what a user sees as "unrelated events
merged"); for the WikiRef articles, B-cubed precision/recall/F1 against the topics (a
topic-level truth: a story that keeps one event of a topic lowers its recall, so these are
context, not a goal). Run it from two checkouts (``PYTHONPATH=OTHER/src``) to compare code.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import itertools
import json
import random
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from samestory import Article
from samestory.cluster.core import ClusterOptions
from samestory.cluster.pipeline import cluster_articles
from samestory.eval.clustering import bcubed, load_dataset
from samestory.store import open_store


def corpus(data: Path, pairs: int, seed: int = 7) -> tuple[list[Article], list[str]]:
    """The articles and each one's truth label ("wikiref:TOPIC" or "sts:PAIR_ID")."""
    rng = random.Random(seed)
    start = dt.date(2020, 3, 10)
    articles, labels = [], []
    wikiref = load_dataset(data / "clustering" / "wikiref" / "WikiRef150")
    for n, (label, article) in enumerate(zip(wikiref.labels, wikiref.articles, strict=True)):
        articles.append(
            Article(
                text=article.text,
                title=article.title,
                lang=article.lang,
                published=start + dt.timedelta(days=rng.randrange(3)),
                url=f"https://wikiref.example/{n}",
            )
        )
        labels.append(f"wikiref:{label}")
    csv.field_size_limit(sys.maxsize)
    with (data / "sts22" / "pairs.csv").open(encoding="utf-8", newline="") as handle:
        rows = [
            r
            for r in csv.DictReader(handle)
            if r["translated"] != "True" and float(r["Overall"]) <= 1.5 and r["text1"] != r["text2"]
        ]
    for row in rng.sample(rows, min(pairs, len(rows))):
        for side in ("1", "2"):
            articles.append(
                Article(
                    text=row[f"text{side}"],
                    title=row[f"title{side}"],
                    lang=row[f"lang{side}"] or None,
                    published=start + dt.timedelta(days=rng.randrange(3)),
                    url=f"https://sts.example/{row['pair_id']}/{side}",
                )
            )
            labels.append(f"sts:{row['pair_id']}")
    order = list(range(len(articles)))
    rng.shuffle(order)
    return [articles[i] for i in order], [labels[i] for i in order]


def score(labels: list[str], stories: list[str]) -> dict[str, object]:
    sts = [(t, s) for t, s in zip(labels, stories, strict=True) if t.startswith("sts:")]
    together = apart = wrongly_together = 0
    for (t1, s1), (t2, s2) in itertools.combinations(sts, 2):
        if t1 == t2:
            together += s1 == s2
            apart += s1 != s2
        elif s1 == s2:
            wrongly_together += 1
    wiki = [(t, s) for t, s in zip(labels, stories, strict=True) if t.startswith("wikiref:")]
    _, truth = np.unique([t for t, _ in wiki], return_inverse=True)
    _, found = np.unique([s for _, s in wiki], return_inverse=True)
    precision, recall, f1 = bcubed(truth, found)
    return {
        "sts_pairs": together + apart,
        "sts_pairs_together": together,
        "sts_pairs_split": apart,
        "sts_different_events_together": wrongly_together,
        "wikiref_bcubed": {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="the shared data folder (../shared/data)")
    parser.add_argument("--pairs", type=int, default=40, help="STS22 same-event pairs (40)")
    parser.add_argument("--json", type=Path, help="also write the result here")
    args = parser.parse_args()
    articles, labels = corpus(args.data, args.pairs)
    with tempfile.TemporaryDirectory() as folder, open_store(Path(folder) / "s.db") as store:
        started = time.perf_counter()
        report = cluster_articles(store, articles, ClusterOptions())
        seconds = time.perf_counter() - started
        memberships = store.memberships()
    result = {
        "articles": len(articles),
        "stories": report.stories,
        "threshold": report.threshold,
        "model_checks": report.model_checks,
        "model_vetoes": report.model_vetoes,
        "model_unchecked": getattr(report, "model_unchecked", None),
        "seconds": round(seconds, 1),
        **score(labels, [memberships[a.id] for a in articles]),
    }
    print(json.dumps(result, indent=1))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

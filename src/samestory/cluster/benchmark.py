"""Speed benchmarks of the story pipeline, run as ``python -m samestory.cluster.benchmark``.

``neardup``: samestory's vectorised MinHash LSH against datasketch (MinHash with 128
permutations + MinHashLSH at the same threshold), side by side on the same texts: speed in
documents per second and recall of the true near-copy pairs (word 3-gram Jaccard ≥ 0.8,
computed exactly on the generated pairs).

``corpus N DATA OUT [SEED]``: a synthetic corpus of N articles for the scale benchmarks,
built from the real texts in shared/data (STS22 texts, WCXB pages, GoogleNews) multiplied by
near-copies with realistic edits (a sentence dropped, words changed, a byline added, dates
spread over two weeks); each record names the text or event it was made from (``event``).
Cluster it with ``samestory cluster`` (or ``benchmarks/spark_scale.py``, which times it).

``score CORPUS DB [FIRST]``: the stories of store DB scored against the corpus's ``event``
field (ACC, NMI, ARI, B-cubed; the first FIRST stored articles only, when given). An
approximate truth: two real texts may report one event.
"""

from __future__ import annotations

import csv
import gzip
import json
import random
import re
import resource
import sys
import time
from pathlib import Path
from typing import Any

from .neardup import NearDuplicateOptions, minhash_signatures, near_duplicate_groups

_WORD = re.compile(r"\w+")


def _shingles(text: str, words: int = 3) -> set[str]:
    tokens = _WORD.findall(text.casefold())
    if len(tokens) < words:
        return {" ".join(tokens)}
    return {" ".join(tokens[i : i + words]) for i in range(len(tokens) - words + 1)}


def base_texts(data: Path, limit: int | None = None) -> list[tuple[str, str, str]]:
    """(title, text, lang) of distinct real articles in shared/data."""
    seen: set[str] = set()
    out: list[tuple[str, str, str]] = []

    def keep(title: str, text: str, lang: str) -> None:
        key = text[:200]
        if len(text) > 200 and key not in seen:
            seen.add(key)
            out.append((title, text, lang))

    csv.field_size_limit(sys.maxsize)
    with (data / "sts22" / "pairs.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            keep(row["title1"], row["text1"], row["lang1"])
            keep(row["title2"], row["text2"], row["lang2"])
    for path in sorted((data / "extraction" / "wcxb-articles" / "ground-truth").glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        truth = record.get("ground_truth", record)
        keep(str(truth.get("title") or ""), str(truth.get("main_content") or ""), "")
    return out[:limit] if limit else out


def edit(text: str, rng: random.Random) -> str:
    """A realistic near-copy: a sentence dropped, a few words changed, a byline added."""
    sentences = re.split(r"(?<=[.!?])\s+", text)
    if len(sentences) > 4:
        del sentences[rng.randrange(1, len(sentences))]
    words = " ".join(sentences).split(" ")
    for _ in range(max(1, len(words) // 100)):
        words[rng.randrange(len(words))] = rng.choice(["reportedly", "on Monday", "officials"])
    return " ".join(words) + rng.choice(["", " (Reuters)", " Reporting by staff; editing by desk."])


def neardup(data: Path, copies: int = 1500) -> dict[str, Any]:
    from datasketch import MinHash, MinHashLSH

    rng = random.Random(3)
    originals = [text for _, text, _ in base_texts(data)]
    texts = list(originals)
    pairs = []
    for _ in range(copies):
        source = rng.randrange(len(originals))
        texts.append(edit(originals[source], rng))
        pairs.append((source, len(texts) - 1))
    options = NearDuplicateOptions()
    truth = [
        (a, b)
        for a, b in pairs
        if len((sa := _shingles(texts[a])) & (sb := _shingles(texts[b]))) / len(sa | sb)
        >= options.threshold
    ]

    start = time.perf_counter()
    groups = near_duplicate_groups(minhash_signatures(texts, options), options)
    ours_seconds = time.perf_counter() - start
    group_of = {i: g[0] for g in groups for i in g}
    ours_recall = sum(group_of.get(a, -1) == group_of.get(b, -2) for a, b in truth) / len(truth)

    start = time.perf_counter()
    lsh = MinHashLSH(threshold=options.threshold, num_perm=options.num_perm)
    signatures = []
    for index, text in enumerate(texts):
        m = MinHash(num_perm=options.num_perm)
        m.update_batch([s.encode("utf-8") for s in _shingles(text)])
        lsh.insert(index, m)
        signatures.append(m)
    found = {(index, other) for index, m in enumerate(signatures) for other in lsh.query(m)}
    theirs_seconds = time.perf_counter() - start
    theirs_recall = sum((a, b) in found for a, b in truth) / len(truth)
    return {
        "documents": len(texts),
        "true_pairs": len(truth),
        "samestory_docs_per_s": round(len(texts) / ours_seconds),
        "samestory_recall": round(ours_recall, 4),
        "datasketch_docs_per_s": round(len(texts) / theirs_seconds),
        "datasketch_recall": round(theirs_recall, 4),
        "speedup": round(theirs_seconds / ours_seconds, 2),
    }


def write_scale_corpus(data: Path, n: int, out: Path, seed: int = 5) -> int:
    """N JSONL articles: real texts and edited near-copies, dated over two weeks.

    Each record's ``event`` names what it was made from (readers ignore the field).
    """
    import datetime as dt

    rng = random.Random(seed)
    base = base_texts(data)
    googlenews = (data / "clustering" / "googlenews-ts" / "GoogleNews-TS.tsv").read_text()
    labelled = [line.split("\t", 1) for line in googlenews.splitlines() if "\t" in line]
    start = dt.date(2024, 5, 1)
    written = 0
    opener = gzip.open if out.suffix == ".gz" else open
    with opener(out, "wt", encoding="utf-8") as handle:
        while written < n:
            # same draws as rng.choice, so the corpus is the one earlier runs measured
            if rng.random() < 0.3:
                label, text = labelled[rng.randrange(len(labelled))]
                title, lang, event = "", "en", f"googlenews:{label}"
            else:
                index = rng.randrange(len(base))
                title, text, lang = base[index]
                text = edit(text, rng) if rng.random() < 0.8 else text
                event = f"text:{index}"
            record = {
                "title": title,
                "text": text + f" [{written}]",
                "lang": lang or None,
                "published": (start + dt.timedelta(days=rng.randrange(14))).isoformat(),
                "url": f"https://site{rng.randrange(300)}.example/{written}",
                # the source it was made from: a GoogleNews event, or one real text and its
                # copies (an approximate truth: two real texts may report one event)
                "event": event,
            }
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            written += 1
    return written


def score_store(corpus: Path, db: Path, first: int | None = None) -> dict[str, Any]:
    """The stories of store ``db`` against the ``event`` of each record of ``corpus``."""
    import numpy as np

    from ..eval.clustering import score
    from ..store import open_store

    event_of: dict[str, str] = {}
    with corpus.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            event_of[record["url"]] = record["event"]
    with open_store(db) as store:
        memberships = store.memberships()
        articles = store.articles()[:first]
    pairs = [
        (event_of[a.url], memberships[a.id])
        for a in articles
        if a.url in event_of and a.id in memberships
    ]
    _, truth = np.unique([t for t, _ in pairs], return_inverse=True)
    _, predicted = np.unique([p for _, p in pairs], return_inverse=True)
    result = score(truth, predicted, dataset=corpus.name, mode="store", seconds=0.0)
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in result.__dict__.items()}


def peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str]) -> None:
    data = Path(argv[2]) if len(argv) > 2 else Path("../shared/data")
    if argv[:1] == ["neardup"]:
        copies = int(argv[1]) if len(argv) > 1 else 1500
        print(json.dumps(neardup(data, copies=copies)))
    elif argv[:1] == ["corpus"]:
        seed = int(argv[4]) if len(argv) > 4 else 5
        print(write_scale_corpus(data, int(argv[1]), Path(argv[3]), seed=seed))
    elif argv[:1] == ["score"] and len(argv) >= 3:
        first = int(argv[3]) if len(argv) > 3 else None
        print(json.dumps(score_store(Path(argv[1]), Path(argv[2]), first)))
    else:
        raise SystemExit(
            "usage: python -m samestory.cluster.benchmark neardup [COPIES DATA]"
            " | corpus N DATA OUT [SEED] | score CORPUS DB [FIRST]"
        )


if __name__ == "__main__":
    main(sys.argv[1:])

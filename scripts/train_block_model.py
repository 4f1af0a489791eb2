#!/usr/bin/env python3
"""Train the HTML block classifier (``samestory/read/block_model.txt.gz``) on WCXB pages.

    .venv/bin/python scripts/train_block_model.py ../shared/data/extraction/wcxb-articles

Cross-validates first: pages are split into 5 folds by web site, each fold's pages are
extracted by a model trained on the other four, and their WCXB word F1 is reported next to
trafilatura's extract from the same run (the model's input). Then trains on all pages and
writes the model. Fixed seed and fold assignment: the same data gives the same model.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import pickle
import statistics
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from samestory.eval.extraction import detect_layout, iter_pages, wcxb_score
from samestory.read import blocks as block_module
from samestory.read.html import page_parts

PARAMS = {
    "objective": "binary",
    "learning_rate": 0.05,
    "num_leaves": 31,
    "min_data_in_leaf": 40,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "seed": 13,
    "deterministic": True,
    "num_threads": 2,
    "verbose": -1,
}
ROUNDS = 300
MIN_WORDS = 10


def site_of(directory: Path, page_id: str) -> str:
    path = directory / "ground-truth" / f"{page_id}.json"
    try:
        url = json.loads(path.read_text(encoding="utf-8")).get("url") or ""
    except (OSError, ValueError):
        url = ""
    return urlparse(url).netloc.lower().removeprefix("www.") or page_id


def load_pages(directory: Path, cache: Path | None) -> list[dict[str, Any]]:
    if cache is not None and cache.is_file():
        return pickle.loads(cache.read_bytes())
    pages = []
    for page in iter_pages(directory, detect_layout(directory)):
        blocks, extract, _ = page_parts(page.html) if page.html else ([], "", None)
        texts = [b.text for b in blocks]
        pages.append(
            {
                "id": page.page_id,
                "site": site_of(directory, page.page_id),
                "texts": texts,
                "extract": extract,
                "reference": page.reference,
                "features": block_module.block_features(blocks, extract),
                "labels": block_module.block_labels(texts, page.reference),
            }
        )
        print(f"\rfeatures: {len(pages)} pages", end="", file=sys.stderr)
    print(file=sys.stderr)
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_bytes(pickle.dumps(pages))
    return pages


def train(pages: list[dict[str, Any]]) -> Any:
    import lightgbm

    rows = [row for p in pages for row in p["features"]]
    labels = [label for p in pages for label in p["labels"]]
    data = lightgbm.Dataset(
        np.asarray(rows, dtype=np.float64),
        np.asarray(labels, dtype=np.float64),
        feature_name=list(block_module.FEATURE_NAMES),
    )
    return lightgbm.train(PARAMS, data, num_boost_round=ROUNDS)


def extracted(model: Any, page: dict[str, Any]) -> str:
    """What samestory's extractor outputs for ``page`` with ``model`` (same fallbacks)."""
    text = ""
    if page["texts"]:
        scores = model.predict(np.asarray(page["features"], dtype=np.float64))
        text = "\n".join(block_module.select_blocks(page["texts"], scores))
    if len(text.split()) < MIN_WORDS:
        text = page["extract"]
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("wcxb_dir", type=Path)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument(
        "--cache", type=Path, default=Path(".cache/block_model_pages.pkl"),
        help="Extracted blocks and features are kept here; delete it after changing features.",
    )  # fmt: skip
    parser.add_argument(
        "--output", type=Path,
        default=Path(block_module.__file__).with_name(block_module.MODEL_FILE),
    )  # fmt: skip
    parser.add_argument("--no-write", action="store_true", help="Cross-validate only.")
    args = parser.parse_args()

    pages = load_pages(args.wcxb_dir, args.cache)
    sites = sorted({p["site"] for p in pages}, key=lambda s: hashlib.md5(s.encode()).hexdigest())
    fold_of_site = {site: i % args.folds for i, site in enumerate(sites)}
    trafilatura_f1, model_f1 = [], []
    for fold in range(args.folds):
        model = train([p for p in pages if fold_of_site[p["site"]] != fold and p["texts"]])
        for page in (p for p in pages if fold_of_site[p["site"]] == fold):
            trafilatura_f1.append(wcxb_score(page["reference"], page["extract"]).f1)
            model_f1.append(wcxb_score(page["reference"], extracted(model, page)).f1)
        print(f"fold {fold + 1}/{args.folds} done", file=sys.stderr)
    report = {
        "pages": len(pages),
        "sites": len(sites),
        "folds": args.folds,
        "cv_f1_trafilatura_extract": round(statistics.mean(trafilatura_f1), 4),
        "cv_f1_block_model": round(statistics.mean(model_f1), 4),
    }
    print(json.dumps(report, indent=2))
    if not args.no_write:
        model = train([p for p in pages if p["texts"]])
        text = model.model_to_string()
        args.output.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
        print(f"wrote {args.output} ({args.output.stat().st_size} bytes)", file=sys.stderr)


if __name__ == "__main__":
    main()

"""Fifteenth-session experiment (not shipped): can other extractors vote on samestory's text?

Scores, page by page on both extraction benchmarks, samestory's default and ``precise``
extracts, trafilatura's defaults, resiliparse (``extract_plain_text(main_content=True)``) and
readability-lxml (its summary's paragraphs), then simulates two ensembles: dropping lines of
samestory's extract that the other extractors do not contain (line vote) and picking per page
the extract that agrees most with the others (medoid). See BENCHMARKS.md › Extraction.

Needs two packages that samestory does not depend on::

    .venv/bin/pip install resiliparse readability-lxml
    .venv/bin/python benchmarks/extraction_ensemble.py ../shared/data/extraction
"""

from __future__ import annotations

import re
import sys
import time
from collections import Counter
from pathlib import Path

import lxml.html
import numpy as np
from readability import Document
from resiliparse.extract.html2text import extract_plain_text
from resiliparse.parse.html import HTMLTree

from samestory.eval.extraction import (
    detect_layout,
    iter_pages,
    samestory_extractor,
    score_page,
    trafilatura_extractor,
)

WORD = re.compile(r"\w+")


def resiliparse_text(html: str) -> str:
    try:
        return extract_plain_text(
            HTMLTree.parse(html), main_content=True, alt_texts=False, links=False,
            list_bullets=False,
        )  # fmt: skip
    except Exception:
        return ""


def readability_text(html: str) -> str:
    try:
        tree = lxml.html.fromstring(Document(html).summary(html_partial=True))
    except Exception:
        return ""
    tags = ("p", "li", "h2", "h3", "h4", "blockquote", "pre", "td")
    return "\n".join(t for t in (" ".join(e.text_content().split()) for e in tree.iter(*tags)) if t)


def trigrams(text: str) -> set[tuple[str, ...]]:
    words = WORD.findall(text.lower())
    if len(words) < 3:
        return {tuple(words)} if words else set()
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}


def support(line: str, grams: set[tuple[str, ...]]) -> float:
    mine = trigrams(line)
    return sum(g in grams for g in mine) / len(mine) if mine else 1.0


def bag_f1(a: str, b: str) -> float:
    x, y = Counter(WORD.findall(a.lower())), Counter(WORD.findall(b.lower()))
    tp = sum((x & y).values())
    return 2 * tp / (sum(x.values()) + sum(y.values())) if tp else 0.0


def total(layout: str, scores: list) -> float:
    p = float(np.mean([s.precision for s in scores]))
    r = float(np.mean([s.recall for s in scores]))
    return (
        2 * p * r / (p + r) if layout == "scrapinghub" else float(np.mean([s.f1 for s in scores]))
    )


def main(root: Path) -> None:
    for name in ("scrapinghub-aeb", "wcxb-articles"):
        directory = root / name
        layout = detect_layout(directory)
        pages, seconds = [], Counter()
        for page in iter_pages(directory, layout):
            if page.error:
                continue
            texts = {}
            for key, extract in (
                ("samestory", samestory_extractor),
                ("precise", lambda h: samestory_extractor(h, "precise")),
                ("trafilatura", trafilatura_extractor),
                ("resiliparse", resiliparse_text),
                ("readability", readability_text),
            ):
                start = time.perf_counter()
                texts[key] = extract(page.html)
                seconds[key] += time.perf_counter() - start
            pages.append((page.reference, texts))
        print(f"{name}: {len(pages)} pages")
        for key in pages[0][1]:
            f1 = total(layout, [score_page(layout, ref, t[key]) for ref, t in pages])
            print(f"  {key:12s} F1 {f1:.4f}  {1000 * seconds[key] / len(pages):.1f} ms/page")
        others = ("resiliparse", "readability", "precise")
        for voters in (("resiliparse",), ("resiliparse", "readability"), others):
            kept_scores = []
            for ref, t in pages:
                grams = {k: trigrams(t[k]) for k in voters}
                lines = t["samestory"].split("\n")
                kept = [ln for ln in lines if any(support(ln, grams[k]) > 0 for k in voters)]
                text = "\n".join(kept)
                if len(WORD.findall(text)) < 0.3 * len(WORD.findall(t["samestory"])):
                    text = t["samestory"]
                kept_scores.append(score_page(layout, ref, text))
            print(f"  line vote by {'+'.join(voters):34s} F1 {total(layout, kept_scores):.4f}")
        for pool in (("samestory", "resiliparse", "readability"), ("samestory", *others)):
            picked = []
            for ref, t in pages:
                best = max(pool, key=lambda k: (sum(bag_f1(t[k], t[j]) for j in pool if j != k),
                                                k == "samestory"))  # fmt: skip
                picked.append(score_page(layout, ref, t[best]))
            print(f"  medoid of {'+'.join(pool):37s} F1 {total(layout, picked):.4f}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/extraction"))

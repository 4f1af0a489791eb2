"""Main-text extraction benchmarks: samestory and trafilatura's defaults, side by side.

Two public layouts are understood:

- ScrapingHub article-extraction-benchmark: ``html/ID.html.gz`` and one ``ground-truth.json``
  mapping ID to ``{"articleBody": ...}``. Scored as that benchmark's ``evaluate.py`` does:
  4-token shingles (tokens are ``\\w+``, case kept), true/false positives and negatives counted
  per page and normalised so long pages do not weigh more; precision and recall are means over
  pages, F1 is the harmonic mean of those two means.
- WCXB (web content extraction benchmark): ``html/NNNN.html.gz`` and ``ground-truth/NNNN.json``
  with ``ground_truth.main_content``. Scored as WCXB's ``evaluate.py`` does: bag of lower-cased
  ``\\w+`` words, per-page precision, recall and F1, each averaged over pages.

Speed is pages per second of extraction time alone (files are read and decompressed before the
clock starts), with both extractors run on the same decoded HTML in the same process, one
after the other on each page, after one untimed warm-up call each.
"""

from __future__ import annotations

import contextlib
import json
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Literal

from ..errors import InputError

Layout = Literal["scrapinghub", "wcxb"]
Extractor = Callable[[str], str]

_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True)
class BenchmarkPage:
    """One page of a benchmark: its id, raw HTML and the reference main text; ``error`` says
    why a page cannot be scored (unreadable HTML or ground truth), and it is then left out."""

    page_id: str
    html: str
    reference: str
    error: str | None = None


@dataclass(frozen=True)
class PageScore:
    precision: float | None
    recall: float | None
    f1: float
    # ScrapingHub pools normalised tp/fp/fn; kept so the aggregate follows its evaluate.py.
    counts: tuple[float, float, float] = (0.0, 0.0, 0.0)


@dataclass
class ExtractorResult:
    """Scores of one extractor over a benchmark run."""

    name: str
    pages: list[PageScore] = field(default_factory=list)
    seconds: float = 0.0
    failures: int = 0

    def summary(self, layout: Layout) -> dict[str, float]:
        if layout == "scrapinghub":
            precision = statistics.mean(
                [p.precision for p in self.pages if p.precision is not None] or [0.0]
            )
            recall = statistics.mean(
                [p.recall for p in self.pages if p.recall is not None] or [0.0]
            )
            f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        else:
            precision = statistics.mean([p.precision or 0.0 for p in self.pages] or [0.0])
            recall = statistics.mean([p.recall or 0.0 for p in self.pages] or [0.0])
            f1 = statistics.mean([p.f1 for p in self.pages] or [0.0])
        return {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "pages_per_second": round(len(self.pages) / self.seconds, 2) if self.seconds else 0.0,
        }


# --- metrics -------------------------------------------------------------------------------


def _shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    return Counter(
        tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n]
    )


def scrapinghub_score(reference: str, predicted: str) -> PageScore:
    """One page scored like the ScrapingHub benchmark (4-token shingles, normalised counts)."""
    true, pred = _shingles(reference), _shingles(predicted)
    tp = float(sum((true & pred).values()))
    fp = float(sum((pred - true).values()))
    fn = float(sum((true - pred).values()))
    total = tp + fp + fn
    if total:
        tp, fp, fn = tp / total, fp / total, fn / total
    precision = _ratio(tp, fp, fn, fp) if tp + fp > 0 else None
    recall = _ratio(tp, fp, fn, fn) if tp + fn > 0 else None
    f1 = (
        2 * precision * recall / (precision + recall)
        if precision is not None and recall is not None and precision + recall
        else 0.0
    )
    return PageScore(precision, recall, f1, (tp, fp, fn))


def _ratio(tp: float, fp: float, fn: float, miss: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == miss == 0:
        return 0.0
    return tp / (tp + miss)


def wcxb_score(reference: str, predicted: str) -> PageScore:
    """One page scored like WCXB (bag of lower-cased words)."""
    pred_tokens = _TOKEN.findall((predicted or "").lower())
    ref_tokens = _TOKEN.findall((reference or "").lower())
    if not ref_tokens:
        value = 1.0 if not pred_tokens else 0.0
        return PageScore(value, value, value)
    if not pred_tokens:
        return PageScore(0.0, 0.0, 0.0)
    overlap = sum((Counter(pred_tokens) & Counter(ref_tokens)).values())
    precision, recall = overlap / len(pred_tokens), overlap / len(ref_tokens)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return PageScore(precision, recall, f1)


def score_page(layout: Layout, reference: str, predicted: str) -> PageScore:
    return (scrapinghub_score if layout == "scrapinghub" else wcxb_score)(reference, predicted)


# --- data ----------------------------------------------------------------------------------


def detect_layout(directory: Path) -> Layout:
    """Which benchmark layout ``directory`` has; InputError naming both when neither fits."""
    if (directory / "ground-truth.json").is_file() and (directory / "html").is_dir():
        return "scrapinghub"
    if (directory / "ground-truth").is_dir() and (directory / "html").is_dir():
        return "wcxb"
    raise InputError(
        str(directory),
        "not a benchmark folder: expected html/ID.html.gz with ground-truth.json (ScrapingHub) "
        "or html/NNNN.html.gz with ground-truth/NNNN.json (WCXB)",
    )


def _read_html(path: Path) -> str:
    from ..read.decode import read_text_file

    return read_text_file(path, "a saved web page (.html or .html.gz)")


def _html_path(directory: Path, page_id: str) -> Path | None:
    for name in (f"{page_id}.html.gz", f"{page_id}.html"):
        if (directory / "html" / name).is_file():
            return directory / "html" / name
    return None


def _load_json(path: Path) -> Any:
    from ..read.decode import read_text_file

    try:
        return json.loads(read_text_file(path, "a ground-truth JSON file"))
    except json.JSONDecodeError as error:
        raise InputError(str(path), f"not valid JSON ({error.msg}, line {error.lineno})") from None


def references(directory: Path, layout: Layout) -> dict[str, str | InputError]:
    """The reference main text of each page id, or the error that makes it unusable.

    ScrapingHub's single ``ground-truth.json`` must be readable (it is the whole benchmark);
    a WCXB page whose ``ground-truth/ID.json`` is broken is one page left out.
    """
    found: dict[str, str | InputError] = {}
    if layout == "scrapinghub":
        path = directory / "ground-truth.json"
        truth = _load_json(path)
        if not isinstance(truth, dict):
            raise InputError(str(path), 'expected an object {"ID": {"articleBody": ...}, ...}')
        for key, value in truth.items():
            body = value.get("articleBody") if isinstance(value, dict) else None
            if isinstance(value, dict) and (body is None or isinstance(body, str)):
                found[str(key)] = body or ""
            else:
                found[str(key)] = InputError(f"{path} [{key}]", "articleBody is not a text")
        return found
    for path in sorted((directory / "ground-truth").glob("*.json")):
        try:
            record = _load_json(path)
            gt = record.get("ground_truth") if isinstance(record, dict) else None
            if not isinstance(gt, dict):
                raise InputError(str(path), 'expected {"ground_truth": {"main_content": ...}}')
            main = gt.get("main_content")
            if main is not None and not isinstance(main, str):
                raise InputError(str(path), "ground_truth.main_content is not a text")
            found[path.stem] = main or ""
        except InputError as error:
            found[path.stem] = error
    return found


def iter_pages(
    directory: Path, layout: Layout, limit: int | None = None
) -> Iterator[BenchmarkPage]:
    """The benchmark pages in id order (the first ``limit`` of them when given); a page that
    cannot be scored comes with its ``error`` set."""
    truth = references(directory, layout)
    for count, page_id in enumerate(sorted(truth)):
        if limit is not None and count >= limit:
            return
        reference = truth[page_id]
        html_path = _html_path(directory, page_id)
        error: str | None = None
        html = ""
        if isinstance(reference, InputError):
            error, reference = str(reference), ""
        elif html_path is None:
            error = f"{directory / 'html'}: no {page_id}.html.gz or {page_id}.html"
        else:
            try:
                html = _read_html(html_path)
            except InputError as problem:
                error = str(problem)
        yield BenchmarkPage(page_id, html, reference, error)


# --- extractors ----------------------------------------------------------------------------


def samestory_extractor(html: str, method: str = "trafilatura") -> str:
    from ..read.html import extract_main_text

    return extract_main_text(html, method=method)


def trafilatura_extractor(html: str) -> str:
    """trafilatura's defaults, as a user calling ``trafilatura.extract(html)`` gets them."""
    import trafilatura

    return trafilatura.extract(html) or ""


DEFAULT_EXTRACTORS: dict[str, Extractor] = {
    "samestory": samestory_extractor,
    "trafilatura": trafilatura_extractor,
}


def evaluate_extraction(
    directory: str | Path,
    *,
    limit: int | None = None,
    method: str = "trafilatura",
    extractors: dict[str, Extractor] | None = None,
    progress: Callable[[Iterable[BenchmarkPage], int | None, str], Iterable[BenchmarkPage]]
    | None = None,
) -> dict[str, Any]:
    """Score each extractor on the benchmark in ``directory``.

    Returns ``{"benchmark", "pages", <name>: {"precision", "recall", "f1",
    "pages_per_second"}, ...}``; an extractor that raises on a page scores it as empty text.
    ``method`` is samestory's HTML method (``trafilatura``, ``precise`` or ``blocks``).
    """
    directory = Path(directory)
    layout = detect_layout(directory)
    extractors = extractors or DEFAULT_EXTRACTORS
    if method != "trafilatura":
        extractors = {**extractors, "samestory": partial(samestory_extractor, method=method)}
    results = {name: ExtractorResult(name) for name in extractors}
    pages = 0
    items: Iterable[BenchmarkPage] = iter_pages(directory, layout, limit)
    if progress is not None:
        items = progress(items, count_pages(directory, limit), f"extracting ({layout})")
    warmed = False
    skipped: list[str] = []
    for page in items:
        if page.error is not None:
            skipped.append(page.error)
            continue
        if not warmed and page.html:
            # First calls import modules and build caches: run each extractor once, untimed,
            # so neither pays the start-up cost in its pages per second.
            for extract in extractors.values():
                with contextlib.suppress(Exception):
                    extract(page.html)
            warmed = True
        pages += 1
        for name, extract in extractors.items():
            start = time.perf_counter()
            try:
                predicted = extract(page.html) if page.html else ""
            except Exception:  # a crash on one page is a failure of that page, not of the run
                predicted = ""
                results[name].failures += 1
            results[name].seconds += time.perf_counter() - start
            results[name].pages.append(score_page(layout, page.reference, predicted))
    if pages == 0:
        first = f"; the first left out: {skipped[0]}" if skipped else ""
        raise InputError(str(directory), f"no pages with ground truth found in html/{first}")
    report: dict[str, Any] = {"benchmark": layout, "pages": pages, "skipped": len(skipped)}
    for name, result in results.items():
        report[name] = result.summary(layout)
        report[name]["failures"] = result.failures
    report["skipped_pages"] = skipped
    return report


def count_pages(directory: str | Path, limit: int | None = None) -> int:
    """How many pages ``evaluate_extraction`` will score (for a progress bar)."""
    directory = Path(directory)
    layout = detect_layout(directory)
    if layout == "scrapinghub":
        total = len(references(directory, layout))
    else:  # one file per page: counted, not parsed
        total = sum(1 for _ in (directory / "ground-truth").glob("*.json"))
    return min(total, limit) if limit is not None else total


__all__: Sequence[str] = [
    "BenchmarkPage",
    "count_pages",
    "detect_layout",
    "evaluate_extraction",
    "iter_pages",
    "references",
    "scrapinghub_score",
    "wcxb_score",
]

"""``samestory eval conflicts``: recall of changed facts, and false alarms, on versions of articles.

Each JSONL line is ``{"id", "lang", "kind", "a", "b", "a_value", "b_value"}``: B is a version of
A with exactly one fact changed (``kind`` "name", "number", "date" or "place"; ``a_value`` and
``b_value`` as written) or, for ``kind`` "none", with no fact changed (a control). ``a`` and
``b`` are texts, or objects with ``text`` (and optionally ``title``, ``lang``, ``published``).

A hit is a conflict whose two values match the changed values: each contains the other as
whole words, after case and accent folding ("15" matches "15 people", "Lyon" matches "Lyon").
Everything else the comparison reports is an extra conflict. Conflicts need only the
sentence embeddings and the alignment, not the scoring model, so this runs without one; the
time it reports is what alignment and conflict finding add to the analysis of a pair.
"""

from __future__ import annotations

import json
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..analyze.gazetteer import fold
from ..compare.comparison import Conflict
from ..errors import InputError

FACT_KINDS = ("name", "number", "date", "place")
BATCH = 8  # pairs analysed per embedding batch: bigger batches are faster, to a point

Progress = Callable[[Iterable[Any], int, str], Iterable[Any]]


@dataclass(frozen=True, kw_only=True)
class ConflictItem:
    id: str
    lang: str
    kind: str
    a: Any
    b: Any
    a_value: str
    b_value: str


ITEM_KEYS = '{"id", "lang", "kind", "a", "b", "a_value", "b_value"}'


def _item(line: str, where: str) -> ConflictItem:
    """One item of a benchmark line; InputError saying what is wrong with it."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise InputError(
            where, f"not valid JSON ({error.msg}); write one JSON object per line"
        ) from None
    except (RecursionError, ValueError) as error:  # nesting too deep, a huge integer
        raise InputError(where, f"not readable JSON ({str(error)[:200]})") from None
    if not isinstance(record, dict):
        raise InputError(where, f"expected a JSON object {ITEM_KEYS}")
    missing = {"id", "kind", "a", "b"} - set(record)
    if missing:
        raise InputError(where, f"missing keys {sorted(missing)}; each line needs {ITEM_KEYS}")
    kind = str(record["kind"]).strip().lower()
    if kind not in (*FACT_KINDS, "none"):
        raise InputError(where, f"kind {record['kind']!r} is not one of "
                         f"{', '.join((*FACT_KINDS, 'none'))}")  # fmt: skip
    return ConflictItem(
        id=str(record["id"]),
        lang=str(record.get("lang") or ""),
        kind=kind,
        a=record["a"],
        b=record["b"],
        a_value=str(record.get("a_value") or ""),
        b_value=str(record.get("b_value") or ""),
    )


def load_items(path: Path) -> tuple[list[ConflictItem], list[str]]:
    """Items of a conflicts benchmark file, and one line per line left out (bad JSON, a
    missing key, an unknown kind); InputError when the file has no usable item."""
    from ..read.decode import read_text_file

    text = read_text_file(path, "a JSONL file of conflict items")
    items: list[ConflictItem] = []
    skipped: list[str] = []
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            items.append(_item(line, f"{path}:{number}"))
        except InputError as error:
            skipped.append(str(error))
    if not items:
        first = (
            f" (skipped {skipped[0]}{' and more' if len(skipped) > 1 else ''})" if skipped else ""
        )
        raise InputError(
            str(path),
            f"no usable items in the file{first}; give one JSON object per line, e.g. "
            "benchmarks/conflicts/test.jsonl",
        )
    return items, skipped


def _contains_words(longer: str, shorter: str) -> bool:
    return bool(shorter) and re.search(rf"(?<!\w){re.escape(shorter)}(?!\w)", longer) is not None


def _matches(written: str, expected: str) -> bool:
    x, y = fold(written), fold(expected)
    return _contains_words(x, y) or _contains_words(y, x)


def is_hit(conflict: Conflict, item: ConflictItem) -> bool:
    """The conflict reports the changed fact: both of its values match the changed values."""
    return _matches(conflict.a, item.a_value) and _matches(conflict.b, item.b_value)


def _article(value: Any, where: str) -> Any:
    from ..read import article_from_text

    if isinstance(value, str):
        return article_from_text(value, source=where)
    if isinstance(value, dict) and isinstance(value.get("text"), str):

        def text_or_none(key: str) -> str | None:
            field = value.get(key)
            return field if isinstance(field, str) else None

        return article_from_text(value["text"], source=where, title=text_or_none("title"),
                                 lang=text_or_none("lang"), published=text_or_none("published"))  # fmt: skip
    raise InputError(where, 'expected a text or an object with a "text" field')


def _batches(items: list[ConflictItem], size: int) -> Iterator[list[ConflictItem]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def evaluate_conflicts(path: Path, *, progress: Progress | None = None) -> dict[str, Any]:
    """Recall per kind, share of controls with a conflict, extra conflicts per item, time."""
    from ..analyze import analyze_many
    from ..compare.align import align
    from ..compare.conflicts import find_conflicts
    from ..compare.features import sentence_similarity

    items, skipped = load_items(path)
    hits: dict[str, int] = defaultdict(int)
    totals: dict[str, int] = defaultdict(int)
    by_language: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    controls_flagged = extra = 0
    kind_right = 0
    analyse_seconds = conflict_seconds = 0.0
    misses: list[dict[str, Any]] = []
    false_alarms: list[dict[str, Any]] = []
    batches: Iterable[list[ConflictItem]] = _batches(items, BATCH)
    if progress is not None:
        batches = progress(batches, (len(items) + BATCH - 1) // BATCH, "comparing versions")
    for batch in batches:
        started = time.perf_counter()
        articles = []
        readable = []
        for item in batch:
            try:
                pair = [_article(side, f"{path}:{item.id} {name}")
                        for name, side in (("a", item.a), ("b", item.b))]  # fmt: skip
            except InputError as error:  # an empty or malformed text: this item only
                skipped.append(str(error))
                continue
            articles.extend(pair)
            readable.append(item)
        batch = readable
        analyses = analyze_many(articles) if articles else []
        analyse_seconds += time.perf_counter() - started
        for k, item in enumerate(batch):
            a, b = analyses[2 * k], analyses[2 * k + 1]
            started = time.perf_counter()
            alignment, _, _ = align(a, b, sentence_similarity(a, b))
            conflicts, _ = find_conflicts(a, b, alignment)
            conflict_seconds += time.perf_counter() - started
            totals[item.kind] += 1
            found = [c for c in conflicts if item.kind != "none" and is_hit(c, item)]
            extra += len(conflicts) - min(1, len(found))
            cell = by_language[item.lang][item.kind]
            cell[1] += 1
            if item.kind == "none":
                if conflicts:
                    controls_flagged += 1
                    cell[0] += 1
                    false_alarms.append(
                        {"id": item.id, "conflicts": [c.to_dict() for c in conflicts]}
                    )
                continue
            if found:
                hits[item.kind] += 1
                cell[0] += 1
                kind_right += any(c.kind == item.kind for c in found)
            else:
                misses.append({"id": item.id, "kind": item.kind, "a_value": item.a_value,
                               "b_value": item.b_value,
                               "conflicts": [c.to_dict() for c in conflicts]})  # fmt: skip
    changed = sum(totals[k] for k in FACT_KINDS)
    n = sum(totals.values())
    if n == 0:
        raise InputError(str(path), f"no item could be analysed; the first left out: {skipped[0]}")
    return {
        "file": str(path),
        "items": n,
        "skipped": len(skipped),
        "recall": {k: round(hits[k] / totals[k], 3) for k in FACT_KINDS if totals[k]},
        "counts": {
            k: {"hits": hits[k], "items": totals[k]} for k in (*FACT_KINDS, "none") if totals[k]
        },
        "kind_correct": round(kind_right / max(1, sum(hits.values())), 3),
        "controls_with_conflict": round(controls_flagged / totals["none"], 3)
        if totals["none"]
        else None,
        "extra_conflicts_per_item": round(extra / n, 3),
        "by_language": {
            lang: {kind: round(c[0] / c[1], 3) for kind, c in sorted(cells.items())}
            for lang, cells in sorted(by_language.items())
        },
        "changed_items": changed,
        "ms_per_pair": {
            "analysis": round(1000 * analyse_seconds / n, 1),
            "alignment_and_conflicts": round(1000 * conflict_seconds / n, 2),
        },
        "misses": misses,
        "false_alarms": false_alarms,
        "skipped_items": skipped,
    }

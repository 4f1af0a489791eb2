"""Languages are detected, never assumed; cross-lingual pairs compare through the shared space."""

from __future__ import annotations

import csv
import sys

import pytest

import samestory
from samestory.read import article_from_text


@pytest.fixture(scope="module")
def rows(data_dir) -> list[dict[str, str]]:
    csv.field_size_limit(sys.maxsize)
    with (data_dir / "sts22" / "pairs.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("lang", ["en", "es", "fr", "de", "pl", "tr", "ar", "ru", "zh", "it"])
def test_language_is_detected(rows, lang: str) -> None:
    texts = [r["text1"] for r in rows if r["lang1"] == lang][:5]
    detected = [article_from_text(text).lang for text in texts]
    assert detected.count(lang) >= 4, detected


@pytest.mark.parametrize("pair", ["de-en", "es-en"])
def test_cross_lingual_pairs_of_one_event(rows, pair: str) -> None:
    """Cross-lingual pairs that annotators judged very similar are scored as one event."""
    first, second = pair.split("-")
    close = [
        r for r in rows
        if r["lang1"] == first and r["lang2"] == second and float(r["Overall"]) <= 1.5
    ][:3]  # fmt: skip
    assert close
    same = 0
    for r in close:
        comparison = samestory.compare(
            article_from_text(r["text1"], title=r["title1"]),
            article_from_text(r["text2"], title=r["title2"]),
        )
        assert (comparison.a.lang, comparison.b.lang) == (first, second)
        same += comparison.same_event
    assert same >= 2


def test_translated_copy_aligns_sentence_by_sentence(rows) -> None:
    """A machine translation of a report aligns with its original across languages."""
    import re

    originals = {r["pair_id"]: r for r in rows if r["translated"] == "False"}
    checked = 0
    for r in rows:
        if r["translated"] != "True" or checked >= 2:
            continue
        original = originals.get(re.sub(r"[^0-9_]", "", r["pair_id"]))
        if original is None or original["lang1"] == r["lang1"]:
            continue
        a = article_from_text(original["text1"], title="")
        b = article_from_text(r["text1"], title="")
        comparison = samestory.compare(a, b)
        assert comparison.a.lang != comparison.b.lang
        aligned = len({p.a for p in comparison.alignment})
        assert aligned >= 0.5 * len(comparison.sentences_a), (r["pair_id"], aligned)
        assert comparison.same_event
        checked += 1
    assert checked == 2

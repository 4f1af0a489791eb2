"""Pair features: what the scoring model sees about two analysed articles.

Every feature is symmetric in (a, b), so compare(a, b) and compare(b, a) score alike.
Groups: embedding similarities (document, title, lead, sentence matrix), fact overlap
(places by geonames id and country, names, numbers, dates), lexical overlap, and sizes.
"""

from __future__ import annotations

import math
import re
from collections import Counter

import numpy as np

from ..analyze import Analysis
from ..analyze.gazetteer import lookup
from ..analyze.mentions import Mention

# Sentences at least this similar (USE cosine) count as saying the same thing.
SENTENCE_MATCH = 0.65
SENTENCE_RELATED = 0.5

LANGUAGE_CODES = ("en", "es", "fr", "de", "it", "pl", "tr", "ar", "ru", "zh", "pt", "nl")


def sentence_similarity(a: Analysis, b: Analysis) -> np.ndarray:
    """Cosine similarity of every sentence of A with every sentence of B (n_a x n_b)."""
    return np.asarray(a.sentence_vectors @ b.sentence_vectors.T, dtype=np.float32)


def _jaccard(x: set[str], y: set[str]) -> float:
    if not x and not y:
        return -1.0  # "nothing to compare" is not the same as "no overlap"
    return len(x & y) / len(x | y)


def _overlap(x: set[str], y: set[str]) -> float:
    """Share of the smaller set found in the larger one (detail added is not disagreement)."""
    if not x or not y:
        return -1.0
    return len(x & y) / min(len(x), len(y))


def _values(mentions: list[Mention], kind: str) -> set[str]:
    return {m.value for m in mentions if m.kind == kind}


def place_countries(mentions: list[Mention]) -> set[str]:
    """ISO codes of the countries of the places among ``mentions`` (each place's best match)."""
    countries = set()
    for m in mentions:
        if m.kind == "place":
            places = lookup(m.text)
            if places:
                countries.add(places[0].country)
    return countries


def _name_tokens(mentions: list[Mention]) -> set[str]:
    return {tok for m in mentions if m.kind == "name" for tok in m.value.split() if len(tok) > 2}


_WORD_RE = re.compile(r"\w+", re.UNICODE)


def _words(text: str) -> set[str]:
    return {w for w in _WORD_RE.findall(text.casefold()) if len(w) > 2 and not w.isdigit()}


def _char_ngrams(text: str, n: int = 4) -> Counter[str]:
    squashed = re.sub(r"\s+", " ", text.casefold())
    return Counter(squashed[i : i + n] for i in range(max(0, len(squashed) - n + 1)))


def _cosine_counts(x: Counter[str], y: Counter[str]) -> float:
    if not x or not y:
        return 0.0
    dot = sum(v * y.get(k, 0) for k, v in x.items())
    nx = math.sqrt(sum(v * v for v in x.values()))
    ny = math.sqrt(sum(v * v for v in y.values()))
    return dot / (nx * ny)


# Two names embed this close when they are one entity written in two scripts or languages.
ENTITY_MATCH = 0.8


def _entity_features(a: Analysis, b: Analysis) -> dict[str, float]:
    """Soft overlap of names and places through their embeddings (works across scripts)."""
    names = ("entity_soft_min", "entity_soft_max", "entity_matched_min", "entity_matched_max",
             "entity_matches")  # fmt: skip
    if not len(a.entity_vectors) or not len(b.entity_vectors):
        return dict.fromkeys(names, -1.0)
    m = a.entity_vectors @ b.entity_vectors.T
    row, col = m.max(axis=1), m.max(axis=0)
    soft = _sym(float(row.mean()), float(col.mean()))
    matched = _sym(float((row >= ENTITY_MATCH).mean()), float((col >= ENTITY_MATCH).mean()))
    matches = float(min((row >= ENTITY_MATCH).sum(), (col >= ENTITY_MATCH).sum()))
    return dict(zip(names, (*soft, *matched, matches), strict=True))


def _sym(x: float, y: float) -> tuple[float, float]:
    return min(x, y), max(x, y)


def pair_features(
    a: Analysis, b: Analysis, similarity: np.ndarray | None = None
) -> dict[str, float]:
    """The feature vector of a pair, as an ordered dict (names are the model's columns)."""
    s = sentence_similarity(a, b) if similarity is None else similarity
    row_max = s.max(axis=1)
    col_max = s.max(axis=0)
    f: dict[str, float] = {}
    f["doc_cos"] = float(a.document_vector @ b.document_vector)
    f["title_cos"] = float(a.title_vector @ b.title_vector)
    f["lead_cos"] = float(a.lead_vector @ b.lead_vector)
    f["title_doc_cos"] = float(
        (a.title_vector @ b.document_vector + b.title_vector @ a.document_vector) / 2
    )
    f["lead_doc_cos"] = float(
        (a.lead_vector @ b.document_vector + b.lead_vector @ a.document_vector) / 2
    )
    f["mean_sentence_cos"] = float(a.sentence_vectors.mean(0) @ b.sentence_vectors.mean(0))
    f["sent_max"] = float(s.max())
    f["sent_mean"] = float(s.mean())
    f["best_match_min"], f["best_match_max"] = _sym(float(row_max.mean()), float(col_max.mean()))
    f["coverage_min"], f["coverage_max"] = _sym(
        float((row_max >= SENTENCE_MATCH).mean()), float((col_max >= SENTENCE_MATCH).mean())
    )
    f["related_min"], f["related_max"] = _sym(
        float((row_max >= SENTENCE_RELATED).mean()), float((col_max >= SENTENCE_RELATED).mean())
    )
    top = np.sort(s.ravel())[::-1]
    f["top3_mean"] = float(top[:3].mean())
    f["top10_mean"] = float(top[:10].mean())
    lead_a = s[: min(3, s.shape[0]), : min(3, s.shape[1])]
    f["lead_block_max"] = float(lead_a.max())

    for q in (25, 50, 75):
        f[f"best_match_q{q}_min"], f[f"best_match_q{q}_max"] = _sym(
            float(np.percentile(row_max, q)), float(np.percentile(col_max, q))
        )
    f["title_sentences_min"], f["title_sentences_max"] = _sym(
        float((b.sentence_vectors @ a.title_vector).max()),
        float((a.sentence_vectors @ b.title_vector).max()),
    )
    f.update(_entity_features(a, b))
    f["e5_title_cos"] = float(a.title_vector_e5 @ b.title_vector_e5)
    f["e5_lead_cos"] = float(a.lead_vector_e5 @ b.lead_vector_e5)
    f["e5_title_lead_min"], f["e5_title_lead_max"] = _sym(
        float(a.title_vector_e5 @ b.lead_vector_e5), float(b.title_vector_e5 @ a.lead_vector_e5)
    )

    ma, mb = list(a.mentions), list(b.mentions)
    places_a, places_b = _values(ma, "place"), _values(mb, "place")
    f["place_jaccard"] = _jaccard(places_a, places_b)
    f["place_overlap"] = _overlap(places_a, places_b)
    f["place_shared"] = float(len(places_a & places_b))
    countries_a, countries_b = place_countries(ma), place_countries(mb)
    f["country_jaccard"] = _jaccard(countries_a, countries_b)
    f["country_overlap"] = _overlap(countries_a, countries_b)
    names_a, names_b = _name_tokens(ma), _name_tokens(mb)
    f["name_jaccard"] = _jaccard(names_a, names_b)
    f["name_overlap"] = _overlap(names_a, names_b)
    f["name_shared"] = float(len(names_a & names_b))
    numbers_a, numbers_b = _values(ma, "number"), _values(mb, "number")
    f["number_jaccard"] = _jaccard(numbers_a, numbers_b)
    f["number_overlap"] = _overlap(numbers_a, numbers_b)
    dates_a, dates_b = _values(ma, "date"), _values(mb, "date")
    years_a = {v[:4] for v in dates_a if v[:4].isdigit()}
    years_b = {v[:4] for v in dates_b if v[:4].isdigit()}
    f["date_jaccard"] = _jaccard(dates_a, dates_b)
    months_a = {v[:7] for v in dates_a if len(v) >= 7 and v[:4].isdigit()}
    months_b = {v[:7] for v in dates_b if len(v) >= 7 and v[:4].isdigit()}
    f["month_jaccard"] = _jaccard(months_a, months_b)
    weekdays_a = {v for v in dates_a if v.startswith("weekday:")}
    weekdays_b = {v for v in dates_b if v.startswith("weekday:")}
    f["weekday_jaccard"] = _jaccard(weekdays_a, weekdays_b)
    f["year_jaccard"] = _jaccard(years_a, years_b)
    f["year_overlap"] = _overlap(years_a, years_b)
    if years_a and years_b:
        f["year_gap"] = float(min(abs(int(x) - int(y)) for x in years_a for y in years_b))
    else:
        f["year_gap"] = -1.0

    text_a, text_b = a.article.full_text, b.article.full_text
    words_a, words_b = _words(text_a), _words(text_b)
    f["word_jaccard"] = _jaccard(words_a, words_b)
    f["word_overlap"] = _overlap(words_a, words_b)
    f["char4_cos"] = _cosine_counts(_char_ngrams(text_a), _char_ngrams(text_b))
    f["title_char4_cos"] = _cosine_counts(
        _char_ngrams(a.article.title or a.sentences[0]),
        _char_ngrams(b.article.title or b.sentences[0]),
    )

    f["chars_min"], f["chars_max"] = _sym(math.log1p(len(text_a)), math.log1p(len(text_b)))
    f["sentences_min"], f["sentences_max"] = _sym(float(len(a.sentences)), float(len(b.sentences)))
    f["same_language"] = float(a.lang == b.lang)
    codes = {a.lang, b.lang}
    for code in LANGUAGE_CODES:
        f[f"lang_{code}"] = float(code in codes)
    return f


FEATURE_NAMES = [
    "doc_cos", "title_cos", "lead_cos", "title_doc_cos", "lead_doc_cos", "mean_sentence_cos",
    "sent_max", "sent_mean", "best_match_min", "best_match_max", "coverage_min", "coverage_max",
    "best_match_q25_min", "best_match_q25_max", "best_match_q50_min", "best_match_q50_max",
    "best_match_q75_min", "best_match_q75_max", "title_sentences_min", "title_sentences_max",
    "entity_soft_min", "entity_soft_max", "entity_matched_min", "entity_matched_max",
    "entity_matches", "month_jaccard", "weekday_jaccard", "e5_title_cos", "e5_lead_cos",
    "e5_title_lead_min", "e5_title_lead_max",
    "related_min", "related_max", "top3_mean", "top10_mean", "lead_block_max", "place_jaccard",
    "place_overlap", "place_shared", "country_jaccard", "country_overlap", "name_jaccard",
    "name_overlap", "name_shared", "number_jaccard", "number_overlap", "date_jaccard",
    "year_jaccard", "year_overlap", "year_gap", "word_jaccard", "word_overlap", "char4_cos",
    "title_char4_cos", "chars_min", "chars_max", "sentences_min", "sentences_max",
    "same_language", *[f"lang_{code}" for code in LANGUAGE_CODES],
]  # fmt: skip

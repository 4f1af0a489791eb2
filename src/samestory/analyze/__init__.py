"""Analysis of one article: sentences, facts and embeddings, computed once and reused."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from ..article import Article
from ..errors import InputError
from .gazetteer import spot_uncased_places
from .mentions import (
    Mention,
    body_capitals,
    find_dates,
    find_names_and_places,
    find_numbers,
    german_nouns,
    lowercase_vocabulary,
    resolve_surnames,
)
from .models import E5_DIM, EMBEDDING_DIM, embed_composed, embed_e5
from .sentences import split_sentences

__all__ = ["ANALYSIS_VERSION", "Analysis", "Mention", "analyze", "analyze_many"]

# Bump when analysis output changes (sentences, mentions, vectors): cached analyses of another
# version (the training cache, the store's analyses table) are computed again.
ANALYSIS_VERSION = "13"

# The lead is what a reader sees first; news puts the event there.
LEAD_SENTENCES = 3
# Names and places embedded per article, so that "Путин" can meet "Putin" across scripts.
MAX_ENTITIES = 40


@dataclass(frozen=True, kw_only=True, eq=False)
class Analysis:
    """What samestory knows about one article.

    ``sentences`` are those of the headline and body (``Article.full_text``): the headline is
    the first sentence whether it came as a title field, an HTML page's metadata or the first
    line of a text, so two reports are seen alike however they were read.
    ``sentence_vectors[i]`` embeds ``sentences[i]``; ``document_vector`` embeds the headline
    and body (composed from the sentences), ``title_vector`` the headline (or the first
    sentence when there is none) and ``lead_vector`` the first sentences; ``entity_vectors[i]``
    embeds ``entities[i]``, a distinct name or place as written. All vectors are L2-normalised.
    """

    article: Article
    lang: str
    sentences: tuple[str, ...]
    mentions: tuple[Mention, ...]
    sentence_vectors: np.ndarray = field(repr=False)
    document_vector: np.ndarray = field(repr=False)
    title_vector: np.ndarray = field(repr=False)
    lead_vector: np.ndarray = field(repr=False)
    entities: tuple[str, ...] = ()
    entity_vectors: np.ndarray = field(
        default_factory=lambda: np.zeros((0, EMBEDDING_DIM), dtype=np.float32), repr=False
    )
    title_vector_e5: np.ndarray = field(
        default_factory=lambda: np.zeros(E5_DIM, dtype=np.float32), repr=False
    )
    lead_vector_e5: np.ndarray = field(
        default_factory=lambda: np.zeros(E5_DIM, dtype=np.float32), repr=False
    )

    @property
    def has_e5(self) -> bool:
        """Whether the e5 headline and lead vectors were computed (they are unit vectors)."""
        return bool(np.any(self.lead_vector_e5))

    def mentions_of(self, kind: str) -> list[Mention]:
        return [m for m in self.mentions if m.kind == kind]


def extract_mentions(sentences: list[str], text: str, lang: str | None = None) -> list[Mention]:
    lowercase = lowercase_vocabulary(text)
    german = german_nouns(text) if lang == "de" else None
    confirmed = body_capitals(sentences, lowercase)
    mentions: list[Mention] = []
    for index, sentence in enumerate(sentences):
        mentions.extend(
            find_names_and_places(
                sentence, index, lowercase, german, turkish=lang == "tr", confirmed=confirmed
            )
        )
        for place_text, start, end, place in spot_uncased_places(sentence, lang):
            mentions.append(Mention("place", place_text, str(place.geonameid), index, start, end))
        mentions.extend(find_numbers(sentence, index))
        mentions.extend(find_dates(sentence, index, lang))
    return resolve_surnames(mentions)


def entity_texts(mentions: list[Mention]) -> list[str]:
    """Distinct names and places as written, in order of first mention (at most MAX_ENTITIES)."""
    seen: dict[str, None] = {}
    for m in mentions:
        if m.kind in ("name", "place") and m.text not in seen:
            seen[m.text] = None
    return list(seen)[:MAX_ENTITIES]


def _headline_and_lead(article: Article, sentences: Sequence[str]) -> list[str]:
    """The two texts the e5 model embeds: the headline (else the first sentence) and the lead."""
    return [article.title or sentences[0], " ".join(sentences[:LEAD_SENTENCES])]


def with_e5(analysis: Analysis) -> Analysis:
    """The analysis with e5 vectors of its headline and lead (computed when it has none)."""
    if analysis.has_e5:
        return analysis
    vectors = embed_e5(_headline_and_lead(analysis.article, analysis.sentences))
    return replace(analysis, title_vector_e5=vectors[0], lead_vector_e5=vectors[1])


def analyze_many(articles: list[Article], *, e5: bool = False) -> list[Analysis]:
    """Analyze several articles, embedding all their texts in one batch (much faster).

    Each sentence, the headline and each distinct name are embedded once (USE); the document
    and lead vectors are composed from the sentences' token sums (see ``models.embed_composed``);
    with ``e5`` the headline and lead are also embedded by the stronger, slower e5 model
    (the accurate pair model needs them; ``with_e5`` adds them later).
    """
    prepared = []
    texts: list[str] = []
    groups: list[list[int]] = []
    headlines_and_leads: list[str] = []
    for article in articles:
        # the headline counts as the first sentence, as in most texts the pair model learnt from
        sentences = split_sentences(article.full_text)
        if not sentences:
            raise InputError(article.source or "<text>", "no sentences found in the article text")
        mentions = extract_mentions(sentences, article.full_text, article.lang)
        entities = entity_texts(mentions)
        offset = len(texts)
        texts.extend(sentences)
        groups.append(list(range(offset, offset + len(sentences))))
        groups.append(list(range(offset, offset + min(LEAD_SENTENCES, len(sentences)))))
        title = len(texts) if article.title else offset
        if article.title:
            texts.append(article.title)
        texts.extend(entities)
        headlines_and_leads += _headline_and_lead(article, sentences)
        prepared.append((article, sentences, mentions, entities, offset, title))
    vectors, composed = embed_composed(texts, groups)
    e5_vectors = embed_e5(headlines_and_leads) if e5 else None
    analyses = []
    for k, (article, sentences, mentions, entities, offset, title) in enumerate(prepared):
        first_entity = offset + len(sentences) + (1 if article.title else 0)
        analyses.append(
            Analysis(
                article=article,
                lang=article.lang or "en",
                sentences=tuple(sentences),
                mentions=tuple(mentions),
                document_vector=composed[2 * k],
                lead_vector=composed[2 * k + 1],
                title_vector=vectors[title],
                sentence_vectors=vectors[offset : offset + len(sentences)],
                entities=tuple(entities),
                entity_vectors=vectors[first_entity : first_entity + len(entities)],
                **(
                    {"title_vector_e5": e5_vectors[2 * k], "lead_vector_e5": e5_vectors[2 * k + 1]}
                    if e5_vectors is not None
                    else {}
                ),
            )
        )
    return analyses


def analyze(article: Article | str | Path) -> Analysis:
    """Analyze one article (an Article, a path or the text itself)."""
    if not isinstance(article, Article):
        from ..read import read

        article = read(article)
    return analyze_many([article])[0]


from .._callable import make_module_callable  # noqa: E402

make_module_callable(__name__, analyze)

"""Analysis of one article: sentences, facts and embeddings, computed once and reused."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..article import Article
from ..errors import InputError
from .mentions import (
    Mention,
    find_dates,
    find_names_and_places,
    find_numbers,
    lowercase_vocabulary,
    resolve_surnames,
)
from .models import embed
from .sentences import split_sentences

__all__ = ["Analysis", "Mention", "analyze", "analyze_many"]

# The lead is what a reader sees first; news puts the event there.
LEAD_SENTENCES = 3


@dataclass(frozen=True, kw_only=True, eq=False)
class Analysis:
    """What samestory knows about one article.

    ``sentence_vectors[i]`` embeds ``sentences[i]``; ``document_vector`` embeds the whole
    body, ``title_vector`` the headline (or the first sentence when there is none) and
    ``lead_vector`` the first sentences. All vectors are L2-normalised.
    """

    article: Article
    lang: str
    sentences: tuple[str, ...]
    mentions: tuple[Mention, ...]
    sentence_vectors: np.ndarray = field(repr=False)
    document_vector: np.ndarray = field(repr=False)
    title_vector: np.ndarray = field(repr=False)
    lead_vector: np.ndarray = field(repr=False)

    def mentions_of(self, kind: str) -> list[Mention]:
        return [m for m in self.mentions if m.kind == kind]


def extract_mentions(sentences: list[str], text: str) -> list[Mention]:
    lowercase = lowercase_vocabulary(text)
    mentions: list[Mention] = []
    for index, sentence in enumerate(sentences):
        mentions.extend(find_names_and_places(sentence, index, lowercase))
        mentions.extend(find_numbers(sentence, index))
        mentions.extend(find_dates(sentence, index))
    return resolve_surnames(mentions)


def analyze_many(articles: list[Article]) -> list[Analysis]:
    """Analyze several articles, embedding all their texts in one batch (much faster)."""
    prepared = []
    texts: list[str] = []
    for article in articles:
        sentences = split_sentences(article.text)
        if not sentences:
            raise InputError(article.source or "<text>", "no sentences found in the article text")
        title = article.title or sentences[0]
        lead = " ".join(sentences[:LEAD_SENTENCES])
        prepared.append((article, sentences, len(texts)))
        texts.extend([article.text, title, lead, *sentences])
    vectors = embed(texts)
    analyses = []
    for article, sentences, offset in prepared:
        analyses.append(
            Analysis(
                article=article,
                lang=article.lang or "en",
                sentences=tuple(sentences),
                mentions=tuple(extract_mentions(sentences, article.full_text)),
                document_vector=vectors[offset],
                title_vector=vectors[offset + 1],
                lead_vector=vectors[offset + 2],
                sentence_vectors=vectors[offset + 3 : offset + 3 + len(sentences)],
            )
        )
    return analyses


def analyze(article: Article | str) -> Analysis:
    """Analyze one article (an Article, a path or the text itself)."""
    if not isinstance(article, Article):
        from ..read import read

        article = read(article)
    return analyze_many([article])[0]


from .._callable import make_module_callable  # noqa: E402

make_module_callable(__name__, analyze)

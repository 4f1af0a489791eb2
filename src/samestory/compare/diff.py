"""Two versions of one article: sentences added, removed and changed, and the facts that changed.

Sentences are paired by the same alignment as ``compare`` (so a reworded or moved sentence is
"changed" or unchanged, not removed and added), each changed pair gets a word-level diff, and
the facts come from the same conflict finder: a name, number, date or place the new version
gives differently. No scoring model is needed.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..analyze import Analysis, analyze_many
from ..article import Article
from .align import AlignOptions, align
from .comparison import Conflict, DocumentSummary, Inconsistency, span_list
from .conflicts import find_conflicts
from .features import sentence_similarity

_WORDS = re.compile(r"\s+|[^\w\s]|\w+", re.UNICODE)
# Zero-width (non-)joiners stand inside words (Persian "می‌خواهم"), like combining marks.
_JOINERS = {"\u200c", "\u200d"}


def _in_word(token: str) -> bool:
    """A run of word characters, or a combining mark or joiner (which ``\\w`` leaves out)."""
    first = token[0]
    return (
        first.isalnum() or first == "_" or first in _JOINERS
        or unicodedata.category(first).startswith("M")
    )  # fmt: skip


def _tokens(text: str) -> list[str]:
    """Words, spaces and punctuation marks; a word keeps its combining marks: Arabic harakat
    ("مساءً"), Devanagari vowel signs ("हिन्दी"), accents of decomposed Latin text."""
    tokens: list[str] = []
    for token in _WORDS.findall(text):
        if tokens and _in_word(token) and _in_word(tokens[-1]):
            tokens[-1] += token
        else:
            tokens.append(token)
    return tokens


@dataclass(frozen=True, kw_only=True)
class DiffOptions:
    """Options of a version diff.

    ``align``: the sentence alignment; versions of one article share most sentences word for
    word, so the defaults of ``compare`` serve (an edited sentence stays well above 0.65).
    """

    align: AlignOptions = field(default_factory=AlignOptions)


@dataclass(frozen=True, kw_only=True)
class WordEdit:
    """A run of words: "equal" in both versions, "delete"d from the old, "insert"ed in the new."""

    op: str
    text: str

    def to_dict(self) -> dict[str, str]:
        return {"op": self.op, "text": self.text}


@dataclass(frozen=True, kw_only=True)
class ChangedSentence:
    """Sentence ``old`` of the old version became sentence ``new`` of the new one."""

    old: int
    new: int
    similarity: float
    words: tuple[WordEdit, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "old": self.old,
            "new": self.new,
            "similarity": round(float(self.similarity), 3),
            "words": [w.to_dict() for w in self.words],
        }


@dataclass(frozen=True, kw_only=True)
class VersionDiff:
    """What changed between two versions; ``to_dict()`` is the JSON of ``samestory diff``.

    In ``facts`` a Conflict's ``a`` is the old value and ``b`` the new one (``a_sentence`` and
    ``b_sentence`` index the old and the new sentences).
    """

    old: DocumentSummary
    new: DocumentSummary
    sentences_old: tuple[str, ...]
    sentences_new: tuple[str, ...]
    unchanged: tuple[tuple[int, int], ...]
    changed: tuple[ChangedSentence, ...]
    added: tuple[int, ...]
    removed: tuple[int, ...]
    facts: tuple[Conflict, ...]
    inconsistencies: tuple[Inconsistency, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        def fact(c: Conflict) -> dict[str, Any]:
            return {"kind": c.kind, "old": c.a, "new": c.b, "old_sentence": c.a_sentence,
                    "new_sentence": c.b_sentence, "reason": c.reason,
                    "old_span": span_list(c.a_span), "new_span": span_list(c.b_span)}  # fmt: skip

        return {
            "old": self.old.to_dict(),
            "new": self.new.to_dict(),
            "sentences": {"old": list(self.sentences_old), "new": list(self.sentences_new)},
            "unchanged": [list(pair) for pair in self.unchanged],
            "changed": [c.to_dict() for c in self.changed],
            "added": list(self.added),
            "removed": list(self.removed),
            "facts": [fact(c) for c in self.facts],
            "inconsistencies": [i.to_dict() for i in self.inconsistencies],
        }

    def _repr_html_(self) -> str:
        """The diff report as an HTML fragment for a notebook, like ``Comparison``'s: the
        report's ``<style>`` (without its page-wide ``body`` rule) and its ``<main>``, taken
        from the page of :func:`~samestory.render.diff_html.render_diff_html`."""
        from ..render.diff_html import render_diff_html

        page = render_diff_html(self)
        style_at, style_end = page.find("<style>"), page.find("</style>")
        main_at, main_end = page.find('<main class="ssr">'), page.rfind("</main>")
        if min(style_at, style_end, main_at, main_end) < 0:  # pragma: no cover - template changed
            return page
        rules = page[style_at:style_end].splitlines()
        style = "\n".join(line for line in rules if not line.startswith("body ")) + "\n</style>"
        return f"{style}\n{page[main_at : main_end + len('</main>')]}"


def word_diff(old: str, new: str) -> tuple[WordEdit, ...]:
    """Word-level edits turning ``old`` into ``new`` (a replacement is a delete then an insert)."""
    x, y = _tokens(old), _tokens(new)
    edits: list[WordEdit] = []

    def push(op: str, text: str) -> None:
        if not text:
            return
        if edits and edits[-1].op == op:
            edits[-1] = WordEdit(op=op, text=edits[-1].text + text)
        else:
            edits.append(WordEdit(op=op, text=text))

    matcher = difflib.SequenceMatcher(a=x, b=y, autojunk=False)
    parts = [(tag == "equal", "".join(x[i1:i2]), "".join(y[j1:j2]))
             for tag, i1, i2, j1, j2 in matcher.get_opcodes()]  # fmt: skip
    # a space between two changed words belongs to the change: "[-he heard-]{+40 miles+}",
    # not "[-he-]{+40+} [-heard-]{+miles+}"
    merged: list[tuple[bool, str, str]] = []
    for k, (same, before, after) in enumerate(parts):
        inside = 0 < k < len(parts) - 1 and not parts[k - 1][0] and not parts[k + 1][0]
        if same and inside and before.isspace():
            same = False
        if merged and not same and not merged[-1][0]:
            merged[-1] = (False, merged[-1][1] + before, merged[-1][2] + after)
        else:
            merged.append((same, before, after))
    for same, before, after in merged:
        if same:
            push("equal", before)
        else:
            push("delete", before)
            push("insert", after)
    return tuple(edits)


def _same_text(x: str, y: str) -> bool:
    return " ".join(x.split()) == " ".join(y.split())


def diff_analyses(old: Analysis, new: Analysis, options: DiffOptions | None = None) -> VersionDiff:
    """The diff of two analysed versions of one article."""
    options = options or DiffOptions()
    alignment, removed, added = align(old, new, sentence_similarity(old, new), options.align)
    unchanged, changed = [], []
    for pair in alignment:
        before, after = old.sentences[pair.a], new.sentences[pair.b]
        if _same_text(before, after):
            unchanged.append((pair.a, pair.b))
        else:
            changed.append(ChangedSentence(old=pair.a, new=pair.b, similarity=pair.similarity,
                                           words=word_diff(before, after)))  # fmt: skip
    facts, inconsistencies = find_conflicts(old, new, alignment)
    return VersionDiff(
        old=DocumentSummary.of(old),
        new=DocumentSummary.of(new),
        sentences_old=old.sentences,
        sentences_new=new.sentences,
        unchanged=tuple(unchanged),
        changed=tuple(changed),
        added=tuple(added),
        removed=tuple(removed),
        facts=tuple(facts),
        inconsistencies=tuple(replace(i, doc="new") for i in inconsistencies if i.doc == "b"),
    )


def diff_versions(
    old: Article | Analysis | str | Path,
    new: Article | Analysis | str | Path,
    options: DiffOptions | None = None,
) -> VersionDiff:
    """Diff two versions of one article, given as Articles, Analyses, paths or texts.

    ``inconsistencies`` lists what the new version writes two ways itself.
    """
    from ..read import read

    sides: list[Analysis | Article] = [
        x if isinstance(x, Analysis | Article) else read(x) for x in (old, new)
    ]
    to_analyze = [x for x in sides if isinstance(x, Article)]
    analysed = iter(analyze_many(to_analyze)) if to_analyze else iter(())
    before, after = (x if isinstance(x, Analysis) else next(analysed) for x in sides)
    return diff_analyses(before, after, options)

"""HTML blocks with layout features, and the learned classifier that keeps the main text.

A page is cut into text blocks at block-level elements (paragraphs, headings, list items,
table cells, divs holding their own text). Each block is described by what a reader's eye
uses: its tag, length, how much of it is link text, where it sits on the page, the class/id
words of its ancestors ("related", "share", "footer", "article-body" ...), and how much of it
trafilatura's own extract contains. No site-specific rule: the words are generic
page-template vocabulary. A small LightGBM model (``block_model.txt.gz``, trained on the WCXB
development pages by ``scripts/train_block_model.py``) turns the features into a keep/drop
decision per block.
"""

from __future__ import annotations

import contextlib
import gzip
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

_BLOCK_TAGS = frozenset(
    [
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "dt",
        "dd",
        "td",
        "th",
        "blockquote",
        "pre",
        "figcaption",
        "caption",
        "div",
        "section",
        "article",
        "main",
        "aside",
        "header",
        "footer",
        "nav",
        "ul",
        "ol",
        "dl",
        "table",
        "tr",
        "tbody",
        "thead",
        "form",
        "fieldset",
        "address",
        "details",
        "summary",
        "center",
        "body",
    ]
)
_DROP_TAGS = frozenset(
    [
        "script",
        "style",
        "noscript",
        "svg",
        "iframe",
        "template",
        "button",
        "select",
        "option",
        "input",
        "textarea",
        "canvas",
        "video",
        "audio",
        "object",
        "embed",
        "head",
        "title",
        "meta",
        "link",
        "map",
    ]
)
_TAG_FEATURES = ("p", "h", "li", "td", "blockquote", "pre", "figcaption", "div", "dt")
_SEMANTIC_ANCESTORS = (
    "article", "main", "nav", "footer", "header", "aside", "form", "figure", "table",
)  # fmt: skip
# Generic template vocabulary found in class and id attributes, grouped by what it signals.
_CLASS_WORDS: dict[str, tuple[str, ...]] = {
    "content": (
        "article",
        "content",
        "post",
        "entry",
        "story",
        "body",
        "text",
        "main",
        "prose",
        "blog",
        "rich",
    ),
    "navigation": (
        "nav",
        "menu",
        "breadcrumb",
        "header",
        "footer",
        "masthead",
        "toolbar",
        "pagination",
        "pager",
        "topbar",
        "skip",
    ),
    "related": (
        "related",
        "recommend",
        "more",
        "popular",
        "trending",
        "teaser",
        "promo",
        "card",
        "list",
        "feed",
        "widget",
        "sidebar",
        "aside",
        "rail",
        "tags",
        "tag",
    ),
    "social": (
        "share",
        "social",
        "follow",
        "subscribe",
        "newsletter",
        "signup",
        "sign-up",
        "cta",
        "donate",
        "banner",
        "modal",
        "popup",
        "cookie",
        "consent",
        "gdpr",
    ),
    "meta": (
        "author",
        "byline",
        "bio",
        "date",
        "time",
        "meta",
        "credit",
        "caption",
        "photo",
        "image",
        "media",
        "figure",
        "avatar",
        "info",
    ),
    "comment": ("comment", "disqus", "reply", "respond", "discussion"),
    "ad": ("ad", "ads", "advert", "sponsor", "dfp", "taboola", "outbrain", "affiliate"),
}
_CLASS_SPLIT = re.compile(r"[^a-z]+")
_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"[.!?。！？…\"'”»)]\s*$")


@dataclass
class Block:
    text: str
    tag: str
    link_words: int
    ancestors: tuple[str, ...]  # semantic ancestor tags, innermost first
    class_words: frozenset[str]  # class/id vocabulary groups of the ancestors (and itself)
    near_class_words: frozenset[str]  # the same for the nearest three ancestors only
    depth: int


@lru_cache(maxsize=8192)
def _class_groups(value: str) -> frozenset[str]:
    tokens = {t for t in _CLASS_SPLIT.split(value.lower()) if t}
    joined = value.lower()
    groups = set()
    for group, words in _CLASS_WORDS.items():
        for word in words:
            if word in tokens or (len(word) > 4 and word in joined):
                groups.add(group)
                break
    return frozenset(groups)


def parse_html(html: str) -> Any | None:
    """The lxml tree of ``html``, parsed as trafilatura parses it (None when it is not HTML)."""
    from trafilatura.utils import load_html

    try:
        return load_html(html)
    except (ValueError, TypeError):
        return None


def html_blocks(tree: Any) -> list[Block]:
    """The text blocks of a parsed page in document order."""
    body = tree.find("body")
    if body is None:
        body = tree
    blocks: list[Block] = []
    # Pathologically deep markup stops the walk; the blocks found so far are kept.
    with contextlib.suppress(RecursionError):
        _walk(body, blocks, [], [], 0)
    return blocks


def _walk(
    element: object,
    blocks: list[Block],
    semantic: list[str],
    class_stack: list[frozenset[str]],
    depth: int,
) -> None:
    # Iterative over children, recursive over block elements only: inline markup is gathered
    # into the current block's text.
    parts: list[str] = []
    link_parts: list[int] = [0]

    def flush(tag: str) -> None:
        text = " ".join(" ".join(parts).split())
        if text:
            near: set[str] = set().union(*class_stack[-3:]) if class_stack else set()
            blocks.append(
                Block(
                    text=text,
                    tag=tag,
                    link_words=link_parts[0],
                    ancestors=tuple(reversed(semantic)),
                    class_words=frozenset(set().union(*class_stack)),
                    near_class_words=frozenset(near),
                    depth=depth,
                )
            )
        parts.clear()
        link_parts[0] = 0

    tag = _tag(element)
    if getattr(element, "text", None):
        parts.append(element.text)  # type: ignore[attr-defined]
    for child in element:  # type: ignore[attr-defined]
        child_tag = _tag(child)
        if not isinstance(child.tag, str) or child_tag in _DROP_TAGS:
            if child.tail:
                parts.append(child.tail)
            continue
        if child_tag in _BLOCK_TAGS:
            flush(tag)
            groups = _class_groups(f"{child.get('class', '')} {child.get('id', '')}")
            class_stack.append(groups)
            is_semantic = child_tag in _SEMANTIC_ANCESTORS
            if is_semantic:
                semantic.append(child_tag)
            _walk(child, blocks, semantic, class_stack, depth + 1)
            if is_semantic:
                semantic.pop()
            class_stack.pop()
            if child.tail:
                parts.append(child.tail)
        else:
            text = child.text_content()
            if text:
                parts.append(text)
                if child_tag == "a" or child.find(".//a") is not None:
                    anchor_text = text if child_tag == "a" else " ".join(
                        a.text_content() for a in child.iter("a"))  # fmt: skip
                    link_parts[0] += len(_WORD.findall(anchor_text))
            if child.tail:
                parts.append(child.tail)
    flush(tag)


def _tag(element: object) -> str:
    tag = getattr(element, "tag", "")
    return tag.lower() if isinstance(tag, str) else ""


def _tag_feature(tag: str) -> str:
    if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
        return "h"
    if tag in ("th",):
        return "td"
    if tag in ("dd",):
        return "dt"
    return tag


FEATURE_NAMES = (
    *("log_words", "link_share", "ends_sentence", "comma_share", "digit_share", "upper_start",
     "position", "word_position", "depth", "log_doc_words", "prev_log_words", "next_log_words",
     "prev_link_share", "next_link_share", "in_reference_extract", "window_words",
     "window_link_share", "exact_in_extract", "prev_in_extract", "next_in_extract",
     "window_in_extract", "inside_extract_region", "blocks_outside_region", "log_extract_words",
     "boilerplate_line"),
    *(f"tag_{t}" for t in _TAG_FEATURES),
    *(f"in_{t}" for t in _SEMANTIC_ANCESTORS),
    *(f"class_{g}" for g in _CLASS_WORDS),
    *(f"near_{g}" for g in _CLASS_WORDS),
)  # fmt: skip


def _share_in(text: str, words: set[str]) -> float:
    tokens = _WORD.findall(text.lower())
    return sum(t in words for t in tokens) / len(tokens) if tokens else -1.0


def block_features(blocks: Sequence[Block], extract_text: str) -> list[list[float]]:
    """One feature row per block (``FEATURE_NAMES`` order), given trafilatura's extract.

    The ``*_extract`` features say how much of a block (and of its neighbours) trafilatura
    kept, so the model can lean on trafilatura where the layout gives no signal.
    """
    reference_words = set(_WORD.findall(extract_text.lower()))
    from .boilerplate import classify_line

    words = [len(_WORD.findall(b.text)) for b in blocks]
    links = [min(1.0, b.link_words / w) if w else 0.0 for b, w in zip(blocks, words, strict=True)]
    total = sum(words) or 1
    n = len(blocks)
    in_ref = [_share_in(b.text, reference_words) for b in blocks]
    normalised_extract = f" {_norm(extract_text)} " if extract_text else ""
    exact = [
        float(bool(normalised_extract) and f" {_norm(b.text)} " in normalised_extract)
        for b in blocks
    ]
    anchors = [i for i in range(n) if exact[i] and words[i] >= 5]
    first, last = (anchors[0], anchors[-1]) if anchors else (n, -1)
    log_extract_words = math.log1p(len(extract_text.split())) if extract_text else 0.0
    rows: list[list[float]] = []
    before = 0
    for i, block in enumerate(blocks):
        w = words[i]
        lo, hi = max(0, i - 2), min(n, i + 3)
        window_words = sum(words[lo:hi])
        window_links = sum(links[j] * words[j] for j in range(lo, hi)) / max(1, window_words)
        window_in = sum(max(0.0, in_ref[j]) * words[j] for j in range(lo, hi))
        window_in /= max(1, window_words)
        outside = first - i if i < first else (i - last if i > last else 0)
        row = [
            math.log1p(w),
            links[i],
            float(bool(_SENTENCE_END.search(block.text))),
            block.text.count(",") / max(1, w),
            sum(c.isdigit() for c in block.text) / max(1, len(block.text)),
            float(block.text[:1].isupper()),
            i / max(1, n - 1),
            before / total,
            float(block.depth),
            math.log1p(total),
            math.log1p(words[i - 1]) if i > 0 else -1.0,
            math.log1p(words[i + 1]) if i + 1 < n else -1.0,
            links[i - 1] if i > 0 else -1.0,
            links[i + 1] if i + 1 < n else -1.0,
            in_ref[i],
            math.log1p(window_words),
            window_links,
            exact[i],
            in_ref[i - 1] if i > 0 else -1.0,
            in_ref[i + 1] if i + 1 < n else -1.0,
            window_in,
            float(first <= i <= last),
            float(min(outside, 50)),
            log_extract_words,
            float(classify_line(block.text) is not None),
        ]
        tag = _tag_feature(block.tag)
        row += [float(tag == t) for t in _TAG_FEATURES]
        row += [float(a in block.ancestors) for a in _SEMANTIC_ANCESTORS]
        row += [float(g in block.class_words) for g in _CLASS_WORDS]
        row += [float(g in block.near_class_words) for g in _CLASS_WORDS]
        before += w
        rows.append(row)
    return rows


# --- labels (training only) ----------------------------------------------------------------


def _norm(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def block_labels(texts: Sequence[str], reference: str) -> list[int]:
    """1 for blocks that belong to the reference main text, 0 for the others.

    A block belongs when it is a whole line of the reference (short blocks, headings) or when
    most of its word trigrams occur in the reference (paragraphs, however they are wrapped).
    """
    ref_norm = f" {_norm(reference)} "
    ref_lines = {_norm(line) for line in reference.split("\n") if line.strip()}
    ref_words = ref_norm.split()
    ref_trigrams = {tuple(ref_words[i : i + 3]) for i in range(len(ref_words) - 2)}
    labels = []
    for text in texts:
        norm = _norm(text)
        words = norm.split()
        if not words:
            labels.append(0)
        elif norm in ref_lines:
            labels.append(1)
        elif len(words) < 6:
            labels.append(int(len(words) >= 3 and f" {norm} " in ref_norm))
        else:
            trigrams = [tuple(words[i : i + 3]) for i in range(len(words) - 2)]
            share = sum(t in ref_trigrams for t in trigrams) / len(trigrams)
            labels.append(int(share >= 0.5))
    return labels


# --- the shipped model ---------------------------------------------------------------------

MODEL_FILE = "block_model.txt.gz"
# The model's own decision boundary; cross-validated scores are reported at this value.
KEEP_THRESHOLD = 0.5


@lru_cache(maxsize=1)
def load_model() -> Any | None:
    """The shipped LightGBM booster, or None when the package carries no model file."""
    resource = resources.files("samestory.read").joinpath(MODEL_FILE)
    if not resource.is_file():
        return None
    import lightgbm

    return lightgbm.Booster(model_str=gzip.decompress(resource.read_bytes()).decode("utf-8"))


def main_blocks(
    blocks: Sequence[Block], extract_text: str, model: Any | None = None
) -> list[str] | None:
    """The texts of the blocks the model keeps; None when no model is available."""
    model = model if model is not None else load_model()
    if model is None or not blocks:
        return None
    import numpy as np

    scores = model.predict(np.asarray(block_features(blocks, extract_text), dtype=np.float64))
    return select_blocks([b.text for b in blocks], scores)


def select_blocks(texts: Sequence[str], scores: Sequence[float]) -> list[str]:
    """The texts scored at or above the threshold, each only once.

    Pages often carry the article twice (a hidden mobile copy, a print version, a teaser
    repeating the lead); a repeated block is a copy, not more text.
    """
    seen: set[str] = set()
    kept = []
    for text, score in zip(texts, scores, strict=True):
        if score < KEEP_THRESHOLD:
            continue
        key = _norm(text)
        if len(key) > 20 and key in seen:
            continue
        seen.add(key)
        kept.append(text)
    return kept

"""Sentence splitting that works across languages without a model.

Paragraph breaks always end a sentence. Inside a paragraph a sentence ends at ., ! or ?
(or their CJK forms) followed by a space and an upper-case letter, a quote or a digit,
except after known abbreviations, single initials and inside numbers ("3.5").
"""

from __future__ import annotations

import re

from .mentions import is_month_word

_ABBREVIATIONS = {
    # en
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "gen", "gov", "sen", "rep", "lt",
    "col", "sgt", "capt", "cmdr", "adm", "supt", "insp", "det", "rev", "hon", "pres", "vs",
    "etc", "inc", "ltd", "co", "corp", "no", "vol", "fig", "approx", "est", "dept", "univ",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "u.s", "u.k", "u.n", "e.g", "i.e", "a.m", "p.m", "d.c",
    # es / fr / it / pt
    "sra", "srta", "dña", "ud", "uds", "mme", "mlle", "mgr", "av", "pág", "núm", "sig",
    # de
    "bzw", "ca", "evtl", "ggf", "inkl", "nr", "str", "usw", "vgl", "z.b", "d.h", "u.a",
    "mio", "mrd", "tel", "abs", "art",
}  # fmt: skip

_CANDIDATE = re.compile(r"([.!?…]+[\"'”’»)\]]*)(\s+)(?=[\"'“‘«(\[¿¡]?[\w\d])")
_CJK_END = re.compile(r"([。！？!?]+[」』”’）]*)")
_LAST_WORD = re.compile(r"(\S+)$")


def _is_abbreviation(before: str) -> bool:
    match = _LAST_WORD.search(before)
    if not match:
        return False
    word = match.group(1).rstrip(".").lstrip("(\"'“«").lower()
    if word in _ABBREVIATIONS:
        return True
    # single initials ("J. Smith") and dotted acronyms ("U.S.")
    return (len(word) == 1 and word.isalpha()) or bool(re.fullmatch(r"(\w\.)+\w", word))


_ORDINAL = re.compile(r"(?<![\d.])\d{1,2}\.$")
_FIRST_WORD = re.compile(r"[^\W\d_]+")


def _is_ordinal_date(before: str, after: str) -> bool:
    """ "am 3. Mai 2020", "3. März": an ordinal day (German) before a month name does not
    end a sentence."""
    word = _FIRST_WORD.match(after)
    return bool(_ORDINAL.search(before) and word and is_month_word(word.group(0)))


def _split_paragraph(paragraph: str) -> list[str]:
    if re.search(r"[。！？]", paragraph):
        parts = _CJK_END.split(paragraph)
        pieces = ["".join(parts[i : i + 2]).strip() for i in range(0, len(parts), 2)]
        return [piece for piece in pieces if piece]
    sentences: list[str] = []
    start = 0
    for match in _CANDIDATE.finditer(paragraph):
        end = match.end(1)
        before = paragraph[start:end]
        nxt = paragraph[match.end() : match.end() + 1]
        if match.group(1).startswith(".") and _is_abbreviation(before):
            continue
        if match.group(1) == "." and _is_ordinal_date(before, paragraph[match.end() :]):
            continue
        if nxt.islower():
            continue
        sentences.append(paragraph[start:end].strip())
        start = match.end()
    tail = paragraph[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


def split_sentences(text: str) -> list[str]:
    """Split ``text`` into sentences; paragraphs (lines) are never joined."""
    sentences: list[str] = []
    for paragraph in re.split(r"\n+", text):
        paragraph = re.sub(r"\s+", " ", paragraph).strip()
        if paragraph:
            sentences.extend(_split_paragraph(paragraph))
    return [s for s in sentences if re.search(r"\w", s)]

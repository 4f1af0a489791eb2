"""Word diff tokens: combining marks stay with their letters, in every script."""

from __future__ import annotations

import unicodedata

import pytest

from samestory.compare.diff import word_diff


def _changes(old: str, new: str) -> list[tuple[str, str]]:
    return [(e.op, e.text) for e in word_diff(old, new) if e.op != "equal"]


def _rebuilds(old: str, new: str) -> None:
    edits = word_diff(old, new)
    assert "".join(e.text for e in edits if e.op != "insert") == old
    assert "".join(e.text for e in edits if e.op != "delete") == new


def test_arabic_tanween_stays_with_its_word() -> None:
    old, new = "وحتى الساعة 11:59 مساء، لحجز", "وحتى الساعة 11:59 مساءً، لحجز"
    assert _changes(old, new) == [("delete", "مساء"), ("insert", "مساءً")]
    _rebuilds(old, new)


def test_arabic_mark_inside_a_word_does_not_split_it() -> None:
    old, new = "فتح باب التسجيل إليكترونياً لحجز", "فتح باب التسجيل إلكترونيًا لحجز"
    assert _changes(old, new) == [("delete", "إليكترونياً"), ("insert", "إلكترونيًا")]
    _rebuilds(old, new)


def test_devanagari_vowel_signs_stay_with_their_word() -> None:
    old, new = "यह हिन्दी भाषा है", "यह हिंदी भाषा है"
    assert _changes(old, new) == [("delete", "हिन्दी"), ("insert", "हिंदी")]
    _rebuilds(old, new)


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_latin_accents_in_either_normal_form(form: str) -> None:
    old = unicodedata.normalize(form, "Le café a fermé mardi.")
    new = unicodedata.normalize(form, "Le café a rouvert mardi.")
    assert _changes(old, new) == [
        ("delete", unicodedata.normalize(form, "fermé")),
        ("insert", "rouvert"),
    ]
    _rebuilds(old, new)


def test_a_mark_after_a_space_is_kept() -> None:
    _rebuilds("a \u0301b c", "a \u0301b d")
    _rebuilds("\u064b", "x\u064b")

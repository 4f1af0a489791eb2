"""Counts in words ("1 pair", "2 pairs") for every rendering: terminal, HTML and the CLI's
summaries. Kept free of heavy imports so the CLI can use it at start-up. Templates get such
counts ready-made in their context: the web app renders them with its own Jinja environment,
which has none of the report's filters."""

from __future__ import annotations


def noun(count: int, word: str, words: str | None = None) -> str:
    """ "story" for 1, "stories" otherwise: the word in the number ``count`` asks for."""
    return word if count == 1 else (words or word + "s")


def plural(count: int, word: str, words: str | None = None) -> str:
    """ "1 story", "2 stories": the count with the word in the right number."""
    return f"{count} {noun(count, word, words)}"

"""The story of the bundled example pair shows the misspelt place as a contradicted fact."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def samestory(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "samestory", *args], capture_output=True, text=True, timeout=300
    )


def test_timeline_marks_the_contradiction(example_dir: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("first-report-web-copy.txt", "update-translated.txt"):
        shutil.copy(example_dir / name, corpus / name)
    db = tmp_path / "stories.db"
    assert samestory("cluster", str(corpus), "--db", str(db)).returncode == 0
    listing = json.loads(samestory("stories", "--db", str(db), "--format", "json").stdout)
    stories = listing if isinstance(listing, list) else listing["stories"]
    assert len(stories) == 1, "two reports of one event make one story"
    result = samestory("story", stories[0]["id"], "--db", str(db), "--format", "json")
    assert result.returncode == 0, result.stderr
    timeline = json.loads(result.stdout)["timeline"]
    misspelt = [fact for fact in timeline if fact["text"] == "Las Cruses"]
    assert misspelt and misspelt[0]["contradicted_by"], timeline[:5]
    assert "Las Cruces" in json.dumps(misspelt[0]["contradicted_by"])
    process = subprocess.Popen(
        [sys.executable, "-m", "samestory", "story", stories[0]["id"], "--db", str(db)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # `samestory story ID | head -1`: the reader is gone
    assert process.wait(timeout=300) == 0 and process.stderr.read() == b""


def test_cached_analyses_score_as_fresh_ones(
    example_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An analysis read back from the store keeps everything the pair model reads (names
    embedded across scripts included): the score of a pair does not depend on the cache."""
    import numpy as np

    from samestory.cluster import story
    from samestory.cluster.story import cached_analyses
    from samestory.compare import score_pairs
    from samestory.compare.features import pair_features
    from samestory.read import read_many
    from samestory.store import open_store

    articles = list(read_many([example_dir / "first-report-web-copy.txt",
                               example_dir / "update-translated.txt"]))  # fmt: skip
    analysed: list[int] = []
    analyze_many = story.analyze_many
    monkeypatch.setattr(story, "analyze_many", lambda a: analysed.append(len(a)) or analyze_many(a))
    with open_store(tmp_path / "cache.db") as store:
        fresh = cached_analyses(store, articles)
        cached = cached_analyses(store, articles)
    assert analysed == [2], "the second call reads both analyses from the cache"
    assert len(cached[0].entities) > 0 and len(cached[0].entity_vectors) == len(cached[0].entities)
    assert pair_features(*fresh) == pair_features(*cached)
    assert np.array_equal(score_pairs([tuple(fresh)])[1], score_pairs([tuple(cached)])[1])


def test_near_copies_are_compared_after_the_distinct_reports() -> None:
    from samestory import Article
    from samestory.cluster.story import _compared_members

    first = Article(text="The storm killed 40 people on Thursday.", source="a")
    copy = Article(text="The storm killed 40 people on Thursday.", source="b")  # exact copy
    update = Article(text="The storm killed 45 people on Friday.", source="c")  # near-copy
    other = Article(text="Rescuers searched the coast for survivors.", source="d")
    groups = {first.id: "g", update.id: "g"}
    articles = [first, copy, update, other]
    assert _compared_members(articles, groups, 5) == [first, update, other]
    assert _compared_members(articles, groups, 1) == [first, other]


def test_words_that_only_open_sentences_are_not_names_on_the_timeline() -> None:
    from samestory.analyze import analyze_many
    from samestory.cluster.story import _timeline
    from samestory.read import article_from_text

    first = article_from_text(
        "Mueren tres personas en un incendio en Valencia. Nuestros reporteros hablaron con "
        "Ana Torres, la alcaldesa. Según Torres, el fuego empezó de noche.",
        lang="es",
    )
    later = article_from_text(
        "Tres personas murieron en el incendio de Valencia. Agregó la alcaldesa Ana Torres "
        "que el fuego empezó a medianoche.",
        lang="es",
    )
    names = {fact.text for fact in _timeline(analyze_many([first, later])) if fact.kind == "name"}
    assert "Ana Torres" in names
    assert not names & {"Mueren", "Nuestros", "Agregó"}, names

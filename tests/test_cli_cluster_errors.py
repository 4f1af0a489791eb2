"""``samestory cluster`` / ``add``: nothing readable is exit 2, and ``add`` never creates a store."""

from __future__ import annotations

import json
import subprocess
import sys


def _samestory(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "samestory", *args], capture_output=True, text=True, timeout=300
    )


def test_cluster_with_nothing_readable_exits_2(tmp_path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "blank.txt").write_text("   \n", encoding="utf-8")
    result = _samestory("cluster", str(empty), "--db", str(tmp_path / "s.db"))
    assert result.returncode == 2
    assert "nothing could be read" in result.stderr
    assert "blank.txt" in result.stderr  # the skipped file is named
    assert "now holds" not in result.stdout + result.stderr  # no summary of a removed store
    assert not (tmp_path / "s.db").exists()


def test_add_to_a_missing_store_exits_2_without_creating_it(tmp_path) -> None:
    db = tmp_path / "missing.db"
    (tmp_path / "a.txt").write_text("A flood hit the town on Monday.", encoding="utf-8")
    result = _samestory("add", str(tmp_path / "a.txt"), "--db", str(db))
    assert result.returncode == 2
    assert "no store at" in result.stderr and "samestory cluster" in result.stderr
    assert not db.exists()


def test_add_embeds_with_the_probe_length_the_store_was_clustered_with(tmp_path) -> None:
    from samestory.cluster.pipeline import stored_probe_chars
    from samestory.store import open_store

    texts = {
        "a.txt": "Flood in Valencia\n\nA flood hit Valencia on Monday, closing roads and schools.",
        "b.txt": "Valencia floods\n\nRoads and schools in Valencia were closed by Monday's flood.",
        "c.txt": "Election in Poland\n\nPoland votes on Sunday in a close presidential election.",
    }
    for name, text in texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    db = tmp_path / "s.db"
    too_short = _samestory(
        "cluster", str(tmp_path / "a.txt"), "--db", str(db), "--probe-chars", "10"
    )
    assert too_short.returncode == 2 and "--probe-chars" in too_short.stderr
    first = [str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]
    assert _samestory("cluster", *first, "--db", str(db), "--probe-chars", "200").returncode == 0
    assert _samestory("add", str(tmp_path / "c.txt"), "--db", str(db)).returncode == 0
    with open_store(db) as store:  # add embedded like cluster did
        assert stored_probe_chars(store) == 200
        assert len(store.vectors("probe:200")) == 3 and store.vectors("probe:512") == {}
    # another length: every article embedded again and regrouped, and the summary says so
    again = _samestory("cluster", str(tmp_path / "c.txt"), "--db", str(db), "--probe-chars", "300")
    assert again.returncode == 0 and "grouped afresh" in again.stderr
    with open_store(db) as store:
        assert stored_probe_chars(store) == 300
        assert len(store.vectors("probe:300")) == 3 and store.vectors("probe:200") == {}
        assert store.vectors("probe:512") == {}


def test_html_method_reaches_the_reader_and_a_bad_one_creates_no_store(tmp_path) -> None:
    from samestory.store import open_store

    page = (
        "<html><head><title>Flood in Valencia</title></head><body><article>"
        "<p>A flood hit Valencia on Monday, closing roads and schools across the city, the "
        "regional government said in a statement.</p><p>About 300 people left their homes "
        "overnight; no one was hurt, according to the emergency services.</p>"
        "</article></body></html>"
    )
    (tmp_path / "a.html").write_text(page, encoding="utf-8")
    db = tmp_path / "s.db"
    bad = _samestory("cluster", str(tmp_path / "a.html"), "--db", str(db), "--html-method", "x")
    assert bad.returncode == 2 and "trafilatura, precise or blocks" in bad.stderr
    assert not db.exists()
    done = _samestory(
        "cluster", str(tmp_path / "a.html"), "--db", str(db), "--html-method", "precise"
    )
    assert done.returncode == 0, done.stderr
    with open_store(db) as store:
        [article] = store.articles(list(store.memberships()))
    assert article.title == "Flood in Valencia" and "300 people" in article.text


def test_field_names_the_text_column_for_cluster_and_add(tmp_path) -> None:
    from samestory.store import open_store

    body = (
        "A flood hit Valencia on Monday, closing roads and schools across the city, the "
        "regional government said. About 300 people left their homes overnight."
    )
    (tmp_path / "feed.jsonl").write_text(json.dumps({"story": body}) + "\n", encoding="utf-8")
    db = tmp_path / "s.db"
    done = _samestory(
        "cluster", str(tmp_path / "feed.jsonl"), "--db", str(db), "--field", "text=story"
    )
    assert done.returncode == 0, done.stderr
    with open_store(db) as store:
        [article] = store.articles(list(store.memberships()))
    assert article.text == body
    # a misspelt column is named in the report, and nothing else happens
    (tmp_path / "more.csv").write_text(f'id,story\n2,"{body} Later."\n', encoding="utf-8")
    added = _samestory("add", str(tmp_path / "more.csv"), "--db", str(db), "--field", "text=stroy")
    assert added.returncode == 2
    assert "no column 'stroy'" in added.stderr and "id, story" in added.stderr


def test_max_size_named_in_the_skip_message_is_an_option_of_cluster(tmp_path) -> None:
    """The reader's "raise the limit (--max-size ...)" advice works for cluster and add too."""
    big = tmp_path / "big.txt"
    big.write_text("A flood hit the lower town on Monday. " * 40, encoding="utf-8")  # ~1.5 kB
    db = tmp_path / "s.db"
    small = _samestory("cluster", str(big), "--db", str(db), "--max-size", "0.001")
    assert small.returncode == 2 and "--max-size" in small.stderr and "big.txt" in small.stderr
    assert _samestory("cluster", str(big), "--db", str(db), "--max-size", "0.01").returncode == 0
    rejected = _samestory("add", str(big), "--db", str(db), "--max-size", "0")
    assert rejected.returncode == 2 and "--max-size" in rejected.stderr

"""A story's sources name outlets: the name a record gives, else an http(s) url's host, else
where it was read; never another url."""

from __future__ import annotations

import pytest

from samestory import Article
from samestory.cluster.story import story_detail
from samestory.render.html import render_story_html
from samestory.store import open_store, outlet


@pytest.mark.parametrize(
    ("url", "source", "shown"),
    [
        ("https://www.lcsun-news.example/story/1", "lcsun", "lcsun"),  # the record's name
        ("https://www.lcsun-news.example/story/1", "feed.jsonl#3", "lcsun-news.example"),
        ("https://www.lcsun-news.example/story/1", "<stdin>#1", "lcsun-news.example"),
        ("https://www.lcsun-news.example/story/1", "pages/a.html", "lcsun-news.example"),
        ("https://www.lcsun-news.example/story/1", "a.html", "lcsun-news.example"),
        (None, "pages/a.html", "pages/a.html"),
        ("HTTP://News.Example:8080/a", None, "news.example"),
        ("javascript:alert(1)", "evil", "evil"),
        ("javascript://evil.example/%0aalert(1)", "evil", "evil"),
        ("data:text/html,<script>alert(1)</script>", None, "unknown"),
        ("file:///etc/passwd", "wire", "wire"),
        ("https:no-host", "wire", "wire"),
        ("http://[::1", None, "unknown"),  # malformed
        (None, "diario", "diario"),
        (None, "https://www.reuters.example/world/x", "reuters.example"),
        (None, "javascript:alert(1)", "unknown"),
        (None, " ", "unknown"),
        (None, "Reuters: World", "Reuters: World"),
    ],
)
def test_outlet(url: str | None, source: str | None, shown: str) -> None:
    assert outlet(url, source) == shown


def test_story_sources_never_show_a_script_url(tmp_path) -> None:
    articles = [
        Article(text="Report one on the flood in Dresden.", title="Flood 1", lang="en",
                url="javascript:alert(document.cookie)", source="evil"),
        Article(text="Report two on the flood in Dresden.", title="Flood 2", lang="en",
                url="javascript:alert(2)"),
        Article(text="Report three on the flood in Dresden.", title="Flood 3", lang="en",
                url="https://www.wire.example/flood", source="wire"),
        Article(text="Report four on the flood in Dresden.", title="Flood 4", lang="en"),
    ]  # fmt: skip
    with open_store(tmp_path / "s.db") as store:
        store.add_articles(articles)
        store.write_clustering(
            new_stories={"sA": "Flood"}, assignments={a.id: "sA" for a in articles},
            merges=[], headlines={}, near_duplicates={},
        )  # fmt: skip
        (row,) = store.story_rows()
        assert row.sources == ("evil", "unknown", "wire")
        # the web list names them as the story page and `samestory stories` do
        from samestory.web.service import StoryFilters, list_stories

        (listed,) = list_stories(store, StoryFilters()).stories
        assert listed["sources"] == ["evil", "unknown", "wire"]
        detail = story_detail(store, "sA", max_compared=0)
    assert detail.sources == ("evil", "unknown", "wire")
    html = render_story_html(detail)
    assert "javascript" not in html and "sources: evil, unknown, wire" in html

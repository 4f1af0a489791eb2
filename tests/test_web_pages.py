"""Page templates rendered in process: contradictions on the timeline, escaping, no models."""

from __future__ import annotations

import pytest

pytest.importorskip("fastapi", reason="the server extra is not installed")

from samestory.cluster.story import Fact, Member, StoryDetail


def _member(n: int, title: str, group: str | None = None) -> Member:
    return Member(
        id=f"m{n}", title=title, lang="en", published=f"2023-02-0{n}", source=f"outlet{n}",
        url=None, near_duplicate_group=group,
    )  # fmt: skip


def _story_page(detail: StoryDetail, monkeypatch: pytest.MonkeyPatch) -> str:
    """The story page for ``detail``, with the store and the story lookup stubbed out."""
    from contextlib import nullcontext
    from types import SimpleNamespace

    from starlette.requests import Request

    from samestory.web import pages, service

    monkeypatch.setattr(service, "story", lambda store, story_id, max_compared: detail)
    monkeypatch.setattr(pages, "request_store", lambda request: nullcontext())
    app = SimpleNamespace(state=SimpleNamespace(options=SimpleNamespace(max_compared=20)))
    scope = {"type": "http", "method": "GET", "path": f"/stories/{detail.id}", "headers": [],
             "query_string": b"", "app": app}  # fmt: skip
    return bytes(pages.story_page(Request(scope), detail.id).body).decode()


def test_story_page_shows_contradictions_and_escapes(monkeypatch):
    members = (
        _member(1, "First <b>report</b>", group="m1"),
        _member(2, "Copy of the first", group="m1"),
        _member(3, "Update <img src=x onerror=alert(1)>"),
    )
    detail = StoryDetail(
        id="s1", headline="Officer <script>alert(1)</script> shot", members=members,
        languages=("en",), sources=("outlet1",), first_seen="2023-02-01", last_seen="2023-02-03",
        near_duplicate_groups=(("m1", "m2"),), merged_ids=(),
        timeline=(
            Fact(kind="place", text="Las Cruses", first_reported_by="m1",
                 contradicted_by=(("m3", "Las Cruces"),)),
            Fact(kind="name", text="Darian Jarrott", first_reported_by="m3"),
        ),
        compared=1,
    )  # fmt: skip
    html = _story_page(detail, monkeypatch)
    assert "Officer &lt;script&gt;alert(1)&lt;/script&gt; shot" in html
    assert "<img" not in html and "<script>alert" not in html
    assert "1 contradiction" in html
    assert '<li class="fact contradicted">' in html and '<mark dir="auto">Las Cruces</mark>' in html
    assert 'href="/compare?a=m1&amp;b=m3"' in html  # one click to the two conflicting reports
    # B starts on the first member that is not a near-copy of the first (m3, not m2)
    assert (
        'name="b" value="m3" aria-label="B: Update &lt;img src=x onerror=alert(1)&gt;" checked'
        in html
    )


def test_facts_told_by_one_report_only_are_left_out_and_counted(monkeypatch):
    """A story's pages show what several reports tell or contradict; the JSON keeps all."""
    import io

    from rich.console import Console

    from samestory.cluster.story import render_story
    from samestory.render.html import render_story_html

    members = (_member(1, "First report"), _member(2, "Second report"))
    timeline = (
        Fact(kind="place", text="Las Cruces", first_reported_by="m1", reports=2),
        Fact(kind="name", text="Total Duration", first_reported_by="m1"),  # a table heading
        Fact(kind="number", text="40 miles", first_reported_by="m1",
             contradicted_by=(("m2", "70 miles"),)),
        Fact(kind="name", text="Gary Neville", first_reported_by="m2"),
    )  # fmt: skip
    detail = StoryDetail(
        id="s1", headline="Officer shot", members=members, languages=("en",), sources=(),
        first_seen="2023-02-01", last_seen="2023-02-02", near_duplicate_groups=(),
        merged_ids=(), timeline=timeline, compared=1,
    )  # fmt: skip
    shown, note = detail.shown_facts()
    assert [f.text for f in shown] == ["Las Cruces", "40 miles"]
    assert note == "left out: 2 facts told by one report only"
    assert detail.shown_facts(limit=1)[1].endswith(", 1 more past the first 1")
    assert [f["reports"] for f in detail.to_dict()["timeline"]] == [2, 1, 1, 1]
    for html in (_story_page(detail, monkeypatch), render_story_html(detail)):
        assert "Las Cruces" in html and "70 miles" in html
        assert "Total Duration" not in html and "Gary Neville" not in html
        assert "left out: 2 facts told by one report only" in html
    out = io.StringIO()
    render_story(detail, Console(file=out, width=200))
    text = out.getvalue()
    assert "Las Cruces" in text and "Gary Neville" not in text
    assert "left out: 2 facts told by one report only; `-f json` lists every fact" in text
    # one report alone: all its facts are the story's facts
    single = StoryDetail(**{**detail.__dict__, "members": members[:1]})
    assert len(single.shown_facts()[0]) == 4 and single.shown_facts()[1] == ""

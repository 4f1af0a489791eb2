"""Notebook extras: ``to_frame()`` keeps its dtypes when a part is empty, and a VersionDiff
renders as rich HTML like a Comparison does."""

from __future__ import annotations

import dataclasses
import warnings

import pytest

from samestory.article import Article
from samestory.compare.diff import diff_versions
from test_notebook import story
from test_render_example import example_comparison

pd = pytest.importorskip("pandas", reason="pandas is not installed (extra: notebook)")


def _same_shape(empty, full) -> None:
    assert len(empty) == 0 and len(full) > 0
    assert list(empty.columns) == list(full.columns)
    assert empty.dtypes.to_dict() == full.dtypes.to_dict()
    assert empty.index.name == full.index.name and empty.index.dtype == full.index.dtype
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # pandas warns when concat meets all-NA/empty object columns
        both = pd.concat([empty, full])
    assert both.dtypes.to_dict() == full.dtypes.to_dict()


def test_empty_comparison_frames_keep_their_dtypes():
    full = example_comparison()
    empty = dataclasses.replace(full, alignment=(), conflicts=())
    for part in ("alignment", "conflicts"):
        _same_shape(empty.to_frame(part), full.to_frame(part))
    pairs = full.to_frame()
    assert pairs["similarity"].dtype == "float64" and pairs["a"].dtype == "int64"
    conflicts = empty.to_frame("conflicts")
    assert conflicts["a_sentence"].dtype == "int64"
    assert (empty.to_frame()["similarity"] * 2).dtype == "float64"  # arithmetic as usual
    scores = full.to_frame("scores")
    assert scores["score"].dtype == "float64"


def test_empty_story_frames_keep_their_dtypes():
    full = story()
    empty = dataclasses.replace(full, members=(), timeline=())
    for part in ("members", "timeline"):
        _same_shape(empty.to_frame(part), full.to_frame(part))


def _version_diff():
    old = Article(
        text="The mayor of Springfield said on Monday that 40 people were hurt. "
        "Roads stayed closed overnight.",
        title="Old <b>title</b>",
    )
    new = Article(text="The mayor of Springfield said on Monday that 45 people were hurt. "
                  "Roads stayed closed overnight. <script>alert(1)</script> More rain fell.",
                  title="New title")  # fmt: skip
    return diff_versions(old, new)


def test_version_diff_repr_html_is_a_fragment():
    diff = _version_diff()
    html = diff._repr_html_()
    assert html.lstrip().startswith("<style>") and "<html" not in html and "<body" not in html
    assert "<meta" not in html and "<title" not in html
    assert "body {" not in html  # a fragment must not restyle the notebook around it
    assert '<main class="ssr">' in html and html.rstrip().endswith("</main>")
    assert "Version diff" in html and "Old &lt;b&gt;title&lt;/b&gt;" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "ssr-diff-del" in html  # the diff's own rules come along with the report's


def test_two_version_diffs_in_one_notebook_share_no_element_ids():
    import re

    first = _version_diff()
    second = diff_versions(
        Article(text="Storms hit the coast on Friday. Ten homes were flooded.", title="A"),
        Article(text="Storms hit the coast on Friday. Twelve homes were flooded.", title="B"),
    )
    ids = [re.findall(r'\bid="([^"]+)"', d._repr_html_()) for d in (first, second)]
    assert ids[0] and ids[1] and not set(ids[0]) & set(ids[1])
    labelled = re.findall(r'aria-labelledby="([^"]+)"', first._repr_html_())
    assert labelled and set(labelled) <= set(ids[0])  # every section still names its heading

"""The terminal report: verdict, scores, sentences, conflicts, boilerplate; wide and narrow."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from rich.console import Console

from samestory.compare.comparison import DIMENSIONS, Comparison
from samestory.render.terminal import print_comparison
from test_render_example import example_comparison


def render(comparison: Comparison, width: int = 100) -> str:
    buffer = io.StringIO()
    print_comparison(comparison, Console(file=buffer, width=width, force_terminal=False))
    return buffer.getvalue()


@pytest.fixture(scope="module")
def comparison() -> Comparison:
    return example_comparison()


@pytest.mark.parametrize("width", [100, 60])
def test_report_has_verdict_scores_conflict_and_boilerplate(comparison: Comparison, width: int):
    text = render(comparison, width)
    assert "SAME EVENT" in text and "97%" in text
    for name in DIMENSIONS:
        assert name.capitalize() in text
    assert "Las Cruses" in text and "Las Cruces" in text
    assert "Jarrott" in text and "Jarrett" in text  # the inconsistency inside B
    assert "Only B says (6)" in text and "B16 He was sworn in" in text.replace("\n", " ")
    assert "Dropped boilerplate" in text and "Keep it Clean" in text
    assert "Darian Jarrott" in text.split("Corresponding sentences")[1]  # B adds detail
    assert max(len(line) for line in text.splitlines()) <= width


def test_plain_output_has_no_escape_codes(comparison: Comparison):
    assert "\x1b[" not in render(comparison)


def test_colour_on_a_terminal(comparison: Comparison):
    buffer = io.StringIO()
    print_comparison(comparison, Console(file=buffer, width=100, force_terminal=True))
    assert "\x1b[" in buffer.getvalue()


def test_different_events_and_empty_parts(comparison: Comparison):
    different = replace(
        comparison,
        same_event=False,
        same_event_probability=0.03,
        alignment=(),
        only_a=tuple(range(len(comparison.sentences_a))),
        only_b=tuple(range(len(comparison.sentences_b))),
        conflicts=(),
        inconsistencies=(),
        a=replace(comparison.a, dropped=()),
        b=replace(comparison.b, dropped=()),
    )
    text = render(different)
    assert "DIFFERENT EVENTS" in text and "3%" in text
    assert "No sentence of A corresponds" in text
    assert "Only B says (18)" in text and "… and 13 more" in text
    assert "Dropped boilerplate" not in text


def test_markup_in_article_text_is_printed_literally(comparison: Comparison):
    hostile = replace(comparison, sentences_a=("[bold red]not markup[/] <script>x</script>",) * 13)
    text = render(hostile)
    assert "[bold red]not markup[/]" in text


def test_brackets_in_a_report_are_text_not_markup(comparison: Comparison) -> None:
    odd = replace(comparison, a=replace(comparison.a, dropped=("Share [/] this [red]",)))
    assert "Share [/] this [red]" in render(odd)


def test_probability_just_under_the_threshold_does_not_read_fifty(comparison: Comparison):
    text = render(replace(comparison, same_event=False, same_event_probability=0.4996))
    assert "DIFFERENT EVENTS" in text
    assert "<50%" in text and " 50%" not in text


def test_a_custom_threshold_is_the_one_the_shown_probability_respects(comparison: Comparison):
    """Under a 0.7 threshold, 0.6996 is "<70%" beside "different events", and 0.4996 is 50%."""
    under = replace(
        comparison, same_event=False, same_event_probability=0.6996, same_event_threshold=0.7
    )
    assert "<70%" in render(under) and " 70%" not in render(under)
    low = replace(under, same_event_probability=0.4996)
    assert " 50%" in render(low) and "<50%" not in render(low)


def test_bar_colours_follow_the_bands_of_the_labels_and_the_html():
    from samestory.render.terminal import _bar

    def colour(score: float) -> str:
        return str(_bar(score).style)

    # the same four bands as the labels and the HTML's ssr-lvl classes, on the shown value
    assert [colour(s) for s in (1.0, 1.44, 1.46, 1.8, 2.46, 3.3, 3.46, 4.0)] == [
        "green", "green", "yellow", "yellow", "dark_orange", "dark_orange", "red", "red",
    ]  # fmt: skip


def test_overall_label_matches_the_shown_score(comparison: Comparison):
    scores = replace(comparison.scores, overall=2.46)
    text = render(replace(comparison, scores=scores))
    assert "overall 2.5 (somewhat dissimilar)" in text


@pytest.mark.parametrize("width", [80, 140])
def test_a_sentence_b_gives_word_for_word_is_printed_once(comparison: Comparison, width) -> None:
    """Versions and near-copies share most sentences: B's is named, not printed again."""
    pair = comparison.alignment[0]
    sentences_b = list(comparison.sentences_b)
    sentences_b[pair.b] = comparison.sentences_a[pair.a]
    plain = replace(pair, adds=(), removes=(), adds_spans=(), removes_spans=())
    same = replace(
        comparison, sentences_b=tuple(sentences_b), conflicts=(), inconsistencies=(),
        alignment=(plain, *comparison.alignment[1:]),
    )  # fmt: skip
    text = render(same, width=width)
    label = f"A{pair.a + 1}"
    assert f"= {label}, word for word" in text
    assert text.count(comparison.sentences_a[pair.a][:40]) == 1

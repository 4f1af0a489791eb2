"""Conflicts by kind in en/es/fr/de, cross-lingual non-conflicts, inconsistencies, mirror invariant.

All pairs are analysed in one embedding batch (the encoder is the slow part); each test then
aligns and finds conflicts on its own pair, as compare() does.
"""

from __future__ import annotations

import datetime as dt

import pytest

from samestory.analyze import Analysis, analyze_many
from samestory.compare.align import align
from samestory.compare.conflicts import date_components, find_conflicts, is_spelling_variant
from samestory.compare.features import sentence_similarity
from samestory.read import article_from_text

# (id, text A, text B, expected conflict (kind, value in A, value in B) or None)
CASES: list[tuple[str, str, str, tuple[str, str, str] | None]] = [
    (
        "en-number",
        "The fire killed 12 people in Springfield on Monday. Firefighters worked through the night.",
        "The fire killed 15 people in Springfield on Monday. Firefighters worked through the night.",
        ("number", "12 people", "15 people"),
    ),
    (
        "es-number",
        "El terremoto dejó 70 muertos en la región de Valencia. Los equipos de rescate siguen buscando.",
        "El terremoto dejó 90 muertos en la región de Valencia. Los equipos de rescate siguen buscando.",
        ("number", "70 muertos", "90 muertos"),
    ),
    (
        "de-number-bare",
        "Die Feuerwehr rettete 23 Bewohner aus dem brennenden Haus in der Innenstadt.",
        "Die Feuerwehr rettete 32 Bewohner aus dem brennenden Haus in der Innenstadt.",
        ("number", "23", "32"),
    ),
    (
        "fr-date-weekday",
        "L'accident s'est produit jeudi sur l'autoroute près de la ville, selon la gendarmerie.",
        "L'accident s'est produit vendredi sur l'autoroute près de la ville, selon la gendarmerie.",
        ("date", "jeudi", "vendredi"),
    ),
    (
        "es-date-year",
        "La empresa fue fundada en 2015 por dos ingenieros en un pequeño garaje.",
        "La empresa fue fundada en 2017 por dos ingenieros en un pequeño garaje.",
        ("date", "2015", "2017"),
    ),
    (
        "en-date-day",
        "The bridge was closed on March 3 after inspectors found cracks in the main span.",
        "The bridge was closed on March 5 after inspectors found cracks in the main span.",
        ("date", "March 3", "March 5"),
    ),
    (
        "de-place",
        "Der Unfall ereignete sich am Montag in Hamburg, wie die Polizei mitteilte.",
        "Der Unfall ereignete sich am Montag in Köln, wie die Polizei mitteilte.",
        ("place", "Hamburg", "Köln"),
    ),
    (
        "es-place",
        "La manifestación recorrió el centro de Sevilla durante toda la tarde del sábado.",
        "La manifestación recorrió el centro de Bilbao durante toda la tarde del sábado.",
        ("place", "Sevilla", "Bilbao"),
    ),
    (
        "en-name-spelling",
        "Officer Darian Jarrott was killed during a traffic stop on the interstate.",
        "Officer Darian Jarrett was killed during a traffic stop on the interstate.",
        ("name", "Jarrott", "Jarrett"),
    ),
    (
        "fr-name-other",
        "Le ministre Christophe Castaner a annoncé de nouvelles mesures contre les violences.",
        "Le ministre Christophe Dupuis a annoncé de nouvelles mesures contre les violences.",
        ("name", "Castaner", "Dupuis"),
    ),
    (
        "de-name-other",
        "Bundeskanzlerin Angela Merkel hat die Pläne am Abend in einer Rede verteidigt.",
        "Bundeskanzlerin Angela Schulze hat die Pläne am Abend in einer Rede verteidigt.",
        ("name", "Merkel", "Schulze"),
    ),
    (
        "de-short-number",
        "98 Gemeindemitglieder sind verstorben. Die Gemeinde trauert um ihre Mitglieder.",
        "147 Gemeindemitglieder sind verstorben. Die Gemeinde trauert um ihre Mitglieder.",
        ("number", "98", "147"),
    ),
    (
        "es-place-in-organisation",
        "Agentes de la Policía Municipal de Mérida rondaban por las calles de Mérida esta mañana.",
        "Agentes de la Policía Municipal de Culiacán rondaban por las calles de Culiacán esta mañana.",
        ("place", "Mérida", "Culiacán"),
    ),
    (
        # A slips once beside its own right spelling; B writes only the right one
        "en-slip-beside-right-form",
        "Police in Las Cruses said the chase ended after an hour. Las Cruces police made the arrest.",
        "Las Cruces police made the arrest after the chase on the interstate.",
        ("place", "Las Cruses", "Las Cruces"),
    ),
    # not conflicts
    (
        # A writes two words two edits apart (French and Latin), B only one of them
        "fr-two-words-one-dropped",
        "La Confédération suisse, ou Confoederatio Helvetica, a publié un rapport lundi. "
        "Le Conseil fédéral a salué le rapport.",
        "Le nom latin Confoederatio Helvetica figure sur les pièces. Le Conseil fédéral a "
        "salué le rapport lundi.",
        None,
    ),
    (
        "es-en-baghdad",
        "El asalto a la embajada de la Comisión Nacional en Bagdad provocó una crisis.",
        "The assault on the embassy of the National Commission in Baghdad caused a crisis.",
        None,
    ),
    (
        "en-dates-of-two-things",
        "The firm, sold to Canyon Bridge for 500 million pounds in September 2017, ended its deal with Apple.",
        "Imagination ended the licence deal with Apple first announced on February 6, 2014.",
        None,
    ),
    (
        "es-en-miles",
        "La persecución recorrió 40 millas hasta Las Cruces, dijo la policía.",
        "The chase covered 40 miles to Las Cruces, police said.",
        None,
    ),
    (
        "es-en-munich",
        "La reunión se celebró en Múnich el martes con varios ministros europeos.",
        "The meeting was held in Munich on Tuesday with several European ministers.",
        None,
    ),
    (
        "de-en-munich",
        "Das Treffen fand am Dienstag in München mit mehreren europäischen Ministern statt.",
        "The meeting took place on Tuesday in Munich with several European ministers.",
        None,
    ),
    (
        "de-en-chancellor",
        "Bundeskanzlerin Angela Merkel hat die Pläne am Abend verteidigt.",
        "Chancellor Angela Merkel defended the plans in the evening.",
        None,
    ),
    (
        "en-reworded",
        "Police said 3 people were injured in the crash near Dallas.",
        "Three people were injured in the crash near Dallas, police stated.",
        None,
    ),
    (
        "en-number-words",
        "The suspect was chased for forty miles before the truck stopped.",
        "The suspect was chased for 40 miles before the truck stopped.",
        None,
    ),
    (
        "en-not-mentioned",
        "The crash happened on Monday in Dallas when a truck hit a bus.",
        "The crash happened in Dallas when a truck hit a bus. The driver was arrested on Friday.",
        None,
    ),
    (
        "fr-thousands",
        "Plus de 1500 personnes ont manifesté à Lyon contre la réforme.",
        "Plus de 1 500 personnes ont manifesté à Lyon contre la réforme.",
        None,
    ),
]
PUBLISHED_CASES = [
    # published on Thursday 13 May 2021: "Thursday" is 13 May
    (
        "en-weekday-resolved-same",
        "The officer was killed on Thursday near Akela.",
        "The officer was killed on May 13 near Akela.",
        None,
    ),
    (
        "en-weekday-resolved-other",
        "The officer was killed on Thursday near Akela.",
        "The officer was killed on May 12 near Akela.",
        ("date", "Thursday", "May 12"),
    ),
]
PUBLISHED = dt.date(2021, 5, 13)


@pytest.fixture(scope="module")
def analysed() -> dict[str, tuple[Analysis, Analysis]]:
    articles = []
    for _, a, b, _ in CASES:
        articles += [article_from_text(a), article_from_text(b)]
    for _, a, b, _ in PUBLISHED_CASES:
        articles += [
            article_from_text(a, published=PUBLISHED),
            article_from_text(b, published=PUBLISHED),
        ]
    analyses = analyze_many(articles)
    ids = [case[0] for case in (*CASES, *PUBLISHED_CASES)]
    return {case_id: (analyses[2 * k], analyses[2 * k + 1]) for k, case_id in enumerate(ids)}


def _conflicts(a: Analysis, b: Analysis) -> list[tuple[str, str, str]]:
    alignment, _, _ = align(a, b, sentence_similarity(a, b))
    conflicts, _ = find_conflicts(a, b, alignment)
    return [(c.kind, c.a, c.b) for c in conflicts]


def _matches(found: tuple[str, str, str], expected: tuple[str, str, str]) -> bool:
    kind, a, b = expected
    return found[0] == kind and a in found[1] and b in found[2]


@pytest.mark.parametrize("case", [c for c in (*CASES, *PUBLISHED_CASES)], ids=lambda c: c[0])
def test_conflict_or_none(analysed, case) -> None:
    case_id, _, _, expected = case
    found = _conflicts(*analysed[case_id])
    if expected is None:
        assert found == [], found
    else:
        assert len(found) == 1 and _matches(found[0], expected), found


def test_conflict_gives_sentence_indices(analysed) -> None:
    a, b = analysed["en-number"]
    alignment, _, _ = align(a, b, sentence_similarity(a, b))
    conflict = find_conflicts(a, b, alignment)[0][0]
    assert "12 people" in a.sentences[conflict.a_sentence]
    assert "15 people" in b.sentences[conflict.b_sentence]


@pytest.mark.parametrize("case_id", [c[0] for c in (*CASES, *PUBLISHED_CASES)])
def test_mirror(analysed, case_id) -> None:
    a, b = analysed[case_id]
    forward = sorted(_conflicts(a, b))
    backward = sorted((kind, y, x) for kind, x, y in _conflicts(b, a))
    assert forward == backward


def test_inconsistencies_inside_one_report() -> None:
    text = (
        "Officer Darian Jarrott, 28, was killed on Thursday. "
        "Jarrott joined the force in 2015. "
        "Colleagues said Jarrott, 29, was a kind man. "
        "The funeral of Officer Jarrett is on Monday."
    )
    (analysis,) = analyze_many([article_from_text(text)])
    _, inconsistencies = find_conflicts(analysis, analysis, [])
    kinds = {(i.kind, i.doc) for i in inconsistencies}
    assert ("name", "a") in kinds
    ages = [i for i in inconsistencies if i.kind == "number" and i.doc == "a"]
    assert ages and set(ages[0].values) == {"28", "29"}


def test_spelling_variants() -> None:
    assert is_spelling_variant("jarrott", "jarrett")
    assert is_spelling_variant("tayyip", "tayyop")
    assert not is_spelling_variant("polen", "polens")  # an inflection
    assert not is_spelling_variant("trump", "trumpa")
    assert is_spelling_variant("maxwel", "maxwell")  # a doubled letter lost is no ending


def test_a_given_name_and_a_surname_are_two_names() -> None:
    """ "Gary" (of Gary Neville) is not "Gray" misspelt, nor "Marton" (of Marton Fulop) a
    misspelt "Marston"; a misspelt surname or given name still is a conflict."""
    a = article_from_text(
        "Derby ends level\n\nGary Neville called it a fair result on Sunday. BBC reporter "
        "Rebecca Marston said the club was in good health. Darian Jarrott was at the ground.",
        lang="en",
    )
    b = article_from_text(
        "Derby ends level\n\nGray called it a fair result on Sunday. Reporter Marton Fulop "
        "said the club was in good health. Darien Jarrett was at the ground.",
        lang="en",
    )
    first, second = analyze_many([a, b])
    alignment, _, _ = align(first, second, sentence_similarity(first, second))
    conflicts, _ = find_conflicts(first, second, alignment)
    pairs = {(c.a, c.b) for c in conflicts}
    assert not any("Gray" in y or "Marton" in y for _, y in pairs), pairs
    assert ("Darian Jarrott", "Darien Jarrett") in pairs


def test_date_components_resolve_against_publication() -> None:
    assert date_components("weekday:3", PUBLISHED)["date"] == "2021-05-13"
    assert date_components("weekday:0", PUBLISHED)["date"] == "2021-05-10"
    assert date_components("-----05-12", PUBLISHED)["date"] == "2021-05-12"
    # a day after publication without a year is last year's
    assert date_components("-----12-24", PUBLISHED)["year"] == "2020"
    assert date_components("2015-07", None) == {"month": "07", "year": "2015"}
    assert date_components("weekday:3", None) == {"weekday": "3"}

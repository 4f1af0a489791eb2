"""Names and places found by rules: German capitalises every noun, so capitals alone are not names."""

from __future__ import annotations

import csv
import sys

from samestory.analyze import extract_mentions
from samestory.analyze.gazetteer import fold
from samestory.analyze.mentions import german_nouns
from samestory.analyze.sentences import split_sentences

GERMAN = (
    "Für Bremen gilt ab Montag eine neue Regelung. Die Baumärkte dürfen wieder öffnen, sagte "
    "Bundeskanzlerin Angela Merkel. Die Kunden müssen einen Mindestabstand einhalten. "
    "Die Türkei und der Iran schlossen ihre Grenzen. Dabei sind die Waren knapp."
)


def _kinds(text: str, lang: str | None) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {"name": set(), "place": set()}
    for mention in extract_mentions(split_sentences(text), text, lang):
        if mention.kind in found:
            found[mention.kind].add(mention.text)
    return found


def test_german_nouns_are_not_names() -> None:
    found = _kinds(GERMAN, "de")
    assert "Bundeskanzlerin Angela Merkel" in found["name"]
    for noun in ("Baumärkte", "Kunden", "Regelung", "Mindestabstand", "Waren", "Dabei"):
        assert noun not in found["name"] | found["place"], found
    # a capital that only opens the sentence ("Für") is not part of the place
    assert "Bremen" in found["place"]
    # countries keep their article in German and stay places
    assert {"Türkei", "Iran"} <= found["place"]


def test_the_german_rules_apply_to_german_only() -> None:
    english = "Maria Schmidt met the Customers of Bremen on Monday."
    assert {"Maria Schmidt", "Customers of Bremen"} <= _kinds(english, "en")["name"]
    # without the language, the same German text keeps its capitalised nouns (the old rules)
    assert "Kunden" in _kinds(GERMAN, None)["name"]
    # and "der" joins capitalised words as in Dutch "van der"; in German it is an article
    chain = "Im Landkreis Lüneburg der Weisung der Landesregierung folgen alle Gemeinden."
    assert "Im Landkreis Lüneburg der Weisung der Landesregierung" in _kinds(chain, None)["name"]
    assert not any(" der " in name for name in _kinds(chain, "de")["name"])


def test_german_reports_name_no_noun_they_use_after_an_article(data_dir) -> None:
    """On real German reports (STS22), no one-word name is a word the text puts after an
    article or determiner, and names with a capital on every word remain."""
    csv.field_size_limit(sys.maxsize)
    with (data_dir / "sts22" / "pairs.csv").open(encoding="utf-8", newline="") as handle:
        texts = [row["text1"] for row in csv.DictReader(handle) if row["lang1"] == "de"][:25]
    assert texts
    names = 0
    for text in texts:
        nouns = german_nouns(text)
        for mention in extract_mentions(split_sentences(text), text, "de"):
            if mention.kind == "name" and " " not in mention.text:
                assert fold(mention.text) not in nouns, mention.text
            names += mention.kind == "name"
    assert names > 0


def test_turkish_names_lose_their_case_endings() -> None:
    text = (
        "UEFA’nın kararı Türkiye’de tartışıldı. Avrupa’da da UEFA’ya tepki var. "
        "Mete Düren’in açıklaması Haziran’da yapıldı."
    )
    found = _kinds(text, "tr")
    assert "Türkiye" in found["place"]
    assert {"UEFA", "Mete Düren"} <= found["name"]
    assert not any("’" in name or "'" in name for name in found["name"] | found["place"])
    assert "Haziran" not in found["name"]  # a month: a date word, not a name


def test_a_headline_in_capitals_is_not_a_name() -> None:
    text = "TESTİ POZİTİF ÇIKAN OYUNCUYLA İLGİLİ KARAR VERİLMEDİ. NASA ve UEFA toplandı."
    names = _kinds(text, "tr")["name"]
    assert not any(len(name.split()) >= 4 for name in names)
    assert {"NASA", "UEFA"} <= names


def test_a_title_case_heading_names_only_what_the_body_capitalises() -> None:
    text = (
        "How Long Can Nancy Pelosi Hold Back These Articles of Impeachment\n"
        "The House speaker, Nancy Pelosi, has not yet sent the articles of impeachment to "
        "the Senate, and she can hold them back for long. "
        "Fitness experts and the NRA say nothing."
    )
    names = _kinds(text, "en")["name"]
    assert "Nancy Pelosi" in names
    assert not any(name.startswith(("How Long", "Hold Back", "Articles")) for name in names)
    # an ordinary sentence keeps its capitalised spans as they are
    assert (
        "Customers of Bremen" in _kinds("Maria Schmidt met the Customers of Bremen.", "en")["name"]
    )
    # a text of headings only keeps them (nothing to confirm them with), as does a list
    assert "Ankara" in _kinds("Curfews in Adana, Antalya, Izmir, Ankara.", "en")["place"]
    assert _kinds("Top Nutrition Trends For Fall Eating", "en")["name"]


def test_names_listed_with_and_are_two_names() -> None:
    found = _kinds("Prince William and Kate Middleton flew to Trinidad and Tobago.", "en")
    assert {"Prince William", "Kate Middleton"} <= found["name"]
    assert "Trinidad and Tobago" in found["place"]  # a place's own name keeps its "and"
    assert {"Izmir", "Ankara"} <= _kinds("Curfews in Izmir and Ankara.", "en")["place"]
    assert {"Julian Assange", "Daniel Ellsberg"} <= _kinds(
        "Julian Assange y Daniel Ellsberg hablaron.", "es"
    )["name"]


def _values(text: str, lang: str | None, kind: str) -> list[tuple[str, str]]:
    return [
        (m.text, m.value)
        for m in extract_mentions(split_sentences(text), text, lang)
        if m.kind == kind
    ]


def test_dates_written_in_digits_are_dates_not_numbers() -> None:
    """A user's Arabic pair moved an event from 26/4/2020 to 4/6/2020 and no fact changed:
    the digits were read as the numbers 26, 4, 11 and 59."""
    arabic = "تفتح أبواب التسجيل يوم الأحد 26/4/2020 الساعة 11:59 مساء."
    assert _values(arabic, "ar", "date")[0] == ("26/4/2020", "2020-04-26")
    assert _values(arabic, "ar", "number") == []
    # day first outside English, month first in English unless it cannot be a month
    assert ("4/6/2020", "2020-06-04") in _values("Il aura lieu le 4/6/2020.", "fr", "date")
    assert ("4/6/2020", "2020-04-06") in _values("It opens on 4/6/2020.", "en", "date")
    assert ("26/4/2020", "2020-04-26") in _values("It opens on 26/4/2020.", "en", "date")
    assert ("2020-04-26", "2020-04-26") in _values("Published 2020-04-26 by staff.", "en", "date")
    assert ("03.05.2020", "2020-05-03") in _values("Am 03.05.2020 um 14:30 Uhr.", "de", "date")
    assert _values("Am 03.05.2020 um 14:30 Uhr.", "de", "number") == []
    assert _values("It happened on 31/31/2020.", "en", "date") == []  # no such date


def test_a_weekday_word_of_another_language_or_in_a_place_name_is_no_date() -> None:
    """ "Santo Domingo" in an English report gave the weekday Sunday ("both give Domingo")."""
    english = "Officials in Santo Domingo said on Friday that SANTO DOMINGO stays calm."
    assert _values(english, "en", "date") == [("Friday", "weekday:4")]
    assert _values("Santo Domingo, RD.- La Junta se reunió el domingo.", "es", "date") == [
        ("domingo", "weekday:6")
    ]
    assert _values("Obowiązek w sali kinowej zniesiono we wtorek.", "pl", "date") == [
        ("wtorek", "weekday:1")
    ]  # Polish "sali" (hall) is no Turkish "salı"
    assert _values("Am Sonntag kam er.", "de", "date") == [("Sonntag", "weekday:6")]


def test_a_phone_number_holds_no_year() -> None:
    """ "19995" gave the year 1999, and Time said "both give 2020, 1999"."""
    dates = _values("Call the hotline on 19995 before 2020 ends.", "en", "date")
    assert dates == [("2020", "2020")]


def test_interjections_and_contractions_are_not_names() -> None:
    text = (
        "Hey, Tom. We've heard from the Pentagon. Oh, yeah. Thanks, Rachel. "
        "We’re told the National Guard is ready. And I'm here with Tom Bowman."
    )
    names = {name for name, _ in _values(text, "en", "name")}
    assert {"Hey", "We've", "We’re", "Oh", "Thanks", "And I'm", "I'm"}.isdisjoint(names)
    assert {"Tom", "Rachel", "Tom Bowman", "National Guard"} <= names


def test_an_ordinal_day_before_a_month_does_not_end_a_sentence() -> None:
    assert split_sentences("Es geschah am 3. Mai 2020 in Caracas. Dann kam die Polizei.") == [
        "Es geschah am 3. Mai 2020 in Caracas.",
        "Dann kam die Polizei.",
    ]
    assert split_sentences("Er wurde 3. Dann ging er.") == ["Er wurde 3.", "Dann ging er."]

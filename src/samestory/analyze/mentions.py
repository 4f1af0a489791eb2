"""Facts mentioned in sentences: names, places, numbers with units, dates.

Works for every language with rules (capitalised spans, number + unit, weekday and month
names in en/es/fr/de/it/pt), and uses spaCy NER where a model is installed (en, fr) to tell
people from organisations. Each Mention keeps the text as written and a normalised ``value``
used to compare facts across reports and languages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .gazetteer import fold, lookup


@dataclass(frozen=True)
class Mention:
    """A fact mentioned in one sentence.

    ``kind`` is "name", "place", "number" or "date"; ``text`` is as written; ``value`` is the
    normalised form ("70 mile", "weekday:4", a geonames id, a folded name); ``unit`` is the
    normalised unit of a number ("mile", "year of age", "" for a bare count).
    """

    kind: str
    text: str
    value: str
    sentence: int
    start: int
    end: int
    unit: str = ""


def opens_sentence(sentence: str, start: int) -> bool:
    """Whether the words at ``start`` open the sentence (after quotes or a dash at most)."""
    return not sentence[:start].strip(" \t\"'«»“”„‘’¿¡([-–—")


def trimmed_span(mention: Mention, sentence: str) -> tuple[int, int]:
    """``(start, end)`` of a mention in its sentence, without the spaces a pattern took around it.

    ``text`` may be normalised ("M Biden" for "M. Biden"); ``sentence[start:end]`` is as written,
    less a possessive ending that ``text`` leaves out ("Jarrott" of "Jarrott’s car").
    """
    start, end = max(0, mention.start), min(len(sentence), mention.end)
    while start < end and sentence[start].isspace():
        start += 1
    while end > start and sentence[end - 1].isspace():
        end -= 1
    for ending in ("'s", "’s"):
        if sentence.endswith(ending, start, end) and not mention.text.endswith(ending):
            end = max(start, end - len(ending))
    return start, end


_CONNECTORS = {
    "de", "del", "della", "di", "da", "la", "le", "las", "los", "el", "van", "von", "der",
    "den", "du", "des", "al", "bin", "ibn", "y", "and", "of",
}  # fmt: skip
# In German "der", "den", "des" and "dem" are articles between two nouns ("Landkreis Lüneburg
# der Weisung der Landesregierung"), not the particle of a name as in Dutch "van der".
_GERMAN_CONNECTORS = _CONNECTORS - {"der", "den", "des"}

# German writes every noun with a capital, so a capital alone finds nouns ("Kunden", "Leben",
# "Regelung") as often as names. A word the text writes right after an article or determiner
# ("die Kunden", "im Land", "eine neue Regelung") is a noun; so is one with a noun suffix.
_GERMAN_DETERMINERS = {
    "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer", "eines",
    "kein", "keine", "keinen", "keinem", "keiner", "im", "am", "zum", "zur", "vom", "beim",
    "ins", "ans", "jede", "jeder", "jedes", "jeden", "diese", "dieser", "dieses", "diesen",
    "diesem", "alle", "allen", "viele", "vielen", "mehrere", "sein", "seine", "seinen",
    "seinem", "seiner", "ihr", "ihre", "ihren", "ihrem", "ihrer", "unser", "unsere",
    "unseren", "unserem", "welche", "welcher", "welches", "manche", "einige", "einigen",
}  # fmt: skip
_GERMAN_NOUN = re.compile(
    r"(?<![\w\-])(?i:" + "|".join(sorted(_GERMAN_DETERMINERS, key=len, reverse=True)) + r")"
    r"\s+(?:[a-zäöüß][\w\-]*(?:en|er|es|em)\s+)?([A-ZÄÖÜ][\w\-]*)"
)
_GERMAN_NOUN_SUFFIXES = tuple(fold(suffix) for suffix in (
    "ung", "ungen", "heit", "heiten", "keit", "keiten", "schaft", "schaften", "tion", "tionen",
    "tät", "täten", "ismus", "nis", "nisse", "nissen", "chen", "ment", "mente", "menten",
))  # fmt: skip
# Words that open German sentences and so carry a capital there, though never names.
_GERMAN_NOT_NAMES = {fold(word) for word in {
    "es", "er", "sie", "wir", "ich", "ihr", "man", "so", "da", "dabei", "damit", "dann",
    "doch", "auch", "noch", "nur", "schon", "jetzt", "hier", "dort", "heute", "gestern",
    "morgen", "laut", "für", "mit", "nach", "bei", "vor", "über", "unter", "seit", "bis",
    "wie", "was", "wer", "wo", "warum", "als", "wenn", "weil", "dass", "daher", "deshalb",
    "zudem", "außerdem", "allerdings", "jedoch", "trotzdem", "gerade", "bisher", "derzeit",
    "inzwischen", "zunächst", "zuletzt", "insgesamt", "etwa", "rund", "mehr", "nun", "nicht",
    "auf", "aus", "an", "um", "zu", "ob", "oder", "aber", "denn", "sondern", "während",
    "nachdem", "bevor", "obwohl", "dafür", "dazu", "darauf", "darüber", "davon", "hierzu",
}}  # fmt: skip

# Words that start sentences or are capitalised by convention but are not names.
_NOT_NAMES = {
    "the", "a", "an", "this", "that", "these", "those", "he", "she", "it", "they", "we", "i",
    "his", "her", "their", "our", "its", "after", "before", "when", "while", "but", "and", "or",
    "in", "on", "at", "for", "with", "from", "to", "by", "of", "as", "if", "one", "two", "mr",
    "mrs", "ms", "dr", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
    "sunday", "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december", "according", "officer", "officers",
    "police", "state", "chief", "president", "minister", "governor", "mayor", "spokesman",
    "spokeswoman", "sheriff", "department", "county", "city", "court", "government", "news",
    "el", "la", "los", "las", "un", "una", "le", "les", "der", "die", "das", "ein", "eine",
    "il", "lo", "gli", "o", "os", "um", "uma", "en", "et", "und", "y", "e", "pero", "mais",
    # what opens a spoken line ("Oh, yeah.", "Thanks, Tom."): interviews, transcripts
    "hi", "hello", "hey", "oh", "ah", "yes", "yeah", "no", "ok", "okay", "thanks", "so",
    "well", "now", "please",
    # English contractions ("We've", "I'm"); _not_a_name reads ’ as '
    "i'm", "i've", "i'll", "i'd", "we're", "we've", "we'll", "we'd", "you're", "you've",
    "they're", "they've", "it's", "that's", "there's", "here's", "let's", "don't", "can't",
}  # fmt: skip


def _not_a_name(word: str) -> bool:
    """A word that is never a name on its own (``_NOT_NAMES``; ’ read as ')."""
    return fold(word).replace("’", "'") in _NOT_NAMES


_TITLES = {
    "officer", "mr", "mrs", "ms", "dr", "president", "minister", "governor", "mayor", "chief",
    "senator", "sen", "rep", "gen", "general", "captain", "capt", "sgt", "sergeant", "judge",
    "prime", "señor", "sr", "sra", "monsieur", "madame", "herr", "frau", "agent", "detective",
}  # fmt: skip

# --- numbers -----------------------------------------------------------------------------

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "hundred": 100, "dozen": 12,
    "uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7,
    "ocho": 8, "nueve": 9, "diez": 10, "veinte": 20, "treinta": 30, "cuarenta": 40,
    "cincuenta": 50, "cien": 100,
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "huit": 8,
    "neuf": 9, "dix": 10, "vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50,
    "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8,
    "neun": 9, "zehn": 10, "zwanzig": 20, "dreißig": 30, "vierzig": 40, "fünfzig": 50,
}  # fmt: skip

# Unit words in several languages mapped to one canonical unit, so "40 millas" == "40 miles".
_UNITS = {
    "mile": ["mile", "miles", "millas", "milla", "milles", "mille", "meilen", "meile", "miglia", "mil"],
    "kilometre": ["km", "kilometer", "kilometers", "kilometre", "kilometres", "kilómetros",
                  "kilómetro", "kilomètres", "kilomètre", "kilometern", "chilometri", "kilometrów"],
    "metre": ["m", "meter", "meters", "metre", "metres", "metros", "mètres", "metern", "metri"],
    "percent": ["%", "percent", "per cent", "por ciento", "pour cent", "prozent", "per cento", "procent"],
    "year": ["year", "years", "año", "años", "an", "ans", "année", "années", "jahr", "jahre",
             "jahren", "anno", "anni", "lat", "rok"],
    "month": ["month", "months", "mes", "meses", "mois", "monat", "monate", "monaten", "mesi"],
    "day": ["day", "days", "día", "días", "jour", "jours", "tag", "tage", "tagen", "giorni"],
    "hour": ["hour", "hours", "hora", "horas", "heure", "heures", "stunde", "stunden", "ore"],
    "person": ["people", "persons", "personas", "personnes", "menschen", "personen", "persone",
               "osób", "kişi"],
    "dead": ["dead", "killed", "deaths", "muertos", "fallecidos", "morts", "tote", "toten", "morti"],
    "injured": ["injured", "wounded", "heridos", "blessés", "verletzte", "verletzten", "feriti"],
    "child": ["children", "kids", "niños", "hijos", "enfants", "kinder", "bambini", "figli"],
    "dollar": ["$", "dollars", "dollar", "dólares", "dollars", "usd"],
    "euro": ["€", "euros", "euro", "eur"],
    "million": ["million", "millions", "millones", "millón", "millionen", "milioni", "mln"],
    "billion": ["billion", "billions", "mil millones", "milliards", "milliarden", "miliardi"],
    "officer": ["officers", "policemen", "agentes", "policiers", "polizisten"],
    "soldier": ["soldiers", "troops", "soldados", "soldats", "soldaten"],
}  # fmt: skip
_UNIT_OF = {word: unit for unit, words in _UNITS.items() for word in words}
_UNIT_WORDS = sorted(_UNIT_OF, key=len, reverse=True)
_UNIT_ALTERNATION = "|".join(re.escape(w) for w in _UNIT_WORDS)

_NUMERAL = r"\d{1,3}(?:[,.\s]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
_NUMBER_WORD_ALTERNATION = "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
_NUMBER = re.compile(
    rf"(?<![\w.,])(?P<currency>[$€£])?\s?(?P<num>{_NUMERAL}|(?:{_NUMBER_WORD_ALTERNATION})\b)"
    rf"(?:[\s\-]+(?P<unit>{_UNIT_ALTERNATION})(?![\w]))?",
    re.IGNORECASE,
)
# "Jarrott, 28," and "Cueva (39)": an age written after a name.
_AGE_AFTER_NAME = re.compile(
    r"(?P<name>[A-ZÀ-Ö][\w'’\-]+),\s(?P<age>\d{1,2}),|(?P<name2>[A-ZÀ-Ö][\w'’\-]+)\s\((?P<age2>\d{1,2})\)"
)
_AGE_PHRASE = re.compile(
    # not the tail of a larger number ("300.000 Jahre alt", "10 000 ans")
    r"(?<![\d.,])(?<!\d )(?P<age>\d{1,3})[\s\-]+(?:years?[\s\-]+old|year-old|años(?: de edad)?|ans|jahre alt|jährige[rn]?|anni)",
    re.IGNORECASE,
)

# --- dates --------------------------------------------------------------------------------

_WEEKDAYS = {
    0: ["monday", "lunes", "lundi", "montag", "lunedì", "segunda-feira", "poniedziałek", "pazartesi"],
    1: ["tuesday", "martes", "mardi", "dienstag", "martedì", "terça-feira", "wtorek", "salı"],
    2: ["wednesday", "miércoles", "mercredi", "mittwoch", "mercoledì", "quarta-feira", "środa", "çarşamba"],
    3: ["thursday", "jueves", "jeudi", "donnerstag", "giovedì", "quinta-feira", "czwartek", "perşembe"],
    4: ["friday", "viernes", "vendredi", "freitag", "venerdì", "sexta-feira", "piątek", "cuma"],
    5: ["saturday", "sábado", "samedi", "samstag", "sonnabend", "sabato", "sobota", "cumartesi"],
    6: ["sunday", "domingo", "dimanche", "sonntag", "domenica", "niedziela", "pazar"],
}  # fmt: skip
_MONTHS = {
    1: ["january", "jan", "enero", "janvier", "januar", "jänner", "gennaio", "janeiro", "stycznia", "ocak"],
    2: ["february", "feb", "febrero", "février", "februar", "febbraio", "fevereiro", "lutego", "şubat"],
    3: ["march", "mar", "marzo", "mars", "märz", "março", "marca", "mart"],
    4: ["april", "apr", "abril", "avril", "aprile", "kwietnia", "nisan"],
    5: ["may", "mayo", "mai", "maggio", "maio", "maja", "mayıs"],
    6: ["june", "jun", "junio", "juin", "juni", "giugno", "junho", "czerwca", "haziran"],
    7: ["july", "jul", "julio", "juillet", "juli", "luglio", "julho", "lipca", "temmuz"],
    8: ["august", "aug", "agosto", "août", "sierpnia", "ağustos"],
    9: ["september", "sep", "sept", "septiembre", "septembre", "settembre", "setembro", "września", "eylül"],
    10: ["october", "oct", "octubre", "octobre", "oktober", "ottobre", "outubro", "października", "ekim"],
    11: ["november", "nov", "noviembre", "novembre", "novembro", "listopada", "kasım"],
    12: ["december", "dec", "diciembre", "décembre", "dezember", "dicembre", "dezembro", "grudnia", "aralık"],
}  # fmt: skip
# each language's weekday words: in a text of one of these languages only its own count
# ("Santo Domingo" in an English text is no Sunday)
_WEEKDAYS_IN = {
    "en": ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
    "es": ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
    "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    "de": ("montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonnabend",
           "sonntag"),
    "it": ("lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica"),
    "pt": ("segunda-feira", "terça-feira", "quarta-feira", "quinta-feira", "sexta-feira",
           "sábado", "domingo"),
    "pl": ("poniedziałek", "wtorek", "środa", "czwartek", "piątek", "sobota", "niedziela"),
    "tr": ("pazartesi", "salı", "çarşamba", "perşembe", "cuma", "cumartesi", "pazar"),
}  # fmt: skip
_WEEKDAYS_IN_FOLDED = {
    lang: {fold(w) for w in words} | set(words) for lang, words in _WEEKDAYS_IN.items()
}
_WEEKDAY_OF = {fold(w): d for d, words in _WEEKDAYS.items() for w in words}
_WEEKDAY_OF.update({w: d for d, words in _WEEKDAYS.items() for w in words})
_MONTH_OF = {fold(w): m for m, words in _MONTHS.items() for w in words}
_MONTH_OF.update({w: m for m, words in _MONTHS.items() for w in words})
_WEEKDAY_RE = re.compile(
    r"(?<!\w)(" + "|".join(sorted(_WEEKDAY_OF, key=len, reverse=True)) + r")(?!\w)", re.IGNORECASE
)
_MONTH_ALT = "|".join(sorted(_MONTH_OF, key=len, reverse=True))
_DAY_MONTH_RE = re.compile(
    rf"(?<!\w)(?:(?P<m1>{_MONTH_ALT})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?!\d)"
    rf"|(?P<d2>\d{{1,2}})(?:\.|º|er)?\s+(?:de\s+)?(?P<m2>{_MONTH_ALT})(?!\w))"
    rf"(?:,?\s+(?:de\s+)?(?P<y>(?:19|20)\d\d))?",
    re.IGNORECASE,
)
_MONTH_YEAR_RE = re.compile(
    rf"(?<!\w)(?P<m>{_MONTH_ALT})\.?\s+(?:de\s+)?(?P<y>(?:19|20)\d\d)(?!\d)", re.IGNORECASE
)
# not inside a longer number ("19995", a phone number) nor before decimals ("2020.5")
_YEAR_RE = re.compile(r"(?<![\w.,])(?P<y>(?:19|20)\d\d)(?!\w)(?![.,]\d)")
# "26/4/2020", "03.05.2020", "4-6-2020": day and month in the order of the language
# (month first in English, unless the first number cannot be a month); "2020-04-26"
_NUMERIC_DATE_RE = re.compile(
    r"(?<![\w/.\-:])(?:(?P<a>\d{1,2})(?P<sep>[./\-])(?P<b>\d{1,2})(?P=sep)(?P<y>(?:19|20)\d\d)"
    r"|(?P<iy>(?:19|20)\d\d)-(?P<im>\d\d)-(?P<id>\d\d))(?![\w/]|[.\-]\d)"
)
# "11:59", "22:00:15", "9:30 pm": a time of day, not two numbers
_CLOCK_RE = re.compile(r"(?<![\w:.,])\d{1,2}:\d\d(?::\d\d)?(?![\w:]|[.,]\d)")
_MONTH_FIRST_LANGUAGES = {"en"}


def is_month_word(word: str) -> bool:
    """A month name in one of the known languages ("Mai", "mars", "Jan")."""
    return fold(word) in _MONTH_OF


def is_date_word(word: str) -> bool:
    """A month or weekday name in one of the known languages ("März", "jeudi")."""
    key = fold(word)
    return key in _MONTH_OF or key in _WEEKDAY_OF


def _to_number(raw: str) -> float | None:
    lowered = raw.lower()
    if lowered in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[lowered])
    digits = raw.replace(" ", "")
    # "1,500" / "1.500" (thousands) vs "3.5" / "3,5" (decimals)
    if re.fullmatch(r"\d{1,3}([,.]\d{3})+", digits):
        return float(re.sub(r"[,.]", "", digits))
    try:
        return float(digits.replace(",", "."))
    except ValueError:
        return None


def _format_number(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"


def find_numbers(sentence: str, index: int) -> list[Mention]:
    """Numbers with their unit: "70 miles", "40-mile", "$3 million", ages after a name."""
    mentions: list[Mention] = []
    # the digits of a date ("26/4/2020") or a clock time ("11:59") are not counts
    taken = [
        m.span() for m in (*_NUMERIC_DATE_RE.finditer(sentence), *_CLOCK_RE.finditer(sentence))
    ]
    for match in _AGE_AFTER_NAME.finditer(sentence):
        name = match.group("name") or match.group("name2")
        age_group = "age" if match.group("age") else "age2"
        if _not_a_name(name):
            continue
        start, end = match.span(age_group)
        mentions.append(Mention("number", match.group(age_group), f"{int(match.group(age_group))} age",
                                index, start, end, unit="age"))  # fmt: skip
        taken.append((start, end))
    for match in _AGE_PHRASE.finditer(sentence):
        start, end = match.span()
        mentions.append(Mention("number", match.group(0), f"{int(match.group('age'))} age",
                                index, start, end, unit="age"))  # fmt: skip
        taken.append((start, end))
    for match in _NUMBER.finditer(sentence):
        start, end = match.span()
        if any(s <= start < e or s < end <= e for s, e in taken):
            continue
        raw = match.group("num")
        value = _to_number(raw)
        if value is None:
            continue
        unit_word = (match.group("unit") or match.group("currency") or "").lower()
        unit = _UNIT_OF.get(unit_word, "")
        if not unit and raw.isdigit() and 1900 <= int(raw) <= 2099:
            continue  # a bare year is a date, not a count
        if not unit and raw.lower() in _NUMBER_WORDS and value == 1:
            continue  # "one of the officers": too weak to be a fact
        mentions.append(Mention("number", match.group(0).strip(), f"{_format_number(value)} {unit}".strip(),
                                index, start, end, unit=unit))  # fmt: skip
    return mentions


def _numeric_date(match: re.Match[str], lang: str | None) -> str | None:
    """The ISO value of a date written in digits, or None when it is no valid date."""
    if match.group("iy"):
        year, month, day = (int(match.group(g)) for g in ("iy", "im", "id"))
    else:
        a, b, year = (int(match.group(g)) for g in ("a", "b", "y"))
        month_first = (lang in _MONTH_FIRST_LANGUAGES and a <= 12) or b > 12
        month, day = (a, b) if month_first else (b, a)
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year}-{month:02d}-{day:02d}"


def find_dates(sentence: str, index: int, lang: str | None = None) -> list[Mention]:
    """Weekdays, day-month(-year), month-year, dates in digits and years, normalised
    language-independently (``lang`` orders the day and month of "4/6/2020")."""
    mentions: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for match in _NUMERIC_DATE_RE.finditer(sentence):
        value = _numeric_date(match, lang)
        if value is not None:
            mentions.append(Mention("date", match.group(0), value, index, *match.span()))
        taken.append(match.span())
    for match in _DAY_MONTH_RE.finditer(sentence):
        if any(s <= match.start() < e for s, e in taken):
            continue
        month_word = fold(match.group("m1") or match.group("m2"))
        if (
            month_word == "may"
            and match.group("m1")
            and not match.group("y")
            and match.group("m1") != "May"
        ):
            # "may 5" in lower case is a verb; "May 5" is the month
            continue
        day = int(match.group("d1") or match.group("d2"))
        if not 1 <= day <= 31:
            continue
        month = _MONTH_OF.get(month_word)
        if month is None:
            continue
        year = match.group("y")
        value = f"{year or '----'}-{month:02d}-{day:02d}"
        mentions.append(Mention("date", match.group(0), value, index, *match.span()))
        taken.append(match.span())
    for match in _MONTH_YEAR_RE.finditer(sentence):
        if any(s <= match.start() < e for s, e in taken):
            continue
        month = _MONTH_OF.get(fold(match.group("m")))
        if month is None:
            continue
        mentions.append(Mention("date", match.group(0), f"{match.group('y')}-{month:02d}",
                                index, *match.span()))  # fmt: skip
        taken.append(match.span())
    for match in _YEAR_RE.finditer(sentence):
        if any(s <= match.start() < e for s, e in taken):
            continue
        mentions.append(Mention("date", match.group(0), match.group("y"), index, *match.span()))
    own = _WEEKDAYS_IN_FOLDED.get(lang or "")
    for match in _WEEKDAY_RE.finditer(sentence):
        word = match.group(1)
        weekday = _WEEKDAY_OF.get(fold(word))
        if weekday is None:
            continue
        if own is not None and fold(word) not in own and word.lower() not in own:
            continue  # another language's weekday: a name here ("Santo Domingo")
        before = sentence[: match.start()].split()[-1:]
        if before and before[0][:1].isupper() and lookup(f"{before[0]} {word}"):
            continue  # part of a place's name: "Santo Domingo", "San Domingo"
        mentions.append(Mention("date", match.group(1), f"weekday:{weekday}", index, *match.span()))
    return mentions


def _trim_span(words: list[str]) -> list[str]:
    while words and (_not_a_name(words[0]) or fold(words[0]) in _CONNECTORS):
        words = words[1:]
    while words and fold(words[-1]) in _CONNECTORS:
        words = words[:-1]
    return words


_WORD_TOKEN = re.compile(r"[\w'’\-\.]+")
# "Mannheim.Ein", "Florida.Insgesamt": a sentence end without its space, not one word
_GLUED_SENTENCE_END = re.compile(r"(?<=\w\w)\.(?=[A-ZÀ-ÖØ-Þ][a-zß-ÿ])")


# An elided article or pronoun before a capital: "d’Ankara", "l'Élysée", "qu’Emmanuel"
_ELISION = re.compile(
    r"(?:[dDlLjJnNmMsStTcC]|[qQ]u|[jJ]usqu|[lL]orsqu|[pP]uisqu)['’](?=[A-ZÀ-ÖØ-Þ])"
)


def _word_tokens(sentence: str) -> list[re.Match[str]]:
    """Words (with inner dots and hyphens: "U.S.", "SARS-CoV-2"), split where a sentence end lost its space.

    An elided article stays out of the word after it ("d’Ankara" is "Ankara").
    """
    tokens: list[re.Match[str]] = []
    for whole in _WORD_TOKEN.finditer(sentence):
        elided = _ELISION.match(whole.group(0))
        match = (
            _WORD_TOKEN.match(sentence, whole.start() + elided.end(), whole.end())
            if elided
            else whole
        )
        if match is None:
            continue
        cuts = [m.start() for m in _GLUED_SENTENCE_END.finditer(match.group(0))]
        if not cuts:
            tokens.append(match)
            continue
        start = match.start()
        for cut in [*cuts, len(match.group(0))]:
            # the dot stays out of both pieces, so it separates them like punctuation
            piece = _WORD_TOKEN.match(sentence, start, match.start() + cut)
            if piece:
                tokens.append(piece)
            start = match.start() + cut + 1
    return tokens


def capitalised_spans(
    sentence: str, connectors: set[str] | frozenset[str] = frozenset(_CONNECTORS)
) -> list[tuple[str, int, int]]:
    """Runs of capitalised words (with connectors such as "de", "von"), minus leading titles."""
    spans: list[tuple[str, int, int]] = []
    tokens = _word_tokens(sentence)
    i = 0
    while i < len(tokens):
        word = tokens[i].group(0)
        if (word[:1].isupper() and not word.isupper()) or (word.isupper() and len(word) > 1):
            j = i + 1
            while j < len(tokens):
                nxt = tokens[j].group(0)
                gap = sentence[tokens[j - 1].end() : tokens[j].start()]
                if gap.strip():
                    break  # punctuation between words ends the name
                if nxt[:1].isupper() or (
                    fold(nxt) in connectors
                    and j + 1 < len(tokens)
                    and tokens[j + 1].group(0)[:1].isupper()
                ):
                    j += 1
                    continue
                break
            words = [
                t.group(0).rstrip(".-").removesuffix("'s").removesuffix("’s") for t in tokens[i:j]
            ]
            trimmed = _trim_span(words)
            if trimmed and any(len(w) > 1 for w in trimmed):
                lead = next(k for k in range(len(words)) if words[k : k + len(trimmed)] == trimmed)
                first = tokens[i + lead]
                last = tokens[i + lead + len(trimmed) - 1]
                end = last.start() + len(last.group(0).rstrip(".-"))
                spans.append((" ".join(trimmed), first.start(), end))
            i = j
        else:
            i += 1
    return spans


def _place_lookup(words: list[str]) -> str | None:
    """The geonames id of a span, trying it with and without a leading article ("Las Cruces")."""
    text = " ".join(words)
    if len(words) == 1 and len(text) <= 3 and not text.isupper():
        return None  # "Par", "Bad": short aliases are words far more often than places
    if text.isupper():
        # acronyms: only country aliases ("USA", "UK"), never a city alias such as "CNN"
        places = [p for p in lookup(text) if p.kind == "country"]
    else:
        places = list(lookup(text))
    return str(places[0].geonameid) if places else None


def german_nouns(text: str) -> set[str]:
    """Folded words a German text uses as common nouns: right after an article or determiner
    (with at most one inflected adjective between: "die neue Regelung"). Countries and states
    stay names ("die Türkei", "der Iran")."""
    found = {fold(match.group(1)) for match in _GERMAN_NOUN.finditer(text)}
    return {
        word for word in found
        if not any(place.kind in ("country", "state") for place in lookup(word))
    }  # fmt: skip


def _german_common(word: str, nouns: set[str]) -> bool:
    folded = fold(word)
    return (
        folded in nouns
        or folded in _GERMAN_NOT_NAMES
        or (len(folded) > 6 and folded.endswith(_GERMAN_NOUN_SUFFIXES))
    )


# Turkish writes a case ending after a name with an apostrophe ("Türkiye’de", "UEFA’nın").
_TURKISH_CASE_ENDING = re.compile(r"['’][a-zçğıöşüâîû]{1,7}$")


def _turkish_parts(sentence: str, text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    """A Turkish span cut after each word with a case ending, the ending dropped: "Avrupa’da da
    UEFA" is "Avrupa" and "UEFA", so "UEFA’ya" and "UEFA" are one name and "Türkiye’de" a place."""
    parts: list[list[str]] = [[]]
    for word in text.split():
        ending = _TURKISH_CASE_ENDING.search(word)
        parts[-1].append(word[: ending.start()] if ending else word)
        if ending:
            parts.append([])
    if len(parts) == 1:
        return [(text, start, end)]
    return _located(sentence, parts, start)


def _located(sentence: str, parts: list[list[str]], start: int) -> list[tuple[str, int, int]]:
    """The parts of a span (lists of its words), trimmed, with their places in the sentence."""
    spans = []
    position = start
    for words in parts:
        words = _trim_span(words)
        if not words or not any(len(w) > 1 for w in words):
            continue
        first = sentence.find(words[0], position)
        last = sentence.find(words[-1], first) + len(words[-1])
        spans.append((" ".join(words), first, last))
        position = last
    return spans


# "and" / "y" join the words of one name ("Trinidad and Tobago", "Procter and Gamble") far less
# often than they join two names in a list ("Izmir and Ankara", "Assange y Ellsberg").
_LIST_JOINERS = {"and", "y"}


def _list_parts(sentence: str, text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    """A span cut at "and" / "y" into the names it lists, unless the whole is a known place."""
    words = text.split()
    if not any(fold(word) in _LIST_JOINERS for word in words[1:-1]) or _place_lookup(words):
        return [(text, start, end)]
    parts: list[list[str]] = [[]]
    for word in words:
        if fold(word) in _LIST_JOINERS:
            parts.append([])
        else:
            parts[-1].append(word)
    return _located(sentence, parts, start)


_LONG_WORD = re.compile(r"[^\W\d_]{4,}")


def is_title_case(sentence: str, lowercase_words: set[str]) -> bool:
    """Whether a sentence is a headline or heading in title case ("What Fitness Experts Are
    Eating"): it capitalises (nearly) every word of four letters or more, two or more of them
    words the text also writes in lower case. A list of names ("Adana, Antalya, Bursa") is
    not one, nor is a line in capitals."""
    words = _LONG_WORD.findall(sentence)
    capitalised = [w for w in words if w[0].isupper() and not w.isupper()]
    common = sum(1 for w in capitalised if fold(w) in lowercase_words)
    return len(words) >= 4 and len(capitalised) >= 0.8 * len(words) and common >= 2


def body_capitals(sentences: list[str], lowercase_words: set[str]) -> set[str] | None:
    """Folded words that ordinary (not title-case) sentences capitalise past their first word:
    the words a text treats as names. None when every sentence is title case."""
    ordinary = [s for s in sentences if not is_title_case(s, lowercase_words)]
    if not ordinary:
        return None
    return {
        fold(token.group(0).rstrip(".-").removesuffix("'s").removesuffix("’s"))
        for sentence in ordinary
        for token in _word_tokens(sentence)[1:]
        if token.group(0)[:1].isupper()
    }


def _confirmed_parts(
    sentence: str, text: str, start: int, end: int, confirmed: set[str]
) -> list[tuple[str, int, int]]:
    """A span of a title-case sentence cut at the words the text's ordinary sentences never
    capitalise: in "What Fitness Experts Are Eating" or "Scratch Makes It Easy" the capitals
    are the heading's; "Angela Merkel" is a name when the body writes it so. Acronyms stay."""
    parts: list[list[str]] = [[]]
    for word in text.split():
        folded = fold(word)
        if folded in confirmed or folded in _CONNECTORS or (word.isupper() and len(word) > 1):
            parts[-1].append(word)
        else:
            parts.append([])
    if len(parts) == 1:
        return [(text, start, end)]
    return _located(sentence, parts, start)


def find_names_and_places(
    sentence: str,
    index: int,
    lowercase_words: set[str],
    german: set[str] | None = None,
    *,
    turkish: bool = False,
    confirmed: set[str] | None = None,
) -> list[Mention]:
    """Capitalised spans as places (when the gazetteer knows them) or names.

    A single capitalised word that the text also uses in lower case ("Police" / "police") is
    an ordinary word, not a name; nor is a run of four or more words in capitals (a headline).
    ``german``: the text is German, and these are its common nouns (``german_nouns``); a span
    made only of such nouns, of German function words or of nouns with a noun suffix
    ("Regelung") is not a name either. ``turkish``: names lose their case endings
    (``_turkish_parts``). ``confirmed`` (``body_capitals``): in a title-case sentence (a
    headline or heading, ``is_title_case``) a span keeps only the words that the text's
    ordinary sentences also capitalise. A span that lists names ("Izmir and Ankara") is cut
    at "and" / "y" (``_list_parts``).
    """
    mentions: list[Mention] = []
    connectors = _CONNECTORS if german is None else _GERMAN_CONNECTORS
    spans = capitalised_spans(sentence, connectors)
    if turkish:
        spans = [part for span in spans for part in _turkish_parts(sentence, *span)]
    spans = [part for span in spans for part in _list_parts(sentence, *span)]
    if confirmed is not None and german is None and is_title_case(sentence, lowercase_words):
        spans = [part for span in spans for part in _confirmed_parts(sentence, *span, confirmed)]
    for text, start, end in spans:
        words = text.split()
        if len(words) >= 4 and text.isupper():
            continue
        if german is not None:
            # "Für Bremen", "Im Landkreis Lüneburg": the capital only opens the sentence
            lead = 0
            while lead < len(words) - 1 and (
                fold(words[lead]) in _GERMAN_NOT_NAMES or fold(words[lead]) in _GERMAN_DETERMINERS
            ):
                lead += 1
            if lead:
                start = sentence.index(words[lead], start)
                words = words[lead:]
                text = " ".join(words)
        if len(words) == 1 and (
            fold(text) in lowercase_words or _not_a_name(text) or is_date_word(text)
        ):
            continue
        if german is not None and all(
            _german_common(w, german) or fold(w) in lowercase_words or fold(w) in connectors
            for w in words
        ):
            continue
        # the span may have lost a leading article that belongs to a place name
        before = sentence[:start].split()
        candidates = [words]
        if before and fold(before[-1]) in _CONNECTORS and before[-1][:1].isupper():
            candidates.insert(0, [before[-1], *words])
        for candidate in candidates:
            geonameid = _place_lookup(candidate)
            if geonameid:
                text = " ".join(candidate)
                shift = len(before[-1]) + 1 if candidate is not words else 0
                mentions.append(Mention("place", text, geonameid, index, start - shift, end))
                break
        else:
            candidate = candidates[0]
            shift = len(before[-1]) + 1 if candidate is not words else 0
            text = " ".join(candidate)
            mentions.append(Mention("name", text, fold(text), index, start - shift, end))
    return mentions


def resolve_surnames(mentions: list[Mention]) -> list[Mention]:
    """A one-word "place" that the text also uses as the last word of a name is that person.

    "Dan Trujillo" makes a later "Trujillo confirmed ..." a name, not the city in Peru.
    """
    # "Policía Municipal de Mérida", "Universidad de Sevilla": a place ends these, not a
    # surname; nor does a dateline in capitals ("WAZ GELSENKIRCHEN")
    surnames = {
        fold(m.text.split()[-1])
        for m in mentions
        if m.kind == "name"
        and len(m.text.split()) > 1
        and fold(m.text.split()[-2]) not in _CONNECTORS
        and not m.text.isupper()
    }
    return [
        Mention("name", m.text, fold(m.text), m.sentence, m.start, m.end)
        if m.kind == "place" and " " not in m.text and fold(m.text) in surnames
        else m
        for m in mentions
    ]


def lowercase_vocabulary(text: str) -> set[str]:
    """Folded words the text writes in lower case somewhere."""
    return {fold(w) for w in re.findall(r"(?<![\w])[a-zà-ÿ][\w'’\-]*", text)}

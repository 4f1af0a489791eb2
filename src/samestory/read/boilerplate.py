"""Boilerplate in text copied from a web page: comment policies, share lines, credits.

Copied web text carries lines that are not part of the report ("Recommended for you",
"(0) comments", "Keep it Clean. Please avoid obscene ..."). They are dropped before any
score is computed and kept aside so a report can show what was dropped and why.
Patterns cover en, es, fr, de, it, pt; each is anchored to a whole short line (or its
start), so a sentence of the report that merely mentions "comments" is kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Lines that are boilerplate on their own, whatever follows them.
_LINE_PATTERNS: dict[str, list[str]] = {
    "comments": [
        r"\(?\d+\)?\s*(comments?|comentarios?|commentaires?|kommentare?|commenti|comentários?)",
        r"(comments?|comentarios|commentaires|kommentare|commenti)\s*\(?\d*\)?",
        r"(leave|post|add|write|show|view|load|hide) (a |the |all |more )?comments?.*",
        r"welcome to the discussion\.?",
        r"(be the first to comment|join the (conversation|discussion)).*",
        r"deja (un|tu) comentario.*",
        r"\(?\d+\)?\s*(réactions?|reacciones|antworten|replies)",
        r"(réagir|jetzt kommentieren|comentar|comment on this (story|article)).{0,40}",
        r"(show|hide|load|view|read) (\d+ )?(more )?(replies|responses)",
        r"(laisser|ajouter) un commentaire.*",
        r"(kommentar schreiben|kommentieren).*",
    ],
    "comment policy": [
        r"keep it clean\..*",
        r"don'?t threaten\..*",
        r"be truthful\..*",
        r"be nice\..*",
        r"be proactive\..*",
        r"share with us\..*",
        r"please avoid obscene.*",
        r"(comments are|this comment section is) (moderated|closed).*",
        r"(los comentarios|les commentaires|kommentare) (están|sont|sind) .*(moderad|modér|moderiert|cerrad|fermé|geschlossen).*",
    ],
    "recommendations": [
        r"(recommended|suggested|trending|popular|most read|more stories|related( stories| articles)?)( for you| now)?:?",
        r"(you (may|might) also like|read (more|also|next)|see also|more from .{0,40}):?.*",
        r"(recomendado para ti|te puede interesar|lee también|leer más|noticias relacionadas|lo más leído).*",
        r"(recommandé pour vous|à lire aussi|lire aussi|voir aussi|les plus lus|sur le même sujet).*",
        r"(empfohlen für sie|lesen sie auch|mehr zum thema|das könnte sie auch interessieren|meistgelesen).*",
        r"(leggi anche|potrebbe interessarti|più letti).*",
        r"(continue reading|story continues below|click here to .{0,80}|read the full (story|article).{0,40})",
        r"(seguir leyendo|sigue leyendo|ver más|más información|lee la noticia completa).{0,40}",
        r"(lire la suite|la suite après (cette )?(publicité|la publicité)|plus d'infos).{0,40}",
        r"(weiterlesen|mehr lesen|mehr dazu|zur startseite|artikel merken).{0,40}",
    ],
    "share": [
        r"(share|tweet|email|print|pin)( this( article| story)?)?( on (facebook|twitter|x|whatsapp|linkedin))?:?",
        r"(share|tweet|email|print|copy link|whatsapp|facebook|twitter|linkedin|reddit)(\s*[|·•/,]\s*(share|tweet|email|print|copy link|whatsapp|facebook|twitter|linkedin|reddit))+",
        r"(compartir|compartir en .*|partager|partager sur .*|teilen|teilen auf .*|condividi)",
        r"(follow us|síguenos|suivez-nous|folgen sie uns|seguici) (on|en|sur|auf|su) .*",
        r"(share this (article|story|page)|comparte esta (noticia|nota)|partager cet article"
        r"|artikel teilen|(auf|bei) (facebook|twitter|x|whatsapp|linkedin) teilen).{0,40}",
        r"(listen to this article|escuchar (esta )?noticia|écouter (cet )?article"
        r"|artikel (anhören|vorlesen lassen)).{0,30}",
    ],
    "subscribe": [
        r"(subscribe|sign up|register|log in|sign in)( now| today| here)?( for| to)? .{0,80}",
        r"(get|receive) (our|the) .{0,40}newsletter.*",
        r"(suscríbete|suscribirse|regístrate|inicia sesión).*",
        r"(abonnez-vous|s'abonner|inscrivez-vous|connectez-vous).*",
        r"(abonnieren|jetzt abonnieren|newsletter abonnieren|anmelden|registrieren).*",
    ],
    "cookies": [
        r"(we use|this (site|website) uses|by (using|continuing)|accept( all)?|manage|akzeptieren|aceptar|accepter|utilizamos|nous utilisons|wir verwenden).{0,120}\bcookies?\b.{0,120}",
        r".{0,40}\b(cookie (policy|settings)|privacy (policy|settings)|terms of (use|service)|política de (privacidad|cookies)|politique de confidentialité|datenschutzerklärung|nutzungsbedingungen)\b.{0,40}",
    ],
    "advertisement": [
        r"(advertisement|sponsored( content)?|publicidad|publicité|anzeige|werbung|pubblicità)",
        r"(skip (to|the) (main )?(content|advertisement)|scroll to continue( with content)?)",
    ],
    "image credit": [
        r"(photo|image|picture|foto|bild|imagen|crédit photo|credit|bildquelle|fuente)s?\s*:.{0,120}",
        r"(photo|image|foto)s? (by|de|von|par) .{0,80}",
        r".{0,80}\((photo|foto|image|bild|imagen)\s*:.{0,60}\)",
        r".{0,60}\b(getty images|afp|reuters|ap photo|shutterstock|dpa|epa|efe)\s*(/.{0,40})?",
    ],
    "reading time": [
        r"\d+\s*(min|minute|minutes|minuten|minutos)\.?( (read|de lecture|lesezeit|de lectura))?",
        r"(reading time|lesezeit|temps de lecture|tiempo de lectura)\s*:?.{0,20}",
    ],
    "credit": [
        r".{0,80}\b(contributed to this (report|story)|contribuyó a este (informe|reportaje)|a contribué à cet article|hat zu diesem bericht beigetragen)\.?",
        r"(copyright|©|\(c\)|all rights reserved|todos los derechos reservados|tous droits réservés|alle rechte vorbehalten).{0,160}",
    ],
}

# After one of these lines near the end of a text, everything that follows is page furniture.
_TAIL_MARKERS = {"comments", "comment policy", "recommendations"}

# One alternation per kind: a line is tested with a handful of regexes, not with each pattern.
_COMPILED = {
    kind: re.compile(r"^\s*(?:" + "|".join(f"(?:{p})" for p in patterns) + r")\s*$", re.I)
    for kind, patterns in _LINE_PATTERNS.items()
}

# A whole-line pattern only applies to lines of at most this many characters: real
# sentences of a report are rarely this short *and* match one of the patterns.
_MAX_BOILERPLATE_CHARS = 220


# Lines of an extracted web page's furniture that text copied by a reader may well keep as
# content (a dateline can be the only date a pasted text has): applied to HTML extracts only.
_PAGE_LINE_PATTERNS = [
    # links to other stories and teasers
    r"(related|see more|also on [\w.]+)\s*:.{0,200}",
    r"(don'?t miss|must read|top stories|latest news|more news)\.?:?",
    # datelines and update stamps standing alone ("October 12, 2017", "Updated at 1:23 p.m.")
    r"(updated|actualizado|mis à jour|aktualisiert)( at| on| el| le| am)?:? ((mon|tue|wed|thu|fri|sat|sun"
    r"|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-zé]*\.?,? |\d).{0,50}",
    r"((mon|tues|wednes|thurs|fri|satur|sun)day,? )?(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?"
    r"|may|june?|july?|aug(ust)?|sep(tember)?|oct(ober)?|nov(ember)?|dec(ember)?)\.? \d{1,2},?"
    r" \d{4}([ ,/|-]+.{0,40})?",
    # wire credits and photo-gallery controls
    r"(additional )?reporting by .{0,250}",
    r"(image \d+ of \d+|back to gallery|enlarge this image|toggle caption|hide caption)",
]
_PAGE_LINE = re.compile(
    r"^\s*(?:" + "|".join(f"(?:{p})" for p in _PAGE_LINE_PATTERNS) + r")\s*$", re.I
)


@dataclass(frozen=True)
class DroppedLine:
    """A line removed from the text, with the kind of boilerplate it is."""

    line: str
    kind: str


def classify_line(line: str) -> str | None:
    """The boilerplate kind of ``line``, or None when it looks like report content."""
    stripped = line.strip()
    if not stripped or len(stripped) > _MAX_BOILERPLATE_CHARS:
        return None
    for kind, pattern in _COMPILED.items():
        if pattern.match(stripped):
            return kind
    return None


def is_page_furniture(line: str) -> bool:
    """Whether a line of an HTML page's extract is boilerplate: any ``classify_line`` kind, or
    a teaser link, a dateline, an update stamp, a wire credit or a gallery control."""
    stripped = line.strip()
    return classify_line(stripped) is not None or (
        0 < len(stripped) <= _MAX_BOILERPLATE_CHARS and bool(_PAGE_LINE.match(stripped))
    )


def split_boilerplate(text: str) -> tuple[str, list[DroppedLine]]:
    """Split ``text`` into its content lines and the boilerplate lines it drops.

    Returns the cleaned text (content lines joined by newlines) and the dropped lines in order.
    """
    lines = text.split("\n")
    kinds = [classify_line(line) for line in lines]
    # A tail marker in the last part of the text starts page furniture: the comment section,
    # "Recommended for you" lists. Short lines after it go too, long paragraphs are kept.
    tail_start = len(lines)
    content_positions = [i for i, line in enumerate(lines) if line.strip()]
    if content_positions:
        cutoff = content_positions[len(content_positions) // 2]
        for i in range(cutoff, len(lines)):
            if kinds[i] in _TAIL_MARKERS:
                tail_start = i
                break
    kept: list[str] = []
    dropped: list[DroppedLine] = []
    for i, (line, kind) in enumerate(zip(lines, kinds, strict=True)):
        if not line.strip():
            kept.append("")
            continue
        if kind is None and i > tail_start and len(line.strip()) <= _MAX_BOILERPLATE_CHARS:
            kind = "page furniture"
        if kind is None:
            kept.append(line)
        else:
            dropped.append(DroppedLine(line.strip(), kind))
    cleaned = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()
    return cleaned, dropped

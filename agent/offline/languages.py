"""Which language is a message (or a CV) in? Offline: scripts and stop words, no model.

jobfit reads English (CVs, postings, chat). :func:`detect_language` names a message's language
when it is clearly another one, so the chat can say honestly what is supported instead of
"didn't understand". Short or mixed texts with English words count as English.
"""

from __future__ import annotations

import re

_SCRIPTS = (
    ("Russian or another Cyrillic-script language", re.compile(r"[\u0400-\u04FF]")),
    ("Greek", re.compile(r"[\u0370-\u03FF]")),
    ("Hebrew", re.compile(r"[\u0590-\u05FF]")),
    ("Arabic", re.compile(r"[\u0600-\u06FF]")),
    ("Hindi or another Devanagari-script language", re.compile(r"[\u0900-\u097F]")),
    ("Chinese", re.compile(r"[\u4E00-\u9FFF]")),
    ("Japanese", re.compile(r"[\u3040-\u30FF]")),
    ("Korean", re.compile(r"[\uAC00-\uD7AF]")),
    ("Thai", re.compile(r"[\u0E00-\u0E7F]")),
)
_STOP = {
    "English": "the and to of a in is it you that for on with are be this i my me what how do "
               "can have was not your jobs job which best am fit".split(),
    "German": "der die das und ist ich nicht zu ein eine mit für auf wie gut passe mir mein "
              "meine stelle stellen welche bin sind auch den dem des zur zum was habe "
              "lebenslauf bewerbung".split(),
    "French": "le la les et est je ne pas un une avec pour sur comment bien mon ma mes quel "
              "quelle quels offres emploi suis des du au aux qui que poste".split(),
    "Spanish": "el la los las y es yo no un una con para en cómo como bien mi mis qué cuál "
               "trabajo ofertas empleo soy del al que puesto".split(),
    "Italian": "il lo la gli le e è io non un una con per su come bene mio mia quale lavoro "
               "offerte sono del che posto".split(),
    "Portuguese": "o a os as e é eu não um uma com para em como bem meu minha qual trabalho "
                  "vagas sou do da que".split(),
    "Dutch": "de het en is ik niet een met voor op hoe goed mijn welke baan vacatures ben "
             "van dat wat".split(),
    "Turkish": "ve bir bu için ne nasıl ben benim bana hangi işler iş uygun mi mı en iyi "
               "var mı ilanlar".split(),
    "Polish": "i w nie jest się na z do jak dobrze mój moja która praca oferty jestem że".split(),
}
_WORD_RE = re.compile(r"[^\W\d_]+", re.UNICODE)


def detect_language(text: str) -> str | None:
    """The language of ``text`` when it is clearly not English (e.g. "German"), else None."""
    sample = text[:4000]
    letters = [c for c in sample if c.isalpha()]
    if not letters:
        return None
    for name, rx in _SCRIPTS:
        hits = len(rx.findall(sample))
        if hits >= 3 and hits >= 0.3 * len(letters):
            return name
    words = [w.lower() for w in _WORD_RE.findall(sample)]
    if len(words) < 3:
        return None
    counts = {lang: sum(1 for w in words if w in stop) for lang, stop in _STOP.items()}
    best = max(counts, key=lambda k: counts[k])
    if best == "English" or counts[best] < 2:
        return None
    if counts[best] >= max(2, 2 * counts["English"]) and counts[best] >= 0.25 * len(words):
        return best
    return None


def unsupported_answer(language: str, *, cv: bool = False) -> str:
    """The honest English answer to a message (or CV) in another language."""
    what = "CV" if cv else "message"
    return (f"Your {what} seems to be in {language}. For now I understand English only: my "
            "skill list, job parser and scoring are built for English CVs and postings, so I "
            "can't answer reliably in other languages yet. Please write in English, e.g. "
            "\"show my best matches\" or \"how well do I fit the first one?\""
            + (" — and paste an English version of your CV." if cv else "."))

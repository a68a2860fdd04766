"""Spoken languages in CVs ("German (fluent)", "Spanish - B2")."""

from __future__ import annotations

import re

SPOKEN_LANGUAGES: tuple[str, ...] = (
    "English", "German", "French", "Spanish", "Italian", "Portuguese", "Dutch", "Flemish",
    "Polish", "Russian", "Ukrainian", "Mandarin", "Chinese", "Cantonese", "Japanese", "Korean",
    "Arabic", "Hindi", "Urdu", "Bengali", "Punjabi", "Tamil", "Telugu", "Marathi", "Gujarati",
    "Turkish", "Swedish", "Norwegian", "Danish", "Finnish", "Icelandic", "Greek", "Hebrew",
    "Czech", "Slovak", "Hungarian", "Romanian", "Bulgarian", "Serbian", "Croatian", "Bosnian",
    "Slovenian", "Lithuanian", "Latvian", "Estonian", "Vietnamese", "Thai", "Indonesian",
    "Malay", "Tagalog", "Filipino", "Swahili", "Persian", "Farsi", "Catalan", "Basque",
    "Galician", "Irish", "Welsh", "Gaelic", "Afrikaans", "Zulu", "Amharic", "Somali", "Yoruba",
    "Igbo", "Hausa", "Nepali", "Sinhala", "Khmer", "Burmese", "Albanian", "Macedonian",
    "Armenian", "Georgian", "Azerbaijani", "Kazakh", "Uzbek", "Latin", "Esperanto",
    "British Sign Language", "American Sign Language", "BSL", "ASL",
)
SPOKEN_LANGUAGE_RE = re.compile(
    r"\b(" + "|".join(sorted((re.escape(x) for x in SPOKEN_LANGUAGES), key=len, reverse=True))
    + r")\b"
)
_LANG_LEVEL_RE = re.compile(
    r"\s*(?:\(([^)]{1,40})\)|[:–—-]\s*([A-Za-z][\w /+-]{0,30}?|[ABC][12])(?=\s*(?:[,;|•·]|$)))"
)
_CEFR = re.compile(r"[ABC][12]")
SPOKEN_LANGUAGE_SET = {x.casefold() for x in SPOKEN_LANGUAGES}


def parse_languages(text: str) -> list[str]:
    """Spoken languages with their level as written: ``"German (fluent)"``."""
    out: list[str] = []
    seen: set[str] = set()
    for m in SPOKEN_LANGUAGE_RE.finditer(text):
        name = m.group(1)
        if name.casefold() in seen:
            continue
        seen.add(name.casefold())
        lv = _LANG_LEVEL_RE.match(text, m.end())
        level = (lv.group(1) or lv.group(2) or "").strip() if lv else ""
        if level and not SPOKEN_LANGUAGE_RE.fullmatch(level):
            if not _CEFR.fullmatch(level):
                level = level.lower()
            out.append(f"{name} ({level})")
        else:
            out.append(name)
    return out


def accept_inline_heading(name: str, rest: str) -> bool:
    """Whether an inline heading ("Languages: ...") opens section `name`: "Languages: Python, Go"
    inside a skills block is a sub-label, not spoken languages."""
    if name == "languages":
        return SPOKEN_LANGUAGE_RE.search(rest) is not None
    return True

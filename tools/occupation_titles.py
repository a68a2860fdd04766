"""Job title text for occupation matching: cleaning, seniority words, stems and features.

A title is cut at the first separator (" | ", " - ", "(" …), seniority words ("Senior", "Jr.",
"Lead", "Intern") split off, abbreviations ("RN", "Sr.", "Mgr") expanded, and words stemmed
lightly (plurals, -ing, final -e). Used by the label index (``tools.occupation_labels``), the
pins (``tools.occupation_pins``) and the model (``tools.occupations``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

MAX_CHARS = 200
PREFIX = 5  # words sharing their first 5 letters ("politics", "political") partly match


_SENIORITY = {
    "senior": "senior", "sr": "senior", "snr": "senior", "junior": "junior", "jr": "junior",
    "jnr": "junior", "lead": "lead", "principal": "principal", "intern": "intern",
    "internship": "intern", "trainee": "trainee", "graduate": "graduate", "grad": "graduate",
    "entry": "entry", "mid": "mid", "midlevel": "mid", "experienced": "senior",
    "apprentice": "apprentice", "ii": "level", "iii": "level", "iv": "level", "i": "level",
    "svp": "vice president", "evp": "vice president", "avp": "vice president",
}
_NOISE = frozenset({"level", "remote", "hybrid", "onsite", "fulltime", "parttime", "contract",
                    "temporary", "temp", "permanent", "freelance", "m", "f", "d", "w", "x",
                    "hm", "mwd", "fmd", "urgent", "new", "needed", "wanted", "hiring"})
_ABBREV = {
    "rn": "registered nurse", "lpn": "licensed practical nurse", "lvn": "licensed vocational nurse",
    "cna": "certified nursing assistant", "np": "nurse practitioner", "gp": "general practitioner",
    "ceo": "chief executive officer", "cfo": "chief financial officer",
    "cto": "chief technology officer", "coo": "chief operating officer",
    "cio": "chief information officer", "cmo": "chief marketing officer",
    "cso": "chief security officer", "ciso": "chief information security officer",
    "vp": "vice president", "swe": "software engineer", "sde": "software development engineer",
    "sre": "site reliability engineer", "qa": "quality assurance", "hr": "human resources",
    "it": "ict", "mgr": "manager", "mngr": "manager", "eng": "engineer", "engr": "engineer",
    "dev": "developer", "devs": "developers", "admin": "administrator", "asst": "assistant",
    "assoc": "associate", "exec": "executive", "tech": "technician", "techs": "technicians",
    "rep": "representative", "reps": "representatives", "coord": "coordinator",
    "dir": "director", "spec": "specialist", "acct": "accountant", "ux": "user experience",
    "ui": "user interface", "ml": "machine learning", "ai": "artificial intelligence",
    "hgv": "heavy goods vehicle", "cdl": "truck", "emt": "emergency medical technician",
    "cpa": "certified public accountant", "dba": "database administrator",
    "bi": "business intelligence", "pa": "personal assistant", "ta": "teaching assistant",
    "csr": "customer service representative", "sdr": "sales development representative",
    "bdr": "business development representative", "ops": "operations",
    "frontend": "web", "backend": "software", "fullstack": "software", "js": "javascript",
}
STOP_WORDS = frozenset("a an the of and or for in on to with at by & from as per except other all "
                  "who our your we are is".split())
# Split off everything after the first of these: "Nurse - ICU (Nights)", "Dev | AWS".
_CUT = re.compile(r"\s[|/\u2013\u2014-]+\s|[|(\[{\u2022\u00b7]|\s@\s|\sat\s|:\s|\s{3,}")
_WORD = re.compile(r"[a-z0-9]+(?:[+#]+|(?:'[a-z]+)?)|,")
_ICT = re.compile(r"\binformation (?:and communications? )?technology\b")
_HEAD_OF = re.compile(r"^(?:head|vp|vice president|director) of ")


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("\u2019", "'").replace("&", " and ")
    return re.sub(r"[\x00-\x1f\x7f]+", " ", text)


@lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """A light English stemmer for titles: plurals, -ing, final -e ("nurses", "nursing")."""
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("men") and len(word) > 4:
        word = word[:-3] + "man"
    elif word.endswith("people"):
        word = word[:-6] + "person"
    elif word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith(("sses", "ches", "shes", "xes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is", "ous")):
        word = word[:-1]
    if word.endswith("ing") and len(word) >= 7:
        word = word[:-3]
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


def split_seniority(text: str) -> tuple[str, tuple[str, ...]]:
    """Main title part (lower case, abbreviations expanded) and its seniority words.

    >>> split_seniority("Sr. Java Developer | Spring, AWS")
    ('java developer', ('senior',))
    """
    if not isinstance(text, str):
        return "", ()
    low = _fold(text[:MAX_CHARS]).lower()
    parts = [p for p in _CUT.split(" " + low + " ") if p and re.search(r"[a-z]", p)]
    seniority: list[str] = []
    for part in parts:
        words: list[str] = []
        for w in _WORD.findall(part.replace("-", " ").replace("/", " / ")):
            if w in _SENIORITY:
                seniority.append(_SENIORITY[w])
            elif w in _NOISE:
                continue
            else:
                words.extend(_ABBREV.get(w, w).split())
        core = re.sub(r"(?:\s*,)+", ",", " ".join(words)).strip(" ,")
        core = _ICT.sub("ict", core)
        m = _HEAD_OF.match(core)
        if m:
            seniority.append("head")
            first, _, tail = core[m.end():].partition(",")
            core = first.strip() + " manager" + ("," + tail if tail else "")
        core = core.strip()
        if core and any(w not in STOP_WORDS for w in core.split()):
            return core, tuple(dict.fromkeys(seniority))
    return "", tuple(dict.fromkeys(seniority))


def head_index(words: Sequence[str]) -> int:
    """Index of the head word: the last word before the first "of"/"for"/"in" or ","."""
    end = len(words)
    for i, w in enumerate(words):
        if w in (",", "of", "for", "in", "at", "to") and i > 0:
            end = i
            break
    for i in range(end - 1, -1, -1):
        if words[i] not in STOP_WORDS and words[i] not in ",/":
            return i
    return max(0, end - 1)


FEATURE_WORD = re.compile(r"[a-z0-9]+(?:[+#]+)?|,")


def title_stems(text: str) -> tuple[list[str], str]:
    """Stemmed content words of a cleaned title and its head stem."""
    raw = FEATURE_WORD.findall(text.replace("'s ", " "))
    if not raw:
        return [], ""
    head = stem(raw[head_index(raw)])
    return [stem(w) for w in raw if w != "," and w not in STOP_WORDS], head


def features(text: str) -> tuple[list[str], str]:
    """Stemmed content words, bigrams ("a_b"), 5-letter prefixes ("polit~") and the head stem."""
    stems, head = title_stems(text)
    feats = list(stems)
    feats.extend(f"{a}_{b}" for a, b in zip(stems, stems[1:], strict=False))
    feats.extend(f"{w[:PREFIX]}~" for w in stems if len(w) > PREFIX and w.isalpha())
    return feats, head


def label_text(label: str) -> str:
    """Lower-case, accent-folded label with punctuation spaced out (no seniority cuts)."""
    low = _fold(label).lower().replace("-", " ").replace("/", " / ")
    return re.sub(r"\s+", " ", re.sub(r"[^a-z0-9+#,' /]", " ", low)).strip()


def title_key(text: str) -> str:
    """Order-free key of a cleaned title or label: its set of content words, plurals made
    singular (not fully stemmed: "account manager" is no "accounting manager")."""
    words = {_singular(w) for w in FEATURE_WORD.findall(text.replace("'s ", " "))
             if w != "," and w not in STOP_WORDS}
    return " ".join(sorted(words))


def _singular(word: str) -> str:
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "ches", "shes", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


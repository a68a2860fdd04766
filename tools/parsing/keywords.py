"""ATS salient terms of a job posting.

``extract_keywords`` returns lower-case, deduplicated terms in a deterministic order: first the
posting's skills (as given, required before preferred), then its knowledge terms outside the
taxonomy (``tools.knowledge``), then salient phrases from the text it is given (usually the
requirements and responsibilities sections). Phrases are maximal runs of words between
punctuation and stop words (a RAKE-like split), kept when 1-3 words long, scored by how often
they occur (longer phrases weigh more), ties broken by first position.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

DEFAULT_LIMIT = 30

_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9+#]*(?:[.\-/&'][A-Za-z0-9+#]+)*[+#]*")
_GAP_OK = re.compile(r"^[ \t]*$")
_TECHY = re.compile(r"[\d+#]")

STOP_WORDS: frozenset[str] = frozenset("""
a about above across after again against all also am an and any are aren't as at be because
been before being below between both but by can cannot could did do does doing down during each
either etc few for from further had has have having he her here hers him his how i if in into is
isn't it its itself just let like may me might more most much must my myself need needs no nor
not now of off on once only or other our ours out over own per same shall she should so some
such than that the their theirs them then there these they this those through to too under
until up upon us very via was we were what when where which while who whom why will with within
without would you your yours yourself e.g i.e eg ie etc. vs ours plus well across toward
towards around along among amongst another
""".split())

GENERIC_WORDS: frozenset[str] = frozenset("""
ability able apply applicant applicants background based benefits best bonus bring building
candidate candidates closely company culture day days deep degree demonstrable demonstrated
desire detail driven eager effective effectively ensure environment equivalent excellent
exceptional expected experience experienced expertise exposure familiar familiarity fast field
first focus full good great help high highly ideal ideally including join junior key knowledge
least level looking love make making mid minimum nice new offer opportunity ownership part
passion passionate preferred previous prior proficiency proficient proven related relevant
required requirement requirements responsibilities responsible role roles salary senior similar
skill skilled skills solid someone strong success successful support team teams thrive time
track understanding using use various want way ways working work year years yrs you'll we're
we'll you're it's they're role's must-have nice-to-have hands-on hands including include
includes other others will lead leading help helping hire hiring apply join joining get getting
hybrid remote onsite office days week weeks month months per annum hour hours pay salary usd
gbp eur k plus bonus required preferred desirable essential advantage advantageous a+ etc
collaborate collaborating collaboration communicate communicating work works worked build builds
built develop develops developed developing drive drives driving own owns owning partner
partnering deliver delivering delivers ensure ensuring support supporting supports maintain
maintaining create creating design designing improve improving manage managing implement
implementing write writing translate translating shape shaping take taking grow growing learn
learning mentor mentoring contribute contributing keep keeping set setting identify identifying
put puts putting make makes run runs running send sending count counts go goes need needed
one two three four five six seven eight nine ten first second half full
bachelor bachelor's bachelors master master's masters phd associate associate's diploma
certification certifications certificate licence license qualification qualifications
practical professional excellent comfortable confident familiarity end plus
ideal attention progress toward towards every each per within science arts
""".split())



_SKIP_WORDS: frozenset[str] = STOP_WORDS | GENERIC_WORDS


def _special(surface: str) -> bool:
    """Acronyms and technical tokens ("GAAP", "BSN", "S3", "C#") are salient on their own."""
    return (len(surface) >= 2 and surface.isupper()) or (
        not surface.isalpha() and _TECHY.search(surface) is not None)


def _phrases(text: str, special: set[str]) -> list[tuple[str, int]]:
    """(phrase, first offset) for each run of 1-3 content words; records special words."""
    out: list[tuple[str, int]] = []
    run: list[str] = []
    run_start = 0
    prev_end = -1
    skip = _SKIP_WORDS

    def flush() -> None:
        if 1 <= len(run) <= 3:
            out.append((" ".join(run), run_start))
        elif len(run) > 3:
            # long runs are usually lists written without commas: keep the single words
            for word in run:
                out.append((word, run_start))
        run.clear()

    for m in _TOKEN.finditer(text):
        surface = m.group()
        start = m.start()
        word = surface.lower().strip("'")
        if _special(surface):
            special.add(word)
        if prev_end >= 0 and run and not (start == prev_end + 1 and text[prev_end] == " "):
            # a run continues over spaces/tabs, optionally ending in one newline
            # (what ``^[ \t]*$`` accepts); anything else breaks it
            gap = text[prev_end:start].lstrip(" \t")
            if gap and gap != "\n":
                flush()
        prev_end = m.end()
        if word in skip or len(word) < 2:
            if run:
                flush()
            continue
        if not run:
            run_start = start
        run.append(word)
    flush()
    return out


def extract_keywords(
    text: str,
    *,
    skills: Iterable[str] = (),
    terms: Iterable[str] = (),
    exclude: Iterable[str] = (),
    limit: int = DEFAULT_LIMIT,
) -> list[str]:
    """Salient ATS terms: the skills first, then the best-scoring phrases of `text`.

    Args:
        text: the posting text to mine (e.g. requirements + responsibilities).
        skills: canonical skill names in priority order (required first).
        terms: knowledge terms outside the taxonomy (``tools.knowledge``), after the skills;
            a term made only of generic or stop words ("Bachelor's degree") is left out.
        exclude: names whose words are not keywords (company, location).
        limit: maximum number of terms returned.
    """
    banned = {w for name in exclude for w in (m.group(0).lower() for m in _TOKEN.finditer(name))}
    out: list[str] = []
    seen: set[str] = set()
    generic = [t for t in terms if all(w.lower() in _SKIP_WORDS for w in _TOKEN.findall(t))]
    for name in (*skills, *(t for t in terms if t not in generic)):  # not "Bachelor's degree"
        key = " ".join(name.lower().split())
        if key and key not in seen:
            seen.add(key)
            out.append(key)
            if len(out) >= limit:
                return out
    counts: dict[str, int] = {}
    first: dict[str, int] = {}
    special: set[str] = set()
    for phrase, pos in _phrases(text, special):
        counts[phrase] = counts.get(phrase, 0) + 1
        first.setdefault(phrase, pos)

    def score(phrase: str) -> float:
        return counts[phrase] * (1.0 + 0.5 * (phrase.count(" ")))

    ranked = sorted(counts, key=lambda p: (-score(p), first[p], p))
    for phrase in ranked:
        if len(out) >= limit:
            break
        if phrase in seen or len(phrase) < 3 or phrase.isdigit():
            continue
        if banned and any(w in banned for w in phrase.split()):
            continue
        # a lone ordinary word must be long or repeated to count as salient
        if " " not in phrase and phrase not in special and len(phrase) < 6 \
                and counts[phrase] < 2:
            continue
        # a single word already covered by a chosen skill or phrase adds nothing
        if " " not in phrase and any(phrase in o.split() for o in out):
            continue
        seen.add(phrase)
        out.append(phrase)
    return out

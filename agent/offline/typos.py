"""Typo tolerance for short chat messages: words one edit away from the words the intents are
written with ("mtaches" -> "matches", "intreview" -> "interview") are corrected before routing.

Conservative by design: only lower-case words of 4+ letters that are not themselves known
words are touched, only to a vocabulary word one adjacent swap away (any word), or one
letter missing or added (words of 7+ letters with the same first letter; a substituted letter
could be another real word: "analyst" is not "analyse"); names (capitalised), numbers,
links and pasted documents are never changed. Deterministic (rapidfuzz's OSA distance).
"""

from __future__ import annotations

import re
from functools import cache

from rapidfuzz.distance import OSA

#: The words the intents are written with (and a few common neighbours that must stay as they
#: are). A word in this set is never corrected.
VOCABULARY = frozenset("""
about above accountant adapt add after again all also analyse analyze any anything apply applied
applying application applications are around ask attached available back backend because best
better block blocked bookmark both cancel change chances check clear company companies compare
comparison confirm could customize customise data delete digest dismiss does down each either
else email engineer english entire erase every everything except experience explain fewer find
first fits fitting floor forget fourth from frontend gaps give good great have help here hidden
hide highest hiring holding hybrid ignore improve including interested interesting interview
interviews interviewing jobs just keep know lacking last later learn least like link list
location locations looking lower manager match matches matching minimum missing month more most
much need never news next none note nothing number offer offered offers office older onsite only
open optimise optimize other over passed pipeline please position positions posted posting
postings prefer preference preferences profile rather reason recommend rejected rejection remind
remote remove reset resume role roles salary same save score scores search second settings short
shortlist should show similar since skill skills skip some something start status still study
suit suitable tailor technologies technology than thanks that their them then there these they
thing think third this those through today top turned under understand understood update
using valuable very want
week weeks what when where which while with withdraw withdrew within without work would years
your yourself
""".split())
#: Ordinary words that are one swap or letter from a vocabulary word: never corrected.
KNOWN = frozenset("""
three there their these those throw through thought though tough enough great grate least
steal stale tales teams meats mates steam items times mites smite emits trial trail
filter filters files field fields final finals fired fried friend friends fines fiend
posts spots stops tops pots shot host hots shoe shoes hose those whose rose sore
acts cats cast scat coast costs score cores corse cores sorce source course courses
form from firm farm fame game name same mane mean mane near earn lean real rael read dear dare
male meal lame lamb calm clam claim claims plan plane panel plant plants slant apply apple
angle angel aside ideas idea aide side sides tides edits dies dies diet tied tide
sales seals laser earls reals rates tears stare aster taste state states tates lies leis
salary salaries celery clear clears cleared early yearly nearly layer relay player parley
learns learnt rental antler sentral central neutral natural nature mature matured
skill kills skills still stile tiles title titles total latest lattes table bleat blade
wanted wander warden warned dawn dawned match march marches matched batch catch watch
watches patches matters latter letter better bitter butter batter setter settle
remote remove removed emote meteor morale moral mortal portal postal pastel plates staple
office offices effect affect officer offer offered offers differ diffuse suffice
profit profile profiles provide pride prized priced prices price prince print
months mouths month mouth worth wroth north forth froth throw worth
""".split())
_WORD_RE = re.compile(r"(?<![\w/.@-])([a-z]{4,})(?![\w/.@-])")
_BY_LENGTH: dict[int, tuple[str, ...]] = {}
for _w in sorted(VOCABULARY):
    _BY_LENGTH.setdefault(len(_w), ())
    _BY_LENGTH[len(_w)] = (*_BY_LENGTH[len(_w)], _w)


@cache
def corrected_word(word: str) -> str:
    """The vocabulary word ``word`` is a typo of, or ``word`` itself."""
    if word in VOCABULARY or word in KNOWN:
        return word
    n = len(word)
    swaps = [v for v in _BY_LENGTH.get(n, ()) if sorted(v) == sorted(word)
             and OSA.distance(v, word) == 1]
    if len(swaps) == 1:
        return swaps[0]
    if n >= 7:  # one letter missing or doubled ("intervew", "matchess"); never substituted
        near = [v for m in (n - 1, n + 1) for v in _BY_LENGTH.get(m, ())
                if v[0] == word[0] and OSA.distance(v, word) == 1]
        if len(near) == 1:
            return near[0]
    return word


def correct_typos(message: str) -> str:
    """The message with typos of intent words corrected (short messages only)."""
    if len(message) > 300 or "\n" in message or "://" in message:
        return message
    return _WORD_RE.sub(lambda m: corrected_word(m.group(1)), message)

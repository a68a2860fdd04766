"""Titles that name an occupation outright: the hand-written aliases and the technology rule.

``read_aliases`` reads ``data/title_aliases.txt`` ("sales associate = <ESCO code>" lines and
"@<ESCO code> = <O*NET-SOC>" corrections). The technology rule: a title "<technology> engineer /
developer / programmer / architect / administrator", the technology being a language,
framework, database, cloud or software tool of jobfit's skill taxonomy, names an ICT occupation
(``tech_words`` finds the technologies, ``tech_code`` the ESCO code). Applied by
``tools.occupations.OccupationModel.pinned``.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from tools.occupation_titles import STOP_WORDS, split_seniority, title_key

ALIAS_FILE = Path(__file__).resolve().parent / "data" / "title_aliases.txt"

PIN_OTHERS = 0.8  # the other occupations of a pinned title score at most this


def read_aliases(path: Path = ALIAS_FILE) -> tuple[dict[str, str], dict[str, str]]:
    """From the hand-written alias file: alias key → ESCO code ("alias = code" lines) and
    ESCO code → O*NET-SOC code corrections ("@code = soc" lines)."""
    aliases: dict[str, str] = {}
    onet: dict[str, str] = {}
    if not path.exists():
        return aliases, onet
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        left, eq, right = line.partition("=")
        if not eq:
            continue
        if left.startswith("@"):
            onet[left[1:].strip()] = right.strip()
            continue
        core = split_seniority(left)[0]
        if core:
            aliases[title_key(core)] = right.strip()
    return aliases, onet


# A title "<technology> engineer/developer/..." names an ICT occupation. The technology comes from
# jobfit's skill taxonomy (tools/skills.py): languages, frameworks, databases, clouds, and tools
# or methods under these roots (not CAD, PLC, office tools: "AutoCAD Engineer" is no developer).
TECH_HEADS = frozenset({"engineer", "developer", "programmer", "architect", "administrator",
                         "dev"})
_TECH_CATEGORIES = frozenset({"language", "framework", "database", "cloud"})
_TECH_ROOTS = frozenset("""containers infrastructure-as-code devops ci-cd version-control crm
erp servicenow data-engineering big-data kafka data-visualization virtualization linux unix
wordpress drupal ecommerce selenium cypress testing quality-assurance machine-learning
deep-learning blockchain microservices api-design frontend backend web-development
data-warehousing monitoring unity sharepoint peoplesoft""".split())
_TECH_NOT = frozenset({"quality-assurance", "qa"})  # "QA Engineer": only with a real technology
_ROLE_SETS: tuple[tuple[frozenset[str], str, str, str], ...] = (
    # (ids, code for engineer/developer, for architect, for administrator)
    (frozenset("ios android swift kotlin objective-c flutter dart react-native xamarin".split()),
     "2514.2.2", "2514.2.2", "2514.2.2"),
    (frozenset("selenium cypress testing performance-testing appium".split()),
     "2519.7", "2519.7", "2519.7"),
    (frozenset("machine-learning deep-learning tensorflow pytorch".split()),
     "2511.11", "2511.11", "2511.11"),
    (frozenset("big-data data-engineering data-warehousing kafka etl".split()),
     "2511.20", "2511.20", "2521.1"),
    (frozenset("data-visualization".split()), "2511.3", "2511.3", "2511.3"),
    (frozenset("sql nosql".split()), "2521.3", "2521.3", "2521.1"),
    (frozenset("""containers infrastructure-as-code devops ci-cd cloud-computing aws azure gcp
     linux unix virtualization monitoring""".split()), "2512.7", "2512.6", "2522.1"),
    (frozenset("""html css javascript typescript frontend web-development wordpress drupal
     ecommerce php""".split()), "2513.5", "2512.3", "2522.1"),
)
_DEFAULT_ROLE = ("2512.4", "2512.3", "2522.1")
# Words besides the technology that leave the role to the technology ("Python Backend Developer").
GENERIC_TECH = frozenset("""software application applications app apps full stack fullstack
backend back end server side web platform core product""".split())
ICT_ISCO = ("25", "35", "133", "2166")


@cache
def _taxonomy() -> Any:
    from tools.skills import load_taxonomy

    return load_taxonomy()


def _tech_ids(name: str) -> tuple[str, ...]:
    """Skill id and ancestors of a word if it names a technology, else ()."""
    tax = _taxonomy()
    entry = tax.lookup(name)
    if entry is None or entry.id in _TECH_NOT:
        return ()
    ids = (entry.id, *tax.ancestors(entry.id))
    if entry.category in _TECH_CATEGORIES or _TECH_ROOTS.intersection(ids):
        return ids
    return ()


def tech_words(words: Sequence[str]) -> tuple[list[str], list[str]]:
    """Skill ids (with ancestors) named by the words, and the other words."""
    found: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(words):
        two = _tech_ids(" ".join(words[i:i + 2])) if i + 1 < len(words) else ()
        if two:
            found.extend(two)
            i += 2
            continue
        one = _tech_ids(words[i]) if words[i] not in STOP_WORDS else ()
        if one:
            found.extend(one)
        else:
            rest.append(words[i])
        i += 1
    return found, [w for w in rest if w not in STOP_WORDS]


def tech_code(ids: Sequence[str], head: str) -> str:
    col = 1 if head == "architect" else 2 if head == "administrator" else 0
    tax = _taxonomy()
    cats = {e.category for e in (tax.get(i) for i in ids) if e is not None}
    for members, *codes in _ROLE_SETS:
        if members.intersection(ids) or ("database" in cats and "2521.3" in codes):
            return codes[col]
    return _DEFAULT_ROLE[col]


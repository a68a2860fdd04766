"""Job title → occupation normalisation (ESCO occupations and ISCO groups, linked to O*NET).

The data (``tools/data/occupations.json.gz``) is built by ``tools/data/build_occupations.py``
from ESCO v1.2 (occupations with their preferred, alternative and hidden labels, ISCO groups,
the broader hierarchy) and O*NET (occupation titles, alternate titles, reported titles). Each
O*NET occupation is linked to the ESCO concepts whose labels its own titles match best (our own
label matching, no crosswalk), so O*NET's ~60k job titles act as extra surface forms.

Matching: a title is cleaned (the part before " | ", " - ", "(" …; seniority words such as
"Senior", "Jr.", "Lead", "Intern" split off; abbreviations such as "RN", "Sr.", "Mgr" expanded),
words are stemmed, unknown words fuzzy-corrected against the label vocabulary, and every label is
scored by a word TF-IDF cosine (head word — the last word before "of"/"," — counted more, plus
word bigrams and 5-letter prefixes) re-ranked with a character-level fuzzy ratio. A concept's
direct score is its best label's. When the title also matches O*NET titles, the concepts linked
to the best-matching O*NET occupations are mixed in, trusted as much as the O*NET match is exact
(an O*NET occupation title more than an O*NET alternate title).

Real titles (job boards, CV headlines) are first checked for an occupation they name outright
(``OccupationModel.pinned``), in this order: a hand-written alias (``data/title_aliases.txt``:
"sales associate" → sales assistant, "help desk analyst" → ICT help desk agent); the exact
preferred label of one ESCO occupation ("data engineer" is ESCO's data engineer, whatever the
head word "engineer" suggests); a technology rule — a title "<technology> engineer / developer /
programmer / architect / administrator", the technology being a language, framework, database,
cloud or software tool of jobfit's skill taxonomy (``tools.skills``), names an ICT occupation
(software developer; mobile application developer for iOS/Android/Swift/Flutter; web developer
for HTML/CSS/JavaScript frameworks; database developer or administrator for SQL/databases; data
engineer for Spark/Kafka/ETL; cloud DevOps engineer for Kubernetes/Terraform/AWS; software tester
for Selenium/Cypress; AI engineer for TensorFlow/PyTorch), unless the title's other words name
an ICT occupation themselves ("Python Data Engineer" → data engineer). A pinned occupation
scores 1; the rest of the list are the neighbours of its own title, at most ``PIN_OTHERS``.
Concepts without an O*NET code of their own carry their most strongly linked O*NET
occupation's (the alias file corrects a few plainly wrong links).

``occupation_weights`` turns a title into a small normalised sparse vector over keys
``"esco:<ESCO code>"`` (e.g. ``"esco:2512.4"``) and ``"isco:<ISCO code>"`` (e.g.
``"isco:2512"``): the matched occupations plus their ISCO unit group, minor group and broader
occupation with partial weight, so the sparse dot (``occupation_similarity``) is 1 for the same
occupation, about 0.5 for two occupations of one ISCO unit group and 0 for unrelated ones.

Parts: title text (``tools.occupation_titles``), the label index (``tools.occupation_labels``),
aliases and the technology rule (``tools.occupation_pins``); the model and the public API here.
"""

from __future__ import annotations

import gzip
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from tools.build_cache import cached_build
from tools.occupation_labels import LabelIndex
from tools.occupation_pins import (
    GENERIC_TECH,
    ICT_ISCO,
    PIN_OTHERS,
    TECH_HEADS,
    read_aliases,
    tech_code,
    tech_words,
)
from tools.occupation_titles import (
    FEATURE_WORD,
    head_index,
    label_text,
    split_seniority,
    stem,
    title_key,
    title_stems,
)

DATA_FILE = Path(__file__).resolve().parent / "data" / "occupations.json.gz"

# Label kinds (in the data file) and how much a match on each counts.
LABEL_WEIGHTS = {"p": 1.0, "a": 0.98, "h": 0.9, "t": 1.0, "r": 0.97, "o": 0.97}


@dataclass(frozen=True, slots=True)
class OccupationMatch:
    """One occupation a title was normalised to (score 0-1, best first)."""

    esco_uri: str
    onet_soc: str | None
    title: str
    score: float



# --------------------------------------------------------------------------- model

ISCO_FACTOR = 0.97  # an ISCO group ranks just below an equally good occupation
ONET_WEIGHT = 8.0  # weight of the evidence through linked O*NET occupations
DIRECT_FLOOR = 0.6  # a direct label match keeps at least this share of its score
ALT_TRUST = 0.15  # O*NET alternate/reported titles are noisier than O*NET occupation titles
ONET_POWER = 4.0  # an O*NET occupation's match score counts to this power (near-exact only)
GENERAL_BONUS = 0.0  # an occupation that has narrower occupations in ESCO
SHARED_PENALTY = 1.0  # a label of k concepts counts 1/sqrt(k)**SHARED_PENALTY
OTHERS_PREFERRED = 0.85
GENERIC_HEAD_CONCEPTS = 5  # a one-word alternative label that heads labels of this many concepts
GENERIC_PENALTY = 0.6  # an alternative label that is another concept's preferred label


@dataclass(frozen=True, slots=True)
class Concept:
    uri: str
    title: str
    kind: str  # "o" (ESCO occupation) or "g" (ISCO group)
    code: str  # ESCO code ("2654.1.7") or ISCO code ("2654")
    isco: str  # ISCO unit group code of an occupation, the group's own code for a group
    broader: tuple[int, ...]
    onet: str | None


class OccupationModel:
    """Concepts, their labels (and O*NET's), the O*NET → ESCO links, and the label index."""

    def __init__(self, data: Mapping[str, Any], general_bonus: float | None = None,
                 pins: bool = True) -> None:
        onet_codes = [soc for soc, _title in data["onet"]]
        self.onet_codes = onet_codes
        self.concepts = [
            Concept(uri, title, kind, code, isco, tuple(broader),
                    onet_codes[o] if o >= 0 else None)
            for (uri, title, kind, code, isco, broader, o) in data["concepts"]]
        self.nc = len(self.concepts)
        labels = data["labels"]
        self.owner = np.asarray([x[0] for x in labels], dtype=np.int64)
        self.index = LabelIndex([x[2] for x in labels], normalised=True)
        self.is_title = np.asarray([x[1] == "t" for x in labels], dtype=bool)
        self.label_weight = self._label_weights(labels)
        aliases, onet_fixes = read_aliases() if pins else ({}, {})
        links: dict[int, list[tuple[int, float]]] = {}
        nearest: dict[int, tuple[float, int]] = {}  # concept → (best link weight, O*NET index)
        for o, c, w in data["links"]:
            links.setdefault(o, []).append((c, float(w)))
            if (float(w), -o) > (nearest.get(c, (0.0, 0))[0], -nearest.get(c, (0.0, 0))[1]):
                nearest[c] = (float(w), o)
        self.links = links
        self._fill_onet(nearest, onet_fixes)
        self.by_code = {c.code: i for i, c in enumerate(self.concepts)}
        self.pins = pins  # aliases, exact preferred labels, the technology rule (see pinned)
        self.exact = self._exact_labels(labels) if pins else {}
        self.aliases = {k: self.by_code[code] for k, code in aliases.items()}
        narrower = np.zeros(self.nc, dtype=np.float32)
        for con in self.concepts:
            if con.kind == "o":
                for b in con.broader:
                    narrower[b] += 1.0
        # General occupations (with narrower ones: "lawyer" over "corporate lawyer") first.
        self.prior = np.where((narrower > 0) & np.asarray([c.kind == "o" for c in self.concepts]),
                              1.0 + (GENERAL_BONUS if general_bonus is None else general_bonus),
                              1.0).astype(np.float32)

    def _fill_onet(self, nearest: Mapping[int, tuple[float, int]],
                   fixes: Mapping[str, str]) -> None:
        """Give concepts without an O*NET code their most strongly linked O*NET occupation's
        (or, failing that, their broader occupation's), so a match can say which O*NET
        occupation is nearest ("branch manager" → its closest O*NET manager code); apply the
        alias file's corrections."""
        codes = [fixes.get(c.code, c.onet) for c in self.concepts]
        for i in range(self.nc):
            if codes[i] is None and i in nearest:
                codes[i] = self.onet_codes[nearest[i][1]]
        for i, c in enumerate(self.concepts):
            if codes[i] is None:
                up = [codes[b] for b in c.broader if codes[b] is not None]
                codes[i] = min(up) if up else None  # type: ignore[type-var]
        self.concepts = [c if c.onet == codes[i] else replace(c, onet=codes[i])
                         for i, c in enumerate(self.concepts)]

    def _exact_labels(self, labels: Sequence[Sequence[Any]]) -> dict[str, int]:
        """Word key → the one ESCO occupation with that preferred label."""
        by_key: dict[str, set[int]] = {}
        for owner, kind, text in labels:
            if kind == "p" and owner < self.nc:
                by_key.setdefault(title_key(text), set()).add(owner)
        out = {}
        for key, owners in by_key.items():
            occ = [o for o in owners if self.concepts[o].kind == "o"]
            if len(occ) == 1 and key:  # ISCO group names ("Finance managers") are no titles
                out[key] = occ[0]
        return out

    def _label_weights(self, labels: Sequence[Sequence[Any]]) -> np.ndarray:
        """Kind weight, lowered for labels that other concepts share or prefer."""
        keys = self.index.keys
        def side(owner: int) -> str:  # occupations, ISCO groups, O*NET occupations
            return self.concepts[owner].kind if owner < self.nc else "n"

        owners: dict[tuple[str, str], set[int]] = {}
        preferred: dict[str, set[int]] = {}
        for (owner, kind, _t), key in zip(labels, keys, strict=True):
            owners.setdefault((key, side(owner)), set()).add(owner)
            if owner < self.nc:
                if kind == "p":
                    preferred.setdefault(key, set()).add(owner)
        heads: dict[str, set[int]] = {}  # head word → concepts with a label headed by it
        for (owner, _kind, _t), head in zip(labels, self.index.heads, strict=True):
            if owner < self.nc:
                heads.setdefault(head, set()).add(owner)
        out = np.empty(len(labels), dtype=np.float32)
        for i, ((owner, kind, _t), key) in enumerate(zip(labels, keys, strict=True)):
            w = LABEL_WEIGHTS[kind]
            if kind != "t":  # an O*NET occupation's own title is never ambiguous
                w /= math.sqrt(len(owners[key, side(owner)])) ** SHARED_PENALTY
            if owner < self.nc:
                if kind != "p" and preferred.get(key, {owner}) - {owner}:
                    w *= OTHERS_PREFERRED
                if (kind != "p" and " " not in key
                        and len(heads.get(key, ())) >= GENERIC_HEAD_CONCEPTS):
                    w *= GENERIC_PENALTY  # "developer" as a label of "photographic developer"
            out[i] = w
        return out

    def _concept_columns(self) -> tuple[list[bool], list[float]]:
        """Whether each concept is an ISCO group, and its prior, as Python lists (made once)."""
        found: tuple[list[bool], list[float]] | None = getattr(self, "_columns", None)
        if found is None:
            found = ([c.kind == "g" for c in self.concepts], self.prior.tolist())
            self._columns = found
        return found

    def concept_scores(self, text: str) -> dict[int, float]:
        """Concept id → score (0-1) for a cleaned title; only concepts with evidence."""
        ids, scores = self.index.search(text)
        direct: dict[int, float] = {}
        onet: dict[int, float] = {}
        onet_title: dict[int, bool] = {}  # whether the best label was the O*NET title
        is_group, prior = self._concept_columns()
        # the candidates' columns as Python lists: the same values, without numpy scalars
        for owner, s, lw, title in zip(self.owner[ids].tolist(), scores.tolist(),
                                       self.label_weight[ids].tolist(),
                                       self.is_title[ids].tolist(), strict=True):
            s *= lw
            if owner < self.nc:
                if is_group[owner]:
                    s *= ISCO_FACTOR
                if s > direct.get(owner, 0.0):
                    direct[owner] = s
            elif s > onet.get(owner - self.nc, 0.0):
                onet[owner - self.nc] = s
                onet_title[owner - self.nc] = title
        via: dict[int, float] = {}
        trust = top = 0.0
        for o, s in onet.items():
            if o not in self.links:
                continue
            s = s**ONET_POWER
            top = max(top, s)
            trust = max(trust, s * (1.0 if onet_title.get(o) else ALT_TRUST))
            for c, w in self.links[o]:
                if s * w > via.get(c, 0.0):
                    via[c] = s * w
        # Trust the O*NET route as much as the title matched an O*NET title.
        alpha = ONET_WEIGHT * trust / (1.0 + ONET_WEIGHT * trust)
        out = {}
        for c in direct.keys() | via.keys():
            d = direct.get(c, 0.0)
            mixed = (1 - alpha) * d + alpha * via.get(c, 0.0) / top if top else d
            out[c] = max(mixed, DIRECT_FLOOR * d) * prior[c]
        return out

    def pinned(self, text: str) -> int | None:
        """The concept a title names outright: an alias, an exact preferred label, a tech rule."""
        if not self.pins:
            return None
        key = title_key(text)
        if key in self.aliases:
            return self.aliases[key]
        if key in self.exact:
            return self.exact[key]
        return self._tech_pin(text)

    def _tech_pin(self, text: str) -> int | None:
        """"Python Engineer" → software developer; "iOS Engineer" → mobile app developer …"""
        raw = FEATURE_WORD.findall(text)
        if len(raw) < 2:
            return None
        h = head_index(raw)  # "Engineer, Python" and "Python Engineer" alike
        head = stem(raw[h])
        if head not in TECH_HEADS:
            return None
        found, rest = tech_words([w for i, w in enumerate(raw) if i != h and w != ","])
        if not found:
            return None
        if rest:
            rest_text = " ".join(rest + [raw[h]])
            key = title_key(rest_text)
            hit = self.aliases.get(key, self.exact.get(key))
            if hit is not None:
                return hit  # "Python Data Engineer" → data engineer
            if not all(w in GENERIC_TECH for w in rest):
                best = self.concept_scores(rest_text)
                if best:
                    c = max(best, key=lambda k: (best[k], -k))
                    if self.concepts[c].isco.startswith(ICT_ISCO):
                        return c  # "Java Security Engineer" → an ICT security occupation
        return self.by_code.get(tech_code(found, head))

    def ranked(self, text: str, top: int) -> list[tuple[int, float]]:
        pin = self.pinned(text)
        if pin is None:
            scores = self.concept_scores(text)
        else:  # the pinned concept first, then the neighbours of its own title
            near = self.concept_scores(label_text(self.concepts[pin].title))
            scores = {c: PIN_OTHERS * s for c, s in near.items()}
            scores[pin] = 1.0
        best = sorted(scores.items(), key=lambda kv: (-round(kv[1], 6), self.concepts[kv[0]].uri))
        return best[:top]


def read_data(path: Path = DATA_FILE) -> dict[str, Any]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    return data


#: What the bundled model is built from: a change to any of them rebuilds the cached copy.
MODEL_SOURCES = tuple(Path(__file__).resolve().parent / name for name in (
    "occupations.py", "occupation_labels.py", "occupation_titles.py", "occupation_pins.py",
    "data/occupations.json.gz", "data/title_aliases.txt"))


@cache
def load_model() -> OccupationModel:
    """The bundled occupation model (once per process; kept built in the user's cache
    directory between processes, see ``tools.build_cache``)."""
    return cached_build("occupations", MODEL_SOURCES, lambda: OccupationModel(read_data()),
                        OccupationModel)


# --------------------------------------------------------------------------- public API


#: A "<function> director" title matched below this is also read as "<function> manager"
#: ("Public Relations Director", "IT Director"), and the better reading kept; real director
#: occupations ("Art Director", "Casting Director") match their own label at ~1.
DIRECTOR_TRUST = 0.95


def _as_manager(core: str) -> str:
    """The title with its head word "director" read as "manager" ("" when its head is not)."""
    raw = FEATURE_WORD.findall(core)
    if len(raw) < 2:  # a bare "Director" says nothing about the function
        return ""
    h = head_index(raw)
    if stem(raw[h]) != stem("director"):
        return ""
    return " ".join(raw[:h] + ["manager"] + raw[h + 1:]).replace(" ,", ",")


@lru_cache(maxsize=8192)
def _ranked(core: str, top: int) -> tuple[tuple[int, float], ...]:
    model = load_model()
    ranked = model.ranked(core, top)
    if not ranked or ranked[0][1] < DIRECTOR_TRUST:
        alt = _as_manager(core)
        other = model.ranked(alt, top) if alt else []
        if other and (not ranked or other[0][1] > ranked[0][1]):
            return tuple(other)
    return tuple(ranked)


def _core(text: object) -> str:
    if not isinstance(text, str):
        return ""
    return split_seniority(text)[0]


def match_occupations(text: str, top: int = 10) -> list[OccupationMatch]:
    """Occupations a job title or CV headline names, best first (empty for no match).

    Args:
        text: a title, e.g. "Senior Java Developer | Spring, AWS" or "Registered Nurse - ICU".
        top: how many occupations to return.
    """
    core = _core(text)
    if not core or top <= 0:
        return []
    model = load_model()
    return [
        OccupationMatch(model.concepts[c].uri, model.concepts[c].onet, model.concepts[c].title,
                        round(s, 4))
        for c, s in _ranked(core, int(top))]


# Partial weights of the keys an occupation expands to (before normalisation).
W_SELF, W_UNIT, W_MINOR, W_BROADER = 1.0, 1.0, 0.8, 0.5
MIX_TOP = 5
MIX_RATIO = 0.85  # mix in alternatives scoring at least this fraction of the best
MIN_SCORE = 0.3


def _concept_vector(model: OccupationModel, c: int) -> dict[str, float]:
    con = model.concepts[c]
    vec: dict[str, float] = {}
    if con.kind == "o":
        vec[f"esco:{con.code}"] = W_SELF
        if con.isco:
            vec[f"isco:{con.isco}"] = W_UNIT
            vec[f"isco:{con.isco[:3]}"] = W_MINOR
        for b in con.broader:
            bc = model.concepts[b]
            if bc.kind == "o":
                vec[f"esco:{bc.code}"] = max(vec.get(f"esco:{bc.code}", 0.0), W_BROADER)
    else:
        vec[f"isco:{con.code}"] = W_SELF
        if len(con.code) == 4:
            vec[f"isco:{con.code[:3]}"] = W_MINOR
    return vec


@lru_cache(maxsize=65536)
def _weights(core: str) -> tuple[tuple[str, float], ...]:
    model = load_model()
    ranked = _ranked(core, MIX_TOP)
    if not ranked or ranked[0][1] < MIN_SCORE:
        return ()
    best = ranked[0][1]
    mix: dict[str, float] = {}
    for c, s in ranked:
        if s < best * MIX_RATIO:
            break
        share = (s / best) ** 4
        for k, w in _concept_vector(model, c).items():
            mix[k] = mix.get(k, 0.0) + share * w
    norm = math.sqrt(sum(w * w for w in mix.values()))
    return tuple(sorted(((k, round(w / norm, 6)) for k, w in mix.items()),
                        key=lambda kv: (-kv[1], kv[0])))


def occupation_weights(text: str) -> dict[str, float]:
    """A sparse unit vector over occupation keys ("esco:<code>", "isco:<code>") for a title.

    Related occupations are already expanded (ISCO unit group, minor group, broader ESCO
    occupation), so ``occupation_similarity`` of two titles is 1 for the same occupation, about
    0.5 for occupations of one ISCO unit group and 0 for unrelated ones. Empty when the title
    names no known occupation.
    """
    core = _core(text)
    if not core:
        return {}
    return dict(_weights(core))


#: A term names an occupation when its head word heads labels of at least this many ESCO
#: occupations ("engineer", "accountant", "hostess"), or when it matches one this well.
ROLE_HEAD_CONCEPTS = 4
ROLE_MATCH = 0.9
#: Head words with these endings name an activity or a field, not a job.
_ACTIVITY_ENDINGS = ("ing", "ment", "tion", "sion", "ness", "ics", "ogy", "ity", "ube")


@cache
def _label_heads() -> dict[str, int]:
    """Head stem → how many ESCO concepts have a label headed by it."""
    model = load_model()
    owners: dict[str, set[int]] = {}
    for owner, head in zip(model.owner.tolist(), model.index.heads, strict=True):
        if owner < model.nc:
            owners.setdefault(head, set()).add(owner)
    return {h: len(o) for h, o in owners.items()}


@lru_cache(maxsize=8192)
def names_occupation(term: str) -> bool:
    """Whether a short term names a job ("commis chef", "HR executive", "branch manager")
    rather than a skill or a field ("cooking", "banking", "monitoring", "balance sheet").

    Its head word must be an agent noun, not an activity ("-ing", "-ment", …), and either head
    the labels of several ESCO occupations or match one occupation almost exactly
    ("webmaster").
    """
    core = _core(term)
    raw = FEATURE_WORD.findall(core)
    if not core or not raw or len(raw) > 6:
        return False
    if raw[head_index(raw)].endswith(_ACTIVITY_ENDINGS):
        return False
    if _label_heads().get(title_stems(core)[1], 0) >= ROLE_HEAD_CONCEPTS:
        return True
    ranked = _ranked(core, 1)
    return bool(ranked) and ranked[0][1] >= ROLE_MATCH


@lru_cache(maxsize=1)
def _uri_index() -> dict[str, int]:
    return {c.uri: i for i, c in enumerate(load_model().concepts)}


def concept_vector(uri: str) -> dict[str, float]:
    """The vector of one ESCO concept (by URI) in the ``occupation_weights`` key space, before
    normalisation; empty for an unknown URI."""
    i = _uri_index().get(uri)
    return {} if i is None else _concept_vector(load_model(), i)


def occupation_similarity(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """0-1 similarity of two ``occupation_weights`` vectors (their sparse dot product)."""
    if len(a) > len(b):
        a, b = b, a
    dot = sum(w * b.get(k, 0.0) for k, w in a.items())
    return max(0.0, min(1.0, round(dot, 4)))


def occupation_key_titles(keys: Iterable[str]) -> list[str]:
    """Human-readable titles of ``occupation_weights`` keys (for explanations)."""
    model = load_model()
    out = []
    for k in keys:
        _kind, _, code = k.partition(":")
        i = model.by_code.get(code)
        out.append(model.concepts[i].title if i is not None else k)
    return out

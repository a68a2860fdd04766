"""Per-CV and per-job data the engine computes once and reuses across many scores.

A :class:`PreparedProfile` holds what every factor reads of one CV (its skills and whether each
is shown in a role, its titles and their occupations, its words and term vector) with memos for
the per-job questions (skill credit, title and location similarity, role fit); a
:class:`PreparedJob` holds a posting's deduplicated requirements, bare title, term vector and
occupation vector. Pure (no frameworks, no I/O); used by :mod:`tools.scoring`,
:mod:`tools.factors` and :mod:`tools.screening`.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz

from tools.lexical import CV_TERMS, JOB_TERMS, term_vector
from tools.occupation_profiles import text_occupation_vector
from tools.occupations import names_occupation, occupation_weights
from tools.parsing.location import location_similarity
from tools.requirement_terms import TermIndex, alternatives, term_key
from tools.schemas import CandidateProfile, JobPosting, JobSkill, JobTerm, Location, Span
from tools.skills import load_taxonomy

#: Credit for a skill that is only listed (never used in an experience entry).
LISTED_ONLY_CREDIT = 0.9

_WORD = re.compile(r"[a-z0-9][a-z0-9+#.]*")
_SENIORITY_WORDS = re.compile(
    r"\b(senior|sr\.?|junior|jr\.?|lead|principal|staff|head of|intern|graduate|entry[- ]level|"
    r"mid[- ]level|i{1,3}|iv|associate|chief)\b",
    re.I,
)

#: Recency weight of the CV's older roles (2nd-4th): what someone did before their current role
#: says less about the jobs that fit them now (Livecareer tune NDCG@10 0.381 → 0.400 at 0.6).
OLDER_ROLE_WEIGHT = 0.6
#: Weight of what a posting's words read like, mixed into its title's occupation vector.
TEXT_OCCUPATION_MIX = 0.5
#: Weight of the occupation the CV's words read like (when titles are missing or vague).
CONTENT_ROLE_WEIGHT = 1.0
ROLES_COMPARED = 4


@dataclass
class PreparedProfile:
    """Per-CV data computed once and reused across many jobs."""

    profile: CandidateProfile
    evidenced: dict[str, bool]  # skill id -> used in experience
    titles: list[str]
    bare_titles: list[str]
    text_lower: str
    words: frozenset[str]
    terms: dict[str, float] = field(default_factory=dict)  # TF-IDF vector (tools.lexical)
    #: (title, recency weight) of the headline, desired roles and recent roles
    role_titles: list[tuple[str, float]] = field(default_factory=list)
    _occupations: list[tuple[dict[str, float], float, str]] | None = None
    _credit: dict[str, tuple[float, str | None]] = field(default_factory=dict)
    _title: dict[str, tuple[float, str]] = field(default_factory=dict)
    _location: dict[tuple[str | None, ...], float] = field(default_factory=dict)
    _child_of: dict[str, str] | None = None  # ancestor id -> the CV skill below it
    _by_parent: dict[str, str] = field(default_factory=dict)  # parent id -> CV skill
    _spans: dict[tuple[str, int], list[Span]] = field(default_factory=dict)  # _cv_spans memo
    _term_index: TermIndex | None = None

    def term_index(self) -> TermIndex:
        """Where the CV's words are, for requirement terms (``tools.requirement_terms``)."""
        if self._term_index is None:
            self._term_index = TermIndex.of(self.profile.text)
        return self._term_index

    def source_spans(self, where: tuple[int, int] | None) -> list[Span]:
        """The span of the CV text at ``where`` (offsets into ``profile.text``), as offsets
        into the text the user gave (empty for ``None``)."""
        if where is None:
            return []
        a, b = where
        text = " ".join(self.profile.text[a:b].replace(" | ", " ").split())
        shifts = self.profile.text_shifts
        if shifts and b > a:
            first = shifts[bisect.bisect_right(shifts, (a, math.inf, math.inf)) - 1]
            last = shifts[bisect.bisect_right(shifts, (b - 1, math.inf, math.inf)) - 1]
            a, b = a + first[1], b + last[2]
        return [Span(text=text, start=a, end=b)]

    def term_credit(self, term: str) -> float:
        """Credit (0-1) the CV earns on a requirement term (see ``TermIndex.match``)."""
        return self.term_index().match(term)[0]

    def _index_relations(self) -> dict[str, str]:
        taxonomy = load_taxonomy()
        child_of: dict[str, str] = {}
        for have in sorted(self.evidenced):  # sorted: the smallest id wins ties
            for anc in taxonomy.ancestors(have):
                child_of.setdefault(anc, have)
            entry = taxonomy.get(have)
            if entry is not None and entry.parent:
                self._by_parent.setdefault(entry.parent, have)
        self._child_of = child_of
        return child_of

    def credit(self, want: str) -> tuple[float, str | None]:
        """Best credit any of the CV's skills gives for skill id ``want``, and which skill.

        Same values as ``Taxonomy.relation_credit`` maximised over the CV's skills (ties go to
        the smallest skill id), times LISTED_ONLY_CREDIT when that skill is only listed.
        """
        hit = self._credit.get(want)
        if hit is not None:
            return hit
        best: tuple[float, str | None] = (0.0, None)
        if want in self.evidenced:
            best = (1.0, want)
        else:
            child_of = self._child_of if self._child_of is not None else self._index_relations()
            if want in child_of:
                best = (0.5, child_of[want])
            else:
                taxonomy = load_taxonomy()
                above = [a for a in taxonomy.ancestors(want) if a in self.evidenced]
                if above:
                    best = (0.25, min(above))
                else:
                    entry = taxonomy.get(want)
                    if entry is not None and entry.parent in self._by_parent:
                        best = (0.2, self._by_parent[entry.parent])
        if best[1] is not None and not self.evidenced[best[1]]:
            best = (best[0] * LISTED_ONLY_CREDIT, best[1])
        self._credit[want] = best
        return best

    def location_similarity(self, where: Location) -> float:
        """location_similarity(CV location, where), cached by the place's parts."""
        key = (where.city, where.region, where.country, where.raw if not where.city else None)
        hit = self._location.get(key)
        if hit is None:
            cand = self.profile.location
            hit = location_similarity(cand, where) if cand is not None else 0.0
            self._location[key] = hit
        return hit

    def occupations(self) -> list[tuple[dict[str, float], float, str]]:
        """(occupation vector, recency weight, title) of each CV title naming an occupation."""
        if self._occupations is None:
            found = []
            for title, weight in self.role_titles:
                vec = occupation_weights(title)
                if vec:
                    found.append((vec, weight, title))
            vec = text_occupation_vector(self.terms)
            if vec:  # what the CV's words read like ("" = the CV's content, not a title)
                found.append((vec, CONTENT_ROLE_WEIGHT, ""))
            self._occupations = found
        return self._occupations

    def role_fit(self, job_occupation: dict[str, float]) -> tuple[float, str]:
        """Best occupation similarity (0-1, × the title's recency weight) of the CV's titles
        and content to the job's occupation, and which CV title gave it ("" = the content)."""
        hit = (0.0, "")
        for vec, weight, title in self.occupations():
            sim = weight * occupation_dot(vec, job_occupation)
            if sim > hit[0]:
                hit = (sim, title)
        return hit

    def title_similarity(self, bare_job_title: str) -> tuple[float, str]:
        """Best token-set similarity (0-100) of a job title to the CV's titles, and which."""
        hit = self._title.get(bare_job_title)
        if hit is None:
            hit = (0.0, "")
            for t, bare in zip(self.titles, self.bare_titles, strict=True):
                sim = fuzz.token_set_ratio(bare_job_title, bare)
                if sim > hit[0]:
                    hit = (sim, t)
            self._title[bare_job_title] = hit
        return hit


def occupation_dot(a: dict[str, float], b: dict[str, float]) -> float:
    """Similarity (0-1) of two occupation vectors: their sparse dot product, clipped."""
    if len(a) > len(b):
        a, b = b, a
    return min(1.0, max(0.0, sum(w * b.get(k, 0.0) for k, w in a.items())))


def prepare_profile(profile: CandidateProfile) -> PreparedProfile:
    evidenced: dict[str, bool] = {}
    for s in profile.skills:
        evidenced[s.skill_id] = evidenced.get(s.skill_id, False) or s.evidenced
    if profile.languages:  # spoken languages answer "English", "German" requirements
        taxonomy = load_taxonomy()
        for lang in profile.languages:
            entry = taxonomy.lookup(lang.split("(")[0].strip())
            if entry is not None:
                evidenced[entry.id] = True
    titles = [t for t in [profile.headline, *(e.title for e in profile.experience[:3]),
                          *profile.desired_roles] if t]
    role_titles = [(t, 1.0) for t in [profile.headline, *profile.desired_roles] if t]
    role_titles += [(e.title, 1.0 if i == 0 else OLDER_ROLE_WEIGHT)
                    for i, e in enumerate(profile.experience[:ROLES_COMPARED]) if e.title]
    text_lower = profile.text.lower()
    return PreparedProfile(
        profile=profile, evidenced=evidenced, titles=titles,
        bare_titles=[bare_title(t) for t in titles], text_lower=text_lower,
        words=frozenset(_WORD.findall(text_lower)),
        terms=term_vector(profile.text, CV_TERMS),
        role_titles=list(dict.fromkeys(role_titles)),
    )


@dataclass
class PreparedJob:
    """Per-job data computed once and reused across many CVs."""

    job: JobPosting
    required: list[JobSkill]
    preferred: list[JobSkill]
    certifications: list[str]  # asked for and not already a skill requirement
    bare_title: str
    terms: dict[str, float] = field(default_factory=dict)  # TF-IDF vector (tools.lexical)
    occupation: dict[str, float] = field(default_factory=dict)  # of the title
    #: requirement terms the taxonomy does not name, deduplicated (``tools.requirement_terms``)
    required_terms: list[JobTerm] = field(default_factory=list)
    preferred_terms: list[JobTerm] = field(default_factory=list)


def prepare_job(job: JobPosting | PreparedJob) -> PreparedJob:
    if isinstance(job, PreparedJob):
        return job
    seen: set[str] = set()
    required: list[JobSkill] = []
    preferred: list[JobSkill] = []
    for group, bucket in ((job.required_skills, required), (job.preferred_skills, preferred)):
        for s in group:
            if s.skill_id not in seen:
                seen.add(s.skill_id)
                bucket.append(s)
    names = {s.name.lower() for s in required + preferred}
    certs = [c for c in dict.fromkeys(job.qualifications.certifications)
             if c.lower() not in names]
    terms, occupation = job_text_signals(job.title, job.text or job.description)
    req_terms, pref_terms = split_terms(job.terms)
    return PreparedJob(job=job, required=required, preferred=preferred, certifications=certs,
                       bare_title=bare_title(job.title) if job.title else "", terms=terms,
                       occupation=occupation, required_terms=req_terms,
                       preferred_terms=pref_terms)


def split_terms(terms: list[JobTerm]) -> tuple[list[JobTerm], list[JobTerm]]:
    """A posting's requirement terms, required and preferred, each once (by its stems; a
    term both required and preferred is required)."""
    req, pref = split_term_rows([(t.name, t.required) for t in terms])
    return [terms[i] for i in req], [terms[i] for i in pref]


def split_term_rows(terms: Sequence[tuple[str, bool]]) -> tuple[list[int], list[int]]:
    """Positions of the required and of the preferred terms kept by :func:`split_terms`, from
    (name, required) pairs. A term one of whose readings is already kept is the same
    requirement listed twice ("hostess" after "host/hostess")."""
    seen: set[tuple[str, ...]] = set()
    required: list[int] = []
    preferred: list[int] = []
    for want, bucket in ((True, required), (False, preferred)):
        for i, (name, is_required) in enumerate(terms):
            if is_required != want or not term_key(name):
                continue
            keys = {term_key(name), *(term_key(r) for r in alternatives(name))}
            if not keys & seen:
                seen |= keys
                bucket.append(i)
    return required, preferred


@lru_cache(maxsize=1024)
def job_text_signals(title: str | None,
                     text: str) -> tuple[dict[str, float], dict[str, float]]:
    """A posting's term vector (``tools.lexical``) and occupation vector — the per-job work of
    the text similarity and role fit; batch callers may compute it in worker processes.
    Cached (the same postings are explained again and again in a running chat); the returned
    dicts are shared: read them, never change them."""
    terms = term_vector(text, JOB_TERMS)
    return terms, job_occupation(title, terms, text)


#: A first line with this many commas, or a labelled list ("Key skills and roles: chef, cook"),
#: is a list of terms, not a title. A title is a list only when labelled (job titles have
#: commas: "Hosts and Hostesses, Restaurant, Lounge, and Coffee Shop").
LIST_COMMAS = 3
_LABEL_PREFIX = re.compile(r"^[^:,]{1,40}:\s*")
_ITEM_SPLIT = re.compile(r"\s*[,;|\n]\s*")


def _is_labelled_list(line: str) -> bool:
    return "," in line and _LABEL_PREFIX.match(line) is not None


def role_terms(title: str | None, text: str) -> list[str]:
    """The job titles a posting names: its title — or, when it has none or its "title" is a
    labelled list of terms, the items of that list (or of the text's first line) that name an
    occupation ("commis chef", "accountant"; not "cooking", "balance sheet")."""
    if title and not _is_labelled_list(title):
        return [title]
    line = (title or text.strip().split("\n", 1)[0]).strip()
    if not (_is_labelled_list(line) or line.count(",") >= LIST_COMMAS):
        return []
    items = _ITEM_SPLIT.split(_LABEL_PREFIX.sub("", line))
    return [t for t in dict.fromkeys(i.strip() for i in items) if t and names_occupation(t)]


def _unit(vec: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(v * v for v in vec.values()))
    return {k: v / norm for k, v in sorted(vec.items())} if norm > 0 else {}


def job_occupation(title: str | None, terms: dict[str, float],
                   text: str = "") -> dict[str, float]:
    """The job's occupation vector: its title's (or the mean of the job titles its term list
    names, see :func:`role_terms`), corroborated by what its words read like (weight
    TEXT_OCCUPATION_MIX; the words alone when no title names an occupation)."""
    roles = role_terms(title, text)
    by_title: dict[str, float] = {}
    if len(roles) == 1:
        by_title = occupation_weights(roles[0])
    else:
        for role in roles:
            for key, value in occupation_weights(role).items():
                by_title[key] = by_title.get(key, 0.0) + value
        by_title = _unit(by_title)
    by_text = text_occupation_vector(terms)
    if not by_title or not by_text:
        return by_title or by_text
    mix = dict(by_title)
    for key, value in by_text.items():
        mix[key] = mix.get(key, 0.0) + TEXT_OCCUPATION_MIX * value
    norm = math.sqrt(sum(v * v for v in mix.values()))
    return {k: v / norm for k, v in sorted(mix.items())}



def mentions(prep: PreparedProfile, phrase: str) -> bool:
    """Whether the CV text contains ``phrase`` (a whole word for single words), the one test
    used for certifications and ATS keywords by both the score and the gaps."""
    phrase = phrase.lower().strip()
    if not phrase:
        return False
    if " " not in phrase and phrase.isalnum():
        return phrase in prep.words
    return phrase in prep.text_lower



def bare_title(title: str) -> str:
    return " ".join(_SENIORITY_WORDS.sub(" ", title).lower().split())

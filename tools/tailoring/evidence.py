"""The user's own evidence: a sentence that shows a required skill in a role, placed verbatim.

The deterministic options never move "required skills shown in a role with a result": that
needs lines the CV does not have, and jobfit never writes facts. So the user supplies them. For
each required skill the CV mentions only outside its roles, or in a role but never with a
measurable result, :func:`evidence_requests` asks "Show <skill> in a role: tell me where you
used it and what came of it". The answer is an *addition*, ``"<role or company>: <sentence>"``
(``"Acme: Cut deploy time 40% with Kubernetes"``), checked by :func:`check_additions`:

* the role must be one the user named, matching exactly one role of the CV (by company, title or
  both); an ambiguous or unknown name is refused with the roles to choose from;
* the sentence may name only skills the CV already states, or the skills asked about; no other
  employer, job title or degree;
* only light normalisation: bullet marks, quotes and extra spaces go, the first letter is
  capitalised; the words and numbers stay the user's.

``tailor_cv(additions=...)`` places each sentence as the last bullet of its role, re-measures,
and the no-invention check accepts these lines because their source is the user (they are
reported in ``TailoredCV.added``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from tools.errors import InvalidInputError
from tools.factors import bullet_quality
from tools.preparation import prepare_job
from tools.schemas import CandidateProfile, ExperienceEntry, JobPosting
from tools.skills import extract_skills, load_taxonomy
from tools.tailoring.document import _Doc
from tools.tailoring.invention import _line_violations, _Reference
from tools.tailoring.models import Addition, EvidenceRequest

#: The option id of an evidence request (one per skill: ``show_in_role:<skill id>``).
EVIDENCE_ACTION = "show_in_role"
#: Longest sentence accepted (characters, after normalisation).
MAX_SENTENCE = 300
#: Most additions in one tailoring.
MAX_ADDITIONS = 10

_BULLET_MARK = re.compile(r"^\s*(?:[-*•·–—>]+|\d+[.)])\s*")
_QUOTES = "\"'“”‘’«»`"
_WORDS = re.compile(r"[a-z0-9+#]+")


@dataclass(frozen=True)
class Placed:
    """A checked addition: the role's index in the parsed CV, and the addition."""

    entry: int
    addition: Addition


def role_label(e: ExperienceEntry) -> str:
    title, company = (e.title or "").strip(), (e.company or "").strip()
    if title and company:
        return f"{title} at {company}"
    return title or company or "a role without a title"


def evidence_requests(profile: CandidateProfile, job: JobPosting) -> list[EvidenceRequest]:
    """Required skills of ``job`` that ``profile`` mentions but never in a role's bullet with a
    measurable result, in the job's order. Empty when the CV has no roles to place a line in."""
    if not profile.experience:
        return []
    have = {s.skill_id for s in profile.skills}
    in_role: set[str] = set()
    shown: set[str] = set()
    for e in profile.experience:
        for b in e.bullets:
            ids = {m.skill_id for m in extract_skills(b, role_names=True)}
            in_role |= ids
            if bullet_quality(b)[0]:
                shown |= ids
    roles = [role_label(e) for e in profile.experience]
    out = []
    for js in prepare_job(job).required:
        if js.skill_id in have and js.skill_id not in shown:
            where = "in a role, without a result" if js.skill_id in in_role else "listed only"
            out.append(EvidenceRequest(skill=js.name, skill_id=js.skill_id, where=where,
                                       roles=roles))
    return out


def request_label(req: EvidenceRequest) -> str:
    return f"Show {req.skill} in a role: tell me where you used it and what came of it"


def request_prompt(req: EvidenceRequest) -> str:
    """How to answer, with a role of the CV as the example: "Reply: add to Backend Developer at
    Acme: <what you did with Kubernetes and what came of it>"."""
    first = req.roles[0] if req.roles else "<a role from your CV>"
    return f"Reply: add to {first}: <what you did with {req.skill} and what came of it>"


def request_detail(req: EvidenceRequest) -> str:
    first = req.roles[0] if req.roles else "your role"
    where = ("is only listed in your CV, in no role" if req.where == "listed only"
             else "appears in a role of your CV, but never with a measurable result")
    return (f"{req.skill} {where}. Reply “add to <role or company>: "
            f"<what you did with {req.skill} and what came of it>”, e.g. “add to {first}: …”. "
            "Your sentence is added to that role as written; nothing is added for you.")


def parse_addition(text: str) -> tuple[str, str]:
    """``"Acme: Cut deploy time 40% with Kubernetes"`` → ``("Acme", "Cut deploy …")``; also
    ``"add to Acme: …"``."""
    body = re.sub(r"^\s*add\s+(?:this\s+|a\s+line\s+|a\s+bullet\s+)?(?:to|under|in|for)\s+",
                  "", str(text), flags=re.I)
    role, colon, sentence = body.partition(":")
    if not colon or not role.strip() or not sentence.strip():
        raise InvalidInputError(
            "Write the role, a colon, then your sentence, e.g. “Acme: Cut deploy time 40% with "
            "Kubernetes”.")
    return role.strip().strip(_QUOTES).strip(), sentence


def normalise_sentence(sentence: str) -> str:
    """Light normalisation only: one line, no bullet mark, no wrapping quotes, single spaces,
    the first letter capitalised."""
    text = " ".join(sentence.split())
    text = _BULLET_MARK.sub("", text).strip()
    while len(text) >= 2 and text[0] in _QUOTES and text[-1] in _QUOTES:
        text = text[1:-1].strip()
    if not text:
        raise InvalidInputError("The sentence to add is empty.")
    if len(text) > MAX_SENTENCE:
        raise InvalidInputError(f"Keep the sentence under {MAX_SENTENCE} characters (one bullet).")
    return text[0].upper() + text[1:]


def _words(text: str) -> str:
    return " ".join(_WORDS.findall(text.lower()))


def find_role(experience: Sequence[ExperienceEntry], name: str) -> int:
    """Index of the one role ``name`` names (company, title, or both); refuses an unknown or
    ambiguous name, listing the roles."""
    want = _words(name)
    labels = [role_label(e) for e in experience]
    if not want:
        raise InvalidInputError("Name the role or company to add the line to.")
    exact: list[int] = []
    partial: list[int] = []
    padded = f" {want} "
    for i, e in enumerate(experience):
        title, company = _words(e.title or ""), _words(e.company or "")
        forms = {f for f in (title, company, f"{title} {company}", f"{company} {title}",
                             f"{title} at {company}") if f.strip()}
        if want in forms:
            exact.append(i)
        elif any(f" {want} " in f" {f} " for f in (title, company) if f):
            partial.append(i)  # "Acme" of "Acme Corp", "Developer" of "Backend Developer"
        elif title and f" {title} " in padded and company:
            rest = set(want.split()) - set(title.split()) - {"at", "for", "with"}
            if rest and rest <= set(company.split()):
                partial.append(i)  # "Backend Developer, Acme
    hits = exact or partial
    if len(hits) == 1:
        return hits[0]
    roles = "; ".join(labels) or "none"
    if not hits:
        raise InvalidInputError(f"No role in your CV matches “{name}”. Your roles: {roles}.")
    both = "; ".join(labels[i] for i in hits)
    raise InvalidInputError(f"“{name}” matches {len(hits)} roles ({both}): name the role, e.g. "
                            f"“add to {labels[hits[0]]}: …”.")


def check_additions(doc: _Doc, ref: _Reference, additions: Sequence[str],
                    asked: Sequence[str] = ()) -> list[Placed]:
    """Each ``"<role>: <sentence>"`` resolved to a role and checked (see the module doc).

    ``asked``: skill ids the user was asked to show (besides the CV's own skills, the only
    skills a sentence may name)."""
    if len(additions) > MAX_ADDITIONS:
        raise InvalidInputError(f"Add at most {MAX_ADDITIONS} lines at a time.")
    parsed = doc.parsed
    placeable = {e.index for e in doc.entries()}
    taxonomy = load_taxonomy()
    allowed = set(ref.skill_ids) | {s.skill_id for s in parsed.skills} | set(asked)
    out = []
    for raw in additions:
        name, sentence = parse_addition(raw)
        text = normalise_sentence(sentence)
        i = find_role(parsed.experience, name)
        label = role_label(parsed.experience[i])
        if i not in placeable:
            raise InvalidInputError(f"I can't add a line to “{label}” safely in this CV's layout: "
                                    "add it to your CV yourself and upload it again.")
        mentions = extract_skills(text, role_names=True)
        unknown = [m.surface for m in mentions if m.skill_id not in allowed]
        if unknown:
            raise InvalidInputError(
                f"Your CV doesn't state {', '.join(dict.fromkeys(unknown))}: I only add lines "
                "about skills your CV already names (or the one I asked about). Add it to your "
                "CV's skills first if you have it.")
        for v in _line_violations(ref, text):
            if v.kind in ("employer", "title", "degree"):
                raise InvalidInputError(
                    f"“{v.term}” ({v.kind}) is not in your CV: a line added to {label} can only "
                    "say what you did there.")
        names = []
        for m in mentions:
            entry = taxonomy.get(m.skill_id)
            names.append(entry.name if entry is not None else m.name)
        out.append(Placed(i, Addition(role=label, text=text,
                                      skills=list(dict.fromkeys(names)),
                                      with_result=bullet_quality(text)[0])))
    return out

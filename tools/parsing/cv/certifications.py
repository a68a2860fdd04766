"""Well-known certifications named in CVs and postings ("AWS Certified Solutions Architect",
"PMP", "CompTIA Security+"), found with a literal pre-scan and one pattern per family, and the
entries of a CV's certifications section."""

from __future__ import annotations

import re

from tools.parsing.cv.patterns import BULLET_RE, MONTH, YEAR, tidy

_CERT_PATTERNS: tuple[tuple[re.Pattern[str], str | None], ...] = (
    (re.compile(r"\bAWS Certified(?:[ -][A-Z][\w]*(?:[ -](?:-|–)?\s?[A-Z][\w]*)*)?"), None),
    (re.compile(r"\bMicrosoft Certified:?(?: [A-Z][\w-]*){1,6}"), None),
    (re.compile(r"\b(?:Google Cloud|GCP) Professional(?: [A-Z][\w-]*){1,4}"), None),
    (re.compile(r"\bCertified Kubernetes (?:Administrator|Application Developer|Security"
                r" Specialist)"), None),
    (re.compile(r"\bCertified (?:Scrum Master|Product Owner|Public Accountant|Information "
                r"Systems (?:Auditor|Security Professional)|Ethical Hacker|Nursing Assistant)"),
     None),
    (re.compile(r"\bCompTIA (?:Security|Network|A|Cloud|Linux|CySA|PenTest)\+"), None),
    (re.compile(r"\bPRINCE2(?: (?:Foundation|Practitioner))?"), None),
    (re.compile(r"\bITIL(?: v?\d)?(?: Foundation)?"), None),
    (re.compile(r"\bSix Sigma(?: (?:Green|Black|Yellow) Belt)?"), None),
    (re.compile(r"\bGoogle (?:Analytics|Ads)(?: Individual Qualification| Certification|"
                r" Certified)"), None),
    (re.compile(r"\bHubSpot (?:Inbound|Content|Email|Marketing)[\w ]{0,30}?Certification"),
     None),
    (re.compile(r"\bSalesforce Certified(?: [A-Z][\w-]*){1,4}"), None),
    (re.compile(r"\bTableau (?:Desktop Specialist|Certified Data Analyst)"), None),
    (re.compile(r"\bDatabricks Certified(?: [A-Z][\w-]*){1,5}"), None),
    (re.compile(r"\b(?:Terraform Associate|HashiCorp Certified:? Terraform Associate)"), None),
    (re.compile(r"\bRegistered Nurse (?:licen[cs]e|\(RN\))"), "RN"),
    (re.compile(r"\bRN licen[cs]e"), "RN"),
    (re.compile(r"\b(?:PMP|CAPM|CPA|CISSP|CISM|CISA|CKA|CKAD|CSM|PSM I{1,3}|PSPO|CFA|ACCA|CIMA|"
                r"CIPD|CIPS|CEH|OSCP|CCNA|CCNP|BLS|ACLS|PALS|NCLEX-RN|TEFL|CELTA|PGCE|SHRM-CP|"
                r"SHRM-SCP|FRM|CMA|CIA)\b(?!-)"), None),
)


#: Literal first words of the patterns above: a fast pre-scan (one big alternation of
#: \b-anchored patterns is ~40x slower in `re`).
_CERT_START = re.compile(
    r"AWS|Microsoft|Google|GCP|Certified|CompTIA|PRINCE2|ITIL|Six Sigma|HubSpot|Salesforce|"
    r"Tableau|Databricks|Terraform|HashiCorp|Registered Nurse|RN|PMP|CAPM|CPA|CISSP|CISM|CISA|"
    r"CKA|CSM|PSM|PSPO|CFA|ACCA|CIMA|CIPD|CIPS|CEH|OSCP|CCNA|CCNP|BLS|ACLS|PALS|NCLEX|TEFL|"
    r"CELTA|PGCE|SHRM|FRM|CMA|CIA"
)


def find_certification_spans(
    text: str, start: int = 0, end: int | None = None
) -> list[tuple[int, str]]:
    """(offset, name) of every well-known certification in text[start:end]."""
    end = len(text) if end is None else end
    out: list[tuple[int, str]] = []
    done = start
    for hit in _CERT_START.finditer(text, start, end):
        pos = hit.start()
        if pos < done or (pos and text[pos - 1].isalnum()):
            continue
        for pattern, canonical in _CERT_PATTERNS:
            m = pattern.match(text, pos, end)
            if m:
                out.append((pos, canonical or m.group(0).strip(" -–")))
                done = m.end()
                break
    return out


def dedupe_certifications(names: list[str]) -> list[str]:
    """Drop names contained in one already kept ("BLS" after "Basic Life Support (BLS)")."""
    out: list[str] = []
    for name in names:
        if not any(name.casefold() in o.casefold() for o in out):
            out.append(name)
    return out


def find_certifications(text: str) -> list[str]:
    """Well-known certifications named anywhere in `text`, in order, deduplicated."""
    return dedupe_certifications([name for _, name in find_certification_spans(text)])


def cert_from_line(line: str) -> str | None:
    """A certification named by a line of a certifications section, its dates cut off."""
    line = BULLET_RE.sub("", line).strip()
    if ", " in line:  # "Registered Nurse (RN), Texas Board of Nursing" -> the credential
        line = line.split(", ", 1)[0]
    line = re.sub(
        rf"\s*[(\[,–—-]?\s*(?:issued\s+|obtained\s+|expires?\s+)?(?:{MONTH}\.?\s+)?{YEAR}"
        rf"(?:\s*(?:-|–|to)\s*(?:(?:{MONTH}\.?\s+)?{YEAR}|present))?\s*[)\]]?\s*$",
        "", line, flags=re.IGNORECASE,
    )
    line = tidy(line)
    return line if 2 <= len(line) <= 120 else None


def cert_pieces(line: str) -> list[str]:
    """A certifications line split into its items (";" or " | " separated)."""
    line = BULLET_RE.sub("", line).strip()
    if not line:
        return []
    if ";" in line or " | " in line:
        return [p for p in re.split(r"\s*[;|]\s*", line) if p.strip()]
    return [line]

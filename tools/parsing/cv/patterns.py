"""Patterns every part of the CV parser shares: date ranges, bullets, part separators, role
words and company hints."""

from __future__ import annotations

import re

MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_SEASON = r"(?:spring|summer|autumn|fall|winter)"
YEAR = r"(?:19[5-9]\d|20\d\d)"
_DATE = (
    rf"(?:(?:{MONTH}\.?|{_SEASON}),?\s?{YEAR}|\d{{1,2}}[/.]{YEAR}|{YEAR}[/.-]\d{{1,2}}(?!\d)"
    rf"|{YEAR})"
)
_NOW = r"(?:present|current(?:ly)?|now|today|ongoing|to date|date)"
_DASH = r"\s*(?:-|–|—|~|to|until|till|through|thru)\s*"
DATE_RANGE_RE = re.compile(
    rf"(?<![\w/.]){_DATE}{_DASH}(?:{_DATE}|{_NOW})(?![\w/])|(?:since|from)\s+{_DATE}(?![\w/])",
    re.IGNORECASE,
)
YEAR_RE = re.compile(rf"(?<!\d){YEAR}(?!\d)")
HAS_YEAR_RE = re.compile(r"(?:19|20)\d\d")

BULLET_RE = re.compile(r"^\s*(?:[-*•·▪■◦‣⁃●○►➢✓✔>–—]|\d{1,2}[.)])\s*")
PART_SPLIT_RE = re.compile(
    r"\s+[|–—·•@]\s+|\s*\|\s*|\s+-\s+|\t+|,\s+|\s+at\s+|\s*[()\[\]]\s*|\s{3,}"
)
EDGE_JUNK_RE = re.compile(r"^[\s,;:|–—\-·•()\[\]]+|[\s,;:|–—\-·•()\[\]]+$")
_EDGE_SOFT = re.compile(r"^[\s,;:|–—\-·•]+|[\s,;:|–—\-·•]+$")


def tidy(text: str) -> str:
    """Strip separators at the edges; drop parentheses only when unbalanced."""
    text = _EDGE_SOFT.sub("", text)
    while text.endswith(")") and text.count("(") < text.count(")"):
        text = _EDGE_SOFT.sub("", text[:-1])
    while text.startswith("(") and text.count("(") > text.count(")"):
        text = _EDGE_SOFT.sub("", text[1:])
    if text.endswith("(") or (text.count("(") > text.count(")") and "(" in text):
        text = _EDGE_SOFT.sub("", text[: text.rfind("(")])
    return text

ROLE_WORDS = re.compile(
    r"\b(?:engineer|developer|programmer|manager|analyst|scientist|nurse|designer|consultant|"
    r"director|specialist|assistant|coordinator|lead|intern|internship|officer|administrator|"
    r"architect|teacher|accountant|representative|associate|technician|head|executive|owner|"
    r"founder|co-founder|cofounder|vp|president|cto|ceo|cfo|coo|cmo|editor|writer|copywriter|"
    r"marketer|strategist|advisor|adviser|researcher|fellow|lecturer|professor|tutor|trainee|"
    r"apprentice|clerk|cashier|supervisor|operator|planner|producer|recruiter|partner|"
    r"principal|sre|devops|practitioner|therapist|pharmacist|physician|doctor|paralegal|lawyer|"
    r"attorney|solicitor|agent|buyer|chef|cook|driver|mechanic|electrician|volunteer|worker|"
    r"instructor|auditor|controller|bookkeeper|salesperson|receptionist|midwife|carer|"
    r"caregiver|aide|barista|server|waiter|waitress|merchandiser|estimator|surveyor|"
    r"expert|generalist|freelancer|contractor|member|staff|scrum master|product owner|"
    r"advocate|counsell?or|educator|interviewer|methodologist|transporter|stocker|detective|"
    r"keyholder|faculty|banker|teller|inspector|investigator|dispatcher|coach|trainer|pilot|"
    r"attendant|bartender|housekeeper|custodian|janitor|labou?rer|foreman|superintendent|"
    r"machinist|welder|carpenter|plumber|technologist|hygienist|dietitian|nutritionist|"
    r"paramedic|phlebotomist|underwriter|adjuster|appraiser|broker|realtor|examiner|"
    r"photographer|illustrator|animator|artist|journalist|reporter|translator|interpreter|"
    r"librarian|secretary|stylist|cosmetologist|baker|liaison|facilitator|dean|registrar|"
    r"chaplain|pastor|psychologist|caseworker|organi[sz]er|drafter|draftsman|paraprofessional|"
    r"scheduler|courier|nanny|leader|hostess|clinician|observer)s?\b",
    re.IGNORECASE,
)
COMPANY_HINTS = re.compile(
    r"\b(?:inc|ltd|llc|llp|gmbh|corp|corporation|plc|co|company|group|hospital|clinic|"
    r"university|college|bank|agency|labs?|solutions|technologies|technology|systems|studios?|"
    r"partners|health|healthcare|ag|sa|bv|foundation|trust|nhs|council|consulting|media|"
    r"software|services|ventures|capital|holdings|institute|analytics|retail|logistics|"
    r"insurance|pharma|industries|enterprises|store|stores|restaurant|hotel|school)\b\.?",
    re.IGNORECASE,
)
COMPANY_SUFFIX_RE = re.compile(
    r"\b(?:inc|ltd|llc|llp|gmbh|corp|plc|ag|bv|s\.?a)\b\.?$", re.IGNORECASE
)

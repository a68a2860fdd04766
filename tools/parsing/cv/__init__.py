"""CV parsing: raw CV text -> :class:`~tools.schemas.CandidateProfile`.

Deterministic and offline. The pipeline (``profile.parse_cv``):

1. ``normalise_with_offsets``: the parser works on the normalised text (stored in
   ``profile.text``) and every Span is mapped back at the end, so offsets (skill mentions, entry
   spans) index the text the caller passed in.
2. Sections are cut at recognised headings (``tools.parsing.sections``); text before the first
   heading is the *header* (name, contact, headline, location: ``header``).
3. Experience entries (``entries``) are anchored on lines holding a date range. The entry
   header is built from that line (minus the dates) plus, when title or company is still
   missing, up to two adjacent lines above and one below. Parts are split on ``|``, dashes,
   commas, ``at`` and classified as title (holds a role word), company, then location. Only
   experience sections are searched; a CV without an experience heading is searched everywhere
   except in other recognised sections, skipping lines that look like education.
4. ``total_years`` is the *union* of the entries' ranges (``years_from_ranges``); without dated
   roles, an explicit "N years of experience" in the summary or header, else the longest
   per-skill duration ("Java (5 years)"); ``years_source`` says which (``years``).
5. Skills (``skills``) come from ``extract_skills`` over the whole text; each mention's section
   gives its source: skills section → ``skills_section``; experience section, an experience
   entry or a projects section → ``experience``; summary (or the intro paragraph of a CV without
   headings) → ``summary``; anything else → ``other``. Mentions inside the languages section and
   mentions of spoken languages are dropped.
6. Education (``education``), certifications (``certifications``), spoken languages
   (``languages``) and preferences (``preferences``: work mode, salary, target roles).

The other modules: ``patterns`` (date ranges, bullets, role words shared by all parts),
``titles`` (placeholders, headline, titles in prose), ``layout`` (PDF line-break repairs).

Nothing here logs CV text. An empty or whitespace-only text returns an empty profile.
"""

from tools.parsing.cv.certifications import find_certifications
from tools.parsing.cv.education import degree_level_of, parse_education_lines
from tools.parsing.cv.header import EMAIL_RE, URL_RE
from tools.parsing.cv.languages import accept_inline_heading, parse_languages
from tools.parsing.cv.patterns import BULLET_RE, DATE_RANGE_RE, ROLE_WORDS
from tools.parsing.cv.profile import parse_cv, restore_profile

__all__ = [
    "BULLET_RE",
    "DATE_RANGE_RE",
    "EMAIL_RE",
    "ROLE_WORDS",
    "URL_RE",
    "accept_inline_heading",
    "degree_level_of",
    "find_certifications",
    "parse_cv",
    "restore_profile",
    "parse_education_lines",
    "parse_languages",
]

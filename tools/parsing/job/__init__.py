"""Job posting parsing: raw text or a structured record -> :class:`~tools.schemas.JobPosting`.

Skills are classified *section-aware*:

* under a requirements-like heading (Requirements, Must have, What you bring, Qualifications,
  You have, About you…) → **required**;
* under a preferred-like heading (Nice to have, Preferred, Bonus, Plus, Desirable…) →
  **preferred**;
* in the intro, description or responsibilities → **required when the posting has no
  requirements section** (then that text is all we have to go on), otherwise **preferred**
  (the posting listed what it requires; tools merely named in passing are weaker asks);
* in About us / Benefits / How to apply → ignored (company description, perks);
* an inline cue in the same clause overrides the section: "preferred", "nice to have",
  "a plus", "bonus", "desirable", "ideally", "not required" → preferred; "required", "must",
  "essential", "mandatory" → required;
* a skill that ends up in both lists is required only; each list is ordered by first mention.

Structured records (``title``, ``company``, ``location``, ``salary`` as a string, a number or
``{min, max, currency[, period]}``, ``description``, ``requirements`` as a string or a list,
``skills[]``, ``posted_date``, ``url``/``job_url``, ``id``/``external_id``,
``source``/``platform``, optional ``preferred_skills``/``nice_to_have``, ``employment_type``,
``work_mode``/``remote``) go through the same text logic on a text built from the fields; the
structured fields win where present and ``skills[]`` are required (unless also listed as
preferred in the record).

Seniority comes from the title (``detect_seniority``), falling back to the minimum years asked
(``seniority_from_years``). Never raises on arbitrary text.

The modules: ``posting`` (``parse_job``), ``free_text`` (the text path), ``record`` (the
record path), ``header`` (labelled fields, title, company, place), ``employment``,
``skills`` (section-aware classification), ``cues`` (inline cues, clauses),
``qualifications`` (degree, fields, certifications).
"""

from tools.parsing.job.posting import parse_job

__all__ = ["parse_job"]

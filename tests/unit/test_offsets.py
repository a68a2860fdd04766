"""Every Span a parser reports indexes the text the caller gave it, whatever the whitespace,
line endings, bullets, ligatures or Unicode forms in that text (synthetic texts only)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from tools.parsing.cv import parse_cv
from tools.parsing.job import parse_job
from tools.parsing.text import (
    cells_to_pipes,
    extract_text,
    normalise_text,
    normalise_with_offsets,
)
from tools.schemas import CandidateProfile, Span

TODAY = date(2025, 6, 1)


def all_spans(obj: Any) -> list[Span]:
    out: list[Span] = []
    if isinstance(obj, Span):
        out.append(obj)
    elif isinstance(obj, BaseModel):
        for value in obj.__dict__.values():
            out += all_spans(value)
    elif isinstance(obj, list):
        for value in obj:
            out += all_spans(value)
    return out


def flat(text: str) -> str:
    return " ".join(normalise_text(text).split()).casefold()


def assert_cv_spans(original: str) -> None:
    profile = parse_cv(original, today=TODAY)
    for span in all_spans(profile):
        assert 0 <= span.start <= span.end <= len(original)
        assert original[span.start:span.end] == span.text
    for skill in profile.skills:
        for m in skill.mentions:
            # the slice reads as a surface the matcher accepts for this skill
            assert flat(m.text), m
            assert not m.text[:1].isspace() and not m.text[-1:].isspace()
    for e in profile.experience:
        assert e.span is not None
        if e.title:
            # a title may join two parts of its header ("Python, Data Analyst" from a header
            # line that names a team and a role): each part comes from the entry's text
            for part in e.title.split(", "):
                assert flat(part) in flat(e.span.text), (part, e.span.text)


def assert_job_spans(original: str) -> None:
    posting = parse_job(original, today=TODAY)
    for span in all_spans(posting):
        assert 0 <= span.start <= span.end <= len(original)
        assert original[span.start:span.end] == span.text


# --------------------------------------------------------------------------- examples

CV = """JANE Q. EXAMPLE
Senior Data Analyst
jane@example.org | +44 7700 900123

Summary
Analyst with SQL, Python and Tableau for retail pricing.

Experience
Data Analyst | Northwind Traders | Jan 2019 - Present
- Built dashboards in Tableau and Power BI
- Automated reports with Python and Airflow

Junior Analyst, Contoso Ltd, 2016 - 2018
- Excel modelling, SQL queries

Skills
Python, SQL, Tableau, Excel, Git

Education
BSc Mathematics, University of Leeds, 2016
"""

JOB = """Data Analyst
Northwind Traders - London

Requirements
- 3+ years of experience with SQL and Python
- Tableau or Power BI

Nice to have
- Airflow, dbt
"""


def _variants(text: str) -> dict[str, str]:
    return {
        "plain": text,
        "crlf": text.replace("\n", "\r\n"),
        "cr": text.replace("\n", "\r"),
        "tabs": text.replace(" | ", "\t").replace(", ", ",\t"),
        "double_spaces": text.replace(" ", "  "),
        "nbsp": text.replace(" ", "\u00a0"),
        "indent": "\n".join("   " + ln for ln in text.split("\n")),
        "bullets": text.replace("\n- ", "\n\u2022  ", 2).replace("\n- ", "\n\u25cf"),
        "wingdings": text.replace("\n- ", "\n\uf0b7 "),
        "ligatures": text.replace("fi", "\ufb01").replace("ffi", "\ufb03").replace("fl", "\ufb02"),
        "combining": text.replace("e", "e\u0301", 3),
        "zero_width": text.replace("Python", "Py\u200bthon").replace("SQL", "S\u00adQL"),
        "blank_lines": text.replace("\n\n", "\n\n\n\n\n"),
        "letter_spaced": text.replace("Experience\n", "E X P E R I E N C E\n")
        .replace("Skills\n", "S K I L L S\n"),
        "leading_junk": "\ufeff\n\n  \t" + text + "\n\n\u2028  ",
        "quotes_dashes": text.replace(" - ", " \u2013 ").replace("'", "\u2019"),
        "wide_cells": text.replace(" | ", "     "),
    }


@pytest.mark.parametrize("kind", list(_variants(CV)))
def test_cv_spans_index_the_given_text(kind: str) -> None:
    original = _variants(CV)[kind]
    assert_cv_spans(original)
    profile = parse_cv(original, today=TODAY)
    assert profile.skills and profile.experience


@pytest.mark.parametrize("kind", list(_variants(JOB)))
def test_job_spans_index_the_given_text(kind: str) -> None:
    assert_job_spans(_variants(JOB)[kind])


def test_mentions_point_at_the_users_characters() -> None:
    original = "Skills:\u00a0\u00a0Python,\t\tSQL\r\n\u2022   Tableau  and  Power\u00a0BI\r\n"
    profile = parse_cv(original, today=TODAY)
    found = {m.text for s in profile.skills for m in s.mentions}
    assert {"Python", "SQL", "Tableau"} <= found
    assert "Power\u00a0BI" in found  # the user's own non-breaking space, not a normalised one
    for s in profile.skills:
        for m in s.mentions:
            assert original[m.start:m.end] == m.text


def test_ligature_mention_covers_the_ligature() -> None:
    original = "Skills\nMicrosoft O\ufb03ce, work\ufb02ow automation, Python\n"
    profile = parse_cv(original, today=TODAY)
    for s in profile.skills:
        for m in s.mentions:
            assert original[m.start:m.end] == m.text
    assert any(m.text == "Python" for s in profile.skills for m in s.mentions)


def test_clean_text_keeps_offsets_and_profile_text() -> None:
    profile = parse_cv(CV, today=TODAY)
    assert profile.text == CV.strip()
    for span in all_spans(profile):
        assert CV[span.start:span.end] == span.text


def test_profile_text_stays_normalised() -> None:
    original = CV.replace("\n", "\r\n").replace(" ", "  ")
    profile = parse_cv(original, today=TODAY)
    assert profile.text == normalise_text(cells_to_pipes(original, spaces=True))


# --------------------------------------------------------------------------- the map itself


def test_offset_map_collapsed_and_expanded_characters() -> None:
    original = "a  b\r\nc\ufb01d"
    norm, omap = normalise_with_offsets(original)
    assert norm == "a b\nc" + "fi" + "d"
    assert omap.span(0, 1) == (0, 1)
    assert omap.span(2, 3) == (3, 4)  # "b"
    assert omap.span(5, 7) == (7, 8)  # "fi" is the ligature
    assert omap.span(4, 8) == (6, 9)
    assert omap.span(3, 3)[0] == omap.span(3, 4)[0]


def test_offset_map_identity_for_clean_text() -> None:
    norm, omap = normalise_with_offsets("plain text\nline two")
    assert omap.identity and norm == "plain text\nline two"


_ALPHABET = st.sampled_from(
    list("abcdefghij ABCXYZ0123456789.,:;|()-/")
    + ["\n", "\r\n", "\r", "\t", "  ", "   ", "\u00a0", "\u2022 ", "\u25cf", "* ", "- ",
       "\ufb01", "\ufb02", "\u2013", "\u2014", "\u2019", "\u201c", "\u2026", "\u200b", "\u00ad",
       "e\u0301", "\u0301", "\u00e9", "\uf0b7", "\ue000", "\u2028", "\x0c", "\x00",
       "\u212b", "A\u030a", "\u1100\u1161", "\u0b47\u0b3e", "\u0130", "\u017f"]
)
_TEXTS = st.lists(_ALPHABET, max_size=80).map("".join)


@settings(max_examples=300, deadline=None)
@given(_TEXTS, st.booleans(), st.booleans())
def test_tracked_normalisation_equals_normalise_text(text: str, cells: bool,
                                                     spaces: bool) -> None:
    norm, omap = normalise_with_offsets(text, cells=cells, space_cells=spaces)
    expected = normalise_text(cells_to_pipes(text, spaces=spaces) if cells else text)
    assert norm == expected
    for i in range(len(norm)):
        a, b = omap.span(i, i + 1)
        assert 0 <= a < b <= len(text)
        piece = text[a:b]
        # the source of a character normalises to something containing it (a bullet
        # becomes "- " only at the start of a line)
        assert norm[i] in normalise_text(cells_to_pipes(piece, spaces=spaces) if cells
                                         else piece) + " |\n-"


_WORDS = st.sampled_from([
    "Python", "SQL", "Tableau", "Excel", "project management", "Power BI", "Java", "nursing",
    "Experience", "Skills", "Summary", "Education", "Data Analyst", "Accountant",
    "Jan 2019 - Present", "2015 - 2018", "03/2012 to 05/2015", "Company Name", "City , State",
    "BSc Computer Science", "University of Leeds", "Requirements", "Nice to have",
    "3+ years of experience", "\u00a340,000", "remote", "Berlin", "Git", "Docker",
])
_SEPS = st.sampled_from([" ", "  ", "\t", "\n", "\r\n", "\n\n\n", " | ", ", ", "\u00a0",
                         "\n\u2022 ", "\n- ", "\n   ", "\u2003", "\ufb01", " \u2013 "])
_DOCS = st.lists(st.tuples(_WORDS, _SEPS), min_size=1, max_size=40).map(
    lambda pairs: "".join(w + s for w, s in pairs))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_DOCS)
def test_property_cv_spans(original: str) -> None:
    assert_cv_spans(original)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_DOCS)
def test_property_job_spans(original: str) -> None:
    assert_job_spans(original)


# --------------------------------------------------------------------------- files


def test_txt_file_offsets_index_the_file(tmp_path: Path) -> None:
    raw = CV.replace(" ", "  ").replace("- ", "\u2022 ")
    path = tmp_path / "cv.txt"
    path.write_bytes(raw.replace("\n", "\r\n").encode("utf-8"))
    given_text = path.read_text(encoding="utf-8")  # universal newlines, as a user reads it
    extracted = extract_text(path)
    assert extracted == given_text
    profile = parse_cv(extracted, today=TODAY)
    assert profile.skills
    for span in all_spans(profile):
        assert given_text[span.start:span.end] == span.text


# ---- profiles stored before they kept their text shifts

_SHIFTED_CV = ("Jane Doe\r\n\r\nEXPERIENCE\r\n\u2022  2019 - 2023   Data  Analyst at Acme\r\n"
               "   \u2022 Built  mortgage  dashboards in  SQL\r\n")


def test_a_stored_profile_without_shifts_gets_them_back_from_its_text() -> None:
    from store.tables import CVRecord
    from store.userdata import CVRepo
    from tools.parsing.cv import restore_profile

    fresh = parse_cv(_SHIFTED_CV)
    assert fresh.text_shifts  # normalising this text moves characters
    old = fresh.model_dump(mode="json")
    del old["text_shifts"]  # what an older jobfit stored
    assert CandidateProfile.model_validate(old).text_shifts == []
    record = CVRecord(owner_id="u", text=_SHIFTED_CV, parsed=old, content_hash="h")
    assert CVRepo.profile(record).text_shifts == fresh.text_shifts
    # a text that no longer reads as the stored one gives no shifts rather than wrong ones
    assert restore_profile(old, _SHIFTED_CV.replace("Acme", "Acme Corporation")).text_shifts == []
    # profiles stored with shifts keep theirs (even when empty: nothing moved)
    kept = fresh.model_dump(mode="json")
    kept["text_shifts"] = []
    assert restore_profile(kept, _SHIFTED_CV).text_shifts == []


def test_restored_shifts_put_a_scoring_time_span_on_the_users_characters() -> None:
    from tools.parsing.cv import restore_profile
    from tools.preparation import prepare_profile

    old = parse_cv(_SHIFTED_CV).model_dump(mode="json")
    del old["text_shifts"]
    prep = prepare_profile(restore_profile(old, _SHIFTED_CV))
    a = prep.profile.text.index("mortgage")
    (span,) = prep.source_spans((a, a + len("mortgage")))
    assert _SHIFTED_CV[span.start:span.end] == "mortgage"

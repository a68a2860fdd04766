"""Requirement terms: what a posting asks for that the taxonomy does not name, matched in a CV
(stems, a word window, joined forms, alternatives), weighted by specificity, counted in the
skills factor, in screening exactly as in the engine, with evidence and gaps."""

from __future__ import annotations

import numpy as np
import pytest

from tools.gaps import find_gaps
from tools.parsing.cv import parse_cv
from tools.parsing.job import parse_job
from tools.parsing.text import normalise_with_offsets
from tools.preparation import prepare_job, prepare_profile
from tools.requirement_terms import (
    SCATTERED_CREDIT,
    TermIndex,
    alternatives,
    term_specificity,
)
from tools.schemas import JobPosting, JobTerm
from tools.scoring import score_many, score_match
from tools.screening import ScreeningIndex


def credit(cv_text: str, term: str) -> float:
    return TermIndex.of(cv_text).match(term)[0]


# --------------------------------------------------------------------------- matching


def test_inflections_meet_a_term() -> None:
    assert credit("Sold mortgages and home loans.", "mortgage") == 1.0
    assert credit("Detailed steel structures for fabrication.", "steel detailing") == 1.0
    assert credit("Managed the branch.", "mortgage") == 0.0


def test_words_close_together_match_in_full_far_apart_in_part() -> None:
    near = "Produced steel connection detailing for bridges."
    assert credit(near, "steel detailing") == 1.0
    far = ("Steel was the main material of the plant where I worked for six years as a "
           "quality inspector; later I moved to drawing office detailing.")
    assert credit(far, "steel detailing") == SCATTERED_CREDIT
    assert credit("Steel only.", "steel detailing") == 0.0


def test_joined_and_split_forms() -> None:
    assert credit("Bookkeeping for 40 clients", "book keeping") == 1.0
    assert credit("Book-keeping for 40 clients", "bookkeeping") == 1.0
    assert credit("Ran e mail campaigns", "email") == 1.0
    assert credit("Kept the books", "bookkeeping") == 0.0


def test_alternatives_are_met_by_either() -> None:
    assert alternatives("host/hostess") == ("host", "hostess")
    assert alternatives("platform or infrastructure engineering") == (
        "platform engineering", "infrastructure engineering")
    assert credit("Worked as a hostess at the Ritz", "host/hostess") == 1.0
    assert credit("Ten years of infrastructure engineering", "platform or infrastructure "
                  "engineering") == 1.0
    # one alternative's words must all be there: "platform" alone is not "platform engineering"
    assert credit("Built a payments platform", "platform or infrastructure engineering") == 0.0


def test_match_points_at_the_words() -> None:
    text = "Summary\nI produced steel detailing drawings in Tekla Structures."
    c, where = TermIndex.of(text).match("tekla structures")
    assert c == 1.0 and where is not None
    assert text[where[0]:where[1]] == "Tekla Structures"


def test_specificity_follows_how_rare_the_words_are() -> None:
    assert term_specificity("management") == pytest.approx(0.3, abs=0.06)
    assert term_specificity("pneumatics") == 1.0  # not in the occupation profiles: rare
    assert term_specificity("management") < term_specificity("mortgage") <= 1.0
    assert term_specificity("design") == 0.25  # floor


# --------------------------------------------------------------------------- parsing


def test_labelled_list_items_become_terms_and_skills_stay_skills() -> None:
    job = parse_job("Key skills and roles: autocad, tekla structures, steel detailing, "
                    "home loans, branch manager")
    names = [t.name for t in job.terms]
    assert "tekla structures" in names and "steel detailing" in names
    assert "branch manager" in names and "home loans" in names
    assert "autocad" not in names and any(s.name == "AutoCAD" for s in job.all_skills)
    t = next(t for t in job.terms if t.name == "tekla structures")
    assert t.span is not None and job.text[t.span.start:t.span.end] == "tekla structures"


def test_header_fields_benefits_and_prose_are_not_terms() -> None:
    job = parse_job("Steel Detailer\nAcme Ltd\nLocation: Leeds, West Yorkshire, UK\n\n"
                    "Requirements\n- Skills: tekla structures, fabrication drawings\n\n"
                    "Benefits: pension, gym membership, free parking, cycle scheme\n"
                    "We build, test, and ship bridges, roads, and the occasional stadium roof "
                    "for councils around the country.")
    names = {t.name for t in job.terms}
    assert {"tekla structures", "fabrication drawings"} <= names
    assert not names & {"leeds", "west yorkshire", "uk", "pension", "gym membership",
                        "free parking", "the occasional stadium roof for councils around the "
                        "country"}


def test_preferred_and_example_terms_are_preferred() -> None:
    job = parse_job("Detailer\n\nRequirements\n- Skills: tekla structures, steel detailing\n"
                    "- Tools such as: bocad, prosteel\n\n"
                    "Nice to have\n- connection design, shop drawings, crane rigging, bolt lists\n")
    by_name = {t.name: t.required for t in job.terms}
    assert by_name["tekla structures"] is True and by_name["steel detailing"] is True
    assert by_name["connection design"] is False and by_name["shop drawings"] is False
    assert by_name.get("prosteel") is False  # one of the examples ("such as"), not each a must


# --------------------------------------------------------------------------- scoring

LIST_JOB = ("Key skills and roles: structural detailer, tekla structures, steel detailing, "
            "fabrication drawings, mortgages")
STATES = ("Sam Lee\nStructural Detailer\n\nExperience\nStructural Detailer, Acme Steel, "
          "2019 - 2024\n- Produced steel detailing and fabrication drawing sets in Tekla "
          "Structures for 40 bridges.\n")
LACKS = ("Sam Lee\nStructural Detailer\n\nExperience\nStructural Detailer, Acme Ltd, "
         "2019 - 2024\n- Checked drawings for 40 bridges.\n")


def test_terms_count_in_the_skills_factor() -> None:
    job = parse_job(LIST_JOB)
    assert not job.all_skills  # nothing the taxonomy names: before, only key words counted
    good, bad = score_match(parse_cv(STATES), job), score_match(parse_cv(LACKS), job)
    assert good.factors["skills"].score > bad.factors["skills"].score + 40
    assert "other requirement terms stated in your CV" in good.factors["skills"].comment
    # the ATS profile keeps counting like an applicant-tracking system (keywords, not terms)
    ats = score_match(parse_cv(STATES), job, profile_name="ats")
    assert "key terms compared" in ats.factors["skills"].comment


def test_term_evidence_reads_the_texts_the_user_gave() -> None:
    raw_cv = STATES.replace("\n", "\r\n").replace("- Produced", "•   Produced  ")
    assert normalise_with_offsets(raw_cv)[0] != raw_cv  # the CV is normalised when parsed
    result = score_match(parse_cv(raw_cv), parse_job(LIST_JOB))
    evidence = [e for e in result.factors["skills"].evidence if "term)" in e.requirement]
    assert {e.requirement for e in evidence} >= {"tekla structures (required term)",
                                                 "steel detailing (required term)"}
    for e in evidence:
        assert e.job_span is not None
        assert LIST_JOB[e.job_span.start:e.job_span.end].lower() == e.requirement.split(" (")[0]
        for span in e.cv_spans:
            assert raw_cv[span.start:span.end].lower().split() == span.text.lower().split()


def test_missing_terms_are_gaps_worth_points() -> None:
    report = find_gaps(parse_cv(LACKS), parse_job(LIST_JOB))
    terms = {g.target: g for g in report.gaps if g.type == "missing_term"}
    assert "steel detailing" in terms
    assert terms["steel detailing"].impact > 0 and terms["steel detailing"].severity == "high"
    assert all(g.impact > 0 for g in terms.values())  # zero-point ones are wording notes
    notes = {g.target for g in report.notes}
    assert not any(g.type == "missing_term" for g in report.notes)
    # every term the CV does not state is a gap or a note; the one it states is neither
    assert {"tekla structures", "fabrication drawings", "mortgages"} <= set(terms) | notes
    assert "structural detailer" not in set(terms) | notes


def test_screening_equals_the_engine_with_terms() -> None:
    texts = [LIST_JOB, "Key skills and roles: host/hostess, safety training, supervisor",
             "Key skills and roles: web promotion, e mail campaigns, book keeping, python",
             "Detailer\n\nRequirements\n- Skills: tekla structures, steel detailing\n\n"
             "Nice to have\n- connection design, shop drawings, crane rigging, email\n"]
    jobs = [parse_job(t) for t in texts]
    jobs.append(JobPosting(title="Clerk", terms=[JobTerm(name="book keeping", required=False)]))
    assert all(j.terms for j in jobs), [j.terms for j in jobs]
    index = ScreeningIndex()
    for i, job in enumerate(jobs):
        index.add_posting(str(i), job)
    index.freeze()
    cvs = [STATES, LACKS, "Jo\nHostess and supervisor. Book-keeping.\nEmail marketing, Python",
           "Ann\nInfrastructure engineering lead; safety training for 200 staff"]
    for text in cvs:
        prep = prepare_profile(parse_cv(text))
        want = np.array(score_many(prep, [prepare_job(j) for j in jobs]))
        got = index.screen(prep, semantic=False)
        assert np.allclose(got.lower, want, atol=1e-9)


def test_a_requirement_listed_twice_counts_once() -> None:
    pj = prepare_job(parse_job("Key skills and roles: host/hostess, hostess, supervisor, "
                               "supervisors"))
    assert [t.name for t in pj.required_terms] == ["host/hostess", "supervisor"]

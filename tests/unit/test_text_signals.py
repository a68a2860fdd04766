"""The engine's text signals: shared distinctive words, occupation read from words, skill
specificity — real behaviour on texts written for the test."""

from __future__ import annotations

import math

import pytest

from tools.lexical import CV_TERMS, JOB_TERMS, cosine, shared_terms, term_vector, words
from tools.occupation_profiles import closest_occupations, text_occupation_vector
from tools.preparation import occupation_dot
from tools.skills import load_taxonomy
from tools.specificity import FULL_MASS, SOFT_CAP, mass_scale, skill_weight

NURSE = ("Registered nurse on a surgical ward. Patient assessment, wound care, medication "
         "administration, triage and discharge planning; supervised nursing assistants.")
NURSE_JOB = ("Staff Nurse - Surgical Unit. You will assess patients, administer medication, "
             "provide wound care and plan discharges with the ward team.")
ACCOUNTANT = ("Staff accountant. Month-end close, general ledger reconciliations, accounts "
              "payable, audit preparation and tax returns.")


def test_term_vectors_are_unit_length_and_deterministic() -> None:
    v = term_vector(NURSE, CV_TERMS)
    assert v and math.isclose(math.sqrt(sum(x * x for x in v.values())), 1.0)
    assert v == term_vector(NURSE, CV_TERMS)
    assert len(term_vector(NURSE * 50, 10)) == 10  # the heaviest words only


def test_boilerplate_and_headings_are_not_distinctive() -> None:
    got = words("## Work History\nEDUCATION\nStrong team player with 5 years of experience "
                "in wound care")
    assert "history" not in got and "education" not in got
    assert {"team", "year", "experience", "strong"}.isdisjoint(got)
    assert {"wound", "care"} <= set(got)


def test_shared_words_rank_the_related_posting_first() -> None:
    nurse, job, acc = (term_vector(NURSE, CV_TERMS), term_vector(NURSE_JOB, JOB_TERMS),
                       term_vector(ACCOUNTANT, CV_TERMS))
    assert cosine(nurse, job) > cosine(acc, job) + 0.1
    assert cosine(nurse, job) == pytest.approx(cosine(job, nurse))
    assert {"medication", "surgical"} <= set(shared_terms(nurse, job))
    assert term_vector("", CV_TERMS) == {} and cosine({}, job) == 0


def test_occupation_read_from_words() -> None:
    nurse = text_occupation_vector(term_vector(NURSE, CV_TERMS))
    job = text_occupation_vector(term_vector(NURSE_JOB, JOB_TERMS))
    acc = text_occupation_vector(term_vector(ACCOUNTANT, CV_TERMS))
    assert nurse and job and acc
    assert occupation_dot(nurse, job) > 0.5 > occupation_dot(acc, job)
    assert any(k.startswith("isco:22") for k in nurse)  # health professionals
    assert closest_occupations({}) == [] and text_occupation_vector({}) == {}


def test_skill_specificity() -> None:
    tax = load_taxonomy()
    excel, plc = tax.lookup("Excel"), tax.lookup("PLC")
    assert excel is not None and plc is not None
    assert skill_weight(excel.id) < 0.5 < skill_weight(plc.id) <= 1.0
    soft = next(e for e in tax if e.category == "soft")
    assert skill_weight(soft.id) <= SOFT_CAP
    assert skill_weight("no-such-skill") == 1.0
    assert mass_scale(0) == 0 and mass_scale(FULL_MASS / 2) == 0.5 and mass_scale(99) == 1

"""Which job titles a posting names when its "title" is a list of terms, and what that does to
the job's occupation and the role fit."""

from __future__ import annotations

import pytest

from tools.occupations import match_occupations, names_occupation, occupation_weights
from tools.parsing.job import parse_job
from tools.preparation import (
    OLDER_ROLE_WEIGHT,
    job_occupation,
    occupation_dot,
    prepare_job,
    prepare_profile,
    role_terms,
)
from tools.schemas import CandidateProfile, ExperienceEntry
from tools.scoring import score_match


@pytest.mark.parametrize("term", ["accountant", "commis chef", "HR executive", "branch manager",
                                  "graphic designer", "service/maintenance engineer",
                                  "host/hostess", "webmaster"])
def test_job_titles_name_an_occupation(term: str) -> None:
    assert names_occupation(term)


@pytest.mark.parametrize("term", ["cooking", "banking", "monitoring", "balance sheet",
                                  "business development", "new product development",
                                  "analytical skills", "due diligence", "hydraulics", "",
                                  "one two three four five six seven"])
def test_skills_fields_and_activities_do_not(term: str) -> None:
    assert not names_occupation(term)


def test_a_real_title_is_kept_whole() -> None:
    assert role_terms("Senior Accountant", "") == ["Senior Accountant"]
    # commas in a real title make no list
    title = "Hosts and Hostesses, Restaurant, Lounge, and Coffee Shop"
    assert role_terms(title, title) == [title]


def test_a_labelled_list_gives_its_job_titles() -> None:
    line = "Key skills and roles: chef, commis, commis chef, cooking, hotel, indian curry"
    assert role_terms(line, line) == ["chef", "commis chef"]


def test_without_a_title_the_first_line_of_a_list_is_read() -> None:
    text = "accountant, balance sheet, book keeping, cash management, reconciliation\nMore."
    assert role_terms(None, text) == ["accountant"]
    assert role_terms(None, "We are hiring.\nAccountant, clerk, cashier, driver") == []


def test_a_list_without_job_titles_names_none() -> None:
    line = "Key skills and roles: analytical chemistry, biochemistry, formulation, nutrition"
    assert role_terms(line, line) == []


def test_the_job_occupation_comes_from_the_listed_titles_not_the_label() -> None:
    text = "Key skills and roles: accountant, balance sheet, book keeping, income tax return"
    job = parse_job(text)
    occupation = prepare_job(job).occupation
    accountant = occupation_weights("accountant")
    teacher = occupation_weights("adult literacy teacher")
    assert occupation_dot(occupation, accountant) > 0.6
    assert occupation_dot(occupation, teacher) < 0.1


def test_several_listed_titles_are_averaged() -> None:
    both = job_occupation("Key skills and roles: accountant, chef, cooking", {},
                          "Key skills and roles: accountant, chef, cooking")
    for title in ("accountant", "chef"):
        assert 0.3 < occupation_dot(both, occupation_weights(title)) < 0.95


def test_an_older_role_fits_less_than_the_current_one() -> None:
    profile = CandidateProfile(experience=[ExperienceEntry(title="Accountant"),
                                           ExperienceEntry(title="Chef")])
    prep = prepare_profile(profile)
    current, title = prep.role_fit(occupation_weights("accountant"))
    older, older_title = prep.role_fit(occupation_weights("chef"))
    assert (title, older_title) == ("Accountant", "Chef")
    assert current == pytest.approx(1.0, abs=0.02)
    assert older == pytest.approx(OLDER_ROLE_WEIGHT, abs=0.02)


def test_the_role_evidence_names_the_listed_job_titles() -> None:
    text = "Key skills and roles: chef, commis chef, cooking, food safety, menu planning"
    profile = CandidateProfile(headline="Chef", experience=[ExperienceEntry(title="Chef")])
    result = score_match(profile, parse_job(text))
    roles = [e for e in result.factors["experience"].evidence
             if e.requirement.startswith("role: ")]
    assert [e.requirement for e in roles] == ["role: chef, commis chef"]
    assert roles[0].credit > 0.9


@pytest.mark.parametrize(("title", "want"), [
    ("Public Relations Director", "public relations manager"),
    ("IT Director", "Information and communications technology service managers"),
    ("Marketing Director", "marketing manager"),
    ("Art Director", "art director"),  # a director occupation of its own stays
    ("Casting Director", "casting director"),
])
def test_a_function_director_reads_as_that_functions_manager(title: str, want: str) -> None:
    assert match_occupations(title, 1)[0].title == want

"""CV tailoring: options with measured impact, a re-parseable tailored CV, no invention."""

from __future__ import annotations

import io
import json
from collections import Counter
from pathlib import Path

import docx
import pytest

from tools.errors import InvalidInputError
from tools.parsing.cv import parse_cv
from tools.parsing.job import parse_job
from tools.parsing.text import extract_text
from tools.schemas import CandidateProfile, ExperienceEntry, JobPosting, PersonalInfo
from tools.scoring import score_match
from tools.tailoring import (
    ACTIONS,
    TailoredCV,
    check_invention,
    tailor_cv,
    tailoring_options,
)
from ui.docx_export import to_docx

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
SAMPLES = ROOT / "store" / "samples"


def cv_text(path: str) -> str:
    return extract_text(ROOT / path)


def fixture_job(name: str) -> JobPosting:
    return parse_job((FIXTURES / "jobs" / name).read_text())


def sample_job(title: str) -> JobPosting:
    records = json.loads((SAMPLES / "jobs.json").read_text())
    return parse_job(next(r for r in records if r["title"] == title))


@pytest.fixture(scope="module")
def felix() -> tuple[str, CandidateProfile, JobPosting]:
    """A real sample pair: the bundled senior backend CV and a sample backend posting."""
    text = cv_text("store/samples/cvs/backend_engineer_senior.txt")
    return text, parse_cv(text), sample_job("Senior Software Engineer, Backend")


@pytest.fixture(scope="module")
def maya() -> tuple[str, CandidateProfile, JobPosting]:
    """A CV that evidences the job's skills in other words (k8s, Postgres, GCP)."""
    text = (FIXTURES / "tailoring" / "platform_engineer_cv.txt").read_text()
    job = parse_job((FIXTURES / "tailoring" / "platform_engineer_job.txt").read_text())
    return text, parse_cv(text), job


def entries(p: CandidateProfile) -> Counter[tuple[str | None, ...]]:
    return Counter((e.title, e.company, e.start, e.end) for e in p.experience)


def education(p: CandidateProfile) -> list[tuple[object, ...]]:
    return [(e.degree_level, e.degree, e.institution, e.year) for e in p.education]


# --------------------------------------------------------------------------- options


def test_options_for_a_sample_pair(felix: tuple[str, CandidateProfile, JobPosting]) -> None:
    _, profile, job = felix
    options = tailoring_options(profile, job)
    ids = [o.id for o in options]
    assert ids == [a for a in ACTIONS if a in ids]  # listed in a fixed order, once each
    assert "add_keywords" in ids
    for o in options:
        assert o.action == o.id and o.label and o.detail
        # every option offered moves a measure, and says which, before → after
        assert o.effect is not None and o.effect.changed, o.id
        assert o.measured == o.effect.summary() and " → " in o.measured
    # order alone and a list of bullets to quantify change none of the four measures
    assert "reorder_experience" not in ids and "quantify_bullets" not in ids
    kw = next(o for o in options if o.id == "add_keywords")
    assert kw.effect is not None
    assert len(kw.effect.after.keywords_found) > len(kw.effect.before.keywords_found)
    assert kw.measured.startswith("ATS keyword match ")
    # drop_irrelevant removes content: never pre-ticked
    assert all(not o.default for o in options if o.id == "drop_irrelevant")


def test_impacts_are_the_rescore_deltas(maya: tuple[str, CandidateProfile, JobPosting],
                                        felix: tuple[str, CandidateProfile, JobPosting]) -> None:
    for _, profile, job in (maya, felix):
        for scorer in (None, lambda p, j=job: score_match(p, j, profile_name="ats")):
            options = tailoring_options(profile, job, score=scorer)
            assert options
            before = (scorer or (lambda p, j=job: score_match(p, j)))(profile).score
            for o in options:
                result = tailor_cv(profile, job, [o.id], score=scorer)
                assert result.before == before
                assert o.impact == result.after - result.before, o.id
                again = parse_cv(result.markdown)
                scored = (scorer or (lambda p, j=job: score_match(p, j)))(again).score
                assert scored == result.after


def test_every_option_says_what_it_moves(maya: tuple[str, CandidateProfile,
                                                  JobPosting]) -> None:
    _, profile, job = maya
    options = tailoring_options(profile, job)
    assert options
    for o in options:
        assert o.effect is not None and o.effect.changed
        lines = o.effect.lines()
        assert lines[-2].startswith("ATS-profile score: ") and lines[-1].startswith("Balanced")
        assert o.measured == o.effect.summary()


def test_only_options_that_change_something() -> None:
    text = ("Sam Ortiz\nsam@example.com\n\nSkills\nPython, SQL\n\nExperience\n"
            "Data Analyst | Acme Corp | Jan 2020 - Present\n- Cut report time by 50% with SQL.\n")
    job = parse_job("Data Analyst\n\nRequirements\n- Python\n- SQL\n")
    options = {o.id: o for o in tailoring_options(parse_cv(text), job)}
    assert "quantify_bullets" not in options  # the only bullet has a number
    assert "reorder_experience" not in options  # one role, one bullet
    assert "drop_irrelevant" not in options  # nothing unrelated
    assert "add_keywords" not in options  # the CV already uses the job's words


# --------------------------------------------------------------------------- tailored CV

CV_JOB_PAIRS = [
    ("tests/fixtures/cvs/senior_backend_engineer.txt", "backend_engineer_sections.txt"),
    ("tests/fixtures/cvs/data_scientist_no_headings.txt", "data_scientist_no_sections.txt"),
    ("tests/fixtures/cvs/career_changer_teacher_to_analyst.txt", "data_scientist_no_sections.txt"),
    ("tests/fixtures/cvs/junior_frontend_overlap.txt", "frontend_contract_inline_cues.txt"),
    ("tests/fixtures/cvs/marketing_manager_caps.txt", "marketing_manager_hybrid.txt"),
    ("tests/fixtures/cvs/registered_nurse.txt", "registered_nurse_icu.txt"),
    ("store/samples/cvs/accountant.pdf", "junior_accountant.txt"),
    ("store/samples/cvs/backend_engineer_senior.txt", "backend_engineer_sections.txt"),
    ("store/samples/cvs/data_scientist_junior.docx", "data_scientist_no_sections.txt"),
    ("store/samples/cvs/marketing_manager.docx", "marketing_manager_hybrid.txt"),
    ("store/samples/cvs/registered_nurse.txt", "registered_nurse_icu.txt"),
    ("tests/fixtures/tailoring/platform_engineer_cv.txt", "backend_engineer_sections.txt"),
]


@pytest.mark.parametrize(("cv_path", "job_name"), CV_JOB_PAIRS)
def test_tailored_cv_reparses_with_the_same_facts(cv_path: str, job_name: str) -> None:
    text = cv_text(cv_path)
    profile, job = parse_cv(text), fixture_job(job_name)
    result = tailor_cv(profile, job, ["all"])
    again = parse_cv(result.markdown)
    assert entries(again) == entries(profile)
    assert education(again) == education(profile)
    assert again.personal.name == profile.personal.name
    assert again.personal.email == profile.personal.email
    assert again.personal.phone == profile.personal.phone
    assert again.certifications == profile.certifications
    # every retained bullet is one of the original ones (dropped ones are gone, none added)
    original = {b for e in profile.experience for b in e.bullets}
    kept = [b for e in again.experience for b in e.bullets]
    assert all(any(b.startswith(o.rstrip(".")[:40]) for o in original) for b in kept)
    # a role keeps at least one bullet even when all of it is unrelated
    for e in profile.experience:
        if e.bullets:
            twin = next(x for x in again.experience if (x.title, x.company, x.start)
                        == (e.title, e.company, e.start))
            assert twin.bullets
    assert check_invention(text, result.markdown) == []
    assert result.violations == []
    assert result.after >= result.before


@pytest.mark.parametrize(("cv_path", "job_name"), CV_JOB_PAIRS)
def test_no_options_renders_the_same_cv(cv_path: str, job_name: str) -> None:
    profile, job = parse_cv(cv_text(cv_path)), fixture_job(job_name)
    result = tailor_cv(profile, job, [])
    assert result.applied == []
    again = parse_cv(result.markdown)
    assert result.after == result.before
    assert [(e.title, e.company, e.start, e.end, e.bullets) for e in again.experience] == [
        (e.title, e.company, e.start, e.end, e.bullets) for e in profile.experience]
    assert again.skill_ids == profile.skill_ids
    assert again.summary == profile.summary


def test_keywords_evidenced_in_other_words(maya: tuple[str, CandidateProfile,
                                                   JobPosting]) -> None:
    _, profile, job = maya
    options = {o.id: o for o in tailoring_options(profile, job)}
    kw = options["add_keywords"]
    assert "k8s (Kubernetes)" in kw.label
    assert "Postgres (PostgreSQL)" in kw.detail
    result = tailor_cv(profile, job, ["emphasise_skills", "add_keywords"])
    assert result.applied == ["emphasise_skills", "add_keywords"]
    md = result.markdown
    assert "k8s (Kubernetes)" in md and "Postgres (PostgreSQL)" in md
    assert result.after >= result.before
    # the summary now leads with the matched skills, in the job's order and the CV's words
    summary = md.split("## Summary\n", 1)[1].split("\n", 1)[0]
    assert summary.startswith("Skilled in k8s, Postgres, Terraform")
    # a skill the job wants and the CV lacks is never added
    assert "Grafana" not in md
    # under the ATS profile the job's own words count: measured, positive
    ats = {o.id: o for o in tailoring_options(
        profile, job, score=lambda p: score_match(p, job, profile_name="ats"))}
    assert ats["add_keywords"].impact > 0
    effect = ats["add_keywords"].effect
    assert effect is not None and effect.after.ats > effect.before.ats
    assert {"Kubernetes", "PostgreSQL"} <= set(effect.keywords_added)


def test_skills_section_leads_with_the_job_skills(maya: tuple[str, CandidateProfile,
                                                          JobPosting]) -> None:
    _, profile, job = maya
    md = tailor_cv(profile, job, ["emphasise_skills"]).markdown
    skills = md.split("## Skills\n", 1)[1].split("\n", 1)[0]
    assert skills.split(", ")[:3] == ["k8s", "Postgres", "Terraform"]
    assert skills.split(", ")[-2:] == ["Photoshop", "InDesign"]  # kept, in the CV's wording


def test_cv_without_headings() -> None:
    profile = parse_cv(cv_text("tests/fixtures/cvs/data_scientist_no_headings.txt"))
    job = fixture_job("data_scientist_no_sections.txt")
    result = tailor_cv(profile, job, ["emphasise_skills"])
    again = parse_cv(result.markdown)
    # the lead goes on the intro paragraph, which stays the summary
    assert again.summary is not None and again.summary.startswith("Skilled in ")
    assert again.summary.endswith(profile.summary or "")
    assert entries(again) == entries(profile)
    # the inline "Tools:" list is a skills section: reordered, in the CV's own wording
    tools = result.markdown.split("## Tools\n", 1)[1].split("\n", 1)[0]
    assert tools.startswith("Python, SQL, scikit-learn, pandas")
    assert set(tools.split(", ")) == set(
        "Python, R, SQL, pandas, scikit-learn, XGBoost, PyTorch, Airflow, Snowflake, Tableau, "
        "Git".split(", "))


def test_reorder_keeps_roles_in_order_unless_asked(
        maya: tuple[str, CandidateProfile, JobPosting]) -> None:
    _, profile, job = maya
    result = tailor_cv(profile, job, ["reorder_experience"])
    again = parse_cv(result.markdown)
    assert [e.title for e in again.experience] == [e.title for e in profile.experience]
    first = again.experience[0].bullets
    assert sorted(first) == sorted(profile.experience[0].bullets)
    asked = parse_cv(tailor_cv(profile, job, ["reorder_experience"],
                               keep_role_order=False).markdown)
    assert [e.title for e in asked.experience] == [
        "Platform Engineer", "DevOps Engineer", "Print Designer"]
    first = again.experience[0].bullets
    assert first[-1] == "Organised the office book club."
    assert first[0].startswith("Ran 40 k8s clusters")


def test_drop_irrelevant(maya: tuple[str, CandidateProfile, JobPosting]) -> None:
    _, profile, job = maya
    option = next(o for o in tailoring_options(profile, job) if o.id == "drop_irrelevant")
    assert "book club" in option.detail and "Photoshop" in option.detail
    md = tailor_cv(profile, job, ["drop_irrelevant"]).markdown
    assert "book club" not in md
    assert "Designed brochures for the summer sale.\n" not in md
    assert "Photoshop, InDesign" not in md.split("## Experience")[0]
    # the print role keeps its only bullet
    assert "Designed brochures for the summer sale in InDesign and Photoshop." in md


def test_empty_inputs(maya: tuple[str, CandidateProfile, JobPosting]) -> None:
    _, profile, job = maya
    assert tailoring_options(CandidateProfile(), job) == []
    empty = tailor_cv(CandidateProfile(), job, ["all"])
    assert empty.applied == [] and empty.violations == []
    # a posting with nothing in it gives nothing to emphasise, match or drop
    assert [o.id for o in tailoring_options(profile, JobPosting())] == []


def test_quantify_only_adds_notes(maya: tuple[str, CandidateProfile, JobPosting]) -> None:
    _, profile, job = maya
    plain = tailor_cv(profile, job, [])
    result = tailor_cv(profile, job, ["quantify_bullets"])
    assert result.markdown == plain.markdown
    assert any("Automated GCP project setup in Python." in n and "add a number" in n
               for n in result.notes)
    assert not any("35%" in n for n in result.notes)  # already quantified


def test_all_means_every_option_ticked_by_default(maya: tuple[str, CandidateProfile,
                                                            JobPosting]) -> None:
    _, profile, job = maya
    options = tailoring_options(profile, job)
    ticked = [o.id for o in options if o.default]
    assert "drop_irrelevant" in [o.id for o in options] and "drop_irrelevant" not in ticked
    result = tailor_cv(profile, job, ["all"])
    assert result.applied == ticked
    assert result.markdown == tailor_cv(profile, job, ticked).markdown
    assert "book club" in result.markdown  # "all" never drops content
    named = tailor_cv(profile, job, ["all", "drop_irrelevant"])
    assert named.applied == [*ticked, "drop_irrelevant"] and "book club" not in named.markdown


def test_unknown_option_is_a_clear_error(maya: tuple[str, CandidateProfile,
                                                   JobPosting]) -> None:
    _, profile, job = maya
    with pytest.raises(InvalidInputError) as err:
        tailor_cv(profile, job, ["emphasise_skills", "make_me_a_ceo"])
    assert "make_me_a_ceo" in str(err.value)
    assert "emphasise_skills" in str(err.value) and "all" in str(err.value)


def test_deterministic(felix: tuple[str, CandidateProfile, JobPosting]) -> None:
    _, profile, job = felix
    assert tailoring_options(profile, job) == tailoring_options(profile, job)
    a = tailor_cv(profile, job, ["all"])
    b = tailor_cv(parse_cv(profile.text), job, ["all"])
    assert a == b


def test_caller_overrides_apply_to_both_sides(maya: tuple[str, CandidateProfile,
                                                        JobPosting]) -> None:
    _, profile, job = maya
    moved = profile.model_copy(update={"remote_preference": "onsite", "total_years": 2.0})
    result = tailor_cv(moved, job, [])
    assert result.before == score_match(moved, job).score
    assert result.after == result.before


def test_profile_without_source_text() -> None:
    profile = CandidateProfile(
        personal=PersonalInfo(name="Ada Byrne", email="ada@example.com"),
        summary="Backend developer who likes boring, reliable services.",
        experience=[ExperienceEntry(title="Backend Developer", company="Quill Labs",
                                    start="2019-04", end="present",
                                    bullets=["Built Python APIs on Postgres.",
                                             "Ran the office quiz."])])
    job = fixture_job("backend_engineer_sections.txt")
    result = tailor_cv(profile, job, ["all"])
    again = parse_cv(result.markdown)
    assert [(e.title, e.company, e.start) for e in again.experience] == [
        ("Backend Developer", "Quill Labs", "2019-04")]
    assert "Postgres (PostgreSQL)" in result.markdown


# --------------------------------------------------------------------------- rewriters

LIES = ("Kubernetes", "10 years", "Google", "PhD", "increased revenue 45%")


class LyingRewriter:
    """Adds a different invented fact to every line it is given."""

    def __init__(self) -> None:
        self.outputs: list[tuple[str, str, str]] = []  # (section, input, output)

    def rewrite(self, *, section: str, text: str, job_title: str, keywords: list[str]) -> str:
        lie = LIES[len(self.outputs) % len(LIES)]
        base = text.rstrip(".")
        out = {
            "Kubernetes": f"{base}, running on Kubernetes.",
            "10 years": f"With 10 years of experience: {text}",
            "Google": f"{base} at Google.",
            "PhD": f"{base}, drawing on a PhD in distributed systems.",
            "increased revenue 45%": f"{base} and increased revenue 45%.",
        }[lie]
        self.outputs.append((section, text, out))
        return out


class HonestRewriter:
    """Rephrases with facts the CV already holds only."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, list[str]]] = []

    def rewrite(self, *, section: str, text: str, job_title: str, keywords: list[str]) -> str:
        self.calls.append((section, keywords))
        if section == "summary":
            return ("Backend engineer working in Python, Go and PostgreSQL who enjoys untangling "
                    "legacy systems and mentoring engineers.")
        out = text.replace("Mentored four engineers", "Mentored 4 engineers")
        out = out.replace("Led the migration", "Drove the move")
        return out.replace(" with Redis caching", ", using Redis for caching")


def test_lying_rewriter_is_caught_and_reverted(felix: tuple[str, CandidateProfile,
                                                            JobPosting]) -> None:
    text, profile, job = felix
    assert "kubernetes" not in text.lower() and "phd" not in text.lower()
    liar = LyingRewriter()
    result = tailor_cv(profile, job, ["all"], rewriter=liar)
    assert len(liar.outputs) >= len(LIES)
    md = result.markdown
    for section, given, output in liar.outputs:
        assert output not in md  # every lie is gone …
        hits = [v for v in result.violations if v.line == output]
        assert hits, output  # … and reported
        assert all(v.reverted_to == given for v in hits)
        if section == "bullet":
            assert f"- {given}" in md  # … and the line put back as it was
    kinds = {v.kind for v in result.violations}
    assert {"skill", "number", "employer", "degree"} <= kinds
    terms = {v.term for v in result.violations}
    assert {"Kubernetes", "10", "Google", "PhD", "45%"} <= terms
    for v in result.violations:
        assert v.term in v.reason
    for needle in ("Kubernetes", "10 years", "at Google", "PhD", "45%"):
        assert needle not in md
    assert check_invention(text, md) == []
    assert any("put back" in n for n in result.notes)
    assert not any("{" in n for n in result.notes)  # every note is formatted
    # the tailored CV still parses to the same roles, and scores as without the liar
    assert entries(parse_cv(md)) == entries(profile)
    assert result.after == tailor_cv(profile, job, ["all"]).after


def test_honest_rewriter_passes() -> None:
    text = cv_text("tests/fixtures/cvs/senior_backend_engineer.txt")
    profile, job = parse_cv(text), fixture_job("backend_engineer_sections.txt")
    honest = HonestRewriter()
    result = tailor_cv(profile, job, ["emphasise_skills"], rewriter=honest)
    assert result.violations == []
    md = result.markdown
    assert "Mentored 4 engineers" in md and "Drove the move" in md
    assert "using Redis for caching" in md
    assert "Backend engineer working in Python, Go and PostgreSQL" in md
    assert check_invention(text, md) == []
    # the rewriter gets the job's title and only skills the CV has
    assert honest.calls[0][0] == "summary"
    assert all(k != "Terraform" or "Terraform" in text for _, ks in honest.calls for k in ks)
    assert entries(parse_cv(md)) == entries(profile)


class HeadingRewriter:
    """No new facts, but bullets that read as a new section heading ("Education: …")."""

    def rewrite(self, *, section: str, text: str, job_title: str, keywords: list[str]) -> str:
        return f"Education: {text}" if section == "bullet" else text


def test_rewrites_that_change_the_roles_are_not_used() -> None:
    text = cv_text("tests/fixtures/cvs/senior_backend_engineer.txt")
    profile, job = parse_cv(text), fixture_job("backend_engineer_sections.txt")
    result = tailor_cv(profile, job, ["emphasise_skills"], rewriter=HeadingRewriter())
    assert entries(parse_cv(result.markdown)) == entries(profile)
    assert result.markdown == tailor_cv(profile, job, ["emphasise_skills"]).markdown
    assert any("were not used" in n for n in result.notes)


class BrokenRewriter:
    def rewrite(self, *, section: str, text: str, job_title: str, keywords: list[str]) -> str:
        raise TimeoutError("model unreachable")


def test_failing_rewriter_keeps_the_deterministic_cv(
        maya: tuple[str, CandidateProfile, JobPosting]) -> None:
    _, profile, job = maya
    result = tailor_cv(profile, job, ["all"], rewriter=BrokenRewriter())
    assert result.markdown == tailor_cv(profile, job, ["all"]).markdown
    assert any("rewriter failed" in n for n in result.notes)


# --------------------------------------------------------------------------- check_invention

ORIGINAL = """Daniel Okafor
Senior Backend Engineer
Summary
Backend engineer with nine years of experience in Python and Go.
Experience
Senior Backend Engineer - Northwind Logistics (Jan 2020 - Present)
- Ran k8s clusters; cut p95 latency by 8% and saved $40k a year.
- Mentored four engineers.
Backend Engineer, Bluebell Payments
Mar 2016 - Dec 2019
Education
BSc Computer Science, University of Leeds, 2014
"""


def kinds(tailored: str) -> set[tuple[str, str]]:
    return {(v.kind, v.term) for v in check_invention(ORIGINAL, tailored)}


def test_check_invention_skills() -> None:
    # compared with the CV's text: another wording passes only beside the CV's own
    assert kinds("Ran k8s (Kubernetes) clusters.") == set()
    assert kinds("Ran Kubernetes clusters.") == {("skill", "Kubernetes")}
    assert kinds("Built pipelines in Rust and Python.") == {("skill", "Rust")}


def test_check_invention_compares_words_not_canonical_ids() -> None:
    original = ("Ana Diaz\nSkills\nJava, Spring Boot Starter Data JPA, OOP\nExperience\n"
                "Developer | Acme | 2020 - Present\n- Built REST API endpoints, collaborating "
                "with QA.\n")
    found = {(v.kind, v.term) for v in check_invention(
        original, "Skilled in Hibernate, object oriented programming, Quality assurance and "
                  "API design.")}
    assert found == {("skill", "Hibernate"), ("skill", "object oriented programming"),
                     ("skill", "Quality assurance"), ("skill", "API design")}
    assert check_invention(original, "Skilled in Java, JPA, OOP and REST API.") == []


def test_check_invention_employers() -> None:
    assert kinds("Engineer at Northwind Logistics.") == set()
    assert kinds("Cut costs at Google.") == {("employer", "Google")}
    assert kinds("Consulted for Initech Inc.") == {("employer", "Initech Inc")}


def test_check_invention_titles() -> None:
    assert kinds("Worked as a Senior Backend Engineer.") == set()
    assert kinds("Mentored engineers.") == set()
    assert kinds("Promoted to Head of Engineering.") == {("title", "Head of Engineering")}
    assert kinds("Staff Backend Engineer with Python.") == {("title", "Staff Backend Engineer")}


def test_check_invention_degrees() -> None:
    assert kinds("Bachelor's degree in Computer Science.") == set()  # BSc = bachelor
    assert kinds("MSc Computer Science, University of Leeds") == {("degree", "MSc")}
    assert kinds("Holds a PhD.") == {("degree", "PhD")}


def test_check_invention_dates() -> None:
    assert kinds("Since January 2020 at Northwind Logistics.") == set()
    assert kinds("Engineer since 2012.") == {("date", "2012")}
    assert kinds("Feb 2016 - Dec 2019") == {("date", "Feb 2016")}


def test_check_invention_numbers() -> None:
    assert kinds("Mentored 4 engineers; 9 years of Python.") == set()  # four = 4, nine = 9
    assert kinds("Saved $40,000 a year; latency down 8 percent.") == set()
    assert kinds("Cut p95 latency by 45%.") == {("number", "45%")}
    assert kinds("Saved $2M a year.") == {("number", "$2M")}
    assert kinds("With 10 years of experience.") == {("number", "10")}
    assert kinds("Cut p99 latency.") == {("number", "p99")}
    assert kinds("Saved $8 a year.") == {("number", "$8")}  # 8% is not $8


def test_check_invention_reports_the_line_and_a_reason() -> None:
    found = check_invention(ORIGINAL, "## Summary\nGreat at Go.\n- Led Terraform work at Acme")
    assert {v.term for v in found} == {"Terraform", "Acme"}
    for v in found:
        assert v.line == "- Led Terraform work at Acme"
        assert v.reverted_to is None
        assert v.reason == f"“{v.term}” is not in your original CV"


# --------------------------------------------------------------------------- DOCX


def test_to_docx_opens_with_headings_and_bullets(
        maya: tuple[str, CandidateProfile, JobPosting]) -> None:
    _, profile, job = maya
    # emphasise_skills named: "all" keeps only options with a measured gain, and the skills
    # line it writes is what this test reads
    result: TailoredCV = tailor_cv(profile, job, ["all", "emphasise_skills"])
    data = to_docx(result.markdown + "\nA **bold** claim.\n")
    document = docx.Document(io.BytesIO(data))
    paras = document.paragraphs
    headings = [p.text for p in paras if p.style.name == "Heading 1"]
    assert headings == ["Summary", "Skills", "Experience", "Education"]
    assert paras[0].text == "Maya Lindqvist" and paras[0].style.name == "Title"
    bullets = [p.text for p in paras if p.style.name == "List Bullet"]
    assert "Ran 40 k8s clusters across three regions with Terraform." in bullets
    assert any(p.text.startswith("k8s (Kubernetes), Postgres (PostgreSQL)") for p in paras)
    assert not any(p.text.startswith(("#", "- ")) or p.text.endswith("  ") for p in paras)
    entry = next(p for p in paras if p.text.startswith("Platform Engineer | Fjordline"))
    assert all(r.bold for r in entry.runs)
    bold = next(p for p in paras if p.text == "A bold claim.")
    assert [r.bold for r in bold.runs] == [None, True, None]

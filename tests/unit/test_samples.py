"""Tests for the synthetic sample-data generator (store/samples/generate.py)."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from store.samples.generate import (
    OCCUPATIONS,
    RELATED_OCCUPATIONS,
    SENIORITIES,
    generate_cvs,
    generate_jobs,
    relevance,
    to_latin1,
    write_bundle,
)

BUNDLE = Path(__file__).resolve().parents[2] / "store" / "samples"


@pytest.fixture(scope="module")
def jobs() -> list[dict]:
    return generate_jobs(400, seed=0)


@pytest.fixture(scope="module")
def cvs() -> list[dict]:
    return generate_cvs(170, seed=0)


def test_deterministic_in_memory() -> None:
    assert json.dumps(generate_jobs(60, seed=3)) == json.dumps(generate_jobs(60, seed=3))
    assert json.dumps(generate_cvs(40, seed=3)) == json.dumps(generate_cvs(40, seed=3))
    assert generate_jobs(20, seed=1) != generate_jobs(20, seed=2)


def test_bundle_is_byte_identical(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    sizes = write_bundle(a, seed=0, n_jobs=40)
    write_bundle(b, seed=0, n_jobs=40)
    assert len(sizes) >= 3 and all(n > 0 for n in sizes.values()), sizes
    for rel in sizes:
        assert (a / rel).read_bytes() == (b / rel).read_bytes(), rel


def test_counts_and_prefix_stability() -> None:
    assert len(generate_jobs(0)) == 0
    assert len(generate_jobs(7)) == 7
    assert len(generate_cvs(13)) == 13
    assert generate_jobs(10, seed=0) == generate_jobs(30, seed=0)[:10]


def test_coverage(jobs: list[dict], cvs: list[dict]) -> None:
    assert len(OCCUPATIONS) >= 25
    assert {j["occupation"] for j in jobs} == set(OCCUPATIONS)
    assert {c["occupation"] for c in cvs} == set(OCCUPATIONS)
    assert {j["seniority"] for j in jobs} == set(SENIORITIES)
    assert {c["seniority"] for c in cvs} == set(SENIORITIES)


def test_job_fields(jobs: list[dict]) -> None:
    ids = set()
    for j in jobs:
        for key in ("title", "company", "description", "location", "url", "external_id"):
            assert isinstance(j[key], str) and j[key].strip(), key
        assert j["source"] == "sample"
        assert j["url"].startswith("https://jobs.example.com/")
        assert j["remote"] in {"remote", "hybrid", "onsite"}
        assert j["employment_type"] in {"full_time", "part_time", "contract", "temporary",
                                        "internship", "freelance"}
        assert "2026-10-01" <= j["posted_date"] <= "2026-11-20"
        assert 1500 <= len(j["description"]) <= 4000
        assert j["requirements"] and j["skills"]
        assert j["salary"] is None or isinstance(j["salary"], str)
        ids.add(j["external_id"])
    assert len(ids) == len(jobs)


def test_salary_formats_vary(jobs: list[dict]) -> None:
    salaries = [j["salary"] for j in jobs]
    assert any(s is None for s in salaries)
    texts = [s for s in salaries if s]
    assert any(s.startswith("$") and "K" in s for s in texts)
    assert any("£" in s and "per annum" in s for s in texts)
    assert any("€" in s for s in texts)
    assert any("/hr" in s or "hour" in s for s in texts)
    assert any(s.lower().startswith("up to") for s in texts)
    assert any("CAD" in s or "CA$" in s for s in texts)


def test_descriptions_not_near_duplicates(jobs: list[dict]) -> None:
    def shingles(text: str) -> set[str]:
        words = re.findall(r"\w+", text.lower())
        return {" ".join(words[i:i + 5]) for i in range(len(words) - 4)}

    sample = [shingles(j["description"]) for j in jobs[:120]]
    worst = 0.0
    for i in range(len(sample)):
        for k in range(i + 1, len(sample)):
            inter = len(sample[i] & sample[k])
            worst = max(worst, inter / max(1, len(sample[i] | sample[k])))
    assert worst < 0.6


def test_description_structure_varies(jobs: list[dict]) -> None:
    descs = [j["description"] for j in jobs]
    assert any("Nice to have" in d or "NICE TO HAVE" in d for d in descs)
    assert any(re.search(r"\d\+ years", d) for d in descs)
    assert any("minimum of" in d.lower() for d in descs)
    assert any("\n- " not in d and "\n• " not in d and "\n* " not in d and "\n1. " not in d
               for d in descs)  # prose postings without bullets


def test_cvs_realistic(cvs: list[dict]) -> None:
    for c in cvs:
        assert set(c) == {"id", "occupation", "seniority", "text"}
        assert "@example.com" in c["text"]
        assert "555" in c["text"]
        # mentions most of the occupation's core skills (any surface form)
        core = OCCUPATIONS[c["occupation"]]["core"]
        low = c["text"].lower()
        hits = sum(any(form.lower() in low for form in s.split("|")) for s in core)
        assert hits >= len(core) // 2, (c["id"], hits)
    texts = "\n".join(c["text"] for c in cvs)
    assert "Present" in texts and " to " in texts
    assert re.search(r"\d{2}/\d{4}", texts)
    assert "WORK EXPERIENCE" in texts or "PROFESSIONAL EXPERIENCE" in texts
    assert "Employment History" in texts or "EMPLOYMENT HISTORY" in texts


def test_relevance_labels(cvs: list[dict], jobs: list[dict]) -> None:
    cv = {"occupation": "backend_engineer", "seniority": "senior"}
    assert relevance(cv, {"occupation": "backend_engineer", "seniority": "lead"}) == 2
    assert relevance(cv, {"occupation": "backend_engineer", "seniority": "intern"}) == 1
    assert relevance(cv, {"occupation": "fullstack_engineer", "seniority": "senior"}) == 1
    assert relevance(cv, {"occupation": "chef", "seniority": "senior"}) == 0
    for occ, rel in RELATED_OCCUPATIONS.items():
        assert occ not in rel
        for other in rel:
            assert occ in RELATED_OCCUPATIONS[other]
    labels = [relevance(c, j) for c in cvs[:30] for j in jobs]
    assert labels.count(2) > 0 and labels.count(1) > 0
    assert labels.count(0) > labels.count(1) + labels.count(2)


def test_latin1_transliteration() -> None:
    assert to_latin1("2019 – 2021 • €50k “ok”").encode("latin-1")


def test_bundled_files_open() -> None:
    from docx import Document
    from pypdf import PdfReader

    jobs = json.loads((BUNDLE / "jobs.json").read_text(encoding="utf-8"))
    assert len(jobs) == 320
    assert jobs == generate_jobs(320, seed=0)
    for name in ("jobs.jsonl", "cvs.jsonl"):
        lines = (BUNDLE / name).read_text(encoding="utf-8").splitlines()
        assert lines and all(set(json.loads(ln)) == {"id", "text"} for ln in lines)
    cv_dir = BUNDLE / "cvs"
    assert len(list(cv_dir.glob("*.txt"))) == 2
    docx_files = sorted(cv_dir.glob("*.docx"))
    assert len(docx_files) == 2
    tables = 0
    for path in docx_files:
        doc = Document(io.BytesIO(path.read_bytes()))
        text = "\n".join(p.text for p in doc.paragraphs)
        assert "@example.com" in text and len(text) > 500
        tables += len(doc.tables)
    assert tables >= 1
    pdfs = list(cv_dir.glob("*.pdf"))
    assert len(pdfs) == 1
    pdf_text = "".join(p.extract_text() for p in PdfReader(pdfs[0]).pages)
    assert "@example.com" in pdf_text and len(pdf_text) > 500
    total = sum(p.stat().st_size for p in BUNDLE.rglob("*") if p.is_file())
    assert total < 1_500_000

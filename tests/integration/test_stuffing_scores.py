"""Keyword stuffing does not pay: the deterministic engine (parse_cv, parse_job, score_match with
the static embedder) gives a stuffed posting or CV no more than its honest version."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from store.ingest.markup import html_to_text
from store.static_embeddings import StaticEmbedder
from tools.parsing.cv import parse_cv
from tools.parsing.job import parse_job
from tools.scoring import cv_embedding_text, job_embedding_text, score_match

ROOT = Path(__file__).resolve().parents[2]
CV = (ROOT / "store" / "samples" / "cvs" / "backend_engineer_senior.txt").read_text()
#: The CV's own skills: what a stuffer aiming at this profile writes.
KEYWORDS = ["Backend development", "Java", "SQL", "PostgreSQL", "REST APIs", "Docker",
            "Microservices", "Google Cloud", "AWS", "Helm", "TypeScript", "gRPC", "Kafka",
            "Spring Boot", "Kubernetes"]


@pytest.fixture(scope="module")
def embedder() -> StaticEmbedder:
    emb = StaticEmbedder()
    emb.load()
    return emb


@pytest.fixture(scope="module")
def job() -> dict[str, object]:
    """A sample posting this CV fits moderately (about 70): room for stuffing to gain."""
    for rec in json.loads((ROOT / "store" / "samples" / "jobs.json").read_text()):
        if rec["external_id"] == "sample-0-00016":
            return dict(rec)
    raise AssertionError("sample changed")


def _score(embedder: StaticEmbedder, job: dict[str, object] | str, cv: str = CV) -> int:
    profile, posting = parse_cv(cv), parse_job(job)
    a, b = embedder.embed([cv_embedding_text(profile), job_embedding_text(posting)])
    return score_match(profile, posting, cv_vector=a, job_vector=b,
                       calibration=embedder.calibration).score


def _with(job: dict[str, object], extra: str) -> dict[str, object]:
    return {**job, "description": f"{job['description']}\n{extra}"}


def _tagged(text: str) -> str:
    return "".join(chr(0xE0000 + ord(c)) for c in text)


def test_hidden_keywords_in_a_posting_do_not_pay(embedder: StaticEmbedder,
                                                 job: dict[str, object]) -> None:
    clean = _score(embedder, job)
    block = " ".join(KEYWORDS * 10)
    html = html_to_text(f"<p>{job['description']}</p><div style=\"display:none\">{block}</div>"
                        f"<p><span style=\"color:#ffffff\">{block}</span></p>")
    assert _score(embedder, {**job, "description": html}) == clean
    assert _score(embedder, _with(job, _tagged(block))) == clean
    assert _score(embedder, _with(job, "\u200b".join(KEYWORDS * 5))) <= clean


def test_repeating_keywords_in_a_posting_does_not_pay(embedder: StaticEmbedder,
                                                      job: dict[str, object]) -> None:
    once = _score(embedder, _with(job, ", ".join(KEYWORDS)))
    assert _score(embedder, _with(job, " ".join(KEYWORDS * 30))) <= once
    assert _score(embedder, _with(job, "\n".join([", ".join(KEYWORDS)] * 30))) <= once
    assert _score(embedder, _with(job, ", ".join(KEYWORDS * 30))) <= once
    stuffed_skills = {**job, "skills": KEYWORDS * 40}
    assert _score(embedder, stuffed_skills) <= _score(embedder, {**job, "skills": KEYWORDS})


def test_a_hidden_keyword_block_in_a_cv_does_not_pay(embedder: StaticEmbedder,
                                                     job: dict[str, object]) -> None:
    clean = _score(embedder, job)
    block = ", ".join(["React", "Node.js", "Next.js", "Rails", "CI/CD", "Git"] * 10)
    assert _score(embedder, job, CV + "\n" + _tagged(block)) == clean
    assert _score(embedder, job, CV + "\n" + "\u2060".join(block.split(", "))) <= clean

    import docx
    from docx.shared import RGBColor

    from tools.parsing.text import extract_text_from_bytes

    def as_docx(hidden: str | None) -> str:
        document = docx.Document()
        for line in CV.splitlines():
            document.add_paragraph(line)
        if hidden:
            document.add_paragraph().add_run(hidden).font.hidden = True
            white = document.add_paragraph().add_run(hidden)
            white.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
        buf = io.BytesIO()
        document.save(buf)
        return extract_text_from_bytes(buf.getvalue(), "cv.docx")

    honest = _score(embedder, job, as_docx(None))
    assert _score(embedder, job, as_docx(block)) == honest


def test_repeating_keywords_in_a_cv_does_not_pay(embedder: StaticEmbedder,
                                                 job: dict[str, object]) -> None:
    terms = ["React", "Node.js", "Next.js", "Rails", "CI/CD", "Git"]
    once = _score(embedder, job, CV + "\n" + ", ".join(terms))
    assert _score(embedder, job, CV + "\n" + " ".join(terms * 30)) <= once
    # a list line is kept twice (a real CV may list its skills in a summary and a skills
    # section: the engine credits that), never more
    twice = _score(embedder, job, CV + "\n" + "\n".join([", ".join(terms)] * 2))
    assert twice <= once + 1
    assert _score(embedder, job, CV + "\n" + "\n".join([", ".join(terms)] * 30)) <= twice

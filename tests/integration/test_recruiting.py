"""Candidate pools on a real store: bulk add with broken files, privacy between recruiters,
ranking a stored job, blind until opened, decisions, forget me."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from agent.recruiting import Recruiting
from agent.service import JobfitService
from store.candidates import CandidateNotFoundError, CandidateRepo
from store.users import UserRepo
from tests.integration.agent_store import build_store, sample_jobs
from tools.candidates import read_candidate
from tools.errors import InvalidInputError
from tools.parsing.cv import parse_cv

ROOT = Path(__file__).resolve().parents[2]
CVS = [p.read_text() for p in sorted((ROOT / "tests" / "fixtures" / "cvs").glob("*.txt"))]
with (ROOT / "store" / "samples" / "cvs.jsonl").open() as _fh:
    CVS += [json.loads(line)["text"] for line in _fh if line.strip()][:10]


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JobfitService]:
    svc = build_store(tmp_path_factory.mktemp("rec") / "data")
    yield svc
    svc.engine.dispose()


def _backend_ref() -> str:
    for job in sample_jobs():
        if job["title"] == "Sr. Software Engineer, Backend":
            return str(job["external_id"])
    raise AssertionError("sample changed")


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_bulk_add_reports_failures_and_skips_duplicates(service: JobfitService) -> None:
    desk = Recruiting(service)
    files = [(f"cv{i}.txt", t.encode()) for i, t in enumerate(CVS[:6])]
    files += [("broken.pdf", b"%PDF-1.7 garbage"), ("empty.txt", b""),
              ("again.txt", CVS[0].encode()),  # the same CV under another name
              ("more.zip", _zip({"a.txt": CVS[6].encode(), "../x.txt": CVS[7].encode(),
                                 "bomb.txt": b"0" * (12 * 1024 * 1024)}))]
    done: list[tuple[int, int]] = []
    summary = desk.add("rita", files=files, progress=lambda d, n: done.append((d, n)))
    assert summary.added == 7 and summary.duplicates == 1
    assert summary.failed == 4 and summary.pool_size == 7
    assert {e["file"] for e in summary.errors} == {"broken.pdf", "empty.txt", "../x.txt",
                                                   "bomb.txt"}
    assert done[-1][0] == done[-1][1] == summary.total == 12
    again = desk.add("rita", files=files[:2])
    assert again.added == 0 and again.duplicates == 2 and again.pool_size == 7


def test_pools_are_private_to_their_recruiter(service: JobfitService) -> None:
    desk = Recruiting(service)
    desk.add("rita2", files=[("a.txt", CVS[0].encode()), ("b.txt", CVS[1].encode())])
    desk.add("sam2", files=[("c.txt", CVS[2].encode()), ("a.txt", CVS[0].encode())])
    rita = {r["label"] for r in desk.list("rita2")}
    sam = {r["label"] for r in desk.list("sam2")}
    assert len(rita) == len(sam) == 2 and len(rita & sam) == 1  # same CV, separate rows
    rita_ids = {r["id"] for r in desk.list("rita2")}
    only_rita = next(iter({r["label"] for r in desk.list("rita2")} - sam))
    with pytest.raises(CandidateNotFoundError):
        desk.open("sam2", only_rita)
    for cid in rita_ids:
        with pytest.raises(CandidateNotFoundError):
            desk.pool.find("sam2", str(cid))
        with pytest.raises(CandidateNotFoundError):
            desk.remove("sam2", str(cid))
    _, rows = desk.rank("sam2", _backend_ref())
    assert {r.candidate.cv_id for r in rows} == sam
    desk.remove("rita2", only_rita)
    assert len(desk.list("rita2")) == 1 and len(desk.list("sam2")) == 2


def test_ranking_a_stored_job_is_blind_until_opened(service: JobfitService) -> None:
    desk = Recruiting(service)
    desk.add("rosa", files=[(f"cv{i}.txt", t.encode()) for i, t in enumerate(CVS)])
    out = desk.ranking("rosa", _backend_ref(), top=5)
    assert out["kind"] == "candidate_ranking" and len(out["candidates"]) == 5
    dumped = json.dumps(out)
    names = [parse_cv(t).personal.name for t in CVS]
    assert all(n and n not in dumped for n in names) and "@" not in dumped
    scores = [c["score"] for c in out["candidates"]]
    assert scores == sorted(scores, reverse=True)
    first = out["candidates"][0]
    assert first["strongest"] and first["confidence"] is not None
    # the pool's score equals a fresh read of the same CV (stored features, same engine)
    stored, rows = desk.rank("rosa", _backend_ref(), top=1)
    label = rows[0].candidate.cv_id
    rec = desk.pool.find("rosa", label)
    fresh = read_candidate(rec.text)
    fresh.vector = rows[0].candidate.vector
    from tools.candidates import rank_candidates

    again = rank_candidates(stored.posting, [fresh], job_vector=service._job_vectors(
        [stored]).get(stored.id), calibration=service.calibration)
    assert again[0].score == rows[0].score
    opened = desk.open("rosa", label)
    assert opened["name"] and opened["email"] and opened["name"] in CVS_BY_NAME()
    after = desk.ranking("rosa", _backend_ref(), top=5)
    assert after["candidates"][0]["label"] == opened["name"]
    assert after["candidates"][1]["label"].startswith("C-")
    cmp = desk.compare("rosa", _backend_ref(), ["1", "2", "3"])
    assert [c.rank for c in cmp.candidates] == [1, 2, 3]
    with pytest.raises(InvalidInputError):
        desk.compare("rosa", _backend_ref(), ["1"])


def CVS_BY_NAME() -> set[str]:  # noqa: N802
    return {str(parse_cv(t).personal.name) for t in CVS}


def test_decisions_with_notes_per_job(service: JobfitService) -> None:
    desk = Recruiting(service)
    desk.add("vera", files=[("a.txt", CVS[0].encode()), ("b.txt", CVS[1].encode())])
    label = desk.list("vera")[0]["label"]
    out = desk.decide("vera", label, "shortlist", job_ref=_backend_ref(), note="strong APIs")
    assert out["status"] == "shortlisted" and out["note"] == "strong APIs"
    out = desk.decide("vera", label, "interview", job_ref=_backend_ref())
    assert out["status"] == "interview" and out["note"] == "strong APIs"  # note kept
    other = desk.list("vera")[1]["label"]
    desk.decide("vera", other, "reject", job_ref=_backend_ref(), note="no Java")
    got = {d["label"]: d for d in desk.decisions("vera", job_ref=_backend_ref())}
    assert got[label]["status"] == "interview" and got[other]["status"] == "rejected"
    ranking = desk.ranking("vera", _backend_ref())
    assert {c["status"] for c in ranking["candidates"]} == {"interview", "rejected"}
    with pytest.raises(InvalidInputError):
        desk.decide("vera", label, "hire", job_ref=_backend_ref())
    assert desk.decisions("nobody") == []


def test_repo_isolation_and_forget(engine: Engine) -> None:
    repo = CandidateRepo(engine)
    users = UserRepo(engine)
    ana = users.create("ana")
    bob = users.create("bob")
    cand = read_candidate(CVS[0])
    repo.add_many(ana.id, [(cand, CVS[0])])
    repo.add_many(bob.id, [(cand, CVS[0])])
    rec = repo.find(ana.id, cand.cv_id)
    repo.set_status(ana.id, cand.cv_id, "job:1", "shortlisted", "note")
    assert len(repo.statuses(ana.id)) == 1 and repo.statuses(bob.id) == []
    assert users.delete_all(ana.id, keep_user=True)["candidates"] == 1
    assert repo.list(ana.id) == [] and repo.statuses(ana.id) == []
    assert len(repo.list(bob.id)) == 1
    with pytest.raises(CandidateNotFoundError):
        repo.find(bob.id, str(rec.id))

"""Recruiter direction: blind screening, bulk reading with broken files, ranking, comparison."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from tests.fakes import BagOfWordsEmbedder
from tools.blind import neutral_text
from tools.candidate_compare import compare_rows, comparison_csv, comparison_markdown
from tools.candidate_files import (
    ArchiveError,
    ArchiveLimits,
    CandidateFile,
    FileFailure,
    read_folder,
    read_uploads,
    read_zip,
)
from tools.candidates import (
    Candidate,
    cv_embedding_texts,
    rank_candidates,
    read_candidate,
    reveal,
)
from tools.errors import InvalidInputError
from tools.parsing.cv import parse_cv
from tools.parsing.job import parse_job
from tools.preparation import prepare_profile
from tools.scoring import job_embedding_text, score_many

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
SAMPLES = ROOT / "store" / "samples"


def _cv_texts() -> list[str]:
    texts = [p.read_text() for p in sorted((FIXTURES / "cvs").glob("*.txt"))]
    with (SAMPLES / "cvs.jsonl").open() as fh:
        texts += [json.loads(line)["text"] for line in fh if line.strip()]
    return texts


CV_TEXTS = _cv_texts()
JOBS = [parse_job(p.read_text()) for p in sorted((FIXTURES / "jobs").glob("*.txt"))]
EMBEDDER = BagOfWordsEmbedder()
JOB_VECTORS = EMBEDDER.embed([job_embedding_text(j) for j in JOBS])


def _scores(text: str) -> list[float]:
    """Every job's score of a CV read for a pool (neutral text, semantic factor on)."""
    cand = read_candidate(text)
    cand.vector = EMBEDDER.embed(cv_embedding_texts([cand]))[0]
    return [rank_candidates(job, [cand], job_vector=jv, explain=0,
                            calibration=EMBEDDER.calibration)[0].value
            for job, jv in zip(JOBS, JOB_VECTORS, strict=True)]


def _with_line(text: str, line: str, after: int = 1) -> str:
    lines = text.split("\n")
    return "\n".join(lines[:after] + [line] + lines[after:])


# --------------------------------------------------------------------------- invariance


@pytest.mark.parametrize("text", CV_TEXTS, ids=[t.split("\n")[0][:24] for t in CV_TEXTS])
def test_name_pronoun_and_birth_date_never_move_a_score(text: str) -> None:
    name = parse_cv(text).personal.name
    assert name, "every fixture CV names its person"
    other_name = text.replace(name, "Zelda Okonkwo-Smith").replace(
        name.upper(), "ZELDA OKONKWO-SMITH")
    assert other_name != text
    he = _with_line(text, "He is reliable; his colleagues trust him and he mentors them.", 2)
    she = _with_line(text, "She is reliable; her colleagues trust her and she mentors them.", 2)
    born_a = _with_line(text, "Date of birth: 14/03/1962 | Gender: female | Age: 64")
    born_b = _with_line(text, "Date of birth: 02/11/1999 | Gender: male | Age: 27")
    dob_a = _with_line(text, "DOB 1962-03-14")
    dob_b = _with_line(text, "DOB 1999-11-02")
    base = _scores(text)
    assert _scores(other_name) == base
    assert _scores(he) == _scores(she)
    assert _scores(born_a) == _scores(born_b)
    assert _scores(dob_a) == _scores(dob_b)


def test_neutral_text_removes_identity_and_keeps_the_work() -> None:
    text = (FIXTURES / "cvs" / "senior_backend_engineer.txt").read_text()
    text = _with_line(text, "Date of birth: 14 March 1962 | Nationality: British | Mr. Okafor")
    out = neutral_text(text, parse_cv(text).personal)
    for gone in ("Daniel Okafor", "daniel.okafor@example.com", "+44 7700 900123",
                 "github.com/dokafor-dev", "1962", "British"):
        assert gone not in out
    for kept in ("Manchester", "Senior Backend Engineer", "Kubernetes", "Photography"
                 if "Photography" in text else "PostgreSQL"):
        assert kept in out
    assert neutral_text("Photography teacher\nChildren's nurse\nAddressed complaints") == (
        "Photography teacher\nChildren's nurse\nAddressed complaints")
    assert "Leeds" in neutral_text("Address: 1 Main Street\nLeeds, UK | Female | 34 years old")
    assert "Main Street" not in neutral_text("Address: 1 Main Street\nLeeds, UK")


def test_stored_features_score_exactly_like_a_fresh_profile() -> None:
    for text in CV_TEXTS[:12]:
        cand = read_candidate(text)
        assert cand.features is not None
        fresh = score_many(prepare_profile(cand.profile), JOBS)
        assert score_many(cand.prepared(), JOBS) == fresh


# --------------------------------------------------------------------------- reading


def _zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_a_folder_with_broken_files_reads_the_good_ones(tmp_path: Path) -> None:
    good = (FIXTURES / "cvs" / "registered_nurse.txt").read_text()
    (tmp_path / "good.txt").write_text(good)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "also_good.md").write_text(CV_TEXTS[1])
    (tmp_path / "corrupt.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf")
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 not a docx")
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n")
    (tmp_path / ".hidden.txt").write_text(good)
    out = list(read_folder(tmp_path))
    ok = {r.name for r in out if isinstance(r, CandidateFile)}
    failed = {r.name: r.reason for r in out if isinstance(r, FileFailure)}
    assert ok == {"good.txt", "sub/also_good.md"}
    assert set(failed) == {"corrupt.pdf", "broken.docx", "empty.txt", "photo.png"}
    assert "PDF" in failed["corrupt.pdf"] and "no text" in failed["empty.txt"]
    assert "not a CV file" in failed["photo.png"]
    for reason in failed.values():
        assert "Okafor" not in reason and good[:40] not in reason


def test_zip_bombs_traversal_and_nested_archives_are_refused(tmp_path: Path) -> None:
    bomb = b"0" * (20 * 1024 * 1024)  # compresses ~1000:1
    data = _zip({"cv.txt": CV_TEXTS[0].encode(), "../escape.txt": CV_TEXTS[1].encode(),
                 "/abs.txt": CV_TEXTS[1].encode(), "bomb.txt": bomb,
                 "inner.zip": _zip({"x.txt": b"x"}), "notes.exe": b"MZ"})
    path = tmp_path / "cvs.zip"
    path.write_bytes(data)
    out = {r.name: r for r in read_zip(path, max_bytes=50 * 1024 * 1024)}
    assert isinstance(out["cv.txt"], CandidateFile)
    for name in ("../escape.txt", "/abs.txt"):
        assert isinstance(out[name], FileFailure) and "unsafe path" in out[name].reason
    assert isinstance(out["bomb.txt"], FileFailure) and "zip bomb" in out["bomb.txt"].reason
    assert "inside the archive" in out["inner.zip"].reason  # type: ignore[union-attr]
    assert "not a CV file" in out["notes.exe"].reason  # type: ignore[union-attr]
    assert not (tmp_path.parent / "escape.txt").exists()
    # the member is larger than the per-file limit: refused before it is decompressed
    small = list(read_zip(path, max_bytes=1024 * 1024))
    assert any(isinstance(r, FileFailure) and r.name == "bomb.txt" for r in small)
    # the archive as a whole: too many entries, too much in total
    with pytest.raises(ArchiveError, match="entries"):
        list(read_zip(path, archive=ArchiveLimits(max_members=3)))
    with pytest.raises(ArchiveError, match="unpacks to"):
        list(read_zip(path, archive=ArchiveLimits(max_total_bytes=1024 * 1024)))
    (tmp_path / "bad.zip").write_bytes(b"PK\x05\x06 nope")
    with pytest.raises(ArchiveError, match="not a readable ZIP"):
        list(read_zip(tmp_path / "bad.zip"))


def test_uploads_mix_files_and_zips_and_report_each_failure() -> None:
    out = list(read_uploads([
        ("a.txt", CV_TEXTS[0].encode()),
        ("b.zip", _zip({"c.txt": CV_TEXTS[1].encode(), "d.pdf": b"junk"})),
        ("e.zip", b"not a zip"),
        ("f.txt", b""),
    ]))
    assert [(type(r).__name__, r.name) for r in out] == [
        ("CandidateFile", "a.txt"), ("CandidateFile", "c.txt"), ("FileFailure", "d.pdf"),
        ("FileFailure", "e.zip"), ("FileFailure", "f.txt")]


# --------------------------------------------------------------------------- ranking


def _pool() -> list[Candidate]:
    cands = [read_candidate(t, file_name=f"cv{i}.txt") for i, t in enumerate(CV_TEXTS)]
    for c, v in zip(cands, EMBEDDER.embed(cv_embedding_texts(cands)), strict=True):
        c.vector = v
    return cands


POOL = _pool()


def test_ranking_is_best_first_with_reasons_and_ties() -> None:
    job = JOBS[0]
    rows = rank_candidates(job, POOL, job_vector=JOB_VECTORS[0],
                           calibration=EMBEDDER.calibration, top=10, explain=5)
    assert len(rows) == 10 and [r.rank for r in rows] == list(range(1, 11))
    values = [r.value for r in rows]
    assert values == sorted(values, reverse=True)
    for r in rows[:5]:
        assert r.result is not None and r.score == r.result.score
        assert r.strongest and (r.biggest_gap or r.score == 100)
        assert set(r.must_met) | set(r.must_missing) == {s.name for s in job.required_skills}
        assert r.as_json()["cv_id"].startswith("C-")
    assert all(r.result is None for r in rows[5:])
    # the same CV twice under two ids is a tie, and both rows say so
    twin = Candidate(cv_id="C-zzzzzz", profile=rows[0].candidate.profile,
                     vector=rows[0].candidate.vector, features=rows[0].candidate.features)
    tied = rank_candidates(job, [*POOL, twin], job_vector=JOB_VECTORS[0],
                           calibration=EMBEDDER.calibration, top=3)
    assert tied[0].score == tied[1].score
    assert "tied with" in tied[0].tie and "tied with" in tied[1].tie
    # the full score of a row is the candidate-side score of the neutral profile
    full = rank_candidates(job, POOL, job_vector=JOB_VECTORS[0],
                           calibration=EMBEDDER.calibration, top=None)
    assert len(full) == len(POOL)


def test_blind_labels_until_revealed_and_exports_hide_identity() -> None:
    rows = rank_candidates(JOBS[0], POOL, job_vector=JOB_VECTORS[0],
                           calibration=EMBEDDER.calibration, top=4)
    names = [parse_cv(t).personal.name for t in CV_TEXTS]
    cmp = compare_rows(rows[:3], JOBS[0])
    md, csv_text = comparison_markdown(cmp), comparison_csv(cmp)
    for text in (md, csv_text):
        for name in names:
            assert name and name not in text and name.upper() not in text
        assert "@" not in text and "cv0.txt" not in text
        for r in rows[:3]:
            assert r.candidate.cv_id in text
    assert "Blind screening" in md and cmp.blind
    assert csv_text.splitlines()[0].startswith("candidate,rank,score,confidence,skills")
    assert len(csv_text.splitlines()) == 4
    shown = reveal(rows[:3], {rows[0].candidate.cv_id})
    assert shown[0].candidate.label == rows[0].candidate.name
    assert shown[1].candidate.label == rows[1].candidate.cv_id
    opened = comparison_markdown(compare_rows(shown, JOBS[0]))
    assert str(rows[0].candidate.name) in opened and "Blind screening" not in opened
    with pytest.raises(InvalidInputError, match="2 to 5"):
        compare_rows(rows[:1])


def test_explaining_chosen_rows_equals_explaining_the_ranking() -> None:
    from tools.candidates import explain_rows

    full = rank_candidates(JOBS[1], POOL, job_vector=JOB_VECTORS[1],
                           calibration=EMBEDDER.calibration, top=None)
    bare = rank_candidates(JOBS[1], POOL, job_vector=JOB_VECTORS[1],
                           calibration=EMBEDDER.calibration, top=None, explain=0)
    assert all(r.result is None for r in bare)
    chosen = explain_rows(JOBS[1], [bare[4], bare[1]], job_vector=JOB_VECTORS[1],
                          calibration=EMBEDDER.calibration)
    assert [r.rank for r in chosen] == [5, 2]
    for got, want in zip(chosen, [full[4], full[1]], strict=True):
        assert got.result == want.result and got.strongest == want.strongest
        assert got.biggest_gap == want.biggest_gap and got.tie == want.tie


def test_labels_stay_unique_when_hash_prefixes_collide() -> None:
    from tools.blind import unique_label

    taken: set[str] = set()
    a = unique_label("abcdef0123" + "0" * 54, taken)
    taken.add(a)
    b = unique_label("abcdef4567" + "0" * 54, taken)
    assert (a, b) == ("C-abcdef", "C-abcdef4")

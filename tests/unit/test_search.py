"""tools/search.py: rank fusion, the keyword index, filters and metadata (pure, no Chroma)."""

from __future__ import annotations

import random
from datetime import date

import numpy as np
import pytest

from tools.schemas import JobPosting, JobSkill, Location, SalaryRange
from tools.search import (
    IndexedJob,
    JobFilters,
    JobIndex,
    KeywordIndex,
    day_number,
    job_metadata,
    matches_filters,
    reciprocal_rank_fusion,
)

# --------------------------------------------------------------------------- RRF


def test_rrf_known_example() -> None:
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["b", "c", "d"]], k=60)
    scores = dict(fused)
    assert scores["a"] == pytest.approx(1 / 61)
    assert scores["b"] == pytest.approx(1 / 62 + 1 / 61)
    assert scores["c"] == pytest.approx(1 / 63 + 1 / 62)
    assert scores["d"] == pytest.approx(1 / 63)
    assert [i for i, _ in fused] == ["b", "c", "a", "d"]


def test_rrf_ties_go_to_first_appearance_position_by_position() -> None:
    # a and x are both rank 1 once; a appears first (ranking 0 at position 0)
    assert [i for i, _ in reciprocal_rank_fusion([["a", "b"], ["x", "y"]])] == \
        ["a", "x", "b", "y"]
    assert [i for i, _ in reciprocal_rank_fusion([["x", "y"], ["a", "b"]])] == \
        ["x", "a", "y", "b"]


def test_rrf_is_deterministic_and_ignores_repeats() -> None:
    rankings = [["c", "a", "c", "b"], ["b", "a"], []]
    first = reciprocal_rank_fusion(rankings)
    assert first == reciprocal_rank_fusion([list(r) for r in rankings])
    assert dict(first)["c"] == pytest.approx(1 / 61)  # the repeat of c does not count
    assert reciprocal_rank_fusion([]) == []
    assert reciprocal_rank_fusion([[], []]) == []
    with pytest.raises(ValueError):
        reciprocal_rank_fusion([["a"]], k=-1)


def test_rrf_rewards_agreement() -> None:
    vector = [f"v{i}" for i in range(50)] + ["both"]
    keyword = ["both"] + [f"k{i}" for i in range(50)]
    fused = reciprocal_rank_fusion([vector[:3] + ["both"], keyword])
    assert fused[0][0] == "both"


# --------------------------------------------------------------------------- keyword index


def _kw_index() -> KeywordIndex:
    idx = KeywordIndex()
    idx.add("backend", ["python", "django", "postgresql", "docker"], ["api"],
            required_ids=["python", "django"])
    idx.add("data", ["python", "sql", "spark", "airflow", "aws"], ["etl"],
            required_ids=["sql", "spark", "airflow"])
    idx.add("frontend", ["javascript", "react", "css"], [], required_ids=["react"])
    idx.add("nurse", [], ["patient care", "medication"], required_ids=[])
    return idx


def test_keyword_index_ranks_covered_requirements_first() -> None:
    idx = _kw_index()
    cv = {"python": 1.0, "django": 1.0, "postgresql": 0.9, "docker": 0.9, "sql": 0.9}
    got = idx.query(cv, ["api"], k=10)
    assert [i for i, _ in got] == ["backend", "data"]
    # backend: required python 2 + django 2, preferred pg 0.9 + docker 0.9, keyword .25
    assert got[0][1] == pytest.approx((2 + 2 + 0.9 + 0.9 + 0.25) / (2 + 2 + 1 + 1 + 0.25 + 2))
    assert all(0 < s <= 1 for _, s in got)
    # required skills weigh more than preferred ones
    assert idx.query({"sql": 1.0}, k=1)[0][0] == "data"


def test_keyword_index_keywords_count_alone_when_a_job_has_no_skills() -> None:
    idx = _kw_index()
    got = idx.query({}, ["Patient Care", "medication"], k=5)
    assert got == [("nurse", pytest.approx(2 / (2 + 2)))]


def test_keyword_index_allowed_k_and_remove() -> None:
    idx = _kw_index()
    cv = {"python": 1.0}
    assert {i for i, _ in idx.query(cv, k=10)} == {"backend", "data"}
    assert [i for i, _ in idx.query(cv, k=10, allowed={"data", "nope"})] == ["data"]
    assert idx.query(cv, k=10, allowed=set()) == []
    assert len(idx.query(cv, k=1)) == 1
    assert idx.query(cv, k=0) == []
    idx.remove("backend")
    idx.remove("unknown")
    assert "backend" not in idx and len(idx) == 3
    assert [i for i, _ in idx.query(cv, k=10)] == ["data"]
    # re-adding replaces
    idx.add("data", ["rust"], [], required_ids=["rust"])
    assert idx.query(cv, k=10) == []
    assert idx.query({"rust": 1.0}, k=10)[0][0] == "data"


def test_keyword_index_ties_are_deterministic() -> None:
    idx = KeywordIndex()
    for job_id in ["b", "c", "a"]:
        idx.add(job_id, ["python"], [], required_ids=["python"])
    assert [i for i, _ in idx.query({"python": 1.0}, k=2)] == ["a", "b"]


def test_keyword_index_matches_brute_force_and_survives_compaction() -> None:
    rng = random.Random(3)
    skills = [f"s{i}" for i in range(60)]
    idx = KeywordIndex()
    jobs: dict[str, tuple[set[str], set[str]]] = {}
    for n in range(600):
        have = set(rng.sample(skills, rng.randint(1, 8)))
        req = {s for s in have if rng.random() < 0.5}
        jobs[f"j{n}"] = (have, req)
        idx.add(f"j{n}", sorted(have), [], required_ids=sorted(req))
    for n in range(0, 600, 3):  # enough removals to trigger compaction
        idx.remove(f"j{n}")
        del jobs[f"j{n}"]
    cv = {s: rng.choice([1.0, 0.9, 0.5]) for s in rng.sample(skills, 15)}

    def brute(job_id: str) -> float:
        have, req = jobs[job_id]
        total = sum(2.0 if s in req else 1.0 for s in have)
        covered = sum((2.0 if s in req else 1.0) * cv[s] for s in have if s in cv)
        return covered / (total + 2.0)

    expected = sorted((j for j in jobs if brute(j) > 0), key=lambda j: (-brute(j), j))
    got = idx.query(cv, k=50)
    assert [s for _, s in got] == pytest.approx([brute(j) for j in expected[:50]])
    assert {j for j, _ in got} <= set(jobs)


def test_keyword_index_is_fast_at_100k_jobs() -> None:
    rng = np.random.default_rng(0)
    idx = KeywordIndex()
    vocab = [f"skill{i}" for i in range(3000)]
    zipf = 1.0 / np.arange(1, 3001)
    zipf /= zipf.sum()
    draws = rng.choice(3000, size=(100_000, 10), p=zipf)  # repeats within a job are merged
    for n, have in enumerate(draws.tolist()):
        idx.add(str(n), [vocab[i] for i in have], [], required_ids=[vocab[i] for i in have[:5]])
    cv = {vocab[i]: 1.0 for i in range(0, 60, 2)}
    idx.query(cv, k=200)  # build the postings arrays
    got = idx.query(cv, k=200)  # its speed is a benchmark figure (tests/bench), not a test
    assert len(got) == 200
    allowed = {str(n) for n in range(0, 100_000, 2)}
    got = idx.query(cv, k=200, allowed=allowed)
    assert len(got) == 200 and all(int(j) % 2 == 0 for j, _ in got)
    scores = [s for _, s in got]
    assert scores == sorted(scores, reverse=True)


# --------------------------------------------------------------------------- filters & metadata


def _job(**kw: object) -> JobPosting:
    base: dict[str, object] = dict(
        title="Backend Engineer", company="Acme Ltd",
        location=Location(raw="Berlin", city="Berlin", region="BE", country="DE"),
        work_mode="remote",
        salary=SalaryRange(min=70000, max=90000, currency="EUR"),
        posted_date=date(2025, 5, 20),
        required_skills=[JobSkill(name="Python", skill_id="python")],
    )
    base.update(kw)
    return JobPosting.model_validate(base)


def test_job_metadata() -> None:
    md = job_metadata(_job())
    assert md == {"status": "ACTIVE", "work_mode": "remote", "city": "berlin", "region": "be",
                  "country": "de", "salary_min": 70000.0, "salary_max": 90000.0,
                  "currency": "EUR", "posted": day_number(date(2025, 5, 20)),
                  "company": "acme ltd"}
    bare = job_metadata(JobPosting(), None, status="EXPIRED", posted=date(2025, 1, 1))
    assert bare == {"status": "EXPIRED", "posted": day_number(date(2025, 1, 1))}
    assert all(v is not None for v in bare.values())
    assert job_metadata(_job(), "  Other Co ")["company"] == "other co"
    assert job_metadata(_job(salary=SalaryRange(min=50000)))["salary_max"] == 50000.0


def test_filters_reference_semantics() -> None:
    now = date(2025, 6, 1)
    md = job_metadata(_job())
    assert matches_filters(md, None) and matches_filters(md, JobFilters(), now)
    assert not matches_filters({**md, "status": "EXPIRED"}, JobFilters(), now)
    assert matches_filters({**md, "status": "EXPIRED"}, JobFilters(status=None), now)
    assert matches_filters(md, JobFilters(remote_only=True), now)
    assert not matches_filters({**md, "work_mode": "hybrid"}, JobFilters(remote_only=True), now)
    assert matches_filters(md, JobFilters(min_salary=90000), now)
    assert not matches_filters(md, JobFilters(min_salary=90001), now)
    no_salary = {k: v for k, v in md.items() if not k.startswith("salary")}
    assert not matches_filters(no_salary, JobFilters(min_salary=1), now)  # unknown ≠ a match
    assert matches_filters(md, JobFilters(posted_within_days=12), now)
    assert not matches_filters(md, JobFilters(posted_within_days=11), now)
    assert not matches_filters(md, JobFilters(exclude_companies=["ACME LTD"]), now)
    assert matches_filters({k: v for k, v in md.items() if k != "company"},
                           JobFilters(exclude_companies=["acme ltd"]), now)
    for place, ok in [("Berlin", True), ("Germany", True), ("Munich", False),
                      ("California", False), ("berlin", True), ("  ", True)]:
        assert matches_filters(md, JobFilters(location=place), now) is ok, place
    with pytest.raises(ValueError):
        JobFilters(min_salary=-1)


def test_indexed_job_and_port() -> None:
    job = IndexedJob(id="1", vector=np.zeros(3, dtype=np.float32), content_hash="h",
                     metadata={"status": "ACTIVE"})
    assert job.metadata["status"] == "ACTIVE"
    assert IndexedJob(id="2", vector=[0.1, 0.2], content_hash="h").metadata == {}

    class Fake:
        def upsert(self, jobs): ...  # type: ignore[no-untyped-def]
        def delete(self, ids): ...  # type: ignore[no-untyped-def]
        def query(self, vector, k, filters=None, now=None): return []  # type: ignore[no-untyped-def]
        def hashes(self): return {}  # type: ignore[no-untyped-def]
        def count(self): return 0  # type: ignore[no-untyped-def]

    assert isinstance(Fake(), JobIndex)

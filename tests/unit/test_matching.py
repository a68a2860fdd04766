"""Two-stage matching against exhaustive scoring, hard filters, cache, search."""

from __future__ import annotations

import pytest

from store.samples.generate import generate_cvs, generate_jobs, posting_text
from tests.fakes import BagOfWordsEmbedder, DictCache, InMemoryJobIndex, InMemoryJobSource
from tools.matching import HardFilters, StoredJob, match_cv, passes_hard_filters, search_jobs
from tools.parsing.cv import parse_cv
from tools.parsing.job import parse_job
from tools.schemas import Location, SalaryRange
from tools.scoring import cv_embedding_text, job_embedding_text
from tools.search import IndexedJob, JobFilters, KeywordIndex, job_metadata


@pytest.fixture(scope="module")
def world() -> dict[str, object]:
    emb = BagOfWordsEmbedder()
    raw = generate_jobs(150, seed=3)
    stored = [StoredJob(id=str(i), content_hash=f"h{i}", posting=parse_job(posting_text(r)))
              for i, r in enumerate(raw)]
    index = InMemoryJobIndex()
    vecs = emb.embed([job_embedding_text(s.posting) for s in stored])
    index.upsert([IndexedJob(id=s.id, vector=v, content_hash=s.content_hash,
                             metadata=job_metadata(s.posting))
                   for s, v in zip(stored, vecs, strict=True)])
    keywords = KeywordIndex()
    for s in stored:
        req = [x.skill_id for x in s.posting.required_skills]
        keywords.add(s.id, req + [x.skill_id for x in s.posting.preferred_skills],
                     s.posting.keywords, required_ids=req)
    return {"emb": emb, "stored": stored, "index": index, "keywords": keywords,
            "source": InMemoryJobSource(stored), "cvs": generate_cvs(6, seed=3)}


def _match(world: dict, cv_text: str, **kw: object) -> list:  # type: ignore[type-arg]
    profile = parse_cv(cv_text)
    vec = world["emb"].embed([cv_embedding_text(profile)])[0]  # type: ignore[attr-defined]
    index = world["index"]
    return match_cv(profile, jobs=world["source"], cv_vector=vec, index=index,  # type: ignore[arg-type]
                    keywords=world["keywords"], vectors=index.vectors,  # type: ignore[attr-defined]
                    calibration=(0.0, 1.0), **kw)


def test_two_stage_finds_the_exhaustive_top(world: dict) -> None:  # type: ignore[type-arg]
    for cv in world["cvs"]:  # type: ignore[attr-defined]
        fast = _match(world, cv["text"], k=10, min_score=0, candidates=60)
        full = _match(world, cv["text"], k=10, min_score=0, exhaustive=True)
        assert [m.job_id for m in full]
        # the fallback's retrieval (vectors, skills, place) knows nothing of occupations: a
        # related-occupation job sharing no skill may be missed; strong matches may not
        good = {m.job_id for m in full if m.result.score >= 60}
        assert good <= {m.job_id for m in fast}, cv["occupation"]
        # what is shown is the full engine's result for that pair
        got = {m.job_id: m.result.score for m in fast}
        for m in full:
            if m.job_id in got:
                assert got[m.job_id] == m.result.score


def test_results_sorted_thresholded_and_deterministic(world: dict) -> None:  # type: ignore[type-arg]
    text = world["cvs"][0]["text"]  # type: ignore[index]
    a = _match(world, text, k=20, min_score=40)
    b = _match(world, text, k=20, min_score=40)
    assert [(m.job_id, m.result.score) for m in a] == [(m.job_id, m.result.score) for m in b]
    scores = [m.result.score for m in a]
    assert scores == sorted(scores, reverse=True)
    assert all(s >= 40 for s in scores)


def test_cache_is_used_on_the_second_call(world: dict) -> None:  # type: ignore[type-arg]
    cache = DictCache()
    text = world["cvs"][1]["text"]  # type: ignore[index]
    first = _match(world, text, k=5, min_score=0, cache=cache, cv_hash="cv1")
    assert cache.hits == 0 and len(cache.store) == len(first)
    second = _match(world, text, k=5, min_score=0, cache=cache, cv_hash="cv1")
    assert cache.hits == len(second)
    assert [m.result for m in first] == [m.result for m in second]


def test_hard_filters_only_exclude_stated_mismatches(world: dict) -> None:  # type: ignore[type-arg]
    job = world["stored"][0].posting.model_copy(update={  # type: ignore[index]
        "salary": SalaryRange(min=50000, max=60000, currency="EUR"), "work_mode": "onsite",
        "location": Location(raw="Berlin", city="Berlin", country="DE"),
        "experience_min": 5.0, "experience_max": 8.0})
    p = parse_cv(world["cvs"][0]["text"]).model_copy(update={  # type: ignore[index]
        "salary_expectation": SalaryRange(min=80000, currency="EUR"),
        "location": Location(raw="Munich", city="Munich", country="DE"), "total_years": 3.5})
    assert passes_hard_filters(p, job, HardFilters())
    assert not passes_hard_filters(p, job, HardFilters(salary=True))
    assert not passes_hard_filters(p, job, HardFilters(location=True))
    assert passes_hard_filters(p.model_copy(update={"total_years": 4.2}), job,
                               HardFilters(experience=True))
    assert not passes_hard_filters(p.model_copy(update={"total_years": 3.5}), job,
                                   HardFilters(experience=True))
    unknown = p.model_copy(update={"salary_expectation": None, "location": None,
                                   "total_years": None})
    assert passes_hard_filters(unknown, job, HardFilters(salary=True, location=True,
                                                         experience=True))


def test_search_jobs_respects_filters(world: dict) -> None:  # type: ignore[type-arg]
    emb = world["emb"]
    query = "remote python backend engineer"
    hits = search_jobs(query, jobs=world["source"], vector=emb.embed([query])[0],  # type: ignore
                       index=world["index"], keywords=world["keywords"],  # type: ignore[arg-type]
                       filters=JobFilters(remote_only=True), k=5)
    assert hits
    assert all(h.posting.work_mode == "remote" for h in hits)


def test_places_tell_identical_postings_apart(world: dict) -> None:  # type: ignore[type-arg]
    """Ten copies of one posting in different cities: stage 1 must keep the CV's own city."""
    from tools.matching import place_of, retrieve_candidates
    from tools.schemas import Location as Loc

    base = world["stored"][0].posting  # type: ignore[index]
    cities = [("Berlin", "DE"), ("Paris", "FR"), ("Madrid", "ES"), ("Rome", "IT"),
              ("Oslo", "NO"), ("Vienna", "AT"), ("Lisbon", "PT"), ("Dublin", "IE"),
              ("Prague", "CZ"), ("Warsaw", "PL")]
    copies = [base.model_copy(update={"work_mode": "onsite",
                                      "location": Loc(raw=c, city=c, country=cc)})
              for c, cc in cities]
    keywords = KeywordIndex()
    for i, job in enumerate(copies):
        req = [x.skill_id for x in job.required_skills]
        keywords.add(f"c{i:02d}", req, job.keywords, required_ids=req)
    from tools.schemas import CandidateSkill

    skills = [CandidateSkill(name=s.name, skill_id=s.skill_id, sources=["experience"])
              for s in base.required_skills]
    assert skills
    profile = parse_cv(world["cvs"][0]["text"]).model_copy(  # type: ignore[index]
        update={"location": Loc(raw="Warsaw", city="Warsaw", country="PL"), "skills": skills})
    places = {f"c{i:02d}": place_of(j) for i, j in enumerate(copies)}
    without = retrieve_candidates(profile, cv_vector=None, index=None, keywords=keywords, n=2)
    with_places = retrieve_candidates(profile, cv_vector=None, index=None, keywords=keywords,
                                      n=2, places=places)
    assert "c09" not in without  # ties broken by id: the Warsaw copy is last
    assert "c09" in with_places

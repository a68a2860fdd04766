"""JobfitService on a real store: SQLite file, embedded Chroma, static embedder, sample jobs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from agent.service import JobfitService
from agent.service_types import NoCVError, parse_job_ref
from store.cache import content_hash
from store.repo import NotFoundError
from store.tables import MatchStatus
from tests.integration.agent_store import BACKEND_CV, NURSE_CV, build_store, sample_jobs
from tools.errors import InvalidInputError, JobfitError
from tools.search import JobFilters


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JobfitService]:
    svc = build_store(tmp_path_factory.mktemp("svc") / "data")
    yield svc
    svc.engine.dispose()


def _backend_job_ref() -> str:
    """External id of the 'Sr. Software Engineer, Backend' sample posting."""
    for job in sample_jobs():
        if job["title"] == "Sr. Software Engineer, Backend":
            return str(job["external_id"])
    raise AssertionError("sample changed")


def _count(svc: JobfitService, table: str, owner: str) -> int:
    with svc.engine.connect() as conn:
        return int(conn.execute(text(f"SELECT count(*) FROM {table} WHERE owner_id = :o"),
                                {"o": owner}).scalar_one())


def test_parse_job_ref() -> None:
    assert parse_job_ref("42") == ("id", "42")
    assert parse_job_ref(" #7 ") == ("id", "7")
    assert parse_job_ref("sample-0-00013") == ("external", "sample-0-00013")
    assert parse_job_ref("https://x.example/job/1")[0] == "url"
    with pytest.raises(InvalidInputError):
        parse_job_ref("  ")


def test_save_cv_summary_and_profile(service: JobfitService) -> None:
    summary = service.save_cv("ana", text=BACKEND_CV, file_name="felix.txt")
    assert summary.version == 1 and summary.file_name == "felix.txt"
    assert "Java" in summary.top_skills and summary.skills_count >= 8
    assert summary.recent_roles[0].startswith("Senior Backend Software Engineer, Pinecrest")
    assert "(2025-present)" in summary.recent_roles[0]
    assert summary.location and "Amsterdam" in summary.location
    dumped = summary.model_dump_json()
    assert "@example.com" not in dumped and "0155" not in dumped  # no contact details
    assert service.profile("ana").headline is not None
    again = service.save_cv("ana", text=BACKEND_CV)
    assert again.cv_id == summary.cv_id and again.version == 1  # same text: same CV


def test_save_cv_rejects_non_cv_and_oversize(service: JobfitService) -> None:
    with pytest.raises(JobfitError):
        service.save_cv("ana", text="   ")
    with pytest.raises(InvalidInputError):
        service.save_cv("ana", text="hello there, how are you today? " * 3)
    small = JobfitService(engine=service.engine, embedder=None, index=service.index,
                          max_upload_bytes=100)
    with pytest.raises(JobfitError, match="larger"):
        small.save_cv("ana", text=BACKEND_CV)
    with pytest.raises(InvalidInputError):
        service.save_cv("bad:id", text=BACKEND_CV)


def test_save_cv_from_file_bytes(service: JobfitService, tmp_path: Path) -> None:
    from tests.integration.agent_store import SAMPLE_CVS

    data = (SAMPLE_CVS / "data_scientist_junior.docx").read_bytes()
    summary = service.save_cv("docx-user", data=data, file_name="../../etc/cv.docx")
    assert summary.file_name == "cv.docx" and summary.skills_count > 0
    with pytest.raises(JobfitError):
        service.save_cv("docx-user", data=b"\x00\x01garbage", file_name="cv.exe")


def test_no_cv(service: JobfitService) -> None:
    with pytest.raises(NoCVError):
        service.profile("nobody")
    with pytest.raises(NoCVError):
        service.analyse("nobody", "1")
    cards = service.search("nobody", "backend engineer java")
    assert cards and all(c.score is None for c in cards)


def test_job_refs(service: JobfitService) -> None:
    ref = _backend_job_ref()
    card = service.job_card(ref)
    assert card.job_id == ref and card.title == "Sr. Software Engineer, Backend"
    assert service.job_card(str(card.ref)) == card
    assert service.job_card(f"#{card.ref}") == card
    assert card.salary and "€" in card.salary
    assert card.remote == "onsite" and card.location and "Eindhoven" in card.location
    if card.url:
        assert service.job_card(card.url).ref == card.ref
    with pytest.raises(NotFoundError):
        service.job_card("no-such-job")
    with pytest.raises(NotFoundError):
        service.job_card("99999")


def test_analyse_stored_job_is_cached_and_fast(service: JobfitService) -> None:
    service.save_cv("ana", text=BACKEND_CV)
    ref = _backend_job_ref()
    first = service.analyse("ana", ref)
    assert first.job.job_id == ref and first.cv_id is not None
    assert 0 <= first.result.score <= 100 and first.job.score == first.result.score
    assert first.result.factors["semantic"].score is not None  # embedder + index vectors
    assert "java" in [s.lower() for s in first.result.matched_required]
    impacts = [g.impact for g in first.gaps.gaps]
    assert impacts == sorted(impacts, reverse=True)
    again = service.analyse("ana", ref)
    assert again.result == first.result and again.cached
    # a fresh service (new process) reads the stored analysis from the cache
    fresh = JobfitService(engine=service.engine, embedder=service.embedder, index=service.index)
    assert fresh.analyse("ana", ref).result.score == first.result.score
    assert fresh.analyse("ana", ref).cached


def test_analyse_matches_cli_score(service: JobfitService) -> None:
    """Same number as score_match with the same CV, job and vectors (one engine)."""
    from store.repo import JobRepo, parsed_job
    from tools.parsing.cv import parse_cv
    from tools.scoring import cv_embedding_text, score_match

    service.save_cv("ana", text=BACKEND_CV)
    card = service.job_card(_backend_job_ref())
    record = JobRepo(service.engine).get(card.ref)
    assert record is not None and service.embedder is not None
    profile = parse_cv(BACKEND_CV)
    cv_vec = service.embedder.embed([cv_embedding_text(profile)])[0]
    job_vec = service.index.vectors([str(card.ref)])[str(card.ref)]  # type: ignore[attr-defined]
    expected = score_match(profile, parsed_job(record), cv_vector=cv_vec, job_vector=job_vec,
                           calibration=service.calibration)
    assert service.analyse("ana", str(card.ref)).result.score == expected.score


def test_analyse_pasted_posting(service: JobfitService) -> None:
    service.save_cv("ana", text=BACKEND_CV)
    posting = str(sample_jobs()[13]["description"])
    analysis = service.analyse("ana", job_text=posting)
    assert analysis.job.job_id == "pasted" and analysis.job.ref == 0
    assert analysis.result.score > 0
    with pytest.raises(InvalidInputError):
        service.analyse("ana", job_text="python")
    with pytest.raises(InvalidInputError):
        service.analyse("ana")


def test_search_with_scores_and_filters(service: JobfitService) -> None:
    service.save_cv("ana", text=BACKEND_CV)
    cards = service.search("ana", "backend java engineer", k=5)
    assert 1 <= len(cards) <= 5
    assert all(c.score is not None and c.grade for c in cards)
    remote = service.search("ana", "devops engineer kubernetes",
                            filters=JobFilters(remote_only=True), k=10)
    assert remote and all(c.remote == "remote" for c in remote)
    with pytest.raises(InvalidInputError):
        service.search("ana", "  ")


def test_best_matches_saved_and_dismissed_left_out(service: JobfitService) -> None:
    service.save_cv("bo", text=BACKEND_CV)
    cards = service.best_matches("bo", k=5, min_score=0)
    assert len(cards) == 5
    scores = [c.score or 0 for c in cards]
    assert scores == sorted(scores, reverse=True)
    saved = service.matches.list("bo")
    assert {m.job_id for m in saved} >= {c.ref for c in cards}
    top = cards[0]
    service.record_feedback("bo", str(top.ref), "dismissed")
    again = service.best_matches("bo", k=5, min_score=0)
    assert top.ref not in {c.ref for c in again}
    onsite_blocked = service.update_preferences("bo", blocked_companies=[cards[1].company])
    assert onsite_blocked.blocked_companies == [cards[1].company]
    third = service.best_matches("bo", k=5, min_score=0)
    assert cards[1].company not in {c.company for c in third}
    with pytest.raises(InvalidInputError):
        service.best_matches("bo", strict=["colour"])


def test_compare_jobs_and_cvs(service: JobfitService) -> None:
    service.save_cv("cy", text=NURSE_CV)
    service.save_cv("cy", text=BACKEND_CV)
    ref = _backend_job_ref()
    rows = service.compare_jobs("cy", [ref, "sample-0-00006", "sample-0-00000"])
    assert len(rows) == 3
    assert [r.result.score for r in rows] == sorted((r.result.score for r in rows), reverse=True)
    assert rows[0].job.job_id == ref
    by_cv = service.compare_cvs("cy", ref)
    assert len(by_cv) == 2 and by_cv[0].result.score > by_cv[1].result.score
    latest = service.cv_summary("cy")
    assert by_cv[0].cv_id == latest.cv_id  # the backend CV fits the backend job best
    assert service.profile("cy").headline == service.profile("cy").headline  # still latest
    assert service.cv_summary("cy").cv_id == latest.cv_id
    with pytest.raises(InvalidInputError):
        service.compare_jobs("cy", [ref])


def test_feedback_statuses(service: JobfitService) -> None:
    service.save_cv("di", text=BACKEND_CV)
    ref = _backend_job_ref()
    card = service.record_feedback("di", ref, "interested")
    assert card.job_id == ref and card.score is not None
    service.record_feedback("di", ref, "applied")
    matches = service.matches.list("di")
    assert [m.status for m in matches] == [MatchStatus.APPLIED.value]
    assert [f["kind"] for f in service.feedback("di")] == ["applied", "interested"]
    with pytest.raises(InvalidInputError):
        service.record_feedback("di", ref, "loved")  # type: ignore[arg-type]


def test_preferences(service: JobfitService) -> None:
    assert service.preferences("new-person").desired_roles == []
    prefs = service.update_preferences("eve", desired_roles=["Backend Engineer"], remote="remote",
                                       salary_floor=80000)
    assert prefs.remote == "remote" and prefs.salary_floor == 80000
    prefs = service.update_preferences("eve", locations=["Berlin"])
    assert prefs.desired_roles == ["Backend Engineer"] and prefs.locations == ["Berlin"]
    with pytest.raises(InvalidInputError):
        service.update_preferences("eve", remote="sometimes")
    with pytest.raises(InvalidInputError):
        service.update_preferences("eve", user="someone-else")


def test_owner_scoping(service: JobfitService) -> None:
    """User B never sees A's CVs, matches or feedback, even by guessing ids."""
    a = service.save_cv("scope-a", text=BACKEND_CV)
    service.best_matches("scope-a", k=3, min_score=0)
    service.record_feedback("scope-a", _backend_job_ref(), "applied")
    with pytest.raises(NoCVError):
        service.profile("scope-b")
    with pytest.raises(NoCVError):
        service.cv_summary("scope-b")
    assert service.list_cvs("scope-b") == []
    assert service.matches.list("scope-b") == [] and service.feedback("scope-b") == []
    with pytest.raises(NotFoundError):
        service.compare_cvs("scope-b", _backend_job_ref(), cv_ids=[a.cv_id])
    service.save_cv("scope-b", text=NURSE_CV)
    assert service.cv_summary("scope-b").cv_id != a.cv_id
    assert service.cv_summary("scope-a").cv_id == a.cv_id
    assert [c.cv_id for c in service.list_cvs("scope-b")] != [a.cv_id]


def test_forget_deletes_one_user_only(service: JobfitService) -> None:
    from langgraph.checkpoint.memory import InMemorySaver

    saver = InMemorySaver()
    for user in ("fa", "fb"):
        service.save_cv(user, text=BACKEND_CV if user == "fa" else NURSE_CV)
        service.best_matches(user, k=3, min_score=0)
        service.record_feedback(user, _backend_job_ref(), "interested")
        service.update_preferences(user, locations=["Amsterdam"])
        service.analyse(user, _backend_job_ref())
        for conv in ("c1", "c2"):
            cfg = {"configurable": {"thread_id": f"{user}:{conv}", "checkpoint_ns": ""}}
            saver.put(cfg, {"v": 1, "id": f"{user}-{conv}", "ts": "2026-01-01T00:00:00+00:00",
                            "channel_values": {}, "channel_versions": {},
                            "versions_seen": {}}, {}, {})
    service.checkpointer = saver
    fa_hash = content_hash(BACKEND_CV)
    try:
        counts = service.forget("fa")
    finally:
        service.checkpointer = None
    assert counts["cvs"] == 1 and counts["matches"] >= 1 and counts["feedback"] == 1
    assert counts["users"] == 1 and counts["conversations"] == 2
    for table in ("cvs", "matches", "feedback"):
        assert _count(service, table, "fa") == 0
        assert _count(service, table, "fb") > 0
    assert service.users.get("fa") is None and service.users.get("fb") is not None
    assert service.preferences("fb").locations == ["Amsterdam"]
    with pytest.raises(NoCVError):
        service.profile("fa")
    # analyses of a CV another user also holds stay; here the text was also saved by others
    with service.engine.connect() as conn:
        shared = conn.execute(text("SELECT count(*) FROM cvs WHERE content_hash = :h"),
                              {"h": fa_hash}).scalar_one()
    assert shared >= 1  # other tests' users hold the same CV text
    remaining = {str(t.config["configurable"]["thread_id"]) for t in saver.list(None)}
    assert remaining == {"fb:c1", "fb:c2"}
    service.save_cv("fa", text=BACKEND_CV)  # a forgotten user can start again
    assert service.cv_summary("fa").version == 1


def test_tailoring_through_service(service: JobfitService) -> None:
    pytest.importorskip("tools.tailoring")
    service.save_cv("ta", text=BACKEND_CV)
    ref = _backend_job_ref()
    options = service.tailoring_options("ta", ref)
    assert options and all(o.id for o in options)
    tailored = service.tailor("ta", ref, ["all"])
    assert tailored.before == service.analyse("ta", ref).result.score
    assert tailored.markdown.strip()
    with pytest.raises(InvalidInputError):
        service.tailor("ta", ref, [])


def test_import_refreshes_keyword_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    import agent.service_core

    svc = build_store(tmp_path / "data", n_jobs=5)
    other = JobfitService(engine=svc.engine, embedder=svc.embedder, index=svc.index)
    try:
        svc.save_cv("im", text=BACKEND_CV)
        assert svc.job_count() == 5
        before = {c.job_id for c in svc.search("im", "backend software engineer java", k=10)}
        assert "sample-0-00013" not in before
        extra = tmp_path / "more.json"
        extra.write_text(json.dumps(sample_jobs(20)[5:]), encoding="utf-8")
        summary = svc.import_jobs(extra)
        assert summary.new == 15 and svc.job_count() == 20
        after = {c.job_id for c in svc.search("im", "backend software engineer java", k=10)}
        assert "sample-0-00013" in after
        # jobs imported elsewhere (another process): picked up at the next check
        other.save_cv("im2", text=BACKEND_CV)
        other.search("im2", "java", k=3)  # builds its keyword index now (20 jobs)
        more = tmp_path / "more2.json"
        more.write_text(json.dumps(sample_jobs(60)[20:]), encoding="utf-8")
        svc.import_jobs(more)
        monkeypatch.setattr(agent.service_core, "JOBS_CHECK_S", 0.0)
        keywords, _ = other._keyword_index()
        assert len(keywords) == 60
    finally:
        svc.engine.dispose()


def test_user_forgotten_by_another_process(service: JobfitService) -> None:
    """A service that saw the user before still works after another process forgot them."""
    service.save_cv("gone", text=BACKEND_CV)
    other = JobfitService(engine=service.engine, embedder=service.embedder, index=service.index)
    other.forget("gone")
    with pytest.raises(NoCVError):
        service.profile("gone")
    assert service.update_preferences("gone", locations=["Leeds"]).locations == ["Leeds"]
    assert service.save_cv("gone", text=NURSE_CV).version == 1


def test_bootstrap_builds_one_service_per_settings(tmp_path: Path) -> None:
    from langchain_core.language_models import BaseChatModel

    from agent.bootstrap import build_model, build_service, checkpoint_path
    from agent.settings import Settings

    settings = Settings(data_dir=tmp_path / "d")
    svc = build_service(settings)
    try:
        assert build_service(Settings(data_dir=tmp_path / "d")) is svc
        assert build_service(Settings(data_dir=tmp_path / "e")) is not svc
        assert type(svc.checkpointer).__name__ == "SqliteSaver"
        assert checkpoint_path(settings).is_file()
        assert svc.job_count() == 0 and svc.embedder is not None
        model = build_model(Settings(data_dir=tmp_path / "d", llm="offline"))
        assert isinstance(model, BaseChatModel)
        model.bind_tools([])  # supports tool binding
    finally:
        svc.engine.dispose()

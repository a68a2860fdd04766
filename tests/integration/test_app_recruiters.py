"""The web chat's recruiter side (ui/app.py handlers in a Chainlit context, real service, graph
and offline model): several CVs dropped at once become a pool; the comparison card is blind."""

from __future__ import annotations

import io
import uuid
import zipfile
from pathlib import Path

import chainlit as cl
import pytest

from tests.integration.test_app_handlers import (  # noqa: F401  (fixtures)
    chat_session,
    no_data_layer,
    runtime,
    service,
    settings,
    upload_element,
    user_message,
)
from tools.parsing.cv import parse_cv
from ui.recruiter_web import wants_pool
from ui.webchat import actions, chat
from ui.webchat.runtime import Runtime

ROOT = Path(__file__).resolve().parents[2]
CVS = sorted((ROOT / "tests" / "fixtures" / "cvs").glob("*.txt"))
NAMES = [str(parse_cv(p.read_text()).personal.name) for p in CVS]


def test_which_uploads_make_a_pool() -> None:
    assert wants_pool(["a.pdf", "b.docx"]) and wants_pool(["cvs.zip"])
    assert not wants_pool(["my_cv.pdf"]) and not wants_pool(["a.pdf", "jobs.json"])


@pytest.mark.asyncio
async def test_dropping_several_cvs_makes_a_blind_pool(runtime: Runtime,  # noqa: F811
                                                       tmp_path: Path) -> None:
    uid = f"r{uuid.uuid4().hex[:10]}"
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 nope")
    archive = tmp_path / "more.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(CVS[4].name, CVS[4].read_bytes())
        zf.writestr("../escape.txt", CVS[5].read_bytes())
    async with chat_session(uid) as browser:
        elements = [upload_element(tmp_path, p) for p in CVS[:4]]
        elements += [upload_element(tmp_path, broken), upload_element(tmp_path, archive)]
        await chat.on_message(user_message("", elements))
        text = browser.text()
        assert "Added **5** CV(s) to your candidate pool" in text
        assert "broken.pdf:" in text and "../escape.txt:" in text and "unsafe path" in text
        assert not runtime.service.has_cv(uid)  # not "my CV": a pool
        assert all(not Path(str(e.path)).exists() for e in elements)
        await chat.on_message(user_message("who fits job 1 best?"))
        # the ranking is a card; the answer does not repeat its table as plain text
        assert "| 1 | C-" not in browser.text()
        ranking = browser.elements("CandidateList")[-1]["props"]
        assert ranking["job_ref"] == "1" and ranking["blind"] is True
        first = ranking["candidates"][0]
        assert first["label"] == first["cv_id"] and first["cv_id"].startswith("C-")
        out = await actions.on_candidate_decide(cl.Action(name="jf_cand_decide", payload={
            "candidate": first["cv_id"], "status": "shortlist", "job_ref": "1"}))
        assert out == {"status": "shortlisted"}
        await chat.on_message(user_message("who fits job 1 best?"))
        again = browser.elements("CandidateList")[-1]["props"]["candidates"][0]
        assert again["status"] == "shortlist"
        await chat.on_message(user_message("compare the top 3 candidates"))
        cards = browser.elements("CandidateCompare")
    assert len(cards) == 1
    props = cards[0]["props"]
    assert len(props["candidates"]) == 3 and props["blind"] is True
    assert all(c["label"].startswith("C-") for c in props["candidates"])
    assert props["csv"].startswith("candidate,rank,score")
    dumped = str(props) + browser.text()
    for name in NAMES:
        assert name not in dumped
    assert "@example" not in dumped
    async with chat_session(uid) as browser:
        opened = await actions.on_candidate_open(cl.Action(name="jf_cand_open", payload={
            "candidate": first["cv_id"]}))
        assert opened["name"] in NAMES and opened["name"] in browser.text()
    async with chat_session("someone_else") as browser:
        denied = await actions.on_candidate_open(cl.Action(name="jf_cand_open", payload={
            "candidate": first["cv_id"]}))
        assert denied == {"success": False} and "No candidate" in browser.text()


def test_csv_export_round_trips() -> None:
    import csv

    from tools.candidate_compare import ComparedCandidate, Comparison, comparison_csv

    cmp = Comparison(candidates=[
        ComparedCandidate(label="C-aaaaaa", cv_id="C-aaaaaa", rank=1, score=80, grade="A",
                          factors={"skills": 90}, evidence=['Python → experience: “a, b”']),
        ComparedCandidate(label="C-bbbbbb", cv_id="C-bbbbbb", rank=2, score=70, grade="B")])
    rows = list(csv.reader(io.StringIO(comparison_csv(cmp))))
    assert rows[1][0] == "C-aaaaaa" and rows[1][rows[0].index("evidence")].startswith("Python")

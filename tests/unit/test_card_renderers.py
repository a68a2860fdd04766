"""One source of truth (issue 15): the same card, rendered by every renderer — Markdown (the
chat and the Slack/Teams fallback), the terminal report, Slack Block Kit, Teams Adaptive Cards,
e-mail HTML and the web chat's element props — shows the same score, every sub-score (unknown
as unknown, never as a bar or a number), the same matched and missing skills and the same gap
points. The cards come from the real scoring engine as well as from a hand-made result with an
unknown factor."""

from __future__ import annotations

import html as htmllib
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from tools import cards
from tools.card_text import render_markdown
from tools.gaps import find_gaps
from tools.parsing.cv import parse_cv
from tools.parsing.job import parse_job
from tools.schemas import FactorScore, Gap, GapReport, MatchResult
from tools.scoring import score_match
from ui.renderers.adaptive import render_adaptive
from ui.renderers.blockkit import render_blocks
from ui.renderers.chainlit import checklist_props, gaps_props, score_props
from ui.renderers.email import render_html
from ui.renderers.terminal import print_card

ROOT = Path(__file__).resolve().parents[2]
JOB = cards.JobRef(ref=7, job_id="s-7", title="Backend Engineer", company="Acme",
                   location="Berlin", remote="hybrid")


def _strings(obj: Any) -> list[str]:
    """Every text in a JSON-like structure, in order."""
    if isinstance(obj, str):
        return [obj]
    if isinstance(obj, dict):
        return [s for v in obj.values() for s in _strings(v)]
    if isinstance(obj, list):
        return [s for v in obj for s in _strings(v)]
    return []


def _adaptive_text(card: Any) -> str:
    """An Adaptive Card as lines: a FactSet's facts as "title: value"."""
    def walk(el: Any) -> list[str]:
        if isinstance(el, dict) and el.get("type") == "FactSet":
            return [f"{f['title']}: {f['value']}" for f in el["facts"]]
        if isinstance(el, dict):
            return [s for k, v in el.items() if k != "data" for s in
                    ([v] if k in ("text", "title") and isinstance(v, str) else walk(v))]
        if isinstance(el, list):
            return [s for v in el for s in walk(v)]
        return []
    return "\n".join(walk(render_adaptive(card)))


def _html_text(fragment: str) -> str:
    """HTML as text: one line per table row or list item, tags dropped, entities decoded."""
    text = re.sub(r"</(tr|li|p|h\d|div)>|<br>", "\n", fragment)
    return htmllib.unescape(re.sub(r"<[^>]+>", " ", text))


def _terminal(card: Any) -> str:
    con = Console(record=True, width=200, color_system=None, soft_wrap=True)
    print_card(card, con)
    return con.export_text()


def _props_text(card: Any) -> str:
    props = {cards.ScoreCard: score_props, cards.GapList: gaps_props,
             cards.TailoringChecklist: checklist_props}[type(card)](card)
    return json.dumps(props, ensure_ascii=False)


RENDERERS: dict[str, Callable[[Any], str]] = {
    "markdown": render_markdown,
    "terminal": _terminal,
    "blockkit": lambda c: "\n".join(_strings(render_blocks(c))),
    "adaptive": _adaptive_text,
    "email": lambda c: _html_text(render_html(c)),
}


def _line_of(text: str, label: str, name: str) -> str:
    """The line showing one sub-score (by its label, or its factor name in the terminal)."""
    for line in text.splitlines():
        bare = line.strip(" -•`*_").lower()
        if bare.startswith((label.lower(), name.lower() + " ")):
            return line
    raise AssertionError(f"no line for {label!r} in:\n{text}")


def _handmade() -> cards.ScoreCard:
    factors = {n: FactorScore(name=n, score=s, weight=0.2, effective_weight=0.25,
                              contribution=None if s is None else s * 0.25)
               for n, s in (("skills", 81.0), ("experience", 64.0), ("location", None),
                            ("salary", 100.0), ("semantic", 38.0))}
    result = MatchResult(score=70, grade="B", label="Good", recommended=True, factors=factors,
                         unknown_factors=["location"], confidence=0.8,
                         matched_required=["Python", "SQL"], missing_required=["Kafka"],
                         missing_preferred=["Terraform"])
    gaps = GapReport(score=70, gaps=[
        Gap(type="missing_skill", severity="high", target="kafka", section="skills",
            message="Kafka is required and not in your CV", suggestion="Add a Kafka project",
            impact=9),
        Gap(type="ats_keyword", severity="low", target="etl", section="skills",
            message="The posting says ETL; your CV does not", suggestion="Say ETL", impact=2)])
    return cards.score_card(result, gaps, job=JOB)


def _engine() -> cards.ScoreCard:
    cv = parse_cv((ROOT / "store/samples/cvs/backend_engineer_senior.txt").read_text())
    job = parse_job((ROOT / "tests/fixtures/jobs/backend_engineer_sections.txt").read_text())
    result = score_match(cv, job)  # no embedder: text similarity is unknown
    return cards.score_card(result, find_gaps(cv, job, result=result), job=JOB)


@pytest.fixture(params=["handmade", "engine"])
def score_card(request: pytest.FixtureRequest) -> cards.ScoreCard:
    card = _handmade() if request.param == "handmade" else _engine()
    assert card.unknown, "the case must have an unknown sub-score"
    assert card.top_gaps and card.missing, "the case must have gaps and missing skills"
    return card


@pytest.mark.parametrize("renderer", sorted(RENDERERS))
def test_every_renderer_shows_the_same_score_card(score_card: cards.ScoreCard,
                                                  renderer: str) -> None:
    text = RENDERERS[renderer](score_card)
    assert re.search(rf"(?<!\d){score_card.score}(/100)?(?!\d)", text), text
    for s in score_card.sub_scores:
        line = _line_of(text, s.label, s.name)
        if s.score is None:
            assert "unknown" in line.lower(), line
            assert "█" not in line and not re.search(r"\d", line.split(":")[-1]), line
        else:
            assert re.search(rf"(?<![\d.]){s.score}(?![\d.])", line), (s.label, line)
            assert "unknown" not in line.lower(), line
    for skill in score_card.matched + score_card.matched_preferred:
        assert skill in text, (renderer, skill)
    for skill in score_card.missing + score_card.missing_preferred:
        assert skill in text, (renderer, skill)
    for g in score_card.top_gaps:
        assert g.message in text, (renderer, g.message)
        if g.impact:
            assert re.search(rf"\+\**{g.impact}(?!\d)", text), (renderer, g.impact)


def test_web_props_carry_the_same_score_card(score_card: cards.ScoreCard) -> None:
    props = score_props(score_card)
    assert props["score"] == score_card.score
    assert {b["label"]: b["value"] for b in props["bars"]} == {
        s.label: s.score for s in score_card.sub_scores}
    assert props["unknown"] == score_card.unknown
    assert all(b["band"] == "grey" for b in props["bars"] if b["value"] is None)
    assert props["matched"] + props["matched_preferred"] == (score_card.matched
                                                             + score_card.matched_preferred)
    assert props["missing"] + props["missing_preferred"] == (score_card.missing
                                                             + score_card.missing_preferred)
    assert [g["impact"] for g in props["gaps"]] == [g.impact for g in score_card.top_gaps]


@pytest.mark.parametrize("renderer", [*sorted(RENDERERS), "props"])
def test_every_renderer_shows_the_same_gaps_and_checklist(renderer: str) -> None:
    render = _props_text if renderer == "props" else RENDERERS[renderer]
    report = GapReport(score=61, strengths=["Python in 3 roles"], gaps=[
        Gap(type="missing_skill", severity="high", target="kafka", section="skills",
            message="Kafka is required", suggestion="Add a Kafka project", impact=9),
        Gap(type="weak_evidence", severity="medium", target="airflow", section="experience",
            message="Airflow is only listed", suggestion="Show Airflow in a role", impact=3)])
    text = render(cards.gap_list(report, job=JOB))
    assert "61" in text
    for g in report.gaps:
        assert g.message in text and re.search(rf"\+?\**\"?{g.impact}(?!\d)", text), g
    checklist = cards.checklist([
        {"id": "add:kafka", "label": "Add Kafka", "impact": 5, "default": True,
         "measured": "ATS keyword match 14/30 (47%) -> 15/30 (50%)"},
        {"id": "kw:etl", "label": "Say ETL", "impact": 1, "default": False}], job=JOB)
    text = render(checklist)
    for item in checklist.items:
        assert item.label in text and re.search(rf"\+?{item.impact}(?!\d)", text), item
    assert "14/30 (47%) -> 15/30 (50%)" in text  # what the option moves


def _digest() -> Any:
    from tests.unit.test_digest_card import _digest as composed
    from tools.insights import SkillTrend

    d = composed(3)
    return d.model_copy(update={"trends": [SkillTrend(skill_id="k8s", skill="Kubernetes",
                                                      count=12, previous=9, change=3,
                                                      direction="rising")]})


DIGEST_RENDERERS: dict[str, Callable[[Any], str]] = {
    **RENDERERS,
    "email page": lambda c: "",  # rendered from the composed digest below
    "web props": lambda c: "",
}


@pytest.mark.parametrize("renderer", sorted(DIGEST_RENDERERS))
def test_every_renderer_shows_the_same_digest(renderer: str) -> None:
    from tools.digest_card import digest_card
    from ui.digest_web import digest_card_props
    from ui.email import render_html as email_page

    d = _digest()
    card = digest_card(d)
    card = card.model_copy(update={"matches": [
        m.model_copy(update={"job": m.job.model_copy(update={"also_on": ["LinkedIn"]})})
        if i == 0 else m for i, m in enumerate(card.matches)]})
    if renderer == "email page":
        text = _html_text(email_page(d))  # the e-mail of the composed digest: its card
        card = digest_card(d)
    elif renderer == "web props":
        text = json.dumps(digest_card_props({"digest": d.model_dump(mode="json")}),
                          ensure_ascii=False)
        card = digest_card(d)
    else:
        text = RENDERERS[renderer](card)
    for m in card.matches:
        assert m.job.title in text and re.search(rf"(?<!\d){m.score}(?!\d)", text), m
        assert m.reason in text and m.gap in text, (renderer, m.gap)
        if m.job.also_on:
            assert "LinkedIn" in text, renderer
    assert "Kubernetes (required), +7 points if closed" in text
    for c in card.changes:
        assert c in text
    assert "Kubernetes" in text and re.search(r"12 jobs|12\b", text)  # the trend
    for s in card.skills:
        assert s.detail in text, (renderer, s.detail)


# --------------------------------------------------------------------------- evidence prompts

ASK_ID = "show_in_role:kubernetes"
ASK_LABEL = "Show Kubernetes in a role: tell me where you used it and what came of it"
ASK_PROMPT = ("Reply: add to Backend Developer at Acme Corp: <what you did with Kubernetes and "
              "what came of it>")


def _evidence_checklist(*, changes: bool = True) -> cards.TailoringChecklist:
    """A checklist as ``tailor_cv`` returns it (option dicts): a change and a request for the
    user's own line (which ``tools.tailoring`` never makes a default)."""
    options: list[dict[str, Any]] = [
        {"id": "add_keywords", "label": "Add the posting's keywords", "impact": 4,
         "action": "add_keywords", "detail": "", "default": True, "measured": "",
         "prompt": ""}] if changes else []
    options.append({"id": ASK_ID, "label": ASK_LABEL, "impact": 0, "action": "show_in_role",
                    "detail": "Kubernetes is only listed in your CV, in no role.",
                    "default": False, "measured": "", "prompt": ASK_PROMPT})
    return cards.checklist(options, job=JOB)


def test_checklist_items_know_prompts_from_changes() -> None:
    card = _evidence_checklist()
    assert [(i.id, i.kind) for i in card.items] == [("add_keywords", "change"),
                                                    (ASK_ID, "prompt")]
    assert [i.id for i in card.changes] == ["add_keywords"]
    assert card.prompts[0].prompt == ASK_PROMPT and not card.prompts[0].default
    # a request marked default by mistake, or without its own prompt, is still a prompt
    odd = cards.checklist([{"id": "show_in_role:go", "label": "Show Go", "action": "",
                            "default": True}], job=JOB)
    assert odd.items[0].kind == "prompt" and not odd.items[0].default
    assert odd.items[0].prompt.startswith("Reply: add to <a role from your CV>: <")


@pytest.mark.parametrize("renderer", [*sorted(RENDERERS), "props"])
def test_every_renderer_shows_evidence_requests_as_prompts(renderer: str) -> None:
    render = _props_text if renderer == "props" else RENDERERS[renderer]
    text = render(_evidence_checklist())
    prompt = (ASK_PROMPT.replace("<", "&lt;").replace(">", "&gt;") if renderer == "blockkit"
              else ASK_PROMPT)  # Slack's escaping of < and >
    assert ASK_LABEL in text and prompt in text, (renderer, text)
    assert "Add the posting's keywords" in text
    for line in text.splitlines():  # no box, no number, no id to pick for the request
        if ASK_LABEL in line:
            assert not re.search(r"\[[ x]\]|[☐☑]|^\s*\d+\.", line), (renderer, line)


def test_markdown_numbers_changes_by_position_and_lists_prompts_apart() -> None:
    text = render_markdown(_evidence_checklist())
    assert "1. **Add the posting's keywords** (+4 points)" in text
    assert not re.search(r"^2\.", text, re.M) and f"`{ASK_ID}`" not in text
    assert f"- **{ASK_LABEL}** — {ASK_PROMPT}" in text
    assert "own words" in text


def test_slack_and_teams_never_send_a_request_with_apply() -> None:
    from ui.renderers.adaptive import chosen_options

    blocks = render_blocks(_evidence_checklist())
    boxes = [e for b in blocks if b["type"] == "actions" for e in b["elements"]
             if e["type"] == "checkboxes"]
    assert len(boxes) == 1
    values = [o["value"] for o in boxes[0]["options"]]
    assert values == ["add_keywords"]
    assert [o["value"] for o in boxes[0]["initial_options"]] == ["add_keywords"]
    assert any(e.get("action_id") == "jf_tailor_apply" for b in blocks
               if b["type"] == "actions" for e in b["elements"])

    card = render_adaptive(_evidence_checklist())
    toggles = [e["id"] for e in card["body"] if e["type"] == "Input.Toggle"]
    assert toggles == ["opt_add_keywords"]
    submitted = {t: "true" for t in toggles} | {"action": "tailor_apply", "job_ref": "7"}
    assert chosen_options(submitted) == ["add_keywords"]  # "apply all": every toggle on
    # even a forged submission never passes a request on as an option
    assert chosen_options({f"opt_{ASK_ID}": "true", "opt_add_keywords": "true"}) == [
        "add_keywords"]


def test_only_prompts_means_no_apply_button_anywhere() -> None:
    card = _evidence_checklist(changes=False)
    blocks = render_blocks(card)
    assert not [b for b in blocks if b["type"] == "actions"]
    assert ASK_PROMPT.replace("<", "&lt;").replace(">", "&gt;") in json.dumps(
        blocks, ensure_ascii=False)
    adaptive = render_adaptive(card)
    assert "actions" not in adaptive and not [e for e in adaptive["body"]
                                              if e["type"] == "Input.Toggle"]
    props = checklist_props(card)
    assert props["options"] == [] and [p["id"] for p in props["prompts"]] == [ASK_ID]
    assert "☐" not in render_html(card) and "[ ]" not in _terminal(card)


def test_web_props_send_only_changes() -> None:
    props = checklist_props(_evidence_checklist())
    assert [o["id"] for o in props["options"]] == ["add_keywords"]
    assert props["prompts"] == [{"id": ASK_ID, "label": ASK_LABEL, "prompt": ASK_PROMPT,
                                 "detail": "Kubernetes is only listed in your CV, in no role."}]

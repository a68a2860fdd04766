"""The channel-neutral card model (tools/cards.py) and its renderers (ui/renderers): one card,
the same numbers in Markdown, Block Kit, Adaptive Cards and e-mail HTML."""

from __future__ import annotations

import json

import pytest

from tests.unit.test_app_cards import ANALYSIS
from tools import cards
from tools.card_text import bar, render_markdown
from tools.schemas import FactorScore, Gap, GapReport, MatchResult
from ui.bots import LINK_REQUEST_RE, link_code_in
from ui.renderers.adaptive import chosen_options, render_adaptive
from ui.renderers.blockkit import esc, render_blocks, text_blocks
from ui.renderers.email import render_html

JOBS = {"kind": "job_list", "source": "matches", "jobs": [
    {"job_id": "s-1", "ref": 11, "title": "Data <Engineer>", "company": "A&B", "score": 82,
     "grade": "A", "location": "Berlin", "position": 1},
    {"job_id": "s-2", "ref": 12, "title": "Analyst", "company": "C", "score": 45, "grade": "C",
     "position": 2}]}


def test_score_card_from_result_keeps_every_number() -> None:
    card = cards.card_from_result(ANALYSIS)
    assert isinstance(card, cards.ScoreCard)
    assert (card.score, card.grade, card.band) == (74, "B", "blue")
    assert [s.name for s in card.sub_scores] == ["skills", "experience", "location", "salary",
                                                  "semantic"]
    salary = card.sub_scores[3]
    assert salary.score is None and not salary.known and salary.points is None
    assert card.unknown == ["Salary"]
    assert card.missing == ["kubernetes"] and card.matched == ["python", "postgresql"]
    assert [g.impact for g in card.top_gaps] == [6, 1, 0]
    assert card.confidence == 83


def test_score_card_from_engine_objects() -> None:
    factors = {n: FactorScore(name=n, score=s, weight=0.2, effective_weight=0.25,
                              contribution=None if s is None else s * 0.25)
               for n, s in (("skills", 80.0), ("experience", 60.0), ("location", None),
                            ("salary", 100.0), ("semantic", 40.0))}
    result = MatchResult(score=70, grade="B", label="Good", recommended=True, factors=factors,
                         unknown_factors=["location"], confidence=0.8,
                         missing_required=["go"])
    gaps = GapReport(score=70, gaps=[Gap(type="missing_skill", severity="high", target="go",
                                         message="Go is required", suggestion="add Go",
                                         section="skills", impact=9)])
    card = cards.score_card(result, gaps, job=cards.JobRef(ref=3, title="Dev"))
    assert card.sub_scores[2].score is None and card.sub_scores[0].points == 20.0
    assert card.top_gaps[0].impact == 9 and card.missing == ["go"]
    gl = cards.gap_list(gaps, job=card.job)
    assert gl.gaps[0].suggestion == "add Go" and gl.band == "blue"


@pytest.mark.parametrize(("score", "band"), [(80, "green"), (60, "blue"), (40, "amber"),
                                              (39, "red"), (None, "grey")])
def test_band(score: int | None, band: str) -> None:
    assert cards.band(score) == band


def test_markdown_shows_unknown_as_unknown_never_as_a_bar() -> None:
    text = render_markdown(cards.card_from_result(ANALYSIS))  # type: ignore[arg-type]
    assert "Salary: unknown" in text
    assert "Skills: " + bar(81) + " 81" in text
    assert "Kubernetes is required (**+6** points if closed)" in text
    assert "(grade **B**, good match)" in text and "`sample-0-00007`" in text
    assert bar(None) == "unknown" and bar(100) == "█" * 10 and bar(0) == "░" * 10


def test_block_kit_score_card() -> None:
    blocks = render_blocks(cards.card_from_result(ANALYSIS))  # type: ignore[arg-type]
    assert blocks[0]["text"]["text"].startswith("🔵 *74/100* · grade *B*")
    assert "`#7`" in blocks[0]["text"]["text"]
    bars = blocks[1]["text"]["text"]
    assert "Salary: unknown" in bars and bars.count("\n") == 4
    assert any(b["type"] == "context" and "Unknown: Salary" in b["elements"][0]["text"]
               for b in blocks)
    actions = [b for b in blocks if b["type"] == "actions"][0]
    assert [e["action_id"] for e in actions["elements"]] == [
        "jf_gaps", "jf_tailor", "jf_interested", "jf_applied", "jf_dismiss"]
    assert {e["value"] for e in actions["elements"]} == {"7"}


def test_block_kit_job_list_escapes_and_has_six_buttons_per_row() -> None:
    card = cards.card_from_result(JOBS)
    assert isinstance(card, cards.JobList) and card.title == "Your best matches"
    blocks = render_blocks(card)
    text = json.dumps(blocks)
    assert "Data &lt;Engineer&gt;" in text and "A&amp;B" in text and "<Engineer>" not in text
    rows = [b for b in blocks if b["type"] == "actions"]
    assert len(rows) == 2 and len(rows[0]["elements"]) == 6
    assert rows[1]["block_id"] == "job_12"
    assert len(blocks) <= 50


def test_block_kit_limits() -> None:
    many = {"kind": "job_list", "jobs": [{"ref": i, "title": f"Job {i}", "score": 50}
                                         for i in range(1, 40)]}
    assert len(render_blocks(cards.card_from_result(many))) <= 50  # type: ignore[arg-type]
    assert all(len(b["text"]["text"]) <= 3000 for b in text_blocks("x" * 10_000))
    assert esc("<@U1> & co") == "&lt;@U1&gt; &amp; co"


def test_checklist_in_slack_and_teams() -> None:
    options = [{"id": "add:go", "label": "Add Go", "impact": 5, "detail": "d", "default": True},
               {"id": "kw:ci", "label": "Say CI/CD", "impact": 1, "detail": "", "default": False}]
    card = cards.checklist(options, job=cards.JobRef(ref=4, title="Dev"))
    blocks = render_blocks(card)
    boxes = blocks[1]["elements"][0]
    assert boxes["type"] == "checkboxes" and [o["value"] for o in boxes["options"]] == [
        "add:go", "kw:ci"]
    assert [o["value"] for o in boxes["initial_options"]] == ["add:go"]
    assert blocks[2]["elements"][0]["action_id"] == "jf_tailor_apply"
    adaptive = render_adaptive(card)
    toggles = [b for b in adaptive["body"] if b["type"] == "Input.Toggle"]
    assert [t["id"] for t in toggles] == ["opt_add:go", "opt_kw:ci"]
    assert adaptive["actions"][0]["data"] == {"action": "tailor_apply", "job_ref": "4"}
    assert chosen_options({"opt_add:go": "true", "opt_kw:ci": "false", "action": "x"}) == [
        "add:go"]


def test_adaptive_score_card_colours_and_buttons() -> None:
    card = render_adaptive(cards.card_from_result(ANALYSIS))  # type: ignore[arg-type]
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.5"
    big = card["body"][0]["columns"][0]["items"][0]
    assert big["text"] == "74" and big["color"] == "Accent"
    facts = {f["title"]: f["value"] for b in card["body"] if b["type"] == "FactSet"
             for f in b["facts"]}
    assert facts["Salary"].startswith("unknown") and facts["Skills"].endswith(" 81")
    assert {a["data"]["action"] for a in card["actions"]} == {
        "gaps", "tailor", "interested", "applied", "dismiss"}


def test_digest_card_in_every_renderer() -> None:
    digest = cards.digest(title="Weekly", matches=JOBS["jobs"],  # type: ignore[arg-type]
                          skills=[{"skill": "Kubernetes", "impact": 12, "jobs": 3}],
                          notes=["2 new jobs since Monday"])
    assert digest.matches[0].band == "green" and digest.skills[0].impact == 12
    md = render_markdown(digest)
    assert "Kubernetes: +12 over 3 job(s)" in md and "Weekly" in md
    blocks = render_blocks(digest)
    assert blocks[0]["text"]["text"] == "Weekly"
    html = render_html(digest)
    assert "Data &lt;Engineer&gt;" in html and "<Engineer>" not in html
    assert "+12 over 3 job(s)" in html
    adaptive = render_adaptive(digest)
    assert adaptive["body"][0]["text"] == "Weekly"
    assert cards.Digest.model_validate(json.loads(digest.model_dump_json())) == digest


def test_html_links_only_http() -> None:
    job = cards.JobRef(title="X", url="javascript:alert(1)")
    html = render_html(cards.ScoreCard(job=job, score=50, sub_scores=[]))
    assert "javascript:" not in html


def test_non_card_results_are_none() -> None:
    for kind in ("error", "cv_saved", "forgotten", "text"):
        assert cards.card_from_result({"kind": kind}) is None


def test_link_phrases() -> None:
    assert LINK_REQUEST_RE.match("link slack") and LINK_REQUEST_RE.match("Link my Teams!")
    assert not LINK_REQUEST_RE.match("link slack to my cv and tell me jobs")
    assert link_code_in("link ABCD-EF23") == "ABCD-EF23"
    assert link_code_in("/jobfit link abcdef23") == "abcdef23"
    assert link_code_in("link to this job please") is None



def test_bare_commands_in_messages() -> None:
    from ui.bots import help_text, is_command

    for text in ("matches", "Digest", "help?", "fit 42", "/jobfit fit #42", "fit sample-0-1",
                 "fit " + "Senior Python developer wanted. " * 8):
        assert is_command(text), text
    for text in ("fit me into a data job", "show my matches", "how well do I fit 42?",
                 "help me tailor my cv"):
        assert not is_command(text), text
    assert "`/jobfit matches`" in help_text("slack") and "link slack" in help_text("slack")
    assert "`matches`" in help_text("teams") and "/jobfit" not in help_text("teams")
    assert "link teams" in help_text("teams")

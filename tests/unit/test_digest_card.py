"""The composed digest as the chat card, and the card in every renderer."""

from __future__ import annotations

from datetime import UTC, datetime

from tools.card_text import render_markdown
from tools.cards import Digest as DigestCard
from tools.digest import Digest, DigestChange, DigestMatch
from tools.digest_card import digest_card
from tools.insights import SkillImpact
from ui.renderers.adaptive import render_adaptive
from ui.renderers.blockkit import MAX_BLOCKS, render_blocks


def _match(i: int, score: int) -> DigestMatch:
    return DigestMatch(job_id=f"ext-{i}", ref=100 + i, title=f"Engineer {i}", company="Acme",
                       score=score, grade="B", label="good fit",
                       reason="Python and PostgreSQL match the job's core stack",
                       gap="Kubernetes (required)", gap_points=7 if i == 0 else None)


def _skill(name: str, kind: str, total: int) -> SkillImpact:
    return SkillImpact(skill_id=name.lower(), skill=name, kind=kind,  # type: ignore[arg-type]
                       impact=total / 4, jobs=4, of=30, total=total, best=9,
                       related="Docker" if kind == "learn" else None, listed=kind == "show")


def _digest(n: int = 3) -> Digest:
    return Digest(
        period="2026-W49", generated=datetime(2026, 12, 7, 8, tzinfo=UTC),
        since=datetime(2026, 11, 30, 8, tzinfo=UTC), more=4,
        matches=[_match(i, 90 - i) for i in range(n)],
        changes=[DigestChange(kind="closed", job_id="ext-9", ref=9, title="Old job",
                              text="Old job, which you saved, expired.")],
        skills=[_skill("Kubernetes", "learn", 28), _skill("Terraform", "learn", 12),
                _skill("Go", "show", 16)])


def test_card_holds_scores_reasons_gaps_refs_changes_and_measured_skills() -> None:
    d = _digest()
    card = digest_card(d)
    assert [m.job.ref for m in card.matches] == [100, 101, 102]
    assert [m.score for m in card.matches] == [90, 89, 88]
    assert card.matches[0].band == "green" and card.matches[0].grade == "B"
    assert card.matches[0].reason.startswith("Python and PostgreSQL")
    assert card.matches[0].gap == "Kubernetes (required), +7 points if closed"
    assert card.matches[1].gap == "Kubernetes (required)"
    assert card.changes == ["Old job, which you saved, expired."]
    assert [(s.kind, s.skill, s.impact) for s in card.skills] == [
        ("show", "Go", 16), ("learn", "Kubernetes", 28), ("learn", "Terraform", 12)]
    assert "+7 points on average on 4 of your top 30 matches (you have Docker)" in \
        card.skills[1].detail
    assert card.notes[0] == "Since 30 Nov 2026: 7 new matches, 1 change (4 more in the app)."
    assert DigestCard.model_validate_json(card.model_dump_json()) == card


def test_every_renderer_shows_the_new_parts() -> None:
    card = digest_card(_digest())
    md = render_markdown(card)
    for part in ("Why: Python", "Biggest gap: Kubernetes (required), +7", "What changed:",
                 "You may already have it", "Worth learning:", "Old job, which you saved"):
        assert part in md, part
    blocks = str(render_blocks(card))
    for part in ("_Why:_", "_Biggest gap:_", "*What changed*", "*Worth learning*"):
        assert part in blocks, part
    adaptive = str(render_adaptive(card))
    assert "Why: Python" in adaptive and "What changed" in adaptive and "Worth learning" in \
        adaptive


def test_a_full_digest_fits_slacks_block_limit_and_keeps_every_button() -> None:
    card = digest_card(_digest(10))
    blocks = render_blocks(card)
    assert len(blocks) <= MAX_BLOCKS
    actions = [b for b in blocks if b["type"] == "actions"]
    assert [b["block_id"][4:] for b in actions] == [str(100 + i) for i in range(10)]


def test_a_digest_without_cv_says_so() -> None:
    d = Digest(period="p", generated=datetime(2026, 12, 7, tzinfo=UTC),
               since=datetime(2026, 12, 6, tzinfo=UTC), has_cv=False)
    card = digest_card(d)
    assert not card.matches and any("no CV" in n for n in card.notes)
    assert "No new matches." in render_markdown(card)

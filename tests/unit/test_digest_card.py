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


def test_plain_text_is_the_card_as_text_with_everything_the_digest_holds() -> None:
    """``jobfit digest preview --format text`` and the e-mail's text part: the digest card
    (one assembly for every channel) as plain text, nothing of the digest left out."""
    from tools.card_text import digest_text
    from tools.digest import render_text
    from tools.digest_card import MAX_SKILLS
    from tools.insights import SkillTrend
    from ui.email import render_plain

    d = _digest(2)
    first = d.matches[0].model_copy(update={
        "location": "Berlin", "remote": "hybrid", "salary": "€70k", "also_on": ["boardB"],
        "url": "https://jobs.example/1"})
    skills = [_skill(f"Skill{i}", "learn", 40 - i) for i in range(MAX_SKILLS + 2)]
    d = d.model_copy(update={
        "matches": [first, *d.matches[1:]], "skills": [*skills, _skill("Go", "show", 16)],
        "trends": [SkillTrend(skill_id="k8s", skill="Kubernetes", count=12, previous=9,
                              change=3, direction="rising")],
        "falling": [SkillTrend(skill_id="php", skill="PHP", count=2, previous=6, change=-4,
                               direction="falling")]})
    text = render_text(d, name="Ana", chat_url="http://x", unsubscribe_url="http://x/u")
    assert text == digest_text(digest_card(d, max_skills=None), name="Ana", chat_url="http://x",
                               unsubscribe_url="http://x/u")
    assert text == render_plain(d, name="Ana", chat_url="http://x", unsubscribe_url="http://x/u")
    lines = text.splitlines()
    assert lines[:3] == ["Hi Ana,", "", "Your jobfit digest (2026-W49): 6 new matches, 1 change."]
    assert "NEW MATCHES (score 60+, since 30 Nov 2026)" in lines
    assert ("1. Engineer 0 - Acme, Berlin, hybrid - 90/100 (B, good fit) [ext-0]" in lines)
    for line in ("   Why: Python and PostgreSQL match the job's core stack",
                 "   Biggest gap: Kubernetes (required), +7 points if closed",
                 "   Salary: €70k", "   Also on: boardB", "   https://jobs.example/1",
                 "2. Engineer 1 - Acme - 89/100 (B, good fit) [ext-1]",
                 "... and 4 more in the app.", "WHAT CHANGED",
                 "- Old job, which you saved, expired.",
                 "- Kubernetes: 12 jobs (up 3)", "- PHP: 2 jobs (down 4)",
                 "YOU MAY ALREADY HAVE IT - SHOW IT IN YOUR CV", "WORTH LEARNING",
                 "Scores from jobfit's deterministic engine.",
                 "Open jobfit: http://x", "Stop these e-mails: http://x/u"):
        assert line in lines, line
    for s in d.skills:  # every skill, not only the card's first MAX_SKILLS of a kind
        assert f"- {s.skill}: +{s.impact:g} points on average on 4 of your top 30 matches" in text
    assert "**" not in text and "`" not in text and "<" not in text  # plain text
    assert "Since 30 Nov 2026:" not in text  # the card's summary note, said above already


def test_plain_text_without_cv_or_matches() -> None:
    from tools.digest import render_text

    d = _digest(0).model_copy(update={"changes": [], "more": 0, "has_cv": False})
    text = render_text(d)
    assert text.startswith("Hi,\n\nYour jobfit digest (2026-W49): Nothing new this period.\n\n"
                           "Upload your CV to get matches: jobfit has no CV for you yet.\n")
    assert text.count("Upload your CV") == 1 and "NEW MATCHES" not in text
    assert "No new jobs" not in text  # without a CV there is nothing to match
    has_cv = render_text(d.model_copy(update={"has_cv": True}))
    assert "No new jobs at or above 60 since 30 Nov 2026." in has_cv

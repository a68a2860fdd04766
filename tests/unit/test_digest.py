"""Digest composition (pure): threshold, preferences, exclusions, duplicates, order, text;
schedules: parsing, next run and periods across time zones and DST, against APScheduler."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from apscheduler.triggers.cron import CronTrigger

from agent.digest_intents import route_digest, schedule_in, timezone_in
from agent.offline.vocabulary import _norm
from tools.digest import (
    Digest,
    DigestChange,
    DigestPreferences,
    ScoredJob,
    company_key,
    compose_digest,
    digest_json,
    passes_preferences,
    render_text,
)
from tools.digest_schedule import (
    latest_slot,
    local_text,
    next_run,
    parse_schedule,
    period_key,
    zone,
)
from tools.errors import InvalidInputError
from tools.insights import SkillImpact
from tools.schemas import FactorScore, JobPosting, Location, MatchResult, SalaryRange
from tools.scoring import grade_for, label_for

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def result(score: int, missing: list[str] | None = None) -> MatchResult:
    factors = {
        "skills": FactorScore(name="skills", score=90.0, weight=0.5, contribution=45.0,
                              comment="8 of 9 required skills"),
        "experience": FactorScore(name="experience", score=50.0, weight=0.5, contribution=25.0,
                                  comment="3 years vs 5+ required"),
    }
    return MatchResult(score=score, grade=grade_for(score), label=label_for(score),
                       recommended=score >= 70, factors=factors, confidence=1.0,
                       missing_required=missing or [])


def job(ref: int, score: int, *, group: int | None = None, company: str = "Acme",
        mode: str | None = "remote", city: str | None = None, country: str | None = None,
        salary: float | None = None, currency: str | None = "EUR",
        missing: list[str] | None = None) -> ScoredJob:
    loc = Location(raw=", ".join(x for x in (city, country) if x), city=city,
                   country=country) if (city or country) else None
    posting = JobPosting(title=f"Engineer {ref}", company=company, work_mode=mode,  # type: ignore[arg-type]
                         location=loc, external_id=f"ext-{ref}",
                         salary=SalaryRange(min=salary, max=salary, currency=currency)
                         if salary else None)
    return ScoredJob(ref=ref, posting=posting, result=result(score, missing),
                     group=group if group is not None else ref)


def compose(candidates: list[ScoredJob], **kw: object) -> Digest:
    prefs = kw.pop("preferences", DigestPreferences())
    return compose_digest(period="2026-12-07", generated=NOW, since=NOW - timedelta(days=1),
                          candidates=candidates, preferences=prefs, **kw)  # type: ignore[arg-type]


def test_threshold_order_and_limit() -> None:
    d = compose([job(3, 70), job(1, 59), job(2, 90), job(4, 70), job(5, 60)], max_matches=3)
    assert [m.ref for m in d.matches] == [2, 3, 4]  # best first, ties by id; 59 left out
    assert d.more == 1 and d.matches[0].grade == grade_for(90)
    assert d.matches[0].reason == "8 of 9 required skills"  # the factor adding most points
    assert d.headline() == "4 new matches"


def test_excluded_jobs_and_groups_never_listed() -> None:
    d = compose([job(1, 90), job(2, 80, group=7), job(3, 75, group=7), job(4, 70)],
                excluded={1}, excluded_groups={7})
    assert [m.ref for m in d.matches] == [4]


def test_one_job_per_duplicate_group() -> None:
    d = compose([job(10, 80, group=10), job(11, 85, group=10), job(12, 85, group=10),
                 job(13, 70)])
    assert [m.ref for m in d.matches] == [11, 13]  # best of the group, lowest id on ties


@pytest.mark.parametrize(("prefs", "kept"), [
    (DigestPreferences(blocked_companies=["ACME, Inc."]), [2, 3, 4, 5]),
    (DigestPreferences(remote="remote"), [1, 5]),  # onsite/hybrid out; unknown mode kept
    (DigestPreferences(remote="onsite"), [2, 3, 4, 5]),
    (DigestPreferences(locations=["Berlin"]), [1, 2, 5]),  # remote jobs pass places
    (DigestPreferences(locations=["Germany"]), [1, 2, 3, 5]),
    (DigestPreferences(salary_floor=80000, salary_currency="EUR"), [1, 3, 4, 5]),
])
def test_preferences(prefs: DigestPreferences, kept: list[int]) -> None:
    jobs = [job(1, 90, company="Acme Inc", mode="remote"),
            job(2, 85, company="Globex", mode="onsite", city="Berlin", country="DE",
                salary=60000),
            job(3, 80, company="Initech", mode="hybrid", city="Munich", country="DE",
                salary=90000),
            job(4, 75, company="Umbrella", mode="onsite", city="London", country="GB",
                salary=95000),
            job(5, 70, company="Hooli", mode=None)]
    assert [m.ref for m in compose(jobs, preferences=prefs).matches] == kept


def test_company_key_and_unknown_never_excludes() -> None:
    assert company_key("The Acme Co.") == company_key("acme") == "acme"
    unknown = JobPosting(title="x")
    assert passes_preferences(unknown, DigestPreferences(
        remote="remote", locations=["Paris"], salary_floor=1e6))


def test_biggest_gap_uses_the_measured_impact() -> None:
    impact = SkillImpact(skill_id="kubernetes", skill="Kubernetes", kind="learn", impact=6.0,
                         jobs=1, of=1, total=6, best=6, per_job={"1": 6})
    d = compose([job(1, 80, missing=["Go", "Kubernetes"]), job(2, 75, missing=["Go"])],
                skills=[impact])
    assert (d.matches[0].gap, d.matches[0].gap_points) == ("Kubernetes (required)", 6)
    assert (d.matches[1].gap, d.matches[1].gap_points) == ("Go (required)", None)


def test_text_and_json_forms_are_deterministic() -> None:
    change = DigestChange(kind="closed", job_id="ext-9", ref=9, title="Old job",
                          text="Old job at Acme, which you saved, expired.")
    impact = SkillImpact(skill_id="docker", skill="Docker", kind="show", impact=3.5, jobs=4,
                         of=30, total=14, best=5, related="Podman")
    args = {"changes": [change], "skills": [impact], "measured_on": 30}
    a = compose([job(1, 90), job(2, 70)], **args)
    b = compose([job(2, 70), job(1, 90)], **args)
    assert a == b and render_text(a) == render_text(b)
    text = render_text(a, name="Ana", chat_url="http://x", unsubscribe_url="http://x/u")
    assert "Hi Ana," in text and "Engineer 1 - Acme, remote - 90/100" in text
    assert "WHAT CHANGED\n- Old job at Acme, which you saved, expired." in text
    assert ("YOU MAY ALREADY HAVE IT - SHOW IT IN YOUR CV\n- Docker: +3.5 points on average on "
            "4 of your top 30 matches (you have Podman)") in text
    assert "Stop these e-mails: http://x/u" in text
    data = digest_json(a)
    assert set(data["matches"][0]) >= {"job_id", "title", "company", "score", "grade"}
    assert set(data["skills"][0]) >= {"skill", "impact", "jobs"}
    assert data["empty"] is False and Digest.model_validate(
        {k: v for k, v in data.items() if k not in ("empty", "headline")}) == a


def test_empty_period() -> None:
    d = compose([job(1, 40)])
    assert d.empty and d.headline() == "Nothing new this period"
    assert "No new jobs at or above 60" in render_text(d)


# --------------------------------------------------------------------------- schedules


def test_parse_schedule() -> None:
    assert parse_schedule("daily 7:30").text() == "daily 07:30"
    assert parse_schedule("weekly").text() == "weekly mon 08:00"
    assert parse_schedule("weekly Fridays 17").text() == "weekly fri 17:00"
    assert parse_schedule(None).off and parse_schedule("off").off
    for bad in ("hourly", "daily 25:00", "weekly funday 08:00", "daily mon 08:00"):
        with pytest.raises(InvalidInputError):
            parse_schedule(bad)
    with pytest.raises(InvalidInputError):
        zone("Mars/Olympus")


CASES = [
    ("daily 08:00", "Europe/Berlin", {"hour": 8, "minute": 0}),
    ("daily 02:30", "Europe/Berlin", {"hour": 2, "minute": 30}),  # in the spring-forward gap
    ("daily 01:30", "America/New_York", {"hour": 1, "minute": 30}),  # repeated in the fall
    ("weekly sun 02:30", "Europe/Berlin", {"day_of_week": "sun", "hour": 2, "minute": 30}),
    ("weekly mon 08:00", "Asia/Kolkata", {"day_of_week": "mon", "hour": 8, "minute": 0}),
    ("daily 00:00", "Pacific/Auckland", {"hour": 0, "minute": 0}),
]


@pytest.mark.parametrize(("text", "tz_name", "cron"), CASES)
def test_next_run_agrees_with_apscheduler_across_dst(text: str, tz_name: str,
                                                    cron: dict[str, object]) -> None:
    schedule, tz = parse_schedule(text), zone(tz_name)
    trigger = CronTrigger(timezone=tz, **cron)  # type: ignore[arg-type]
    # every 7 hours through both 2026 DST changes of both hemispheres
    for start in (datetime(2026, 3, 24, tzinfo=UTC), datetime(2026, 10, 20, tzinfo=UTC),
                  datetime(2026, 3, 30, tzinfo=UTC), datetime(2026, 11, 1, tzinfo=UTC)):
        moment = start
        for _ in range(40):
            expected = trigger.get_next_fire_time(None, moment + timedelta(microseconds=1))
            assert next_run(schedule, tz, moment) == expected.astimezone(UTC), moment
            moment += timedelta(hours=7)


def test_local_time_is_kept_across_dst() -> None:
    s, tz = parse_schedule("daily 08:00"), zone("Europe/Berlin")
    winter = next_run(s, tz, datetime(2026, 3, 28, 12, tzinfo=UTC))
    summer = next_run(s, tz, datetime(2026, 3, 29, 12, tzinfo=UTC))
    assert winter == datetime(2026, 3, 29, 6, tzinfo=UTC)  # the DST day itself: 08:00 CEST
    assert summer == datetime(2026, 3, 30, 6, tzinfo=UTC)
    assert next_run(s, tz, datetime(2026, 3, 27, 12, tzinfo=UTC)) == datetime(
        2026, 3, 28, 7, tzinfo=UTC)
    assert local_text(summer, tz) == "Mon 30 Mar 2026, 08:00 CEST"
    assert next_run(parse_schedule("off"), tz, summer) is None


def test_latest_slot_and_periods() -> None:
    weekly, tz = parse_schedule("weekly mon 08:00"), zone("Europe/Berlin")
    # Monday 7 Dec 2026 08:00 Berlin = 07:00 UTC
    assert latest_slot(weekly, tz, datetime(2026, 12, 7, 6, 59, tzinfo=UTC)) == datetime(
        2026, 11, 30, 7, tzinfo=UTC)
    slot = latest_slot(weekly, tz, datetime(2026, 12, 9, tzinfo=UTC))
    assert slot == datetime(2026, 12, 7, 7, tzinfo=UTC)
    assert period_key(weekly, tz, slot) == "2026-W50"
    daily = parse_schedule("daily 00:30")
    tokyo = zone("Asia/Tokyo")
    late = latest_slot(daily, tokyo, datetime(2026, 12, 7, 15, 40, tzinfo=UTC))  # 00:40 JST
    assert late is not None and period_key(daily, tokyo, late) == "2026-12-08"  # local date


# --------------------------------------------------------------------------- phrases


@pytest.mark.parametrize(("text", "call"), [
    ("send me a weekly digest on Mondays at 8", ("set_digest_schedule",
                                                 {"schedule": "weekly mon 08:00"})),
    ("daily digest at 7:30 Berlin time", ("set_digest_schedule", {
        "schedule": "daily 07:30", "timezone": "Europe/Berlin"})),
    ("send me a daily digest", ("set_digest_schedule", {"schedule": "daily 08:00"})),
    ("send me a weekly digest at 8pm", ("set_digest_schedule",
                                        {"schedule": "weekly mon 20:00"})),
    ("email me new matches every week", ("set_digest_schedule",
                                         {"schedule": "weekly mon 08:00"})),
    ("show my digest", ("show_digest", {})),
    ("what's in my digest?", ("show_digest", {})),
    ("my last digests", ("show_digest", {"history": True})),
    ("send my digest now", ("send_digest_now", {})),
    ("stop my digests", ("set_digest_schedule", {"schedule": "off"})),
    ("stop the digest", ("set_digest_schedule", {"schedule": "off"})),
    ("what skills are trending for me?", ("skill_insights", {"topic": "trends"})),
    ("what should I learn?", ("skill_insights", {"topic": "learn"})),
    ("what should I learn first?", ("skill_insights", {"topic": "learn"})),
])
def test_digest_phrases(text: str, call: tuple[str, dict[str, object]]) -> None:
    assert route_digest(_norm(text), text) == call


def test_phrases_that_are_not_digests() -> None:
    for text in ("I want remote roles", "show my best matches", "find python jobs in Berlin",
                 "how well do I fit the second one?"):
        assert route_digest(_norm(text), text) is None
    assert timezone_in("at 9 new york time", "at 9 New York time") == "America/New_York"
    assert timezone_in("at 9 in europe/paris", "at 9 in Europe/Paris") == "Europe/Paris"
    assert timezone_in("at 9", "at 9") is None
    assert schedule_in("every friday at 5:45 pm") == "weekly fri 17:45"

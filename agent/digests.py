"""Digest runs: gather a user's data, compose the digest (tools.digest), store it once per
period and hand it to every channel (in-app, e-mail, Slack, Teams) exactly once.

:class:`DigestCenter` sits beside :class:`agent.service.JobfitService` (which exposes it as
``service.digests``): it reads through the service's repositories and stage-1 indexes, never
with SQL of its own. The scheduler (``ui/scheduler.py``), the CLI and the chat all call it.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from tools.digest import (
    DeliveryOutcome,
    Digest,
    DigestChange,
    DigestChannel,
    DigestPreferences,
    Recipient,
    ScoredJob,
    compose_digest,
    select_rows,
)
from tools.digest_schedule import (
    Schedule,
    latest_slot,
    local_text,
    next_run,
    parse_schedule,
    period_key,
    period_length,
    zone,
)
from tools.errors import InvalidInputError, JobfitError
from tools.insights import (
    ImpactJob,
    falling_from_counts,
    skill_impacts,
    trends_from_counts,
)

if TYPE_CHECKING:
    from agent.service import JobfitService
    from store.digests import JobFacts
    from store.tables import DigestRecord
    from store.users import UserPreferences

logger = logging.getLogger(__name__)

TOP_MATCHES = 30  # skills to learn are measured on the user's top 30 matches
IMPACT_SKILLS = 12  # candidate skills measured per digest (the most asked for first)
MAX_LISTED = 10  # new matches listed in a digest (the rest are counted)
FACTS_TTL_S = 30.0  # previews reuse the job facts read this recently (same stage-1 index)
NEW_POOL = 100  # new matches screened per digest (listed + counted)
RELEVANT_SCORE = 50.0  # a job counts in the user's skill trends from this score
NUDGE_DAYS = 14  # an application without news for this long gets a nudge
SCORE_MOVE = 3  # a score change worth telling after a CV update
SAVED = ("INTERESTED", "SHORTLISTED", "APPLIED")
CHANNELS = ("in_app", "email", "slack", "teams")
_EMAIL_RE = r"^[^@\s]{1,64}@[^@\s]{1,255}\.[^@\s]{2,}$"


class RunResult(BaseModel):
    """What one run did for one user (the ``jobfit digest run --json`` rows)."""

    model_config = ConfigDict(extra="forbid")

    user: str
    period: str
    status: str  # sent | empty | failed | already | dry_run
    digest_id: int | None = None
    matches: int = 0
    changes: int = 0
    channels: dict[str, dict[str, Any]] = Field(default_factory=dict)


class InAppChannel:
    """The in-app channel: the digest is already stored; the web chat shows it (unseen first)."""

    name = "in_app"

    def deliver(self, digest: Digest, recipient: Recipient, *,
                digest_id: int) -> DeliveryOutcome:
        return DeliveryOutcome(status="sent")


@dataclass
class _RunCache:
    """Per-run data shared by every user of one batch (job facts, row arrays)."""

    facts: JobFacts
    imported: np.ndarray  # epoch seconds per screening row
    groups: np.ndarray
    ids: list[str]
    skill_rows: np.ndarray  # (row, skill) incidence of the screening rows, flattened
    skill_cols: np.ndarray
    skill_names: list[str]
    prepared: dict[str, Any] = field(default_factory=dict)  # job id -> PreparedJob

    def skill_counts(self, rows: np.ndarray) -> dict[str, int]:
        """Jobs per skill id among the rows where the boolean mask ``rows`` is set."""
        picked = self.skill_cols[rows[self.skill_rows]] if len(self.skill_rows) else \
            self.skill_cols
        counts = np.bincount(picked, minlength=len(self.skill_names))
        return {self.skill_names[i]: int(counts[i]) for i in np.flatnonzero(counts)}


def worker_id() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class DigestCenter:
    """Compose, store and deliver digests.

    Args:
        service: the application service (repositories, CVs, stage-1 indexes, weights).
        channels: the delivery channels by name (in-app is always there).
        lease_s: how long a run may hold a (user, period) before another process may take
            it over (a crashed run).
        chat_url: the web chat's public URL (links in digests).
    """

    def __init__(self, service: JobfitService, *, channels: Iterable[DigestChannel] = (),
                 lease_s: float = 600.0, chat_url: str = "") -> None:
        from store.digests import DigestRepo

        self.service = service
        self.repo = DigestRepo(service.engine)
        self.channels: dict[str, DigestChannel] = {"in_app": InAppChannel()}
        for ch in channels:
            self.channels[ch.name] = ch
        self.lease_s = float(lease_s)
        self.chat_url = chat_url
        self.worker = worker_id()
        self._lock = threading.Lock()
        self._cached: tuple[float, Any, _RunCache] | None = None

    def add_channel(self, channel: DigestChannel) -> None:
        """Register a channel (Slack and Teams bots plug in here)."""
        self.channels[channel.name] = channel

    # ------------------------------------------------------------------ schedules
    def set_schedule(self, owner_id: str, schedule: str | None, *,
                     timezone: str | None = None, now: datetime | None = None
                     ) -> dict[str, Any]:
        """Store the digest schedule (and time zone); the answer says when the next one runs,
        in the user's local time."""
        from store.tables import utcnow

        parsed = parse_schedule(schedule)
        prefs = self.service.preferences(owner_id)
        tz_name = (timezone or prefs.timezone or "UTC").strip()
        tz = zone(tz_name)
        now = now or utcnow()
        changes: dict[str, Any] = {
            "digest_schedule": None if parsed.off else parsed.text(), "timezone": tz_name}
        if not parsed.off and prefs.digest_schedule != parsed.text():
            changes["digest_started"] = now.isoformat()  # no digest for slots before this
        self.service.update_preferences(owner_id, **changes)
        return schedule_info(parsed, tz_name, now) | {"timezone": tz.key}

    def schedule_of(self, owner_id: str, now: datetime | None = None) -> dict[str, Any]:
        from store.tables import utcnow

        prefs = self.service.preferences(owner_id)
        return schedule_info(parse_schedule(prefs.digest_schedule), prefs.timezone,
                             now or utcnow())

    def set_email(self, owner_id: str, email: str | None) -> None:
        import re

        value = (email or "").strip() or None
        if value is not None and not re.match(_EMAIL_RE, value):
            raise InvalidInputError("That does not look like an e-mail address.")
        prefs = self.service.preferences(owner_id)
        channels = list(prefs.digest_channels)
        if value and "email" not in channels:
            channels.append("email")
        self.service.update_preferences(owner_id, digest_email=value, digest_channels=channels)

    def set_channels(self, owner_id: str, channels: Iterable[str]) -> list[str]:
        """Choose where digests go (``CHANNELS``: in_app, email, slack, teams); returns them."""
        chosen: list[str] = []
        for raw in channels:
            name = raw.strip().lower().replace("-", "_")
            name = {"app": "in_app", "inapp": "in_app", "web": "in_app", "e_mail": "email",
                    "msteams": "teams"}.get(name, name)
            if name not in CHANNELS:
                raise InvalidInputError(f"Unknown digest channel {raw.strip()[:30]!r}: choose "
                                        "from in_app, email, slack, teams.")
            if name not in chosen:
                chosen.append(name)
        self.service.update_preferences(owner_id, digest_channels=chosen)
        return chosen

    def add_channel_for(self, owner_id: str, channel: str) -> list[str]:
        """Add one channel to the user's digest channels (a bot's "digest here")."""
        now = list(self.service.preferences(owner_id).digest_channels)
        return self.set_channels(owner_id, [*now, channel])

    def unsubscribe(self, owner_id: str, channel: str = "email") -> bool:
        """Stop one channel's digests (the e-mail unsubscribe link)."""
        prefs = self.service.preferences(owner_id)
        if channel not in prefs.digest_channels:
            return False
        self.service.update_preferences(
            owner_id, digest_channels=[c for c in prefs.digest_channels if c != channel])
        logger.info("digest channel %s unsubscribed", channel)
        return True

    # ------------------------------------------------------------------ composition
    def run_cache(self, *, fresh: bool = False) -> _RunCache:
        """The job facts of a run, reused for FACTS_TTL_S by later previews (same jobs)."""
        screening = self.service.stage1()
        now = time.monotonic()
        with self._lock:
            held = self._cached
            if (not fresh and held is not None and held[1] is screening
                    and now - held[0] < FACTS_TTL_S):
                return held[2]
        built = self._build_cache(screening)
        with self._lock:
            self._cached = (now, screening, built)
        return built

    def _build_cache(self, screening: Any) -> _RunCache:
        from store.digests import job_facts

        facts = job_facts(self.service.engine)
        ids = screening.ids
        far_past = 0.0
        imported = np.array([facts.imported[i].timestamp() if i in facts.imported else far_past
                             for i in ids], dtype=np.float64)
        groups = np.array([facts.group.get(i, int(i) if i.isdigit() else -1) for i in ids],
                          dtype=np.int64)
        vocab: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        for r, i in enumerate(ids):
            for sid in dict.fromkeys(facts.skills.get(i, ())):
                rows.append(r)
                cols.append(vocab.setdefault(sid, len(vocab)))
        return _RunCache(facts, imported, groups, ids, np.array(rows, dtype=np.int64),
                         np.array(cols, dtype=np.int64), list(vocab))

    def build(self, owner_id: str, *, now: datetime | None = None, period: str | None = None,
              cache: _RunCache | None = None) -> tuple[Digest, list[int]]:
        """The digest the user would get now (not stored), and the job ids it lists."""
        from agent.service_types import NoCVError
        from store.tables import utcnow

        now = now or utcnow()
        prefs = self.service.preferences(owner_id)
        schedule = parse_schedule(prefs.digest_schedule)
        tz = zone(prefs.timezone)
        if period is None:
            slot = latest_slot(schedule, tz, now)
            period = period_key(schedule, tz, slot) if slot is not None else (
                f"now-{now:%Y%m%dT%H%M}")
        last = self.repo.last_done(owner_id)
        length = period_length(schedule if not schedule.off else parse_schedule("daily"))
        since = last.created if last is not None else now - length
        threshold = prefs.digest_min_score
        tracked = self._tracked(owner_id)
        try:
            current = self.service._current_cv(owner_id)
        except NoCVError:
            current = None
        changes = self._changes(owner_id, tracked, current, since=since, now=now)
        if current is None:
            digest = compose_digest(period=period, generated=now, since=since, candidates=[],
                                    preferences=_digest_prefs(prefs), changes=changes,
                                    threshold=threshold, has_cv=False)
            return digest, []
        cache = cache or self.run_cache()
        excluded, groups = _excluded(tracked, self.repo.shown_job_ids(owner_id), cache)
        candidates, more, top, relevant = self._screen(
            current, prefs, excluded, groups, since, threshold, cache)
        impacts = skill_impacts(current.profile, top, weights=self.service.weights,
                                cv_vector=current.vector, calibration=self.service.calibration,
                                max_skills=IMPACT_SKILLS)
        cur_rows = relevant & (cache.imported >= since.timestamp())
        prev_rows = relevant & (cache.imported >= (since - length).timestamp()) & ~cur_rows
        now_counts, before_counts = cache.skill_counts(cur_rows), cache.skill_counts(prev_rows)
        digest = compose_digest(
            period=period, generated=now, since=since, candidates=candidates,
            preferences=_digest_prefs(prefs), excluded=excluded, excluded_groups=groups,
            changes=changes, trends=trends_from_counts(now_counts, before_counts, top=8),
            falling=falling_from_counts(now_counts, before_counts, top=3), skills=impacts,
            measured_on=len(top), threshold=threshold, more=more)
        return digest, [m.ref for m in digest.matches]

    def _tracked(self, owner_id: str) -> list[Any]:
        from store.digests import tracked_jobs

        return tracked_jobs(self.service.engine, owner_id)

    def _screen(self, current: Any, prefs: UserPreferences, excluded: set[int],
                groups: set[int], since: datetime, threshold: int, cache: _RunCache
                ) -> tuple[list[ScoredJob], int, list[ImpactJob], np.ndarray]:
        """The new matches to list (fully scored), how many more there are, the top matches
        for skill impacts, and which jobs are relevant (score >= RELEVANT_SCORE)."""
        from agent.service_types import salary_text
        from tools.digest import passes_preferences
        from tools.scoring import prepare_job, prepare_profile, score_match
        from tools.search import JobFilters

        svc = self.service
        screening = svc.stage1()
        base = screening.filter_mask(JobFilters(exclude_companies=prefs.blocked_companies))
        if groups:
            base &= ~np.isin(cache.groups, np.fromiter(groups, dtype=np.int64))
        new = base & (cache.imported >= since.timestamp())
        prep = prepare_profile(current.profile)
        lookup = getattr(svc.index, "vectors", None)
        picked, scores = select_rows(
            prep, screening, masks={"new": new, "top": np.ones(len(cache.ids), dtype=bool)},
            k={"new": NEW_POOL, "top": TOP_MATCHES}, min_score={"new": threshold, "top": 0.0},
            weights=svc.weights, cv_vector=current.vector,
            vectors=lookup if current.vector is not None else None,
            calibration=svc.calibration)
        # the order compose_digest uses: rounded score, then id
        ranked = sorted(picked["new"], key=lambda t: (-round(t[0]), int(t[1])))
        wanted = list(dict.fromkeys([i for _, i in ranked] + [i for _, i in picked["top"]]))
        stored = {s.id: s for s in svc.source.get_jobs(wanted)}
        vecs = svc._job_vectors(list(stored.values())) if current.vector is not None else {}
        dprefs = _digest_prefs(prefs)
        eligible: list[str] = []
        seen: set[int] = set()
        for _, job_id in ranked:  # cheap checks first: only the listed jobs are fully scored
            s = stored.get(job_id)
            group = cache.facts.group.get(job_id, int(job_id))
            if s is None or int(job_id) in excluded or group in seen:
                continue
            if passes_preferences(s.posting, dprefs):
                seen.add(group)
                eligible.append(job_id)

        def prepared(job_id: str) -> Any:
            pj = cache.prepared.get(job_id)
            if pj is None:
                pj = cache.prepared[job_id] = prepare_job(stored[job_id].posting)
            return pj

        candidates = []
        for job_id in eligible[:MAX_LISTED]:
            vec = vecs.get(job_id)
            result = score_match(prep, prepared(job_id), svc.weights,
                                 cv_vector=current.vector if vec is not None else None,
                                 job_vector=vec, calibration=svc.calibration)
            candidates.append(ScoredJob(ref=int(job_id), posting=stored[job_id].posting,
                                        result=result,
                                        group=cache.facts.group.get(job_id, int(job_id)),
                                        salary_text=salary_text(stored[job_id].posting)))
        top = [ImpactJob(job_id, stored[job_id].posting, vecs.get(job_id), prepared(job_id))
               for _, job_id in picked["top"] if job_id in stored]
        more = max(0, len(eligible) - MAX_LISTED)
        return candidates, more, top, scores >= RELEVANT_SCORE

    def _changes(self, owner_id: str, tracked: Sequence[Any], current: Any, *,
                 since: datetime, now: datetime) -> list[DigestChange]:
        from store.tables import to_utc

        out: list[DigestChange] = []
        seen: set[int] = set()
        for t in sorted(tracked, key=lambda t: (t.job_id, -t.match_id)):
            if t.job_id in seen or t.status not in SAVED:
                continue
            seen.add(t.job_id)
            what = f"{t.title or 'A job'}" + (f" at {t.company}" if t.company else "")
            if t.job_status != "ACTIVE" and to_utc(t.job_updated) >= since:
                state = {"EXPIRED": "expired", "FILLED": "was filled"}.get(t.job_status,
                                                                           "closed")
                kind = "applied to" if t.status == "APPLIED" else "saved"
                out.append(DigestChange(kind="closed", job_id=t.external_id, ref=t.job_id,
                                        title=t.title, company=t.company,
                                        text=f"{what}, which you {kind}, {state}."))
                continue
            if t.status == "APPLIED" and t.job_status == "ACTIVE":
                quiet = now - to_utc(t.match_updated)
                if timedelta(days=NUDGE_DAYS) <= quiet and to_utc(t.match_updated) > (
                        since - timedelta(days=NUDGE_DAYS)):
                    days = quiet.days
                    out.append(DigestChange(
                        kind="nudge", job_id=t.external_id, ref=t.job_id, title=t.title,
                        company=t.company, days=days,
                        text=f"You applied to {what} {days} days ago with no update since: "
                             "time for a polite follow-up?"))
        if current is not None:
            out += self._moved(owner_id, tracked, current, since)
        return sorted(out, key=lambda c: ({"closed": 0, "score_moved": 1, "nudge": 2}[c.kind],
                                          c.ref))

    def _moved(self, owner_id: str, tracked: Sequence[Any], current: Any,
               since: datetime) -> list[DigestChange]:
        """Saved jobs whose score changed because the CV changed this period."""
        from store.tables import to_utc
        from tools.scoring import score_match

        record = self.service.cvs.get(owner_id, current.cv_id)
        if record is None or to_utc(record.created) < since:
            return []
        old = {t.job_id: t for t in sorted(tracked, key=lambda t: t.match_id)
               if t.status in SAVED and t.cv_id != current.cv_id and t.job_status == "ACTIVE"}
        if not old:
            return []
        stored = {int(s.id): s for s in self.service.source.get_jobs([str(i) for i in old])}
        vecs = (self.service._job_vectors(list(stored.values()))
                if current.vector is not None else {})
        out = []
        for job_id, t in sorted(old.items()):
            s = stored.get(job_id)
            if s is None:
                continue
            vec = vecs.get(s.id)
            now_score = score_match(current.profile, s.posting, self.service.weights,
                                    cv_vector=current.vector if vec is not None else None,
                                    job_vector=vec, calibration=self.service.calibration).score
            if abs(now_score - t.score) >= SCORE_MOVE:
                what = f"{t.title or 'A job'}" + (f" at {t.company}" if t.company else "")
                verb = "rose" if now_score > t.score else "fell"
                out.append(DigestChange(
                    kind="score_moved", job_id=t.external_id, ref=job_id, title=t.title,
                    company=t.company, before=t.score, after=now_score,
                    text=f"Your fit for {what} {verb} from {t.score} to {now_score} "
                         "with your updated CV."))
        return out

    # ------------------------------------------------------------------ runs
    def period_for(self, owner_id: str, now: datetime) -> str:
        prefs = self.service.preferences(owner_id)
        schedule = parse_schedule(prefs.digest_schedule)
        tz = zone(prefs.timezone)
        slot = latest_slot(schedule, tz, now)
        return period_key(schedule, tz, slot) if slot is not None else f"now-{now:%Y%m%dT%H%M}"

    def run_user(self, owner_id: str, *, now: datetime | None = None,
                 period: str | None = None, dry_run: bool = False,
                 cache: _RunCache | None = None) -> RunResult:
        """Produce and deliver the user's digest for ``period`` (default: the period of their
        latest scheduled slot, or "now-YYYYMMDDTHHMM" without a schedule) exactly once."""
        from store.tables import utcnow

        now = now or utcnow()
        period = period or self.period_for(owner_id, now)
        if dry_run:
            digest, _ = self.build(owner_id, now=now, period=period, cache=cache)
            return RunResult(user=owner_id, period=period, status="dry_run",
                             matches=len(digest.matches), changes=len(digest.changes))
        self.service.ensure_user(owner_id)
        rec = self.repo.claim(owner_id, period, self.worker, lease_s=self.lease_s, now=now)
        if rec is None:
            found = self.repo.by_period(owner_id, period)
            return RunResult(user=owner_id, period=period, status="already",
                             digest_id=found.id if found else None,
                             channels=dict(found.channels) if found else {})
        assert rec.id is not None
        try:
            return self._deliver(owner_id, rec, now, cache)
        except Exception:
            logger.exception("digest %s failed", rec.id)  # no personal data in our messages
            raise

    def _deliver(self, owner_id: str, rec: DigestRecord, now: datetime,
                 cache: _RunCache | None) -> RunResult:
        assert rec.id is not None
        prefs = self.service.preferences(owner_id)
        if rec.content:  # a run that stopped half-way: same content, carry on
            digest = Digest.model_validate(rec.content)
        else:
            digest, job_ids = self.build(owner_id, now=now, period=rec.period, cache=cache)
            self.repo.store_content(rec.id, digest.model_dump(mode="json"), job_ids)
        result = RunResult(user=owner_id, period=rec.period, status="sent", digest_id=rec.id,
                           matches=len(digest.matches), changes=len(digest.changes))
        if digest.empty and prefs.digest_when_empty == "none":
            self.repo.finish(rec.id, "empty")
            result.status = "empty"
            return result
        recipient = self._recipient(owner_id, prefs)
        states = dict(rec.channels or {})
        for name in CHANNELS:
            state = (states.get(name) or {}).get("status")
            if state in ("sent", "failed", "skipped"):
                continue
            if state == "sending":
                self.repo.set_channel(rec.id, name, "failed",
                                      "interrupted while sending; not retried so that it is "
                                      "never sent twice")
                continue
            channel = self.channels.get(name)
            if name not in prefs.digest_channels:
                if name in ("in_app", "email") or channel is not None:
                    self.repo.set_channel(rec.id, name, "skipped", "not chosen by the user")
                continue
            if channel is None:
                self.repo.set_channel(rec.id, name, "skipped", "channel not available")
                continue
            self.repo.set_channel(rec.id, name, "sending")
            try:
                outcome = channel.deliver(digest, recipient, digest_id=rec.id)
            except JobfitError as exc:
                outcome = DeliveryOutcome(status="failed", reason=str(exc))
            except Exception as exc:
                logger.error("digest channel %s failed: %s", name, type(exc).__name__)
                outcome = DeliveryOutcome(status="failed", reason=type(exc).__name__)
            self.repo.set_channel(rec.id, name, outcome.status, outcome.reason,
                                  outcome.attempts)
            self.repo.renew(rec.id, self.worker)
        final = self.repo.get(owner_id, rec.id)
        channels = dict(final.channels) if final is not None else {}
        sent = any(c.get("status") == "sent" for c in channels.values())
        result.status = "sent" if sent else "failed"
        result.channels = channels
        self.repo.finish(rec.id, result.status)
        return result

    def _recipient(self, owner_id: str, prefs: UserPreferences) -> Recipient:
        user = self.service.users.get(owner_id)
        return Recipient(owner_id=owner_id, name=(user.display_name if user else "") or "",
                         email=prefs.digest_email,
                         external_ids=dict(user.external_ids) if user else {},
                         chat_url=self.chat_url)

    def run_due(self, now: datetime | None = None, *,
                shard: tuple[int, int] | None = None) -> list[RunResult]:
        """Every scheduled user whose latest slot's digest is not produced yet (missed runs
        are coalesced: only the latest period of each user is produced). ``shard=(i, n)``
        takes every n-th user from the i-th (parallel workers; claims keep them apart)."""
        from store.digests import users_with_schedule
        from store.tables import utcnow

        now = now or utcnow()
        cache: _RunCache | None = None
        out = []
        for n, (owner_id, raw) in enumerate(users_with_schedule(self.service.engine)):
            if shard is not None and n % shard[1] != shard[0]:
                continue
            try:
                schedule = parse_schedule(raw.get("digest_schedule"))
                tz = zone(raw.get("timezone"))
            except JobfitError:
                logger.warning("user with an invalid digest schedule skipped")
                continue
            slot = latest_slot(schedule, tz, now)
            if slot is None:
                continue
            started = raw.get("digest_started")
            if started and slot < datetime.fromisoformat(str(started)):
                continue
            period = period_key(schedule, tz, slot)
            done = self.repo.by_period(owner_id, period)
            if done is not None and done.status not in ("composing", "delivering"):
                continue
            cache = cache or self.run_cache(fresh=True)
            out.append(self.run_user(owner_id, now=now, period=period, cache=cache))
        return out

    # ------------------------------------------------------------------ reading
    def history(self, owner_id: str, limit: int = 10) -> list[dict[str, Any]]:
        """The owner's last digests, newest first (no content)."""
        return [_summary(r) for r in self.repo.list(owner_id, limit=limit)]

    def latest(self, owner_id: str, *, unseen_only: bool = False,
               mark_viewed: bool = True) -> dict[str, Any] | None:
        """The newest digest (or the newest unseen one) with its content; marks it viewed."""
        if unseen_only:
            rec = self.repo.latest_unseen(owner_id)
        else:
            rec = next((r for r in self.repo.list(owner_id, limit=10) if r.content), None)
        if rec is None or rec.id is None:
            return None
        if mark_viewed:
            self.repo.mark_viewed(owner_id, rec.id)
        return {**_summary(rec), "digest": rec.content}


def schedule_info(schedule: Schedule, tz_name: str | None, now: datetime) -> dict[str, Any]:
    tz = zone(tz_name)
    nxt = next_run(schedule, tz, now)
    return {"schedule": schedule.text(), "describe": schedule.describe(), "timezone": tz.key,
            "next_run": nxt.isoformat() if nxt else None,
            "next_run_local": local_text(nxt, tz) if nxt else None}


def _summary(rec: DigestRecord) -> dict[str, Any]:
    content = rec.content or {}
    return {"digest_id": rec.id, "period": rec.period, "status": rec.status,
            "created": rec.created.isoformat(), "viewed_at": rec.viewed_at.isoformat()
            if rec.viewed_at else None, "matches": len(content.get("matches") or []),
            "changes": len(content.get("changes") or []),
            "channels": {k: {"status": v.get("status"), "reason": v.get("reason", "")}
                         for k, v in (rec.channels or {}).items()}}


def _excluded(tracked: Sequence[Any], shown: set[int],
              cache: _RunCache) -> tuple[set[int], set[int]]:
    """Job ids and duplicate groups never to list: dismissed, applied, already sent."""
    jobs = set(shown)
    groups: set[int] = {cache.facts.group.get(str(j), j) for j in shown}
    for t in tracked:
        if t.status in ("DISMISSED", "APPLIED"):
            jobs.add(t.job_id)
            groups.add(t.group)
    return jobs, groups


def _digest_prefs(prefs: UserPreferences) -> DigestPreferences:
    return DigestPreferences(remote=prefs.remote, locations=list(prefs.locations),
                             salary_floor=prefs.salary_floor,
                             salary_currency=prefs.salary_currency,
                             blocked_companies=list(prefs.blocked_companies))

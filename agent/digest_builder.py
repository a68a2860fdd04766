"""Digest composition on the store: gather a user's data and screen the jobs for a digest.

:class:`DigestBuilder` reads the user's preferences, current CV, tracked jobs and earlier
digests through :class:`agent.service.JobfitService` (repositories, stage-1 index, weights),
screens the store for new matches, measures the skills to add on the user's top matches and the
skill trends of the period, lists what changed for saved jobs (closed, score moved, follow-up
nudges), and hands it all to :func:`tools.digest.compose_digest`. The job facts of a run
(:class:`RunCache`) are shared by every user of a batch and reused briefly by previews.

:class:`agent.digests.DigestCenter` owns a builder; it stores and delivers what it builds.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np

from tools.digest import (
    Digest,
    DigestChange,
    DigestPreferences,
    ScoredJob,
    compose_digest,
    select_rows,
)
from tools.digest_schedule import latest_slot, parse_schedule, period_key, period_length, zone
from tools.insights import (
    ImpactJob,
    falling_from_counts,
    skill_impacts,
    trends_from_counts,
)

if TYPE_CHECKING:
    from agent.service import JobfitService
    from store.digests import DigestRepo, JobFacts
    from store.users import UserPreferences

TOP_MATCHES = 30  # skills to learn are measured on the user's top 30 matches
IMPACT_SKILLS = 12  # candidate skills measured per digest (the most asked for first)
MAX_LISTED = 10  # new matches listed in a digest (the rest are counted)
FACTS_TTL_S = 30.0  # previews reuse the job facts read this recently (same stage-1 index)
NEW_POOL = 100  # new matches screened per digest (listed + counted)
RELEVANT_SCORE = 50.0  # a job counts in the user's skill trends from this score
NUDGE_DAYS = 14  # an application without news for this long gets a nudge
SCORE_MOVE = 3  # a score change worth telling after a CV update
SAVED = ("INTERESTED", "SHORTLISTED", "APPLIED")


@dataclass
class RunCache:
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


class DigestBuilder:
    """Build the digest a user would get now (not stored).

    Args:
        service: the application service (repositories, CVs, stage-1 indexes, weights).
        repo: the digest repository (the last digest sent, the jobs already shown).
    """

    def __init__(self, service: JobfitService, repo: DigestRepo) -> None:
        self.service = service
        self.repo = repo
        self._lock = threading.Lock()
        self._cached: tuple[float, Any, RunCache] | None = None

    def run_cache(self, *, fresh: bool = False) -> RunCache:
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

    def _build_cache(self, screening: Any) -> RunCache:
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
        return RunCache(facts, imported, groups, ids, np.array(rows, dtype=np.int64),
                         np.array(cols, dtype=np.int64), list(vocab))

    def build(self, owner_id: str, *, now: datetime | None = None, period: str | None = None,
              cache: RunCache | None = None) -> tuple[Digest, list[int]]:
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
                groups: set[int], since: datetime, threshold: int, cache: RunCache
                ) -> tuple[list[ScoredJob], int, list[ImpactJob], np.ndarray]:
        """The new matches to list (fully scored), how many more there are, the top matches
        for skill impacts, and which jobs are relevant (score >= RELEVANT_SCORE)."""
        from agent.service_types import salary_text
        from tools.digest import passes_preferences
        from tools.preparation import prepare_job, prepare_profile
        from tools.scoring import score_match
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
        copies = svc._duplicate_groups([str(c.ref) for c in candidates])
        for c in candidates:  # a job imported from several sources says where else it is
            c.also_on = list(copies.get(c.ref, (0, []))[1])
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


def _excluded(tracked: Sequence[Any], shown: set[int],
              cache: RunCache) -> tuple[set[int], set[int]]:
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

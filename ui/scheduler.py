"""The scheduler: per-user digests and the system jobs, on APScheduler 3 with its job store in
the project database (SQLite file by default, PostgreSQL with ``DATABASE_URL``).

Jobs (all in the ``apscheduler_jobs`` table):

- ``digest:<user>`` — a cron trigger per user from their preferences ("daily 08:00", "weekly
  mon 08:00") in their time zone; runs :meth:`agent.digests.DigestCenter.run_user` for the
  period of the latest slot (a late run still produces the period it belongs to);
- ``feed:<id>`` — re-import a registered RSS/Atom feed every ``--every``;
- ``system:sync`` (every minute) — reconcile the two kinds above with the preferences and the
  feeds table (a schedule set in the chat of another process is picked up within a minute);
- ``system:expire`` (daily 03:15 UTC) — expire jobs older than 30 days;
- ``system:cache`` (daily 03:45 UTC) — delete expired cached analyses;
- ``system:catch-up`` (once at start) — produce every digest whose slot passed while no
  scheduler ran (missed runs coalesced: one per user, the latest period).

Every job has ``coalesce=True`` (several missed runs run once), no misfire limit and one
instance at a time. Exactly-once delivery does not rely on the scheduler: a digest is claimed
by its (user, period) row, so two scheduler processes on one PostgreSQL, or a restart after
``kill -9``, never produce or send a digest twice (``store/digests.py``).
"""

from __future__ import annotations

import logging
import signal
import threading
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from tools.digest_schedule import parse_schedule, zone
from tools.errors import JobfitError

if TYPE_CHECKING:
    from apscheduler.schedulers.base import BaseScheduler

    from agent.digests import DigestCenter
    from agent.service import JobfitService
    from agent.settings import Settings

logger = logging.getLogger(__name__)

JOB_TABLE = "apscheduler_jobs"
SYNC_EVERY_S = 60
_attach_lock = threading.Lock()


def base_url(settings: Settings) -> str:
    """The web chat's public address (links in digests)."""
    return (settings.public_url or f"http://{settings.ui_host}:{settings.ui_port}").rstrip("/")


def attach_channels(service: JobfitService, settings: Settings) -> DigestCenter:
    """The service's digest center with the e-mail channel, the Slack and Teams channels (when
    those bots are configured) and the links configured (once)."""
    from ui.email import EmailChannel, SmtpConfig, unsubscribe_key

    center = service.digests()
    with _attach_lock:
        if not getattr(center, "_ui_attached", False):
            url = base_url(settings)
            center.chat_url = url
            center.lease_s = settings.digest_lease_s
            center.add_channel(EmailChannel(SmtpConfig.from_settings(settings), base_url=url,
                                            key=unsubscribe_key(settings.data_dir)))
            attach_bot_channels(center, service, settings)
            center._ui_attached = True  # type: ignore[attr-defined]
    return center


def attach_bot_channels(center: DigestCenter, service: JobfitService,
                        settings: Settings) -> None:
    """The Slack and Teams digest channels, when those bots are configured (the bots
    themselves are built on the first delivery, or taken from ``jobfit ui``'s server)."""
    from ui import channels
    from ui.digest_bots import SlackDigestChannel, TeamsDigestChannel

    if settings.slack_enabled:
        center.add_channel(SlackDigestChannel(service, lambda: channels.bot("slack", settings)))
    if settings.teams_enabled:
        center.add_channel(TeamsDigestChannel(service, lambda: channels.bot("teams", settings)))


def _service() -> JobfitService:
    from agent.bootstrap import build_service, get_settings

    service = build_service(get_settings())
    attach_channels(service, get_settings())
    return service


# --------------------------------------------------------------------------- job functions
# (module-level: the job store keeps a reference to them, "ui.scheduler:run_digest_job")


def run_digest_job(owner_id: str) -> None:
    """A user's scheduled digest (the period of their latest slot)."""
    try:
        result = _service().digests().run_user(owner_id)
        logger.info("digest %s: %s", result.period, result.status)
    except JobfitError as exc:
        logger.warning("digest run failed: %s", exc)


def refresh_feed_job(feed_id: int) -> None:
    """Re-import one registered feed."""
    service = _service()
    service.feeds().refresh(service, feed_id)


def expire_jobs_job() -> None:
    n = _service().expire_jobs()
    logger.info("expired %d jobs", n)


def clean_cache_job() -> None:
    n = _service().clean_cache()
    logger.info("removed %d expired analyses", n)


def catch_up_job() -> None:
    """Every digest whose slot passed while no scheduler ran (one per user)."""
    results = _service().digests().run_due()
    if results:
        logger.info("catch-up: %d digests", len(results))


def sync_job() -> None:
    """Reconcile the per-user and per-feed jobs (runs in the scheduler's own process)."""
    if _scheduler is not None:
        sync(_scheduler, _service())


# --------------------------------------------------------------------------- the scheduler

_scheduler: BaseScheduler | None = None


def digest_trigger(schedule_text: str | None, tz_name: str | None) -> Any:
    """The cron trigger of a digest schedule in a time zone (None when off)."""
    from apscheduler.triggers.cron import CronTrigger

    schedule = parse_schedule(schedule_text)
    if schedule.off:
        return None
    kw: dict[str, Any] = {"hour": schedule.at.hour, "minute": schedule.at.minute}
    if schedule.kind == "weekly":
        kw["day_of_week"] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[schedule.weekday]
    return CronTrigger(timezone=zone(tz_name), **kw)


def sync(scheduler: BaseScheduler, service: JobfitService) -> dict[str, int]:
    """Make the stored jobs match the preferences and the feeds table. A job whose schedule is
    unchanged is left alone (its stored next run — maybe a missed one — is kept)."""
    from apscheduler.triggers.interval import IntervalTrigger

    from agent.digests import scheduled_users
    from agent.feeds import FeedBook

    wanted: dict[str, tuple[str, Any, str, tuple[Any, ...]]] = {}
    for owner_id, prefs in scheduled_users(service.engine):
        try:
            trigger = digest_trigger(prefs.get("digest_schedule"), prefs.get("timezone"))
        except JobfitError:
            continue
        if trigger is not None:
            sig = f"{parse_schedule(prefs.get('digest_schedule')).text()}|{trigger.timezone}"
            wanted[f"digest:{owner_id}"] = (sig, trigger, "ui.scheduler:run_digest_job",
                                            (owner_id,))
    for feed in FeedBook(service.engine).list():
        sig = f"every {feed.every_s}s"
        wanted[f"feed:{feed.id}"] = (sig, IntervalTrigger(seconds=feed.every_s),
                                     "ui.scheduler:refresh_feed_job", (feed.id,))
    existing = {j.id: j for j in scheduler.get_jobs()
                if j.id.startswith(("digest:", "feed:"))}
    added = removed = 0
    for job_id in existing:
        if job_id not in wanted:
            scheduler.remove_job(job_id)
            removed += 1
    for job_id, (sig, trigger, func, args) in wanted.items():
        found = existing.get(job_id)
        if found is not None and found.name == sig:
            continue
        scheduler.add_job(func, trigger=trigger, args=args, id=job_id, name=sig,
                          replace_existing=True)
        added += 1
    if added or removed:
        logger.info("scheduler sync: %d jobs added or changed, %d removed", added, removed)
    return {"added": added, "removed": removed, "jobs": len(wanted)}


def build_scheduler(settings: Settings) -> BaseScheduler:
    """The scheduler with its job store in the project database (not started)."""
    from apscheduler.executors.pool import ThreadPoolExecutor
    from apscheduler.jobstores.memory import MemoryJobStore
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.background import BackgroundScheduler

    from agent.bootstrap import build_engine

    engine = build_engine(settings)  # migrates the schema; the job store shares the engine
    return BackgroundScheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=engine, tablename=JOB_TABLE),
                   "memory": MemoryJobStore()},
        executors={"default": ThreadPoolExecutor(2)},
        job_defaults={"coalesce": True, "misfire_grace_time": None, "max_instances": 1},
        timezone=UTC)


def _add_system_jobs(scheduler: BaseScheduler) -> None:
    from apscheduler.triggers.cron import CronTrigger
    from apscheduler.triggers.date import DateTrigger
    from apscheduler.triggers.interval import IntervalTrigger

    scheduler.add_job("ui.scheduler:sync_job", IntervalTrigger(seconds=SYNC_EVERY_S),
                      id="system:sync", name="sync", replace_existing=True)
    scheduler.add_job("ui.scheduler:expire_jobs_job", CronTrigger(hour=3, minute=15,
                                                                  timezone=UTC),
                      id="system:expire", name="expire jobs", replace_existing=True)
    scheduler.add_job("ui.scheduler:clean_cache_job", CronTrigger(hour=3, minute=45,
                                                                  timezone=UTC),
                      id="system:cache", name="clean cache", replace_existing=True)
    # in memory: a catch-up belongs to this start, not to the next one
    scheduler.add_job(catch_up_job, DateTrigger(datetime.now(UTC)), id="system:catch-up",
                      jobstore="memory", replace_existing=True)


def start_scheduler(settings: Settings) -> BaseScheduler:
    """Build, start (in a daemon thread), sync and return the scheduler. It starts paused so
    that the stored jobs are visible to the first sync before anything runs."""
    global _scheduler
    scheduler = build_scheduler(settings)
    service = _service()
    scheduler.start(paused=True)
    _scheduler = scheduler
    _add_system_jobs(scheduler)
    sync(scheduler, service)
    logger.info("scheduler started (%d jobs)", len(scheduler.get_jobs()))
    scheduler.resume()
    return scheduler


def stop_scheduler() -> None:
    global _scheduler
    if _scheduler is not None and _scheduler.running:
        _scheduler.shutdown(wait=False)
    _scheduler = None


def run_forever(settings: Settings) -> None:
    """``jobfit scheduler``: run until SIGINT/SIGTERM."""
    done = threading.Event()

    def stop(*_: Any) -> None:
        done.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    start_scheduler(settings)
    try:
        done.wait()
    finally:
        stop_scheduler()

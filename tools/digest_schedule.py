"""Digest schedules: "daily 08:00", "weekly mon 08:00" or "off", in the user's time zone.

Pure date arithmetic (``zoneinfo``), shared by the scheduler (which fires the runs), the chat
(which answers with the next run in local time) and the exactly-once bookkeeping (which keys a
digest by its *period*: the local date of a daily slot, the ISO week of a weekly one).

Local wall-clock times are kept across daylight-saving changes: "daily 08:00" in Berlin is 07:00
UTC in winter and 06:00 UTC in summer. A slot that does not exist on a spring-forward day (02:30
when clocks jump from 02:00 to 03:00) runs one gap later (03:30), as APScheduler's
``CronTrigger`` does; a slot that exists twice on a fall-back day runs once, at the first one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tools.errors import InvalidInputError

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_NAMES = {
    "monday": "mon", "tuesday": "tue", "wednesday": "wed", "thursday": "thu", "friday": "fri",
    "saturday": "sat", "sunday": "sun", "tues": "tue", "weds": "wed", "thur": "thu",
    "thurs": "thu",
}
DEFAULT_TIME = time(8, 0)

_SCHEDULE_RE = re.compile(
    r"^\s*(?P<kind>daily|weekly)(?:\s+(?P<day>[a-z]+))?(?:\s+(?P<h>\d{1,2})(?::(?P<m>\d{2}))?)?"
    r"\s*$")


@dataclass(frozen=True)
class Schedule:
    """A parsed schedule. ``weekday`` is 0 (Monday) to 6 for weekly ones."""

    kind: Literal["daily", "weekly", "off"]
    at: time = DEFAULT_TIME
    weekday: int = 0

    @property
    def off(self) -> bool:
        return self.kind == "off"

    def text(self) -> str:
        """The canonical form: "daily 08:00", "weekly mon 08:00" or "off"."""
        if self.kind == "off":
            return "off"
        hhmm = f"{self.at.hour:02d}:{self.at.minute:02d}"
        if self.kind == "weekly":
            return f"weekly {WEEKDAYS[self.weekday]} {hhmm}"
        return f"daily {hhmm}"

    def describe(self) -> str:
        """Human form: "every day at 08:00", "every Monday at 08:00", "off"."""
        if self.kind == "off":
            return "off"
        hhmm = f"{self.at.hour:02d}:{self.at.minute:02d}"
        if self.kind == "weekly":
            day = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
                   "Sunday")[self.weekday]
            return f"every {day} at {hhmm}"
        return f"every day at {hhmm}"


def weekday_number(name: str) -> int:
    """0 for "mon"/"monday", ... 6 for "sun"/"sunday". Raises InvalidInputError."""
    key = name.strip().lower().rstrip(".")
    key = _DAY_NAMES.get(key, key)[:3]
    if key not in WEEKDAYS:
        raise InvalidInputError(f"Unknown day {name[:20]!r}; use mon, tue, ... sun.")
    return WEEKDAYS.index(key)


def parse_schedule(text: str | None) -> Schedule:
    """"daily 08:00", "daily 7:30", "weekly mon 08:00", "weekly" (Monday 08:00), "daily"
    (08:00), "off"/None. Raises InvalidInputError for anything else."""
    raw = (text or "off").strip().lower()
    if raw in ("off", "none", "never", "no", "stop", ""):
        return Schedule("off")
    m = _SCHEDULE_RE.match(raw)
    if not m:
        raise InvalidInputError(
            'A digest schedule is "daily HH:MM", "weekly DAY HH:MM" or "off" '
            '(e.g. "weekly mon 08:00").')
    hour = int(m.group("h")) if m.group("h") else DEFAULT_TIME.hour
    minute = int(m.group("m")) if m.group("m") else 0
    if hour > 23 or minute > 59:
        raise InvalidInputError("A digest time is HH:MM between 00:00 and 23:59.")
    day = m.group("day")
    if m.group("kind") == "daily":
        if day:
            raise InvalidInputError('A daily digest has no day: "daily 08:00".')
        return Schedule("daily", time(hour, minute))
    return Schedule("weekly", time(hour, minute), weekday_number(day) if day else 0)


def zone(name: str | None) -> ZoneInfo:
    """The IANA time zone ("Europe/Berlin"; None or "" = UTC). Raises InvalidInputError."""
    try:
        return ZoneInfo((name or "UTC").strip() or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInputError(
            f"Unknown time zone {str(name)[:40]!r}; use an IANA name like Europe/Berlin.") from None


def _slot(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The instant of wall-clock ``at`` on ``day`` in ``tz``, in UTC. A repeated time (fall
    back) is its first occurrence; a time inside a spring-forward gap is read with the offset
    before the gap, i.e. moved forward by the gap (02:30 -> 03:30), as APScheduler does."""
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)  # fold=0


def _days(schedule: Schedule, first: date, count: int) -> list[date]:
    out: list[date] = []
    day = first
    while len(out) < count:
        if schedule.kind == "daily" or day.weekday() == schedule.weekday:
            out.append(day)
        day += timedelta(days=1)
    return out


def next_run(schedule: Schedule, tz: ZoneInfo, after: datetime) -> datetime | None:
    """The first slot strictly after ``after`` (aware), in UTC; None when off."""
    if schedule.off:
        return None
    start = after.astimezone(tz).date() - timedelta(days=1)
    for day in _days(schedule, start, 10):
        slot = _slot(day, schedule.at, tz)
        if slot > after:
            return slot
    return None  # pragma: no cover - ten candidate days always hold one


def latest_slot(schedule: Schedule, tz: ZoneInfo, now: datetime) -> datetime | None:
    """The last slot at or before ``now`` (aware), in UTC; None when off."""
    if schedule.off:
        return None
    start = now.astimezone(tz).date() - timedelta(days=8)
    best = None
    for day in _days(schedule, start, 10):
        slot = _slot(day, schedule.at, tz)
        if slot <= now:
            best = slot
    return best


def period_key(schedule: Schedule, tz: ZoneInfo, slot: datetime) -> str:
    """The period a slot opens: "2026-12-07" (daily) or "2026-W50" (weekly), in local time."""
    local = slot.astimezone(tz).date()
    if schedule.kind == "weekly":
        year, week, _ = local.isocalendar()
        return f"{year}-W{week:02d}"
    return local.isoformat()


def period_length(schedule: Schedule) -> timedelta:
    """How far back the first digest looks: one day or one week."""
    return timedelta(days=7) if schedule.kind == "weekly" else timedelta(days=1)


def local_text(moment: datetime, tz: ZoneInfo) -> str:
    """"Mon 7 Dec 2026, 08:00 CET" — a run time as the user reads it."""
    local = moment.astimezone(tz)
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M} {local.tzname()}"

"""``jobfit digest ...``, ``jobfit feeds ...`` and ``jobfit scheduler`` (registered on the main
app by ``ui/cli.py``).

``jobfit digest preview --user NAME --format json`` and ``jobfit digest run ... --json`` are
public contracts (ARCHITECTURE.md): one JSON object on stdout.
"""

from __future__ import annotations

import json
import re
import sys
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import typer

from tools.errors import InvalidInputError, JobfitError

if TYPE_CHECKING:
    from agent.digests import DigestCenter

digest_app = typer.Typer(help="Scheduled digests: new matches, what changed, what to learn.",
                         no_args_is_help=True)
feeds_app = typer.Typer(help="RSS/Atom feeds the scheduler re-imports.", no_args_is_help=True)

UserOpt = Annotated[str, typer.Option("--user", help="The user (their id, as in jobfit chat).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _echo_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, default=str) + "\n")


def _run(fn: Any) -> Any:
    try:
        return fn()
    except JobfitError as exc:
        typer.echo(f"jobfit: error: {exc}", err=True)
        raise typer.Exit(2) from None
    except KeyboardInterrupt:
        raise typer.Exit(130) from None


def _center() -> DigestCenter:
    from agent.bootstrap import build_service, get_settings
    from ui.scheduler import attach_channels

    settings = get_settings()
    return attach_channels(build_service(settings), settings)


def _user(name: str) -> str:
    from ui.chat import check_user

    return check_user(name)


def _known_user(center: DigestCenter, name: str) -> str:
    uid = _user(name)
    if center.service.users.get(uid) is None:
        raise InvalidInputError(f"No user {uid!r}: start with `jobfit chat --user {uid}`.")
    return uid


@digest_app.command("preview")
def preview_cmd(
    user: UserOpt,
    fmt: Annotated[str, typer.Option("--format", help="text, html or json.")] = "text",
) -> None:
    """The digest the user would get now (nothing is stored or sent)."""

    def go() -> None:
        from tools.digest import digest_json, render_text
        from ui.email import render_html

        if fmt not in ("text", "html", "json"):
            raise InvalidInputError("--format is text, html or json")
        center = _center()
        uid = _known_user(center, user)
        digest, _ = center.build(uid)
        name = getattr(center.service.users.get(uid), "display_name", "") or ""
        if fmt == "json":
            _echo_json(digest_json(digest))
        elif fmt == "html":
            sys.stdout.write(render_html(digest, name=name, chat_url=center.chat_url))
        else:
            sys.stdout.write(render_text(digest, name=name, chat_url=center.chat_url))

    _run(go)


@digest_app.command("run")
def run_cmd(
    due: Annotated[bool, typer.Option("--due", help="Every scheduled user whose digest is "
                                                    "due (missed periods coalesced).")] = False,
    user: Annotated[str | None, typer.Option("--user", help="One user, now.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Compose only: store and send "
                                                            "nothing.")] = False,
    as_json: JsonOpt = False,
    period: Annotated[str | None, typer.Option(
        "--period", hidden=True, help="With --user: this period key instead of the current "
                                      "one (operations, tests).")] = None,
) -> None:
    """Produce and send digests, exactly once per user and period."""

    def go() -> None:
        if due == (user is not None):
            raise InvalidInputError("Give either --due or --user NAME.")
        center = _center()
        if user is not None:
            results = [center.run_user(_known_user(center, user), dry_run=dry_run,
                                       period=period)]
        elif dry_run:
            results = [center.run_user(uid, dry_run=True)
                       for uid, _ in center.scheduled_users()]
        else:
            results = center.run_due()
        if as_json:
            _echo_json({"results": [r.model_dump(mode="json") for r in results],
                        "sent": sum(r.status == "sent" for r in results),
                        "total": len(results)})
            return
        if not results:
            typer.echo("no digest due")
        for r in results:
            chans = ", ".join(f"{k}: {v.get('status')}" + (f" ({v['reason']})"
                                                           if v.get("reason") else "")
                              for k, v in r.channels.items())
            typer.echo(f"{r.user} {r.period}: {r.status} - {r.matches} matches, "
                       f"{r.changes} changes" + (f" [{chans}]" if chans else ""))

    _run(go)


@digest_app.command("list")
def list_cmd(user: UserOpt, as_json: JsonOpt = False) -> None:
    """The user's last digests, newest first."""

    def go() -> None:
        center = _center()
        rows = center.history(_known_user(center, user), limit=20)
        if as_json:
            _echo_json({"digests": rows})
            return
        if not rows:
            typer.echo("no digests yet")
        for r in rows:
            seen = f", viewed {r['viewed_at'][:16]}" if r["viewed_at"] else ", not viewed"
            chans = ", ".join(f"{k}: {v['status']}" for k, v in r["channels"].items())
            typer.echo(f"#{r['digest_id']} {r['period']} {r['status']}: {r['matches']} matches,"
                       f" {r['changes']} changes{seen} [{chans}]")

    _run(go)


@digest_app.command("set")
def set_cmd(
    user: UserOpt,
    schedule: Annotated[str | None, typer.Option(
        "--schedule", help='"daily 08:00", "weekly mon 08:00" or "off".')] = None,
    timezone: Annotated[str | None, typer.Option(
        "--timezone", help="IANA time zone, e.g. Europe/Berlin (default UTC).")] = None,
    email: Annotated[str | None, typer.Option(
        "--email", help='Where e-mail digests go ("" removes it).')] = None,
    min_score: Annotated[int | None, typer.Option("--min-score", min=0, max=100)] = None,
    when_empty: Annotated[str | None, typer.Option(
        "--when-empty", help="short (a short 'nothing new' digest) or none.")] = None,
    channels: Annotated[str | None, typer.Option(
        "--channels", help="Where digests go, comma-separated: in_app, email, slack, "
                           "teams.")] = None,
) -> None:
    """Set a user's digest schedule, time zone, e-mail address, threshold and channels."""

    def go() -> None:
        center = _center()
        uid = _user(user)
        center.service.ensure_user(uid)
        if email is not None:
            center.set_email(uid, email)
        chosen = None
        if channels is not None:
            chosen = center.set_channels(uid, [c for c in channels.split(",") if c.strip()])
        extra: dict[str, Any] = {}
        if min_score is not None:
            extra["digest_min_score"] = min_score
        if when_empty is not None:
            if when_empty not in ("short", "none"):
                raise InvalidInputError("--when-empty is short or none")
            extra["digest_when_empty"] = when_empty
        if extra:
            center.service.update_preferences(uid, **extra)
        if schedule is not None or timezone is not None:
            prefs = center.service.preferences(uid)
            info = center.set_schedule(uid, schedule if schedule is not None
                                       else prefs.digest_schedule, timezone=timezone)
        else:
            info = center.schedule_of(uid)
        nxt = info["next_run_local"]
        typer.echo(f"digest: {info['describe']} ({info['timezone']})"
                   + (f"; next: {nxt}" if nxt else "")
                   + (f"; channels: {', '.join(chosen) or 'none'}" if chosen is not None
                      else ""))

    _run(go)


# --------------------------------------------------------------------------- feeds


def parse_every(text: str) -> int:
    """"1h", "30m", "2d", "90s", "3600" -> seconds."""
    m = re.fullmatch(r"\s*(\d+)\s*([smhd]?)\s*", text.lower())
    if not m:
        raise InvalidInputError('--every is like 30m, 1h or 1d')
    return int(m.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[m.group(2)]


@feeds_app.command("add")
def feeds_add_cmd(
    url: Annotated[str, typer.Argument(help="RSS/Atom feed URL.")],
    every: Annotated[str, typer.Option("--every", help="How often: 30m, 1h, 1d.")] = "1h",
) -> None:
    """Register a feed; the scheduler re-imports it every --every."""

    def go() -> None:
        from agent.bootstrap import build_engine
        from agent.feeds import FeedBook

        rec = FeedBook(build_engine()).add(url, parse_every(every))
        typer.echo(f"feed #{rec.id} every {rec.every_s}s: {rec.url}")

    _run(go)


@feeds_app.command("list")
def feeds_list_cmd(as_json: JsonOpt = False) -> None:
    """Registered feeds and their last refresh."""

    def go() -> None:
        from agent.bootstrap import build_engine
        from agent.feeds import FeedBook

        feeds = FeedBook(build_engine()).list()
        rows: list[dict[str, Any]] = [{"id": f.id, "url": f.url, "every_s": f.every_s,
                 "last_run": f.last_run.isoformat() if f.last_run else None,
                 "last_status": f.last_status or None, "last_new": f.last_new,
                 "last_error": f.last_error or None} for f in feeds]
        if as_json:
            _echo_json({"feeds": rows})
            return
        if not rows:
            typer.echo("no feeds")
        for r in rows:
            last = (f"last {r['last_run'][:16]} {r['last_status']} (+{r['last_new']} new)"
                    if r["last_run"] else "never run")
            typer.echo(f"#{r['id']} every {r['every_s']}s {r['url']} - {last}")

    _run(go)


@feeds_app.command("remove")
def feeds_remove_cmd(ref: Annotated[str, typer.Argument(help="Feed id or URL.")]) -> None:
    """Unregister a feed."""

    def go() -> None:
        from agent.bootstrap import build_engine
        from agent.feeds import FeedBook

        if not FeedBook(build_engine()).remove(ref):
            raise InvalidInputError(f"No feed {ref[:80]!r}.")
        typer.echo("removed")

    _run(go)


def scheduler_cmd() -> None:
    """Run the scheduler (digests, feeds, job expiry, cache cleaning) until stopped."""
    import logging

    from agent.bootstrap import get_settings
    from ui.scheduler import run_forever

    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("ui.scheduler").setLevel(logging.INFO)
    typer.echo(f"jobfit scheduler started {datetime.now():%Y-%m-%d %H:%M}; Ctrl-C stops it",
               err=True)
    _run(lambda: run_forever(get_settings()))


def register(app: typer.Typer) -> None:
    """Add the commands to the main ``jobfit`` app."""
    app.add_typer(digest_app, name="digest")
    app.add_typer(feeds_app, name="feeds")
    app.command("scheduler")(scheduler_cmd)

"""The digest and feed commands as an operator runs them, the chat phrases through
`jobfit chat`, and exactly-once under `kill -9`: a `jobfit digest run --due` killed mid-run,
then run again, leaves exactly one digest per user and never two e-mails to anyone."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "store" / "samples"
JOBFIT = str(Path(sys.executable).with_name("jobfit"))
USERS = [f"user{i:02d}" for i in range(14)]


class SlowSink:
    """A real SMTP server that takes its time accepting each message (a wider crash window)."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        await asyncio.sleep(0.4)
        self.messages.append((list(envelope.rcpt_tos), bytes(envelope.content)))
        return "250 OK"


def _port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def smtp() -> Iterator[tuple[SlowSink, int]]:
    sink, port = SlowSink(), _port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield sink, port
    finally:
        controller.stop()


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory, smtp: tuple[SlowSink, int]) -> dict[str, str]:
    data_dir = tmp_path_factory.mktemp("digest-cli")
    out = {**os.environ, "JOBFIT_DATA_DIR": str(data_dir), "JOBFIT_SMTP_HOST": "127.0.0.1",
           "JOBFIT_SMTP_PORT": str(smtp[1]), "JOBFIT_SMTP_SECURITY": "none",
           "JOBFIT_DIGEST_LEASE_S": "3", "JOBFIT_LLM": "offline"}
    for name in ("DATABASE_URL", "JOBFIT_DATABASE_URL", "CHROMA_HOST"):
        out.pop(name, None)
    done = run(out, "import", str(SAMPLES / "jobs.json"), "--json")
    assert json.loads(done)["new"] == 320
    return out


def run(env: dict[str, str], *args: str, stdin: str | None = None, ok: bool = True) -> str:
    out = subprocess.run([JOBFIT, *args], env=env, cwd=ROOT, input=stdin, capture_output=True,
                         text=True, timeout=600)
    if ok:
        assert out.returncode == 0, out.stderr
    return out.stdout if ok else out.stdout + out.stderr


def test_chat_phrases_schedule_show_and_stop(env: dict[str, str]) -> None:
    lines = [f"/cv {SAMPLES / 'cvs' / 'backend_engineer_senior.txt'}",
             "daily digest at 7:30 Berlin time", "show my digest",
             "what skills are trending for me?", "what should I learn?",
             "send my digest now", "my last digests"]
    said = run(env, "chat", "--user", "chatter", stdin="\n".join(lines) + "\n")
    assert "Done: your digest comes every day at 07:30 (Europe/Berlin)" in said
    assert "No digest was sent yet; this is what it would hold now:" in said
    assert "Skills most asked for by the jobs that fit you" in said
    # "what should I learn?" is answered across the top matches by skills_to_learn (the same
    # measured skill_impacts as the digest's "learn" list)
    assert "these skills would raise your scores most" in said
    assert "Sent (in-app: sent, email: skipped (no e-mail address)" in said
    assert "Your last digests:\n- now-" in said
    # "show my digest" did not touch the schedule (the old bug set it to daily)
    shown = run(env, "digest", "set", "--user", "chatter")
    assert shown.startswith("digest: every day at 07:30 (Europe/Berlin)")
    run(env, "chat", "--user", "chatter", stdin="stop my digests\n")
    assert run(env, "digest", "set", "--user", "chatter").startswith("digest: off")


def test_preview_formats_and_errors(env: dict[str, str]) -> None:
    run(env, "chat", "--user", "viewer", stdin=f"/cv {SAMPLES / 'cvs' / 'registered_nurse.txt'}\n")
    data = json.loads(run(env, "digest", "preview", "--user", "viewer", "--format", "json"))
    assert data["matches"] and all(m["score"] >= 60 for m in data["matches"])
    assert {"job_id", "title", "company", "score", "grade"} <= set(data["matches"][0])
    assert all({"skill", "impact", "jobs"} <= set(s) for s in data["skills"])
    text = run(env, "digest", "preview", "--user", "viewer")
    assert "NEW MATCHES" in text and data["matches"][0]["job_id"] in text
    html = run(env, "digest", "preview", "--user", "viewer", "--format", "html")
    assert html.startswith("<!doctype html>") and data["matches"][0]["job_id"] in html
    err = run(env, "digest", "preview", "--user", "nobody", ok=False)
    assert "No user 'nobody'" in err
    assert "--due or --user" in run(env, "digest", "run", ok=False)


def test_feeds_commands(env: dict[str, str], tmp_path: Path) -> None:
    assert "feed #1 every 1800s: https://jobs.example.com/feed.rss" in run(
        env, "feeds", "add", "https://jobs.example.com/feed.rss", "--every", "30m")
    listed = json.loads(run(env, "feeds", "list", "--json"))["feeds"]
    assert listed == [{"id": 1, "url": "https://jobs.example.com/feed.rss", "every_s": 1800,
                       "last_run": None, "last_status": None, "last_new": 0,
                       "last_error": None}]
    assert "--every is like" in run(env, "feeds", "add", "https://x.example/f", "--every",
                                    "soon", ok=False)
    assert run(env, "feeds", "remove", "1").strip() == "removed"
    assert "No feed" in run(env, "feeds", "remove", "1", ok=False)


def _digests(data_dir: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(data_dir / "jobfit.db") as conn:
        return [(str(a), str(b), str(c)) for a, b, c in conn.execute(
            "SELECT owner_id, status, channels FROM digests WHERE period LIKE '20%'")]


def test_kill_minus_nine_mid_run_then_restart_sends_each_digest_once(
        env: dict[str, str], smtp: tuple[SlowSink, int]) -> None:
    from agent.bootstrap import build_service
    from agent.settings import Settings
    from store.tables import utcnow

    sink, _ = smtp
    data_dir = Path(env["JOBFIT_DATA_DIR"])
    service = build_service(Settings(data_dir=data_dir))
    cvs = sorted((SAMPLES / "cvs").glob("*.txt"))
    started = (utcnow() - timedelta(days=3)).isoformat()
    for i, uid in enumerate(USERS):
        service.save_cv(uid, text=cvs[i % len(cvs)].read_text("utf-8"))
        service.update_preferences(uid, digest_schedule="daily 06:00", timezone="UTC",
                                   digest_started=started, digest_email=f"{uid}@example.com")
    before = len(sink.messages)
    proc = subprocess.Popen([JOBFIT, "digest", "run", "--due", "--json"], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None:
        if sum(s == "sent" for _, s, _ in _digests(data_dir)) >= 3:
            break
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    first = _digests(data_dir)
    assert 3 <= sum(s == "sent" for _, s, _ in first) < len(USERS), "killed mid-run"
    time.sleep(3.5)  # the dead run's lease (JOBFIT_DIGEST_LEASE_S=3) goes stale
    again = json.loads(run(env, "digest", "run", "--due", "--json"))
    assert again["total"] >= len(USERS) - sum(s == "sent" for _, s, _ in first)
    rows = _digests(data_dir)
    per_user = Counter(uid for uid, _, _ in rows if uid in USERS)
    assert per_user == {uid: 1 for uid in USERS}  # exactly one digest per user and period
    mails = Counter(r for rcpts, _ in sink.messages[before:] for r in rcpts)
    assert max(mails.values()) == 1  # never two e-mails to anyone
    email_sent = {uid for uid, _, ch in rows if json.loads(ch)["email"]["status"] == "sent"}
    assert {r.split("@")[0] for r in mails} == email_sent
    interrupted = [uid for uid, _, ch in rows if json.loads(ch)["email"]["status"] == "failed"]
    assert len(interrupted) <= 1  # at most the one caught mid-send, not retried
    assert all(json.loads(ch)["in_app"]["status"] == "sent" for uid, _, ch in rows
               if uid in USERS)
    assert json.loads(run(env, "digest", "run", "--due", "--json"))["total"] == 0

"""Web chat under load: N users at once over the running app's real HTTP + socket.io API.

    python -m tests.bench.bench_load [--users 10,30,60] [--modes logged-in,login]
                                     [--profile OUT.json]

Starts ``jobfit ui`` (password mode, offline model, a temporary data directory with the bundled
sample jobs), makes the accounts, warms the server with one user, then for each N and mode:
N users log in (``POST /login``), open the chat socket, paste a CV (the 30 sample CVs in
turn), ask "what are my best matches?" and "how well do I fit job 1". Mode ``logged-in``:
every user logs in and connects first, then all chat at once; ``login``: each starts chatting
as soon as its own login is done, while the others still log in (30 password checks of
~50 ms of CPU each share the machine with the first turns). Each turn is timed from sending
the message until the server ends it (Chainlit's ``on_message`` step closes). Prints p50/p95/max
per N, overall and per kind of turn, the login times, and the server's own turn-time histogram
(``/metrics``), and the CPU the server and its worker processes used. ``--profile`` records
the server (and its workers) with py-spy during the waves (a speedscope file: open it at
https://www.speedscope.app; the interpreter-lock holder only, so it shows what serialises a
process). A figure, not a pass/fail test; the client runs on the same machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from tests.e2e.chat_client import ChatClient, login
from tests.e2e.test_web import start_app, stop_app

ROOT = Path(__file__).resolve().parents[2]
GOAL_P95_S = 1.0
PASSWORD = "load-password-1"
KINDS = ("paste CV", "best matches", "fit job 1")
MODES = {"logged-in": "logged in first, then all chatting at once",
         "login": "logging in and chatting at once"}


def sample_cvs() -> list[str]:
    lines = (ROOT / "store" / "samples" / "cvs.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["text"] for line in lines if line.strip()]


def make_accounts(data_dir: Path, names: list[str]) -> None:
    from agent.bootstrap import build_engine
    from agent.settings import Settings
    from ui.users import add_user

    engine = build_engine(Settings(data_dir=data_dir))
    try:
        for name in names:
            add_user(name, PASSWORD, engine=engine, quiet=True)
    finally:
        engine.dispose()


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


async def one_user(base: str, name: str, cv: str,
                   gate: asyncio.Barrier | None = None) -> tuple[float, list[float]]:
    """Log in, open the chat, then (after ``gate``: every user of the wave is connected)
    paste a CV and ask two questions; (login seconds, turn seconds)."""
    t0 = time.perf_counter()
    token = await login(base, name, PASSWORD)
    login_s = time.perf_counter() - t0
    client = ChatClient(base, token)
    await client.connect()
    if gate is not None:
        await gate.wait()
    times = []
    try:
        for text in (cv, "what are my best matches?", "how well do I fit job 1"):
            turn = await client.ask(text, timeout=300)
            times.append(turn.seconds)
    finally:
        await client.close()
    return login_s, times


async def run_wave(base: str, names: list[str], cvs: list[str], *,
                   logged_in: bool = False) -> tuple[list[float], list[list[float]], float]:
    """One wave: every user at once. ``logged_in``: all log in and connect first, then all
    chat at once (the turns do not share the machine with 30 password checks)."""
    gate = asyncio.Barrier(len(names)) if logged_in else None
    t0 = time.perf_counter()
    results = await asyncio.gather(*(one_user(base, n, cvs[i % len(cvs)], gate)
                                     for i, n in enumerate(names)))
    wall = time.perf_counter() - t0
    return [r[0] for r in results], [r[1] for r in results], wall


def _stat(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (all its threads) so far, from /proc."""
    import os

    fields = _stat(pid)
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def worker_pids(pid: int) -> list[int]:
    """The server's child processes (its scoring workers, ``ui/workers.py``)."""
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int(_stat(int(entry.name))[1]) == pid:
                    children.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return children


def start_profile(pid: int, out: Path) -> subprocess.Popen[bytes]:
    """py-spy recording the server and its worker processes (lock holders only)."""
    spy = subprocess.Popen(
        [str(Path(sys.executable).parent / "py-spy"), "record", "--pid", str(pid),
         "--subprocesses", "--gil", "--threads", "--nonblocking", "--rate", "100",
         "--format", "speedscope", "-o", str(out)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.0)
    return spy


def wait_for_workers(log: Path, timeout: float = 300.0) -> float:
    """Wait until the server logs that its worker processes are ready; seconds waited."""
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        if "worker processes ready" in log.read_text(errors="replace"):
            break
        time.sleep(0.5)
    return time.perf_counter() - t0


def cpu_split(pid: int) -> tuple[float, float]:
    """CPU seconds so far of the server process and of its worker processes together."""
    workers = 0.0
    for child in worker_pids(pid):
        try:
            workers += cpu_seconds(child)
        except OSError:
            continue
    return cpu_seconds(pid), workers


def describe(label: str, values: list[float]) -> str:
    return (f"{label:<13} n={len(values):3d}  p50 {statistics.median(values):6.2f} s  "
            f"p95 {pct(values, 0.95):6.2f} s  max {max(values):6.2f} s")


def server_histogram(base: str) -> str:
    text = httpx.get(base + "/metrics", timeout=10).text
    count = total = 0.0
    for line in text.splitlines():
        if line.startswith("jobfit_turn_seconds_count"):
            count = float(line.split()[-1])
        elif line.startswith("jobfit_turn_seconds_sum"):
            total = float(line.split()[-1])
    return f"server: {count:.0f} turns, mean {total / count:.2f} s" if count else "server: -"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", default="10,30,60")
    parser.add_argument("--modes", default="logged-in,login",
                        help="logged-in: all users log in first, then chat at once; "
                             "login: they log in and chat at once (comma-separated, in order)")
    parser.add_argument("--profile", type=Path, default=None,
                        help="record the server with py-spy (dev extra) into this file")
    args = parser.parse_args()
    sizes = [int(n) for n in args.users.split(",") if n.strip()]
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    if set(modes) - set(MODES):
        parser.error(f"--modes: {', '.join(MODES)}")
    waves = [(n, mode) for n in sizes for mode in modes]
    cvs = sample_cvs()
    with tempfile.TemporaryDirectory(prefix="jobfit-bench-load-") as tmp:
        data = Path(tmp)
        names = {(n, mode): [f"load{n}{mode[:2]}-{i}" for i in range(n)] for n, mode in waves}
        t0 = time.perf_counter()
        app = start_app(data, users={"warm": PASSWORD})
        make_accounts(data, [name for group in names.values() for name in group])
        print(f"server up and {sum(n for n, _ in waves) + 1} accounts made in "
              f"{time.perf_counter() - t0:.1f} s")
        try:
            cold = asyncio.run(one_user(app.base, "warm", cvs[0]))[1]
            print("warm-up (first user, cold server): "
                  + ", ".join(f"{k} {t:.2f} s" for k, t in zip(KINDS, cold, strict=True)))
            if worker_pids(app.process.pid):  # their start-up is not part of a wave
                print(f"worker processes ready after {wait_for_workers(app.log):.1f} s more")
            spy = start_profile(app.process.pid, args.profile) if args.profile else None
            for n, mode in waves:
                main0, workers0 = cpu_split(app.process.pid)
                logins, per_user, wall = asyncio.run(run_wave(
                    app.base, names[(n, mode)], cvs, logged_in=mode == "logged-in"))
                main1, workers1 = cpu_split(app.process.pid)
                main, workers = main1 - main0, workers1 - workers0
                cpu = main + workers
                turns = [t for user in per_user for t in user]
                p95 = pct(turns, 0.95)
                print(f"\n{n} concurrent users, {MODES[mode]} ({3 * n} turns in {wall:.1f} s "
                      "wall)")
                print("  " + describe("all turns", turns)
                      + ("  (goal p95 <= 1 s: met)" if p95 <= GOAL_P95_S else ""))
                for k, kind in enumerate(KINDS):
                    print("  " + describe(kind, [user[k] for user in per_user]))
                print("  " + describe("login", logins))
                print("  " + server_histogram(app.base))
                print(f"  server CPU {cpu:.1f} s for {n} logins + {3 * n} turns "
                      f"({cpu / wall:.2f} cores busy on average): server process {main:.1f} s"
                      f" ({main / wall:.2f} cores), its {len(worker_pids(app.process.pid))} "
                      f"child processes (the workers and multiprocessing's resource tracker) "
                      f"{workers:.1f} s")
            if spy is not None:
                spy.send_signal(signal.SIGINT)  # py-spy writes the file when interrupted
                spy.wait(60)
                print(f"\nprofile: {args.profile}")
        finally:
            stop_app(app)


if __name__ == "__main__":
    main()

"""Slack and Teams bot latency with the offline model (no network).

    python -m tests.bench.bench_bots [--runs 10]

A real store (SQLite + embedded Chroma, the bundled sample jobs, a sample CV) behind the Slack
Bolt app and the Teams handler, served by uvicorn on 127.0.0.1; Slack's Web API and the Teams
connector are local fakes that record when each reply arrives. For N different jobs:

- Slack ``/jobfit fit <id>``: ack time (HTTP response to the signed request), and the time
  until the score card is posted to ``response_url``;
- Slack DM "how well do I fit job <id>": ack time, and the time until the score card is posted
  (chat.postMessage) after the event;
- Teams "how well do I fit job <id>" in the personal chat: the time until the Adaptive Card
  reply reaches the connector.

Goals (issue 15): ack <= 3 s always; fit answer posted <= 1 s after the event. Figures, not a
pass/fail test.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

ACK_GOAL_S = 3.0
ANSWER_GOAL_S = 1.0


def _summary(name: str, values: list[float], goal: float) -> None:
    if not values:
        print(f"{name}: no data")
        return
    p50 = statistics.median(values)
    print(f"{name}: p50 {p50 * 1000:.0f} ms, max {max(values) * 1000:.0f} ms over "
          f"{len(values)} runs (goal <= {goal:g} s: {'met' if max(values) <= goal else 'NOT met'})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    from starlette.applications import Starlette

    from agent.settings import Settings
    from tests.bot_servers import SECRET, Served, bot_core, dm, post_event, post_form
    from tests.integration.agent_store import BACKEND_CV, build_store, sample_jobs
    from tests.integration.test_teams import APP_ID, TENANT, FakeConnector, FixedConnections
    from tests.slack_fake import FakeSlack
    from ui.slack import build_slack_app
    from ui.slack import routes as slack_routes
    from ui.teams import TeamsBot
    from ui.teams import routes as teams_routes

    with tempfile.TemporaryDirectory(prefix="jobfit-bench-bots-") as tmp:
        t0 = time.perf_counter()
        n_jobs = len(sample_jobs(10_000))
        service = build_store(Path(tmp) / "data", n_jobs=n_jobs)
        core = bot_core(service, Path(tmp) / "checkpoints.db")
        print(f"store with {n_jobs} sample jobs in {time.perf_counter() - t0:.1f} s")
        fake = FakeSlack().start()
        connector = FakeConnector()
        settings = Settings(slack_bot_token="xoxb-bench", slack_signing_secret=SECRET,
                            slack_api_url=fake.api, teams_app_id=APP_ID,
                            teams_app_password="bench")
        slack = Served(Starlette(routes=slack_routes(build_slack_app(core, settings)))).start()
        teams_bot = TeamsBot(core, settings, connections=FixedConnections())  # type: ignore[arg-type]
        teams_bot.auth.ANONYMOUS_ALLOWED = True  # the bench measures the bot, not token checks
        teams = Served(Starlette(routes=teams_routes(core, settings, bot=teams_bot))).start()
        try:
            run(args.runs, core, service, fake, connector, slack.url, teams.url, dm, post_event,
                post_form, BACKEND_CV, TENANT)
        finally:
            slack.stop()
            teams.stop()
            fake.stop()
            connector.server.shutdown()
            service.engine.dispose()


def run(runs: int, core: Any, service: Any, fake: Any, connector: Any, slack_url: str,
        teams_url: str, dm: Any, post_event: Any, post_form: Any, cv: str, tenant: str) -> None:
    import httpx

    from ui.bots import Identity

    user = "UBENCH"
    owner = core.owner(Identity("slack", "T1", user))
    service.save_cv(owner, text=cv)
    teams_owner = core.owner(Identity("teams", tenant, "aad-bench"))
    service.save_cv(teams_owner, text=cv)
    refs = [str(c.ref) for c in service.best_matches(owner, k=3 * runs + 1, min_score=0)]
    core.fit(owner, refs[-1])  # start-up (indexes, first analysis) is not a turn
    command_ack: list[float] = []
    command_answer: list[float] = []
    event_ack: list[float] = []
    event_answer: list[float] = []
    teams_answer: list[float] = []
    for i in range(runs):
        ref = refs[3 * i]
        url = f"/response/bench{i}"
        started = time.perf_counter()
        r = post_form(slack_url, {"command": "/jobfit", "text": f"fit {ref}", "team_id": "T1",
                                  "user_id": user, "channel_id": "C1",
                                  "response_url": f"{fake.url}{url}"})
        command_ack.append(time.perf_counter() - started)
        assert r.status_code == 200
        got = fake.wait("response_url", where=lambda p, url=url: p.get("_url") == url)
        command_answer.append(got[0]["time"] - started)

        ref = refs[3 * i + 1]
        before = len(fake.of("chat.postMessage"))
        started = time.perf_counter()
        r = post_event(slack_url, dm(user, f"how well do I fit job {ref}"),
                       event_id=f"EvBench{time.time_ns()}")
        event_ack.append(time.perf_counter() - started)
        assert r.status_code == 200
        posted = fake.wait("chat.postMessage", n=before + 1)
        cards = [c for c in posted[before:] if "/100*" in str(c["params"].get("blocks"))]
        if not cards:
            posted = fake.wait("chat.postMessage", n=before + 2)
            cards = [c for c in posted[before:] if "/100*" in str(c["params"].get("blocks"))]
        if cards:
            event_answer.append(cards[0]["time"] - started)

        ref = refs[3 * i + 2]
        conv = "a:bench"
        n = len(connector.to(conv))
        activity = {"type": "message", "id": f"m{i}", "channelId": "msteams",
                    "serviceUrl": connector.url, "text": f"how well do I fit job {ref}",
                    "from": {"id": "29:bench", "aadObjectId": "aad-bench"},
                    "recipient": {"id": "28:bot"},
                    "conversation": {"id": conv, "conversationType": "personal",
                                     "tenantId": tenant}}
        started = time.perf_counter()
        httpx.post(f"{teams_url}/api/messages", json=activity, timeout=60)
        replies = connector.wait(conv, n=n + 1)
        cards = [x for x in replies[n:] if x["activity"].get("attachments")]
        if cards:
            teams_answer.append(cards[0]["time"] - started)
    _summary("Slack /jobfit fit: ack", command_ack, ACK_GOAL_S)
    _summary("Slack /jobfit fit: score card posted after the request", command_answer,
             ANSWER_GOAL_S)
    _summary("Slack DM 'how well do I fit job N': ack", event_ack, ACK_GOAL_S)
    _summary("Slack DM 'how well do I fit job N': score card posted after the event",
             event_answer, ANSWER_GOAL_S)
    _summary("Teams 'how well do I fit job N': score card received after the activity",
             teams_answer, ANSWER_GOAL_S)


if __name__ == "__main__":
    main()

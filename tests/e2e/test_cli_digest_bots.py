"""`jobfit digest run --user X` as an operator (or the scheduler) runs it, in its own process,
with Slack configured by environment: the digest reaches the linked user's Slack DM (the fake
Slack Web API on 127.0.0.1) once per period, and an unlinked user's Slack is skipped."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.integration.agent_store import BACKEND_CV, sample_jobs
from tests.slack_fake import FakeSlack

ROOT = Path(__file__).resolve().parents[2]
JOBFIT = str(Path(sys.executable).with_name("jobfit"))


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeSlack]:
    f = FakeSlack().start()
    yield f
    f.stop()


def run(env: dict[str, str], *args: str) -> str:
    out = subprocess.run([JOBFIT, *args], env=env, cwd=ROOT, capture_output=True, text=True,
                         timeout=600)
    assert out.returncode == 0, out.stderr
    return out.stdout


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory, fake: FakeSlack) -> dict[str, Any]:
    data_dir = tmp_path_factory.mktemp("digest-bots-cli")
    out = {**os.environ, "JOBFIT_DATA_DIR": str(data_dir), "JOBFIT_LLM": "offline",
           "SLACK_BOT_TOKEN": "xoxb-cli", "SLACK_SIGNING_SECRET": "cli-secret",
           "JOBFIT_SLACK_API_URL": fake.api}
    for name in ("DATABASE_URL", "JOBFIT_DATABASE_URL", "CHROMA_HOST", "JOBFIT_SMTP_HOST",
                 "TEAMS_APP_ID", "JOBFIT_TEAMS_APP_ID"):
        out.pop(name, None)
    jobs = data_dir.parent / "digest-bots-jobs.json"
    jobs.write_text(json.dumps(sample_jobs(60)), encoding="utf-8")
    assert json.loads(run(out, "import", str(jobs), "--json"))["new"] == 60
    return out


def _prepare_users(data_dir: str) -> str:
    """A Slack user with a CV who chose Slack digests, and a web user who chose Slack but never
    linked it (set up through the service, as the bot and the chat do)."""
    from agent.bootstrap import build_service
    from agent.settings import Settings

    service = build_service(Settings(data_dir=Path(data_dir)))
    owner = service.channel_user("slack", "T1", "UCLI")
    service.save_cv(owner, text=BACKEND_CV)
    service.update_preferences(owner, digest_channels=["slack"])
    service.save_cv("webber", text=BACKEND_CV)
    service.update_preferences("webber", digest_channels=["in_app", "slack"])
    service.engine.dispose()
    return owner


def test_digest_run_delivers_to_slack_once_per_period(env: dict[str, Any],
                                                      fake: FakeSlack) -> None:
    code = ("import sys; from tests.e2e.test_cli_digest_bots import _prepare_users; "
            "print(_prepare_users(sys.argv[1]))")
    prepared = subprocess.run([sys.executable, "-c", code, env["JOBFIT_DATA_DIR"]], env=env,
                              cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert prepared.returncode == 0, prepared.stderr
    owner = prepared.stdout.strip().splitlines()[-1]

    first = json.loads(run(env, "digest", "run", "--user", owner, "--period", "w-1",
                           "--json"))["results"][0]
    assert first["status"] == "sent" and first["matches"] > 0
    assert first["channels"]["slack"]["status"] == "sent"
    again = json.loads(run(env, "digest", "run", "--user", owner, "--period", "w-1",
                           "--json"))["results"][0]
    assert again["status"] == "already"
    posts = [c for c in fake.of("chat.postMessage") if c["params"]["channel"] == "DUCLI"]
    assert len(posts) == 1 and posts[0]["auth"] == "Bearer xoxb-cli"
    blocks = posts[0]["params"]["blocks"]
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    assert blocks[0]["text"]["text"] == "Your jobfit digest"
    assert len([b for b in blocks if b["type"] == "actions"]) == first["matches"]

    web = json.loads(run(env, "digest", "run", "--user", "webber", "--period", "w-1",
                         "--json"))["results"][0]
    assert web["status"] == "sent"  # in-app
    assert web["channels"]["slack"]["status"] == "skipped"
    assert "no Slack account linked" in web["channels"]["slack"]["reason"]
    assert "teams" not in web["channels"]  # not configured here and not chosen


def test_digest_set_channels(env: dict[str, Any]) -> None:
    said = run(env, "digest", "set", "--user", "chooser", "--channels", "in_app, slack,teams")
    assert said.strip().endswith("channels: in_app, slack, teams")
    bad = subprocess.run([JOBFIT, "digest", "set", "--user", "chooser", "--channels", "fax"],
                         env=env, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert bad.returncode != 0 and "Unknown digest channel 'fax'" in bad.stdout + bad.stderr

"""ui/channels.py: Chainlit's own channel integrations handed over to jobfit's (pure)."""

from __future__ import annotations


def test_chainlit_integrations_are_handed_over(tmp_path: object) -> None:
    """jobfit ui starts Chainlit with Slack's/Teams' variables renamed to jobfit's names and
    blanked (so neither the environment nor Chainlit's .env mounts Chainlit's handlers), and
    jobfit's settings still see them."""
    from pathlib import Path

    from agent.settings import Settings
    from ui.channels import CHAINLIT_VARS, hide_chainlit_integrations

    dotenv = Path(str(tmp_path)) / ".env"
    dotenv.write_text("TEAMS_APP_ID=from-file\nTEAMS_APP_PASSWORD=pw\n")
    env = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s",
           "JOBFIT_SLACK_SIGNING_SECRET": "mine", "PATH": "/bin"}
    moved = hide_chainlit_integrations(env, dotenv)
    assert set(moved) == {"SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "TEAMS_APP_ID",
                          "TEAMS_APP_PASSWORD"}
    assert all(env[name] == "" for name in CHAINLIT_VARS)
    assert env["JOBFIT_SLACK_BOT_TOKEN"] == "xoxb-1"
    assert env["JOBFIT_SLACK_SIGNING_SECRET"] == "mine"  # jobfit's own name wins
    assert env["JOBFIT_TEAMS_APP_ID"] == "from-file" and env["PATH"] == "/bin"
    import os

    saved = dict(os.environ)
    try:
        os.environ.clear()
        os.environ.update(env)
        settings = Settings()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    assert settings.slack_bot_token == "xoxb-1" and settings.slack_enabled
    assert settings.teams_app_id == "from-file" and settings.teams_enabled

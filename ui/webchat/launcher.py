"""``jobfit ui``: prepare the data directory (auth secret, sample jobs, chat tables, what a crash
left), then run Chainlit on ``ui/app.py`` (``ui/webchat/serve.py``). Imports no Chainlit handler."""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from agent.bootstrap import get_settings, sync_database_url
from tools.errors import JobfitError
from ui.chat_history import create_chat_tables
from ui.webchat import APP_ROOT
from ui.webchat.runtime import project_engine

if TYPE_CHECKING:
    from agent.settings import Settings

SECRET_FILE = ".chainlit_auth_secret"


def auth_secret(data_dir: Path) -> str:
    """Chainlit's JWT secret: generated once and kept in ``<data_dir>/.chainlit_auth_secret``."""
    path = data_dir / SECRET_FILE
    if path.exists():
        secret = path.read_text(encoding="utf-8").strip()
        if secret:
            return secret
    secret = secrets.token_urlsafe(48)
    path.write_text(secret, encoding="utf-8")
    path.chmod(0o600)
    return secret


def seed_sample_jobs(settings: Settings) -> int:
    """Import the bundled sample jobs when the job store is empty; returns rows imported."""
    from agent.bootstrap import build_service

    return build_service(settings).seed_sample_jobs()


def serve(host: str | None = None, port: int | None = None, *, seed: bool = True,
          allow_open_remote: bool = False) -> None:
    """Start the web chat: prepare the data directory, then run Chainlit (replaces this process).

    Open mode (no login) only on a loopback address unless ``allow_open_remote`` (or
    ``JOBFIT_ALLOW_OPEN_REMOTE``): anyone who reaches the port would be the local user.
    """
    from ui.security import is_loopback_host

    settings = get_settings()
    host = host or settings.ui_host
    port = port or settings.ui_port
    allow_open_remote = allow_open_remote or settings.allow_open_remote
    if settings.auth == "open" and not is_loopback_host(host) and not allow_open_remote:
        raise JobfitError(
            f"Refusing to serve open mode (no login) on {host}: anyone who can reach it would "
            "use the local user's data. Use JOBFIT_AUTH=password with `jobfit users add NAME`, "
            "or listen on 127.0.0.1, or pass --allow-open-remote if something in front of "
            "jobfit already checks who gets in.")
    data_dir = Path(settings.data_dir).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env["JOBFIT_DATA_DIR"] = str(data_dir)
    env["JOBFIT_AUTH"] = settings.auth
    env["CHAINLIT_APP_ROOT"] = str(APP_ROOT)
    if allow_open_remote:
        env["JOBFIT_ALLOW_OPEN_REMOTE"] = "1"
    env.setdefault("CHAINLIT_AUTH_SECRET", auth_secret(data_dir))
    from ui.channels import hide_chainlit_integrations

    # jobfit's own Slack/Teams bots answer, not Chainlit's (also for values in Chainlit's .env)
    hide_chainlit_integrations(env, Path.cwd() / env.get("CHAINLIT_ENV_FILE", ".env"))
    if seed:
        seed_sample_jobs(settings)
    create_chat_tables(sync_database_url(settings))  # and moves an old cl_* history
    # what a crash left: "Importing…" messages in the history, upload files (ui/recovery.py)
    from ui.recovery import delete_orphan_uploads, mark_interrupted_imports

    mark_interrupted_imports(sync_database_url(settings))
    delete_orphan_uploads(data_dir / "uploads")
    mode = ("open single-user mode (no login)" if settings.auth == "open"
            else "password login (jobfit users add NAME)")
    if settings.auth == "password":
        from agent.accounts import WebAccounts

        if not WebAccounts(project_engine()).exist():
            sys.stderr.write("jobfit: no web accounts yet — add one with `jobfit users add NAME`\n")
    sys.stderr.write(f"jobfit web chat on http://{host}:{port} — {mode}; data in {data_dir}\n")
    sys.stderr.flush()
    # Chainlit's app, without the nest_asyncio patch its own CLI applies (ui/webchat/serve.py)
    argv = [sys.executable, "-m", "ui.webchat.serve", str(APP_ROOT / "ui" / "app.py"),
            "--host", host, "--port", str(port)]
    os.execve(sys.executable, argv, env)

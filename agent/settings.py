"""Process-wide settings, read once in bootstrap (env vars ``JOBFIT_*``)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="JOBFIT_", extra="ignore", populate_by_name=True)

    data_dir: Path = Field(default=Path("data"), description="Where the embedded store lives.")
    max_upload_mb: float = Field(default=10.0, gt=0, description="Largest CV/job file read.")
    embedder: Literal["static", "minilm", "none"] = Field(
        default="static",
        description="Text embedder for the semantic factor: static (MiniLM distilled to static "
                    "token vectors, fast), minilm (the transformer, slower), none.")
    database_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("DATABASE_URL", "JOBFIT_DATABASE_URL", "database_url"),
        description="SQLAlchemy URL of the database (e.g. postgresql+psycopg://user:pw@host/db); "
                    "unset = the SQLite file <data_dir>/jobfit.db.")
    chroma_host: str | None = Field(
        default=None, validation_alias=AliasChoices("CHROMA_HOST", "JOBFIT_CHROMA_HOST"),
        description="Chroma server host; unset = embedded Chroma under <data_dir>/chroma.")
    chroma_port: int = Field(
        default=8000, validation_alias=AliasChoices("CHROMA_PORT", "JOBFIT_CHROMA_PORT"),
        description="Chroma server port.")
    analysis_ttl_days: float = Field(
        default=7.0, gt=0, description="How long a cached analysis (MatchResult) is kept.")

    # -- language model (agent/llm/) --------------------------------------------------------
    llm: Literal["offline", "openai", "azure"] = Field(
        default="offline",
        description="offline: the built-in router model (no network); openai: any "
                    "OpenAI-compatible server (OpenAI, Ollama, vLLM, LM Studio); azure: Azure "
                    "OpenAI.")
    openai_api_key: str | None = Field(
        default=None, validation_alias=AliasChoices("OPENAI_API_KEY", "JOBFIT_OPENAI_API_KEY"),
        repr=False)
    openai_base_url: str | None = Field(
        default=None, validation_alias=AliasChoices("OPENAI_BASE_URL", "JOBFIT_OPENAI_BASE_URL"),
        description="e.g. http://127.0.0.1:11434/v1 for Ollama; unset = api.openai.com.")
    model: str = Field(default="gpt-4o-mini", description="Model (or Azure deployment) name.")
    llm_timeout_s: float = Field(default=30.0, gt=0, description="Per-request LLM timeout.")
    llm_max_retries: int = Field(default=1, ge=0, description="LLM retries per request.")
    azure_openai_endpoint: str | None = Field(
        default=None, validation_alias=AliasChoices("AZURE_OPENAI_ENDPOINT",
                                                    "JOBFIT_AZURE_OPENAI_ENDPOINT"))
    azure_openai_api_key: str | None = Field(
        default=None, validation_alias=AliasChoices("AZURE_OPENAI_API_KEY",
                                                    "JOBFIT_AZURE_OPENAI_API_KEY"), repr=False)
    azure_openai_deployment: str | None = Field(
        default=None, validation_alias=AliasChoices("AZURE_OPENAI_DEPLOYMENT",
                                                    "JOBFIT_AZURE_OPENAI_DEPLOYMENT"))
    azure_openai_api_version: str = Field(
        default="2024-10-21", validation_alias=AliasChoices(
            "AZURE_OPENAI_API_VERSION", "OPENAI_API_VERSION", "JOBFIT_AZURE_OPENAI_API_VERSION"))

    # -- web chat (ui/app.py) ---------------------------------------------------------------
    auth: Literal["open", "password"] = Field(
        default="open",
        description="open: single local user, no login (make run); password: users stored in "
                    "the database (jobfit users add NAME).")
    ui_host: str = Field(default="127.0.0.1", description="Address the web chat listens on.")
    ui_port: int = Field(default=8000, ge=1, le=65535, description="Port of the web chat.")
    admins: str = Field(
        default="",
        description="Comma-separated web logins / chat user names allowed to write the shared "
                    "job store from a chat (others' uploads go to their private source; "
                    "see store/jobaccess.py). Open mode's local user is always an admin.")

    # -- chat bots (ui/slack.py, ui/teams.py): the platforms' own variable names work; the
    # JOBFIT_ spelling wins (jobfit ui hands Chainlit's names over to it, see ui/channels.py) --
    slack_bot_token: str | None = Field(
        default=None, repr=False,
        validation_alias=AliasChoices("JOBFIT_SLACK_BOT_TOKEN", "SLACK_BOT_TOKEN"),
        description="Single-workspace install: the bot token (xoxb-...).")
    slack_signing_secret: str | None = Field(
        default=None, repr=False,
        validation_alias=AliasChoices("JOBFIT_SLACK_SIGNING_SECRET", "SLACK_SIGNING_SECRET"),
        description="Verifies every request from Slack (HTTP mode).")
    slack_app_token: str | None = Field(
        default=None, repr=False,
        validation_alias=AliasChoices("JOBFIT_SLACK_APP_TOKEN", "SLACK_APP_TOKEN",
                                      "SLACK_WEBSOCKET_TOKEN"),
        description="Socket Mode app-level token (xapp-...): jobfit slack --socket.")
    slack_client_id: str | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_CLIENT_ID", "JOBFIT_SLACK_CLIENT_ID"),
        description="Multi-workspace OAuth install: the app's client id.")
    slack_client_secret: str | None = Field(
        default=None, repr=False,
        validation_alias=AliasChoices("SLACK_CLIENT_SECRET", "JOBFIT_SLACK_CLIENT_SECRET"))
    slack_api_url: str = Field(
        default="https://slack.com/api/",
        description="Slack Web API base URL (tests point it at a local fake).")
    teams_app_id: str | None = Field(
        default=None, validation_alias=AliasChoices(
            "JOBFIT_TEAMS_APP_ID", "TEAMS_APP_ID", "MICROSOFT_APP_ID", "MicrosoftAppId"),
        description="The Teams bot's Entra app (client) id.")
    teams_app_password: str | None = Field(
        default=None, repr=False, validation_alias=AliasChoices(
            "JOBFIT_TEAMS_APP_PASSWORD", "TEAMS_APP_PASSWORD", "MICROSOFT_APP_PASSWORD",
            "MicrosoftAppPassword"),
        description="The Teams bot's client secret.")
    teams_tenant_id: str | None = Field(
        default=None, validation_alias=AliasChoices(
            "TEAMS_TENANT_ID", "MICROSOFT_APP_TENANT_ID", "MicrosoftAppTenantId",
            "JOBFIT_TEAMS_TENANT_ID"),
        description="Single-tenant bots: the Entra tenant id (unset: multi-tenant).")

    @property
    def slack_enabled(self) -> bool:
        """Slack HTTP mode is on: a signing secret and a bot token or OAuth settings."""
        return bool(self.slack_signing_secret) and (
            bool(self.slack_bot_token) or bool(self.slack_client_id and self.slack_client_secret))

    @property
    def teams_enabled(self) -> bool:
        return bool(self.teams_app_id and self.teams_app_password)

    # -- web security and limits (ui/security.py, ui/limits.py) ------------------------------
    session_hours: float = Field(
        default=8.0, gt=0, le=24 * 30,
        description="How long a web login lasts (password mode); logout ends it at once.")
    allowed_origins: str = Field(
        default="",
        description="Other web origins allowed to call the web chat with credentials, comma "
                    "separated (e.g. https://jobs.example.com); empty = same origin only.")
    allow_open_remote: bool = Field(
        default=False,
        description="Let `jobfit ui` serve open mode (no login) on a non-loopback address.")
    cookie_secure: Literal["auto", "always", "never"] = Field(
        default="auto",
        description="Secure session cookies: auto = when served over HTTPS (or a trusted proxy "
                    "says https), always, never.")
    turns_per_minute: float = Field(
        default=30.0, gt=0, description="Chat turns a user may send per minute (sustained).")
    turn_burst: int = Field(default=10, ge=1, description="Chat turns a user may send at once.")
    uploads_per_minute: float = Field(
        default=10.0, gt=0, description="Files a user may upload per minute (sustained).")
    upload_burst: int = Field(default=5, ge=1, description="Files a user may upload at once.")
    worker_threads: int = Field(
        default=32, ge=1, le=256,
        description="Threads the web server runs blocking work in (database, scoring).")
    worker_processes: int | None = Field(
        default=None, ge=0, le=64,
        description="Processes the web server parses, matches and scores in (ui/workers.py); "
                    "unset = one per CPU core (at most 4), 0 = none (all in the server).")

    @property
    def allowed_origin_list(self) -> list[str]:
        return [o.strip().rstrip("/") for o in self.allowed_origins.split(",") if o.strip()]

    # -- digests and the scheduler (agent/digests.py, ui/scheduler.py, ui/email.py) --------
    public_url: str = Field(
        default="", description="The web chat's address as users reach it (links in digest "
                                "e-mails, unsubscribe); unset = http://<ui_host>:<ui_port>.")
    scheduler_in_ui: bool = Field(
        default=True, description="Run the scheduler (digests, feeds, expiry) inside "
                                  "`jobfit ui`; false when `jobfit scheduler` runs separately.")
    digest_lease_s: float = Field(
        default=600.0, gt=0, description="A digest run that stopped (crash) is taken over "
                                         "after this many seconds.")
    smtp_host: str | None = Field(default=None, description="SMTP server; unset = no e-mail.")
    smtp_port: int | None = Field(default=None, ge=1, le=65535,
                                  description="Default 587 (starttls), 465 (ssl), 25 (none).")
    smtp_security: Literal["starttls", "ssl", "none"] = Field(default="starttls")
    smtp_user: str | None = Field(default=None)
    smtp_password: str | None = Field(default=None, repr=False)
    smtp_from: str = Field(default="jobfit <jobfit@localhost>",
                           description="From address of digest e-mails.")
    smtp_timeout_s: float = Field(default=20.0, gt=0)
    smtp_retries: int = Field(default=3, ge=0, le=10,
                              description="Retries of a failed send (backoff 1 s, 2 s, 4 s...).")

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 1024 * 1024)

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

    # -- language model (agent/llm.py) ------------------------------------------------------
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

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

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 1024 * 1024)

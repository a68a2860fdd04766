"""Process-wide settings, read once in bootstrap (env vars ``JOBFIT_*``)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="JOBFIT_", extra="ignore")

    data_dir: Path = Field(default=Path("data"), description="Where the embedded store lives.")
    max_upload_mb: float = Field(default=10.0, gt=0, description="Largest CV/job file read.")
    embedder: Literal["static", "minilm", "none"] = Field(
        default="static",
        description="Text embedder for the semantic factor: static (MiniLM distilled to static "
                    "token vectors, fast), minilm (the transformer, slower), none.")

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 1024 * 1024)

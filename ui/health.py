"""Liveness and readiness of the web server.

- ``GET /healthz``: the process answers (no I/O): ``{"status": "ok"}``.
- ``GET /readyz``: every part a chat turn needs works: the database answers ``SELECT 1``, the
  job index answers a count, the language model is reachable (offline: always; an
  OpenAI-compatible server: ``GET <base>/models`` answers and accepts the key). 200 with each
  part ``"ok"``, else 503 naming the failing part(s) and why (no secrets, no user data).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from agent.settings import Settings

logger = logging.getLogger(__name__)

CHECK_TIMEOUT_S = 5.0


def liveness() -> dict[str, str]:
    return {"status": "ok"}


def check_database(engine: Any) -> None:
    from sqlalchemy import text

    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))


def check_index(service: Any) -> None:
    service.index.count()


def model_url(settings: Settings) -> str | None:
    """The URL whose answer proves the model server is reachable (None: nothing to reach)."""
    if settings.llm == "openai":
        base = (settings.openai_base_url or "https://api.openai.com/v1").rstrip("/")
        return f"{base}/models"
    if settings.llm == "azure" and settings.azure_openai_endpoint:
        base = settings.azure_openai_endpoint.rstrip("/")
        return f"{base}/openai/models?api-version={settings.azure_openai_api_version}"
    return None


def check_model(settings: Settings) -> None:
    url = model_url(settings)
    if url is None:
        if settings.llm == "azure":
            raise RuntimeError("AZURE_OPENAI_ENDPOINT is not set")
        return
    import httpx

    headers = {}
    if settings.llm == "openai" and settings.openai_api_key:
        headers["Authorization"] = f"Bearer {settings.openai_api_key}"
    if settings.llm == "azure" and settings.azure_openai_api_key:
        headers["api-key"] = settings.azure_openai_api_key
    response = httpx.get(url, headers=headers, timeout=min(settings.llm_timeout_s, 3.0))
    if response.status_code in (401, 403):
        raise RuntimeError(f"the model server refused the API key ({response.status_code})")
    if response.status_code >= 500:
        raise RuntimeError(f"the model server answered {response.status_code}")


async def _run(name: str, check: Callable[[], None]) -> tuple[str, str]:
    try:
        await asyncio.wait_for(asyncio.to_thread(check), CHECK_TIMEOUT_S)
    except TimeoutError:
        return name, f"no answer in {CHECK_TIMEOUT_S:.0f} s"
    except Exception as exc:
        logger.warning("readiness: %s failed: %s", name, type(exc).__name__)
        return name, f"{type(exc).__name__}: {str(exc)[:200]}"
    return name, "ok"


async def readiness(settings: Settings, engine: Callable[[], Any],
                    service: Callable[[], Awaitable[Any]]) -> tuple[int, dict[str, Any]]:
    """(HTTP status, body) of ``/readyz``; ``service`` builds or returns the running service."""

    async def index() -> None:
        svc = await asyncio.wait_for(service(), 60)
        await asyncio.to_thread(check_index, svc)

    async def run_index() -> tuple[str, str]:
        try:
            await asyncio.wait_for(index(), CHECK_TIMEOUT_S * 12)
        except TimeoutError:
            return "job_index", "no answer in time"
        except Exception as exc:
            logger.warning("readiness: job_index failed: %s", type(exc).__name__)
            return "job_index", f"{type(exc).__name__}: {str(exc)[:200]}"
        return "job_index", "ok"

    results = await asyncio.gather(
        _run("database", lambda: check_database(engine())), run_index(),
        _run("model", lambda: check_model(settings)))
    checks = dict(results)
    failing = [name for name, state in checks.items() if state != "ok"]
    body: dict[str, Any] = {"status": "ok" if not failing else "unavailable", "checks": checks}
    if failing:
        body["failing"] = failing
    return (200 if not failing else 503), body

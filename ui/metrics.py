"""Prometheus metrics of the web server (``GET /metrics``), in the default registry (which also
carries the process and Python collectors).

Other parts increment them by importing this module (``from ui import metrics``;
``metrics.DIGEST_RUNS.labels(outcome="sent").inc()``). Labels are small fixed sets (tool names,
outcomes), never user ids, names or text.
"""

from __future__ import annotations

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, Counter, Histogram, generate_latest

TURN_SECONDS = Histogram(
    "jobfit_turn_seconds", "Web chat turn latency, message received to last reply sent.",
    buckets=(0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0, 30.0, 60.0))
TURN_WAIT_SECONDS = Histogram(
    "jobfit_turn_queue_seconds", "Time a turn waited for an earlier turn of its thread.",
    buckets=(0.01, 0.1, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0))
TOOL_ERRORS = Counter(
    "jobfit_tool_errors_total", "Tool calls that returned an error result.", ["tool"])
IMPORTS = Counter("jobfit_imports_total", "Job file imports.", ["outcome"])
IMPORTED_ROWS = Counter("jobfit_imported_rows_total", "Rows read by job file imports.")
LOGINS_FAILED = Counter(
    "jobfit_logins_failed_total", "Refused web logins (password: wrong name or password; "
    "locked: throttled before checking).", ["reason"])
RATE_LIMITED = Counter(
    "jobfit_rate_limited_total", "Chat turns or uploads refused by the per-user rate limit.",
    ["kind"])
DIGEST_RUNS = Counter("jobfit_digest_runs_total", "Digest runs.", ["outcome"])


def render_metrics() -> tuple[bytes, str]:
    """The exposition text and its content type."""
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST

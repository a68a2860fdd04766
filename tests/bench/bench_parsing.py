"""Parsing benchmark: ms per text for parse_job and parse_cv, with a per-stage breakdown.

Run: ``.venv/bin/python -m tests.bench.bench_parsing`` (``BENCH_JOBS`` / ``BENCH_CVS`` /
``BENCH_ROUNDS`` override the defaults). Prints figures; asserts nothing about time.

The texts are the generated sample (1,000 job descriptions and 170 CVs, seed 7), i.e. what
``jobfit rank`` parses in the end-to-end benchmark.

1. Plain timings: each text parsed ``BENCH_ROUNDS`` times (best round kept per text, so a
   scheduler hiccup does not count), p50 / p95 / mean in ms per text.
2. Stage breakdown: the parsers' helpers are wrapped with timers (module attributes, so only
   calls made through those names are seen) and each stage's *exclusive* time is reported
   (time in nested stages is charged to them, not to the caller), in ms per text and as a share
   of the instrumented total. ``(rest)`` is what no wrapped helper accounts for: section
   bookkeeping, glue code, model construction. The wrappers add a little overhead of their own.
"""

from __future__ import annotations

import functools
import os
import statistics
import time
from collections.abc import Callable
from datetime import date
from types import ModuleType
from typing import Any

TODAY = date(2025, 6, 1)

#: (label, module, attribute): the module is where the parser looks the helper up (the
#: wrapper replaces that module attribute). Missing attributes are skipped, so the list may
#: name helpers that a refactor has since removed or renamed.
_STAGES: tuple[tuple[str, str, str], ...] = (
    ("normalise", "tools.parsing.job.free_text", "normalise_with_offsets"),
    ("normalise", "tools.parsing.job.record", "normalise_text"),
    ("normalise", "tools.parsing.cv.profile", "normalise_with_offsets"),
    ("sections", "tools.parsing.job.free_text", "split_sections"),
    ("sections", "tools.parsing.cv.profile", "split_sections"),
    ("skills (extract_skills)", "tools.parsing.job.skills", "extract_skills"),
    ("skills (extract_skills)", "tools.parsing.cv.skills", "extract_skills"),
    ("skills (extract_skills)", "tools.parsing.cv.profile", "extract_skills"),
    ("skills (classify)", "tools.parsing.job.free_text", "classify_skills"),
    ("skills (classify)", "tools.parsing.cv.profile", "find_cv_skills"),
    ("salary", "tools.parsing.job.free_text", "find_salary"),
    ("salary", "tools.parsing.job.header", "find_salary"),
    ("salary", "tools.parsing.job.free_text", "parse_salary"),
    ("salary", "tools.parsing.job.record", "parse_salary"),
    ("salary", "tools.parsing.cv.profile", "salary_expectation"),
    ("location", "tools.parsing.job.free_text", "parse_location"),
    ("location", "tools.parsing.job.header", "parse_location"),
    ("location", "tools.parsing.job.record", "parse_location"),
    ("location", "tools.parsing.cv.entries", "parse_location"),
    ("location", "tools.parsing.cv.header", "parse_location"),
    ("work mode", "tools.parsing.job.free_text", "detect_work_mode"),
    ("work mode", "tools.parsing.job.record", "detect_work_mode"),
    ("work mode", "tools.parsing.cv.profile", "remote_preference"),
    ("experience years", "tools.parsing.job.free_text", "parse_experience_years"),
    ("seniority", "tools.parsing.job.free_text", "detect_seniority"),
    ("seniority", "tools.parsing.job.record", "detect_seniority"),
    ("seniority", "tools.parsing.cv.profile", "detect_seniority"),
    ("dates (posted)", "tools.parsing.job.free_text", "parse_posted_date"),
    ("dates (posted)", "tools.parsing.job.record", "parse_posted_date"),
    ("keywords", "tools.parsing.job.free_text", "extract_keywords"),
    ("qualifications", "tools.parsing.job.free_text", "find_qualifications"),
    ("employment type", "tools.parsing.job.free_text", "find_employment_type"),
    ("employment type", "tools.parsing.job.record", "find_employment_type"),
    ("title/company", "tools.parsing.job.free_text", "title_company_location"),
    ("entries", "tools.parsing.cv.profile", "parse_entries"),
    ("header (cv)", "tools.parsing.cv.profile", "header_info"),
    ("education", "tools.parsing.cv.profile", "parse_education_lines"),
    ("certifications", "tools.parsing.cv.profile", "find_certifications"),
    ("languages", "tools.parsing.cv.profile", "parse_languages"),
    ("desired roles", "tools.parsing.cv.profile", "desired_roles"),
    ("excluded regions", "tools.parsing.cv.profile", "excluded_regions"),
)


def _p(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def _time_each(fn: Callable[[str], Any], texts: list[str], rounds: int) -> list[float]:
    """Best-of-`rounds` ms per text."""
    best = [float("inf")] * len(texts)
    for _ in range(rounds):
        for i, t in enumerate(texts):
            t0 = time.perf_counter()
            fn(t)
            best[i] = min(best[i], (time.perf_counter() - t0) * 1000)
    return best


class _Profiler:
    """Exclusive wall time per stage label, via wrappers patched onto module attributes."""

    def __init__(self) -> None:
        self.excl: dict[str, float] = {}
        self.calls: dict[str, int] = {}
        self._stack: list[float] = []  # child time accumulated by each open frame
        self._undo: list[tuple[ModuleType, str, Any]] = []

    def wrap(self, label: str, module: ModuleType, attr: str) -> None:
        fn = getattr(module, attr, None)
        if fn is None or not callable(fn):
            return
        stack, excl, calls = self._stack, self.excl, self.calls

        @functools.wraps(fn)
        def timed(*args: Any, **kwargs: Any) -> Any:
            stack.append(0.0)
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                dt = time.perf_counter() - t0
                child = stack.pop()
                excl[label] = excl.get(label, 0.0) + dt - child
                calls[label] = calls.get(label, 0) + 1
                if stack:
                    stack[-1] += dt

        self._undo.append((module, attr, fn))
        setattr(module, attr, timed)

    def restore(self) -> None:
        for module, attr, fn in reversed(self._undo):
            setattr(module, attr, fn)
        self._undo.clear()

    def reset(self) -> None:
        self.excl.clear()
        self.calls.clear()


def _breakdown(kind: str, fn: Callable[[str], Any], texts: list[str], modules: dict[str, Any],
               prefix: str) -> None:
    prof = _Profiler()
    for label, mod_name, attr in _STAGES:
        if mod_name.startswith(prefix):
            prof.wrap(label, modules[mod_name], attr)
    try:
        for t in texts[:50]:
            fn(t)  # warm-up
        prof.reset()
        t0 = time.perf_counter()
        for t in texts:
            fn(t)
        total = (time.perf_counter() - t0) * 1000
    finally:
        prof.restore()
    n = len(texts)
    accounted = sum(prof.excl.values()) * 1000
    rows = sorted(prof.excl.items(), key=lambda kv: -kv[1])
    rows.append(("(rest)", (total - accounted) / 1000))
    print(f"\n{kind}: per-stage exclusive time, ms/text (instrumented total {total / n:.3f})")
    for label, secs in rows:
        ms = secs * 1000 / n
        calls = prof.calls.get(label)
        extra = f"  {calls / n:5.1f} calls/text" if calls else ""
        print(f"  {label:26s} {ms:7.3f}  {100 * secs * 1000 / total:5.1f}%{extra}")


def main() -> None:
    import importlib

    from store.samples.generate import generate_cvs, generate_jobs
    from tools.parsing.cv import parse_cv
    from tools.parsing.job import parse_job

    n_jobs = int(os.environ.get("BENCH_JOBS", "1000"))
    n_cvs = int(os.environ.get("BENCH_CVS", "170"))
    rounds = int(os.environ.get("BENCH_ROUNDS", "3"))
    job_texts = [j["description"] for j in generate_jobs(n_jobs, seed=7)]
    cv_texts = [c["text"] for c in generate_cvs(n_cvs, seed=7)]

    def job(t: str) -> Any:
        return parse_job(t, today=TODAY)

    def cv(t: str) -> Any:
        return parse_cv(t, today=TODAY)

    job(job_texts[0])
    cv(cv_texts[0])  # load taxonomy, gazetteer, compile regexes

    print(f"texts: {n_jobs} job descriptions (median {statistics.median(map(len, job_texts)):.0f}"
          f" chars), {n_cvs} CVs (median {statistics.median(map(len, cv_texts)):.0f} chars); "
          f"best of {rounds} rounds per text")
    for name, fn, texts in (("parse_job", job, job_texts), ("parse_cv", cv, cv_texts)):
        ms = _time_each(fn, texts, rounds)
        print(f"{name:10s} p50 {_p(ms, 0.5):6.3f} ms   p95 {_p(ms, 0.95):6.3f} ms   "
              f"mean {statistics.fmean(ms):6.3f} ms   max {max(ms):6.3f} ms")

    total_chars = sum(map(len, job_texts)) + sum(map(len, cv_texts))
    t0 = time.perf_counter()
    for t in job_texts:
        job(t)
    for t in cv_texts:
        cv(t)
    wall = time.perf_counter() - t0
    print(f"all {n_jobs + n_cvs} texts once: {wall:.2f} s ({total_chars / wall / 1e6:.2f} MB/s)")

    modules = {m: importlib.import_module(m) for m in {s[1] for s in _STAGES}}
    _breakdown("parse_job", job, job_texts, modules, "tools.parsing.job.")
    _breakdown("parse_cv", cv, cv_texts, modules, "tools.parsing.cv.")


if __name__ == "__main__":
    main()

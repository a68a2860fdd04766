"""CV parsing on real resumes: headline, titled roles, total years, span offsets, speed.

Run: ``python -m tests.bench.cv_parsing_eval [--limit N] [--json]``. Reads the evaluation-only
resumes in ``../shared/data/real-dev`` (livecareer-resumes and ferr-hr-relevance-A; nothing is
copied or printed from them) and reports, per data set:

- share of resumes with a headline (and with the headline equal to the first line, which on
  these resumes is usually the title), with at least one experience entry that has a title, with
  ``total_years``, and with ``desired_roles``; the mix of ``years_source`` values;
- offset correctness over every ``Span`` in each profile: a span is correct when
  ``text[start:end] == span.text`` in the text given to ``parse_cv``, and, for a skill mention,
  the taxonomy reads that slice (whitespace collapsed) as the same skill; for an experience
  entry, the slice contains the entry's title when it has one;
- the same offset check on the CLI path (``parse_cv(extract_text(FILE))`` against the file's
  text as Python reads it) for the first ``--file-sample`` resumes written to a temporary .txt;
- parse time p50/p95 (ms per resume).

Figures are reported, not asserted. Nothing here logs resume text.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from tools.parsing.cv import parse_cv
from tools.parsing.cv.layout import join_split_lines
from tools.parsing.text import cells_to_pipes, extract_text, normalise_text
from tools.schemas import CandidateProfile, Span
from tools.skills import extract_skills

REAL = Path(__file__).resolve().parents[3] / "shared" / "data" / "real-dev"
SETS = {
    "livecareer": REAL / "livecareer-resumes" / "resumes.jsonl",
    "ferr": REAL / "ferr-hr-relevance-A" / "resumes.jsonl",
}


def load(path: Path, limit: int | None) -> list[str]:
    out: list[str] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if row.get("text", "").strip():
                out.append(row["text"])
            if limit and len(out) >= limit:
                break
    return out


def iter_spans(obj: Any, kind: str = "") -> Iterator[tuple[str, Span, Any]]:
    """(kind, span, owner) for every Span inside a model."""
    if isinstance(obj, Span):
        yield kind, obj, None
        return
    if isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            value = getattr(obj, name)
            if isinstance(value, Span):
                yield f"{type(obj).__name__}.{name}", value, obj
            elif isinstance(value, (BaseModel, list)):
                yield from iter_spans(value, f"{type(obj).__name__}.{name}")
    elif isinstance(obj, list):
        for item in obj:
            if isinstance(item, Span):
                yield kind, item, None
            else:
                yield from iter_spans(item, kind)


def _flat(text: str) -> str:
    return " ".join(normalise_text(text).split()).casefold()


def span_checks(profile: CandidateProfile, text: str) -> tuple[int, int, Counter[str]]:
    """(correct, total, wrong per kind) over the profile's spans against `text`."""
    # what the skill matcher finds in the parsed text, per skill: a mention's slice must read
    # as one of these surfaces (exact and fuzzy matches alike)
    surfaces: dict[str, set[str]] = {}
    for hit in extract_skills(join_split_lines(normalise_text(cells_to_pipes(text, spaces=True)))):
        surfaces.setdefault(hit.skill_id, set()).add(_flat(hit.surface))
    ok = total = 0
    wrong: Counter[str] = Counter()
    for skill in profile.skills:
        for m in skill.mentions:
            total += 1
            piece = text[m.start:m.end]
            good = piece == m.text and _flat(piece) in surfaces.get(skill.skill_id, set())
            ok += good
            wrong["skill"] += not good
    for e in profile.experience:
        if e.span is None:
            continue
        total += 1
        piece = text[e.span.start:e.span.end]
        good = piece == e.span.text and (not e.title or _flat(e.title) in _flat(piece))
        ok += good
        wrong["experience"] += not good
    seen = {id(m) for s in profile.skills for m in s.mentions}
    seen |= {id(e.span) for e in profile.experience if e.span is not None}
    for kind, span, _ in iter_spans(profile):
        if id(span) in seen:
            continue
        total += 1
        good = text[span.start:span.end] == span.text
        ok += good
        wrong[kind] += not good
    return ok, total, wrong


def pct(n: int, d: int) -> str:
    return f"{100 * n / d:.1f}%" if d else "n/a"


def evaluate(texts: list[str], file_sample: int) -> dict[str, Any]:
    times: list[float] = []
    head = titled = years = desired = head_first = entries = entries_titled = 0
    sources: Counter[str] = Counter()
    ok = total = 0
    wrong: Counter[str] = Counter()
    for text in texts:
        t0 = time.perf_counter()
        p = parse_cv(text)
        times.append((time.perf_counter() - t0) * 1000)
        head += bool(p.headline)
        first = next((ln.strip() for ln in text.split("\n") if ln.strip()), "")
        head_first += bool(p.headline and _flat(p.headline) == _flat(first))
        entries += len(p.experience)
        entries_titled += sum(1 for e in p.experience if e.title)
        titled += any(e.title for e in p.experience)
        years += p.total_years is not None
        desired += bool(p.desired_roles)
        src = getattr(p, "years_source", None)
        if p.total_years is not None:
            sources[src or "ranges (implicit)"] += 1
        else:
            sources["none"] += 1
        a, b, w = span_checks(p, text)
        ok, total = ok + a, total + b
        wrong += w
    f_ok = f_total = 0
    with tempfile.TemporaryDirectory() as tmp:
        for i, text in enumerate(texts[:file_sample]):
            path = Path(tmp) / f"cv{i}.txt"
            path.write_text(text, encoding="utf-8")
            given = path.read_text(encoding="utf-8")
            a, b, _ = span_checks(parse_cv(extract_text(path)), given)
            f_ok, f_total = f_ok + a, f_total + b
    times.sort()
    n = len(texts)
    return {
        "resumes": n,
        "headline": pct(head, n),
        "headline_is_first_line": pct(head_first, n),
        "titled_role": pct(titled, n),
        "entries_per_resume": round(entries / n, 2) if n else None,
        "entries_titled": pct(entries_titled, entries),
        "total_years": pct(years, n),
        "desired_roles": pct(desired, n),
        "years_source": dict(sources.most_common()),
        "offsets_ok": f"{pct(ok, total)} ({ok}/{total})",
        "offsets_wrong_by_kind": dict(wrong.most_common()),
        "file_offsets_ok": f"{pct(f_ok, f_total)} ({f_ok}/{f_total}, {min(file_sample, n)} files)",
        "parse_ms_p50": round(statistics.median(times), 1) if times else None,
        "parse_ms_p95": round(times[int(0.95 * (n - 1))], 1) if times else None,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="resumes per set (default all)")
    ap.add_argument("--file-sample", type=int, default=100, help="resumes for the file path")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    report = {}
    for name, path in SETS.items():
        if not path.exists():
            report[name] = {"error": "data not found"}
            continue
        report[name] = evaluate(load(path, args.limit), args.file_sample)
    if args.json:
        print(json.dumps(report, indent=2))  # noqa: T201
        return
    for name, res in report.items():
        print(f"== {name}")  # noqa: T201
        for k, v in res.items():
            print(f"  {k:24} {v}")  # noqa: T201


if __name__ == "__main__":
    main()

"""Deterministic generator of synthetic job postings and CVs.

Everything here is invented: company names, people, e-mail addresses (``@example.com``), phone
numbers (``555``) and wording. The generator is pure Python, uses only ``random.Random(seed)``
and never touches the network, so the same seed always yields the same data.

Public API:

- :func:`generate_jobs` — job postings in the importer's seed format (plus ``occupation`` and
  ``seniority`` labels for evaluation).
- :func:`generate_cvs` — CVs as ``{"id", "occupation", "seniority", "text"}``.
- :func:`relevance` — graded relevance label (0/1/2) of a job for a CV.
- ``python -m store.samples.generate --out store/samples`` writes the bundled sample.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import zipfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from store.samples.postings import (
    generate_jobs,
)
from store.samples.resumes import (
    CV_HEADINGS,
    cv_profile,
    format_range,
    generate_cvs,
    render_cv,
)
from store.samples.vocabulary import (
    OCCUPATIONS,
    RELATED_OCCUPATIONS,
    SENIORITIES,
    SENIORITY_RANK,
    VOCABULARY,
    posting_text,
    relevance,
)

__all__ = ["OCCUPATIONS", "RELATED_OCCUPATIONS", "SENIORITIES", "SENIORITY_RANK", "generate_cvs",
           "generate_jobs", "main", "posting_text", "relevance", "to_latin1", "write_bundle"]

# --------------------------------------------------------------------------- bundled files

_FIXED_TIME = datetime(2026, 11, 1, 9, 0, 0, tzinfo=UTC)
_LATIN1_MAP = {"–": "-", "—": "-", "•": "-", "·": "-", "’": "'", "‘": "'", "“": '"', "”": '"',
               "€": "EUR ", "…": "...", "\u00a0": " "}


def to_latin1(text: str) -> str:
    """Transliterate ``text`` so it can be written with a PDF core font (latin-1)."""
    out = []
    for ch in text:
        if ord(ch) < 256:
            out.append(ch)
        elif ch in _LATIN1_MAP:
            out.append(_LATIN1_MAP[ch])
        else:
            import unicodedata

            out.append(unicodedata.normalize("NFKD", ch).encode("latin-1", "ignore")
                       .decode("latin-1") or "?")
    return "".join(out)


def _normalise_zip(raw: bytes) -> bytes:
    """Rewrite a zip (docx) with fixed timestamps and order so output is byte-identical."""
    src = zipfile.ZipFile(io.BytesIO(raw))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=(2026, 11, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, src.read(item.filename))
    return buf.getvalue()


def _docx_bytes(p: dict[str, Any], *, skills_table: bool) -> bytes:
    from docx import Document  # local import: only the CLI/tests need python-docx

    doc = Document()
    props = doc.core_properties
    props.author = "jobfit sample generator"
    props.title = f"CV - {p['name']}"
    props.created = _FIXED_TIME.replace(tzinfo=None)
    props.modified = _FIXED_TIME.replace(tzinfo=None)
    props.last_modified_by = "jobfit"
    props.revision = 1
    doc.add_heading(p["name"], level=0)
    doc.add_paragraph(f"{p['headline']}\n{p['email']} | {p['phone']} | {p['location']}")
    doc.add_heading("Professional Summary" if skills_table else "Profile", level=1)
    doc.add_paragraph(p["summary"])
    doc.add_heading("Skills" if skills_table else "Core Competencies", level=1)
    if skills_table:
        table = doc.add_table(rows=1, cols=2)
        table.style = "Table Grid"
        table.rows[0].cells[0].text = "Skill"
        table.rows[0].cells[1].text = "Level"
        levels = ["Expert", "Advanced", "Advanced", "Intermediate", "Basic"]
        for i, skill in enumerate(p["skills"]):
            row = table.add_row()
            row.cells[0].text = skill
            row.cells[1].text = levels[min(i * len(levels) // max(1, len(p["skills"])), 4)]
    else:
        doc.add_paragraph(", ".join(p["skills"]))
    doc.add_heading("Work Experience" if skills_table else "Employment History", level=1)
    for j in p["jobs"]:
        para = doc.add_paragraph()
        para.add_run(f"{j['title']}, {j['company']}").bold = True
        para.add_run(f"\n{j['city']} | {format_range(j['start'], j['end'], 0)}")
        for b in j["bullets"]:
            doc.add_paragraph(b, style="List Bullet")
    doc.add_heading("Education", level=1)
    for e in p["education"]:
        doc.add_paragraph(f"{e['degree']} in {e['field']}, {e['school']} ({e['year']})")
    if p["certs"]:
        doc.add_heading("Certifications", level=1)
        for c in p["certs"]:
            doc.add_paragraph(c, style="List Bullet")
    doc.add_heading("Languages", level=1)
    doc.add_paragraph(", ".join(f"{lg} ({lv})" for lg, lv in p["langs"]))
    if p["extras"]:
        doc.add_paragraph("\n".join(p["extras"]))
    buf = io.BytesIO()
    doc.save(buf)
    return _normalise_zip(buf.getvalue())


def _pdf_bytes(text: str, title: str) -> bytes:
    from fpdf import FPDF  # local import: only the CLI/tests need fpdf2

    pdf = FPDF(format="A4")
    pdf.set_creation_date(_FIXED_TIME)
    pdf.set_title(to_latin1(title))
    pdf.set_author("jobfit sample generator")
    pdf.set_creator("jobfit")
    pdf.set_producer("fpdf2")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    lines = to_latin1(text).split("\n")
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 8, lines[0], new_x="LMARGIN", new_y="NEXT")
    for line in lines[1:]:
        is_heading = bool(line) and line.isupper() and len(line) < 40
        pdf.set_font("Helvetica", "B" if is_heading else "", 12 if is_heading else 10)
        pdf.multi_cell(0, 5.5 if line else 3, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


#: (occupation, seniority, file name) for the five bundled CVs.
_BUNDLED_CVS: list[tuple[str, str, str]] = VOCABULARY["BUNDLED_CVS"]


def _bundled_cvs(seed: int) -> list[tuple[str, dict[str, Any], str]]:
    out = []
    for i, (occ_key, seniority, fname) in enumerate(_BUNDLED_CVS):
        rng = random.Random(f"bundled:{seed}:{i}")
        profile = cv_profile(rng, 900 + i, occ_key, seniority, seed)
        text = render_cv(rng, profile)
        if fname.endswith(".pdf"):  # PDF: keep headings detectable (ALL CAPS) and no changer
            text = "\n".join(ln.upper() if ln.rstrip(":") in sum(CV_HEADINGS.values(), []) else ln
                             for ln in text.split("\n"))
        out.append((fname, profile, text))
    return out


def write_bundle(out_dir: Path, seed: int = 0, n_jobs: int = 320) -> dict[str, int]:
    """Write the bundled sample (jobs.json, jobs.jsonl, cvs.jsonl, cvs/*) and return sizes."""
    out_dir.mkdir(parents=True, exist_ok=True)
    cv_dir = out_dir / "cvs"
    cv_dir.mkdir(exist_ok=True)
    jobs = generate_jobs(n_jobs, seed=seed)
    files: dict[str, bytes] = {}
    files["jobs.json"] = ("[\n" + ",\n".join(
        json.dumps(j, ensure_ascii=False, sort_keys=False) for j in jobs) + "\n]\n").encode()
    batch_jobs = jobs[:40]
    files["jobs.jsonl"] = "".join(json.dumps({"id": j["external_id"], "text": (
        f"{j['title']}\n{j['company']} - {j['location']}\n\n{j['description']}")},
        ensure_ascii=False) + "\n" for j in batch_jobs).encode()
    bundled = _bundled_cvs(seed)
    cvs = generate_cvs(25, seed=seed)
    cv_lines = [{"id": Path(f).stem, "text": t} for f, _, t in bundled]
    cv_lines += [{"id": c["id"], "text": c["text"]} for c in cvs]
    files["cvs.jsonl"] = "".join(
        json.dumps(c, ensure_ascii=False) + "\n" for c in cv_lines).encode()
    for fname, profile, text in bundled:
        if fname.endswith(".txt"):
            files[f"cvs/{fname}"] = text.encode()
        elif fname.endswith(".docx"):
            files[f"cvs/{fname}"] = _docx_bytes(profile, skills_table="data_scientist" in fname)
        else:
            files[f"cvs/{fname}"] = _pdf_bytes(text, f"CV - {profile['name']}")
    labels = {"cvs": [{"id": Path(f).stem, "occupation": p["occupation"],
                       "seniority": p["seniority"]} for f, p, _ in bundled]
              + [{"id": c["id"], "occupation": c["occupation"], "seniority": c["seniority"]}
                 for c in cvs]}
    files["labels.json"] = (json.dumps(labels, indent=1) + "\n").encode()
    sizes = {}
    for rel, data in files.items():
        (out_dir / rel).write_bytes(data)
        sizes[rel] = len(data)
    return sizes


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the bundled synthetic sample data.")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=320)
    args = parser.parse_args(argv)
    sizes = write_bundle(args.out, seed=args.seed, n_jobs=args.jobs)
    for rel, size in sorted(sizes.items()):
        print(f"{size:>9,d}  {args.out / rel}")  # noqa: T201
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

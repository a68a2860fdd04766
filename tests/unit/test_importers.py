"""Importers, the pure part: readers, column mapping, row normalisation, ids and hashes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from store.ingest.columns import column_key, map_record
from store.ingest.feeds import read_feed
from store.ingest.files import detect_encoding, file_format
from store.ingest.identity import canonical_url, content_text, stable_external_id
from store.ingest.markup import html_to_text
from store.ingest.readers import count_rows, read_rows
from store.ingest.records import to_job_record
from store.ingest.results import ImportRowError, ImportSummary, RowError
from store.ingest.rows import normalize_row
from tools.errors import JobfitError

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "imports"


def rows_of(path: Path) -> list[tuple[int, dict | ImportRowError]]:  # type: ignore[type-arg]
    return list(read_rows(path))


def good(rows: list) -> list[dict]:  # type: ignore[type-arg]
    return [r for _, r in rows if isinstance(r, dict)]


def errors(rows: list) -> list[tuple[int, str]]:  # type: ignore[type-arg]
    return [(n, str(r)) for n, r in rows if isinstance(r, ImportRowError)]


# --------------------------------------------------------------------------- column mapping


@pytest.mark.parametrize("column", ["title", "Job Title", "job_title", "JobTitle", "POSITION",
                                    "role", "name", "job-title"])
def test_title_synonyms(column: str) -> None:
    assert map_record({column: "Nurse"}) == {"title": "Nurse"}


@pytest.mark.parametrize(("column", "field"), [
    ("Company Name", "company"), ("employer", "company"), ("Organization", "company"),
    ("hiring_organization", "company"), ("City", "location"), ("job_location", "location"),
    ("place", "location"), ("Salary Range", "salary"), ("compensation", "salary"),
    ("pay", "salary"), ("job_description", "description"), ("Body", "description"),
    ("details", "description"), ("summary", "description"), ("content", "description"),
    ("qualifications", "requirements"), ("tags", "skills"), ("Keywords", "skills"),
    ("date_posted", "posted_date"), ("published", "posted_date"), ("created_at", "posted_date"),
    ("date", "posted_date"), ("link", "url"), ("apply_url", "url"), ("job_url", "url"),
    ("site", "source"), ("board", "source"), ("platform", "source"), ("guid", "external_id"),
    ("job_id", "external_id"), ("Reference", "external_id"),
])
def test_column_synonyms(column: str, field: str) -> None:
    assert map_record({column: "x"}) == {field: "x"}


def test_first_nonempty_column_by_priority_wins_and_unknown_columns_are_dropped() -> None:
    raw = {"summary": "short", "description": "long text", "id": "", "guid": "g-1",
           "favourite_colour": "blue"}
    assert map_record(raw) == {"description": "long text", "external_id": "g-1"}
    assert column_key(" Job_Title ") == column_key("job-title") == "jobtitle"


def test_skills_from_list_or_separated_string() -> None:
    assert to_job_record(map_record({"title": "x", "skills": "Python, SQL; Docker"}))[
        "skills"] == ["Python", "SQL", "Docker"]
    assert to_job_record(map_record({"title": "x", "tags": ["Go", "Go", " Rust "]}))[
        "skills"] == ["Go", "Rust"]
    assert to_job_record(map_record({"title": "x", "skills": '["A", "B"]'}))["skills"] == [
        "A", "B"]


def test_salary_min_max_columns_and_schema_org_shapes() -> None:
    rec = to_job_record(map_record({"title": "x", "Salary Min": "120,000", "salary_max": 150000,
                                    "currency": "usd"}))
    assert rec["salary"] == {"min": 120000.0, "max": 150000.0, "currency": "USD"}
    rec = to_job_record({"title": "x", "salary": {"currency": "EUR", "value": {
        "minValue": 50, "maxValue": 60, "unitText": "HOUR"}}})
    assert rec["salary"] == {"min": 50, "max": 60, "currency": "EUR", "period": "HOUR"}
    rec = to_job_record(map_record({"title": "x", "hiringOrganization": {"name": "Acme"},
                                    "jobLocation": {"address": {"addressLocality": "Austin",
                                                                "addressRegion": "TX"}}}))
    assert rec["company"] == "Acme" and rec["location"] == "Austin, TX"


def test_html_descriptions_become_text_and_title_at_company_is_split() -> None:
    assert html_to_text("<p>Run <b>k8s</b>.</p><ul><li>AWS</li><li>CI</li></ul>") == (
        "Run k8s.\n\n• AWS\n• CI")
    rec = to_job_record(map_record({"title": "SRE at Orbit Labs", "body": "<p>Hi &amp; bye</p>"}))
    assert rec["title"] == "SRE" and rec["company"] == "Orbit Labs"
    assert rec["description"] == "Hi & bye"


def test_work_mode_and_non_http_links() -> None:
    def rec(raw: dict) -> dict:  # type: ignore[type-arg]
        return to_job_record(map_record(raw))

    assert rec({"title": "x", "remote": True})["work_mode"] == "remote"
    assert rec({"title": "x", "Workplace Type": "Hybrid (2 days)"})["work_mode"] == "hybrid"
    assert "work_mode" not in rec({"title": "x", "remote": "no"})
    assert "url" not in rec({"title": "x", "link": "guid-123"})


# --------------------------------------------------------------------------- file readers


def test_csv_board_export_multiline_fields_blank_rows_and_row_numbers() -> None:
    rows = rows_of(FIX / "board_export.csv")
    numbers = [n for n, _ in rows]
    assert numbers == [2, 4, 6]  # the first record spans lines 2-3; line 5 is blank
    first = good(rows)[0]
    assert first["Job Title"] == "Senior Python Developer"
    assert "friendly team" in first["Job Description"]
    assert count_rows(FIX / "board_export.csv") == 3


def test_csv_semicolons_in_cp1252() -> None:
    path = FIX / "semicolon_cp1252.csv"
    assert detect_encoding(path) == "cp1252"
    [(n, row)] = rows_of(path)
    assert n == 2 and isinstance(row, dict)
    assert row["pay"] == "£45,000" and "Excel – report" in row["body"]


def test_tsv_with_utf8_bom() -> None:
    path = FIX / "tabs_bom.tsv"
    assert detect_encoding(path) == "utf-8-sig"
    [(_, row)] = rows_of(path)
    assert isinstance(row, dict) and row["title"] == "junior accountant"  # no BOM in the key


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_csv_delimiters_are_sniffed(tmp_path: Path, delimiter: str) -> None:
    path = tmp_path / "jobs.csv"
    lines = [delimiter.join(["title", "company", "description"]),
             delimiter.join(['"Engineer, Data"', "Acme", '"Build pipelines; own them."'])]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    [(_, row)] = rows_of(path)
    assert isinstance(row, dict)
    assert row == {"title": "Engineer, Data", "company": "Acme",
                   "description": "Build pipelines; own them."}


def test_jsonl_bad_line_non_object_and_blank_lines() -> None:
    rows = rows_of(FIX / "jobs.jsonl")
    assert [n for n, _ in rows] == [1, 2, 3, 5, 6]
    errs = errors(rows)
    assert errs[0][0] == 2 and errs[0][1].startswith("invalid JSON")
    assert errs[1] == (3, "not a JSON object (got an array)")
    assert count_rows(FIX / "jobs.jsonl") == 5


def test_json_array_streamed_with_non_object_element() -> None:
    rows = rows_of(FIX / "jobs_array.json")
    assert [n for n, _ in rows] == [1, 2, 3]
    assert errors(rows) == [(2, "not a JSON object (got a string)")]
    assert count_rows(FIX / "jobs_array.json") is None  # unknown up front


def test_truncated_json_array_keeps_what_came_before() -> None:
    rows = rows_of(FIX / "truncated.json")
    assert good(rows) == [{"title": "Ok", "description": "fine"}]
    assert errors(rows)[0][0] == 2 and "rest of file skipped" in errors(rows)[0][1]


def test_wrapped_json_document() -> None:
    assert good(rows_of(FIX / "wrapped.json")) == [
        {"Title": "QA Engineer", "Company": "Testers", "Description": "Write Playwright tests."}]


def test_json_array_elements_across_read_blocks(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import store.ingest.readers as readers

    monkeypatch.setattr(readers, "READ_BLOCK", 7)  # every element spans several reads
    items = [{"title": f"Job {i}", "n": 10 ** i} for i in range(12)] + [{"x": 123456789}]
    path = tmp_path / "a.json"
    path.write_text(json.dumps(items, indent=1), encoding="utf-8")
    assert good(rows_of(path)) == items


def test_formats_by_extension_and_content(tmp_path: Path) -> None:
    assert file_format(FIX / "jobs.jsonl") == "jsonl"
    assert file_format(FIX / "feed.xml") == "feed"
    odd = tmp_path / "export.dat"
    odd.write_text('[{"title": "x"}]', encoding="utf-8")
    assert file_format(odd) == "json"


def test_unreadable_files_raise_a_user_safe_error(tmp_path: Path) -> None:
    with pytest.raises(JobfitError, match="no such file"):
        list(read_rows(tmp_path / "missing.csv"))
    bad = tmp_path / "bad.json"
    bad.write_text('{"jobs": [1, 2', encoding="utf-8")
    with pytest.raises(JobfitError, match="invalid JSON"):
        list(read_rows(bad))


# --------------------------------------------------------------------------- feeds


def test_rss_feed_entries() -> None:
    rows = list(read_feed(FIX / "feed.xml"))
    assert [n for n, _ in rows] == [1, 2, 3]
    sre = to_job_record(map_record(good(rows)[0]))
    assert sre["title"] == "Site Reliability Engineer" and sre["company"] == "Orbit Labs"
    assert sre["external_id"] == "orbit-sre-1"
    assert sre["url"] == "https://jobs.example.com/orbit/sre"
    assert sre["posted_date"] == "2025-05-20"
    assert sre["skills"] == ["Kubernetes", "Python"]
    assert "Linux" in sre["description"] and "<b>" not in sre["description"]


def test_atom_feed_entry() -> None:
    [(_, entry)] = list(read_feed(FIX / "atom.xml"))
    assert isinstance(entry, dict)
    rec = to_job_record(map_record(entry))
    assert rec["title"] == "Data Scientist" and rec["external_id"] == "urn:example:job:ds-1"
    assert rec["description"] == "Model churn with Python and scikit-learn."


def test_partly_broken_feed_imports_what_it_can() -> None:
    rows = list(read_feed(FIX / "broken_feed.xml"))
    titles = [to_job_record(map_record(r)).get("title") for r in good(rows)]
    assert titles[:2] == ["Warehouse Associate", "Forklift Driver"]


def test_unreadable_feed_is_a_clear_error() -> None:
    with pytest.raises(JobfitError, match="The feed could not be read"):
        list(read_feed(FIX / "not_a_feed.xml"))


# --------------------------------------------------------------------------- normalising


def test_normalize_row_builds_the_upsert() -> None:
    row = normalize_row({"Job Title": "Senior Python Developer", "Employer": "Acme",
                         "City": "Berlin, Germany", "Salary": "€80,000 - €95,000 per year",
                         "Description": "Build APIs with FastAPI.", "Requirements":
                         "5+ years of Python", "Tags": "Docker", "Job ID": 42,
                         "Board": "boardx"}, "fallback")
    assert (row.source, row.external_id) == ("boardx", "42")
    assert row.title == "Senior Python Developer" and row.company == "Acme"
    assert row.salary_min == 80000 and row.salary_currency == "EUR"
    assert {"python", "docker", "fastapi"} <= set(row.skills)  # canonical skill ids
    assert row.parsed["title"] == "Senior Python Developer"
    assert row.experience_min == 5
    assert len(row.content_hash) == 64


def test_rows_without_title_and_description_fail() -> None:
    with pytest.raises(ImportRowError, match="no title and no description"):
        normalize_row({"company": "Nobody", "location": "Paris"}, "x")
    with pytest.raises(ImportRowError, match="not a JSON object"):
        normalize_row([1, 2], "x")  # type: ignore[arg-type]
    # a description alone is enough
    assert normalize_row({"description": "Pick and pack orders."}, "x").source == "x"


def test_default_source_and_stable_ids() -> None:
    a = normalize_row({"title": "Nurse", "company": "St X", "location": "Leeds"}, "feed")
    b = normalize_row({"Title": " Nurse ", "COMPANY": "st  x", "city": "LEEDS"}, "feed")
    assert a.source == "feed" and a.external_id == b.external_id
    assert a.external_id.startswith("tcl-")
    by_url = normalize_row({"title": "Nurse", "url": "HTTPS://Jobs.Example.com/n/1/#apply"}, "f")
    same = normalize_row({"title": "Other", "link": "https://jobs.example.com/n/1"}, "f")
    assert by_url.external_id == same.external_id and by_url.external_id.startswith("url-")
    assert canonical_url("HTTPS://A.com/x/") == "https://a.com/x"
    assert stable_external_id({"title": "A"}) != stable_external_id({"title": "B"})


def test_content_hash_is_stable_and_covers_the_meaningful_fields() -> None:
    base = {"title": "Data Analyst", "company": "Numbers", "location": "London",
            "salary": "£45,000", "description": "Analyse data.\nReport weekly.",
            "requirements": ["SQL"], "skills": ["SQL", "Excel"], "id": "n-1",
            "posted_date": "2025-05-01", "url": "https://a.example/1"}
    h = normalize_row(base, "s").content_hash
    # whitespace, skill order/case, and fields outside the content do not change it
    same = {**base, "description": "Analyse   data.\r\nReport weekly.  ",
            "skills": ["excel", "SQL"], "posted_date": "2025-05-02", "url": "https://b.example"}
    assert normalize_row(same, "s").content_hash == h
    for change in ({"title": "Senior Data Analyst"}, {"company": "Numbers 2"},
                   {"location": "Leeds"}, {"salary": "£50,000"},
                   {"description": "Analyse data."}, {"requirements": ["SQL", "R"]},
                   {"skills": ["SQL"]}):
        assert normalize_row({**base, **change}, "s").content_hash != h, change
    assert json.loads(content_text(to_job_record(map_record(base))))["title"] == "Data Analyst"


def test_summary_json_contract() -> None:
    summary = ImportSummary(batch_id=3, total=2, new=1, failed=1,
                            errors=[RowError(row=2, reason="invalid JSON")])
    assert summary.model_dump() == {"batch_id": 3, "total": 2, "new": 1, "updated": 0,
                                    "unchanged": 0, "failed": 1,
                                    "errors": [{"row": 2, "reason": "invalid JSON"}]}

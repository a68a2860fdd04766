"""Employment type: labels (also mid-line), header lines, and the first mention about the job."""

from __future__ import annotations

import pytest

from tools.parsing.job import parse_job
from tools.parsing.job.employment import find_employment_type


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # a "Job Type:" label glued in the middle of a line
        ("We plant and prune with seasonal cleanup of gardens.Job Type: Full-time | Pay: $20 "
         "per hour", "full_time"),
        ("Great team and perks.Employment Type: Contract | Duration: 6 months", "contract"),
        # the first mention about this job; a later one elsewhere does not override it
        ("This is a full-time, exempt position. You will coach a Data Intern and join our "
         "internship fair.", "full_time"),
        ("Work full-time, remotely. We support contractors who install heat pumps.",
         "full_time"),
        # a more specific kind in the same phrase wins
        ("We offer a full-time internship over the summer.", "internship"),
        ("This is a contract remote role for a designer.", "contract"),
        ("Senior Linux ConsultantFully Remote6 months contract", "contract"),
        # not this job's type
        ("A full-time role. Completion of an internship in analysis is required.",
         "full_time"),
        ("Full-time position. No part-time positions available.", "full_time"),
        ("We hire for full-time or part-time roles in both clinics.", "full_time"),
        ("Collect seasonal data on complaints. This is a permanent role.", "full_time"),
        ("This is a temporary position covering a leave.", "temporary"),
        ("Seasonal staff wanted for the summer.", "temporary"),
    ],
)
def test_find_employment_type_in_text(text: str, kind: str) -> None:
    assert find_employment_type(None, [], text) == kind


@pytest.mark.parametrize(
    "text",
    [
        "Oversee the contract lifecycle and negotiate contracts with vendors.",
        "Manage relationships with contract manufacturers.",
        "Assist with seasonal outdoor maintenance and temporary slips for guests.",
        "Previous internship or work experience in sales is a plus.",
    ],
)
def test_find_employment_type_none_for_incidental_words(text: str) -> None:
    assert find_employment_type(None, [], text) is None


def test_header_lines_short_only() -> None:
    # a short header line names the type; a long pasted "line" of prose is not a header
    assert find_employment_type(None, ["Data Architect", "Contract | Remote"], "") == "contract"
    prose = ("Company Description: we help with contract logging and forestry across the state, "
             "with crews in three counties and a growing team of specialists.")
    assert find_employment_type(None, [prose], prose) is None
    assert find_employment_type(None, ["Contract Administrator"], "") is None


def test_parse_job_reads_a_glued_job_type_label() -> None:
    job = parse_job("Maintenance Technician\nKeep the site safe and tidy, with seasonal "
                    "cleanup.Job Type: Part-time | Pay: $19 per hour")
    assert job.employment_type == "part_time"

"""Work mode: what a posting states, and what a person asks for (the same vocabulary)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tools.parsing.work_mode import detect_wanted_work_mode, detect_work_mode

# --------------------------------------------------------------------------- postings


@pytest.mark.parametrize(
    ("text", "mode"),
    [
        ("This is a fully remote position", "remote"),
        ("We are remote-first", "remote"),
        ("Remote", "remote"),
        ("Work from home anywhere in the UK", "remote"),
        ("WFH possible", "remote"),
        ("Location: London (Hybrid)", "hybrid"),
        ("2 days in office per week", "hybrid"),
        ("3 days a week in the office, the rest from home", "hybrid"),
        ("Remote or on-site in Berlin", "hybrid"),
        ("partly remote", "hybrid"),
        ("This role is on-site in Austin", "onsite"),
        ("Onsite", "onsite"),
        ("You will work in office five days a week", "onsite"),
        ("We are not remote: the team works together in Munich", "onsite"),
        ("This is not a remote role", "onsite"),
        ("Remote work is not possible for this position", "onsite"),
        ("In-person collaboration at our HQ", "onsite"),
    ],
)
def test_detect_work_mode(text: str, mode: str) -> None:
    assert detect_work_mode(text) == mode


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Python developer with Django",
        "Experience with remote sensing data",
        "Skilled in Office 365 administration",
        "Berlin, Germany",
    ],
)
def test_detect_work_mode_none(text: str) -> None:
    assert detect_work_mode(text) is None


@pytest.mark.parametrize(
    ("text", "mode"),
    [
        # labelled lines win over mode words elsewhere in the posting
        ("Schedule: Monday to Friday\nWork Location: In person", "onsite"),
        ("Perks: remote learning budget\nWork Location: In person", "onsite"),
        ("Work Location: Hybrid remote in Leeds, LS1", "hybrid"),
        ("Workplace type: Remote\nWe sometimes meet on-site for planning.", "remote"),
        ("Location:\nIn office at our Denver site\nTravel: rare, remote tools provided", "onsite"),
        ("Location: Tulsa, OK (onsite). Mondays onsite, Fridays remote.", "onsite"),
        ("Location\n: This role sits in office three days a week", "hybrid"),
        # sentences about the role itself
        ("This position is remote; our HQ also has an on-site gym.", "remote"),
        ("This is a hybrid role. Some teams work on-site full time.", "hybrid"),
        ("The role will be part-time and remote, with on-site events twice a year.", "remote"),
        ("We are a remote-first company and hire across the country. Visit our office.",
         "remote"),
        ("We are remote-first with hybrid options where wanted.", "hybrid"),
        # noise that is not about where the job is done
        ("Provide support by phone, remote tools, or in person at the client site", "onsite"),
        ("Benefits: remote/onsite fitness reimbursement", None),
        ("Flexibility to work from home two days a week", "hybrid"),
        ("This is a part-time on-site role for a bookkeeper. Remote tools are provided.",
         "onsite"),
        ("This is a full-time hybrid Payroll Clerk role, with some remote days.", "hybrid"),
        ("Talk to members in person and over the phone", None),
        ("We host online and in-person workshops for the community", None),
        ("Provide on-site training at client offices; this position is remote.", "remote"),
        # "fully / 100% / entirely remote" beats in-person trips and events elsewhere
        ("Nearly all work is entirely remote. Now and then you will join the director in "
         "person at client dinners.", "remote"),
        ("Could be 100% remote; coming onsite in the first weeks would help.", "remote"),
        ("We are a fully remote charity, though this job needs in-person outreach work. "
         "You will work from home.", "remote"),
        ("Able to work in a remote environment with limited in-person interaction", "remote"),
        # ... but not a hybrid statement, nor a negated one
        ("Hybrid schedule (option to go fully remote after probation)", "hybrid"),
        ("Schedule: 20 hours/week$22/hrHybrid office/remote", "hybrid"),
        ("This job is not fully remote: expect the office on Mondays. Remote tools provided.",
         "onsite"),
        # a part-time office week
        ("You will come into our offices to work onsite once per week and from home "
         "otherwise.", "hybrid"),
        ("Analysts are on-site two days each week.", "hybrid"),
    ],
)
def test_detect_work_mode_posting_statements(text: str, mode: str | None) -> None:
    assert detect_work_mode(text) == mode


# --------------------------------------------------------------------------- a person's wish


@pytest.mark.parametrize(("text", "mode"), [
    ("I want remote roles", "remote"),
    ("only remote jobs please", "remote"),
    ("I'd like to work from home", "remote"),
    ("wfh only", "remote"),
    ("Remotely, if possible", "remote"),
    ("I prefer hybrid", "hybrid"),
    ("hybrid or remote is fine", "hybrid"),  # both kept: hybrid hides on-site jobs only
    ("remote, 2 days in office", "hybrid"),
    ("I only want on-site work", "onsite"),
    ("office-based roles please", "onsite"),
    ("in person only", "onsite"),
    ("no remote please", "onsite"),
    ("I don't want remote jobs", "onsite"),
    ("not remote, hybrid is ok", "hybrid"),
    ("no on-site jobs", "hybrid"),
    ("I don't want office-based jobs", "hybrid"),
    ("I don't mind", "any"),
    ("remote or office, either is fine", "any"),
    ("any work mode", "any"),
])
def test_detect_wanted_work_mode(text: str, mode: str) -> None:
    assert detect_wanted_work_mode(text) == mode
    assert detect_wanted_work_mode(text.upper()) == mode


@pytest.mark.parametrize("text", [
    "", "data jobs in Berlin", "jobs anywhere in Germany", "remote access engineer jobs",
    "salary over 80k", "show my applications",
])
def test_detect_wanted_work_mode_none(text: str) -> None:
    assert detect_wanted_work_mode(text) is None


@pytest.mark.parametrize("text", [
    "find remote data jobs in Berlin", "Fully remote role", "hybrid, 3 days in office",
    "This position is on-site", "work from home",
])
def test_a_plain_statement_reads_as_in_a_posting(text: str) -> None:
    assert detect_wanted_work_mode(text) == detect_work_mode(text)


@given(st.text(max_size=80))
def test_detect_wanted_work_mode_never_raises(text: str) -> None:
    assert detect_wanted_work_mode(text) in (None, "remote", "hybrid", "onsite", "any")


def test_chat_search_and_tools_agree_on_remote() -> None:
    """The offline model's remote filter and the search tool's read the same words."""
    from agent.offline.extraction import _filters

    for text in ("find remote data jobs in berlin", "hybrid or remote data jobs",
                 "remote access engineer jobs", "data jobs anywhere"):
        offline = _filters(text, text).get("remote_only", False)
        assert offline == (detect_work_mode(text) == "remote"), text

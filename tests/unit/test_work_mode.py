"""The work mode a person asks for, read with the same vocabulary as a posting's."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tools.parsing.work_mode import detect_wanted_work_mode, detect_work_mode


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

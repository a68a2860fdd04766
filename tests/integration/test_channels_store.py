"""Chat identities, link codes and event de-duplication (store/channels.py) on SQLite and
PostgreSQL, and "forget me" removing the channel links (agent/service.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine

from store.channels import ChannelRepo, normalise_code
from store.tables import utcnow


def test_identity_created_once_and_stable(engine: Engine) -> None:
    repo = ChannelRepo(engine)
    a = repo.resolve("slack", "T1", "U1")
    assert a.startswith("slack-") and repo.resolve("slack", "T1", "U1") == a
    assert repo.resolve("slack", "T2", "U1") != a  # another workspace, another person
    assert repo.resolve("teams", "T1", "U1") != a
    with pytest.raises(ValueError):
        repo.resolve("discord", "T1", "U1")
    with pytest.raises(ValueError):
        repo.resolve("slack", "", "U1")


def test_link_code_once_and_expiry(engine: Engine) -> None:
    repo = ChannelRepo(engine)
    code = repo.issue_code("web-ana")
    assert len(normalise_code(code)) == 8 and "-" in code
    before = repo.resolve("slack", "T1", "U7")
    assert repo.redeem(code.lower().replace("-", " "), "slack", "T1", "U7") == ("web-ana", before)
    assert repo.resolve("slack", "T1", "U7") == "web-ana"
    assert repo.redeem(code, "slack", "T1", "U8") is None  # used up
    late = repo.issue_code("web-bo")
    assert repo.redeem(late, "teams", "X", "Y", now=utcnow() + timedelta(minutes=11)) is None
    newer = repo.issue_code("web-bo")
    assert repo.redeem(newer, "teams", "X", "Y") == ("web-bo", None)
    assert repo.redeem("nonsense", "teams", "X", "Z") is None


def test_new_code_replaces_the_old_one(engine: Engine) -> None:
    repo = ChannelRepo(engine)
    first = repo.issue_code("web-cy")
    second = repo.issue_code("web-cy")
    assert repo.redeem(first, "slack", "T1", "U9") is None
    assert repo.redeem(second, "slack", "T1", "U9") == ("web-cy", None)  # first contact


def test_conversation_and_delete_links(engine: Engine) -> None:
    repo = ChannelRepo(engine)
    owner = repo.resolve("teams", "TEN", "aad-1")
    repo.set_conversation("teams", "TEN", "aad-1", {"reference": {"conversation": {"id": "a"}}})
    [link] = repo.links(owner)
    assert link.conversation["reference"]["conversation"]["id"] == "a"
    repo.issue_code(owner)
    assert repo.delete_links(owner) == 1
    assert repo.links(owner) == []
    assert repo.resolve("teams", "TEN", "aad-1") != owner  # a new person from now on


def test_claim_event_once(engine: Engine) -> None:
    repo = ChannelRepo(engine)
    assert repo.claim_event("slack:Ev1") is True
    assert repo.claim_event("slack:Ev1") is False
    assert repo.claim_event("slack:Ev2") is True

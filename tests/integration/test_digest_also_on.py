"""A job imported from several sources is listed once in a digest, saying where else it is
(``also_on``), and every rendering of the digest shows it: the e-mail (HTML from the digest card,
and the text part), Slack Block Kit, the Teams card, the web chat's digest props and the chat's
Markdown answer."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from sqlalchemy import update

from agent.service import JobfitService
from store.db import session_scope
from store.tables import JobRecord
from tests.integration.agent_store import BACKEND_CV, build_store
from tools.card_text import render_markdown
from tools.digest import render_text
from tools.digest_card import digest_card
from ui.digest_web import digest_card_props
from ui.email import render_html
from ui.renderers.adaptive import render_adaptive
from ui.renderers.blockkit import render_blocks


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JobfitService]:
    svc = build_store(tmp_path_factory.mktemp("alsoon") / "data")
    yield svc
    svc.engine.dispose()


def test_a_job_on_two_boards_is_listed_once_with_the_other_board(service: JobfitService
                                                                 ) -> None:
    service.save_cv("multi", text=BACKEND_CV)
    center = service.digests()
    before, _ = center.build("multi")
    assert len(before.matches) >= 2 and all(not m.also_on for m in before.matches)
    a, b = before.matches[0], before.matches[1]
    with session_scope(service.engine) as s:  # b becomes boardB's copy of a
        s.exec(update(JobRecord).where(JobRecord.id == b.ref)  # type: ignore[call-overload]
               .values(duplicate_of=a.ref, source="boardB"))
    try:
        after, _ = center.build("multi", cache=center.run_cache(fresh=True))
        refs = [m.ref for m in after.matches]
        assert a.ref in refs and b.ref not in refs
        shown = after.matches[refs.index(a.ref)]
        assert shown.also_on == ["boardB"]
        assert all(not m.also_on for m in after.matches if m.ref != a.ref)
        card = digest_card(after)
        assert card.matches[refs.index(a.ref)].job.also_on == ["boardB"]
        assert "Also on: boardB" in render_html(after, chat_url="http://127.0.0.1:1")
        assert "Also on: boardB" in render_text(after)
        assert "also on: boardB" in json.dumps(render_blocks(card))
        assert "also on: boardB" in json.dumps(render_adaptive(card))
        assert "also on: boardB" in render_markdown(card)
        props = digest_card_props({"digest": after.model_dump(mode="json")})
        assert props["matches"][refs.index(a.ref)]["also_on"] == ["boardB"]
    finally:
        with session_scope(service.engine) as s:
            s.exec(update(JobRecord).where(JobRecord.id == b.ref)  # type: ignore[call-overload]
                   .values(duplicate_of=None))

"""How the web chat streams the offline model's answers.

The web chat sends streamed tokens to the browser in batches (``STREAM_INTERVAL_S`` in
``ui/app.py``), and the offline model writes its whole answer at once, so word-by-word chunks
only cost: each is a message object, a callback round through LangChain and LangGraph and a
handler call on the event loop (about a tenth of the server's CPU in a turn under load,
``tests/bench/bench_load.py``). The web chat's offline model streams a few words per chunk;
the text is the same.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from agent.settings import Settings

WEB_STREAM_WORDS = 12


def web_model(settings: Settings) -> BaseChatModel:
    """The configured chat model (``agent.bootstrap.build_model``), the offline one streaming
    :data:`WEB_STREAM_WORDS` words per chunk."""
    from agent.bootstrap import build_model
    from agent.offline.model import OfflineChatModel

    model = build_model(settings)
    if isinstance(model, OfflineChatModel):
        return model.model_copy(update={"stream_words": WEB_STREAM_WORDS})
    return model

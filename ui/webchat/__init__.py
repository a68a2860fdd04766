"""The jobfit web chat on Chainlit, by role (``ui/app.py`` is the file Chainlit runs):

- ``runtime``: the service/graph runtime, the session's user, polite errors;
- ``auth``: login callbacks and the chat history data layer;
- ``server``: what the app adds to Chainlit's server (middleware, routes, footer, bots);
- ``chat``: welcome, chat start and resume, each message;
- ``uploads``: CVs, job files and candidate pools dropped into the chat;
- ``answers``: one agent turn, streamed;
- ``cards``: tool results as cards, the tailored CV, "forget me" for the web chat;
- ``actions``: the cards' buttons;
- ``launcher``: ``jobfit ui`` (runs Chainlit on ``ui/app.py``).
"""

from __future__ import annotations

import os
from pathlib import Path

APP_ROOT = Path(__file__).resolve().parent.parent.parent
# Chainlit reads its config (.chainlit/, public/) from here when it is first imported.
os.environ.setdefault("CHAINLIT_APP_ROOT", str(APP_ROOT))

"""The jobfit web chat (Chainlit): ``jobfit ui`` / ``make run`` -> http://127.0.0.1:8000.

Chainlit runs this file; the code lives in :mod:`ui.webchat`, one module per role.

- Accounts: ``JOBFIT_AUTH=open`` (default) is one local user with no login (header auth that
  always answers "local"); ``JOBFIT_AUTH=password`` logs in users added with ``jobfit users add``.
  Every operation is scoped by the session's jobfit user id; graph threads are
  ``"<user id>:<chainlit thread id>"``.
- Chat history and resume: :class:`ui.chat_history.JobfitDataLayer`. A chat's address becomes
  ``/thread/<id>`` after its first message, so a browser reload resumes it.
- A message runs the agent graph with ``astream`` (tokens streamed, tool calls as steps); tool
  results become cards (custom elements in ``public/elements``). Card buttons call the service
  directly (``jf_*`` action callbacks).
- Files dropped into the chat: a CV (PDF, DOCX, TXT, MD) is saved as the current CV; a jobs file
  (JSON, JSONL, CSV) is imported into the shared job store with progress.
"""

from __future__ import annotations

# ui.webchat sets CHAINLIT_APP_ROOT before Chainlit loads; importing a module registers its
# Chainlit handlers (callbacks, data layer, actions).
from ui.webchat import actions, auth, chat, server  # noqa: F401

server.install(auth.password_login if auth.PASSWORD_MODE else None)
server.mount_channels()

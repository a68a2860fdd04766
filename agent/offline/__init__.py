"""The offline chat model's newer parts, one role per module.

- :mod:`agent.offline.postings`: is a message a pasted job posting (one line or many, after a
  request or alone), a bare link, or a question?
- :mod:`agent.offline.applications`: the application pipeline intents ("I got an interview at X").
- :mod:`agent.offline.languages`: messages in languages other than English.
- :mod:`agent.offline.answers`: answers written from the new tools' results.

``agent/router.py`` calls these with small hooks; the rule-based intents there are unchanged.
"""

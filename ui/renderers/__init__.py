"""Renderers of the channel-neutral card model (``tools/cards.py``).

- :mod:`ui.renderers.text`: Markdown (CLI, chat fallbacks, Slack/Teams notification text)
- :mod:`ui.renderers.blockkit`: Slack Block Kit
- :mod:`ui.renderers.adaptive`: Teams Adaptive Cards
- :mod:`ui.renderers.email`: the digest e-mail's HTML
"""

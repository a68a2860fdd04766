"""Renderers of the channel-neutral card model (``tools/cards.py``).

- :mod:`tools.card_text`: Markdown (the offline chat's answers, Slack/Teams fallbacks and
  notification text; in ``tools/`` so that ``agent/`` can use it)
- :mod:`ui.renderers.terminal`: the CLI's rich terminal report
- :mod:`ui.renderers.chainlit`: the web chat's custom elements
- :mod:`ui.renderers.blockkit`: Slack Block Kit
- :mod:`ui.renderers.adaptive`: Teams Adaptive Cards
- :mod:`ui.renderers.email`: the digest e-mail's HTML
"""

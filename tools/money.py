"""Amounts of money as people read them: "$80,000", "€55,000", "90,000 CHF", "80,000".

The one formatter for every channel (chat answers, cards, the CLI, the score comments), so the
same salary reads the same everywhere.
"""

from __future__ import annotations

#: Currencies written with a symbol before the amount; any other code follows it ("90,000 CHF").
CURRENCY_SYMBOLS: dict[str, str] = {"USD": "$", "GBP": "£", "EUR": "€"}


def currency_symbol(currency: object) -> str:
    """The symbol of an ISO code ("usd" -> "$"); "" for codes written out and for no code."""
    return CURRENCY_SYMBOLS.get(str(currency).upper(), "") if currency else ""


def format_money(value: object, currency: str | None = None) -> str:
    """`value` rounded to whole units with thousands separators, with its currency: the symbol
    before it ("$80,000"), else the code after it ("90,000 CHF"), else the bare amount
    ("80,000"). A value that is not a number is shown as given (str)."""
    if not isinstance(value, int | float):
        return str(value)
    text = f"{value:,.0f}"
    symbol = currency_symbol(currency)
    if symbol:
        return f"{symbol}{text}"
    return f"{text} {currency}" if currency else text

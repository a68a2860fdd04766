"""Salary parsing: amounts, ranges, currencies and pay periods, normalised to a year.

``parse_salary`` reads a phrase that is known to be about pay (a structured ``salary`` field) and
is lenient: "90k" or "120000" are accepted. ``find_salary`` scans a whole posting or CV and is
strict: an amount needs a currency, a pay period, or a salary word close before it, and numbers
that are years, percentages, durations, 401(k)s, phone numbers or funding rounds are skipped;
later ranges of the same pay (by level or place, the full band) widen the first statement.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tools.schemas import SalaryPeriod, SalaryRange

#: Multipliers that turn an amount in the stated period into a yearly amount.
ANNUAL_FACTOR: dict[str, float] = {"hour": 2080, "day": 260, "week": 52, "month": 12, "year": 1}

# --------------------------------------------------------------------------- currencies

_SYMBOLS: dict[str, str] = {
    "US$": "USD", "U$S": "USD", "USD$": "USD", "CA$": "CAD", "C$": "CAD", "CAN$": "CAD",
    "AU$": "AUD", "A$": "AUD", "AUD$": "AUD", "NZ$": "NZD", "S$": "SGD", "SG$": "SGD",
    "HK$": "HKD", "R$": "BRL", "MX$": "MXN", "$": "USD", "£": "GBP", "€": "EUR", "¥": "JPY",
    "₹": "INR", "Rs": "INR", "Rs.": "INR", "₩": "KRW", "₪": "ILS", "₺": "TRY", "₽": "RUB",
    "₱": "PHP", "₦": "NGN", "zł": "PLN", "Kč": "CZK", "Fr.": "CHF",
}
_CODES = (
    "USD", "CAD", "AUD", "NZD", "SGD", "HKD", "BRL", "MXN", "GBP", "EUR", "JPY", "CNY", "RMB",
    "INR", "KRW", "ILS", "TRY", "RUB", "NGN", "PLN", "CZK", "CHF", "SEK", "NOK", "DKK", "ZAR",
    "AED", "HUF", "RON", "SAR",
)
#: Currencies whose salaries are routinely in the millions.
_LARGE_UNIT = {"JPY", "KRW", "INR", "HUF", "NGN", "RUB", "CNY", "PHP", "CZK", "ZAR", "TRY"}

_SYM_RE = "|".join(re.escape(s) for s in sorted(_SYMBOLS, key=len, reverse=True))
_CODE_RE = r"(?<![A-Za-z])(?:" + "|".join(_CODES) + r")(?![A-Za-z])"
_CUR = rf"(?:{_CODE_RE}|{_SYM_RE})"

# --------------------------------------------------------------------------- numbers

_NUM = (
    r"(?<![\d.,])(?:"
    r"\d{1,2}(?:,\d\d)+,\d{3}(?!\d)"  # Indian grouping 12,00,000
    r"|\d{1,3}(?P<SEP>[,.'’ \u00a0\u202f])\d{3}(?:(?P=SEP)\d{3})*(?:[.,]\d{1,2})?(?![\d])"
    r"|\d+(?:[.,]\d{1,2})?(?!\d)"
    r")"
)
_MULT = (
    r"(?:\s?(?:[kK](?![A-Za-z])|(?:mn|MM|M|m|mil|Mil)(?![A-Za-z])|(?i:thousand|million|mio\.?)"
    r"|(?i:lakhs?|lacs?|lpa|crores?)(?![A-Za-z])))"
)


def _amount(i: int, *, prefix: bool) -> str:
    num = _NUM.replace("SEP", f"SEP{i}")
    pre = rf"(?:(?P<c{i}>{_CUR})\s?)?" if prefix else ""
    return rf"{pre}(?P<n{i}>{num})(?P<m{i}>{_MULT})?(?:\s?(?P<s{i}>{_CUR}))?"


_LEAD = (
    r"(?P<lead>(?<![A-Za-z])(?i:up\s*to|max(?:imum)?(?:\s+of)?|from|starting\s+(?:at|from)|starts?\s+at"
    r"|min(?:imum)?(?:\s+of)?|at\s+least|between|in\s+excess\s+of|over|above|upwards\s+of"
    r"|more\s+than|less\s+than|under|circa|around|approx(?:\.|imately)?)\s*:?\s*|~\s?)"
)
_RANGE_SEP = r"\s*(?:-{1,2}|–|—|~|(?i:to|and|until|bis|à))\s*"

# A period word ends at a non-letter or where postings glued the next line on ("/hrBenefits":
# a capital letter after a lower-case period word); single letters only after "/" or "p".
_E = r"(?-i:(?![a-z])(?<![A-Z](?=[A-Z])))"
_E1 = r"(?![A-Za-z])"
_P_HOUR = (
    rf"(?:/|per|an?|p/?)\s?(?:hour|hr)s?{_E}|(?:/|p/?)\s?h{_E1}|(?:hourly|ph|p\.h\.){_E}"
    rf"|(?:/|pro\s)\s?(?:stunde|std){_E}"
)
_P_DAY = (
    rf"(?:/|per|an?|p/?)\s?day{_E}|(?:/|p/?)\s?d{_E1}"
    rf"|(?:daily|per\s+diem|day\s+rate){_E}"
)
_P_WEEK = rf"(?:/|per|an?|p/?)\s?(?:week|wk){_E}|(?:/|p/?)\s?w{_E1}|weekly{_E}"
_P_MONTH = (
    rf"(?:/|per|an?)\s?(?:month|mon|mo|mth)s?{_E}|(?:monthly|pcm|p/m|p\.m\.){_E}"
    rf"|(?:/|pro\s)\s?monat{_E}"
)
_P_YEAR = (
    rf"(?:/|per|an?)\s?(?:year|yr|annum)s?{_E}|/\s?y{_E1}"
    rf"|(?:annually|annual|yearly|p\.?\s?a\.?|lpa|/?\s?jahr|pro\s+jahr|brutto\s+jahr){_E}"
)
#: A period written after the first end of a range too ("$120,000/yr - $150,000/yr").
_FIRST_PERIOD = r"(?:\s?/\s?(?P<pp>(?i:hour|hr|h|day|week|wk|month|mo|year|yr|annum))(?![A-Za-z]))"
_PERIOD = (
    rf"(?i:(?P<hour>{_P_HOUR})|(?P<day>{_P_DAY})|(?P<week>{_P_WEEK})|(?P<month>{_P_MONTH})"
    rf"|(?P<year>{_P_YEAR}))"
)
_QUALIFIER = (
    r"(?:\(?\s*(?i:gross|base|basic|brutto|net|total|pre-?tax|before\s+tax|ote|salary|pay)"
    r"\s*\)?\s*)"
)
_TAIL = rf"(?:\s*(?:(?P<c3>{_CUR})\s*)?{_QUALIFIER}{{0,2}}(?:,\s*)?(?P<period>{_PERIOD}))?"

# The scan starts at a number (cheap to find); the currency symbol and lead words in front of it
# are found backwards by _prefix() on a short window.
_SALARY_RE = re.compile(
    rf"{_amount(1, prefix=False)}(?:{_FIRST_PERIOD}?{_RANGE_SEP}{_amount(2, prefix=True)})?"
    rf"(?P<plus>\+)?{_TAIL}"
)
_LEAD_RE = re.compile(rf"{_LEAD}$")
#: Last words that may end a lead phrase ("up to", "at least"...); gates the _LEAD_RE search.
_LEAD_LAST_WORDS = frozenset({
    "to", "upto", "of", "max", "maximum", "from", "at", "min", "minimum", "least", "between",
    "over", "above", "than", "under", "circa", "around", "approx", "approx.", "approximately",
})
_CUR_BY_LEN = tuple(sorted([*_SYMBOLS, *_CODES], key=len, reverse=True))
_CUR_LAST_CHARS = frozenset(c[-1] for c in _CUR_BY_LEN)

# Context checks (all on short windows; regexes are anchored or run on lower-cased text) -----

_UNIT_AFTER_RE = re.compile(
    r"\s*\+?\s*(?i:years?|yrs?|months?|mos|weeks?|days?|hours?|hrs|minutes?|mins|%|percent"
    r"|per\s*cent|people|employees|staff|users|customers|clients|members|downloads|followers"
    r"|stars|countries|offices|locations|engineers|developers|hires|applicants|companies"
    r"|requests|transactions|rows|records|lines|miles|km|sq|ft|gb|tb|mb|x\b|times|th\b|st\b"
    r"|nd\b|rd\b|am\b|pm\b|o'clock|-?year|-?month|-?day|-?week|-?hour)"
    # lower case only: "Salary: $80,000 Positions: 2" is a label after the pay
    r"|\s*\+?\s*(?:courses|classes|lessons|products|items|projects|partners|brands|stores"
    r"|patients|students|properties|vehicles|beds|jobs|roles|positions|languages)\b"
)
#: Words right before a number that mark it as something other than pay.
_BAD_PREV_WORDS = frozenset({
    "tel", "tel.", "phone", "fax", "call", "mobile", "cell", "whatsapp", "ext", "ext.", "zip",
    "postcode", "no", "no.", "number", "version", "v", "iso", "rfc", "section", "room", "suite",
    "unit", "floor", "step", "level", "grade", "top", "series", "round", "raised", "funding",
    "valuation", "revenue", "arr", "mrr",
})
_AFTER_BAD_RE = re.compile(
    # one hyphenated modifier may come first ("$2,000 employer-funded reimbursement")
    r"\s*(?:in\s+)?(?:[a-z]+-[a-z]+\s+)?"
    r"(?:funding|series|seed|raised|revenue|valuation|arr\b|mrr\b|bonus|"
    r"signing|sign-on|relocation|stipend\s+for|budget|allowance|credit|reimburse|equity|"
    r"stock|rsus?\b|in\s+(?:annual\s+)?(?:revenue|sales|funding)|learning|education|"
    r"training|wellness|home\s+office|per\s+employee|users|customers)"
)
_KEYWORD_RE = re.compile(
    r"\b(?:salary|salaries|pay|paid|paying|compensation|comp|remuneration|wages?|rate|ote|"
    r"base|package|earn|earning|earnings|income|stipend|tc|range|gehalt|vergütung|"
    r"rémunération|salaire)\b"
)
_PERIOD_BEFORE: tuple[tuple[str, SalaryPeriod], ...] = (
    ("hourly", "hour"), ("per hour", "hour"), ("hour rate", "hour"), ("daily rate", "day"),
    ("day rate", "day"), ("per day", "day"), ("weekly", "week"), ("per week", "week"),
    ("monthly", "month"), ("per month", "month"), ("annual", "year"), ("yearly", "year"),
    ("per annum", "year"), ("per year", "year"),
)
#: Cheap anchors for find_salary: currency marks, pay words and period words (lower-cased text).
_ANCHOR_RE = re.compile(
    r"[$£€¥₹₩₪₺₽₱₦]|zł|kč|/\s?(?:hr|h|hour|day|d|wk|week|mo|month|yr|year|y|annum|jahr|monat)\b"
    r"|\b(?:per|an?|pro)\s+(?:hour|hr|day|week|month|year|yr|annum|jahr|stunde|monat)\b"
    r"|\b(?:usd|cad|aud|nzd|sgd|hkd|brl|mxn|gbp|eur|jpy|cny|rmb|inr|krw|ils|try|rub|ngn|pln|czk"
    r"|chf|sek|nok|dkk|zar|aed|huf|ron|sar|rs|salary|salaries|pay|paid|paying|compensation|comp"
    r"|remuneration|wages?|rate|ote|base|package|earn\w*|income|stipend|tc|range|gehalt"
    r"|vergütung|salaire|lpa|lakhs?|lacs?|crores?|hourly|annum|annual|annually|yearly"
    r"|pa|p\.a|pcm|monthly|weekly|daily|ph|pw|pd|p/h)\b"
)
#: Money that is not pay, named shortly before the amount in the same clause ("sign-on bonus of
#: $3,000", "life insurance up to $50,000", "revenue of $600,000"); a pay word after it
#: ("bonus and a salary of $60,000") clears it.
_NOT_PAY_BEFORE_RE = re.compile(
    r"\b(?:bonus(?:es)?|sign[\s-]?on|signing|referral|relocation|insurance|coverage|revenues?"
    r"|sales|funding|valuation|raised|budgets?|purchases?|tuition|reimburse\w*|allowance"
    r"|401\s*\(?k\)?|403\s*\(?b\)?|match(?:ing)?|deductibles?|premiums?|grants?|loans?|prizes?"
    r"|awards?|scholarships?|donations?|assets|investments?|deals?|worth|spend(?:ing)?|costs?"
    r"|fundrais\w*|savings|fees?|deposits?|discounts?|credits?|gift\s+cards?|reward|differentials?)\b"
)
_PAY_AFTER_BAD_RE = re.compile(
    r"\b(?:salary|salaries|pay|wages?|compensation|base|rate|hourly|annual\s+(?:salary|pay)"
    r"|earn\w*|range)\b"
)
_AFTER_PERIOD_BAD_RE = re.compile(
    r"\s*(?:in\s+)?(?:revenue|sales|budget|volume|spend|tips|gratuities|commissions?|bonus)\b"
    r"|\s*/\s*(?:wk|week|shift|day|month)\b",
    re.IGNORECASE,
)
#: A pay label right before the amount ("Pay rate: $25 - $27", "Hourly wage of $19").
_PAY_LABEL_RE = re.compile(
    r"\b(?:pay(?:\s+rate)?|(?:hourly\s+)?wages?|hourly\s+rate|salary|compensation)(?:\s+range)?"
    r"\s*(?::|\bis|\bof)\s*$"
)
_K401_RE = re.compile(r"\s*\(?\s*[kKbB]\s*\)?(?![A-Za-z])")
_YEAR_LIKE_RE = re.compile(r"^(?:19|20)\d\d$")
_HINT_RE = re.compile(r"[\d]")

_MIN_LEADS = frozenset({
    "from", "min", "minimum", "minimum of", "min of", "at least", "over", "above", "upwards of",
    "more than", "in excess of",
})
_MAX_LEADS = frozenset({"less than", "under"})

_MULTIPLIERS: dict[str, float] = {
    "k": 1e3, "thousand": 1e3, "m": 1e6, "mm": 1e6, "mn": 1e6, "mil": 1e6, "million": 1e6,
    "mio": 1e6, "mio.": 1e6, "lakh": 1e5, "lakhs": 1e5, "lac": 1e5, "lacs": 1e5, "lpa": 1e5,
    "crore": 1e7, "crores": 1e7,
}


# --------------------------------------------------------------------------- public API


def parse_salary(text: str) -> SalaryRange | None:
    """Parse a salary phrase into an annual range: "$150K - $180K", "£45,000 per annum",
    "60-75/hr", "up to 90k", "€55k–65k a year", "USD 120,000"... Returns None when no salary."""
    if not text or not _HINT_RE.search(text):
        return None
    for m in _SALARY_RE.finditer(text):
        result = _evaluate(text, m, strict=False)
        if result is not None:
            return result
    return None


def find_salary(text: str) -> SalaryRange | None:
    """Find the salary a longer text (job posting, CV) states.

    The first pay statement decides currency and period. Later statements in the same
    currency and period, of the same order of magnitude and not about on-target earnings,
    commission or overtime, widen it: a text that gives two ranges by level or location
    ("$43,000-48,000 for new managers ... $50,000-55,000 for tenured ones") pays across
    both (min of the lows, max of the highs).
    """
    if not text or not _HINT_RE.search(text):
        return None
    first: SalaryRange | None = None
    extra: list[SalaryRange] = []
    span = [0, 0]
    for lo, hi in _windows(text):
        for m in _SALARY_RE.finditer(text, lo, hi):
            result = _evaluate(text, m, strict=True)
            if result is None:
                continue
            if first is None:
                first = _with_ote(text, m.end(), result)
                begin = text.find(result.raw, max(0, m.start() - 40))
                span = [begin if begin >= 0 else m.start(), m.end()]
            elif _widens(text, m.start(), m.end(), first, result):
                extra.append(result)
                span[1] = m.end()
    if first is None or not extra:
        return first
    return _envelope(first, extra, text[span[0]: span[1]].strip())


#: Pay that is not the base the first statement gives ("OTE of $90k", "with commission up
#: to $120k", "total compensation $150k", "with overtime").
_NOT_BASE_RE = re.compile(
    r"(?i)\b(?:ote|on[- ]target|commissions?|total\s+(?:comp|compensation|earnings|cash|pay)"
    r"|overtime|potential|bonus(?:es)?|incentives?|uncapped)\b"
)


def _widens(text: str, start: int, end: int, first: SalaryRange, other: SalaryRange) -> bool:
    """`other`, a later range, states the same pay as `first` for another level or place."""
    if other.period != first.period or other.currency != first.currency:
        return False
    if other.min is None or other.max is None or other.min >= other.max:
        return False  # only a closed range widens ("to £40k" after "to £68k" does not)
    clause = re.split(r"[.;\n•]|(?<=\w)\s+-\s", text[max(0, start - 60): start])[-1]
    after = text[end: end + 20]
    if _NOT_BASE_RE.search(clause) or _NOT_BASE_RE.search(other.raw) \
            or _NOT_BASE_RE.match(after.lstrip(" )(]+-,:")):
        return False
    ends = [v for v in (first.min, first.max) if v is not None]
    return all(min(ends) / 2 <= v <= max(ends) * 2 for v in (other.min, other.max)
               if v is not None)


def _envelope(first: SalaryRange, extra: list[SalaryRange], span: str) -> SalaryRange:
    """The range across `first` and `extra`; raw is the text from the first to the last one
    (or the first statement's own text when that stretch is long)."""
    lows = [s.min for s in (first, *extra) if s.min is not None]
    highs = [s.max for s in (first, *extra) if s.max is not None]
    lo = min(lows) if lows else None
    hi = max(highs) if highs else None
    if lo is not None and hi is not None and lo > hi:
        return first  # "from $60k" and "up to $50k": not one range
    if (lo, hi) == (first.min, first.max):
        return first
    raw = span if len(span) <= 300 and first.raw in span else first.raw
    return first.model_copy(update={"min": lo, "max": hi, "raw": raw})


#: On-target earnings named soon after an open-ended base: "Base salary starting at $49,920
#: with uncapped commissions and on-target earnings (OTE) of $80,000+".
_OTE_RE = re.compile(
    r"[^.\n]{0,120}?\b(?:OTE|(?i:on[- ]target[ \t]+earnings?(?:[ \t]*\(OTE\))?))"
    r"[ \t]*(?:(?i:of|is|are|up[ \t]+to|at|around|approx\.?|:)[ \t]*)*(?=[$£€\d])"
)


def _with_ote(text: str, end: int, base: SalaryRange) -> SalaryRange:
    """A base with no upper end ("from $50k") gets the OTE stated right after it as its max."""
    if base.min is None or base.max is not None:
        return base
    om = _OTE_RE.match(text, end)
    if om is None:
        return base
    digit = re.compile(r"\d").search(text, om.end(), om.end() + 6)
    m = _SALARY_RE.match(text, digit.start()) if digit is not None else None
    ote = _evaluate(text, m, strict=False) if m is not None else None
    if ote is None or ote.period != base.period or ote.currency not in (None, base.currency):
        return base
    top = ote.max if ote.max is not None else ote.min
    if top is None or not base.min < top <= base.min * 4:
        return base
    return base.model_copy(update={"max": top, "raw": f"{base.raw}; OTE {ote.raw}"})


def annualise(amount: float, period: SalaryPeriod) -> float:
    """Yearly equivalent of `amount` paid per `period` (hour×2080, day×260, week×52, month×12)."""
    return amount * ANNUAL_FACTOR[period]


# --------------------------------------------------------------------------- internals


def _to_number(raw: str) -> float | None:
    s = raw.replace("\u00a0", " ").replace("\u202f", " ").replace("’", "'")
    s = s.replace(" ", "").replace("'", "")
    if "," in s and "." in s:
        # the right-most separator is the decimal point
        if s.rfind(",") > s.rfind("."):
            s = s.replace(".", "").replace(",", ".")
        else:
            s = s.replace(",", "")
    elif "," in s or "." in s:
        sep = "," if "," in s else "."
        groups = s.split(sep)
        if len(groups) > 2 or (len(groups[-1]) == 3 and sep == ","):
            s = s.replace(sep, "")  # thousands grouping (incl. Indian 12,00,000)
        elif len(groups[-1]) == 3:
            s = s.replace(sep, "")  # European "55.000"
        else:
            s = s.replace(",", ".")  # decimal "55.5" / "25,50"
    try:
        return float(s)
    except ValueError:
        return None


def _multiplier(raw: str | None) -> float:
    if not raw:
        return 1.0
    key = raw.strip().lower()
    return _MULTIPLIERS.get(key, 1.0)


def _currency(tokens: list[str | None], window: str) -> str | None:
    codes = [t.strip() for t in tokens if t]
    for t in codes:  # an explicit ISO code wins over an ambiguous symbol
        if t.upper() in _CODES:
            return "CNY" if t.upper() == "RMB" else t.upper()
    for t in codes:
        if t in _SYMBOLS:
            cur = _SYMBOLS[t]
            if t == "$":
                near = re.search(r"(?<![A-Za-z])(CAD|AUD|NZD|SGD|HKD|MXN)(?![A-Za-z])", window)
                if near:
                    return near.group(1)
            if t == "¥" and re.search(r"(?<![A-Za-z])(?:CNY|RMB)(?![A-Za-z])", window):
                return "CNY"
            return cur
    return None


def _period_of(m: re.Match[str]) -> SalaryPeriod | None:
    for name in ("hour", "day", "week", "month", "year"):
        if m.group(name):
            return name
    return None


def _evaluate(text: str, m: re.Match[str], *, strict: bool) -> SalaryRange | None:
    n1_raw, n2_raw = m.group("n1"), m.group("n2")
    start, end = m.start(), m.end()
    # trim trailing whitespace from the match
    while end > start and text[end - 1].isspace():
        end -= 1
    c1, lead, start = _prefix(text, start)
    before = text[max(0, start - 60): start].lower()
    period_m = m.group("period")
    currency_tokens = [c1, m.group("s1"), m.group("c2"), m.group("s2"), m.group("c3")]
    has_currency = any(currency_tokens)
    mult_raw = [m.group("m1"), m.group("m2")]

    # 401(k) / 403(b) plans
    if n1_raw in ("401", "403", "457") and _K401_RE.match(text, m.end("n1")):
        return None
    if n1_raw in ("401", "403", "457") and m.group("m1") and m.group("m1").strip() in "kK":
        return None
    # "5+ years", "40 hours", "20%", "3rd"
    if not period_m:
        last = "2" if n2_raw else "1"
        num_end = max(m.end(f"n{last}"), m.end(f"m{last}"))
        if m.group("plus") and not n2_raw:
            num_end = m.end("plus")
        if _UNIT_AFTER_RE.match(text, num_end):
            return None
    # bare year-like numbers ("2019 - 2021")
    if not has_currency and not any(mult_raw) and _YEAR_LIKE_RE.match(n1_raw.strip()):
        return None
    if (not period_m or not has_currency) and _bad_previous_word(text, start, has_currency):
        return None  # "+1 415…", "(+8/hrs per shift)", "Tel: 020…"
    if not period_m and _AFTER_BAD_RE.match(text[end: end + 40].lower()) is not None:
        return None
    if _not_pay_before(before):
        return None
    if period_m and _AFTER_PERIOD_BAD_RE.match(text, end):
        return None  # "$600,000 annual revenue", "$500 a month in tips"
    if n1_raw == "1099" and not has_currency:
        return None  # the US contractor tax form

    a = _to_number(n1_raw)
    b = _to_number(n2_raw) if n2_raw else None
    if a is None:
        return None
    ma, mb = _multiplier(mult_raw[0]), _multiplier(mult_raw[1])
    a *= ma
    if b is not None:
        b *= mb
        # "60-75k", "£30-35,000": the first number shares the second's magnitude
        if ma == 1.0 and mb > 1.0 and a * mb <= b * 1.5:
            a *= mb
        elif ma == 1.0 and mb == 1.0 and a < 1000 <= b and a * 1000 <= b * 1.5 and b >= 10000:
            a *= 1000
        if b < a:
            a, b = b, a

    period: SalaryPeriod | None = _period_of(m) if period_m else None
    if period is None:
        period = _period_before(before)
    lakh = any(r and r.strip().lower() in ("lakh", "lakhs", "lac", "lacs", "lpa", "crore",
                                           "crores") for r in mult_raw)
    if period is None and lakh:
        period = "year"

    # how sure are we that this is pay at all?
    keyword = bool(_KEYWORD_RE.search(before))
    if strict:
        if not (has_currency or period_m or period or keyword):
            return None
        if not has_currency and not period_m and not keyword:
            return None
    elif not (has_currency or period or any(mult_raw) or keyword or lead):
        # a lone bare number is only a salary when it is plausibly annual
        if (b is None and a < 10000) or (b is not None and b < 10000):
            return None

    currency = _currency(currency_tokens, text[max(0, start - 20): end + 20])
    if currency is None and lakh:
        currency = "INR"

    if period is None:
        if strict and (b if b is not None else a) < 1000 \
                and not (has_currency and _PAY_LABEL_RE.search(before)):
            return None  # "$50 gift card": small amounts need a stated period or a pay label
        period = _guess_period(a, b)
        if period == "hour" and a < 7:
            return None  # "$5": too little to be an unstated hourly rate
    factor = ANNUAL_FACTOR[period]

    # plausibility
    values = [v for v in (a, b) if v is not None]
    if any(v <= 0 for v in values):
        return None
    if period == "hour" and any(v > 20000 for v in values):
        return None
    yearly = [v * factor for v in values]
    if period != "hour" and any(y < 1000 for y in yearly):
        return None
    ceiling = 5e9 if currency in _LARGE_UNIT else 1e7
    if any(y > ceiling for y in yearly):
        return None
    if b is not None and a > 0 and b / a > 20:
        return None

    lo: float | None
    hi: float | None
    if b is not None:
        lo, hi = a * factor, b * factor
    elif (m.group("plus") and not n2_raw) or lead in _MIN_LEADS or lead.startswith("start"):
        lo, hi = a * factor, None
    elif lead in _MAX_LEADS or lead.startswith(("up", "max")):
        lo, hi = None, a * factor
    else:
        lo = hi = a * factor
    raw = text[start:end].strip()
    return SalaryRange(
        min=_round(lo), max=_round(hi), currency=currency, period=period, raw=raw
    )


def _prefix(text: str, start: int) -> tuple[str | None, str, int]:
    """Currency symbol/code and lead words ("up to", "from") just before `start`."""
    currency: str | None = None
    j = start
    if j > 0 and text[j - 1] in " \u00a0":
        j -= 1
    if j > 0 and text[j - 1] in _CUR_LAST_CHARS:
        seg = text[max(0, j - 5): j]
        for sym in _CUR_BY_LEN:
            if seg.endswith(sym):
                k = j - len(sym)
                if sym[0].isalpha() and k > 0 and text[k - 1].isalpha():
                    continue
                currency, start = sym, k
                break
    lead = ""
    seg = text[max(0, start - 25): start]
    words = seg.replace(":", " ").split()
    if seg.rstrip().endswith("~") or (words and words[-1].lower() in _LEAD_LAST_WORDS):
        lm = _LEAD_RE.search(text, max(0, start - 25), start)
        if lm is not None and lm.group("lead"):
            lead = lm.group("lead").strip(" :").lower()
            lead = " ".join(lead.split())
            start = lm.start("lead")
    return currency, lead, start


def _bad_previous_word(text: str, start: int, has_currency: bool) -> bool:
    seg = text[max(0, start - 20): start].rstrip(" :#")
    if seg.endswith("+") or (seg.endswith("(") and not has_currency):
        return True  # "+1 415…", "(415) 555…"
    if seg.endswith("-") and len(seg) > 1 and seg[-2].isdigit():
        return True  # "555-0100"
    words = seg.split()
    return bool(words) and words[-1].lower() in _BAD_PREV_WORDS


def _not_pay_before(before: str) -> bool:
    """A non-pay money word (bonus, insurance, revenue...) in the clause before the amount."""
    tail = before[-40:]
    cut = max(tail.rfind(". "), tail.rfind("\n"), tail.rfind("; "), tail.rfind("•"))
    if cut >= 0:
        tail = tail[cut + 1:]
    hits = list(_NOT_PAY_BEFORE_RE.finditer(tail))
    if not hits:
        return False
    return _PAY_AFTER_BAD_RE.search(tail, hits[-1].end()) is None


def _period_before(before: str) -> SalaryPeriod | None:
    """Period named shortly before the amount in the same sentence ("Hourly rate: $60")."""
    tail = before[-45:]
    cut = max(tail.rfind(". "), tail.rfind("\n"))
    if cut >= 0:
        tail = tail[cut + 1:]
    for phrase, period in _PERIOD_BEFORE:
        if phrase in tail:
            return period
    return None


def _windows(text: str) -> Iterator[tuple[int, int]]:
    """Merged text windows around anchors (currency marks, pay and period words), in order.
    Lazy: the anchor scan stops as soon as the caller has found its salary."""
    n = len(text)
    cur: tuple[int, int] | None = None
    for a in _ANCHOR_RE.finditer(text.lower()):
        lo, hi = max(0, a.start() - 70), min(n, a.end() + 130)
        if cur is not None and lo <= cur[1]:
            cur = (cur[0], max(cur[1], hi))
        else:
            if cur is not None:
                yield cur
            cur = (lo, hi)
    if cur is not None:
        yield cur


def _guess_period(a: float, b: float | None) -> SalaryPeriod:
    """No period stated: small amounts are hourly rates, 1,000-11,999 a month (no yearly salary
    is that low), everything else a year."""
    top = b if b is not None else a
    if top < 300:
        return "hour"
    if 1000 <= a and top < 12000:
        return "month"
    return "year"


def _round(v: float | None) -> float | None:
    return None if v is None else round(v, 2)

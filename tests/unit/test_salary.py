"""Salary parsing: formats, currencies, periods, and ignoring numbers that are not pay."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tools.parsing.salary import annualise, find_salary, parse_salary

K = 1000.0


@pytest.mark.parametrize(
    ("text", "lo", "hi", "currency", "period"),
    [
        ("$150K - $180K", 150 * K, 180 * K, "USD", "year"),
        ("$150,000–$180,000 per year", 150 * K, 180 * K, "USD", "year"),
        ("$150,000.00 - $180,000.00", 150 * K, 180 * K, "USD", "year"),
        ("£45,000 per annum", 45 * K, 45 * K, "GBP", "year"),
        ("£45k pa", 45 * K, 45 * K, "GBP", "year"),
        ("60-75/hr", 60 * 2080, 75 * 2080, None, "hour"),
        ("$60 - $75 an hour", 60 * 2080, 75 * 2080, "USD", "hour"),
        ("$45/hour", 45 * 2080, 45 * 2080, "USD", "hour"),
        ("$25.50/hr", 25.5 * 2080, 25.5 * 2080, "USD", "hour"),
        ("€25,50 pro Stunde", 25.5 * 2080, 25.5 * 2080, "EUR", "hour"),
        ("up to 90k", None, 90 * K, None, "year"),
        ("Up to £60,000", None, 60 * K, "GBP", "year"),
        ("€55k–65k", 55 * K, 65 * K, "EUR", "year"),
        ("€55k–65k a year", 55 * K, 65 * K, "EUR", "year"),
        ("EUR 55.000 - 65.000", 55 * K, 65 * K, "EUR", "year"),
        ("55.000 - 65.000 EUR brutto/Jahr", 55 * K, 65 * K, "EUR", "year"),
        ("55 000 € par an", 55 * K, 55 * K, "EUR", "year"),
        ("USD 120,000", 120 * K, 120 * K, "USD", "year"),
        ("US$ 100,000", 100 * K, 100 * K, "USD", "year"),
        ("100k+", 100 * K, None, None, "year"),
        ("$150,000+", 150 * K, None, "USD", "year"),
        ("from £30k", 30 * K, None, "GBP", "year"),
        ("starting at $70,000", 70 * K, None, "USD", "year"),
        ("at least $80k", 80 * K, None, "USD", "year"),
        ("$8,000/month", 96 * K, 96 * K, "USD", "month"),
        ("£2,500 pcm", 30 * K, 30 * K, "GBP", "month"),
        ("$500 per day", 130 * K, 130 * K, "USD", "day"),
        ("£550/day", 550 * 260, 550 * 260, "GBP", "day"),
        ("$2,000 a week", 104 * K, 104 * K, "USD", "week"),
        ("$150-180K", 150 * K, 180 * K, "USD", "year"),
        ("£30-35,000", 30 * K, 35 * K, "GBP", "year"),
        ("60-75k", 60 * K, 75 * K, None, "year"),
        ("between $100k and $120k", 100 * K, 120 * K, "USD", "year"),
        ("$100k to $120k", 100 * K, 120 * K, "USD", "year"),
        ("CAD 90,000 - 110,000", 90 * K, 110 * K, "CAD", "year"),
        ("$90,000 CAD", 90 * K, 90 * K, "CAD", "year"),
        ("C$85k", 85 * K, 85 * K, "CAD", "year"),
        ("A$120k pa", 120 * K, 120 * K, "AUD", "year"),
        ("AUD 130,000", 130 * K, 130 * K, "AUD", "year"),
        ("CHF 120'000", 120 * K, 120 * K, "CHF", "year"),
        ("₹12-15 LPA", 1.2e6, 1.5e6, "INR", "year"),
        ("12,00,000 INR", 1.2e6, 1.2e6, "INR", "year"),
        ("¥6,000,000", 6e6, 6e6, "JPY", "year"),
        ("120000", 120 * K, 120 * K, None, "year"),
        ("$120k base salary", 120 * K, 120 * K, "USD", "year"),
        ("$180K - $150K", 150 * K, 180 * K, "USD", "year"),
        ("~$90k", 90 * K, 90 * K, "USD", "year"),
        ("$1.5M", 1.5e6, 1.5e6, "USD", "year"),
        ("$60-$75", 60 * 2080, 75 * 2080, "USD", "hour"),
        ("Hourly rate: $60 - 75", 60 * 2080, 75 * 2080, "USD", "hour"),
        ("Salary: 85,000 - 95,000", 85 * K, 95 * K, None, "year"),
        ("SEK 45 000 per month", 540 * K, 540 * K, "SEK", "month"),
    ],
)
def test_parse_salary_formats(text, lo, hi, currency, period) -> None:
    r = parse_salary(text)
    assert r is not None, text
    assert r.min == (None if lo is None else pytest.approx(lo))
    assert r.max == (None if hi is None else pytest.approx(hi))
    assert r.currency == currency
    assert r.period == period
    assert r.raw and r.raw in text


@pytest.mark.parametrize(
    "text",
    [
        "", "competitive", "Competitive salary + benefits", "401(k)", "401k match",
        "403(b) plan", "5+ years", "3-5 years", "20%", "2019 - 2021", "2024", "60 - 75",
        "DOE", "$5", "40 hours per week", "Level 3", "no numbers here at all",
    ],
)
def test_parse_salary_none(text: str) -> None:
    assert parse_salary(text) is None


def test_raw_is_matched_text() -> None:
    r = parse_salary("Pay: $150K - $180K per year, plus equity")
    assert r is not None
    assert r.raw == "$150K - $180K per year"


def test_annualise() -> None:
    assert annualise(50, "hour") == 104000
    assert annualise(400, "day") == 104000
    assert annualise(2000, "week") == 104000
    assert annualise(8000, "month") == 96000
    assert annualise(90000, "year") == 90000


# --------------------------------------------------------------------------- find_salary


@pytest.mark.parametrize(
    ("text", "lo", "hi", "currency"),
    [
        (
            "Founded in 2015, we have 250 employees. Call +1 415 555 0100. "
            "Salary: $120,000 - $140,000 per year. 401(k) matching 4%.",
            120 * K, 140 * K, "USD",
        ),
        ("We raised $50M in Series B. Compensation: $150k-$180k + equity.", 150 * K, 180 * K,
         "USD"),
        ("Benefits: $5,000 learning budget, 401k. Base pay $130,000.", 130 * K, 130 * K, "USD"),
        ("Remote in US. $10k signing bonus. Salary $120k.", 120 * K, 120 * K, "USD"),
        ("Phone: (415) 555-0100. Office at 123 Main St, Suite 400. Salary $95,000", 95 * K,
         95 * K, "USD"),
        ("We have 1,200 employees in 14 offices. Pay: £45,000 - £55,000 per annum.", 45 * K,
         55 * K, "GBP"),
        ("Salary 45-55k depending on experience", 45 * K, 55 * K, None),
        ("Apply by 10.05.2024. Gehalt: 55.000 - 65.000 EUR brutto/Jahr", 55 * K, 65 * K, "EUR"),
        ("The salary range for this role is $140,000 to $160,000 USD annually.", 140 * K,
         160 * K, "USD"),
        ("You will earn up to 90k plus bonus.", None, 90 * K, None),
        ("Requirements: 5+ years. Pay: 60-75/hr. 20% bonus.", 60 * 2080, 75 * 2080, None),
    ],
)
def test_find_salary_in_text(text, lo, hi, currency) -> None:
    r = find_salary(text)
    assert r is not None
    assert r.min == (None if lo is None else pytest.approx(lo))
    assert r.max == (None if hi is None else pytest.approx(hi))
    assert r.currency == currency
    assert r.raw in text


@pytest.mark.parametrize(
    "text",
    [
        "Serving 100k+ users across 30 countries.",
        "2019 - 2021 Engineer at Acme, 5+ years of Python",
        "$50 gift card for interviewing",
        "Salary: competitive. 401(k). 5+ years experience.",
        "Call us on +44 20 7946 0958 or (415) 555-0100.",
        "We are growing 30% year over year with 250 employees.",
        "We raised $50M in our Series B round.",
        "Work 40 hours per week, 25 days of holiday.",
        "Up to 10,000 requests per second on 3 continents.",
    ],
)
def test_find_salary_ignores_other_numbers(text: str) -> None:
    assert find_salary(text) is None


def test_find_salary_spans_ranges_by_place() -> None:
    text = "Salary: $100k-$110k in NYC; $90k-$100k in Austin."
    r = find_salary(text)
    assert r is not None and (r.min, r.max) == (90 * K, 110 * K)
    assert r.raw == "$100k-$110k in NYC; $90k-$100k"


@pytest.mark.parametrize(
    ("text", "lo", "hi"),
    [
        # two ranges by level: the posting pays across both
        ("Junior analysts start at $41,000-45,000 a year, while analysts with a licence "
         "can expect $47,000-52,000+ a year.", 41 * K, 52 * K),
        # the offer's range and the band the role can grow into
        ("This role pays $70,000 - $78,000/year.\nThe full band for this grade is "
         "$70,000/year - $96,000/year.", 70 * K, 96 * K),
        # the same range repeated
        ("Pay: $22-26/hour. ... Job Type: Full-time. Pay: $22.00 - $26.00 per hour", 22 * 2080,
         26 * 2080),
        # on-target earnings, commission and bonus figures are not a second base range
        ("Base salary $60,000 - $70,000 per year. OTE $95,000 - $110,000 per year.", 60 * K,
         70 * K),
        ("Salary $60,000 - $70,000 per year, with commission up to $120,000 per year.", 60 * K,
         70 * K),
        # another period is another kind of pay (hourly and yearly): the first one stays
        ("Pay: $40,000 - $44,000 per year for the day centre, $21-23 an hour for relief "
         "shifts.", 40 * K, 44 * K),
        # an order of magnitude apart: not the same pay
        ("Salary: $50,000 - $55,000 per year. Top sellers earn $400,000 per year.", 50 * K,
         55 * K),
        # OTE written after the second range
        ("£40,000 - £45,000 + car + (£47k - £52k) OTE", 40 * K, 45 * K),
        # a later single figure is not a range for another level
        ("Analyst, remote, to £60k. Salary to £45k depending on experience", 60 * K, 60 * K),
        # an open end is closed by a later range
        ("Pay starts at $21/hr. Pay: $21-24/hr", 21 * 2080, 24 * 2080),
    ],
)
def test_find_salary_widens_over_ranges_of_the_same_pay(text: str, lo: float, hi: float) -> None:
    r = find_salary(text)
    assert r is not None and (r.min, r.max) == (lo, hi)
    assert r.raw in text


# --------------------------------------------------------------------------- robustness


@settings(max_examples=400, deadline=None)
@given(st.text())
def test_never_crashes_on_arbitrary_text(text: str) -> None:
    for fn in (parse_salary, find_salary):
        r = fn(text)
        if r is not None:
            assert r.raw in text
            assert r.min is not None or r.max is not None
            if r.min is not None and r.max is not None:
                assert r.min <= r.max


_salaryish = st.lists(
    st.sampled_from(
        ["$", "£", "€", "USD", "k", "K", "-", "–", " to ", "/hr", " per year", "120", "1,000",
         "55.000", "+", "up to ", "from ", " ", "401(k)", "years", "%", "2020", "salary: "]
    ),
    max_size=12,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(_salaryish)
def test_never_crashes_on_salaryish_text(text: str) -> None:
    for fn in (parse_salary, find_salary):
        r = fn(text)
        if r is not None:
            assert r.raw in text
            values = [v for v in (r.min, r.max) if v is not None]
            assert values and all(v > 0 for v in values)


# --------------------------------------------------------------------------- posting forms


@pytest.mark.parametrize(
    ("text", "lo", "hi", "period"),
    [
        ("Job Type: Part-time\nPay: $16-19/hour\nSchedule: weekends", 16 * 2080, 19 * 2080,
         "hour"),
        ("Pay: $41,000.00 - $47,500.00 per year", 41 * K, 47.5 * K, "year"),
        ("Salary band $105K–$132K, depending on level", 105 * K, 132 * K, "year"),
        ("The base salary range is $88,000 to $101,000.", 88 * K, 101 * K, "year"),
        ("Offer: USD 98,000 - 117,000 annually", 98 * K, 117 * K, "year"),
        ("Salary range:\n$71,000 -\n$83,000\nApply now", 71 * K, 83 * K, "year"),
        ("Starting wage $21 per hour for new team members", 21 * 2080, 21 * 2080, "hour"),
        ("Compensation: up to $58,000 per year", None, 58 * K, "year"),
        # a period word glued to the next line ("/hrPerks", "hourShifts")
        ("Wage: $19.75/hrPerks: free lunch", 19.75 * 2080, 19.75 * 2080, "hour"),
        ("Rate: $31 per hourShifts: nights", 31 * 2080, 31 * 2080, "hour"),
        # the period after each end of the range
        ("Pay band\n$92,000.00/yr - $118,000.00/yr", 92 * K, 118 * K, "year"),
        ("Rate: $48/Hr to $53/Hr on W2", 48 * 2080, 53 * 2080, "hour"),
        # no period, too little for a year: a month
        ("Stipend: interns receive a salary of $3,600", 3.6 * K * 12, 3.6 * K * 12, "month"),
    ],
)
def test_find_salary_posting_forms(
    text: str, lo: float | None, hi: float | None, period: str
) -> None:
    r = find_salary(text)
    assert r is not None
    assert (r.min, r.max, r.period) == (lo, hi, period)


@pytest.mark.parametrize(
    ("text", "lo"),
    [
        # bonus / sign-on / 401(k) / insurance figures before the pay are skipped
        ("Sign-on bonus: $2,500. Pay: $24 per hour", 24 * 2080),
        ("We add a $4,000 signing bonus and a base salary of $66,000 per year", 66 * K),
        ("401(k) with 5% match; compensation $28/hr", 28 * 2080),
        ("Life insurance up to $75,000 is included. Salary: $59,000 per year", 59 * K),
        ("Our region did $900,000 annual revenue last year. Salary: $52,000", 52 * K),
        ("Leads can make $300-$800 a month in tips. Base: $17/hour", 17 * 2080),
    ],
)
def test_find_salary_skips_money_that_is_not_pay(text: str, lo: float) -> None:
    r = find_salary(text)
    assert r is not None and r.min == lo


@pytest.mark.parametrize(
    "text",
    [
        "A referral bonus of $750 for every hire",
        "Group life insurance up to $40,000",
        "Branch targets: revenue of $450,000 or more annual revenue",
        "Income is paid on a 1099 / commission basis",
        "Approve purchases over $150 and file receipts",
        "Overtime (+6/hrs/shift; 45/hr/wk) when needed",
        "Weekend shift differential +$3/hr",
        "Free access to 5000+ courses paid by us",
    ],
)
def test_find_salary_none_for_money_that_is_not_pay(text: str) -> None:
    assert find_salary(text) is None


@pytest.mark.parametrize(
    ("text", "lo", "hi"),
    [
        # a capitalised label right after the amount is not a unit ("$X Shift:", "Positions:")
        ("Job Type: Full-Time Salary Range: $91,000-$104,000 Shift: Days", 91 * K, 104 * K),
        ("Salary: $80,000 Positions: 2", 80 * K, 80 * K),
    ],
)
def test_find_salary_label_after_amount(text: str, lo: float, hi: float) -> None:
    r = find_salary(text)
    assert r is not None and (r.min, r.max) == (lo, hi)


@pytest.mark.parametrize(
    ("text", "lo", "hi"),
    [
        # a real LinkedIn posting (platform: $50,000 - $80,000 a year)
        ("Base salary starting at $49,920 with uncapped commissions and on-target earnings "
         "(OTE) of $80,000+.High-Performance Sales Environment", 49920.0, 80000.0),
        ("Salary from $60k, OTE $90k", 60000.0, 90000.0),
        ("Salary: $60k-$70k, OTE $90k", 60000.0, 70000.0),  # a closed range keeps its max
        ("Salary from $60k. OTE $90k", 60000.0, None),  # another sentence: not read
        ("Salary from $60k, OTE $900k", 60000.0, None),  # implausible: more than 4x the base
        ("Pay from $20/hour, OTE $90k a year", 41600.0, None),  # different periods
    ],
)
def test_find_salary_open_base_takes_ote_as_max(text: str, lo: float, hi: float | None) -> None:
    s = find_salary(text)
    assert s is not None and (s.min, s.max) == (lo, hi)


@pytest.mark.parametrize(
    ("text", "lo", "hi"),
    [
        # a pay label makes a small amount with no period an hourly rate
        ("Reports to: Plant Manager Pay rate: $23 - $26Schedule: days", 23 * 2080, 26 * 2080),
        ("Hourly wage of $18 for all shifts", 18 * 2080, 18 * 2080),
        ("Compensation: $31", 31 * 2080, 31 * 2080),
    ],
)
def test_find_salary_small_amount_after_a_pay_label(text: str, lo: float, hi: float) -> None:
    r = find_salary(text)
    assert r is not None and (r.min, r.max, r.period) == (lo, hi, "hour")


@pytest.mark.parametrize(
    "text",
    [
        "The rate is 60 EUR for each recorded session.",
        "We pay $40 for parking near the office.",
        "Weekly coaching at no charge to you (a value that could cost up to $9,000 a year).",
        "A record of fundraising $250,000+ for community programmes.",
        "Dental plan with up to $1,500 employer-paid reimbursement each year",
    ],
)
def test_find_salary_none_for_small_or_non_pay_amounts(text: str) -> None:
    assert find_salary(text) is None

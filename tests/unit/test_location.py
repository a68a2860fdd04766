"""Location parsing against the gazetteer, work mode detection, location similarity."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tools.parsing.location import (
    country_name,
    find_location,
    in_area,
    location_similarity,
    parse_location,
)
from tools.parsing.work_mode import detect_work_mode
from tools.schemas import Location


@pytest.mark.parametrize(
    ("text", "city", "region", "country", "remote"),
    [
        ("Berlin, Germany", "Berlin", "BE", "DE", False),
        ("Berlin Germany", "Berlin", "BE", "DE", False),
        ("Berlin, DE", "Berlin", "BE", "DE", False),
        ("San Francisco, CA", "San Francisco", "CA", "US", False),
        ("New York, NY 10001", "New York", "NY", "US", False),
        ("New York", "New York", "NY", "US", False),
        ("NYC", "New York", "NY", "US", False),
        ("London, UK", "London", "ENG", "GB", False),
        ("London, United Kingdom", "London", "ENG", "GB", False),
        ("London, England", "London", "ENG", "GB", False),
        ("London (Hybrid)", "London", "ENG", "GB", False),
        ("EC1A 1BB London", "London", "ENG", "GB", False),
        ("London, ON", "London", "ON", "CA", False),
        ("Remote - US", None, None, "US", True),
        ("Remote, United States", None, None, "US", True),
        ("Remote in Canada", None, None, "CA", True),
        ("Remote (US or Canada)", None, None, "US", True),
        ("Remote (EU)", None, "EU", None, True),
        ("Remote, APAC", None, "APAC", None, True),
        ("Anywhere", None, None, None, True),
        ("Remote", None, None, None, True),
        ("Toronto, ON, Canada", "Toronto", "ON", "CA", False),
        ("München", "Munich", "BY", "DE", False),
        ("Muenchen, Deutschland", "Munich", "BY", "DE", False),
        ("Zürich, Switzerland", "Zurich", "ZH", "CH", False),
        ("Köln", "Cologne", "NW", "DE", False),
        ("Hybrid - Munich, Germany", "Munich", "BY", "DE", False),
        ("Madrid, Spain (On-site)", "Madrid", "MD", "ES", False),
        ("Cambridge, MA", "Cambridge", "MA", "US", False),
        ("Cambridge, UK", "Cambridge", "ENG", "GB", False),
        ("Portland, ME", "Portland", "ME", "US", False),
        ("Austin, Texas", "Austin", "TX", "US", False),
        ("Atlanta, Georgia", "Atlanta", "GA", "US", False),
        ("Washington, DC", "Washington", "DC", "US", False),
        ("Springfield, IL", "Springfield", "IL", "US", False),
        ("Paris, TX", "Paris", "TX", "US", False),
        ("Vancouver, WA", "Vancouver", "WA", "US", False),
        ("Vancouver, BC", "Vancouver", "BC", "CA", False),
        ("Sydney NSW 2000", "Sydney", "NSW", "AU", False),
        ("Bangalore, Karnataka, India", "Bangalore", "KA", "IN", False),
        ("Bengaluru", "Bangalore", "KA", "IN", False),
        ("Dublin 2, Ireland", "Dublin", None, "IE", False),
        ("Singapore", "Singapore", None, "SG", False),
        ("Germany", None, None, "DE", False),
        ("USA", None, None, "US", False),
        ("São Paulo, Brazil", "São Paulo", "SP", "BR", False),
        ("Tel Aviv, Israel", "Tel Aviv", None, "IL", False),
        ("Mexico City, Mexico", "Mexico City", "CMX", "MX", False),
        ("Hybrid in Berlin or Munich", "Berlin", "BE", "DE", False),
    ],
)
def test_parse_location(text, city, region, country, remote) -> None:
    loc = parse_location(text)
    assert loc is not None
    assert (loc.city, loc.region, loc.country, loc.remote) == (city, region, country, remote)
    assert loc.raw == text


@pytest.mark.parametrize("text", ["", "   ", "Flexible", "TBD", "12345"])
def test_parse_location_unknown(text: str) -> None:
    assert parse_location(text) is None


def test_gazetteer_is_reasonable() -> None:
    data = json.loads(
        (Path(__file__).parents[2] / "tools" / "data" / "locations.json").read_text("utf-8")
    )
    assert len(data["cities"]) >= 300
    assert len(data["regions"]["US"]) == 51  # 50 states + DC
    assert len(data["regions"]["CA"]) == 13
    for name, region, cc, aliases in data["cities"]:
        assert cc in data["countries"], name
        assert region is None or region in data["regions"][cc], name
        assert isinstance(aliases, list)


def test_helpers() -> None:
    assert in_area("DE", "EU") and not in_area("GB", "EU") and in_area("GB", "EUROPE")
    assert not in_area(None, "EU") and not in_area("DE", None)
    assert country_name("de") == "Germany" and country_name(None) is None


# --------------------------------------------------------------------------- similarity


def L(**kw) -> Location:  # noqa: N802 - tiny factory
    return Location(**kw)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (L(city="Berlin", region="BE", country="DE"), L(city="berlin", country="DE"), 1.0),
        (L(city="Berlin"), L(city="Berlin", region="BE", country="DE"), 1.0),
        (L(city="San Jose", region="CA", country="US"), L(city="San Francisco", region="CA",
                                                          country="US"), 0.7),
        (L(city="Austin", region="TX", country="US"), L(city="Seattle", region="WA",
                                                       country="US"), 0.4),
        (L(country="US"), L(city="Austin", region="TX", country="US"), 0.4),
        (L(city="Portland", region="OR", country="US"), L(city="Portland", region="ME",
                                                          country="US"), 0.4),
        (L(city="London", country="GB"), L(city="London", country="CA"), 0.0),
        (L(city="Berlin", country="DE"), L(city="Paris", country="FR"), 0.0),
        (L(), L(city="Berlin", country="DE"), 0.0),
        (L(region="EU", remote=True), L(city="Berlin", country="DE"), 0.4),
        (L(region="EU", remote=True), L(city="London", country="GB"), 0.0),
    ],
)
def test_location_similarity(a: Location, b: Location, expected: float) -> None:
    assert location_similarity(a, b) == expected
    assert location_similarity(b, a) == expected


def test_similarity_with_parsed_locations() -> None:
    a = parse_location("München, Deutschland")
    b = parse_location("Munich, Germany")
    assert a is not None and b is not None
    assert location_similarity(a, b) == 1.0


# --------------------------------------------------------------------------- robustness


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=300))
def test_never_crashes(text: str) -> None:
    loc = parse_location(text)
    if loc is not None:
        assert loc.country is None or (len(loc.country) == 2 and loc.country.isupper())
        assert 0.0 <= location_similarity(loc, loc) <= 1.0
    assert detect_work_mode(text) in (None, "remote", "hybrid", "onsite")


_placeish = st.lists(
    st.sampled_from(["Berlin", "London", ",", " ", "CA", "ON", "UK", "Remote", "(", ")", "-",
                     "Hybrid", "US", "Canada", "10001", "NY", "EU", "or", "München", "/"]),
    max_size=8,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(_placeish, _placeish)
def test_never_crashes_on_place_like_text(a: str, b: str) -> None:
    la, lb = parse_location(a), parse_location(b)
    if la is not None and lb is not None:
        s = location_similarity(la, lb)
        assert s in (0.0, 0.4, 0.7, 1.0)
        assert s == location_similarity(lb, la)


@pytest.mark.parametrize(
    ("text", "city", "region", "country"),
    [
        # two-word towns the gazetteer does not list keep their name
        ("Maple Falls, WA", "Maple Falls", "WA", "US"),
        ("North Harbour, New South Wales, Australia", "North Harbour", "NSW", "AU"),
        # state codes that spell a word or another place
        ("Gary, IN", "Gary", "IN", "US"),
        ("Cotton Grove, LA", "Cotton Grove", "LA", "US"),
        ("Pine Hill, CA", "Pine Hill", "CA", "US"),
        ("Cedar Bend, AR", "Cedar Bend", "AR", "US"),
        # metro-area wording
        ("Greater Philadelphia", "Philadelphia", "PA", "US"),
        ("Columbia, South Carolina Metropolitan Area", "Columbia", "SC", "US"),
    ],
)
def test_parse_location_us_towns_and_areas(
    text: str, city: str, region: str, country: str
) -> None:
    loc = parse_location(text)
    assert loc is not None
    assert (loc.city, loc.region, loc.country) == (city, region, country)


@pytest.mark.parametrize(
    ("text", "city", "region"),
    [
        ("Pay: $21/hr, DOELocation: Boise, ID\nDuties: inventory", "Boise", "ID"),
        ("Our studio is located in Provo, UT. We value craft.", "Provo", "UT"),
        ("This role is based out of our office in Duluth, MN.", "Duluth", "MN"),
        ("You will be based at our Denver office.", "Denver", "CO"),
        ("Work Location:Camden, NJ\nSchedule: days", "Camden", "NJ"),
        ("Location (Preferred): Seattle\nAbout us", "Seattle", "WA"),
    ],
)
def test_find_location_statements(text: str, city: str, region: str) -> None:
    loc = find_location(text)
    assert loc is not None and (loc.city, loc.region) == (city, region)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "We are located in the heart of the city",
        "Relocation: Denver, CO is possible",
        "Clients across Southern California",
        "Location: 12 W Elm Street, Springfield, IL",
        "Location: Remote",
    ],
)
def test_find_location_none(text: str) -> None:
    assert find_location(text) is None


@pytest.mark.parametrize(
    "text, city, country",
    [
        ("Dar es Salaam, Tanzania", "Dar es Salaam", "TZ"),
        ("Addis Ababa, Ethiopia", "Addis Ababa", "ET"),
        ("Almaty, Kazakhstan", "Almaty", "KZ"),
        ("Tbilisi, Georgia", "Tbilisi", "GE"),
        ("Panama City, Panama", "Panama City", "PA"),
        ("Kigali", "Kigali", "RW"),
    ],
)
def test_generated_gazetteer_knows_the_world(text: str, city: str, country: str) -> None:
    loc = parse_location(text)
    assert loc is not None and (loc.city, loc.country) == (city, country)


def test_a_state_that_shares_a_country_name_stays_a_state() -> None:
    loc = parse_location("Atlanta, Georgia")
    assert loc is not None and (loc.city, loc.region, loc.country) == ("Atlanta", "GA", "US")


@pytest.mark.parametrize("word", ["Mobile", "Split", "Enterprise", "Hub"])
def test_ordinary_words_are_not_taken_for_small_cities(word: str) -> None:
    # "Mobile" (Alabama), "Split" (Croatia), "Enterprise" (Alabama) are left out of the gazetteer
    loc = parse_location(word)
    assert loc is None or loc.city is None or loc.country is None


@pytest.mark.parametrize(
    "text, city, region, country",
    [
        ("Georgia, United States", None, "GA", "US"),
        ("Ontario, Canada", None, "ON", "CA"),
        ("South Jordan, UT", "South Jordan", "UT", "US"),
        ("St-Jean-Sur-Richelieu, Quebec, Canada", "St-Jean-Sur-Richelieu", "QC", "CA"),
    ],
)
def test_region_names_are_not_taken_for_namesakes(
    text: str, city: str | None, region: str, country: str
) -> None:
    loc = parse_location(text)
    assert loc is not None and (loc.city, loc.region, loc.country) == (city, region, country)

"""Title → occupation normalisation (tools.occupations) on the bundled ESCO/O*NET model."""

from __future__ import annotations

import re

import pytest

from tools.occupation_titles import split_seniority, stem
from tools.occupations import (
    OccupationMatch,
    load_model,
    match_occupations,
    occupation_key_titles,
    occupation_similarity,
    occupation_weights,
)


def titles(text: str, k: int = 3) -> list[str]:
    return [m.title.lower() for m in match_occupations(text, top=k)]


def sim(a: str, b: str) -> float:
    return occupation_similarity(occupation_weights(a), occupation_weights(b))


def test_model_is_complete() -> None:
    # Load time is a benchmark figure (tests/bench/melo_eval.py), not a pass/fail test.
    load_model.cache_clear()
    model = load_model()
    assert len(model.concepts) > 3600  # ESCO occupations + ISCO groups
    assert sum(1 for c in model.concepts if c.onet) > 500  # linked O*NET codes


@pytest.mark.parametrize("text", ["RN", "registered nurse", "Registered Nurse - ICU (Nights) - "
                                  "$5k sign-on bonus", "Staff Nurse", "nurses"])
def test_nursing_titles_give_a_nursing_occupation(text: str) -> None:
    best = match_occupations(text, top=1)
    assert best, text
    assert "nurs" in best[0].title.lower()
    assert best[0].esco_uri.startswith("http://data.europa.eu/esco/")
    assert 0.0 < best[0].score <= 1.0


def test_registered_nurse_links_to_the_onet_registered_nurses_code() -> None:
    socs = [m.onet_soc for m in match_occupations("registered nurse", top=5)]
    assert "29-1141.00" in socs


def test_cv_headline_and_seniority() -> None:
    assert split_seniority("Senior Java Developer | Spring, AWS") == ("java developer",
                                                                      ("senior",))
    assert split_seniority("Jr. Accountant (m/f/d)") == ("accountant", ("junior",))
    core, sen = split_seniority("Head of Sales, EMEA")
    assert core.startswith("sales manager") and sen == ("head",)
    best = titles("Senior Java Developer | Spring, AWS")
    assert any("developer" in t for t in best)
    # seniority does not change the occupation
    assert match_occupations("Senior Accountant") == match_occupations("accountant")


def test_examples_of_common_titles() -> None:
    assert "accountant" in titles("Accountant")
    assert any("software" in t for t in titles("Sr. Software Engineer"))
    assert any("chief executive" in t for t in titles("CEO"))
    assert any("truck" in t or "lorry" in t for t in titles("Truck Driver"))
    assert any("software" in t for t in titles("Sofware Enginer"))  # typos


def test_similarity_same_related_unrelated() -> None:
    assert sim("Sr. Software Engineer", "software developer") >= 0.5
    assert sim("registered nurse", "RN") == pytest.approx(1.0)
    assert sim("Accountant", "accountant") == pytest.approx(1.0)
    assert sim("nurse", "accountant") < 0.05
    assert sim("truck driver", "software developer") < 0.05
    assert 0.0 <= sim("nurse", "midwife") <= 1.0


def test_weights_are_small_normalised_and_sorted() -> None:
    w = occupation_weights("Registered Nurse")
    assert 0 < len(w) <= 30
    assert sum(v * v for v in w.values()) == pytest.approx(1.0, abs=1e-4)
    assert all(k.startswith(("esco:", "isco:")) for k in w)
    assert list(w.values()) == sorted(w.values(), reverse=True)
    assert any("nurse" in t for t in occupation_key_titles(w))
    # a returned dict is a copy: mutating it does not poison the cache
    w["esco:x"] = 5.0
    assert "esco:x" not in occupation_weights("Registered Nurse")


def test_deterministic() -> None:
    a = match_occupations("Data Scientist", top=10)
    load_model.cache_clear()
    from tools import occupations

    occupations._ranked.cache_clear()
    occupations._weights.cache_clear()
    b = match_occupations("Data Scientist", top=10)
    assert a == b
    assert [m.score for m in a] == sorted((m.score for m in a), reverse=True)
    assert all(isinstance(m, OccupationMatch) for m in a)


@pytest.mark.parametrize("text", ["", "   ", "|||", "---", "!!!", "\x00\x01", "a" * 10_000,
                                  "Senior", "the of and", "🙂🙂", "<script>alert(1)</script>",
                                  "SELECT * FROM users;"])
def test_empty_and_hostile_input(text: str) -> None:
    matches = match_occupations(text)
    weights = occupation_weights(text)
    assert isinstance(matches, list) and isinstance(weights, dict)
    if not text.strip() or text in ("Senior", "the of and", "|||", "---", "!!!"):
        assert matches == [] and weights == {}


def test_non_string_and_bad_top() -> None:
    assert match_occupations(None) == []  # type: ignore[arg-type]
    assert occupation_weights(42) == {}  # type: ignore[arg-type]
    assert match_occupations("nurse", top=0) == []
    assert len(match_occupations("nurse", top=3)) <= 3
    assert occupation_similarity({}, occupation_weights("nurse")) == 0.0


def test_stemmer() -> None:
    assert stem("nurses") == stem("nurse") == stem("nursing")
    assert stem("salesmen") == "salesman"
    assert stem("secretaries") == "secretary"


# --------------------------------------------------------------------------- real titles


def isco(text: str) -> str:
    best = match_occupations(text, top=1)
    assert best, text
    model = load_model()
    return next(c.isco for c in model.concepts if c.uri == best[0].esco_uri)[:4]


@pytest.mark.parametrize(("text", "groups"), [
    ("Senior Python Engineer", {"2512", "2514"}),
    ("Java Engineer", {"2512", "2514"}),
    ("Golang Engineer", {"2512", "2514"}),
    ("React Engineer", {"2513", "2512"}),
    ("iOS Engineer", {"2514"}),
    ("Kubernetes Engineer", {"2512", "2522", "2529"}),
    ("Data Engineer", {"2511", "2521", "2512"}),
    ("SQL Developer", {"2521"}),
    ("Oracle DBA", {"2521"}),
    ("Python Developer", {"2512", "2514"}),
    ("Sr. Java Developer | Spring, AWS", {"2512", "2514"}),
    ("Java QA Engineer", {"2519"}),
    ("Python Data Engineer", {"2511", "2521"}),
    ("Product Manager", {"1223", "1213", "1219", "2421", "2431"}),
    ("Teacher", {"2330", "2341", "2320"}),
    ("Sales Associate", {"5223"}),
    ("Warehouse Associate", {"9333", "4321"}),
    ("Help Desk Analyst", {"3512"}),
    ("IT Support Specialist", {"3512"}),
    ("Staff Accountant", {"2411"}),
    ("RN - ICU nights", {"2221"}),
    ("Barista", {"5132"}),
])
def test_real_titles_land_in_the_right_isco_group(text: str, groups: set[str]) -> None:
    assert isco(text) in groups


@pytest.mark.parametrize("text", ["Mechanical Engineer", "Civil Engineer", "AutoCAD Engineer",
                                  "Chemical Engineer"])
def test_non_software_engineers_stay_engineers(text: str) -> None:
    assert isco(text).startswith("21")  # not turned into ICT by the technology rule


def test_exact_preferred_label_beats_a_shared_head_word() -> None:
    best = match_occupations("Data Engineer", top=2)
    assert best[0].title == "data engineer"
    assert best[0].score > best[1].score


def test_real_title_similarity_ranges() -> None:
    assert sim("Senior Python Engineer", "Python Developer") >= 0.7
    assert sim("Java Engineer", "Java Developer") >= 0.7
    assert sim("Sales Associate", "Retail Sales Associate") >= 0.7
    assert 0.3 <= sim("Data Scientist", "Data Analyst") <= 0.7
    assert sim("Data Engineer", "Mechanical Engineer") <= 0.1
    assert sim("Java Engineer", "Civil Engineer") <= 0.1
    assert sim("Teacher", "Truck Driver") <= 0.1


def test_alias_file_codes_resolve_and_matches_carry_onet_codes() -> None:
    from tools.occupation_pins import read_aliases

    model = load_model()
    aliases, onet = read_aliases()
    assert len(aliases) > 50
    assert all(code in model.by_code for code in [*aliases.values(), *onet])
    assert all(re.fullmatch(r"\d{2}-\d{4}\.\d{2}", soc) for soc in onet.values())
    best = match_occupations("Sales Associate", top=1)[0]
    assert best.onet_soc is not None and best.onet_soc.startswith("41-")
    linked = sum(1 for c in model.concepts if c.onet)
    assert linked > 2000  # concepts without their own O*NET code get their nearest linked one


def test_model_without_pins_ranks_by_labels_only() -> None:
    from tools.occupations import OccupationModel, read_data

    plain = OccupationModel(read_data(), pins=False)
    assert plain.pinned("python engineer") is None and plain.pinned("data engineer") is None
    assert plain.ranked("python engineer", 3)  # still ranks by labels
    assert load_model().pinned("python engineer") is not None

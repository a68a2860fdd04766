"""The SkillSpan tagger (tools/span_tagger.py) and the posting knowledge it yields
(tools/knowledge.py), with the shipped model."""

from __future__ import annotations

from typing import Any

import pytest

from tools import knowledge, span_gate, span_tagger
from tools.knowledge import extract_knowledge, in_list_item
from tools.parsing.job import parse_job
from tools.parsing.keywords import extract_keywords
from tools.skills import category_of, extract_skills, match_names


def _names(text: str) -> list[str]:
    return [m.name for m in extract_knowledge(text).mentions]


def test_terms_outside_the_taxonomy_index_the_text() -> None:
    text = "You have experience with predictive processing and music cognition."
    k = extract_knowledge(text)
    assert k.mentions == ()
    assert [t.text for t in k.terms] == ["predictive processing", "music cognition"]
    for t in k.terms:
        assert text[t.start : t.end] == t.text


def test_a_role_name_in_a_title_is_dropped_but_kept_in_a_list_item() -> None:
    title = "Senior Frontend Developer\nWe build web apps."
    assert [m.name for m in extract_skills(title, fuzzy=False, role_names=True)] == [
        "Frontend development"
    ]
    assert _names(title) == []  # SkillSpan does not read a job title as knowledge
    assert _names("- Frontend development with React") == ["Frontend development", "React"]


def test_soft_skills_are_not_judged_by_the_knowledge_tagger() -> None:
    assert _names("Excellent communication skills and teamwork.") == [
        "Communication", "Teamwork"
    ]


def test_every_mention_reads_its_own_text_and_calls_agree() -> None:
    text = (
        "Backend Engineer\n\nRequirements:\n- 3+ years of Python and PostgreSQL\n"
        "- Knowledge of service meshes and predictive maintenance.\nWe use Kafka daily."
    )
    first = extract_knowledge(text)
    for m in first.mentions:
        assert text[m.start : m.end] == m.surface
    first.mentions[0].surface = "changed"  # a caller mutating its copy changes no later call
    again = extract_knowledge(text)
    assert again.mentions[0].surface == text[again.mentions[0].start : again.mentions[0].end]
    assert [m.skill_id for m in again.mentions] == [m.skill_id for m in first.mentions]
    assert again.terms == first.terms


def test_empty_and_punctuation_only_texts() -> None:
    assert extract_knowledge("") == extract_knowledge(" .; ")
    assert extract_knowledge("").mentions == () and extract_knowledge("").terms == ()


def test_sentences_split_at_line_breaks_and_full_stops_before_a_capital() -> None:
    text = "Python is used. We ship daily\nno. 5 is fine"
    _, gaps, starts, ends, _, _ = match_names(text)
    ranges = span_tagger.sentences(text, gaps, starts, ends)
    got = [text[starts[a] : ends[b - 1]] for a, b in ranges]
    assert got == ["Python is used.", "We ship daily", "no. 5 is fine"]


def test_lexicon_features_mark_kept_and_set_aside_names() -> None:
    raw = [[0, 6, "python", 0, 0, 0], [10, 18, "agile", 2, 2, 2]]
    lex = span_tagger.lexicon_features(raw, raw[:1], category_of)
    assert "tk" in lex[0][0] and "tr" in lex[2][0]
    assert lex[0][1] == ("-1t=language", "-1tk") and lex[2][2] == ("+1t=method", "+1tr")


def _refine(found: list[list[Any]], probs: list[float], labels: list[str], **kw: Any) -> Any:
    n = len(probs)
    starts, ends = list(range(0, 10 * n, 10)), list(range(5, 10 * n, 10))
    return span_tagger.refine(
        found, probs, labels, starts, ends, category_of,
        lambda i, j: ("kubernetes", 2) if (i, j) == (3, 3) else None, **kw,
    )


def test_refine_drops_rejected_knowledge_keeps_soft_and_protected_and_adds_whole_names() -> None:
    python = [0, 5, "python", 0, 0, 0]
    agile = [10, 15, "agile", 0, 1, 1]
    teamwork = [20, 25, "teamwork", 0, 2, 2]
    probs = [0.9, 0.01, 0.0, 0.8, 0.0]
    labels = ["B", "O", "O", "B", "O"]
    out = _refine([python, agile, teamwork], probs, labels)
    assert [c[2] for c in out] == ["python", "teamwork", "kubernetes"]
    assert out[-1][:2] == [30, 35]
    kept = _refine([python, agile], probs, labels, protected=lambda c: c[2] == "agile")
    assert [c[2] for c in kept] == ["python", "agile", "kubernetes"]
    assert [c[2] for c in _refine([agile], probs, labels, drop_below=0.0)] == [
        "agile", "kubernetes"
    ]
    # a predicted span is not admitted when its mean probability is low
    assert [c[2] for c in _refine([], [0.0, 0, 0, 0.3, 0], labels)] == []


def test_in_list_item() -> None:
    text = "Intro line\n- Python\n  • Go\n2. Rust\nPlain Java"
    assert [in_list_item(text, text.index(w)) for w in ("Python", "Go", "Rust", "Java")] == [
        True, True, True, False
    ]


def test_keywords_take_terms_after_skills_and_leave_generic_ones_out() -> None:
    got = extract_keywords(
        "Experience with Kafka streams", skills=["Python"],
        terms=["Bachelor's degree", "Predictive  processing", "python"],
    )
    assert got == ["python", "predictive processing", "kafka streams"]


def test_the_posting_parser_keeps_terms_as_keywords() -> None:
    job = parse_job(
        "Research Engineer\n\nRequirements\n"
        "- You have experience with predictive processing and Python.\n"
    )
    assert "predictive processing" in job.keywords
    assert [s.name for s in job.required_skills] == ["Python"]


def test_model_and_tables_are_small() -> None:
    files = (span_tagger.MODEL_FILE, span_tagger.CLUSTER_FILE, span_gate.GATE_FILE)
    assert sum(f.stat().st_size for f in files) < 2_000_000


# --------------------------------------------------------------------------- word clusters


def test_word_clusters_cover_train_taxonomy_and_common_words_at_three_sizes() -> None:
    table = span_tagger.clusters()
    for word in ("python", "kubernetes", "salary", "the", "pension"):
        ids = table[word]
        assert len(ids) == len(span_tagger.CLUSTER_SIZES)
        assert all(0 <= int(i) < k for i, k in zip(ids, span_tagger.CLUSTER_SIZES, strict=True))
    assert "zzqxv" not in table
    # words of one kind share the coarse class
    assert table["developer"][0] == table["engineer"][0]
    assert table["salary"][0] == table["compensation"][0]


def test_a_known_word_gets_cluster_features_and_an_unknown_one_none() -> None:
    own, (prev, nxt, _m2, _p2) = span_tagger._word_features("Python")
    ids = span_tagger.clusters()["python"]
    assert {f"c{g}={ids[g]}" for g in span_tagger.CLUSTER_OWN} <= set(own)
    assert prev == ("-1w=python", *(f"-1c{g}={ids[g]}" for g in span_tagger.CLUSTER_NEAR))
    assert nxt == ("+1w=python", *(f"+1c{g}={ids[g]}" for g in span_tagger.CLUSTER_NEAR))
    own, (prev, _n, _m, _p) = span_tagger._word_features("Zzqxv")
    assert not [f for f in own if f.startswith("c")] and prev == ("-1w=zzqxv",)


def test_features_read_the_neighbours_words_and_classes() -> None:
    text = "Experience with Python daily"
    lows, _, starts, ends, raw, found = match_names(text)
    lex = span_tagger.lexicon_features(raw, found, category_of)
    feats = span_tagger.features(text, starts, ends, 0, len(ends), lex)
    python = feats[2]
    assert {"w=python", "-1w=with", "+1w=daily", "-2w=experience", "cue"} <= set(python)
    with_c1 = span_tagger.clusters()["with"][1]
    assert f"-1c1={with_c1}" in python
    assert "BOS" in feats[0] and "EOS" in feats[-1] and "+2w=python" in feats[0]


# --------------------------------------------------------------------------- sentence gate


def _sentence_gate_inputs(text: str) -> Any:
    lows, gaps, starts, ends, raw, found = match_names(text, role_names=True)
    lex = span_tagger.lexicon_features(raw, found, category_of)
    return lows, span_tagger.sentences(text, gaps, starts, ends), lex, {c[4] for c in found}


def test_the_fast_gate_equals_the_trained_features_under_the_shipped_weights() -> None:
    text = ("We offer a pension plan and a gym.\nYou have 3+ years of Python and SQL.\n"
            "Docker training budget\nAbout us: we build Java tools for banks, founded 1998.")
    lows, sents, lex, firsts = _sentence_gate_inputs(text)
    weights = span_gate._weights()
    assert len(weights) > 1000
    for a, b in sents:
        feats = span_gate.gate_features(lows, a, b, lex, firsts)
        assert span_gate.sentence_gate(lows, a, b, lex, firsts) == pytest.approx(
            span_gate.gate_probability(feats, weights), abs=1e-12
        )


def test_gate_features_count_word_classes_once_per_distinct_word() -> None:
    lows = ["python", "python", "sql", ":"]
    feats = span_gate.gate_features(lows, 0, 4, {0: (), 1: (), 2: ()}, {0, 2})
    assert feats["w=python"] == 1.0 and feats["bias"] == 1.0 and feats["headline"] == 1.0
    assert feats["kept=2"] == 1.0 and "lexicon_only" not in feats
    c_py, c_sql = (span_tagger.clusters()[w][1] for w in ("python", "sql"))
    assert feats["c=" + c_py] == (2.0 if c_py == c_sql else 1.0)


def test_the_gate_scores_a_requirement_above_a_benefit() -> None:
    text = ("We offer a pension plan, health insurance and a Docker training budget.\n"
            "You have 3+ years of experience with Python and Docker.")
    lows, sents, lex, firsts = _sentence_gate_inputs(text)
    benefit, requirement = (span_gate.sentence_gate(lows, a, b, lex, firsts) for a, b in sents)
    assert benefit < knowledge.GATE_FROM <= requirement
    assert knowledge.gate_sentences(lows, sents, lex, [[0, 0, "x", 0, i] for i in firsts]) == [
        False, True
    ]


def test_a_shut_sentence_loses_its_knowledge_but_not_its_list_items_or_soft_skills(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    benefit = "We offer a pension plan, health insurance and a Docker training budget."
    assert _names(benefit) == []
    assert _names("- Docker training budget") == ["Docker"]  # a list item: kept
    assert _names("Experience with Docker is required.") == ["Docker"]
    assert _names("We offer a pension plan and value teamwork.") == ["Teamwork"]
    monkeypatch.setattr(knowledge, "GATE_FROM", 0.0)  # without the gate the tagger keeps it
    knowledge._tag.cache_clear()
    try:
        assert _names(benefit) == ["Docker"]
    finally:
        knowledge._tag.cache_clear()


def test_only_the_given_sentences_are_tagged() -> None:
    text = "Experience with Python and predictive processing.\nKnowledge of SQL."
    lows, gaps, starts, ends, raw, found = match_names(text)
    lex = span_tagger.lexicon_features(raw, found, category_of)
    sents = span_tagger.sentences(text, gaps, starts, ends)
    probs, labels = span_tagger.inside_probabilities(text, starts, ends, gaps, lex, sents[1:])
    a, b = sents[0]
    assert probs[a:b] == [0.0] * (b - a) and labels[a:b] == ["O"] * (b - a)
    full, full_labels = span_tagger.inside_probabilities(text, starts, ends, gaps, lex)
    assert probs[b:] == full[b:] and labels[b:] == full_labels[b:]
    assert max(full[a:b]) > 0.5


def test_sentence_of() -> None:
    sents = [(0, 3), (3, 4), (4, 9)]
    assert [knowledge._sentence_of(sents, i) for i in range(9)] == [0, 0, 0, 1, 2, 2, 2, 2, 2]


def test_a_long_list_keeps_every_item_next_to_a_kept_one() -> None:
    text = (
        "Hands-on work in reporting software such as SAS, SQL, R, Python, Tableau, Advanced "
        "Excel, Power BI (a plus)."
    )
    assert _names(text) == ["SAS", "SQL", "R", "Python", "Tableau", "Excel", "Power BI"]


def test_list_neighbours_are_kept_transitively_and_only_when_joined() -> None:
    a, b, c = [0, 1, "python", 0, 0, 0], [3, 4, "agile", 0, 1, 1], [9, 10, "scrum", 0, 2, 2]
    joined = {(0, 3), (3, 9)}
    out = _refine([a, b, c], [0.9, 0.0, 0.0, 0.0, 0.0], ["B", "O", "O", "O", "O"],
                  joined=lambda x, y: (x[0], y[0]) in joined)
    assert [m[2] for m in out] == ["python", "agile", "scrum"]
    out = _refine([a, b, c], [0.9, 0.0, 0.0, 0.0, 0.0], ["B", "O", "O", "O", "O"],
                  joined=lambda x, y: False)
    assert [m[2] for m in out] == ["python"]


def test_list_joined() -> None:
    from tools.knowledge import list_joined

    text = "Python, Advanced Excel and SQL\nJava"
    assert list_joined(text, 6, text.index("Excel"))
    assert list_joined(text, text.index("Excel") + 5, text.index("SQL"))
    assert not list_joined(text, text.index("SQL") + 3, text.index("Java"))  # a new line


def test_the_posting_title_keeps_its_discipline_whatever_the_tagger_says() -> None:
    text = ("Frontend Developer\nAcme Ltd - Berlin\n\nRequirements\n"
            "- 3+ years of experience with React and TypeScript\n")
    assert _names("Frontend Developer\nAcme Ltd - Berlin") == []  # the tagger alone drops it
    job = parse_job(text)
    required = {s.skill_id: s for s in job.required_skills}
    assert "frontend" in required  # the title names the work: required
    assert required["frontend"].span is not None
    assert required["frontend"].span.start == 0
    assert {"react", "typescript"} <= set(required)

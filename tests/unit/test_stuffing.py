"""Keyword-stuffing defence (tools/parsing/stuffing.py): pure text functions."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tools.parsing.stuffing import (
    MAX_BLOCK_ITEMS,
    cap_list,
    defuse_stuffing,
    hidden_html_element,
    strip_invisible,
)

ROOT = Path(__file__).resolve().parents[2]
DOCS = sorted((ROOT / "tests" / "fixtures" / "cvs").glob("*.txt")) + sorted(
    (ROOT / "tests" / "fixtures" / "jobs").glob("*.txt")) + sorted(
    (ROOT / "store" / "samples" / "cvs").glob("*.txt"))
SKILLS = ["Java", "Kafka", "Spring Boot", "PostgreSQL", "Kubernetes", "AWS", "Docker"]


def _tagged(text: str) -> str:
    """``text`` in Unicode tag characters (invisible when rendered)."""
    return "".join(chr(0xE0000 + ord(c)) for c in text)


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_ordinary_documents_come_back_unchanged(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert defuse_stuffing(text) is text


def test_invisible_characters_are_removed() -> None:
    assert strip_invisible("plain") == "plain"
    assert strip_invisible("Ja\u200bva \u2060Kafka\ufeff\u00ad") == "Java Kafka"
    assert strip_invisible("cv" + _tagged("java kafka spark")) == "cv"
    assert strip_invisible("a\u3164b") == "a b"
    assert defuse_stuffing("Skills\n" + _tagged(", ".join(SKILLS * 3))) == "Skills\n"


def test_repeated_terms_count_once() -> None:
    run = " ".join(SKILLS * 30)
    assert defuse_stuffing(f"Backend role\n{run}") == "Backend role\n" + " ".join(
        "Java Kafka Spring Boot PostgreSQL Kubernetes AWS Docker".split())
    listed = ", ".join(SKILLS * 4)
    assert defuse_stuffing(listed) == ", ".join(SKILLS)
    # a list line repeated again and again is kept twice, a sentence five times
    copies = "\n".join([", ".join(SKILLS)] * 30)
    assert defuse_stuffing(copies).count("Kafka") == 2
    sentence = "Built Kafka pipelines in Java for the payments team."
    assert defuse_stuffing("\n".join([sentence] * 30)).count("Kafka") == 5
    # numbers and dates are never dropped as repeats
    hours = "Audit, 32hrs, 07-03; Leadership, 32hrs, 07-03; Finance, 12hrs"
    assert defuse_stuffing(hours) is hours


def test_a_huge_keyword_block_is_cut() -> None:
    words = [f"skill{i} tool" for i in range(500)]
    block = "\n".join(", ".join(words[i:i + 10]) for i in range(0, 500, 10))
    out = defuse_stuffing("Keywords\n" + block + "\nA sentence after the block.")
    items = [i for line in out.splitlines()[1:-1] for i in line.split(", ")]
    assert len(items) == MAX_BLOCK_ITEMS and items[0] == "skill0 tool"
    assert out.endswith("A sentence after the block.")
    bullets = "\n".join(f"- tool {chr(97 + i % 26)}{chr(97 + i // 26)}" for i in range(400))
    assert defuse_stuffing(bullets).count("\n") == MAX_BLOCK_ITEMS - 1


def test_prose_with_commas_is_not_a_list() -> None:
    text = ("We build data platforms with Python, and we deploy them on AWS, which means "
            "you will own services end to end, from design to operations.")
    assert defuse_stuffing(text) is text


def test_cap_list() -> None:
    assert cap_list(["Java", "java ", "Kafka", "", "\u200bJava"]) == ["Java", "Kafka"]
    assert len(cap_list([f"s{i}" for i in range(500)])) == 60


@pytest.mark.parametrize(("tag", "attrs"), [
    ("div", [("style", "display:none")]), ("span", [("style", "visibility: hidden")]),
    ("span", [("style", "font-size:0px")]), ("span", [("style", "color:#FFFFFF")]),
    ("span", [("style", "color: white; background: none")]), ("p", [("hidden", None)]),
    ("div", [("aria-hidden", "true")]), ("font", [("color", "#ffffff")]),
    ("div", [("style", "position:absolute; left:-9999px")]), ("span", [("style", "opacity:0")]),
])
def test_hidden_html(tag: str, attrs: list[tuple[str, str | None]]) -> None:
    assert hidden_html_element(tag, attrs)


@pytest.mark.parametrize(("tag", "attrs"), [
    ("div", [("style", "display:block")]), ("span", [("style", "color:#333")]),
    ("span", [("style", "font-size:12px")]), ("span", [("style", "background-color:#fff")]),
    ("p", [("class", "hidden-xs")]), ("span", [("style", "opacity:0.8")]),
])
def test_visible_html(tag: str, attrs: list[tuple[str, str | None]]) -> None:
    assert not hidden_html_element(tag, attrs)


def test_imported_html_leaves_hidden_text_out() -> None:
    from store.ingest.markup import html_to_text

    html = ('<p>Backend engineer</p><div style="display:none">kafka <b>spark</b></div>'
            '<p>We <span style="color:#fff">java java</span>build</p><br>'
            '<div hidden><p>nested <i>deep</i></p></div><p>end</p>')
    assert html_to_text(html) == "Backend engineer\n\nWe build\n\nend"


def test_hidden_word_text_is_not_read() -> None:
    import docx
    from docx.shared import Pt, RGBColor

    from tools.parsing.text import extract_text_from_bytes

    document = docx.Document()
    p = document.add_paragraph("Senior Java developer ")
    p.add_run("Kafka Spark Kubernetes").font.hidden = True
    white = document.add_paragraph().add_run("Terraform Ansible")
    white.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    tiny = document.add_paragraph().add_run("Snowflake dbt")
    tiny.font.size = Pt(1)
    document.add_paragraph("Experience: 8 years.")
    buf = io.BytesIO()
    document.save(buf)
    text = extract_text_from_bytes(buf.getvalue(), "cv.docx")
    assert "Senior Java developer" in text and "Experience: 8 years." in text
    for hidden in ("Kafka", "Terraform", "Snowflake"):
        assert hidden not in text

"""Sources cited exactly: every source note by its title (course.SOURCES), every quoted figure with whose run it
was, and Deep Learning from Scratch's deep ConvNet in its chapter 8."""

import json
import re
from pathlib import Path

import pytest

from course_lib import course

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = [ROOT / "notebooks" / name for name, *_ in course.NOTEBOOKS]
TITLES = {key: title for key, title, *_ in course.SOURCES}
# figures that only source note B's own run reports (not Nielsen's book)
NOTE_B_FIGURES = ("99.22%", "99.30%", "93.25%", "92.51%", "98.47%", "98.95%")


def _cells(path):
    return ["".join(c["source"]) for c in json.loads(path.read_text(encoding="utf-8"))["cells"]]


def _flat(text):
    return " ".join(text.split())


def source_note_problems(cells):
    """Each mention of a source note names it (A-D) and its title appears in that cell or an earlier one."""
    problems, seen = [], set()
    for i, text in enumerate(cells):
        seen |= {key for key, title in TITLES.items() if title in text}
        for m in re.finditer(r"(?i)\bsource note\b(?: ([A-D])\b)?", text):
            key = m.group(1)
            if key is None:
                problems.append(f"cell {i}: 'source note' without saying which (A-D) and its title")
            elif key not in seen:
                problems.append(f"cell {i}: source note {key} before its title {TITLES[key]} is given")
    return problems


def chapter_problems(cells):
    """The deep ConvNet is never put in chapter 7 or in the chapter on convolutional networks: within a sentence,
    a mention of the deep ConvNet belongs to the nearest chapter named before it."""
    problems = []
    for i, text in enumerate(cells):
        for sentence in re.split(r"[.;]\s|\n- ", _flat(text)):
            chapter = None
            for m in re.finditer(r"(?i)chapter (\d+)|chapter on convolutional|deep convnet", sentence):
                word = m.group(0).lower()
                if word.startswith("chapter"):
                    chapter = m.group(1) or "on convolutional networks"
                elif chapter in {"7", "on convolutional networks"}:
                    problems.append(f"cell {i}: {sentence.strip()!r}")
    return problems


def note_b_figure_problems(cells):
    """Source note B's figures are attributed to note B, in the cell that quotes them."""
    return [f"cell {i}" for i, text in enumerate(cells)
            if any(f in text for f in NOTE_B_FIGURES) and "note B" not in text]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_sources_cited_exactly(path):
    cells = _cells(path)
    assert source_note_problems(cells) == []
    assert chapter_problems(cells) == []
    assert note_b_figure_problems(cells) == []


@pytest.mark.parametrize("key,notebook", [(key, nb) for key, *_, notebooks in course.SOURCES for nb in notebooks])
def test_each_notebook_following_a_note_cites_it_by_title(key, notebook):
    cells = _cells(ROOT / "notebooks" / notebook)
    reading = next(c for c in cells if c.startswith("## Further reading"))
    assert _flat(course.source_citation(key)) in _flat(reading)


def test_the_checks_catch_what_they_are_for():
    assert source_note_problems(["The source note reports 97.6%."])
    assert source_note_problems(["Source note A reports 97.6%."])
    assert not source_note_problems([f"Source note A, {TITLES['A']}, reports 97.6%.", "Source note A again."])
    assert chapter_problems(["*Deep Learning from Scratch*, chapter 7 (convolutional networks) and its deep ConvNet"])
    assert chapter_problems(["The book closes its chapter on convolutional networks with a deep ConvNet."])
    assert not chapter_problems(["chapter 8 (the deep ConvNet), chapter 7 (the layers it is built from)"])
    assert note_b_figure_problems(["Nielsen reports 99.30% at epoch 68."])
    assert not note_b_figure_problems(["Source note B's own run reports 99.30% at epoch 68."])


def test_source_citation_rejects_an_unknown_key():
    with pytest.raises(ValueError, match="key must be one of"):
        course.source_citation("E")

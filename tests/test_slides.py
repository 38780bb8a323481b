"""Lecture slides: every notebook's slide structure (the rule in the course's common brief), and the offline
reveal.js decks that `make slides` (book/build.py) exports, built here for two notebooks into a temporary folder.

The decks need the npm assets in build/vendor (`make vendor`): the tests that build them are marked ``site`` and run
under `make test-browser`, which makes the assets first, not under `make test`.
"""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from course_lib import course

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = REPO / "notebooks"
NOTEBOOK_FILES = [file for file, *_ in course.NOTEBOOKS]
SUBSET = ["00_welcome_and_data.ipynb", "02_softmax_cross_entropy.ipynb"]  # figures; maths and widgets
SLIDE_TYPES = {"slide", "subslide", "fragment", "skip", "notes", "-"}
# a script or stylesheet loaded from the network (an <a href="https://..."> link to a source is fine)
REMOTE_ASSET = re.compile(r"""<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)=["']((?:https?:)?//[^"']+)""")
LOCAL_ASSET = re.compile(r"""<(?:script|link)\b[^>]*\b(?:src|href)=["'](?!data:|#|(?:https?:)?//)([^"'?#]+)""")


def load(file):
    return json.loads((NOTEBOOK_DIR / file).read_text(encoding="utf-8"))


def png_outputs(nb):
    return sum("image/png" in out.get("data", {}) for cell in nb["cells"] for out in cell.get("outputs", []))


def is_solution(cell):
    return "solution" in cell.get("metadata", {}).get("tags", []) or "solution_for" in cell.get(
        "metadata", {}).get("course", {})


@pytest.mark.parametrize("file", NOTEBOOK_FILES)
def test_slide_structure(file):
    """Every cell has a slide type; the first cell and every `## ` section are slides, `### ` are sub-slides,
    solution cells are skipped."""
    problems = []
    for i, cell in enumerate(load(file)["cells"]):
        kind = cell.get("metadata", {}).get("slideshow", {}).get("slide_type")
        first_line = "".join(cell["source"]).lstrip().split("\n", 1)[0]
        where = f"cell {i} ({first_line[:40]!r})"
        if kind is None:
            problems.append(f"{where}: no metadata.slideshow.slide_type")
        elif kind not in SLIDE_TYPES:
            problems.append(f"{where}: unknown slide_type {kind!r}")
        elif i == 0 and kind != "slide":
            problems.append(f"{where}: the title cell must be a 'slide', not {kind!r}")
        elif cell["cell_type"] == "markdown" and first_line.startswith("## ") and kind != "slide":
            problems.append(f"{where}: a '## ' section must be a 'slide', not {kind!r}")
        elif cell["cell_type"] == "markdown" and first_line.startswith("### ") and kind != "subslide":
            problems.append(f"{where}: a '### ' heading must be a 'subslide', not {kind!r}")
        elif is_solution(cell) and kind != "skip":
            problems.append(f"{where}: a solution cell must be 'skip', not {kind!r}")
    if problems:
        pytest.fail(f"{file}: {len(problems)} slide-metadata problems, first ones:\n" + "\n".join(problems[:8]),
                    pytrace=False)


@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    out = tmp_path_factory.mktemp("slides")
    result = subprocess.run([sys.executable, str(REPO / "book" / "build.py"), "slides", "--out", str(out), *SUBSET],
                            capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, f"book/build.py slides failed (run `make vendor` first?):\n{result.stderr}"
    return out


@pytest.mark.site
@pytest.mark.parametrize("file", SUBSET)
def test_deck_is_offline_and_complete(decks, file):
    check_deck(decks, file, load(file))


def check_deck(decks, file, nb):
    """The deck of ``file`` (notebook ``nb``) in the folder ``decks`` loads nothing remote, has every local file it
    refers to, MathJax's local copy, one figure per stored PNG and a <section> per slide."""
    deck = decks / file.replace(".ipynb", ".slides.html")
    assert deck.is_file(), f"no deck {deck.name} for {file}"
    text = deck.read_text(encoding="utf-8")
    assert not REMOTE_ASSET.findall(text), f"{deck.name} loads from the network: {REMOTE_ASSET.findall(text)}"
    local = set(LOCAL_ASSET.findall(text))
    assert {"_static/reveal.js/dist/reveal.css", "_static/require.js"} <= local, local
    missing = [path for path in local if not (decks / path).is_file()]
    assert not missing, f"{deck.name} refers to files missing from the deck folder: {missing}"
    for script in ["reveal.js/dist/reveal.js", "reveal.js/plugin/notes/notes.js", "mathjax/MathJax.js",
                   "mathjax/config/TeX-AMS_CHTML-full.js", "mathjax/jax/output/CommonHTML/jax.js"]:
        assert (decks / "_static" / script).is_file(), f"_static/{script} missing from the deck folder"
    assert '"_static/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe"' in text, "MathJax is not the local copy"
    for css in [path for path in local if path.endswith(".css")]:
        imports = re.findall(r"@import\s+url\(['\"]?(?:https?:)?//[^)]*\)", (decks / css).read_text(encoding="utf-8"))
        assert not imports, f"{css} imports from the network: {imports}"
    figures = len(re.findall(r'<img\b[^>]*\bsrc="data:image/png', text))
    assert figures == png_outputs(nb), f"{deck.name}: {figures} figures for the notebook's {png_outputs(nb)} PNGs"
    sections = text.count("<section")
    slides = sum(c.get("metadata", {}).get("slideshow", {}).get("slide_type") in ("slide", "subslide")
                 for c in nb["cells"])
    assert sections >= max(slides, 2), f"{deck.name}: {sections} <section>s for {slides} slides"


@pytest.mark.site
def test_deck_keeps_the_maths_for_mathjax(decks):
    text = (decks / "02_softmax_cross_entropy.slides.html").read_text(encoding="utf-8")
    assert re.search(r"\$[^$\n]*\\(?:frac|sum|log|exp)", text), "no TeX left for MathJax to typeset in deck 02"


@pytest.mark.site
def test_slide_index_lists_the_decks_in_course_order(decks):
    index = (decks / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'href="([^"]+\.slides\.html)"', index)
    assert links == [f.replace(".ipynb", ".slides.html") for f in SUBSET]
    assert "Part I · Data and tensors" in index and "Part II · Neural networks from scratch (NumPy)" in index


@pytest.mark.slow
def test_unknown_notebook_is_a_clear_error(tmp_path):
    result = subprocess.run([sys.executable, str(REPO / "book" / "build.py"), "slides", "--out", str(tmp_path),
                             "99_nope.ipynb"], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 1
    assert "not notebooks of the course map: ['99_nope.ipynb']" in result.stderr


@pytest.mark.site
@pytest.mark.parametrize("file", SUBSET)
def test_deck_leaves_out_the_solutions(decks, file):
    text = (decks / file.replace(".ipynb", ".slides.html")).read_text(encoding="utf-8")
    assert "Reference solution: open it" not in text, f"a reference solution is on a slide of {file}"


# ---- the Chinese edition (`make slides` builds it from notebooks/zh_CN/ into build/zh_CN/slides) ----------------

ZH_NOTEBOOKS = REPO / "notebooks" / "zh_CN"
ZH_SLIDES = REPO / "build" / "zh_CN" / "slides"


@pytest.mark.site
def test_zh_decks_cover_every_notebook_in_chinese():
    """No second build here: `make test-browser` runs `make slides`, which builds both editions."""
    if not ZH_NOTEBOOKS.is_dir():
        pytest.skip(f"{ZH_NOTEBOOKS} is not built yet: `make zh` (tools/i18n.py build) writes it.")
    if not (ZH_SLIDES / "index.html").is_file():
        pytest.fail(f"{ZH_SLIDES}/index.html is missing: run `make slides` (`make test-browser` does).")
    index = (ZH_SLIDES / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in index and "<h1>课程幻灯片</h1>" in index
    assert re.findall(r'href="([^"]+\.slides\.html)"', index) == [f.replace(".ipynb", ".slides.html")
                                                                  for f in NOTEBOOK_FILES]
    for file in NOTEBOOK_FILES:
        nb = json.loads((ZH_NOTEBOOKS / file).read_text(encoding="utf-8"))
        check_deck(ZH_SLIDES, file, nb)
        heading = "".join(next(c for c in nb["cells"] if c["cell_type"] == "markdown")["source"]).splitlines()[0]
        assert re.search(r"[\u4e00-\u9fff]", heading), f"{file}: the zh_CN title {heading!r} is not Chinese"
        deck = (ZH_SLIDES / file.replace(".ipynb", ".slides.html")).read_text(encoding="utf-8")
        assert heading.lstrip("# ") in deck, f"{file}: the deck lacks its Chinese title {heading!r}"
        assert "Reference solution: open it" not in deck, f"a reference solution is on a slide of zh_CN/{file}"

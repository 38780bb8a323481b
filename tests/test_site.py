"""The course website (`make site`, book/build.py + Jupyter Book 1): its table of contents follows the course map,
and a build of two notebooks into a temporary folder has their pages, figures and maths, with nothing loaded
from the network.

The build needs Jupyter Book's own venv (`make site-env`) and the npm assets (`make vendor`): the tests that build
are marked ``site`` and run under `make test-browser`, which makes both first, not under `make test`.
"""

import html
import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from course_lib import course

REPO = Path(__file__).resolve().parents[1]
JUPYTER_BOOK = REPO / ".venv-site" / "bin" / "jupyter-book"
SUBSET = ["00_welcome_and_data.ipynb", "02_softmax_cross_entropy.ipynb"]  # figures; maths and widgets
REMOTE_ASSET = re.compile(r"""<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)=["']((?:https?:)?//[^"']+)""")
LOCAL_ASSET = re.compile(r"""<(?:script|link|img)\b[^>]*\b(?:src|href)=["'](?!data:|#|(?:https?:)?//)([^"'?#]+)""")


def build_module():
    """book/build.py loaded by path (book/ is not a package)."""
    spec = importlib.util.spec_from_file_location("course_book_build", REPO / "book" / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def png_outputs(file):
    nb = json.loads((REPO / "notebooks" / file).read_text(encoding="utf-8"))
    return sum("image/png" in out.get("data", {}) for cell in nb["cells"] for out in cell.get("outputs", []))


def test_toc_follows_the_course_map():
    toc = build_module().toc_yaml(build_module().course_notebooks())
    files = re.findall(r"- file: notebooks/(\S+)", toc)
    assert files == [file.removesuffix(".ipynb") for file, *_ in course.NOTEBOOKS]
    captions = re.findall(r'- caption: "(.+)"', toc)
    assert captions == list(course.PARTS.values())
    assert toc.splitlines()[1:3] == ["format: jb-book", "root: intro"]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    if not JUPYTER_BOOK.is_file():
        pytest.fail(f"{JUPYTER_BOOK} is missing: run `make site-env` (`make test-browser` does).")
    out = tmp_path_factory.mktemp("site")
    result = subprocess.run([sys.executable, str(REPO / "book" / "build.py"), "site", "--out", str(out), *SUBSET],
                            capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, f"book/build.py site failed:\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}"
    return out / "_build" / "html"


@pytest.mark.site
def test_every_built_notebook_has_a_page_in_the_navigation(site):
    intro = (site / "intro.html").read_text(encoding="utf-8")
    nav = re.search(r'<nav class="[^"]*\bbd-docs-nav\b.*?</nav>', intro, flags=re.S).group(0)
    pages = re.findall(r'href="(notebooks/[^"#]+\.html)"', nav)
    assert pages == [f"notebooks/{file.replace('.ipynb', '.html')}" for file in SUBSET], pages
    assert "Part I · Data and tensors" in nav and "Part II · Neural networks from scratch (NumPy)" in nav
    for page in pages:
        assert (site / page).is_file(), f"{page} is in the navigation but was not built"


@pytest.mark.site
@pytest.mark.parametrize("file", SUBSET)
def test_page_has_its_figures_and_loads_nothing_remote(site, file):
    page = site / "notebooks" / file.replace(".ipynb", ".html")
    text = page.read_text(encoding="utf-8")
    assert not REMOTE_ASSET.findall(text), f"{page.name} loads from the network: {REMOTE_ASSET.findall(text)}"
    missing = [path for path in set(LOCAL_ASSET.findall(text)) if not (page.parent / path).resolve().is_file()]
    assert not missing, f"{page.name} refers to missing files: {missing}"
    figures = re.findall(r'<img\b[^>]*\bsrc="(\.\./_images/[^"]+\.png)"', text)
    assert len(figures) == png_outputs(file), f"{page.name}: {len(figures)} figures, notebook has {png_outputs(file)}"


@pytest.mark.site
def test_maths_is_marked_for_mathjax(site):
    text = (site / "notebooks" / "02_softmax_cross_entropy.html").read_text(encoding="utf-8")
    assert len(re.findall(r'class="math notranslate nohighlight"', text)) >= 5
    assert 'src="../_static/mathjax3/tex-chtml.js' in text, "MathJax is not the local copy"
    assert (site / "_static" / "mathjax3" / "tex-chtml.js").is_file()
    assert (site / "_static" / "mathjax3" / "output" / "chtml" / "fonts" / "woff-v2").is_dir()


@pytest.mark.site
def test_stored_widgets_keep_their_state(site):
    """Notebook 02's temperature slider is shown from its saved state by the local widgets manager."""
    text = (site / "notebooks" / "02_softmax_cross_entropy.html").read_text(encoding="utf-8")
    assert 'application/vnd.jupyter.widget-state+json' in text
    assert 'application/vnd.jupyter.widget-view+json' in text
    assert 'src="../_static/html-manager/embed-amd.js' in text and 'src="../_static/require.js' in text


@pytest.mark.site
def test_reference_solutions_are_collapsed(site):
    """Solution cells (tag `solution`) are behind a "Show code cell source" toggle, never shown openly."""
    text = (site / "notebooks" / "02_softmax_cross_entropy.html").read_text(encoding="utf-8")
    shown = text.count("Reference solution: open it after your own attempt.")
    assert shown >= 1, "notebook 02's solution cells are missing from its page"
    hidden = re.findall(r'<details class="[^"]*hide above-input">.*?</details>', text, flags=re.S)
    assert sum("Reference solution: open it" in block for block in hidden) == shown, "a solution is not collapsed"


# ---- the Chinese edition (book/build.py --lang zh_CN from notebooks/zh_CN/) ------------------------------------

ZH_NOTEBOOKS = REPO / "notebooks" / "zh_CN"
ZH_SITE = REPO / "build" / "zh_CN" / "site" / "_build" / "html"
CJK = re.compile(r"[\u4e00-\u9fff]")


def zh_notebooks():
    if not ZH_NOTEBOOKS.is_dir():
        pytest.skip(f"{ZH_NOTEBOOKS} is not built yet: `make zh` (tools/i18n.py build) writes it.")
    return build_module().course_notebooks(lang="zh_CN")


def test_zh_toc_has_every_notebook_under_chinese_part_captions():
    notebooks = zh_notebooks()
    toc = build_module().toc_yaml(notebooks)
    assert re.findall(r"- file: notebooks/(\S+)", toc) == [file.removesuffix(".ipynb") for file, *_ in course.NOTEBOOKS]
    captions = re.findall(r'- caption: "(.+)"', toc)
    assert len(captions) == len(course.PARTS) and all(CJK.search(c) for c in captions), captions
    assert all(CJK.search(title) for _, title, *_ in notebooks), [title for _, title, *_ in notebooks]


def test_an_edition_takes_titles_from_its_notebooks_and_captions_from_the_library_catalog(tmp_path, monkeypatch):
    build = build_module()
    for file, *_ in course.NOTEBOOKS[:2]:   # 00 and 01, both in part I
        title = "00 · 欢迎" if file.startswith("00") else "01 · 张量"
        cell = {"cell_type": "markdown", "metadata": {}, "source": [f"# {title}\n", "*第一部分 · 随便什么*"]}
        (tmp_path / file).write_text(json.dumps({"cells": [cell]}), encoding="utf-8")
    monkeypatch.setitem(build.EDITIONS["zh_CN"], "notebooks", tmp_path)
    rows = build.course_notebooks(["00_welcome_and_data.ipynb", "01_tensors.ipynb"], lang="zh_CN")
    assert [(title, part, caption) for _file, title, part, caption in rows] == [
        ("欢迎", "I", "第一部分 · 数据与张量"), ("张量", "I", "第一部分 · 数据与张量")]
    with pytest.raises(FileNotFoundError, match=r"02_softmax_cross_entropy.ipynb is missing: `make zh`"):
        build.course_notebooks(["02_softmax_cross_entropy.ipynb"], lang="zh_CN")
    (tmp_path / "01_tensors.ipynb").write_text(json.dumps({"cells": []}), encoding="utf-8")
    with pytest.raises(ValueError, match=r"01_tensors.ipynb: its first Markdown cell must start with '# NN · title'"):
        build.course_notebooks(["01_tensors.ipynb"], lang="zh_CN")


@pytest.fixture(scope="module")
def zh_site():
    """The Chinese website as `make site` builds it (no second build here: `make test-browser` makes it first)."""
    zh_notebooks()
    if not (ZH_SITE / "index.html").is_file():
        pytest.fail(f"{ZH_SITE}/index.html is missing: run `make site` (`make test-browser` does).")
    return ZH_SITE


@pytest.mark.site
def test_zh_site_has_every_notebook_in_chinese(zh_site):
    intro = (zh_site / "intro.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN"' in intro
    nav = re.search(r'<nav class="[^"]*\bbd-docs-nav\b.*?</nav>', intro, flags=re.S).group(0)
    pages = re.findall(r'href="(notebooks/[^"#]+\.html)"', nav)
    assert pages == [f"notebooks/{file.replace('.ipynb', '.html')}" for file in course.FILES], pages
    for file, title, _part, caption in zh_notebooks():
        assert caption in nav, f"the navigation lacks the part {caption!r}"
        text = (zh_site / "notebooks" / file.replace(".ipynb", ".html")).read_text(encoding="utf-8")
        assert f"{file[:2]} · {html.escape(title)}" in text, f"{file}: its page lacks its Chinese title {title!r}"
        assert len(CJK.findall(text)) > 200, f"{file}: its page has little Chinese text"
        assert not REMOTE_ASSET.findall(text), f"{file} loads from the network: {REMOTE_ASSET.findall(text)}"
        # Sphinx's and the theme's own labels (language = zh_CN), the solution toggle (myst-nb, book/build.py)
        assert "上一页" in text or "下一页" in text, f"{file}: the page's navigation labels are not in Chinese"
        assert "Show code cell" not in text, f"{file}: a solution toggle is labelled in English"

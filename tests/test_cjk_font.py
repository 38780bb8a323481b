"""Chinese figure text (COURSE_LANG=zh_CN) renders with the CJK font: no missing glyph, the Noto Sans CJK SC face
embedded next to the Latin font (plots.use_language_font).

Needs Debian's fonts-noto-cjk, which `make test-all` (CI) installs first (`make cjk-font`, as root). Elsewhere the
rendering tests skip with the reason when the font is absent; on CI (CI set) they fail instead.
"""

import io
import os
import re
import warnings
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib import font_manager

from course_lib import plots

FONT_FILE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")   # Debian's fonts-noto-cjk
TITLE, XLABEL = "每个数字的图像数", "数字（digit）"


@pytest.fixture(autouse=True)
def _restore_rc():
    with matplotlib.rc_context():   # use_language_font changes rcParams: undo it after each test
        yield
    plt.close("all")


@pytest.fixture
def cjk_font():
    """The CJK font's file as matplotlib finds it; skips without it, except on CI (fails)."""
    try:
        return font_manager.findfont(font_manager.FontProperties(family=plots.CJK_FONT), fallback_to_default=False)
    except ValueError:
        pass
    if FONT_FILE.is_file():
        pytest.fail(f"{FONT_FILE} is installed but matplotlib does not know {plots.CJK_FONT!r}: its font cache "
                    f"predates the font. Delete {matplotlib.get_cachedir()}/fontlist-*.json and run again.")
    if os.environ.get("CI"):
        pytest.fail(f"{plots.CJK_FONT!r} is missing on CI: `make test-all` installs Debian's fonts-noto-cjk first "
                    "(make cjk-font).")
    pytest.skip(f"{plots.CJK_FONT!r} is not installed (Debian's fonts-noto-cjk: sudo apt-get install fonts-noto-cjk, "
                "or `make cjk-font` as root); CI runs these tests.")


def _chinese_figure():
    """A course figure with a Chinese title and axis label, drawn with Agg (what the notebooks show).

    Returns (fig, the 'Glyph ... missing from font(s)' warnings of making and drawing it).
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig, _ = plots.class_counts(np.arange(50) % 10, title=TITLE)
        fig.axes[0].set_xlabel(XLABEL)
        fig.canvas.draw()
    return fig, [str(w.message) for w in caught if re.search(r"Glyph \d+ .* missing from font", str(w.message))]


def _embedded_fonts(fig):
    """PostScript names of the fonts a PDF of ``fig`` embeds (subset prefixes removed)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="pdf")
    return {name.split(b"+")[-1].decode() for name in re.findall(rb"/BaseFont /([\w+-]+)", buf.getvalue())}


def test_zh_cn_figure_draws_chinese_with_the_cjk_font(cjk_font, monkeypatch):
    monkeypatch.setenv("COURSE_LANG", "zh_CN")
    latin = list(plt.rcParams["font.family"])
    plots.use_language_font()
    assert list(plt.rcParams["font.family"]) == [*latin, plots.CJK_FONT], "the Latin font must stay first"
    fig, missing = _chinese_figure()
    assert missing == []
    fonts = _embedded_fonts(fig)
    assert "NotoSansCJKsc-Regular" in fonts, f"the Chinese text was not drawn with {plots.CJK_FONT}: {fonts}"
    assert "DejaVuSans" in fonts, f"the digits and Latin letters must keep matplotlib's default font: {fonts}"
    plots.use_language_font()   # importing plots again (another module) adds the font once
    assert list(plt.rcParams["font.family"]).count(plots.CJK_FONT) == 1


def test_without_the_fallback_the_same_figure_misses_glyphs(cjk_font, monkeypatch):
    """The check above can fail: English settings draw the same Chinese figure with missing glyphs."""
    monkeypatch.delenv("COURSE_LANG", raising=False)
    before = list(plt.rcParams["font.family"])
    plots.use_language_font()
    assert list(plt.rcParams["font.family"]) == before, "English must leave matplotlib's fonts alone"
    assert _chinese_figure()[1], "Chinese text drew without the CJK font"


def test_a_missing_cjk_font_says_how_to_install_it(monkeypatch):
    monkeypatch.setenv("COURSE_LANG", "zh_CN")
    monkeypatch.setattr(plots, "CJK_FONT", "No Such CJK Font")
    before = list(plt.rcParams["font.family"])
    with pytest.warns(UserWarning, match=r"no font 'No Such CJK Font'.*apt-get install fonts-noto-cjk.*fontlist"):
        plots.use_language_font()
    assert list(plt.rcParams["font.family"]) == before

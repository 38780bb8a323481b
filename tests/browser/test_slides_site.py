"""The lecture slides and the course website in a real browser, from disk (file://) with the network blocked:
a deck renders and advances, the website's index and a chapter show navigation, typeset maths, figures and the
stored widgets. Screenshots go to build/browser/.

Needs the full builds: `make slides site` (`make test-browser` builds them first).
"""

import re
from pathlib import Path

import pytest

from course_lib import course

REPO = Path(__file__).resolve().parents[2]
SLIDES = REPO / "build" / "slides"
SITE = REPO / "build" / "site" / "_build" / "html"
DECK = "02_softmax_cross_entropy"  # maths, a figure and a stored widget
CHAPTER = "02_softmax_cross_entropy"
STEMS = [file.removesuffix(".ipynb") for file, *_ in course.NOTEBOOKS]


@pytest.fixture
def offline(page):
    """The page with networking off: any http(s) request is aborted and recorded in ``page.remote_requests``."""
    page.remote_requests = []

    def block(route):
        page.remote_requests.append(route.request.url)
        route.abort("internetdisconnected")

    page.context.route(re.compile(r"^(https?|wss?)://"), block)
    page.context.set_offline(True)
    return page


def require(path, target):
    if not path.is_file():
        pytest.fail(f"{path} is missing: run `make {target}` first (`make test-browser` does).")


def test_every_notebook_has_its_deck_and_its_page():
    require(SLIDES / "index.html", "slides")
    require(SITE / "index.html", "site")
    assert [p for p in STEMS if not (SLIDES / f"{p}.slides.html").is_file()] == []
    assert [p for p in STEMS if not (SITE / "notebooks" / f"{p}.html").is_file()] == []


def test_deck_renders_offline_and_advances(offline, screenshot):
    page = offline
    require(SLIDES / f"{DECK}.slides.html", "slides")
    page.goto((SLIDES / f"{DECK}.slides.html").as_uri())
    page.wait_for_function("() => window.Reveal && Reveal.isReady()", timeout=30_000)
    assert page.evaluate("Reveal.getIndices()")["h"] == 0
    title = page.locator("section.present h1").first
    assert "Softmax and cross-entropy" in title.text_content()
    screenshot(page, "slides-01-title")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => Reveal.getIndices().h === 1", timeout=10_000)
    page.wait_for_timeout(1500)  # let the slide transition finish before the screenshot
    screenshot(page, "slides-02-after-arrow-right")
    # MathJax 2 (local copy) typesets the deck's TeX into CommonHTML
    page.wait_for_function("() => document.querySelectorAll('.mjx-chtml').length > 0", timeout=30_000)
    assert page.evaluate("Reveal.getTotalSlides()") >= 5
    assert page.remote_requests == [], f"the deck tried the network: {page.remote_requests}"
    errors = [e for e in page.console_errors if "net::ERR_INTERNET_DISCONNECTED" not in e]
    assert errors == [], errors


def test_site_index_and_a_chapter_offline(offline, screenshot):
    page = offline
    require(SITE / "index.html", "site")
    page.goto((SITE / "index.html").as_uri())
    page.wait_for_url(re.compile(r"intro\.html$"), timeout=15_000)
    nav = page.locator("nav.bd-docs-nav")
    links = nav.locator("a.reference.internal")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert [h for h in hrefs if h.startswith("notebooks/")] == [f"notebooks/{s}.html" for s in STEMS]
    for caption in course.PARTS.values():
        assert caption in nav.inner_text()
    screenshot(page, "site-01-index")

    nav.locator(f'a[href="notebooks/{CHAPTER}.html"]').click()
    page.wait_for_url(re.compile(f"{CHAPTER}\\.html$"), timeout=15_000)
    assert "Softmax and cross-entropy" in page.locator("article h1").first.inner_text()
    # MathJax 3 (local copy) has typeset the maths
    page.wait_for_function("() => document.querySelectorAll('mjx-container').length > 5", timeout=30_000)
    # every figure is loaded
    images = page.locator("article img")
    assert images.count() >= 1
    for i in range(images.count()):
        image = images.nth(i)
        image.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle(),
                               timeout=10_000)
    # the stored temperature slider is drawn from its saved state by the local widgets manager
    slider = page.locator(".jupyter-widgets .widget-slider, .jupyter-widgets .slider-container").first
    slider.wait_for(timeout=30_000)
    slider.scroll_into_view_if_needed()
    screenshot(page, "site-02-chapter-widget")
    page.locator("mjx-container").first.scroll_into_view_if_needed()
    screenshot(page, "site-03-chapter-maths")
    assert page.remote_requests == [], f"the website tried the network: {page.remote_requests}"


ZH_SITE = REPO / "build" / "zh_CN" / "site" / "_build" / "html"
ZH_SLIDES = REPO / "build" / "zh_CN" / "slides"


def test_zh_site_chapter_and_deck_offline(offline, screenshot):
    """The Chinese edition (`make site slides` build it too): chapter 02 with its Chinese title, Chinese navigation
    labels and typeset maths; its deck opens on the Chinese title."""
    page = offline
    require(ZH_SITE / "index.html", "site")
    require(ZH_SLIDES / f"{DECK}.slides.html", "slides")
    page.goto((ZH_SITE / "notebooks" / f"{CHAPTER}.html").as_uri())
    assert re.search(r"[\u4e00-\u9fff]", page.locator("article h1").first.inner_text()), "the title is not Chinese"
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    page.wait_for_function("() => document.querySelectorAll('mjx-container').length > 5", timeout=30_000)
    assert "上一页" in page.locator(".prev-next-area").inner_text(), "the theme's labels are not in Chinese"
    screenshot(page, "site-zh-01-chapter")
    page.goto((ZH_SLIDES / f"{DECK}.slides.html").as_uri())
    page.wait_for_function("() => window.Reveal && Reveal.isReady()", timeout=30_000)
    assert re.search(r"[\u4e00-\u9fff]", page.locator("section.present h1").first.text_content())
    screenshot(page, "slides-zh-01-title")
    assert page.remote_requests == [], f"the Chinese edition tried the network: {page.remote_requests}"

"""Build the lecture slides (`make slides`) and the course website's sources (`make site`) from the notebooks'
stored outputs, without re-running them, so that both work offline.

    python book/build.py slides [--lang zh_CN] [--out build/slides] [NOTEBOOK ...]
    python book/build.py site   [--lang zh_CN] [--out build/site] [--jupyter-book .venv-site/bin/jupyter-book]
                                [NOTEBOOK ...]

Both read JavaScript and fonts (reveal.js, MathJax, require.js, jQuery, the widgets' HTML manager) from
``build/vendor/node_modules``, which `make` fills with ``npm ci`` from ``book/package.json``, and copy what they
use next to the pages: no page loads anything from the internet. The order and titles come from the course map,
``course_lib.course`` (the one table of the notebooks). NOTEBOOK arguments (file names) build a subset.

``--lang zh_CN`` builds the Chinese edition from notebooks/zh_CN/ (tools/i18n.py writes them from the catalogs) into
build/zh_CN/slides and build/zh_CN/site: titles and part names as its notebooks' title cells give them, Sphinx's and
the theme's own labels in Chinese (Sphinx ``language``).
"""

import argparse
import html
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from course_lib import course
from course_lib.files import atomic_write
from course_lib.i18n import _ as translate

REPO = Path(__file__).resolve().parents[1]
BOOK = REPO / "book"
NOTEBOOKS = REPO / "notebooks"
VENDOR = REPO / "build" / "vendor" / "node_modules"

# What each output folder needs from the npm packages: (source inside VENDOR, destination inside _static).
SLIDE_ASSETS = [
    ("reveal.js/dist", "reveal.js/dist"),
    ("reveal.js/plugin/notes", "reveal.js/plugin/notes"),
    # MathJax 2: nbconvert's reveal template calls MathJax 2's API (MathJax.Hub) when a slide changes.
    ("mathjax/MathJax.js", "mathjax/MathJax.js"),
    ("mathjax/config/TeX-AMS_CHTML-full.js", "mathjax/config/TeX-AMS_CHTML-full.js"),
    ("mathjax/config/Safe.js", "mathjax/config/Safe.js"),
    ("mathjax/extensions", "mathjax/extensions"),
    ("mathjax/jax/element", "mathjax/jax/element"),
    ("mathjax/jax/input/TeX", "mathjax/jax/input/TeX"),
    ("mathjax/jax/output/CommonHTML", "mathjax/jax/output/CommonHTML"),
    ("mathjax/fonts/HTML-CSS/TeX/woff", "mathjax/fonts/HTML-CSS/TeX/woff"),
    ("jquery/dist/jquery.min.js", "jquery.min.js"),
    ("requirejs/require.js", "require.js"),
    ("@jupyter-widgets/html-manager/dist", "html-manager"),
]
SITE_ASSETS = [
    ("mathjax3/es5", "mathjax3"),  # Sphinx's MathJax 3 (mathjax_path in book/_config.yml)
    ("requirejs/require.js", "require.js"),
    ("@jupyter-widgets/html-manager/dist", "html-manager"),
]
SKIP = shutil.ignore_patterns("*.map", "embed.js", "embed.js.LICENSE.txt", "sre")

SLIDES_CONFIG = {
    "template_name": "course_slides",  # book/templates/course_slides: nbconvert's reveal template, offline
    "extra_template_basedirs": [str(BOOK / "templates")],
    "reveal_url_prefix": "_static/reveal.js",
    "reveal_theme": "white",  # its fonts are local (the "simple" theme imports Google Fonts)
    "reveal_scroll": True,  # long slides scroll instead of being cut off
    "mathjax_url": "_static/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe",
    "jquery_url": "_static/jquery.min.js",
    "require_js_url": "_static/require.js",
    "widget_renderer_url": "_static/html-manager/embed-amd.js",
}


# What differs between the editions: where the notebooks are, where the builds go, the words around them.
EDITIONS = {
    "en": {
        "notebooks": NOTEBOOKS, "build": REPO / "build", "html_lang": "en",
        "book_title": "Handwritten digits, from tensors to convolutional networks", "map_title": "The course map",
        "intro": "A hands-on deep-learning course on MNIST: a digit recogniser built from nothing but NumPy, then "
                 "again with Keras. This website shows every notebook with the outputs stored in the repository "
                 "(full mode, 2-core laptop CPU). To run the code and do the exercises, open the notebooks in "
                 "JupyterLab (`make lab`).",
        "slides_title": "Lecture slides",
        "slides_help": "One reveal.js deck per notebook, from its stored outputs. Arrow keys move, <kbd>Esc</kbd> "
                       "shows the overview, <kbd>S</kbd> opens the speaker view. Works offline.",
    },
    "zh_CN": {
        "notebooks": NOTEBOOKS / "zh_CN", "build": REPO / "build" / "zh_CN", "html_lang": "zh-CN",
        "book_title": "手写数字：从张量到卷积神经网络", "author": "MNIST课程", "map_title": "课程地图",
        "intro": "这是一门基于MNIST的动手实践深度学习课程：先只用NumPy从零搭建一个手写数字识别器，再用Keras重新实现。"
                 "本网站展示每个笔记本以及仓库中保存的输出（完整模式，双核笔记本电脑CPU）。要运行代码、完成练习，"
                 "请在JupyterLab中打开这些笔记本（`make lab-zh`）。",
        # myst-nb's toggle of a collapsed solution cell (its default: "Show code cell source")
        "sphinx": {"nb_code_prompt_show": "显示代码", "nb_code_prompt_hide": "隐藏代码"},
        "slides_title": "课程幻灯片",
        "slides_help": "每个笔记本一套reveal.js幻灯片，内容来自其保存的输出。用方向键翻页，"
                       "<kbd>Esc</kbd>显示全部幻灯片，<kbd>S</kbd>打开演讲者视图。无需联网。",
    },
}


def heading_title(path):
    """The title the notebook at ``path`` shows in its ``# NN · title`` heading, or a ValueError naming it."""
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: `make zh` (tools/i18n.py build) writes the edition's notebooks.")
    nb = json.loads(path.read_text(encoding="utf-8"))
    cell = next((c for c in nb["cells"] if c["cell_type"] == "markdown"), {"source": ""})
    lines = "".join(cell["source"]).splitlines()
    heading = re.fullmatch(r"# \d\d · (.+)", lines[0]) if lines else None
    if heading is None:
        raise ValueError(f"{path}: its first Markdown cell must start with '# NN · title' (tools/i18n.py build "
                         "writes it from the catalogs).")
    return heading.group(1)


def course_notebooks(only=(), lang="en"):
    """The course map's notebooks in teaching order: a list of (file, title, part, caption) for those in ``only``
    (all when empty), ``part`` the course map's key ("II"), ``caption`` its heading (``course.PARTS``, in ``lang``
    from course_lib's catalog). English titles come from the course map, another edition's from its notebooks'
    title cells. Unknown names raise ValueError naming them."""
    known = [(file, title, part, translate(course.PARTS[part], lang))
             for file, title, part, _what in course.NOTEBOOKS]
    unknown = sorted(set(only) - {file for file, *_ in known})
    if unknown:
        raise ValueError(f"not notebooks of the course map: {unknown}; known: {[f for f, *_ in known]}.")
    chosen = [row for row in known if not only or row[0] in only]
    if lang == "en":
        return chosen
    return [(file, heading_title(EDITIONS[lang]["notebooks"] / file), part, caption)
            for file, _title, part, caption in chosen]


def copy_assets(assets, static):
    """Copy the npm files in ``assets`` into the folder ``static``; a clear error when npm has not run."""
    for source, dest in assets:
        src = VENDOR / source
        if not src.exists():
            raise FileNotFoundError(f"{src} is missing: run `make vendor` (npm ci from book/package.json) first.")
        target = static / dest
        target.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, target, ignore=SKIP, dirs_exist_ok=True)
        else:
            shutil.copy2(src, target)


def write_text(path, text):
    """Write ``text`` to ``path`` atomically (``course_lib.files.atomic_write``)."""
    with atomic_write(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def deck_name(notebook):
    """``02_softmax_cross_entropy.ipynb`` -> ``02_softmax_cross_entropy.slides.html``."""
    return notebook.removesuffix(".ipynb") + ".slides.html"


def build_slides(out, only=(), lang="en"):
    """Export each notebook of the edition ``lang`` to a reveal.js deck ``out/NN_name.slides.html`` plus
    ``out/index.html`` (the list of decks by part) and ``out/_static`` (reveal.js, MathJax 2, ...). Returns the list
    of deck paths."""
    from nbconvert import SlidesExporter
    from traitlets.config import Config

    edition = EDITIONS[lang]
    notebooks = course_notebooks(only, lang)
    config = Config()
    for key, value in SLIDES_CONFIG.items():
        setattr(config.SlidesExporter, key, value)
    exporter = SlidesExporter(config=config)
    out.mkdir(parents=True, exist_ok=True)
    copy_assets(SLIDE_ASSETS, out / "_static")
    decks = []
    for file, *_ in notebooks:
        body, _resources = exporter.from_filename(str(edition["notebooks"] / file))
        deck = out / deck_name(file)
        write_text(deck, body)
        decks.append(deck)
    items, last_part = [], None
    for file, title, part, caption in notebooks:
        if part != last_part:
            items.append(f"<h2>{html.escape(caption)}</h2>")
            last_part = part
        items.append(f'<p><a href="{deck_name(file)}">{file[:2]} · {html.escape(title)}</a></p>')
    write_text(out / "index.html", "\n".join([
        f'<!DOCTYPE html>\n<html lang="{edition["html_lang"]}"><head><meta charset="utf-8">'
        f'<title>{edition["slides_title"]}</title>',
        "<style>body{font-family:sans-serif;max-width:48em;margin:2em auto}</style></head><body>",
        f"<h1>{edition['slides_title']}</h1>", f"<p>{edition['slides_help']}</p>",
        *items, "</body></html>\n"]))
    return decks


def toc_yaml(notebooks):
    """The Jupyter Book table of contents (jb-book format): the intro page, then one captioned part per
    course part with its notebooks in order."""
    lines = ["# Generated by book/build.py from course_lib/course.py: do not edit.", "format: jb-book",
             "root: intro", "parts:"]
    last_part = None
    for file, _title, part, caption in notebooks:
        if part != last_part:
            lines += [f"  - caption: {json.dumps(caption, ensure_ascii=False)}", "    chapters:"]
            last_part = part
        lines.append(f"      - file: notebooks/{file.removesuffix('.ipynb')}")
    return "\n".join(lines) + "\n"


def intro_markdown(notebooks, lang="en"):
    """The website's first page: what the course is, and the course map (linked to each notebook's page; only
    the rows of ``notebooks`` in a partial build). English shows the course map's table; another edition lists
    its notebooks' titles by part."""
    edition = EDITIONS[lang]
    if lang == "en":
        # the course map links to "NN_name.ipynb"; on the website the notebooks live in notebooks/
        built = {f"](notebooks/{file})" for file, *_ in notebooks}
        course_map = "\n".join(line for line in course.course_map_markdown().replace("](", "](notebooks/").splitlines()
                                if "](notebooks/" not in line or any(link in line for link in built))
    else:
        lines, last_part = [], None
        for file, title, part, caption in notebooks:
            if part != last_part:
                lines += ["", f"**{caption}**", ""]
                last_part = part
            lines.append(f"- [{file[:2]} · {title}](notebooks/{file})")
        course_map = "\n".join(lines[1:])
    return "\n".join([f"# {edition['book_title']}", "", edition["intro"], "", f"## {edition['map_title']}", "",
                      course_map, ""])


def site_config(lang="en"):
    """The text of book/_config.yml for the edition ``lang``: another edition gets its own title and author,
    Sphinx's ``language``, which puts Sphinx's and the theme's own labels (search, navigation) in that language,
    and its ``sphinx`` settings."""
    text = (BOOK / "_config.yml").read_text(encoding="utf-8")
    if lang == "en":
        return text
    config = yaml.safe_load(text)
    config.update(title=EDITIONS[lang]["book_title"], author=EDITIONS[lang]["author"])
    config["sphinx"]["config"].update(language=lang, **EDITIONS[lang]["sphinx"])
    return yaml.safe_dump(config, allow_unicode=True, sort_keys=False)


def site_notebook(path):
    """The notebook at ``path`` as JSON text for the website: reference-solution cells (tag ``solution``) get
    the tag ``hide-input``, so the page shows them collapsed behind a toggle, as JupyterLab does."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        tags = cell.get("metadata", {}).get("tags", [])
        if "solution" in tags and "hide-input" not in tags:
            cell["metadata"]["tags"] = [*tags, "hide-input"]
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


def build_site(out, jupyter_book, only=(), lang="en"):
    """Stage the website's sources of the edition ``lang`` in ``out/src`` (its _config.yml, a generated _toc.yml
    and intro page, the notebooks, the npm assets in _vendor, which Sphinx copies into the pages' _static) and build
    the HTML with Jupyter Book into ``out/_build/html``. Returns the path of ``index.html``."""
    notebooks = course_notebooks(only, lang)
    src = out / "src"
    if src.exists():
        shutil.rmtree(src)
    (src / "notebooks").mkdir(parents=True)
    write_text(src / "_config.yml", site_config(lang))
    write_text(src / "_toc.yml", toc_yaml(notebooks))
    write_text(src / "intro.md", intro_markdown(notebooks, lang))
    for file, *_ in notebooks:
        write_text(src / "notebooks" / file, site_notebook(EDITIONS[lang]["notebooks"] / file))
    # not in src/_static: Jupyter Book would add every .js file there to every page
    copy_assets(SITE_ASSETS, src / "_vendor")
    html_dir = out / "_build" / "html"
    if html_dir.exists():
        shutil.rmtree(html_dir)
    subprocess.run([str(jupyter_book), "build", "--quiet", "--path-output", str(out), str(src)], check=True)
    return html_dir / "index.html"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", choices=["slides", "site"])
    parser.add_argument("notebooks", nargs="*", help="notebook file names (default: every notebook)")
    parser.add_argument("--lang", choices=sorted(EDITIONS), default="en",
                        help="the edition: en (notebooks/) or zh_CN (notebooks/zh_CN/); default en")
    parser.add_argument("--out", type=Path,
                        help="output folder (default: build/slides or build/site; build/zh_CN/... for zh_CN)")
    parser.add_argument("--jupyter-book", default=str(REPO / ".venv-site" / "bin" / "jupyter-book"),
                        help="the jupyter-book executable (default: .venv-site/bin/jupyter-book)")
    args = parser.parse_intermixed_args(argv)
    try:
        if args.target == "slides":
            decks = build_slides(args.out or EDITIONS[args.lang]["build"] / "slides", args.notebooks, args.lang)
            print(f"{len(decks)} decks in {decks[0].parent}/ (open index.html; works offline)")
        else:
            index = build_site(args.out or EDITIONS[args.lang]["build"] / "site", args.jupyter_book, args.notebooks,
                               args.lang)
            print(f"website: {index} (works offline)")
    except (ValueError, FileNotFoundError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The Chinese edition from the English notebooks and gettext catalogs (`make zh`).

The English notebooks are the only source. Each Markdown cell is split into translation units (`blocks`):
paragraphs, headings, lists and tables separated by blank lines; a fenced code block or a `$$` display-math block
stays whole and is never translated. Each notebook has its catalog, locale/zh_CN/LC_MESSAGES/NN_name.po, with one
entry per English unit (its msgid) and the Chinese text (its msgstr).

Usage: python tools/i18n.py update   write or refresh every catalog from the English notebooks
"""

import re
import sys
from pathlib import Path

import nbformat
import polib

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"
LOCALE_DIR = ROOT / "locale"
LANG = "zh_CN"
CATALOG_DIR = LOCALE_DIR / LANG / "LC_MESSAGES"
FENCE = re.compile(r"^\s*(```|~~~)")


def blocks(markdown):
    """Split one Markdown cell into units separated by blank lines, keeping fenced code and `$$` math whole.

    Returns a list of (text, translatable) pairs; joining the texts with a blank line rebuilds the cell.
    """
    units, current, fence, math = [], [], None, False
    for line in markdown.splitlines():
        stripped = line.strip()
        if fence:
            current.append(line)
            if stripped.startswith(fence):
                fence = None
            continue
        if math:
            current.append(line)
            if stripped.endswith("$$"):
                math = False
            continue
        if FENCE.match(line):
            fence = FENCE.match(line).group(1)
        elif stripped.startswith("$$") and not (len(stripped) > 2 and stripped.endswith("$$")):
            math = True
        if not stripped and not fence and not math:
            if current:
                units.append("\n".join(current))
                current = []
            continue
        current.append(line)
    if current:
        units.append("\n".join(current))
    return [(u, translatable(u)) for u in units]


def translatable(unit):
    """A unit is translated unless it is only a fenced code block or only display math."""
    s = unit.strip()
    return not (FENCE.match(s) or (s.startswith("$$") and s.endswith("$$")))


def english_notebooks():
    return sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))


def catalog_path(notebook):
    return CATALOG_DIR / (Path(notebook).stem + ".po")


def template(notebook):
    """A catalog with one untranslated entry per translatable unit of the notebook, in reading order."""
    nb = nbformat.read(notebook, as_version=4)
    pot = polib.POFile(wrapwidth=0)
    pot.metadata = {
        "Project-Id-Version": "mnist-course",
        "Language": LANG,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=1; plural=0;",
    }
    seen = {}
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for text, ok in blocks(cell.source):
            if not ok:
                continue
            where = (f"{Path(notebook).name}", cell.get("id", "?"))
            if text in seen:
                seen[text].occurrences.append(where)
                continue
            seen[text] = polib.POEntry(msgid=text, msgstr="", occurrences=[where])
            pot.append(seen[text])
    return pot


def update():
    """Write each notebook's catalog: translations of unchanged units kept, new units added empty."""
    CATALOG_DIR.mkdir(parents=True, exist_ok=True)
    for notebook in english_notebooks():
        pot = template(notebook)
        path = catalog_path(notebook)
        if path.exists():
            old = {e.msgid: e for e in polib.pofile(str(path), wrapwidth=0) if not e.obsolete}
            for entry in pot:
                if entry.msgid in old:
                    entry.msgstr = old[entry.msgid].msgstr
                    entry.flags = list(old[entry.msgid].flags)
        pot.save(str(path))
        done = sum(1 for e in pot if e.msgstr and "fuzzy" not in e.flags)
        print(f"{path.relative_to(ROOT)}: {done}/{len(pot)} translated")


if __name__ == "__main__":
    if sys.argv[1:] != ["update"]:
        sys.exit(__doc__)
    update()

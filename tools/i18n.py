"""The Chinese edition from the English notebooks and gettext catalogs (`make zh`).

The English notebooks are the only source. Each Markdown cell is split into translation units (`blocks`):
paragraphs, headings, lists and tables separated by blank lines; a fenced code block or a `$$` display-math block
stays whole and is never translated. Each notebook has its catalog, locale/zh_CN/LC_MESSAGES/NN_name.po, with one
entry per English unit (its msgid) and the Chinese text (its msgstr). The Chinese notebooks,
notebooks/zh_CN/NN_name.ipynb, are generated: a first cell that sets COURSE_LANG=zh_CN, then every English cell with
the same id, code and outputs, each Markdown cell rebuilt from its units' translations.

Usage: python tools/i18n.py update   refresh every catalog from the English notebooks (GNU gettext's msgmerge: a
                                     changed unit keeps its old translation, marked fuzzy; a deleted one is obsolete)
       python tools/i18n.py build [--allow-untranslated]
                                     write notebooks/zh_CN/ from the catalogs; refuses while a unit is untranslated
                                     (empty or fuzzy) unless --allow-untranslated (development only: English shown)
       python tools/i18n.py check    exit 1 listing untranslated or fuzzy entries, English units with no entry,
                                     obsolete entries and zh_CN notebooks that differ from a fresh build
"""

import argparse
import copy
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
import polib

from course_lib.files import atomic_write

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"
LANG = "zh_CN"
CATALOG_DIR = ROOT / "locale" / LANG / "LC_MESSAGES"
OUTPUT_DIR = NOTEBOOK_DIR / LANG
FENCE = re.compile(r"^\s*(```|~~~)")
LANG_CELL_ID = "zh-lang"
LANG_CELL_SOURCE = (
    "# 中文版：让course_lib的反馈、提示和报错信息使用中文（须在导入course_lib之前运行）\n"
    "import os\n"
    "\n"
    f'os.environ["COURSE_LANG"] = "{LANG}"'
)


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


def english_notebooks(notebook_dir=NOTEBOOK_DIR):
    return sorted(Path(notebook_dir).glob("[0-9][0-9]_*.ipynb"))


def catalog_path(notebook, catalog_dir=CATALOG_DIR):
    return Path(catalog_dir) / (Path(notebook).stem + ".po")


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


def write_if_changed(path, text):
    """Atomically write `text` to `path` unless it already holds exactly that; returns whether it wrote."""
    path = Path(path)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    with atomic_write(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return True


def msgmerge(catalog, pot):
    """GNU gettext's msgmerge of the old catalog (a Path) with a new template (a POFile); returns the merged POFile.

    Entries whose msgid is unchanged keep their translation; a new msgid close to an old one gets the old
    translation marked fuzzy, with the old msgid as `#| msgid` (--previous); old entries nobody matched become
    obsolete (`#~`).
    """
    exe = shutil.which("msgmerge")
    if exe is None:
        sys.exit("tools/i18n.py update needs GNU gettext's msgmerge: `sudo apt-get install gettext` "
                 "(Debian/Ubuntu; `make zh` installs it when run as root)")
    with tempfile.TemporaryDirectory() as tmp:
        pot_path, out = Path(tmp) / "template.pot", Path(tmp) / "merged.po"
        pot.save(str(pot_path))
        result = subprocess.run([exe, "--quiet", "--previous", "--no-wrap", "--output-file", str(out),
                                 str(catalog), str(pot_path)], capture_output=True, text=True)
        if result.returncode:
            sys.exit(f"msgmerge could not merge {catalog}: {result.stderr.strip()}\n"
                     f"Fix the catalog's syntax (check it with `msgfmt --check -o /dev/null {catalog}`).")
        merged = polib.pofile(str(out), wrapwidth=0)
    # msgmerge reads `file:id` as `file:line` (id 01749201 would become 1749201): the template's references stand.
    where = {e.msgid: e.occurrences for e in pot}
    for entry in merged:
        if not entry.obsolete:
            entry.occurrences = where[entry.msgid]
    return merged


def translated(entry):
    return bool(entry.msgstr) and "fuzzy" not in entry.flags and not entry.obsolete


def update(notebook_dir=NOTEBOOK_DIR, catalog_dir=CATALOG_DIR):
    """Refresh each notebook's catalog from its English notebook (see `msgmerge`); a new catalog starts empty."""
    for notebook in english_notebooks(notebook_dir):
        pot = template(notebook)
        path = catalog_path(notebook, catalog_dir)
        po = msgmerge(path, pot) if path.exists() else pot
        write_if_changed(path, str(po))
        active = [e for e in po if not e.obsolete]
        fuzzy = sum(1 for e in active if "fuzzy" in e.flags)
        print(f"{path.name}: {sum(map(translated, active))}/{len(active)} translated, {fuzzy} fuzzy, "
              f"{len(po.obsolete_entries())} obsolete")


def build_notebook(notebook, catalog, allow_untranslated=False):
    """The Chinese edition of one English notebook as a NotebookNode, and the English units left untranslated.

    notebook, catalog: paths of the English .ipynb and its .po. Code cells, outputs, attachments and ids are copied;
    each Markdown cell's translatable units are replaced by their msgstr (the English unit when untranslated, which
    only `allow_untranslated` accepts: otherwise the returned node is None).
    """
    nb = nbformat.read(notebook, as_version=4)
    if not Path(catalog).exists():
        raise SystemExit(f"{notebook} has no catalog {catalog}: run `python tools/i18n.py update` first")
    po = polib.pofile(str(catalog), wrapwidth=0)
    chinese = {e.msgid: e.msgstr for e in po if translated(e)}
    missing = []
    zh = copy.deepcopy(nb)
    for cell in zh.cells:
        if cell.cell_type != "markdown":
            continue
        units = []
        for text, ok in blocks(cell.source):
            if ok and text not in chinese:
                missing.append(text)
            units.append(chinese.get(text, text) if ok else text)
        cell.source = "\n\n".join(units)
    if LANG_CELL_ID in {cell.get("id") for cell in nb.cells}:
        raise SystemExit(f"{notebook}: a cell has the id {LANG_CELL_ID!r}, which the Chinese edition's first cell uses")
    lang_cell = nbformat.v4.new_code_cell(LANG_CELL_SOURCE, id=LANG_CELL_ID)
    lang_cell.metadata = {"slideshow": {"slide_type": "skip"}, "tags": ["remove-cell"]}
    zh.cells.insert(0, lang_cell)
    zh.metadata["language"] = LANG
    nbformat.validate(zh)
    if missing and not allow_untranslated:
        return None, missing
    return zh, missing


def render(nb):
    """The file text of a notebook, as nbformat.write (and JupyterLab) write it."""
    return nbformat.writes(nb) + "\n"


def build(notebook_dir=NOTEBOOK_DIR, catalog_dir=CATALOG_DIR, output_dir=OUTPUT_DIR, allow_untranslated=False):
    """Write output_dir/NN_name.ipynb for every English notebook; remove Chinese notebooks with no English source.

    Refuses (SystemExit listing every untranslated unit, nothing written) while any catalog is incomplete, unless
    allow_untranslated.
    """
    built, untranslated = {}, []
    for notebook in english_notebooks(notebook_dir):
        zh, missing = build_notebook(notebook, catalog_path(notebook, catalog_dir), allow_untranslated)
        built[Path(output_dir) / notebook.name] = zh
        untranslated += [f"{catalog_path(notebook, catalog_dir).name}: {unit[:80]!r}" for unit in missing]
    if untranslated and not allow_untranslated:
        raise SystemExit(f"{len(untranslated)} English units have no translation (empty or fuzzy entries), so no "
                         "Chinese notebook was written:\n  " + "\n  ".join(untranslated) +
                         "\nTranslate them in the catalogs (fill msgstr, remove the fuzzy flag), or for a draft "
                         "build with English in their place: python tools/i18n.py build --allow-untranslated")
    for path, zh in built.items():
        if write_if_changed(path, render(zh)):
            print(f"wrote {path.relative_to(Path(output_dir).parent)}")
    for stale in sorted(set(english_notebooks(output_dir)) - set(built)):
        stale.unlink()
        print(f"removed {stale} (no English source)")
    if untranslated:
        print(f"WARNING: {len(untranslated)} units left in English (--allow-untranslated): a draft, not for commit")


def check(notebook_dir=NOTEBOOK_DIR, catalog_dir=CATALOG_DIR, output_dir=OUTPUT_DIR):
    """Every way the Chinese edition is out of step with the English notebooks, as a list of lines (empty: none)."""
    problems = []
    notebooks = english_notebooks(notebook_dir)
    for notebook in notebooks:
        path = catalog_path(notebook, catalog_dir)
        if not path.exists():
            problems.append(f"{path}: missing; run `python tools/i18n.py update`")
            continue
        po = polib.pofile(str(path), wrapwidth=0)
        current = {e.msgid for e in template(notebook)}
        entries = {e.msgid: e for e in po if not e.obsolete}
        for msgid in current - set(entries):
            problems.append(f"{path.name}: English unit with no entry (run update): {msgid[:80]!r}")
        for e in po:
            if e.obsolete or e.msgid not in current:
                problems.append(f"{path.name}: obsolete entry (its English unit is gone; delete it): {e.msgid[:80]!r}")
            elif "fuzzy" in e.flags:
                problems.append(f"{path.name}: fuzzy entry (the English changed; re-translate, remove the fuzzy "
                                f"flag): {e.msgid[:80]!r}")
            elif not e.msgstr:
                problems.append(f"{path.name}: untranslated entry: {e.msgid[:80]!r}")
        zh, _ = build_notebook(notebook, path, allow_untranslated=True)
        out = Path(output_dir) / notebook.name
        if not out.exists() or out.read_text(encoding="utf-8") != render(zh):
            problems.append(f"{out}: differs from a fresh build; run `python tools/i18n.py build`")
    names = {n.stem for n in notebooks}
    problems += [f"{p}: no English notebook {p.stem}.ipynb; delete it"
                 for p in sorted(Path(catalog_dir).glob("*.po")) if p.stem not in names]
    problems += [f"{p}: no English notebook {p.name}; run `python tools/i18n.py build` (it removes it)"
                 for p in english_notebooks(output_dir) if p.stem not in names]
    return problems


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("update", help="refresh every catalog from the English notebooks (msgmerge)")
    build_parser = commands.add_parser("build", help="write notebooks/zh_CN/ from the catalogs")
    build_parser.add_argument("--allow-untranslated", action="store_true",
                              help="development only: keep English where a unit is untranslated")
    commands.add_parser("check", help="exit 1 listing what is out of step")
    args = parser.parse_args(argv)
    if args.command == "update":
        update()
    elif args.command == "build":
        build(allow_untranslated=args.allow_untranslated)
    else:
        problems = check()
        if problems:
            sys.exit(f"The Chinese edition is out of step ({len(problems)} problems):\n" + "\n".join(problems))
        print("The Chinese edition is in step with the English notebooks.")


if __name__ == "__main__":
    main()

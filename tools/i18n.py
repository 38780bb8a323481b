"""The Chinese edition from the English notebooks and gettext catalogs (`make zh`).

The English notebooks are the only source. Each Markdown cell is split into translation units (`blocks`):
paragraphs, headings, lists and tables separated by blank lines; a fenced code block or a `$$` display-math block
stays whole and is never translated. Each notebook has its catalog, locale/zh_CN/LC_MESSAGES/NN_name.po, with one
entry per English unit (its msgid) and the Chinese text (its msgstr). The Chinese notebooks,
notebooks/zh_CN/NN_name.ipynb, are generated: a first cell that sets COURSE_LANG=zh_CN, then every English cell with
the same id, code and outputs (the lines course_lib printed in them in Chinese, from the library's own catalog, as a
Chinese kernel prints them: nbval compares them), each Markdown cell rebuilt from its units' translations.

The part line under each notebook's title (`course.part_line`: its part and its minutes, which change whenever a
notebook is re-measured) is no translation unit: the build writes it in Chinese from course_lib's catalog.

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

from course_lib import course
from course_lib.files import atomic_write

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"
LANG = "zh_CN"
CATALOG_DIR = ROOT / "locale" / LANG / "LC_MESSAGES"
OUTPUT_DIR = NOTEBOOK_DIR / LANG
# course_lib's own catalog (its checker feedback, hints, quiz and error messages; read by course_lib at run time)
LIBRARY_CATALOG = ROOT / "course_lib" / "locale" / LANG / "LC_MESSAGES" / "course_lib.po"
FIELD = re.compile(r"\{(\w+)(?:![rsa])?(?::[^{}]*)?\}")
MIN_LITERAL = 10  # letters of fixed text a library message needs before a stored output line is taken for it
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


def split_part_line(notebook, cell, index):
    """The Markdown ``cell`` (the ``index``-th of the notebook at path ``notebook``) as (pieces, line, gaps): the
    text before and after the course map's part line, the line, and the separators ("\\n", or "\\n\\n" next to a
    blank line) that joined them; ``([source], None, None)`` for a cell without one (every cell but the first of a
    course notebook). A first cell whose ``*Part ...*`` line is not the course map's (stale times) exits saying how
    to refresh it."""
    name = Path(notebook).name
    lines = cell.source.splitlines()
    found = [i for i, line in enumerate(lines) if re.fullmatch(r"\*Part [IVX]+ · [^*]+\*", line)]
    if index != 0 or name not in course.FILES or not found:
        return [cell.source], None, None
    expected = course.part_line(name)
    if [lines[i] for i in found] != [expected]:
        raise SystemExit(f"{notebook}: its part line {[lines[i] for i in found]} is not the course map's {expected!r}: "
                         "run `make times` (tools/profile_notebooks.py --times-only), then this again.")
    at = found[0]
    gaps = ["\n\n" if 0 <= i < len(lines) and not lines[i].strip() else "\n" for i in (at - 1, at + 1)]
    return ["\n".join(lines[:at]), "\n".join(lines[at + 1:])], lines[at], gaps


def markdown_cells(nb, notebook):
    """(cell, pieces, part line, gaps) of every Markdown cell (``split_part_line``)."""
    cells = [cell for cell in nb.cells if cell.cell_type == "markdown"]
    return [(cell, *split_part_line(notebook, cell, i)) for i, cell in enumerate(cells)]


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
    for cell, pieces, _line, _gaps in markdown_cells(nb, notebook):
        for text, ok in (unit for piece in pieces for unit in blocks(piece)):
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


class LibraryMessages:
    """English lines course_lib printed into the stored outputs, in the Chinese a `COURSE_LANG=zh_CN` kernel prints.

    Built from the library's catalog (a path; absent: nothing is translated). A line is translated when it is a
    message whole: its msgid, or a msgid with `{name}` fields whose fixed text matches around the values; the values
    are translated the same way (a nested message) and put into the msgstr's fields. Messages with fewer than
    MIN_LITERAL letters of fixed text are left alone (`{message} {advice}` would match any line).
    """

    def __init__(self, catalog):
        entries = [e for e in polib.pofile(str(catalog)) if translated(e)] if Path(catalog).exists() else []
        entries = [e for e in entries if len(re.sub(r"[^A-Za-z]", "", FIELD.sub("", e.msgid))) >= MIN_LITERAL
                   and "{{" not in e.msgid]
        self.exact = {e.msgid: e.msgstr for e in entries if not FIELD.search(e.msgid)}
        # the most specific first: most fixed text
        with_fields = sorted((e for e in entries if FIELD.search(e.msgid)), key=lambda e: -len(FIELD.sub("", e.msgid)))
        self.patterns = [(self.pattern(e.msgid), e.msgstr) for e in with_fields]

    @staticmethod
    def pattern(msgid):
        rx, seen, end = "", set(), 0
        for field in FIELD.finditer(msgid):
            name = field.group(1)
            rx += re.escape(msgid[end:field.start()]) + (f"(?P={name})" if name in seen else f"(?P<{name}>.+?)")
            seen.add(name)
            end = field.end()
        return re.compile(rx + re.escape(msgid[end:]), re.S)

    def __call__(self, text):
        if text in self.exact:
            return self.exact[text]
        for rx, msgstr in self.patterns:
            match = rx.fullmatch(text)
            if match:
                return FIELD.sub(lambda f, m=match: self(m.groupdict().get(f.group(1), f.group(0))), msgstr)
        return text

    def outputs(self, outputs):
        """Stored outputs (stream text, text/plain and text/markdown data) with every message line translated."""
        def lines(text):
            return "".join(self(line.rstrip("\n")) + line[len(line.rstrip("\n")):]
                           for line in text.splitlines(keepends=True))
        for output in outputs:
            if output.output_type == "stream":
                output.text = lines(output.text)
            for kind in ("text/plain", "text/markdown"):
                if kind in output.get("data", {}):
                    output.data[kind] = lines(output.data[kind])
        return outputs


def build_notebook(notebook, catalog, allow_untranslated=False, library_catalog=None):
    """The Chinese edition of one English notebook as a NotebookNode, and the English units left untranslated.

    notebook, catalog: paths of the English .ipynb and its .po. Code cells, outputs, attachments and ids are copied,
    with the library's messages in the outputs in Chinese (LibraryMessages of library_catalog, by default
    LIBRARY_CATALOG) as a Chinese kernel prints them; each Markdown cell's translatable units are replaced by their
    msgstr (the English unit when untranslated, which only `allow_untranslated` accepts: otherwise the returned node
    is None).
    """
    nb = nbformat.read(notebook, as_version=4)
    if not Path(catalog).exists():
        raise SystemExit(f"{notebook} has no catalog {catalog}: run `python tools/i18n.py update` first")
    po = polib.pofile(str(catalog), wrapwidth=0)
    chinese = {e.msgid: e.msgstr for e in po if translated(e)}
    missing = []
    zh = copy.deepcopy(nb)
    messages = LibraryMessages(library_catalog or LIBRARY_CATALOG)
    for cell in zh.cells:
        if cell.cell_type == "code":
            messages.outputs(cell.outputs)
    for cell, pieces, line, gaps in markdown_cells(zh, notebook):
        translated_pieces = []
        for piece in pieces:
            units = []
            for text, ok in blocks(piece):
                if ok and text not in chinese:
                    missing.append(text)
                units.append(chinese.get(text, text) if ok else text)
            translated_pieces.append("\n\n".join(units))
        if line is None:
            cell.source = translated_pieces[0]
        else:   # the part line where it was, in Chinese (course_lib's catalog), between what was around it
            before, after = translated_pieces
            cell.source = ((before + gaps[0] if before else "") + course.part_line(Path(notebook).name, LANG)
                           + (gaps[1] + after if after else ""))
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


def build(notebook_dir=NOTEBOOK_DIR, catalog_dir=CATALOG_DIR, output_dir=OUTPUT_DIR, allow_untranslated=False,
          library_catalog=None):
    """Write output_dir/NN_name.ipynb for every English notebook; remove Chinese notebooks with no English source.

    Refuses (SystemExit listing every untranslated unit, nothing written) while any catalog is incomplete, unless
    allow_untranslated.
    """
    built, untranslated = {}, []
    for notebook in english_notebooks(notebook_dir):
        zh, missing = build_notebook(notebook, catalog_path(notebook, catalog_dir), allow_untranslated, library_catalog)
        built[Path(output_dir) / notebook.name] = zh
        untranslated += [f"{catalog_path(notebook, catalog_dir).name}: {unit[:80]!r}" for unit in missing]
    if untranslated and not allow_untranslated:
        raise SystemExit(f"No Chinese notebook written: untranslated English units (empty or fuzzy entries): "
                         f"{len(untranslated)}\n  " + "\n  ".join(untranslated) +
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


def check(notebook_dir=NOTEBOOK_DIR, catalog_dir=CATALOG_DIR, output_dir=OUTPUT_DIR, library_catalog=None):
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
            if e.obsolete:
                problems.append(f"{path.name}: obsolete entry (its English unit is gone; delete it): {e.msgid[:80]!r}")
            elif e.msgid not in current:
                problems.append(f"{path.name}: entry whose English unit changed or is gone (run update): "
                                f"{e.msgid[:80]!r}")
            elif "fuzzy" in e.flags:
                problems.append(f"{path.name}: fuzzy entry (the English changed; re-translate, remove the fuzzy "
                                f"flag): {e.msgid[:80]!r}")
            elif not e.msgstr:
                problems.append(f"{path.name}: untranslated entry: {e.msgid[:80]!r}")
        zh, _ = build_notebook(notebook, path, allow_untranslated=True, library_catalog=library_catalog)
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

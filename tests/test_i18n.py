"""The Chinese edition (tools/i18n.py, `make zh`): catalogs complete and in step with the English notebooks,
notebooks/zh_CN/ exactly what the build writes (English code and outputs), the glossary's terms and the mechanical
rules of Chinese typography in every translation; then update/check/build on temporary copies: a changed English
paragraph turns fuzzy and fails `check`, a deleted one becomes obsolete, an incomplete catalog is refused."""

import copy
import functools
import importlib.util
import os
import re
import shutil
from pathlib import Path

import nbformat
import polib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib import course as course_map   # `course` is this module's fixture

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("i18n", ROOT / "tools" / "i18n.py")
i18n = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(i18n)

ENGLISH = i18n.english_notebooks()
GLOSSARY = ROOT / "locale" / "glossary.tsv"


@functools.cache
def catalog(path):
    return polib.pofile(str(path), wrapwidth=0)


@functools.cache
def template_ids(notebook):
    return [e.msgid for e in i18n.template(notebook)]


def done(po):
    """The translated entries of a catalog (empty and fuzzy ones are the completeness test's)."""
    return [e for e in po if i18n.translated(e)]


# ---- the rules every translation follows ---------------------------------------------------------------------------

CJK = "[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
CODE = re.compile(r"(`+)(?:(?!\1).)+?\1", re.S)
MATH = re.compile(r"\$\$.+?\$\$|(?<![\\$])\$(?!\$)[^$]+?(?<!\\)\$", re.S)
URL = re.compile(r"https?://[^\s)>\]\"'`]+")
LINK_TARGET = re.compile(r"\]\(([^)\s]+)\)")
HTML_TAG = re.compile(r"</?[A-Za-z][^>]*>")
QUOTED = re.compile(r"\"[^\"\n]*\"|“[^”\n]*”")
HEADING = re.compile(r"^(#{1,6})\s", re.M)
BLOCK_START = re.compile(r"\s*([-*+]\s|\d+[.)]\s|\||#|>|<|```|~~~|\$\$|!\[)")


def verbatim(text):
    """What a translation keeps verbatim: code spans, math, URLs and link targets, each as a set."""
    without_code = CODE.sub(" ", text)
    return {"code spans": {m.group(0) for m in CODE.finditer(text)},
            "math spans": set(MATH.findall(without_code)),
            "URLs": set(URL.findall(text)),
            "link targets": set(LINK_TARGET.findall(text))}


def prose(text):
    """`text` with code spans, math, URLs, link targets and HTML tags blanked out (replaced by a NUL character)."""
    text = CODE.sub("\0", text)
    text = MATH.sub("\0", text)
    text = LINK_TARGET.sub("\0", text)
    text = URL.sub("\0", text)
    return HTML_TAG.sub("\0", text)


def typography_problems(msgid, msgstr):
    """The mechanical typography rules a translation breaks, as short sentences (empty list: none)."""
    problems = []
    text = prose(msgstr)
    for m in re.finditer(rf"{CJK}[ \t]+[A-Za-z0-9]|[A-Za-z0-9][ \t]+{CJK}", text):
        problems.append(f"a space between Chinese and Latin text or a number: {m.group(0)!r}")
    for m in re.finditer(rf"{CJK}[,;:!?]|[,;:!?]{CJK}", text):
        problems.append(f"ASCII punctuation in a Chinese sentence (use ，；：！？): {m.group(0)!r}")
    english, chinese = verbatim(msgid), verbatim(msgstr)
    for kind in english:
        if english[kind] != chinese[kind]:
            problems.append(f"{kind} differ from the English: missing {sorted(english[kind] - chinese[kind])}, "
                            f"added {sorted(chinese[kind] - english[kind])}")
    if HEADING.findall(msgid) != HEADING.findall(msgstr):
        problems.append(f"heading levels {HEADING.findall(msgstr)} differ from the English {HEADING.findall(msgid)}")
    lines = MATH.sub("\0", CODE.sub("\0", msgstr)).split("\n")  # a line break inside code or math stays verbatim
    for before, line in zip(lines, lines[1:], strict=False):
        block = BLOCK_START.match(line) or HEADING.match(before) or before.endswith(("  ", "\\", ">"))
        if not block:
            problems.append(f"a soft line break inside a paragraph or list item (renders as a space): {line[:40]!r}")
    return problems


def glossary():
    """(English term, pattern finding it, Chinese terms any one of which a translation must contain) per row."""
    rows = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        english, chinese, *accepted = line.split("\t")
        words = r"[-\s]+".join(map(re.escape, re.split(r"[-\s]+", english)))
        pattern = re.compile(rf"\b{words}(?:e?s)?\b", re.I)
        also = [a.strip() for a in accepted[0].split(",")] if accepted else []
        rows.append((english, pattern, [chinese, *also]))
    return rows


def glossary_problems(msgid, msgstr, rows):
    """The glossary terms the English unit uses (outside code, math, links, HTML and quoted titles) whose Chinese
    term the translation lacks."""
    text = QUOTED.sub("\0", prose(msgid))
    return [f"{english!r} is {'/'.join(chinese)}" for english, pattern, chinese in rows
            if pattern.search(text) and not any(c in msgstr for c in chinese)]


def test_typography_rules_catch_each_mistake():
    en = "## Why `np.exp` overflows\nThe softmax of $a$ over\n[notebook 03](03_backpropagation.ipynb), see https://d2l.ai."
    good = "## 为什么`np.exp`会溢出\n$a$的softmax，见[第3节](03_backpropagation.ipynb)和https://d2l.ai."
    assert typography_problems(en, good) == []
    for bad, rule in [(good.replace("为什么`", "为什么 `").replace("的softmax", "的 softmax"), "a space"),
                      (good.replace("3节", "3 节"), "a space"),
                      (good.replace("，", ","), "ASCII punctuation"),
                      (good.replace("`np.exp`", "np.exp"), "code spans differ"),
                      (good.replace("$a$", "$b$"), "math spans differ"),
                      (good.replace("https://d2l.ai", "https://zh.d2l.ai"), "URLs differ"),
                      (good.replace("03_backpropagation", "03_backprop"), "link targets differ"),
                      (good.replace("## ", "### "), "heading levels"),
                      (good.replace("见[", "见\n["), "soft line break")]:
        problems = typography_problems(en, bad)
        assert len(problems) == 1 and rule in problems[0], (bad, problems)
    table = "| a | b |\n|---|---|\n| 1 | 2 |"
    assert typography_problems(table, table) == []
    listing = "**You will be able to**\n- write\n  1. nested"
    assert typography_problems(listing, "**你将能够**\n- 写出\n  1. 嵌套") == []


def test_glossary_is_well_formed_and_its_rules_match_as_documented():
    rows = glossary()
    assert len(rows) == len({english.lower() for english, *_ in rows}), "one row per English term"
    for english, pattern, chinese in rows:
        assert pattern.search(english) and all(chinese), english
    assert glossary_problems("Two epochs of\nminibatches: `epoch` and $epoch$.", "两个迭代周期的小批量", rows) == []
    assert glossary_problems("Two epochs.", "两轮。", rows) == ["'epoch' is 迭代周期"]
    assert glossary_problems("The learning-rate\nschedule.", "学习率调度器", rows) == []
    assert glossary_problems("A cross-entropy loss.", "交叉熵。", rows) == ["'cross-entropy loss' is 交叉熵损失"]
    assert glossary_problems("ReLU, then a small ResNet", "ReLU，然后是小型残差网络", rows) == []
    # titles of cited papers stay in English; names in code, links and file names are not prose
    cited = 'Srivastava et al., "Dropout: preventing overfitting", [notebook 07](07_dropout.ipynb), 03_backpropagation'
    assert glossary_problems(cited, "Srivastava等", rows) == []
    assert glossary_problems("Tensors and TensorFlow", "张量和TensorFlow", rows) == []


# ---- the real catalogs and notebooks ---------------------------------------------------------------------------------

@pytest.mark.parametrize("notebook", ENGLISH, ids=lambda p: p.stem)
def test_catalog_is_complete(notebook):
    po = catalog(i18n.catalog_path(notebook))
    untranslated = [e.msgid[:70] for e in po if not e.obsolete and not i18n.translated(e)]
    assert not untranslated, f"{len(untranslated)} untranslated or fuzzy entries (`python tools/i18n.py check`)"


@pytest.mark.parametrize("notebook", ENGLISH, ids=lambda p: p.stem)
def test_catalog_has_one_entry_per_english_unit_and_nothing_else(notebook):
    po = catalog(i18n.catalog_path(notebook))
    assert [e.msgid for e in po if not e.obsolete] == template_ids(notebook), "run `python tools/i18n.py update`"
    assert not po.obsolete_entries(), "obsolete entries: the English unit is gone; delete the #~ entries"


@pytest.mark.parametrize("notebook", ENGLISH, ids=lambda p: p.stem)
def test_zh_notebook_is_what_the_build_writes(notebook):
    zh, missing = i18n.build_notebook(notebook, i18n.catalog_path(notebook))
    assert zh is not None, f"{len(missing)} units untranslated"
    path = i18n.OUTPUT_DIR / notebook.name
    assert path.exists() and path.read_text(encoding="utf-8") == i18n.render(zh), "run `make zh`"


def test_zh_edition_has_exactly_the_english_notebooks():
    assert [p.name for p in i18n.english_notebooks(i18n.OUTPUT_DIR)] == [p.name for p in ENGLISH]


def assert_same_code_and_outputs(english, zh):
    """zh: the English notebook's cells after a first `zh-lang` cell; code cells (source, metadata) identical and
    their outputs the English ones with the library's messages in Chinese, Markdown cells with the same ids and
    metadata; the notebook's metadata the English plus language."""
    english = copy.deepcopy(english)
    messages = i18n.LibraryMessages(i18n.LIBRARY_CATALOG)
    for cell in english.cells:
        if cell.cell_type == "code":
            messages.outputs(cell.outputs)
    first, *cells = zh.cells
    assert first.id == "zh-lang" and first.cell_type == "code" and not first.outputs
    assert 'os.environ["COURSE_LANG"] = "zh_CN"' in first.source
    assert first.metadata == {"slideshow": {"slide_type": "skip"}, "tags": ["remove-cell"]}
    assert [(c.id, c.cell_type) for c in cells] == [(c.id, c.cell_type) for c in english.cells]
    for en, cell in zip(english.cells, cells, strict=True):
        if en.cell_type == "code":
            assert cell == en, f"code cell {en.id} differs from the English"
        else:
            assert {k: v for k, v in cell.items() if k != "source"} == {k: v for k, v in en.items() if k != "source"}
    assert zh.metadata == {**english.metadata, "language": "zh_CN"}


@pytest.mark.parametrize("notebook", ENGLISH, ids=lambda p: p.stem)
def test_zh_notebook_keeps_the_english_code_and_outputs(notebook):
    path = i18n.OUTPUT_DIR / notebook.name
    assert path.exists(), "run `make zh`"
    assert_same_code_and_outputs(nbformat.read(notebook, as_version=4), nbformat.read(path, as_version=4))


@pytest.mark.parametrize("notebook", ENGLISH, ids=lambda p: p.stem)
def test_translations_use_the_glossary(notebook):
    rows = glossary()
    problems = [f"{e.msgid[:60]!r}: {p}" for e in done(catalog(i18n.catalog_path(notebook)))
                for p in glossary_problems(e.msgid, e.msgstr, rows)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("notebook", ENGLISH, ids=lambda p: p.stem)
def test_translations_follow_the_typography_rules(notebook):
    problems = [f"{e.msgid[:60]!r}: {p}" for e in done(catalog(i18n.catalog_path(notebook)))
                for p in typography_problems(e.msgid, e.msgstr)]
    assert not problems, "\n".join(problems)


LIBRARY_PO = """
msgid "Not answered yet: {message}"
msgstr "尚未作答：{message}"

msgid "replace the ... with your answer and run the cell again."
msgstr "把...替换成你的答案，然后再次运行这个单元格。"

msgid "{name} is {saved} in the file but {own} in this network"
msgstr "{name}在文件中是{saved}，但在这个网络中是{own}"

msgid "{file} does not fit: {differences}; and {differences}."
msgstr "{file}不匹配：{differences}；以及{differences}。"

msgid "{message} {advice}"
msgstr "{message}{advice}"

msgid "Check"
msgstr "检查"

msgid "An untranslated message."
msgstr ""
"""


@pytest.fixture
def library_catalog(tmp_path):
    path = tmp_path / "course_lib.po"
    path.write_text(LIBRARY_PO, encoding="utf-8")
    return path


def test_library_messages_in_outputs_are_translated_whole_with_their_values(library_catalog, tmp_path):
    zh = i18n.LibraryMessages(library_catalog)
    assert zh("Not answered yet: replace the ... with your answer and run the cell again.") == \
        "尚未作答：把...替换成你的答案，然后再次运行这个单元格。"
    assert zh("Not answered yet: an answer of our own") == "尚未作答：an answer of our own"
    assert zh("a.npz does not fit: W is 3 in the file but 5 in this network; and W is 3 in the file but 5 in this "
              "network.") == "a.npz不匹配：W在文件中是3，但在这个网络中是5；以及W在文件中是3，但在这个网络中是5。"
    # a repeated field must repeat its value; short messages (too little fixed text) and untranslated ones stay
    assert zh("a.npz does not fit: x; and y.") == "a.npz does not fit: x; and y."
    for text in ["Check", "two words", "An untranslated message.", "Not answered yet:"]:
        assert zh(text) == text
    assert i18n.LibraryMessages(tmp_path / "absent.po")("Not answered yet: x") == "Not answered yet: x"
    stream = nbformat.v4.new_output("stream", text="ok\nNot answered yet: x\n")
    plain = nbformat.v4.new_output("execute_result", data={"text/plain": "Not answered yet: x",
                                                           "image/png": "Not answered yet: x"})
    zh.outputs([stream, plain])
    assert stream.text == "ok\n尚未作答：x\n"
    assert plain.data == {"text/plain": "尚未作答：x", "image/png": "Not answered yet: x"}


# ---- update, check and build on temporary copies ---------------------------------------------------------------------

SMALL = ["01_tensors.ipynb", "03_backpropagation.ipynb"]


def placeholder(msgid):
    return "中文" + msgid


@pytest.fixture
def course(tmp_path, library_catalog, monkeypatch):
    """Two English notebooks, their catalogs filled with placeholder translations, their zh_CN edition built; the
    library's catalog is LIBRARY_PO."""
    monkeypatch.setattr(i18n, "LIBRARY_CATALOG", library_catalog)
    if shutil.which("msgmerge") is None:   # `make test` needs Python alone; CI (make test-all) installs gettext
        if os.environ.get("CI"):
            pytest.fail("GNU gettext's msgmerge is missing on CI: `make gettext` installs it")
        pytest.skip("GNU gettext's msgmerge is not installed (sudo apt-get install gettext); CI runs these tests")
    notebooks, catalogs, out = tmp_path / "notebooks", tmp_path / "po", tmp_path / "notebooks" / "zh_CN"
    notebooks.mkdir()
    for name in SMALL:
        shutil.copy(ROOT / "notebooks" / name, notebooks / name)
    i18n.update(notebooks, catalogs)
    for path in catalogs.glob("*.po"):
        po = polib.pofile(str(path), wrapwidth=0)
        for entry in po:
            entry.msgstr = placeholder(entry.msgid)
        po.save()
    i18n.build(notebooks, catalogs, out)
    return notebooks, catalogs, out


def edit_cell(path, cell_id, old, new):
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if c.id == cell_id)
    assert old in cell.source
    cell.source = cell.source.replace(old, new)
    nbformat.write(nb, path)


def first_paragraph(notebook):
    """(cell id, text) of the notebook's first translatable unit of at least three lines that occurs once."""
    nb = nbformat.read(notebook, as_version=4)
    units = [(c.id, text) for c in nb.cells if c.cell_type == "markdown" for text, ok in i18n.blocks(c.source) if ok]
    return next((i, t) for i, t in units if t.count("\n") >= 2 and sum(t == u for _, u in units) == 1)


def test_build_writes_the_translated_edition_and_check_passes(course):
    notebooks, catalogs, out = course
    assert i18n.check(notebooks, catalogs, out) == []
    for name in SMALL:
        english, zh = nbformat.read(notebooks / name, as_version=4), nbformat.read(out / name, as_version=4)
        assert_same_code_and_outputs(english, zh)
        assert "尚未作答：把...替换成你的答案，然后再次运行这个单元格。" in nbformat.writes(zh)
        heading, line, rest = english.cells[0].source.split("\n", 2)   # the title cell: title, part line, text
        assert line == course_map.part_line(name) and rest.startswith("\n")
        for i, (en, cell) in enumerate(zip(english.cells, zh.cells[1:], strict=True)):
            if en.cell_type == "markdown":
                units = i18n.blocks(rest if i == 0 else en.source)
                translation = "\n\n".join(placeholder(t) if ok else t for t, ok in units)
                # the part line is no unit: written in Chinese from course_lib's catalog
                assert cell.source == (f"{placeholder(heading)}\n{course_map.part_line(name, 'zh_CN')}\n\n{translation}"
                                       if i == 0 else translation)
    before = {p: p.stat().st_mtime_ns for p in [*out.iterdir(), *catalogs.iterdir()]}
    i18n.update(notebooks, catalogs)  # msgmerge of unchanged catalogs: byte for byte the same, not rewritten
    i18n.build(notebooks, catalogs, out)
    assert {p: p.stat().st_mtime_ns for p in [*out.iterdir(), *catalogs.iterdir()]} == before


def test_a_changed_paragraph_turns_fuzzy_with_its_old_translation_until_translated_again(course):
    notebooks, catalogs, out = course
    cell_id, old = first_paragraph(notebooks / SMALL[0])
    new = old.replace(" ", "  ", 1).replace("\n", " (changed)\n", 1)
    edit_cell(notebooks / SMALL[0], cell_id, old, new)
    problems = i18n.check(notebooks, catalogs, out)
    assert any("no entry" in p and new[:40] in p for p in problems), problems
    assert any("changed or is gone (run update)" in p and old[:40] in p for p in problems), problems
    assert any("differs from a fresh build" in p and SMALL[0] in p for p in problems)
    assert not any(SMALL[1] in p for p in problems)

    i18n.update(notebooks, catalogs)
    po = polib.pofile(str(catalogs / SMALL[0].replace(".ipynb", ".po")))
    entry = po.find(new)
    assert entry.fuzzy and entry.msgstr == placeholder(old) and entry.previous_msgid == old
    assert po.find(old) is None and not po.obsolete_entries()
    assert [p for p in i18n.check(notebooks, catalogs, out) if "fuzzy" in p] == [
        f"{SMALL[0][:-6]}.po: fuzzy entry (the English changed; re-translate, remove the fuzzy flag): {new[:80]!r}"]
    with pytest.raises(SystemExit, match="untranslated English units .empty or fuzzy entries.: 1\n"):
        i18n.build(notebooks, catalogs, out)

    entry.msgstr, entry.flags, entry.previous_msgid = placeholder(new), [], None
    po.save()
    i18n.build(notebooks, catalogs, out)
    assert i18n.check(notebooks, catalogs, out) == []


def test_new_times_change_the_chinese_part_line_without_a_translation_and_stale_ones_are_refused(course,
                                                                                                   monkeypatch):
    """The part line's numbers change when a notebook is re-measured: no catalog entry changes, the build writes the
    new numbers in Chinese; an English part line older than the record is refused, saying what to run."""
    notebooks, catalogs, out = course
    old = {name: course_map.part_line(name) for name in SMALL}
    monkeypatch.setattr(course_map, "learner_minutes", lambda path=None: {f: (99, 7) for f in course_map.FILES})
    assert course_map.part_line(SMALL[0]) == (
        "*Part I · Data and tensors · about 106 min: 99 reading and exercises, 7 running in full mode*")
    with pytest.raises(SystemExit, match=rf"{SMALL[0]}: its part line .* is not the course map's .*run `make times`"):
        i18n.template(notebooks / SMALL[0])
    for name in SMALL:
        edit_cell(notebooks / name, nbformat.read(notebooks / name, as_version=4).cells[0].id, old[name],
                  course_map.part_line(name))
    assert i18n.check(notebooks, catalogs, out) == [
        f"{out / name}: differs from a fresh build; run `python tools/i18n.py build`" for name in SMALL]
    i18n.build(notebooks, catalogs, out)
    zh_line = nbformat.read(out / SMALL[0], as_version=4).cells[1].source.splitlines()[1]
    assert zh_line == "*第一部分 · 数据与张量 · 约106分钟：阅读与练习99分钟，完整模式运行7分钟*"
    assert i18n.check(notebooks, catalogs, out) == []


def test_a_deleted_paragraph_becomes_obsolete(course):
    notebooks, catalogs, out = course
    cell_id, old = first_paragraph(notebooks / SMALL[1])
    edit_cell(notebooks / SMALL[1], cell_id, old, "")
    i18n.update(notebooks, catalogs)
    po = polib.pofile(str(catalogs / SMALL[1].replace(".ipynb", ".po")))
    assert [(e.msgid, e.msgstr) for e in po.obsolete_entries()] == [(old, placeholder(old))]
    assert all(i18n.translated(e) for e in po if not e.obsolete)
    problems = i18n.check(notebooks, catalogs, out)
    assert any(p.startswith(f"{SMALL[1][:-6]}.po: obsolete entry") for p in problems)


def test_build_refuses_an_incomplete_catalog_and_writes_nothing(course, tmp_path):
    notebooks, catalogs, _ = course
    path = catalogs / SMALL[1].replace(".ipynb", ".po")
    po = polib.pofile(str(path), wrapwidth=0)
    po[3].msgstr = ""
    po.save()
    out = tmp_path / "fresh"
    with pytest.raises(SystemExit) as refused:
        i18n.build(notebooks, catalogs, out)
    assert "untranslated English units (empty or fuzzy entries): 1\n" in str(refused.value)
    assert repr(po[3].msgid[:80]) in str(refused.value) and "--allow-untranslated" in str(refused.value)
    assert not out.exists()
    i18n.build(notebooks, catalogs, out, allow_untranslated=True)
    assert po[3].msgid in "".join(c.source for c in nbformat.read(out / SMALL[1], as_version=4).cells)


def test_stale_files_are_reported_and_the_build_removes_a_zh_notebook_without_english(course):
    notebooks, catalogs, out = course
    (notebooks / SMALL[0]).unlink()
    problems = i18n.check(notebooks, catalogs, out)
    assert f"{catalogs / SMALL[0].replace('.ipynb', '.po')}: no English notebook {SMALL[0][:-6]}.ipynb; delete it" \
        in problems
    assert any(p.startswith(f"{out / SMALL[0]}: no English notebook") for p in problems)
    i18n.build(notebooks, catalogs, out)
    assert sorted(p.name for p in out.iterdir()) == [SMALL[1]]


def test_update_without_msgmerge_says_how_to_install_it(course, monkeypatch):
    notebooks, catalogs, _ = course
    monkeypatch.setattr(i18n.shutil, "which", lambda name: None)
    with pytest.raises(SystemExit, match="apt-get install gettext"):
        i18n.update(notebooks, catalogs)


# ---- the splitter ----------------------------------------------------------------------------------------------------

words = st.text("abcdefgh .,*`$", min_size=1, max_size=12).map(str.strip).filter(lambda s: s and "$$" not in s)
paragraph = st.lists(words.filter(lambda s: not s.startswith(("```", "~~~"))), min_size=1, max_size=3).map("\n".join)
body = st.lists(st.sampled_from(["x = 1", "", "   ", "# not a heading", "y"]), max_size=5).map("\n".join)
fence = st.builds(lambda mark, code: f"{mark}python\n{code}\n{mark}", st.sampled_from(["```", "~~~"]), body)
display = st.builds(lambda math: f"$$\n{math}\n$$", body)


attached = st.builds(lambda text, block: f"{text}\n{block}", paragraph, st.one_of(fence, display))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(paragraph, fence, display, attached), min_size=1, max_size=6),
       st.sampled_from(["\n\n", "\n\n\n"]))
def test_splitter_keeps_fences_and_display_math_whole(parts, gap):
    """Parts separated by blank lines come back one unit each, blank lines inside a fence or $$ block included; a
    unit that is only a fence or display math is not translated, a paragraph with one attached is."""
    units = i18n.blocks(gap.join(parts))
    assert [text for text, _ in units] == parts
    assert [ok for _, ok in units] == [not part.startswith(("```", "~~~", "$$")) for part in parts]

"""The library speaks the learner's language: its zh_CN catalog is complete and up to date with the code, keeps every
placeholder, and with ``COURSE_LANG=zh_CN`` checker feedback, quiz texts and bad-input errors come out in Chinese
while still naming what was got and what was expected; English stays the default, and an unsupported language
warns once and falls back to English."""

import copy
import re
import string
import warnings
from pathlib import Path

import numpy as np
import polib
import pytest
from babel.messages.frontend import CommandLineInterface

from course_lib import checks, functions, i18n
from course_lib.exercises import NOT_ANSWERED, core, engine, nb02, quiz

REPO = Path(__file__).resolve().parents[1]
CATALOG = REPO / "course_lib" / "locale" / "zh_CN" / "LC_MESSAGES" / "course_lib.po"
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def fresh(monkeypatch):
    monkeypatch.delenv(i18n.LANG_ENV, raising=False)
    monkeypatch.setattr(i18n, "_warned", set())
    monkeypatch.setattr(engine, "STRICT", True)
    core.reset_hints()


@pytest.fixture
def zh(monkeypatch):
    monkeypatch.setenv(i18n.LANG_ENV, "zh_CN")


def _fields(text):
    return sorted(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)


# ------------------------------------------------------------------------------------------------ the catalog
def test_catalog_is_complete():
    po = polib.pofile(str(CATALOG))
    untranslated = [e.msgid for e in po if not e.obsolete and (not e.msgstr.strip() or "fuzzy" in e.flags)]
    assert not untranslated, f"{len(untranslated)} untranslated or fuzzy entries, e.g. {untranslated[:3]}"
    assert not po.obsolete_entries(), "obsolete entries: run `make zh-lib-catalog`"


def test_catalog_is_up_to_date_with_the_code(tmp_path, monkeypatch):
    """A fresh Babel extraction (the Makefile's mapping) has exactly the catalog's msgids: a new or changed _()/N_()
    string fails here until `make zh-lib-catalog` brings it in and it is translated."""
    monkeypatch.chdir(REPO)
    pot = tmp_path / "course_lib.pot"
    CommandLineInterface().run(["pybabel", "-q", "extract", "-F", "pyproject.toml", "--no-location", "-o", str(pot),
                                "course_lib"])
    extracted = {e.msgid for e in polib.pofile(str(pot)) if e.msgid}
    catalog = {e.msgid for e in polib.pofile(str(CATALOG)) if not e.obsolete}
    assert not extracted - catalog, f"strings missing from the catalog: {sorted(extracted - catalog)[:5]}"
    assert not catalog - extracted, f"catalog entries no longer in the code: {sorted(catalog - extracted)[:5]}"
    assert len(extracted) > 700   # the extraction really read the library (823 strings today)


def test_every_translation_keeps_the_placeholders_of_its_english():
    bad = [(e.msgid, e.msgstr) for e in polib.pofile(str(CATALOG))
           if set(_fields(e.msgid)) != set(_fields(e.msgstr))]
    assert not bad, bad[:5]


def test_chinese_punctuation_and_no_space_between_chinese_and_latin():
    """d2l-zh style: no space between a Chinese character and a Latin letter or digit."""
    spaced = [e.msgstr for e in polib.pofile(str(CATALOG))
              if re.search(r"[\u4e00-\u9fff] [A-Za-z0-9]|[A-Za-z0-9] [\u4e00-\u9fff]", e.msgstr)]
    assert not spaced, spaced[:5]


# --------------------------------------------------------------------------------------- what a learner reads
def _wrong_softmax(x):
    return functions.softmax(x) * 1.01


def _softmax_without_return(x):
    np.exp(x - x.max(axis=-1, keepdims=True))


def _softmax_that_raises(x):
    scale = x.shape[5]   # IndexError: the learner's own bug, on this line
    return x / scale


def test_a_wrong_answer_gets_chinese_feedback_naming_what_it_got_and_expected(zh):
    fb = nb02.SOFTMAX.check(_wrong_softmax)
    case = engine.case("softmax", 1)
    got, expected = _wrong_softmax(case["x"])[0, 0], functions.softmax(case["x"])[0, 0]
    assert not fb and repr(fb).startswith("还不对：")
    assert f"{got:.6g}" in fb.message and f"{expected:.6g}" in fb.message
    assert "exercises.case('softmax', 1)" in fb.message and "atol 1e-09 + rtol 1e-06（float64" in fb.message
    assert "expected" not in fb.message and "Not yet" not in repr(fb)


def test_a_catalogued_mistake_and_its_hint_in_chinese(zh):
    def no_shift(x):
        e = np.exp(x)
        return e / e.sum(axis=-1, keepdims=True)
    first, second = nb02.SOFTMAX.check(no_shift), nb02.SOFTMAX.check(no_shift)
    assert first.key == second.key == "softmax-overflow"
    assert "np.exp" in first.message and CJK.search(first.message) and "提示" not in first.message
    assert "提示：" in second.message


def test_a_right_answer_passes_in_chinese(zh):
    fb = nb02.SOFTMAX.check(functions.softmax)
    assert fb and repr(fb).startswith("正确！") and CJK.search(fb.message)


def test_a_missing_return_and_a_learner_exception_in_chinese(zh):
    none = nb02.SOFTMAX.check(_softmax_without_return)
    assert not none and "_softmax_without_return" in none.message and "None" in none.message
    assert "返回了None" in none.message
    raised = nb02.SOFTMAX.check(_softmax_that_raises)
    line = _softmax_that_raises.__code__.co_firstlineno + 1
    assert "IndexError" in raised.message and "引发了" in raised.message
    assert f"第{line}行" in raised.message and "x.shape[5]" in raised.message


def test_a_bad_input_error_from_checks_in_chinese(zh):
    with pytest.raises(TypeError) as info:
        checks.integer("batch_size", 2.5)
    assert str(info.value) == "batch_size必须是整数，但得到的是float 2.5。"
    with pytest.raises(ValueError) as info:
        checks.pixels("x", np.array([[0.0, 200.0]]))
    assert "x必须" in str(info.value) and "200" in str(info.value) and "x.astype(np.float32) / 255" in str(info.value)


def test_not_answered_quiz_and_quiz_widget_in_chinese(zh):
    assert repr(NOT_ANSWERED).startswith("尚未作答：")
    question = nb02.QUIZ[0]
    wrong = question.check(1)
    assert not wrong and "1" in wrong.message and i18n._(question.options[1]) in wrong.message
    assert CJK.search(i18n._(question.text))
    widget = quiz.show_quiz(nb02.QUIZ)
    assert repr(widget) == "快速检查：3道题（运行这个笔记本来作答）"
    item = widget.items[0]
    assert item.button.description == "检查" and CJK.search(item.input.options[0][0])


def test_english_is_the_default_and_unchanged():
    fb = nb02.SOFTMAX.check(_wrong_softmax)
    assert repr(fb).startswith("Not yet: For case 1 of 7 (x (3, 5) float64; exercises.case('softmax', 1) gives its "
                               "inputs): your result[0, 0] is ")
    assert repr(nb02.SOFTMAX.check(functions.softmax)).startswith("Correct! right values")
    with pytest.raises(TypeError, match=r"^batch_size must be a whole number, got float 2\.5\.$"):
        checks.integer("batch_size", 2.5)
    assert repr(NOT_ANSWERED) == "Not answered yet: replace the ... with your answer and run the cell again."


def test_the_language_is_read_at_every_call(monkeypatch):
    question = nb02.QUIZ[0]
    assert i18n._(question.why) == question.why
    monkeypatch.setenv(i18n.LANG_ENV, "zh_CN")
    assert CJK.search(i18n._(question.why))
    monkeypatch.setenv(i18n.LANG_ENV, "en")
    assert i18n._(question.why) == question.why


def test_an_unsupported_language_warns_once_and_falls_back_to_english(monkeypatch):
    monkeypatch.setenv(i18n.LANG_ENV, "fr_FR")
    with pytest.warns(UserWarning, match=r"COURSE_LANG='fr_FR' is not a supported language; the supported values "
                                         r"are en, zh_CN\. Using English"):
        fb = nb02.SOFTMAX.check(functions.softmax)
    assert repr(fb).startswith("Correct! ")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert repr(nb02.SOFTMAX.check(functions.softmax)).startswith("Correct! ")


def test_a_deferred_string_is_english_text_translated_later_even_after_a_copy(zh):
    text = i18n.N_("params after step {step}", step=3)
    assert text == "params after step 3" and {text: 1}["params after step 3"] == 1
    assert i18n._(copy.deepcopy(text)) == i18n._(text) == "第3步之后的params"


def test_a_language_given_outright_wins_over_course_lang(monkeypatch):
    """The Chinese edition's title cells are built in an English process: ``_(message, "zh_CN")``."""
    monkeypatch.setenv("COURSE_LANG", "en")
    assert i18n._("Part I · Data and tensors", "zh_CN") == "第一部分 · 数据与张量"
    monkeypatch.setenv("COURSE_LANG", "zh_CN")
    assert i18n._("Part I · Data and tensors", "en") == "Part I · Data and tensors"
    assert i18n._("Part I · Data and tensors") == "第一部分 · 数据与张量"
    with pytest.raises(ValueError, match=r"lang must be one of \('en', 'zh_CN'\) or None, got 'fr'"):
        i18n._("Part I · Data and tensors", "fr")

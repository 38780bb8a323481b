"""Committed notebooks: clean outputs (no TensorFlow log lines, no walls of progress bars) and no model choice
made on the test set. Also the output cleaner of `make notebooks` (tools/run_notebooks.py)."""

import importlib.util
import json
import re
from pathlib import Path

import nbformat
import pytest

from course_lib import course

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = [ROOT / "notebooks" / file for file in course.FILES]
MAX_OUTPUTS_PER_CELL = 50
TF_LOG = re.compile(r"(^|\n)([IWEF]\d{4} [\d:.]+\s+\d+ \S+:\d+\]|WARNING: All log messages before absl)")
# validation_data=(...) or validation_data=... up to the closing parenthesis or the end of the argument
VALIDATION_ARG = re.compile(r"validation_data\s*=\s*(\([^)]*\)|[^,)\n]+)")
PROGRESS_BAR = re.compile(r"\d+/\d+ ━+")  # Keras' "1563/1563 ━━━━━━ 3s 2ms/step" (a summary table's borders are fine)
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")  # terminal colour and cursor codes (Keras' rich summary, coloured logs)


def _all_text(value):
    """Every string inside a stored output (stream text, each MIME bundle's data), joined."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return "".join(_all_text(v) for v in value.values())
    if isinstance(value, list):
        return "".join(_all_text(v) for v in value)
    return ""


def _load_runner():
    spec = importlib.util.spec_from_file_location("run_notebooks", ROOT / "tools" / "run_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_outputs_are_clean(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for i, cell in enumerate(c for c in nb["cells"] if c["cell_type"] == "code"):
        assert len(cell["outputs"]) <= MAX_OUTPUTS_PER_CELL, f"code cell {i + 1} stores {len(cell['outputs'])} outputs"
        for out in cell["outputs"]:
            if out["output_type"] == "stream":
                text = "".join(out["text"])
                assert not TF_LOG.search(text), f"code cell {i + 1} stores TensorFlow log lines: {text[:80]!r}"
                assert "\x08" not in text and not PROGRESS_BAR.search(text), \
                    f"code cell {i + 1} stores a Keras progress bar"
            assert not ANSI.search(_all_text(out)), \
                f"code cell {i + 1} stores terminal colour codes: print it as plain text (e.g. summary(print_fn=print))"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_notebook_validates_on_test_data(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        for arg in VALIDATION_ARG.findall("".join(cell["source"])):
            assert "test" not in arg.lower(), f"validation_data={arg}: choose on a validation split, not the test set"


def test_progress_bar_pattern_catches_keras_bars_only():
    assert PROGRESS_BAR.search("1563/1563 ━━━━━━━━━━━━━━━━━━━━ 3s 2ms/step - loss: 0.26")
    assert not PROGRESS_BAR.search("┏━━━━━━━━━━━━━┳━━━━━━━┓\n┃ Layer (type) ┃ Param # ┃")


def test_ansi_pattern_catches_colour_codes():
    stored = {"output_type": "display_data", "data": {"text/plain": ["\x1b[1mModel: \"mnist_mlp\"\x1b[0m\n"]}}
    assert ANSI.search(_all_text(stored))
    assert not ANSI.search(_all_text({"output_type": "stream", "text": ["Model: \"mnist_mlp\" [1, 2]\n"]}))


def test_validation_pattern_catches_test_data():
    assert VALIDATION_ARG.findall("model.fit(x, t, validation_data=(x_test, t_test), epochs=3)") == ["(x_test, t_test)"]
    assert VALIDATION_ARG.findall("fit(x, t, validation_data=test_ds)") == ["test_ds"]


def test_runner_strips_tensorflow_logs_only():
    runner = _load_runner()
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stderr", text=(
            "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\n"
            "I0000 00:00:1795544613.008095    5388 port.cc:153] oneDNN custom operations are on.\n")),
        nbformat.v4.new_output("stream", name="stderr", text=(
            "E0000 00:00:1795806474.031457   21788 node_def_util.cc:682] NodeDef mentions attribute x\n"
            "UserWarning: a real warning\n")),
        nbformat.v4.new_output("stream", name="stdout", text="I0000 looks like a log line but is stdout\n"),
    ]
    nb.cells.append(cell)
    assert runner.strip_tf_logs(nb) == 3
    assert [o.text for o in nb.cells[0].outputs] == ["UserWarning: a real warning\n",
                                                      "I0000 looks like a log line but is stdout\n"]


def test_runner_rejects_a_missing_notebook(capsys):
    with pytest.raises(SystemExit) as exit_info:
        _load_runner().notebook_paths(["no/such/notebook.ipynb"])
    assert exit_info.value.code == 2
    assert "no such notebook" in capsys.readouterr().err

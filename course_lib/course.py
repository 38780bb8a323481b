"""The course map: its parts, and every notebook in teaching order with what it teaches and its full-mode run
time on a 2-core laptop CPU.

This is the one table of the course's notebooks: notebook 00 renders it, the website's table of contents is
built from it, and a test checks that it and the files in ``notebooks/`` never drift apart. The times are not
written here: they come from ``profile.json`` beside this file, the record that `make profile`
(tools/profile_notebooks.py) updates with every notebook it measures and with every notebook's reading time
(`make times` alone recomputes those, and the line under every notebook's title, without running anything).
"""

import json
import math
from pathlib import Path

from course_lib.i18n import N_, _

PROFILE = Path(__file__).with_name("profile.json")

# Each part's caption, as the course map, every notebook's title cell and the website show it (translated by
# course_lib's catalog in the Chinese edition).
PARTS = {
    "I": N_("Part I · Data and tensors"),
    "II": N_("Part II · Neural networks from scratch (NumPy)"),
    "III": N_("Part III · Keras and generalisation"),
    "IV": N_("Part IV · Convolutional networks"),
    "V": N_("Part V · Your own digit"),
}

# (file, title, part, what you learn)
NOTEBOOKS = [
    ("00_welcome_and_data.ipynb", "Welcome and the data", "I",
     "MNIST as arrays: shapes, pixels, class counts, a first look at the digits"),
    ("01_tensors.ipynb", "Tensors", "I",
     "axes, shape and dtype; reshape, channel layouts, broadcasting; a dense layer as a matrix product"),
    ("02_softmax_cross_entropy.ipynb", "Softmax and cross-entropy", "II",
     "you write a stable softmax and the cross-entropy loss; temperature; a linear classifier"),
    ("03_backpropagation.ipynb", "Backpropagation", "II",
     "computational graphs, the chain rule; you write the backward passes of ReLU, Sigmoid, Affine and the loss"),
    ("04_two_layer_net.ipynb", "The two-layer network", "II",
     "you write the sanity checks (initial loss, overfitting 20 images, a sampled gradient check) and the minibatch "
     "training loop; TwoLayerNet trained from scratch to about 97%"),
    ("05_optimizers_init.ipynb", "Optimisers, initialisation and batch normalisation", "II",
     "you write SGD, Momentum, Adam and batch normalisation; a learning-rate search; Xavier and He initialisation"),
    ("06_keras_six_steps.ipynb", "The six-step Keras workflow", "III",
     "import, prepare, build, compile, fit, plot; a validation split; confusion matrix; saving .keras"),
    ("07_overfitting_regularisation.ipynb", "Overfitting, regularisation and dropout", "III",
     "learning curves, more data, L2, you write dropout; early stopping, information leaks, K-fold"),
    ("08_convolution_arithmetic.ipynb", "Convolution arithmetic", "IV",
     "you write a convolution and im2col; output sizes, shared weights, receptive fields, pooling"),
    ("09_cnn_layers.ipynb", "CNN layers from scratch", "IV",
     "you write the backward pass of a convolution and max pooling; vectorised Conv2D; a small ConvNet at 98%"),
    ("10_deep_convnet.ipynb", "The deep ConvNet in NumPy", "IV",
     "six conv layers, He init, Adam, dropout: above 99% in NumPy; save/load; the same net in Keras"),
    ("11_nielsen_cnn_keras.ipynb", "Nielsen's CNN in Keras", "IV",
     "one and two conv layers, learning-rate schedules, choosing the epoch on validation data, 99.3%, mistakes"),
    ("12_resnet_augmentation.ipynb", "Residual networks and augmentation", "IV",
     "batch norm and global average pooling in Keras, residual vs plain networks, data augmentation, 99.5%"),
    ("13_draw_and_leaderboard.ipynb", "Draw your own digit, and the leaderboard", "V",
     "MNIST-style preprocessing, every model reads your digit, the course leaderboard"),
]
# The notebooks' file names in teaching order: every tool that walks the notebooks takes them from here.
FILES = [file for file, *_ in NOTEBOOKS]


# The course's four source notes (Chinese blog posts), cited by title with an English gloss wherever a notebook uses
# them: (key, title, English gloss, what it is, the notebooks that follow it). A test checks every notebook against it.
SOURCES = [
    ("A", "「【深度学习】手写数字识别及神经网络基本模型」",
     "Deep learning: handwritten digit recognition and basic neural-network models",
     "a study diary of 2021-10-07 on tensors, the tf.keras six-step MLP and overfitting from 5 to 200 epochs",
     ("01_tensors.ipynb", "06_keras_six_steps.ipynb", "07_overfitting_regularisation.ipynb")),
    ("B", "「卷积神经网络实践」", "Convolutional networks in practice",
     "a Theano walk-through of Nielsen's `network3.py` on the blog 蘑菇先生学习记, with the author's own runs",
     ("07_overfitting_regularisation.ipynb", "08_convolution_arithmetic.ipynb", "11_nielsen_cnn_keras.ipynb")),
    ("C", "「《手写数字识别》神经网络 学习笔记」", "Handwritten digit recognition: neural-network study notes",
     "a CSDN post of 2020 on the NumPy two-layer network of *Deep Learning from Scratch*",
     ("02_softmax_cross_entropy.ipynb", "03_backpropagation.ipynb", "04_two_layer_net.ipynb")),
    ("D", "「基于深度学习的手写数字识别、python实现」", "Handwritten digit recognition with deep learning, in Python",
     "a post on the NumPy deep ConvNet of *Deep Learning from Scratch*, chapter 8",
     ("05_optimizers_init.ipynb", "09_cnn_layers.ipynb", "10_deep_convnet.ipynb")),
]


def source_citation(key):
    """The further-reading line of source note ``key`` ("A" to "D"), exactly as the notebooks print it."""
    for name, title, gloss, what, _notebooks in SOURCES:
        if name == key:
            return f'- {title} ("{gloss}"), {what} (source note {name} of this course).'
    raise ValueError(f"key must be one of {[s[0] for s in SOURCES]}, got {key!r}.")


def _record(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def full_mode_minutes(path=PROFILE):
    """Minutes of a full-mode run per notebook file (wall time rounded half up, at least 1), from the profile record."""
    record = _record(path).get("full", {})
    return {file: max(1, math.floor(entry["wall_s"] / 60 + 0.5)) for file, entry in record.items()}


def learner_minutes(path=PROFILE):
    """{file: (reading, running)} in minutes for every notebook of the course map: reading (and exercises) as
    tools/profile_notebooks.py computed it into the record, running its full-mode wall time (``full_mode_minutes``).
    A notebook missing from either raises ValueError saying what to run."""
    reading = _record(path).get("reading", {}).get("notebooks", {})
    running = full_mode_minutes(path)
    missing = [f for f in FILES if f not in reading or f not in running]
    if missing:
        raise ValueError(f"{Path(path).name} has no reading time or no full-mode time for {missing}: run "
                         "`make times` (reading), `make profile NB=...` (running).")
    return {file: (reading[file]["minutes"], running[file]) for file in FILES}


def _hours(minutes):
    """``'9 h 5 min'``, or ``'45 min'`` under an hour."""
    return f"{minutes // 60} h {minutes % 60} min" if minutes >= 60 else f"{minutes} min"


def reading_method(path=PROFILE):
    """How the reading times were computed, in one sentence (from the record, written with them)."""
    method = _record(path)["reading"]
    return (f"Reading and exercises: the words of the notebook's text and of the code you read (the hidden reference "
            f"solutions left out) at {method['words_per_minute']} words a minute, plus "
            f"{method['minutes_per_exercise']} minutes per exercise and {method['minutes_per_quiz_question']} per "
            f"quiz question, rounded to {method['round_to_min']} minutes. Running: the wall time of a full-mode run "
            "(Restart and Run All) on a 2-core laptop CPU, as measured.")


def course_map_markdown():
    """The course map as a Markdown table, one block of rows per part, with each notebook's time and the sums; then
    how the times were obtained."""
    times = learner_minutes()
    rows = ["| # | Notebook | What you learn | Reading and exercises (min) | Running in full mode (min) "
            "| Total (min) |", "|---|---|---|---|---|---|"]
    for part, caption in PARTS.items():
        rows.append(f"| | **{caption}** | | | | |")
        for file, title, in_part, what in NOTEBOOKS:
            if in_part == part:
                reading, running = times[file]
                rows.append(f"| {file[:2]} | [{title}]({file}) | {what} | {reading} | {running} "
                            f"| {reading + running} |")
    reading, running = (sum(t[i] for t in times.values()) for i in (0, 1))
    rows.append(f"| | **The whole course** | | **{reading}** | **{running}** | **{reading + running}** "
                f"(about {_hours(reading + running)}) |")
    return "\n".join(rows) + "\n\n" + reading_method()


def time_table():
    """The learner's time per part and for the whole course (minutes), as a Markdown table (README shows it)."""
    times = learner_minutes()
    rows = ["| part | notebooks | reading and exercises (min) | running in full mode (min) | total |",
            "|---|---|---|---|---|"]
    for part, caption in [*PARTS.items(), (None, "The whole course")]:
        files = [file for file, _title, in_part, _what in NOTEBOOKS if part in (None, in_part)]
        reading, running = (sum(times[f][i] for f in files) for i in (0, 1))
        numbers = files[0][:2] if len(files) == 1 else f"{files[0][:2]}-{files[-1][:2]}"
        rows.append(f"| {caption} | {numbers} | {reading} | {running} | "
                    f"{_hours(reading + running)} |")
    return "\n".join(rows)


def part_line(file, lang="en", path=PROFILE):
    """The line every notebook shows under its title: its part and how long it takes, e.g. ``*Part II · Neural
    networks from scratch (NumPy) · about 45 min: 40 reading and exercises, 5 running in full mode*``, in ``lang``
    (course_lib's catalog: the Chinese edition's title cells are built with ``lang="zh_CN"``)."""
    for name, _title, part, _what in NOTEBOOKS:
        if name == file:
            reading, running = learner_minutes(path)[file]
            time = _("about {total} min: {reading} reading and exercises, {running} running in full mode", lang)
            time = time.format(total=reading + running, reading=reading, running=running)
            return f"*{_(PARTS[part], lang)} · {time}*"
    raise ValueError(f"{file!r} is not a notebook of the course map; known: {FILES}.")

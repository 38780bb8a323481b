"""course_lib.plots: what each figure shows (read back from the matplotlib artists) and clear errors for bad input."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course_lib import plots  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _digits(n, seed=0):
    return np.random.default_rng(seed).random((n, 28, 28)).astype(np.float32)


def _drawn(fig):
    """The axes that show an image, in grid order."""
    return [ax for ax in fig.axes if ax.images]


def _corner_texts(ax):
    """(top-right text, bottom-right text) written on a digit's axes (None where absent)."""
    top = [t.get_text() for t in ax.texts if t.get_va() == "top"]
    bottom = [t.get_text() for t in ax.texts if t.get_va() == "bottom"]
    return (top or [None])[0], (bottom or [None])[0]


# ---- content: each figure shows exactly its input ----------------------------------------------------------------

@pytest.mark.parametrize("layout", ["flat", "square", "channels_first", "channels_last"])
def test_digit_grid_draws_every_digit_with_its_labels(layout):
    images, labels, preds = _digits(13), np.arange(13) % 10, (np.arange(13) + 3) % 10
    shaped = {"flat": images.reshape(13, 784), "square": images, "channels_first": images[:, None],
              "channels_last": images[..., None]}[layout]
    fig = plots.digit_grid(shaped, labels=labels, predictions=preds, ncols=5)
    assert len(fig.axes) == 15                       # 3 rows of 5: the grid, with two empty cells
    drawn = _drawn(fig)
    assert len(drawn) == 13 and all(not ax.axison for ax in fig.axes)
    for i, ax in enumerate(drawn):
        np.testing.assert_array_equal(ax.images[0].get_array(), images[i])
        assert _corner_texts(ax) == (str(labels[i]), str(preds[i]))
        assert ax.images[0].get_cmap().name == "gray_r"
        assert ax.images[0].get_clim() == (0, pytest.approx(images.max()))


def test_digit_grid_caps_the_rows_and_draws_the_first_digits():
    images = _digits(30)
    fig = plots.digit_grid(images, ncols=4, max_rows=2)
    drawn = _drawn(fig)
    assert len(fig.axes) == 8 and len(drawn) == 8
    np.testing.assert_array_equal(drawn[-1].images[0].get_array(), images[7])
    assert all(_corner_texts(ax) == (None, None) for ax in drawn)


def test_digit_grid_scales_0_255_pixels_and_blank_images():
    fig = plots.digit_grid(np.full((2, 784), 255, np.uint8))
    assert _drawn(fig)[0].images[0].get_clim() == (0, 255)
    fig = plots.digit_grid(np.zeros((1, 28, 28)))
    assert _drawn(fig)[0].images[0].get_clim() == (0, 1)   # an all-zero image still gets a valid scale


def test_misclassified_shows_only_the_mistakes_with_both_labels():
    images = _digits(8)
    labels = np.array([0, 1, 2, 3, 4, 5, 6, 7])
    preds = np.array([0, 7, 2, 3, 9, 5, 6, 1])
    fig, idx = plots.misclassified(images.reshape(8, 784), labels, preds, ncols=5)
    assert idx.tolist() == [1, 4, 7]
    assert fig._suptitle.get_text() == "3 misclassified (true label top right, prediction bottom right)"
    drawn = _drawn(fig)
    assert len(fig.axes) == 5 and len(drawn) == 3
    for ax, i in zip(drawn, idx, strict=True):
        np.testing.assert_array_equal(ax.images[0].get_array(), images[i])
        assert _corner_texts(ax) == (str(labels[i]), str(preds[i]))


def test_misclassified_of_a_perfect_model_is_an_empty_grid():
    fig, idx = plots.misclassified(_digits(3), [1, 2, 3], [1, 2, 3])
    assert idx.size == 0 and _drawn(fig) == []
    assert fig._suptitle.get_text().startswith("0 misclassified")


def test_class_counts_bars_equal_the_counts():
    labels = np.random.default_rng(1).integers(0, 10, 500).astype(np.uint8)
    fig, counts = plots.class_counts(labels, title="Per class")
    (ax,) = fig.axes
    np.testing.assert_array_equal(counts, [np.sum(labels == d) for d in range(10)])
    assert [p.get_height() for p in ax.patches] == counts.tolist()
    assert [p.get_x() + p.get_width() / 2 for p in ax.patches] == pytest.approx(range(10))
    assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == ("Per class", "digit", "count")
    assert [t.get_text() for t in ax.texts] == [str(c) for c in counts]
    assert ax.get_ylim()[1] == pytest.approx(counts.max() * 1.12)   # room for the count above the tallest bar


def test_class_counts_includes_absent_digits():
    fig, counts = plots.class_counts([3, 3, 9])
    assert counts.tolist() == [0, 0, 0, 2, 0, 0, 0, 0, 0, 1]
    assert fig.axes[0].get_title() == "Images per class"


def test_curves_plots_each_series_with_its_x_and_a_legend():
    acc = [0.5, 0.7, 0.8]
    pair = (np.array([2, 4, 6, 8]), np.array([1.0, 0.5, 0.25, 0.125], np.float32))
    fig = plots.curves({"train": acc, "validation": pair}, xlabel="iteration", ylabel="accuracy",
                       title="Curves", marks={"best": (4, 0.5)})
    (ax,) = fig.axes
    lines = {line.get_label(): line for line in ax.get_lines()}
    np.testing.assert_array_equal(lines["train"].get_xdata(), [1, 2, 3])
    np.testing.assert_array_equal(lines["train"].get_ydata(), acc)
    np.testing.assert_array_equal(lines["validation"].get_xdata(), pair[0])
    np.testing.assert_array_equal(lines["validation"].get_ydata(), pair[1])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["train", "validation"]
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == ("iteration", "accuracy", "Curves")
    dots = [line for line in ax.get_lines() if line.get_marker() == "o"]
    assert len(dots) == 1 and (dots[0].get_xdata()[0], dots[0].get_ydata()[0]) == (4, 0.5)
    assert [t.get_text() for t in ax.texts] == ["best"]


def test_curves_draws_on_a_given_axes_and_a_tuple_of_numbers_is_y_values():
    fig, (left, right) = plt.subplots(1, 2)
    assert plots.curves({"loss": (0.9, 0.4)}, ylabel="loss", ax=right) is fig
    assert left.get_lines() == [] and right.get_title() == ""
    line, = right.get_lines()
    np.testing.assert_array_equal(line.get_xdata(), [1, 2])
    np.testing.assert_array_equal(line.get_ydata(), [0.9, 0.4])
    assert right.get_xlabel() == "epoch" and right.get_ylabel() == "loss"


def test_curves_leaves_a_gap_for_nan():
    fig = plots.curves({"diverged": [1.0, 0.5, np.nan, np.nan]}, ylabel="loss")
    np.testing.assert_array_equal(fig.axes[0].get_lines()[0].get_ydata(), [1.0, 0.5, np.nan, np.nan])


def test_image_grid_shows_each_map_with_its_title():
    maps = np.random.default_rng(2).standard_normal((5, 6, 4))
    fig = plots.image_grid(maps, titles=[f"map {i}" for i in range(5)], ncols=3, cmap="viridis", suptitle="Maps")
    assert len(fig.axes) == 6 and fig._suptitle.get_text() == "Maps"
    drawn = _drawn(fig)
    assert [ax.get_title() for ax in drawn] == [f"map {i}" for i in range(5)]
    for ax, m in zip(drawn, maps, strict=True):
        np.testing.assert_array_equal(ax.images[0].get_array(), m)
        assert ax.images[0].get_cmap().name == "viridis"


def test_inputs_are_left_unchanged():
    images, labels = _digits(4), np.array([1, 2, 3, 4])
    before = images.copy(), labels.copy()
    plots.digit_grid(images, labels=labels)
    plots.misclassified(images, labels, labels[::-1])
    plots.class_counts(labels)
    np.testing.assert_array_equal(images, before[0])
    np.testing.assert_array_equal(labels, before[1])


# ---- bad input: a clear error naming the argument -----------------------------------------------------------------

D, L = _digits(3), np.array([1, 2, 3])

BAD = [
    # (description, call, error, fragment of the message)
    ("images None", lambda: plots.digit_grid(None), TypeError, "images must hold pixel values"),
    ("images text", lambda: plots.digit_grid([["a"] * 784]), TypeError, "images must hold pixel values"),
    ("images (3, 5)", lambda: plots.digit_grid(np.zeros((3, 5))), ValueError,
     r"images must be digits shaped \(N, 784\).*got shape \(3, 5\)"),
    ("one image", lambda: plots.digit_grid(np.zeros((28, 28))), ValueError, r"one image x as x\[None\]"),
    ("images not 28x28", lambda: plots.digit_grid(np.zeros((2, 20, 20))), ValueError, r"got shape \(2, 20, 20\)"),
    ("images empty", lambda: plots.digit_grid(np.zeros((0, 784))), ValueError, "images is empty"),
    ("images NaN", lambda: plots.digit_grid(np.full((2, 784), np.nan)), ValueError, "images must hold finite numbers"),
    ("images inf", lambda: plots.digit_grid(np.full((1, 28, 28), np.inf)), ValueError,
     "images must hold finite numbers"),
    ("labels float", lambda: plots.digit_grid(D, labels=[0.5, 1, 2]), ValueError, "labels must hold integer"),
    ("labels one-hot", lambda: plots.digit_grid(D, labels=np.eye(3, dtype=int)), ValueError, "labels must be a 1-D"),
    ("labels too many", lambda: plots.digit_grid(D, labels=np.arange(5)), ValueError,
     "labels has 5 entries but images has 3"),
    ("labels too few", lambda: plots.digit_grid(D, labels=[1]), ValueError, "labels has 1 entries but images has 3"),
    ("labels 10", lambda: plots.digit_grid(D, labels=[1, 2, 10]), ValueError, r"labels must lie in 0..9"),
    ("predictions text", lambda: plots.digit_grid(D, predictions=list("abc")), ValueError,
     "predictions must hold integer"),
    ("ncols 0", lambda: plots.digit_grid(D, ncols=0), ValueError, "digit_grid: ncols must be at least 1"),
    ("ncols float", lambda: plots.digit_grid(D, ncols=2.5), TypeError, "ncols must be a whole number"),
    ("max_rows -1", lambda: plots.digit_grid(D, max_rows=-1), ValueError, "max_rows must be at least 1"),
    ("size 0", lambda: plots.digit_grid(D, size=0), ValueError, r"size must be a finite number in \(0, inf\)"),
    ("size text", lambda: plots.digit_grid(D, size="big"), TypeError, "size must be a number"),
    ("misclassified one-hot", lambda: plots.misclassified(D, np.eye(3, dtype=int), np.eye(3, dtype=int)), ValueError,
     "labels must be a 1-D array"),
    ("misclassified shapes", lambda: plots.misclassified(D, L, L[:2]), ValueError, "must have the same shape"),
    ("misclassified images short", lambda: plots.misclassified(D[:2], L, L), ValueError,
     "labels has 3 entries but images has 2"),
    ("misclassified float", lambda: plots.misclassified(D, L * 1.0, L), ValueError, "labels must hold integer"),
    ("misclassified scores", lambda: plots.misclassified(D, L, np.ones((3, 10))), ValueError,
     "predictions must be a 1-D"),
    ("misclassified ncols 0", lambda: plots.misclassified(D, L, L[::-1], ncols=0), ValueError,
     "misclassified: ncols must be at least 1"),
    ("class_counts float", lambda: plots.class_counts([0.5, 1.0]), ValueError, "labels must hold integer"),
    ("class_counts negative", lambda: plots.class_counts([-1, 2]), ValueError, r"labels must lie in 0..9"),
    ("class_counts 10", lambda: plots.class_counts([10, 2]), ValueError, r"labels must lie in 0..9"),
    ("class_counts empty", lambda: plots.class_counts([]), ValueError, "labels is empty"),
    ("class_counts 2-D", lambda: plots.class_counts([[1, 2]]), ValueError, "labels must be a 1-D"),
    ("class_counts title", lambda: plots.class_counts([1], title=None), TypeError, "title must be a string"),
    ("curves list", lambda: plots.curves([1, 2, 3]), TypeError, "series must be a dict name -> values"),
    ("curves empty", lambda: plots.curves({}), ValueError, "series is empty"),
    ("curves None", lambda: plots.curves({"a": None}), TypeError, r"series\['a'\] must be a sequence"),
    ("curves text", lambda: plots.curves({"a": "0.5"}), TypeError, r"series\['a'\] must be a sequence"),
    ("curves words", lambda: plots.curves({"a": ["x", "y"]}), TypeError, r"series\['a'\] must hold numbers"),
    ("curves x/y lengths", lambda: plots.curves({"a": ([1, 2, 3], [1, 2])}), ValueError,
     r"series\['a'\] is an \(x, y\) pair of different lengths \(3 and 2\)"),
    ("curves empty y", lambda: plots.curves({"a": []}), ValueError, r"series\['a'\] is empty"),
    ("curves 2-D y", lambda: plots.curves({"a": np.ones((3, 2))}), ValueError, r"series\['a'\] must be a 1-D"),
    ("curves mark", lambda: plots.curves({"a": [1, 2]}, marks={"m": 3}), ValueError,
     r"marks\['m'\] must be one \(x, y\) point"),
    ("curves mark NaN", lambda: plots.curves({"a": [1, 2]}, marks={"m": (1, np.nan)}), ValueError,
     r"marks\['m'\]"),
    ("curves marks list", lambda: plots.curves({"a": [1, 2]}, marks=[(1, 2)]), TypeError, "marks must be a dict"),
    ("curves ax", lambda: plots.curves({"a": [1, 2]}, ax="left"), TypeError, "ax must be a matplotlib Axes"),
    ("curves xlabel", lambda: plots.curves({"a": [1, 2]}, xlabel=None), TypeError, "xlabel must be a string"),
    ("curves ylabel", lambda: plots.curves({"a": [1, 2]}, ylabel=3), TypeError, "ylabel must be a string"),
    ("image_grid 2-D", lambda: plots.image_grid(np.zeros((3, 3))), ValueError, r"stack of 2-D images \(N, H, W\)"),
    ("image_grid empty", lambda: plots.image_grid(np.zeros((0, 3, 3))), ValueError, "non-empty stack"),
    ("image_grid NaN", lambda: plots.image_grid(np.full((1, 3, 3), np.nan)), ValueError,
     "images must hold finite numbers"),
    ("image_grid text", lambda: plots.image_grid([[["a"]]]), TypeError, "images must hold numbers"),
    ("image_grid titles short", lambda: plots.image_grid(D, titles=["a"]), ValueError,
     r"titles must be one text per image \(3\)"),
    ("image_grid titles text", lambda: plots.image_grid(D, titles="abc"), ValueError, "titles must be one text"),
    ("image_grid ncols 0", lambda: plots.image_grid(D, ncols=0), ValueError, "image_grid: ncols must be at least 1"),
    ("image_grid size", lambda: plots.image_grid(D, size=-1), ValueError, "size must be a finite number"),
    ("image_grid suptitle", lambda: plots.image_grid(D, suptitle=None), TypeError, "suptitle must be a string"),
]


@pytest.mark.parametrize("call, error, fragment", [row[1:] for row in BAD], ids=[row[0] for row in BAD])
def test_bad_input_gives_a_clear_error(call, error, fragment):
    with pytest.raises(error, match=fragment):
        call()
    assert plt.get_fignums() == []   # the check comes before any figure is made

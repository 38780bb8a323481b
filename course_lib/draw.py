"""Turn a digit drawn on a canvas into an MNIST-like 28x28 image, step by step.

MNIST's own recipe: fit the digit's bounding box into 20x20 pixels (keeping
its aspect ratio, with anti-aliasing), then place it in a 28x28 frame so that
its centre of mass sits at the centre. Every function here is pure NumPy and
returns new arrays.
"""

import warnings

import numpy as np

from .checks import fail, finite, integer, number, numbers_array, positive
from .i18n import N_, _


class EmptyDrawing(ValueError):
    """The canvas holds no (or almost no) ink, so there is nothing to read."""


class InvertedDrawing(UserWarning):
    """The drawing was a dark digit on a light background (a scan or a photo) and was inverted to MNIST's look."""


BRIGHT_BORDER = 0.5
"""A drawing whose border pixels are, by their median, brighter than this fraction of its brightest pixel is a dark
digit on a light background: ``preprocess`` inverts it."""


def _bright_ink(drawing):
    """``drawing`` with bright ink on a background of 0: as it is, or inverted (with an ``InvertedDrawing``
    warning) when its border is bright, i.e. a dark digit on a light background."""
    border = np.concatenate([drawing[0], drawing[-1], drawing[1:-1, 0], drawing[1:-1, -1]])
    background = np.median(border)
    if not background > BRIGHT_BORDER * drawing.max():
        return drawing
    warnings.warn(_("drawing: its border is bright ({background} of at most {peak}), so it was read as a dark digit "
                    "on a light background (a scan or a photo) and inverted to MNIST's bright digit on black. Pass "
                    "ink bright on a background of 0 to skip this step.").format(
        background=f"{background:g}", peak=f"{drawing.max():g}"), InvertedDrawing, stacklevel=3)
    return np.clip(background - drawing, 0, None)


def _area_matrix(n_in, n_out):
    """(n_out, n_in) matrix averaging the input cells each output cell covers (box / area resampling)."""
    edges = np.linspace(0, n_in, n_out + 1)
    lo, hi = edges[:-1, None], edges[1:, None]
    cells = np.arange(n_in)[None, :]
    overlap = np.clip(np.minimum(hi, cells + 1) - np.maximum(lo, cells), 0, None)
    return overlap / overlap.sum(axis=1, keepdims=True)


def _image(name, image, dtype=None):
    """``image`` as a non-empty 2-D array (H, W) of finite numbers, or an error naming ``name``."""
    image = numbers_array(name, image)
    if image.ndim != 2 or 0 in image.shape:
        raise ValueError(_("{name} must be a non-empty 2-D array (H, W), got shape {shape}.").format(
            name=name, shape=image.shape))
    finite(name, image)
    return image if dtype is None else image.astype(dtype, copy=False)


def resize(image, height, width):
    """Area-average resize of a 2-D image (H, W) to (height, width); anti-aliased when shrinking."""
    image = _image("image", image, np.float64)
    integer("height", height, 1)
    integer("width", width, 1)
    return _area_matrix(image.shape[0], height) @ image @ _area_matrix(image.shape[1], width).T


def center_of_mass(image):
    """(row, column) of the intensity-weighted centre of a 2-D image (H, W) of non-negative weights, some ink."""
    image = _image("image", image)
    if image.min() < 0 or not image.sum() > 0:
        raise ValueError(_("image must hold non-negative ink with a positive total (the centre of mass of an empty "
                           "or negative image is undefined), got values from {min} to {max}.").format(
            min=image.min(), max=image.max()))
    total = image.sum()
    rows, cols = np.indices(image.shape)
    return float((rows * image).sum() / total), float((cols * image).sum() / total)


def preprocess(drawing, box=20, frame=28, min_ink=0.002):
    """MNIST-style preprocessing of a drawing (H, W), ink bright (any scale), background 0.

    A dark digit on a light background (a bright border) is inverted first, with an ``InvertedDrawing`` warning.
    Returns a dict of the steps: ``"drawing"`` (scaled to 0..1), ``"cropped"``
    (bounding box), ``"scaled"`` (longest side ``box`` pixels), ``"centred"``
    (``frame`` x ``frame``, float32 in 0..1: the network's input).
    Raises ``EmptyDrawing`` when less than ``min_ink`` of the canvas is inked.
    """
    drawing = numbers_array("drawing", drawing, N_("ink values")).astype(np.float64, copy=False)
    if drawing.ndim != 2 or 0 in drawing.shape:
        colour = drawing.ndim == 3 and drawing.shape[2] in (3, 4) and drawing.size
        raise fail(ValueError, "drawing", N_("be a non-empty 2-D grayscale drawing (H, W)"),
                   _("shape {shape}").format(shape=drawing.shape),
                   N_("For a colour image (H, W, 3 or 4) pass image[..., :3].mean(axis=2).") if colour else "")
    if not np.all(np.isfinite(drawing)) or drawing.min() < 0:
        raise ValueError(_("drawing must hold finite, non-negative ink values (background 0), got values from "
                           "{low} to {high}.").format(
            low=f"{np.nanmin(drawing):g}", high=f"{np.nanmax(drawing):g}"))
    min_ink = number("min_ink", min_ink, 0.0, 1.0)
    integer("box", box, 1)
    integer("frame", frame, 1)
    if box > frame:
        raise ValueError(_("box ({box}) must fit in frame ({frame}).").format(box=box, frame=frame))
    drawing = _bright_ink(drawing)
    peak = drawing.max()
    if peak <= 0 or np.mean(drawing > 0.1 * peak) < min_ink:
        raise EmptyDrawing(_("The canvas is empty (or nearly): draw a digit, large and in one go, then try again."))
    drawing = drawing / peak
    rows = np.flatnonzero(drawing.max(axis=1) > 0.1)
    cols = np.flatnonzero(drawing.max(axis=0) > 0.1)
    cropped = drawing[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
    h, w = cropped.shape
    scale = box / max(h, w)
    scaled = resize(cropped, max(1, round(h * scale)), max(1, round(w * scale)))
    scaled = scaled / scaled.max()          # thin strokes fade when shrunk: restore full ink
    centred = np.zeros((frame, frame))
    r, c = center_of_mass(scaled)
    top = int(np.clip(round(frame / 2 - r), 0, frame - scaled.shape[0]))
    left = int(np.clip(round(frame / 2 - c), 0, frame - scaled.shape[1]))
    centred[top:top + scaled.shape[0], left:left + scaled.shape[1]] = scaled
    return {"drawing": drawing, "cropped": cropped, "scaled": scaled, "centred": centred.astype(np.float32)}


def stroke_image(points, size=280, width=18):
    """Render a polyline (list of (x, y) in 0..1 canvas units) as a (size, size) drawing: for examples and tests."""
    integer("size", size, 1)
    pts = numbers_array("points", points, N_("(x, y) pairs of numbers")).astype(np.float64, copy=False)
    if pts.ndim != 2 or pts.shape[1] != 2 or len(pts) < 2:
        raise ValueError(_("points must be at least two (x, y) pairs, got shape {shape}.").format(shape=pts.shape))
    if not np.all(np.isfinite(pts)) or pts.min() < 0 or pts.max() > 1:
        raise ValueError(_("points must lie in 0..1 canvas units (0 and 1 are the edges), got {points}.").format(
            points=pts.tolist()))
    positive("width", width, advice=N_("Pass a stroke width in pixels."))
    yy, xx = np.mgrid[0:size, 0:size] + 0.5
    ink = np.zeros((size, size))
    pts = pts * size
    for (x0, y0), (x1, y1) in zip(pts[:-1], pts[1:], strict=True):
        dx, dy = x1 - x0, y1 - y0
        t = np.clip(((xx - x0) * dx + (yy - y0) * dy) / max(dx * dx + dy * dy, 1e-9), 0, 1)
        dist = np.hypot(xx - (x0 + t * dx), yy - (y0 + t * dy))
        ink = np.maximum(ink, np.clip(width / 2 - dist + 0.5, 0, 1))
    return ink

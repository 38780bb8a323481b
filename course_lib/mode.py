"""Full mode (the default, for learners) vs fast mode (``COURSE_FAST=1``, for CI).

Every notebook reads the mode once and asks ``pick(full=..., fast=...)`` for
subset sizes and epoch counts, so there is exactly one switch.
"""

import os

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"", "0", "false", "no", "off"}


def is_fast():
    """True when the environment variable ``COURSE_FAST`` is set to 1/true/yes/on (0/false/no/off/unset: full).

    Any other value is a typo that would silently train in full mode, so it raises ``ValueError``.
    """
    value = os.environ.get("COURSE_FAST", "").strip().lower()
    if value not in _TRUE | _FALSE:
        raise ValueError(f"COURSE_FAST={os.environ['COURSE_FAST']!r} is neither on nor off: set it to 1 for fast "
                         "mode, or 0 (or unset it) for full mode.")
    return value in _TRUE


def name():
    """``"fast"`` or ``"full"``."""
    return "fast" if is_fast() else "full"


def pick(full, fast):
    """Return ``fast`` in fast mode, ``full`` otherwise."""
    return fast if is_fast() else full


def banner():
    """One line saying which mode this kernel runs in and how to switch."""
    if is_fast():
        return "FAST mode (COURSE_FAST=1): small subsets and few epochs, for CI and quick checks."
    return "FULL mode: the real training runs. Set COURSE_FAST=1 before starting Jupyter for a quick pass."

"""Full mode (the default, for learners) vs fast mode (``COURSE_FAST=1``, for CI).

Every notebook reads the mode once and asks ``pick(full=..., fast=...)`` for
subset sizes and epoch counts, so there is exactly one switch.
"""

import os

_TRUE = {"1", "true", "yes", "on"}


def is_fast():
    """True when the environment variable ``COURSE_FAST`` is set to 1/true/yes/on."""
    return os.environ.get("COURSE_FAST", "").strip().lower() in _TRUE


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

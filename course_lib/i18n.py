"""The language of everything a learner reads from the library: ``COURSE_LANG=zh_CN`` for Chinese, English otherwise.

``_("text")`` gives ``text`` in the language ``COURSE_LANG`` names *now* (read at every call, so a notebook may set
it before or after importing course_lib), from the gettext catalog ``locale/<lang>/LC_MESSAGES/course_lib.po`` of
this package (read with polib; a missing, empty or fuzzy entry gives the English). Messages with values are written
with named placeholders and formatted after translation: ``_("got {got}").format(got=...)``.

Text declared when a module is imported (a checker's hints, quiz questions) is only marked with ``N_("text")`` (or
``N_("text {n}", n=3)``: an English string that remembers its template) and translated where it is shown, with
``_()``. Maintainers: ``make zh-lib-catalog`` re-extracts the strings with Babel and updates the catalog.
"""

import functools
import os
import warnings

import polib

LANG_ENV = "COURSE_LANG"
DEFAULT = "en"
SUPPORTED = ("en", "zh_CN")
LOCALE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "locale")
DOMAIN = "course_lib"

_warned = set()


def language():
    """The language ``COURSE_LANG`` selects: one of ``SUPPORTED``; unset or empty is English. Any other value
    warns once (per value) and gives English."""
    lang = os.environ.get(LANG_ENV, "").strip()
    if not lang:
        return DEFAULT
    if lang in SUPPORTED:
        return lang
    if lang not in _warned:
        _warned.add(lang)
        warnings.warn(f"{LANG_ENV}={lang!r} is not a supported language; the supported values are "
                      f"{', '.join(SUPPORTED)}. Using English ({DEFAULT}).", stacklevel=3)
    return DEFAULT


@functools.cache
def catalog(lang):
    """{msgid: msgstr} of ``lang``'s catalog, translated entries only (not fuzzy, not empty)."""
    path = os.path.join(LOCALE_DIR, lang, "LC_MESSAGES", f"{DOMAIN}.po")
    return {e.msgid: e.msgstr for e in polib.pofile(path) if e.translated() and not e.obsolete}


class Deferred(str):
    """The English text of ``template.format(**values)`` that remembers its template, so that ``_()`` can
    translate it later (``N_`` makes them)."""

    def __new__(cls, template, values):
        text = super().__new__(cls, template.format(**values))
        text.template, text.values = template, values
        return text

    def __getnewargs__(self):   # copy and deepcopy (a checker copies its cases) rebuild it from these
        return self.template, self.values


def N_(message, **values):  # noqa: N802 (gettext's name for a deferred translation)
    """Mark ``message`` for extraction without translating it now; with ``values``, a ``Deferred`` string."""
    return Deferred(message, values) if values else message


def _(message, lang=None):
    """``message`` in ``lang`` (one of ``SUPPORTED``; default: the current language, ``language()``); a ``Deferred`` is
    translated, then formatted with its values."""
    if isinstance(message, Deferred):   # its string values (a label, a name) are translated too
        return _(message.template, lang).format(**{k: _(v, lang) if isinstance(v, str) else v
                                                   for k, v in message.values.items()})
    if lang is not None and lang not in SUPPORTED:
        raise ValueError(f"lang must be one of {SUPPORTED} or None, got {lang!r}.")
    lang = lang or language()
    if lang == DEFAULT or not message:
        return message
    return catalog(lang).get(message, message)

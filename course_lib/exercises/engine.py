"""The exercise engine: the only place that runs a learner's code.

An ``Exercise`` is a declaration: a right answer (``reference``), seeded case generators, a stated tolerance and a
catalogue of typical ``Mistake`` s, each a small wrong answer (or a predicate on the learner's results) with the
message it earns. ``Exercise.check(answer, *context)`` runs the answer and the reference on the same cases through
the exercise's ``protocol`` and returns a ``Feedback``:

- a skeleton still holding its bare ``...`` statement is ``NOT_ANSWERED``;
- an exception raised by the learner's code is shown as it is: its type, message and the line of the learner's own
  code that raised it (the course's frames trimmed); a function that returns None is told so;
- every input is copied before the call and compared after it: an input changed in place is named;
- results are normalised (lists, tuples, NumPy scalars, float32, a wrong shape or type) with a message that names
  what was got and what was expected, and compared within the exercise's ``Tol`` (stated in the message);
- cases come from a generator seeded by the exercise's name, so a verdict never changes between runs, and a failing
  message names the case (its inputs' shapes) and how to get it back: ``exercises.case("softmax", 3)``;
- when a result differs, the catalogue is searched for the mistake that gives the same result on that case (checked
  with the looser ``DIAGNOSIS`` tolerance: the verdict is already taken, this only picks the message).

Every message is in the learner's language (``course_lib.i18n``): the declarations' texts (messages, hints, praise,
case labels, observation names, tolerances) are English marked with ``N_`` and translated where a verdict is written.

The checker's own code never turns an odd answer into a crash: ``STRICT = False`` makes any slip of a protocol a
"could not judge" message (the tests set ``STRICT = True`` so that such a slip fails them instead).
"""

import ast
import copy
import inspect
import linecache
import numbers
import os
import textwrap
import zlib
from dataclasses import dataclass, field

import numpy as np

from .. import gradcheck
from ..functions import numerical_gradient
from ..i18n import N_, _
from .core import NOT_ANSWERED, Feedback, graded

STRICT = False
REGISTRY = {}
RESULT, YOUR_RESULT = N_("the result"), N_("your result")   # what messages call the observations
_COURSE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@dataclass(frozen=True)
class Tol:
    """Accept ``|got - expected| <= atol + rtol * |expected|`` entry by entry; ``why`` says where the slack comes
    from. float32 results are compared with ``FLOAT32`` instead (whichever is looser)."""
    rtol: float
    atol: float
    why: str

    def __str__(self):
        return _("atol {atol} + rtol {rtol} ({why})").format(atol=f"{self.atol:g}", rtol=f"{self.rtol:g}",
                                                             why=_(self.why))


FLOAT64 = Tol(1e-6, 1e-9, N_("float64 rounding in another summation order"))
FLOAT32 = Tol(1e-4, 1e-5, N_("float32 rounding"))
EXACT = Tol(0.0, 0.0, N_("exact"))
DIAGNOSIS = Tol(1e-3, 1e-6, N_("close enough to name a mistake"))


@dataclass(frozen=True)
class Between:
    """An expected number that may lie anywhere in ``[lo, hi]`` (a free choice such as the eps inside a log)."""
    lo: float
    hi: float


@dataclass(frozen=True)
class Mistake:
    """A typical mistake: ``impl`` is a wrong answer of the exercise's kind (for a value exercise, a function of the
    case giving the wrong value); the learner made it when the answer gives ``impl``'s results on a failing case, or
    when ``when(case, results)`` is true, or when the learner's code raised an error whose text contains ``raises``.
    ``message`` says what is wrong (the nudge), ``hint`` narrows it down from the second miss on; never code."""
    key: str
    message: str
    hint: str = None
    impl: object = None
    when: object = None
    raises: str = None


class _Stop(Exception):
    """A verdict reached while running code: ``text`` for the learner, ``signature`` to compare two runs."""

    def __init__(self, text, signature=None, error=False):
        super().__init__(text)
        self.text, self.signature, self.error = text, signature or text, error


def _name(fn):
    return getattr(fn, "__qualname__", None) or getattr(fn, "__name__", None) or _("your code")


def _where_in_learner_code(exc):
    """'line N: source' of the deepest frame of ``exc``'s traceback outside the course library, NumPy and Python."""
    skip = (_COURSE_DIR, os.path.dirname(np.__file__), os.path.dirname(os.__file__))
    found = None
    tb = exc.__traceback__.tb_next if exc.__traceback__ else None   # the first frame is Run.call's
    while tb is not None:
        filename, lineno = tb.tb_frame.f_code.co_filename, tb.tb_lineno
        if not os.path.abspath(filename).startswith(skip) and "-packages" + os.sep not in filename \
                or "ipykernel" in filename:
            found = (lineno, linecache.getline(filename, lineno).strip())
        tb = tb.tb_next
    if found is None:
        return ""
    if found[1]:
        return _(" (line {line} of your code: {source})").format(line=found[0], source=found[1])
    return _(" (line {line} of your code)").format(line=found[0])


def _snapshot(value):
    if isinstance(value, (np.ndarray, list, dict, tuple)):
        return copy.deepcopy(value)
    return None


def _same(a, b):
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.shape == b.shape \
            and a.dtype == b.dtype and np.array_equal(a, b, equal_nan=a.dtype.kind in "fc")
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a == b or a != a and b != b


class Run:
    """What a protocol uses to run one answer on one case; ``learner`` is False for the reference and mistakes."""

    def __init__(self, learner):
        self.learner, self.gradchecks = learner, []

    def call(self, fn, *args, name=None, returns=True, may_change=(), **kwargs):
        """``fn(*args, **kwargs)``; an exception, a None result (when ``returns``) or an input changed in place
        (except the positions in ``may_change``) ends the case with a message."""
        name = name or _name(fn)
        before = {i: _snapshot(a) for i, a in enumerate(args) if i not in may_change}
        try:
            with np.errstate(all="ignore"):
                result = fn(*args, **kwargs)
        except Exception as exc:  # the learner's code may raise anything: show it as it is
            raise _Stop(_("{name} raised {error}: {message}{where}.").format(
                name=name, error=type(exc).__name__, message=str(exc).strip(), where=_where_in_learner_code(exc)),
                ("raised", type(exc).__name__, str(exc)), error=True) from None
        for i, old in before.items():
            if old is not None and not _same(old, args[i]):
                raise _Stop(_("{name} changed its input {argument} in place; leave the inputs as they were and "
                              "build new arrays.").format(name=name, argument=self._arg_name(fn, i)), ("changed", i))
        if returns and result is None:
            raise _Stop(_("{name} returned None: end it with a return statement that gives back the "
                          "result.").format(name=name), "None")
        return result

    @staticmethod
    def _arg_name(fn, i):
        try:
            names = [p for p in inspect.signature(fn).parameters]
            return f"'{names[i]}'"
        except (TypeError, ValueError, IndexError):
            return _("number {n}").format(n=i + 1)

    def require(self, condition, text):
        """End the case with ``text`` unless ``condition`` holds (a result of the wrong kind)."""
        if not condition:
            raise _Stop(text)

    def unpack(self, value, names, what):
        """``value`` as a tuple of ``len(names)`` items, or a message saying what came back instead."""
        if not isinstance(value, (tuple, list)) or len(value) != len(names):
            got = _("{n} values").format(n=len(value)) if isinstance(value, (tuple, list)) else \
                _("a {type}").format(type=type(value).__name__)
            raise _Stop(_("{what} should return {n} values, ({names}); it returned {got}.").format(
                what=what, n=len(names), names=", ".join(names), got=got))
        return tuple(value)

    def array(self, value, what, shape):
        """``value`` as a float64 array of ``shape``, or a message naming what it is instead."""
        problem = _array_differ(value, np.zeros(shape), EXACT, _(what), True, False, values=False)
        if problem:
            raise _Stop(problem)
        return np.asarray(value, dtype=np.float64)

    def gradcheck(self, what, f, x, analytic, limit=1e-7):
        """Once the results agree with the reference: a float64 check of the learner's ``analytic`` gradient against
        central differences of the library's scalar ``f()`` at ``x``."""
        if self.learner:
            self.gradchecks.append((what, f, x, analytic, limit))


def _gradient_problem(what, f, x, analytic, limit):
    error = gradcheck.rel_error(np.asarray(analytic, dtype=np.float64), numerical_gradient(f, x, h=1e-6))
    if error > limit:
        return _("{what} fails the float64 gradient check: relative error {error} against central differences (a "
                 "right gradient gives below {limit}).").format(what=what, error=f"{error:.1e}", limit=f"{limit:g}")
    return None


def _show(value):
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _is_number(value, kinds="iuf"):
    if isinstance(value, (bool, np.bool_)):
        return False
    if isinstance(value, numbers.Real):
        return "f" in kinds or isinstance(value, numbers.Integral)
    return isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in kinds


def _differ(got, exp, tol, what, reveal, same_dtype):
    """Describe the first way ``got`` differs from ``exp`` beyond ``tol``, or ``None``; never raises. ``what`` names
    ``got`` in the learner's language; the keys of a dict ``exp`` are translated here."""
    if got is None and exp is not None:
        return _("{what} is None.").format(what=what)
    if isinstance(exp, dict):
        for key, value in exp.items():
            if not isinstance(got, dict) or key not in got:
                return _("{what} has no {key}.").format(what=what, key=repr(_(key)))
            problem = _differ(got[key], value, tol, _(key) if what == _(RESULT) else f"{what}[{key!r}]", reveal,
                              same_dtype)
            if problem:
                return problem
        return None
    if isinstance(exp, Between):
        if not _is_number(got):
            return _("{what} is {got} (a {type}); expected one number.").format(what=what, got=_show(got),
                                                                                 type=type(got).__name__)
        lo, hi = exp.lo - tol.atol - tol.rtol * abs(exp.lo), exp.hi + tol.atol + tol.rtol * abs(exp.hi)
        if lo <= float(got) <= hi:
            return None
        if reveal:
            return _("{what} is {got}, expected between {lo} and {hi}.").format(
                what=what, got=f"{float(got):.6g}", lo=f"{exp.lo:.6g}", hi=f"{exp.hi:.6g}")
        return _("{what} ({got}) is not right.").format(what=what, got=f"{float(got):.6g}")
    if isinstance(exp, (tuple, list)):
        if isinstance(got, np.ndarray) and got.ndim >= 1:
            got = list(got)
        if not isinstance(got, (tuple, list)):
            return _("{what} is {got}; expected a sequence of {n} values.").format(what=what, got=_show(got),
                                                                                    n=len(exp))
        if len(got) != len(exp):
            return _("{what} has {got} values; expected {n}.").format(what=what, got=len(got), n=len(exp))
        for i, (g, e) in enumerate(zip(got, exp, strict=True)):
            problem = _differ(g, e, tol, f"{what}[{i}]", reveal, same_dtype)
            if problem:
                return problem
        return None
    if isinstance(exp, np.ndarray):
        return _array_differ(got, exp, tol, what, reveal, same_dtype)
    if isinstance(exp, (bool, np.bool_)):
        if isinstance(got, (bool, np.bool_)) and got == exp:
            return None
        return _("{what} is {got}, expected {expected}.").format(
            what=what, got=_show(got), expected=exp if reveal else _("True or False"))
    if isinstance(exp, (numbers.Integral, np.integer)):
        if not _is_number(got, "iu"):
            return _("{what} is {got} ({type}); expected a whole number (an int).").format(
                what=what, got=_show(got), type=type(got).__name__)
        if int(got) == int(exp):
            return None
        if reveal:
            return _("{what} is {got}, expected {expected}.").format(what=what, got=int(got), expected=int(exp))
        return _("{what} ({got}) is not right.").format(what=what, got=int(got))
    if isinstance(exp, (numbers.Real, np.floating)):
        if not _is_number(got):
            if isinstance(got, np.ndarray):
                return _("{what} is {got} ({type} of shape {shape}); expected one number.").format(
                    what=what, got=_show(got), type=type(got).__name__, shape=np.shape(got))
            return _("{what} is {got} ({type}); expected one number.").format(what=what, got=_show(got),
                                                                               type=type(got).__name__)
        value = float(got)
        if value == exp:
            return None
        if not np.isfinite(value) and np.isfinite(exp):
            return _("{what} is {got}, not a finite number.").format(what=what, got=value)
        if abs(value - exp) <= tol.atol + tol.rtol * abs(exp):
            return None
        if reveal:
            return _("{what} is {got}, expected {expected} (tolerance {tol}).").format(
                what=what, got=f"{value:.6g}", expected=f"{float(exp):.6g}", tol=tol)
        return _("{what} ({got}) is not right.").format(what=what, got=f"{value:g}")
    if got == exp:
        return None
    return _("{what} is {got}, expected {expected}.").format(
        what=what, got=_show(got), expected=_show(exp) if reveal else _("something else"))


def _array_differ(got, exp, tol, what, reveal, same_dtype, values=True):
    if not isinstance(got, (np.ndarray, list, tuple, numbers.Number, np.generic)):
        return _("{what} is a {type}; expected an array of shape {shape}.").format(
            what=what, type=type(got).__name__, shape=exp.shape)
    try:
        arr = np.asarray(got)
    except ValueError:
        return _("{what} is a ragged {type}; expected an array of shape {shape}.").format(
            what=what, type=type(got).__name__, shape=exp.shape)
    if arr.dtype.kind not in "biuf" or arr.dtype.kind == "b" and exp.dtype.kind != "b":
        return _("{what} holds {dtype} values; expected numbers, shape {shape}.").format(
            what=what, dtype=arr.dtype, shape=exp.shape)
    if arr.shape != exp.shape:
        if arr.size == exp.size:
            return _("{what} has shape {got}, expected {expected} (the same number of entries: a reshape, a transpose "
                     "or an extra axis?).").format(what=what, got=arr.shape, expected=exp.shape)
        return _("{what} has shape {got}, expected {expected}.").format(what=what, got=arr.shape, expected=exp.shape)
    if exp.dtype.kind == "f" and arr.dtype.kind != "f":
        return _("{what} has dtype {got}; expected floats ({expected}).").format(what=what, got=arr.dtype,
                                                                                 expected=exp.dtype)
    if same_dtype and arr.dtype != exp.dtype:
        return _("{what} has dtype {got}; for {expected} inputs it should stay {expected}.").format(
            what=what, got=arr.dtype, expected=exp.dtype)
    if not values:
        return None
    if np.float32 in (arr.dtype, exp.dtype):
        tol = Tol(max(tol.rtol, FLOAT32.rtol), max(tol.atol, FLOAT32.atol), FLOAT32.why)
    a, e = arr.astype(np.float64), exp.astype(np.float64)
    bad = ~np.isfinite(a) & np.isfinite(e)
    if bad.any():
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        return _("{what} is {got}, not a finite number.").format(what=f"{what}{list(index) if index else ''}",
                                                                 got=a[index])
    bad = ~np.isclose(a, e, rtol=tol.rtol, atol=tol.atol, equal_nan=True)
    if not bad.any():
        return None
    index = tuple(int(i) for i in np.argwhere(bad)[0])
    at = f"[{', '.join(map(str, index))}]" if index else ""
    if reveal:
        return _("{what} is {got}, expected {expected}: {bad} of {size} entries differ by more than {tol}.").format(
            what=what + at, got=f"{a[index]:.6g}", expected=f"{e[index]:.6g}", bad=int(bad.sum()), size=bad.size,
            tol=tol)
    return _("{what} is {got}: {bad} of {size} entries differ by more than {tol}.").format(
        what=what + at, got=f"{a[index]:.6g}", bad=int(bad.sum()), size=bad.size, tol=tol)


def _has_bare_ellipsis(fn):
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    except (OSError, TypeError, SyntaxError):
        body = [i.opname for i in __import__("dis").get_instructions(fn.__code__)]
        return set(body) <= {"RESUME", "NOP", "LOAD_CONST", "RETURN_VALUE", "RETURN_CONST"} and \
            all(c is None or isinstance(c, str) for c in fn.__code__.co_consts)
    return any(isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and node.value.value is Ellipsis
               for node in ast.walk(tree))


def is_skeleton(answer):
    """True for ``...`` and for a function, class or tuple of them still holding a bare ``...`` statement."""
    if answer is Ellipsis:
        return True
    if isinstance(answer, tuple):
        return any(is_skeleton(a) for a in answer)
    if isinstance(answer, type):
        return any(_has_bare_ellipsis(f) for f in vars(answer).values() if inspect.isfunction(f))
    return inspect.isfunction(answer) and _has_bare_ellipsis(answer)


def _describe(case):
    label = case.get("_label")   # English (N_), shown in the learner's language
    if label is not None:
        return _(label)
    parts = []
    for key, value in case.items():
        if key.startswith("_"):
            continue
        if isinstance(value, np.ndarray):
            parts.append(f"{key} {value.shape} {value.dtype}")
        elif isinstance(value, (numbers.Number, str)) or isinstance(value, (list, tuple)) and len(value) <= 10 \
                and all(isinstance(v, (numbers.Number, str)) for v in value):
            parts.append(f"{key}={value!r}")
    return ", ".join(parts)


def call_answer(run, answer, case, what=YOUR_RESULT):
    """The default protocol: ``answer`` called with the case's inputs in order; its result is the observation."""
    args = [v for k, v in case.items() if not k.startswith("_")]
    return {what: run.call(answer, *args)}


@dataclass
class Exercise:
    """One exercise, checked by ``check`` (exported as ``exercises.check_<name>``).

    kind: "function", "class" (the answer is called or constructed by ``protocol``) or "value" (the answer is the
    observation itself, or what ``protocol`` reads from it, and ``reference(**case)`` the right value).
    ``arity`` answers come first in ``check``'s
    arguments (two for a pair of functions); the rest is the context handed to ``cases``. cases: ``cases(rng,
    *context)`` -> list of dicts of inputs (keys starting with "_" are not inputs; "_label" describes the case); for
    a value exercise ``cases(*context)``. protocol(run, answer, case) -> dict of observations. ``also_right``: other
    right answers (their results are accepted too, e.g. a loss recorded before or after the update).
    """
    name: str
    reference: object
    cases: object
    praise: str
    kind: str = "function"
    protocol: object = call_answer
    tol: Tol = FLOAT64
    mistakes: tuple = ()
    hint: str = None
    arity: int = 1
    same_dtype: bool = False
    also_right: tuple = ()
    doc: str = field(default="", repr=False)

    def __post_init__(self):
        REGISTRY[self.name] = self
        self.seed, self._kept = zlib.crc32(self.name.encode()), {}

    def check(self, *args):
        """Feedback on the answer (the first ``arity`` arguments) for the context (the others)."""
        answer = args[0] if self.arity == 1 else tuple(args[:self.arity])
        try:
            return self.judge(answer, args[self.arity:], self.seed)
        except Exception as exc:  # a slip of the checker itself must not look like the learner's mistake
            if STRICT:
                raise
            return Feedback(False, _("the checker could not judge this answer ({error}: {message}). Please report "
                                     "it to the course's maintainers.").format(error=type(exc).__name__, message=exc))

    def make_cases(self, context=(), seed=None):
        if self.kind == "value":
            return self.cases(*context)
        return self.cases(np.random.default_rng(self.seed if seed is None else seed), *context)

    def outcome(self, answer, case, learner=False):
        """The observations of ``answer`` on a copy of ``case``, or the ``_Stop`` that ended it."""
        run = Run(learner)
        if self.kind == "value":   # the context comes from the notebook; only the library reads it
            answer = answer if learner else answer(**case)
            if self.protocol is call_answer:
                return {N_("your answer"): answer}
        else:
            case = copy.deepcopy(case)
        try:
            got = self.protocol(run, answer, case)
        except _Stop as stop:
            return stop
        return {**got, "_gradchecks": run.gradchecks} if run.gradchecks else got

    def _problem(self, got, expected, tol):
        if isinstance(expected, _Stop):
            raise RuntimeError(f"the reference of exercise {self.name!r} failed: {expected.text}")
        if isinstance(got, _Stop):
            return got.text
        return _differ(got, expected, tol, _(RESULT), self.kind != "value", self.same_dtype)

    def _made(self, mistake, got, case):
        if isinstance(got, _Stop):
            if mistake.raises is not None:
                return got.error and mistake.raises in got.text
            if mistake.impl is not None and mistake.when is None:
                theirs = self.outcome(mistake.impl, case)
                return isinstance(theirs, _Stop) and theirs.signature == got.signature
            return False
        if mistake.when is not None:
            try:
                with np.errstate(all="ignore"):
                    return bool(mistake.when(case, got))
            except Exception:  # a predicate that cannot read an odd answer simply does not apply
                return False
        if mistake.impl is not None:
            theirs = self.outcome(mistake.impl, case)
            return not isinstance(theirs, _Stop) and self._problem(got, theirs, DIAGNOSIS) is None
        return False

    def _expected(self, seed, number, case):
        """The reference's outcome on a case; those of generated cases are kept (a kernel re-checks the same cases)."""
        if self.kind == "value":
            return self.outcome(self.reference, case)
        key = (self.seed if seed is None else seed, number)
        if key not in self._kept:
            if len(self._kept) > 2000:
                self._kept.clear()
            self._kept[key] = self.outcome(self.reference, case)
        return self._kept[key]

    def judge(self, answer, context=(), seed=None):
        """Run ``answer`` on every case made with ``seed``; the Feedback of the first failing case."""
        if is_skeleton(answer):
            return NOT_ANSWERED
        if self.kind == "class" and not isinstance(answer, type):
            return Feedback(False, _("expected a class (its name, without parentheses), got {got}.").format(
                got=_show(answer)))
        if self.kind == "function" and not all(callable(a) and not isinstance(a, type)
                                               for a in (answer if self.arity > 1 else (answer,))):
            return Feedback(False, _("expected a function (its name, without parentheses), got {got}.").format(
                got=_show(answer)))
        cases = self.make_cases(context, seed)
        for number, case in enumerate(cases, start=1):
            got = self.outcome(answer, case, learner=True)
            problem = self._problem(got, self._expected(seed, number, case), self.tol)
            if problem is None and not isinstance(got, _Stop):
                problem = next(filter(None, (_gradient_problem(*c) for c in got.get("_gradchecks", ()))), None)
            if problem is None or any(self._problem(got, self.outcome(r, case), self.tol) is None
                                      for r in self.also_right):
                continue
            where = ""
            if self.kind != "value":
                where = _("For case {number} of {total} ({case}; {call} gives its inputs): ").format(
                    number=number, total=len(cases), case=_describe(case),
                    call=f"exercises.case({self.name!r}, {number})")
            for mistake in self.mistakes:
                if self._made(mistake, got, case):
                    said = f"{got.text} " if isinstance(got, _Stop) and got.error else ""
                    return graded(mistake.key, where + said + _(mistake.message), _(mistake.hint))
            if isinstance(got, _Stop):
                return Feedback(False, where + got.text)
            return graded(self.name, where + problem, _(self.hint))
        return Feedback(True, _(self.praise), cases=len(cases))


def case(name, number):
    """The inputs of case ``number`` (from 1) of exercise ``name``, exactly as its checker made them."""
    if name not in REGISTRY or REGISTRY[name].kind == "value":
        raise ValueError(_("no exercise with generated cases is called {name}; the names are {names}.").format(
            name=repr(name), names=sorted(n for n, e in REGISTRY.items() if e.kind != "value")))
    cases = REGISTRY[name].make_cases()
    if not 1 <= number <= len(cases):
        raise ValueError(_("exercise {name} has cases 1 to {n}, got {number}.").format(name=repr(name), n=len(cases),
                                                                                    number=repr(number)))
    return {k: v for k, v in cases[number - 1].items() if not k.startswith("_")}

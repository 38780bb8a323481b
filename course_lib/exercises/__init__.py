"""Exercises of every notebook, declared one module per notebook (``nb02`` for notebook 02, ...) and run by ``engine``.

Notebooks write ``from course_lib import exercises`` and call ``exercises.check_softmax(softmax)``: every declared
exercise is available here as ``check_<name>``; ``exercises.case("softmax", 3)`` gives the inputs of a case a
message names. ``show_quiz`` shows a notebook's quick check (``exercises.nb06.QUIZ``).
"""

from . import core, engine
from . import nb00, nb01, nb02, nb03, nb04, nb05, nb06, nb07, nb08, nb09, nb10, nb11, nb12, nb13  # noqa: F401
from .core import NOT_ANSWERED, Feedback  # noqa: F401
from .engine import case  # noqa: F401
from .quiz import show_quiz  # noqa: F401

globals().update({f"check_{name}": exercise.check for name, exercise in engine.REGISTRY.items()})
__all__ = ["Feedback", "NOT_ANSWERED", "case", "core", "engine", "show_quiz"] + [f"check_{name}"
                                                                                for name in engine.REGISTRY]

"""Checkers for the exercises of every notebook, one module per notebook (``nb02`` for notebook 02, ...).

Notebooks write ``from course_lib import exercises`` and call ``exercises.check_softmax(...)``: every
module's checkers are available here. The shared machinery (feedback, graded hints, array comparison,
gradient checks) lives in ``core``.
"""

from . import core  # noqa: F401
from .core import NOT_ANSWERED, Feedback  # noqa: F401
from .nb00 import *  # noqa: F401,F403
from .nb01 import *  # noqa: F401,F403
from .nb02 import *  # noqa: F401,F403
from .nb03 import *  # noqa: F401,F403
from .nb04 import *  # noqa: F401,F403
from .nb05 import *  # noqa: F401,F403
from .nb06 import *  # noqa: F401,F403
from .nb07 import *  # noqa: F401,F403
from .nb08 import *  # noqa: F401,F403
from .nb09 import *  # noqa: F401,F403
from .nb10 import *  # noqa: F401,F403
from .nb11 import *  # noqa: F401,F403
from .nb12 import *  # noqa: F401,F403
from .nb13 import *  # noqa: F401,F403
from .quiz import show_quiz  # noqa: F401

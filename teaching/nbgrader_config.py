"""nbgrader settings for this course (copied into the course directory build/nbgrader/ by `make student`).

How the course's notebooks map onto nbgrader (see README, "Teaching with this course"):
- answer cell (nbgrader "solution": true, not graded): already a skeleton in the notebook, kept as it is. nbgrader's
  ClearSolutions step is left out: it would replace a cell without BEGIN/END SOLUTION markers by
  `raise NotImplementedError()`, which would stop the notebook; our answers live in separate cells instead.
- reference solution cell (tag "solution"): removed from the student edition (TagRemovePreprocessor).
- check cell (nbgrader "grade": true, "locked": true, 1 point): its value is a Feedback. While nbgrader autogrades
  or validates (it sets NBGRADER_EXECUTION for the kernel), or with COURSE_GRADING=1, it displays as its score,
  1.0 or 0.0, which nbgrader takes as the points earned (course_lib/exercises/core.py).
"""

from nbconvert.preprocessors import ClearMetadataPreprocessor, TagRemovePreprocessor
from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata, ClearHiddenTests, ClearMarkScheme,
                                    ClearOutput, ComputeChecksums, Execute, IgnorePattern, IncludeHeaderFooter,
                                    InstantiateTests, LimitOutput, LockCells, SaveAutoGrades, SaveCells)

from course_lib.execution import CellWatch

c = get_config()  # noqa: F821 (provided by traitlets when it loads this file)

c.CourseDirectory.course_id = "mnist-course"

c.TagRemovePreprocessor.enabled = True
c.TagRemovePreprocessor.remove_cell_tags = {"solution"}

# nbgrader's default list for generate_assignment, with the solution cells removed first and ClearSolutions left out.
c.GenerateAssignment.preprocessors = [
    TagRemovePreprocessor,
    IncludeHeaderFooter,
    InstantiateTests,
    LockCells,
    ClearOutput,
    CheckCellMetadata,
    ComputeChecksums,
    SaveCells,
    ClearHiddenTests,
    ClearMarkScheme,
    ComputeChecksums,
    CheckCellMetadata,
]

# Autograding runs every cell of a notebook; a cell may train a network for a few minutes in full mode.
c.Execute.timeout = 1800

# Kernels are driven by course_lib.execution's kernel client: with jupyter_client's own, nbclient can miss a cell's
# reply while it syncs an Output widget (ipywidgets.interactive) and wait for the whole timeout (nbclient#312).
c.AsyncKernelManager.client_factory = "course_lib.execution.KernelClient"


class CourseExecute(CellWatch, Execute):
    """nbgrader's Execute; a cell that runs into its timeout logs a py-spy dump of the kernel and of nbgrader."""


# nbgrader's default list for autograde, with CourseExecute for Execute.
c.Autograde.autograde_preprocessors = [
    CourseExecute,
    IgnorePattern,
    ClearMetadataPreprocessor,
    LimitOutput,
    SaveAutoGrades,
    AssignLatePenalties,
    CheckCellMetadata,
]

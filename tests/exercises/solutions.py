"""The notebooks' own reference solutions and check cells, read from the notebooks.

Each hidden solution cell is run in a namespace like the notebooks' (NumPy, the library), and the check cell that
follows its answer cell says which checker judges it (``exercises.check_softmax(softmax)``), so the catalogue tests
try every notebook's own solution as a right answer, through the very call the notebook makes.
"""

import ast
import json
from pathlib import Path

import numpy as np

from course_lib import functions, layers

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


def _cells():
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            yield path, cell, "".join(cell["source"])


def check_calls():
    """{grade_id of the answer cell: (checker name, [argument sources])} for every check cell."""
    calls = {}
    for _, cell, source in _cells():
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")
        if cell["cell_type"] == "code" and grade_id.endswith("-check"):
            call = ast.parse(source.strip()).body[-1].value
            calls[grade_id[:-len("-check")]] = (call.func.attr, [ast.unparse(a) for a in call.args])
    return calls


def notebook_solutions():
    """[(grade_id, exercise name, answer)] for every solution cell that defines a function or a class (value answers
    depend on the notebook's data: their references are tried with a context of the tests' own)."""
    calls, found = check_calls(), []
    for path, cell, source in _cells():
        grade_id = cell.get("metadata", {}).get("course", {}).get("solution_for")
        if grade_id and ("def " in source or "class " in source):
            namespace = {"np": np, "functions": functions, "layers": layers}
            if "keras." in source:   # notebooks 10-12 import keras in their first cell (TensorFlow: only when needed)
                import keras
                namespace["keras"] = keras
            exec(compile(source, f"{path.name}:{grade_id}", "exec"), namespace)
            checker, args = calls[grade_id]
            names = [a for a in args if a in namespace]
            answer = namespace[names[0]] if len(names) == 1 else tuple(namespace[n] for n in names)
            found.append((grade_id, checker[len("check_"):], answer))
    return found

"""The teacher's class list: a CSV file of hub user names, one person a row.

    username,role
    teacher,teacher
    ada,learner

``username`` is required; ``role`` is optional (``teacher`` or ``learner``, default ``learner``). Teachers become
JupyterHub admins. Names follow JupyterHub's normal form (lower case) and must be usable as a Unix user name, a
folder name and a URL path segment: a letter or digit, then up to 31 letters, digits, ``.``, ``_`` or ``-``.
"""

import csv
import re
from pathlib import Path

ROLES = ("teacher", "learner")
NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,31}")


class ClassListError(ValueError):
    """The class list file is missing or malformed (the message names the file and line)."""


def read_class_list(path):
    """Read a class list CSV.

    Returns ``(teachers, learners)``: two lists of user names in file order. Raises ``ClassListError`` naming the
    file and line for a missing file, a missing ``username`` column, an invalid or repeated name, an unknown role,
    or a list without a teacher.
    """
    path = Path(path)
    if not path.is_file():
        raise ClassListError(f"class list {path}: no such file. Write a CSV with a header line 'username,role' "
                             f"and one row per person (role: teacher or learner).")
    teachers, learners, seen = [], [], set()
    with path.open(newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        if not reader.fieldnames or "username" not in [h.strip() for h in reader.fieldnames]:
            raise ClassListError(f"class list {path}: the first line must be a header naming the columns "
                                 f"'username' and (optionally) 'role'; got {reader.fieldnames}.")
        for row in reader:
            line = reader.line_num
            row = {(k or "").strip(): (v or "").strip() for k, v in row.items()}
            name, role = row.get("username", ""), row.get("role", "") or "learner"
            if not NAME.fullmatch(name):
                raise ClassListError(f"class list {path} line {line}: user name {name!r} is not allowed; use lower "
                                     f"case letters, digits, '.', '_' or '-' (1 to 32, starting with a letter or "
                                     f"digit).")
            if name in seen:
                raise ClassListError(f"class list {path} line {line}: user name {name!r} appears twice.")
            if role not in ROLES:
                raise ClassListError(f"class list {path} line {line}: role {role!r} of {name!r} is neither "
                                     f"'teacher' nor 'learner'.")
            seen.add(name)
            (teachers if role == "teacher" else learners).append(name)
    if not teachers:
        raise ClassListError(f"class list {path}: nobody has the role 'teacher'; the teacher is the hub's admin, "
                             f"add a row like 'teacher,teacher'.")
    return teachers, learners

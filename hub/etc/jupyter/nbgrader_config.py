"""nbgrader settings shared by the teacher and every learner on the hub (one course, one exchange).

On the real machine this file is /etc/jupyter/nbgrader_config.py (README, "Teaching with this course"); the hub
of hub/jupyterhub_config.py puts this folder on its servers' JUPYTER_CONFIG_PATH. The teacher's course folder
(build/nbgrader/, `make student`) has its own nbgrader_config.py (teaching/) for generating and grading.
"""

import os

c = get_config()  # noqa: F821 (provided by traitlets when it loads this file)

c.CourseDirectory.course_id = "mnist-course"
c.Exchange.root = os.environ.get("COURSE_EXCHANGE", "/srv/nbgrader/exchange")
# Learners' servers get their hub name from the hub (jupyterhub_config.py): submissions are filed under it.
if os.environ.get("COURSE_STUDENT_ID"):
    c.CourseDirectory.student_id = os.environ["COURSE_STUDENT_ID"]

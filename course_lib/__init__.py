"""course_lib: the tested helper library behind the MNIST course notebooks.

Modules are named after what they teach: ``data`` (MNIST loader), ``mode``
(full vs fast mode), ``functions``, ``layers``, ``gradcheck``, ``optim``,
``nets``, ``train``, ``plots``, ``widgets``, ``draw`` (preprocessing a drawn
digit), ``results`` (the leaderboard's registry), ``models`` (every trained
model of the course), ``course`` (the course map), ``checks`` (the argument
checks every module shares), ``files`` (the one atomic file writer),
``i18n`` (the learner's language: ``COURSE_LANG=zh_CN`` for Chinese) and
``exercises``. The Keras helpers live in ``kerastools``; importing
``course_lib`` never imports TensorFlow.
"""

__version__ = "1.0.0"

"""The course map: every notebook in teaching order, what it teaches, and its
full-mode run time on a 2-core laptop CPU (measured with `make notebooks`).

A test checks that this list and the files in ``notebooks/`` never drift apart.
"""

NOTEBOOKS = [
    ("00_welcome_and_data.ipynb", "Welcome and the data",
     "MNIST as arrays: shapes, pixels, class counts, a first look at the digits", 1),
]


def course_map_markdown():
    """The course map as a Markdown table."""
    rows = ["| # | Notebook | What you learn | Full mode (2-core CPU) |", "|---|---|---|---|"]
    for file, title, what, minutes in NOTEBOOKS:
        rows.append(f"| {file[:2]} | [{title}]({file}) | {what} | about {minutes} min |")
    return "\n".join(rows)

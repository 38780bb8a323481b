"""The Chinese edition as a learner opens it with `make lab-zh` (fixture ``lab_zh``): JupyterLab's own menus in
Chinese (jupyterlab-language-pack-zh-cn) and the notebook's Markdown in Chinese. Screenshot: build/browser/zh-*.png.
The English lab of the other tests stays English (test_notebooks_in_lab.py drives its English menus).
"""

import json
import re

NB = "02_softmax_cross_entropy.ipynb"
CJK = re.compile(r"[\u4e00-\u9fff]")
# JupyterLab's own menus in the language pack (msgctxt "menu"); extensions' menus (nbgrader's) stay English
MENUS = {"File": "文件", "Edit": "编辑", "View": "查看", "Run": "运行", "Kernel": "内核", "Settings": "设置",
         "Help": "帮助"}


def _first_chinese_heading(notebook):
    """The text of the first Markdown heading of ``notebook`` (a Path) that has Chinese characters."""
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        for line in "".join(cell["source"]).splitlines() if cell["cell_type"] == "markdown" else []:
            if line.startswith("#") and CJK.search(line):
                return line.lstrip("#").strip()
    raise AssertionError(f"{notebook} has no Chinese heading: is it translated (tools/i18n.py build)?")


def test_zh_notebook_opens_in_a_chinese_jupyterlab(lab_zh, page, screenshot):
    heading = _first_chinese_heading(lab_zh.notebooks / NB)
    page.goto(lab_zh.url(f"lab/tree/{NB}"))
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=90_000)
    menu = [t.strip() for t in page.locator(".lm-MenuBar-item").all_text_contents()]
    markdown = page.locator(".jp-NotebookPanel:visible .jp-RenderedMarkdown").first
    markdown.wait_for(timeout=30_000)
    screenshot(page, "zh-1-lab-in-chinese")
    assert [zh for zh in MENUS.values() if zh not in menu] == [], f"JupyterLab's menus are not in Chinese: {menu}"
    assert [en for en in MENUS if en in menu] == [], f"JupyterLab's menus are not in Chinese: {menu}"
    assert heading in markdown.text_content(), f"the Chinese heading {heading!r} is not shown"
    assert not page.console_errors, f"console errors: {page.console_errors}"

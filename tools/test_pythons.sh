#!/usr/bin/env bash
# `make test-pythons`: for each Python version in $PYTHONS (e.g. "3.12 3.13") found on this machine, a venv
# .venvs/pyX.Y with the pinned requirements and this checkout installed editable by uv (made once, brought up to date
# when requirements.txt or pyproject.toml change), then the unit tests (-m "not slow") and notebooks 02 (NumPy) and 06
# (Keras) in fast mode through nbval. A version without an interpreter is skipped with a line saying so; every
# version is tried, and the script fails at the end if any failed.
# The interpreter: python3.X on PATH if it runs, else the newest pyenv-installed 3.X.
set -euo pipefail
cd "$(dirname "$0")/.."
# uv (pinned in requirements.txt, installed in .venv by `make setup`) makes each venv in ~20 s where pip takes ~2 min.
UV=.venv/bin/uv

find_python() {
    local v=$1 full
    if command -v "python$v" >/dev/null && "python$v" -c "" 2>/dev/null; then
        command -v "python$v"
    elif command -v pyenv >/dev/null; then
        full=$(pyenv versions --bare 2>/dev/null | grep -E "^${v//./\\.}\.[0-9]+$" | sort -V | tail -n 1 || true)
        if [ -n "$full" ]; then echo "$(pyenv root)/versions/$full/bin/python$v"; fi
    fi
}

summary=()
failed=0
for v in ${PYTHONS:?set PYTHONS, e.g. PYTHONS=\"3.12 3.13\"}; do
    py=$(find_python "$v")
    if [ -z "$py" ]; then
        echo "== Python $v: SKIPPED, no interpreter found (neither python$v on PATH nor a pyenv $v.x)"
        summary+=("Python $v: skipped (no interpreter)")
        continue
    fi
    venv=.venvs/py$v
    stamp=$venv/.installed-stamp
    echo "== Python $v: $("$py" --version 2>&1) ($py), venv $venv"
    if [ ! -f "$stamp" ] || [ requirements.txt -nt "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
        [ -x "$venv/bin/python" ] || "$UV" venv -q --python "$py" "$venv"
        "$UV" pip install -q --python "$venv/bin/python" -r requirements.txt
        "$UV" pip install -q --python "$venv/bin/python" --no-deps -e .
        touch "$stamp"
    fi
    start=$SECONDS
    if COURSE_FAST=1 "$venv/bin/python" -m pytest -q -m "not slow" tests &&
       COURSE_FAST=1 "$venv/bin/python" -m pytest -q notebooks/02_softmax_cross_entropy.ipynb \
           notebooks/06_keras_six_steps.ipynb; then
        summary+=("Python $v: passed ($((SECONDS - start)) s of tests)")
    else
        summary+=("Python $v: FAILED (see above)")
        failed=1
    fi
done
printf '== %s\n' "${summary[@]}"
exit "$failed"

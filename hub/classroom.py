"""Classroom simulation: the hub of hub/ with N simulated learners at once (``make classroom N=8``).

Starts JupyterHub (hub/jupyterhub_config.py, SimpleLocalProcessSpawner: every server runs as this process's user,
homes in a temporary folder, no systemd and no system accounts needed) on free local ports, then drives N learners
through the proxy as their browsers would:

- each logs in on the hub's login form (first login sets the password: jupyterhub-firstuseauthenticator), gets an
  API token and a server (JupyterHub's REST API with the "classroom" service token), gets their own copy of the
  course from nbgitpuller (the server's /git-pull/api, which the hub's default URL calls), opens notebook 02 of
  that copy (Jupyter server REST API) and executes its cells over the kernel websocket, checking each output that
  nbval checks against the stored one (fast mode);
- the teacher generates the student edition of notebook 02 and releases it (teaching/nbgrader_course.py,
  ``nbgrader release_assignment``); learner 1 fetches it in the nbgrader assignment list, answers every exercise
  and submits, learner 2 submits it unanswered; the teacher collects, autogrades and exports: learner 1 must get
  full marks, learner 2 none.

Reports per learner: time to a ready server, time of the first cell, total time, peak memory (PSS of the server
and its kernel, psutil), errors; then the seat size (the largest peak, rounded up to 64 MB) and how many learners a
2-core / 24 GB machine holds at that size. Writes build/hub/classroom.json; ``--record`` also writes hub/seat.json
(the seat size that hub/jupyterhub_config.py and hub/z2jh/config.yaml use). Exits non-zero on any error; stops
everything it started.

    python hub/classroom.py simulate --learners 2 [--record]   # needs `make hub-proxy` and `make data` first
    python hub/classroom.py trial [--port 8000]                # what `make hub` runs
"""

import argparse
import configparser
import csv
import importlib.util
import json
import math
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil
import requests
import websocket

from course_lib.files import atomic_write

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
CHP = ROOT / "build" / "hub" / "node_modules" / ".bin" / "configurable-http-proxy"
NOTEBOOK = "02_softmax_cross_entropy"
COURSE_ID = "mnist-course"
TARGET = "mnist-course"  # the course's folder in each learner's home (nbgitpuller's targetpath)
MB = 1024 * 1024
SEAT_STEP_MB = 64
MACHINE_MB, MACHINE_CORES = 24 * 1024, 2
SYSTEM_RESERVE_MB = 1024  # the operating system and its caches, besides the hub and proxy measured here
# The memory limit per learner, in seats. The seat is measured on notebook 02 (NumPy); the TensorFlow notebooks (06-12)
# need more, not measured here: four seats leave them room while one learner still cannot starve the class.
LIMIT_FACTOR = 4
# Bounds: every wait below ends by these.
HUB_START_S, SPAWN_S, PULL_S, CELL_S, REQUEST_S, STOP_S, GRADE_S = 120, 300, 180, 600, 60, 30, 900
# nbval compares these outputs; pictures and widget state it leaves out, and so do we.
COMPARED_MIMES = ("text/plain", "text/markdown", "text/html", "text/latex")


def _load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


nbgrader_course = _load("nbgrader_course", ROOT / "teaching" / "nbgrader_course.py")
classlist = _load("classlist", HERE / "classlist.py")


def say(text):
    """Progress lines, shown at once even when the output goes to a file."""
    print(text, flush=True)


class ClassroomError(RuntimeError):
    """Something in the simulation failed (the message says which learner and step)."""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sanitizers():
    """The (regex, replacement) pairs that tests/nbval_sanitize.cfg applies before nbval compares outputs."""
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "tests" / "nbval_sanitize.cfg")
    return [(re.compile(cfg[s]["regex"]), cfg[s]["replace"]) for s in cfg.sections()]


def comparable(outputs, rules):
    """The outputs of one cell as nbval compares them: streams joined per name, text mime types, sanitized."""
    def text(value):  # a notebook file stores multi-line strings as lists of lines
        return "".join(value) if isinstance(value, list) else value

    streams, items = {}, []
    for out in outputs:
        if out["output_type"] == "stream":
            streams[out["name"]] = streams.get(out["name"], "") + text(out["text"])
        elif out["output_type"] in ("execute_result", "display_data"):
            items += [(mime, text(out["data"][mime])) for mime in COMPARED_MIMES if mime in out.get("data", {})]
        elif out["output_type"] == "error":
            items.append(("error", f"{out['ename']}: {out['evalue']}"))
    items += sorted(streams.items())
    clean = []
    for kind, value in items:
        for regex, replace in rules:
            value = regex.sub(replace, value)
        clean.append((kind, value.strip()))
    return sorted(clean)


def pss_mb(pid, exclude=()):
    """PSS in MB of process ``pid`` and its descendants, leaving out the trees of the processes ``exclude``."""
    try:
        procs = [psutil.Process(pid)]
        procs += procs[0].children(recursive=True)
        for other in exclude:
            if psutil.pid_exists(other):
                skip = [psutil.Process(other)] + psutil.Process(other).children(recursive=True)
                procs = [p for p in procs if p not in skip]
        return sum(p.memory_full_info().pss for p in procs) / MB
    except (psutil.NoSuchProcess, psutil.ZombieProcess):
        return 0.0


def single_user_servers(hub_pid):
    """The pids of the learners' servers among the hub's child processes (also while they are still starting)."""
    try:
        return [p.pid for p in psutil.Process(hub_pid).children()
                if any("jupyterhub-singleuser" in part for part in p.cmdline())]
    except (psutil.NoSuchProcess, psutil.ZombieProcess):
        return []


def checked(cell):
    source = "".join(cell["source"])
    return cell["cell_type"] == "code" and "NBVAL_IGNORE_OUTPUT" not in source and "NBVAL_SKIP" not in source


class Hub:
    """JupyterHub of hub/jupyterhub_config.py in a temporary state folder, on free local ports; a context manager."""

    def __init__(self, state, class_list, repo, port=None, **env):
        self.state = Path(state)
        self.port, self.token = port or free_port(), secrets.token_hex(32)
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = dict(os.environ, **env, COURSE_HUB_SPAWNER="local", COURSE_HUB_STATE=str(self.state),
                        COURSE_HUB_CLASS_LIST=str(class_list), COURSE_HUB_IP="127.0.0.1",
                        COURSE_HUB_PORT=str(self.port), COURSE_REPO=str(repo), COURSE_BRANCH="main",
                        COURSE_EXCHANGE=str(self.state / "exchange"), COURSE_HUB_SERVICE_TOKEN=self.token,
                        COURSE_CHP=str(CHP), JUPYTER_CONFIG_PATH=str(HERE / "etc" / "jupyter"))
        self.args = [str(BIN / "jupyterhub"), "-f", str(HERE / "jupyterhub_config.py"),
                     f"--JupyterHub.hub_port={free_port()}",
                     f"--ConfigurableHTTPProxy.api_url=http://127.0.0.1:{free_port()}"]
        self.proc = None

    def __enter__(self):
        self.logfile = open(self.state / "jupyterhub.log", "wb")
        self.proc = subprocess.Popen(self.args, cwd=self.state, env=self.env, stdout=self.logfile,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + HUB_START_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise ClassroomError(f"JupyterHub exited with code {self.proc.returncode} while starting:\n"
                                     f"{self.tail()}")
            try:
                if requests.get(f"{self.url}/hub/api/", timeout=5).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise ClassroomError(f"JupyterHub did not answer on {self.url} within {HUB_START_S} s:\n{self.tail()}")

    def __exit__(self, *exc):
        """Stop the hub (it stops the servers it spawned, its proxy and services), then anything left."""
        if self.proc is None:
            return
        children = psutil.Process(self.proc.pid).children(recursive=True) if self.proc.poll() is None else []
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(STOP_S)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(STOP_S)
        for p in children:
            if p.is_running():
                p.kill()
        self.logfile.close()

    def tail(self, lines=40):
        self.logfile.flush()
        text = (self.state / "jupyterhub.log").read_text(errors="replace").splitlines()
        return "\n".join(text[-lines:])

    def api(self, method, path, expect=(200,), **kwargs):
        """Call the hub's REST API with the classroom service's token; the JSON answer (or None)."""
        r = requests.request(method, f"{self.url}/hub/api{path}", timeout=REQUEST_S,
                             headers={"Authorization": f"token {self.token}"}, **kwargs)
        if r.status_code not in expect:
            raise ClassroomError(f"hub API {method} {path}: HTTP {r.status_code} {r.text[:300]}")
        return r.json() if r.content else None


class Learner:
    """One learner's browser: login, server, course copy, notebook 02 over the kernel websocket, assignments."""

    def __init__(self, hub, name, repo):
        self.hub, self.name, self.repo = hub, name, repo
        self.report = {"learner": name, "ready_s": None, "first_cell_s": None, "total_s": None,
                       "peak_pss_mb": 0.0, "cells": 0, "errors": []}
        self.pid, self.token = None, None
        self.base = f"{hub.url}/user/{name}"

    def login(self):
        """The hub's login form; the first login sets the password (jupyterhub-firstuseauthenticator)."""
        s = requests.Session()
        s.get(f"{self.hub.url}/hub/login", timeout=REQUEST_S)
        password = f"{self.name}-password"
        r = s.post(f"{self.hub.url}/hub/login", timeout=REQUEST_S, allow_redirects=False,
                   data={"username": self.name, "password": password, "_xsrf": s.cookies.get("_xsrf", "")})
        if r.status_code != 302:
            raise ClassroomError(f"{self.name}: login answered HTTP {r.status_code}, expected a redirect")
        r = s.post(f"{self.hub.url}/hub/login", timeout=REQUEST_S, allow_redirects=False,
                   data={"username": self.name, "password": "not-" + password, "_xsrf": s.cookies.get("_xsrf", "")})
        if r.status_code == 302:
            raise ClassroomError(f"{self.name}: a wrong password was accepted after the first login")

    def start(self):
        t0 = time.monotonic()
        self.token = self.hub.api("POST", f"/users/{self.name}/tokens", expect=(200, 201),
                                  json={"note": "classroom simulation", "expires_in": 3600})["token"]
        self.hub.api("POST", f"/users/{self.name}/server", expect=(201, 202))
        deadline = t0 + SPAWN_S
        while time.monotonic() < deadline:
            server = self.hub.api("GET", f"/users/{self.name}")["servers"].get("", {})
            if server.get("ready"):
                self.pid = server["state"]["pid"]
                self.report["ready_s"] = round(time.monotonic() - t0, 1)
                return
            time.sleep(0.5)
        raise ClassroomError(f"{self.name}: the server was not ready within {SPAWN_S} s")

    def request(self, method, path, expect=(200,), **kwargs):
        r = requests.request(method, f"{self.base}{path}", timeout=REQUEST_S,
                             headers={"Authorization": f"token {self.token}"}, **kwargs)
        if r.status_code not in expect:
            raise ClassroomError(f"{self.name}: {method} {path}: HTTP {r.status_code} {r.text[:300]}")
        return r

    def pull(self):
        """nbgitpuller's event stream: clone (first time) or merge (later) the course into ~/mnist-course."""
        r = requests.get(f"{self.base}/git-pull/api", stream=True, timeout=(REQUEST_S, PULL_S),
                         headers={"Authorization": f"token {self.token}"},
                         params={"repo": str(self.repo), "branch": "main", "targetpath": TARGET})
        if r.status_code != 200:
            raise ClassroomError(f"{self.name}: nbgitpuller answered HTTP {r.status_code} {r.text[:300]}")
        deadline = time.monotonic() + PULL_S
        for line in r.iter_lines(decode_unicode=True):
            if time.monotonic() > deadline:
                break
            if line.startswith("data:"):
                event = json.loads(line[5:])
                if event.get("phase") == "finished":
                    return
                if event.get("phase") == "error":
                    raise ClassroomError(f"{self.name}: nbgitpuller failed: {event.get('message')}\n"
                                         f"{event.get('output', '')}")
        raise ClassroomError(f"{self.name}: nbgitpuller did not finish within {PULL_S} s")

    def run_notebook(self, rules):
        """Open notebook 02 of the learner's copy, execute every code cell, compare the outputs nbval compares."""
        path = f"{TARGET}/notebooks/{NOTEBOOK}.ipynb"
        nb = self.request("GET", f"/api/contents/{path}", params={"content": 1}).json()["content"]
        session = self.request("POST", "/api/sessions", expect=(201,), json={
            "path": path, "name": f"{NOTEBOOK}.ipynb", "type": "notebook", "kernel": {"name": "python3"}}).json()
        kernel = session["kernel"]["id"]
        ws = websocket.create_connection(
            f"{self.base.replace('http', 'ws', 1)}/api/kernels/{kernel}/channels",
            header=[f"Authorization: token {self.token}"], timeout=CELL_S)
        t0 = time.monotonic()
        try:
            for index, cell in enumerate(nb["cells"]):
                if cell["cell_type"] != "code":
                    continue
                outputs, reply = self.execute(ws, "".join(cell["source"]))
                self.report["cells"] += 1
                if self.report["first_cell_s"] is None:
                    self.report["first_cell_s"] = round(time.monotonic() - t0, 2)
                if reply["status"] != "ok":
                    raise ClassroomError(f"{self.name}: cell {index} raised {reply.get('ename')}: "
                                         f"{reply.get('evalue')}")
                if checked(cell) and comparable(outputs, rules) != comparable(cell["outputs"], rules):
                    raise ClassroomError(f"{self.name}: cell {index} output differs from the stored one:\n"
                                         f"got      {comparable(outputs, rules)}\n"
                                         f"expected {comparable(cell['outputs'], rules)}")
        finally:
            ws.close()
        self.report["notebook_s"] = round(time.monotonic() - t0, 1)
        self.request("DELETE", f"/api/sessions/{session['id']}", expect=(204,))

    def execute(self, ws, code):
        """Send one execute_request; collect its outputs until the kernel is idle. Returns (outputs, reply)."""
        msg_id, session = uuid.uuid4().hex, uuid.uuid4().hex
        ws.send(json.dumps({
            "header": {"msg_id": msg_id, "username": self.name, "session": session, "msg_type": "execute_request",
                       "version": "5.3", "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True}}))
        outputs, reply, idle = [], None, False
        deadline = time.monotonic() + CELL_S
        while not (idle and reply is not None):
            if time.monotonic() > deadline:
                raise ClassroomError(f"{self.name}: a cell ran longer than {CELL_S} s")
            frame = ws.recv()
            if isinstance(frame, bytes):  # a message with binary buffers (widget state): not an output
                continue
            msg = json.loads(frame)
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if msg["channel"] == "shell" and kind == "execute_reply":
                reply = content
            elif kind == "status" and content["execution_state"] == "idle":
                idle = True
            elif kind == "stream":
                outputs.append({"output_type": "stream", "name": content["name"], "text": content["text"]})
            elif kind in ("execute_result", "display_data", "error"):
                outputs.append(dict(content, output_type=kind))
        return outputs, reply

    def submit(self, solve, source_nb):
        """Fetch the released assignment in the nbgrader assignment list, answer it (or not), submit it."""
        form = {"course_id": COURSE_ID, "assignment_id": NOTEBOOK}
        listed = self.request("POST", "/assignments/fetch", data=form).json()
        fetched = [a for a in listed.get("value", []) if a["assignment_id"] == NOTEBOOK and a["status"] == "fetched"]
        if not fetched:
            raise ClassroomError(f"{self.name}: fetching {NOTEBOOK} failed: {json.dumps(listed)[:500]}")
        if solve:
            path = f"/api/contents/{NOTEBOOK}/{NOTEBOOK}.ipynb"
            student_nb = self.request("GET", path, params={"content": 1}).json()["content"]
            self.request("PUT", path, json={"type": "notebook", "format": "json",
                                            "content": nbgrader_course.solved(student_nb, source_nb)})
        result = self.request("POST", "/assignments/submit", data=form).json()
        if isinstance(result, dict) and not result.get("success", True):
            raise ClassroomError(f"{self.name}: submitting {NOTEBOOK} failed: {result.get('value')}")

    def update_keeps_edits(self, repo, state):
        """The teacher pushes a course update; the learner, who edited a notebook, pulls: both changes are kept."""
        path = f"/api/contents/{TARGET}/notebooks/00_welcome_and_data.ipynb"
        nb = self.request("GET", path, params={"content": 1}).json()["content"]
        nb["cells"].append({"cell_type": "markdown", "metadata": {}, "source": f"{self.name}'s own note"})
        self.request("PUT", path, json={"type": "notebook", "format": "json", "content": nb})
        work = Path(state) / "teacher-clone"
        git("clone", "-q", "--branch", "main", str(repo), str(work))
        (work / "UPDATE.md").write_text("A course update.\n", encoding="utf-8")
        git("-C", str(work), "add", "UPDATE.md")
        git("-C", str(work), "-c", "user.name=teacher", "-c", "user.email=teacher@localhost",
            "commit", "-q", "-m", "course update")
        git("-C", str(work), "push", "-q", "origin", "HEAD:main")
        self.pull()
        self.request("GET", f"/api/contents/{TARGET}/UPDATE.md")
        nb = self.request("GET", path, params={"content": 1}).json()["content"]
        if "".join(nb["cells"][-1]["source"]) != f"{self.name}'s own note":
            raise ClassroomError(f"{self.name}: the learner's edit of notebook 00 was lost by the course update")

    def stop(self):
        """Stop the learner's server through the hub and wait until its process is gone."""
        self.hub.api("DELETE", f"/users/{self.name}/server", expect=(202, 204))
        deadline = time.monotonic() + STOP_S
        while time.monotonic() < deadline:
            if not self.hub.api("GET", f"/users/{self.name}")["servers"] and not psutil.pid_exists(self.pid):
                return
            time.sleep(0.5)
        raise ClassroomError(f"{self.name}: the server (pid {self.pid}) did not stop within {STOP_S} s")


def check_culler(hub):
    """jupyterhub-idle-culler runs as the hub's service."""
    service = hub.api("GET", "/services/idle-culler")
    if not service.get("pid") or not psutil.pid_exists(service["pid"]):
        raise ClassroomError(f"the idle-culler service is not running: {service}")


def teacher_release(build, env, log):
    """The teacher's side before class: the student edition of notebook 02, released to the exchange."""
    nbgrader_course.build_student(build, names=[NOTEBOOK], log=log)
    nbgrader_cli("release_assignment", build, env)


def teacher_grade(build, env, solved_name, unsolved_name):
    """The teacher's side after class: collect, autograde (make grade's code), export; check the grades.

    Returns {student: (score, max_score)} from nbgrader's grades.csv. The solved submission must get full marks,
    the unanswered one none."""
    nbgrader_cli("collect", build, env)
    grading = [sys.executable, str(ROOT / "teaching" / "nbgrader_course.py"), "--build", str(build), "grade"]
    try:  # `make grade`'s command, in its own process so that its time is bounded
        done = subprocess.run(grading, env=env, capture_output=True, text=True, timeout=GRADE_S)
    except subprocess.TimeoutExpired as exc:
        raise ClassroomError(f"autograding took longer than {GRADE_S} s") from exc
    if done.returncode:
        raise ClassroomError(f"autograding failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    nbgrader_cli("export", build, env)
    with open(build / "nbgrader" / "grades.csv", newline="", encoding="utf-8") as f:
        grades = {row["student_id"]: (float(row["score"]), float(row["max_score"]))
                  for row in csv.DictReader(f) if row["assignment"] == NOTEBOOK}
    if set(grades) != {solved_name, unsolved_name}:
        raise ClassroomError(f"grades.csv lists {sorted(grades)}, expected {solved_name} and {unsolved_name}")
    if not (grades[solved_name][0] == grades[solved_name][1] > 0 and grades[unsolved_name][0] == 0):
        raise ClassroomError(f"grades {grades}: the solved submission must get full marks, the unanswered one 0")
    return grades


def nbgrader_cli(command, build, env):
    args = [str(BIN / "nbgrader"), command, *([NOTEBOOK] if command != "export" else []), "--log-level=WARN"]
    done = subprocess.run(args, cwd=build / "nbgrader", env=env, capture_output=True, text=True, timeout=300)
    if done.returncode:
        raise ClassroomError(f"nbgrader {command} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")


def course_repository(state):
    """A bare copy of this repository's committed HEAD as branch main: the course's git remote for nbgitpuller."""
    bare = Path(state) / "course.git"
    shutil.rmtree(bare, ignore_errors=True)
    git("init", "-q", "--bare", "--initial-branch=main", str(bare))
    git("-C", str(ROOT), "push", "-q", str(bare), "HEAD:refs/heads/main",
        hint="the hub hands out the committed course: run it from a git clone of the repository")
    return bare


def git(*args, hint=""):
    """Run a git command; a ClassroomError with git's message when it fails."""
    done = subprocess.run(["git", *args], capture_output=True, text=True, timeout=REQUEST_S)
    if done.returncode:
        raise ClassroomError(f"git {' '.join(args)} failed: {done.stderr.strip()} {hint}".strip())


def write_json(path, data):
    """Write JSON atomically (``course_lib.files.atomic_write``)."""
    with atomic_write(path) as tmp:
        tmp.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


def summary(reports, hub_mb, learners):
    """Seat size (largest peak PSS rounded up to SEAT_STEP_MB), memory limit, learners per 2-core / 24 GB machine."""
    peak = max(r["peak_pss_mb"] for r in reports)
    seat = SEAT_STEP_MB * math.ceil(peak / SEAT_STEP_MB)
    seats = int((MACHINE_MB - SYSTEM_RESERVE_MB - hub_mb) // seat)
    return {"notebook": NOTEBOOK, "learners": learners, "peak_pss_mb": round(peak, 1), "seat_mb": seat,
            "limit_mb": LIMIT_FACTOR * seat, "hub_and_proxy_pss_mb": round(hub_mb, 1),
            "machine": f"{MACHINE_CORES} cores, {MACHINE_MB // 1024} GB", "learners_per_machine": seats,
            "slowest_notebook_s": max(r["notebook_s"] for r in reports),
            "slowest_ready_s": max(r["ready_s"] for r in reports)}


def simulate(n, log=say, state=None):
    """Run the classroom with ``n`` learners (n >= 2). Returns the report dict; raises ClassroomError on any error."""
    if n < 2:
        raise ClassroomError(f"--learners {n}: at least 2 are needed (one submits a solved exercise, one does not)")
    if not CHP.exists():
        raise ClassroomError(f"{CHP} is missing: run `make hub-proxy` (npm ci of hub/package-lock.json)")
    state = Path(state or tempfile.mkdtemp(prefix="classroom-"))
    try:
        return _simulate(n, state, log)
    finally:
        shutil.rmtree(state, ignore_errors=True)


def _simulate(n, state, log):
    t_start = time.monotonic()
    phases = {}

    def phase(label):
        phases[label] = round(time.monotonic() - t_start, 1)
        log(f"[{phases[label]:6.1f} s] {label}")

    names = [f"learner{i:02d}" for i in range(1, n + 1)]
    with open(state / "classlist.csv", "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([("username", "role"), ("teacher", "teacher")] + [(name, "learner") for name in names])
    repo = course_repository(state)
    hub = Hub(state, state / "classlist.csv", repo, COURSE_FAST="1")
    build = state / "teacher"
    teacher_env = dict(hub.env, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    source_nb = json.loads((ROOT / "notebooks" / f"{NOTEBOOK}.ipynb").read_text(encoding="utf-8"))
    rules = sanitizers()
    learners = [Learner(hub, name, repo) for name in names]
    stop_sampling = threading.Event()
    hub_peak = [0.0]

    def sample():
        """Every 0.5 s: each learner's server + kernel PSS, and the hub's own processes (hub, proxy, culler)."""
        while not stop_sampling.wait(0.5):
            for learner in learners:
                if learner.pid:
                    mb = pss_mb(learner.pid)
                    learner.report["peak_pss_mb"] = round(max(learner.report["peak_pss_mb"], mb), 1)
            hub_peak[0] = max(hub_peak[0], pss_mb(hub.proc.pid, exclude=single_user_servers(hub.proc.pid)))

    def run(learner):
        t0 = time.monotonic()
        try:
            learner.login()
            learner.start()
            learner.pull()
            learner.run_notebook(rules)
        except Exception as exc:  # reported per learner; the run fails at the end
            learner.report["errors"].append(f"{type(exc).__name__}: {exc}")
        learner.report["total_s"] = round(time.monotonic() - t0, 1)

    grades, errors = {}, []
    with ThreadPoolExecutor(1) as teacher:  # the teacher prepares the assignment while the hub starts
        released = teacher.submit(teacher_release, build, teacher_env, log=lambda *_: None)
        with hub:
            phase(f"hub ready on {hub.url} (state {state})")
            check_culler(hub)
            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
            try:
                with ThreadPoolExecutor(n) as pool:
                    list(pool.map(run, learners))
                phase(f"{n} learners ran {NOTEBOOK}")
                if not learners[0].report["errors"]:
                    try:
                        learners[0].update_keeps_edits(repo, state)
                        phase(f"{learners[0].name}'s edit survived a course update (nbgitpuller)")
                    except Exception as exc:
                        learners[0].report["errors"].append(f"{type(exc).__name__}: {exc}")
                released.result()
                phase(f"teacher released {NOTEBOOK}")
                for learner, solve in ((learners[0], True), (learners[1], False)):
                    if not learner.report["errors"]:
                        try:
                            learner.submit(solve, source_nb)
                        except Exception as exc:
                            learner.report["errors"].append(f"{type(exc).__name__}: {exc}")
                phase(f"{learners[0].name} submitted a solved {NOTEBOOK}, {learners[1].name} an unanswered one")
            finally:
                stop_sampling.set()
                sampler.join()
            errors += [f"{learner.name}: {e}" for learner in learners for e in learner.report["errors"]]
            if not errors:
                try:
                    grades = teacher_grade(build, teacher_env, names[0], names[1])
                    phase("teacher collected, autograded and exported the grades")
                except ClassroomError as exc:
                    errors.append(str(exc))
            for learner in learners:
                if learner.pid:
                    try:
                        learner.stop()
                    except Exception as exc:
                        errors.append(f"{type(exc).__name__}: {exc}")
            phase("servers stopped")
            log_tail = hub.tail() if errors else ""
    phase("hub stopped")
    reports = [learner.report for learner in learners]
    report = {"learners": reports, "grades": grades, "phases_s": phases, "errors": errors}
    if errors:
        report["hub_log_tail"] = log_tail
    else:
        report["summary"] = summary(reports, hub_peak[0], n)
    return report


def show(report, log=say):
    log(f"{'learner':<11}{'ready s':>9}{'1st cell s':>12}{'notebook s':>12}{'total s':>9}{'peak PSS MB':>13}  errors")
    for r in report["learners"]:
        log(f"{r['learner']:<11}{r['ready_s'] or '-':>9}{r['first_cell_s'] or '-':>12}{r.get('notebook_s', '-'):>12}"
            f"{r['total_s']:>9}{r['peak_pss_mb']:>13}  {len(r['errors'])}")
    for name, (score, most) in sorted(report["grades"].items()):
        log(f"grade {name}: {score:g} / {most:g}")
    if "summary" in report:
        s = report["summary"]
        log(f"seat size {s['seat_mb']} MB (largest peak PSS {s['peak_pss_mb']} MB, rounded up to {SEAT_STEP_MB} MB); "
            f"hub and proxy {s['hub_and_proxy_pss_mb']} MB; a {s['machine']} machine holds "
            f"{s['learners_per_machine']} learners at that size (memory limit per learner {s['limit_mb']} MB)")
    for error in report["errors"]:
        log(f"ERROR {error}")


def trial(port, state=ROOT / "build" / "hub" / "trial", log=say):
    """`make hub`: the hub on http://127.0.0.1:PORT with this repository's class list, until Ctrl-C."""
    state = Path(state)
    state.mkdir(parents=True, exist_ok=True)
    repo = course_repository(state)
    hub = Hub(state, HERE / "classlist.csv", repo, port=port)
    teachers, learners = classlist.read_class_list(HERE / "classlist.csv")
    with hub:
        log(f"JupyterHub for the class: {hub.url}/hub/login\n"
            f"  teacher (admin): user name {' or '.join(teachers)}, any password of 7 or more characters (the first "
            f"login sets it)\n"
            f"  learners (hub/classlist.csv): {', '.join(learners)}, likewise\n"
            f"  state, homes and nbgrader exchange: {state}; log: {state / 'jupyterhub.log'}\n"
            f"Ctrl-C stops the hub and every server it started.")
        try:
            while hub.proc.poll() is None:
                time.sleep(1)
        except KeyboardInterrupt:
            log("stopping")
    if hub.proc.returncode not in (0, -signal.SIGTERM):
        raise SystemExit(f"JupyterHub stopped with code {hub.proc.returncode}:\n{hub.tail()}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_sim = sub.add_parser("simulate", help="N learners at once on a temporary hub; fails on any error")
    p_sim.add_argument("--learners", type=int, default=2, help="simulated learners at once (at least 2)")
    p_sim.add_argument("--record", action="store_true", help="write the measured seat size to hub/seat.json")
    p_trial = sub.add_parser("trial", help="the class's hub on this machine for a trial (make hub)")
    p_trial.add_argument("--port", type=int, default=8000, help="the port on 127.0.0.1 (default 8000)")
    args = parser.parse_args(argv)
    try:
        if args.command == "trial":
            return trial(args.port)
        report = simulate(args.learners)
    except ClassroomError as exc:
        raise SystemExit(f"classroom: {exc}") from exc
    write_json(ROOT / "build" / "hub" / "classroom.json", report)
    show(report)
    if report["errors"]:
        raise SystemExit(f"classroom simulation failed: {len(report['errors'])} error(s)")
    if args.record:
        s = report["summary"]
        write_json(HERE / "seat.json", {k: s[k] for k in ("notebook", "learners", "peak_pss_mb", "seat_mb",
                                                          "limit_mb", "hub_and_proxy_pss_mb", "learners_per_machine")}
                   | {"measured": time.strftime("%Y-%m-%d")})
        print(f"seat size recorded in {HERE / 'seat.json'}")


if __name__ == "__main__":
    main()

"""The class's hub files agree with each other and with the pins, without starting anything (no cluster, no hub).

hub/jupyterhub_config.py is loaded as JupyterHub loads it; hub/z2jh/config.yaml (zero-to-jupyterhub values) and
binder/ (repo2docker) are parsed and compared with requirements.txt, hub/seat.json (the seat size measured by the
classroom simulation), hub/classlist.csv and nbgrader's settings. The class-list reader and the simulation's output
comparison and seat arithmetic are checked on small inputs.
"""

import importlib.metadata
import importlib.util
import json
import math
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from traitlets.config.loader import PyFileConfigLoader

ROOT = Path(__file__).resolve().parents[2]
HUB = ROOT / "hub"


def load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


classlist = load("classlist", HUB / "classlist.py")
classroom = load("classroom", HUB / "classroom.py")
SEAT = json.loads((HUB / "seat.json").read_text(encoding="utf-8"))
Z2JH = yaml.safe_load((HUB / "z2jh" / "config.yaml").read_text(encoding="utf-8"))


def pins():
    found = {}
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, version = line.split("==")
            found[name.lower()] = version
    return found


def hub_config(monkeypatch, tmp_path, spawner="local", **env):
    """The traitlets config that hub/jupyterhub_config.py builds, as `jupyterhub -f` loads it."""
    monkeypatch.setenv("COURSE_HUB_STATE", str(tmp_path / "state"))
    monkeypatch.setenv("COURSE_HUB_SPAWNER", spawner)
    monkeypatch.setenv("COURSE_REPO", "https://git.example.org/teacher/mnist-course.git")
    for name in ("COURSE_HUB_CLASS_LIST", "COURSE_EXCHANGE", "COURSE_HUB_SERVICE_TOKEN", "COURSE_HUB_CULL_AFTER"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return PyFileConfigLoader("jupyterhub_config.py", path=str(HUB)).load_config()


# --- pins -----------------------------------------------------------------------------------------------------------

HUB_PACKAGES = ["jupyterhub", "nbgitpuller", "jupyterhub-firstuseauthenticator", "jupyterhub-idle-culler",
                "jupyterhub-systemdspawner"]


@pytest.mark.parametrize("package", HUB_PACKAGES)
def test_hub_packages_are_pinned_and_installed_as_pinned(package):
    assert package in pins(), f"{package} is not pinned in requirements.txt"
    assert importlib.metadata.version(package) == pins()[package]


def test_jupyterhub_is_6_1():
    assert pins()["jupyterhub"].startswith("6.1.")


def test_proxy_is_pinned_exactly_in_the_lock_file():
    wanted = json.loads((HUB / "package.json").read_text())["dependencies"]["configurable-http-proxy"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", wanted), "an exact version, not a range"
    lock = json.loads((HUB / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/configurable-http-proxy"]["version"] == wanted
    assert lock["packages"][""]["dependencies"] == {"configurable-http-proxy": wanted}
    for name, entry in lock["packages"].items():
        if name:
            assert entry.get("integrity", "").startswith("sha512-"), f"{name} has no integrity hash"


# --- the class list --------------------------------------------------------------------------------------------------

def write(tmp_path, text):
    path = tmp_path / "class.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_class_list_reads_teachers_and_learners(tmp_path):
    path = write(tmp_path, "username,role\nmsmith,teacher\nada,learner\nbo.li\t,\n")
    assert classlist.read_class_list(path) == (["msmith"], ["ada", "bo.li"])


def test_example_class_list_matches_the_simulation_names():
    teachers, learners = classlist.read_class_list(HUB / "classlist.csv")
    assert teachers == ["teacher"] and learners == [f"learner{i:02d}" for i in range(1, 9)]


@pytest.mark.parametrize("text, message", [
    ("name,role\nada,learner\n", "header"),
    ("username,role\nAda,learner\nt,teacher\n", "line 2: user name 'Ada'"),
    ("username,role\n../x,learner\nt,teacher\n", "line 2: user name '../x'"),
    ("username,role\nada,learner\nada,learner\nt,teacher\n", "line 3: user name 'ada' appears twice"),
    ("username,role\nada,student\nt,teacher\n", "line 2: role 'student'"),
    ("username,role\nada,learner\n", "nobody has the role 'teacher'"),
    ("", "header"),
])
def test_bad_class_list_names_file_line_and_fix(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(classlist.ClassListError) as err:
        classlist.read_class_list(path)
    assert str(path) in str(err.value) and message in str(err.value)


def test_missing_class_list_says_what_to_write(tmp_path):
    with pytest.raises(classlist.ClassListError, match="no such file.*username,role"):
        classlist.read_class_list(tmp_path / "absent.csv")


# --- the one-machine hub ---------------------------------------------------------------------------------------------

def test_hub_config_accounts_spawner_and_services(monkeypatch, tmp_path):
    c = hub_config(monkeypatch, tmp_path)
    assert c.JupyterHub.authenticator_class == "firstuseauthenticator.FirstUseAuthenticator"
    assert c.Authenticator.admin_users == {"teacher"}
    assert c.Authenticator.allowed_users == {f"learner{i:02d}" for i in range(1, 9)}
    assert c.FirstUseAuthenticator.create_users is False
    assert c.JupyterHub.ip == "127.0.0.1" and c.JupyterHub.hub_ip == "127.0.0.1"
    assert c.JupyterHub.spawner_class == "jupyterhub.spawner.SimpleLocalProcessSpawner"
    assert c.Spawner.http_timeout >= 60 and c.Spawner.start_timeout >= 60
    services = {s["name"]: s for s in c.JupyterHub.services}
    assert list(services) == ["idle-culler"], "no classroom service without its token"
    assert "--timeout=3600" in services["idle-culler"]["command"]
    roles = {r["name"]: r for r in c.JupyterHub.load_roles}
    assert "delete:servers" in roles["idle-culler"]["scopes"]


def test_hub_config_systemd_memory_limit_is_the_seat_limit(monkeypatch, tmp_path):
    c = hub_config(monkeypatch, tmp_path, spawner="systemd")
    assert c.JupyterHub.spawner_class == "systemdspawner.SystemdSpawner"
    assert c.SystemdSpawner.mem_limit == f"{SEAT['limit_mb']}M"
    assert c.SystemdSpawner.dynamic_users is True
    assert c.SystemdSpawner.readwrite_paths == ["/srv/nbgrader/exchange"]


def test_hub_config_classroom_service_only_with_its_token(monkeypatch, tmp_path):
    c = hub_config(monkeypatch, tmp_path, COURSE_HUB_SERVICE_TOKEN="abc")
    services = {s["name"]: s for s in c.JupyterHub.services}
    assert services["classroom"]["api_token"] == "abc"


def test_hub_config_without_course_repository_says_what_to_set(monkeypatch, tmp_path):
    monkeypatch.setenv("COURSE_REPO", "")
    monkeypatch.setenv("COURSE_HUB_STATE", str(tmp_path))
    with pytest.raises(SystemExit, match="COURSE_REPO is not set"):
        PyFileConfigLoader("jupyterhub_config.py", path=str(HUB)).load_config()


def nbgrader_settings(monkeypatch, **env):
    for name in ("COURSE_EXCHANGE", "COURSE_STUDENT_ID"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return PyFileConfigLoader("nbgrader_config.py", path=str(HUB / "etc" / "jupyter")).load_config()


def test_nbgrader_settings_for_learners_and_teacher(monkeypatch):
    teacher = nbgrader_settings(monkeypatch)
    assert teacher.Exchange.root == "/srv/nbgrader/exchange"
    assert teacher.CourseDirectory.course_id == "mnist-course"
    assert "student_id" not in teacher.CourseDirectory, "the teacher collects every learner's submission"
    learner = nbgrader_settings(monkeypatch, COURSE_STUDENT_ID="ada", COURSE_EXCHANGE="/x")
    assert learner.CourseDirectory.student_id == "ada" and learner.Exchange.root == "/x"


# --- zero-to-jupyterhub ----------------------------------------------------------------------------------------------

def test_z2jh_memory_is_the_measured_seat():
    assert Z2JH["singleuser"]["memory"] == {"guarantee": f"{SEAT['seat_mb']}M", "limit": f"{SEAT['limit_mb']}M"}


def test_z2jh_accounts_are_the_class_list():
    teachers, learners = classlist.read_class_list(HUB / "classlist.csv")
    auth = Z2JH["hub"]["config"]["Authenticator"]
    assert auth["admin_users"] == teachers and auth["allowed_users"] == learners
    assert Z2JH["hub"]["config"]["JupyterHub"]["authenticator_class"] == "firstuseauthenticator.FirstUseAuthenticator"


def test_z2jh_nbgitpuller_culling_and_threads_match_the_one_machine_hub(monkeypatch, tmp_path):
    c = hub_config(monkeypatch, tmp_path)
    ours, theirs = urlsplit(c.Spawner.default_url), urlsplit(Z2JH["singleuser"]["defaultUrl"])
    assert theirs.path == ours.path == "/git-pull"
    assert parse_qs(theirs.query) == parse_qs(ours.query)  # the same repository address in the example
    culler = next(s for s in c.JupyterHub.services if s["name"] == "idle-culler")
    assert f"--timeout={Z2JH['cull']['timeout']}" in culler["command"] and Z2JH["cull"]["enabled"]
    threads = {k: v for k, v in c.Spawner.environment.items() if k.endswith("THREADS") or k.startswith("TF_")}
    assert Z2JH["singleuser"]["extraEnv"] == threads
    assert Z2JH["singleuser"]["cmd"] == Path(c.Spawner.cmd[0]).name == "jupyterhub-singleuser"


def test_z2jh_exchange_volume_is_where_nbgrader_looks(monkeypatch):
    mounts = Z2JH["singleuser"]["storage"]["extraVolumeMounts"]
    volumes = {v["name"] for v in Z2JH["singleuser"]["storage"]["extraVolumes"]}
    exchange = [m for m in mounts if m["name"] == "nbgrader-exchange"]
    assert exchange and exchange[0]["name"] in volumes
    assert exchange[0]["mountPath"] == nbgrader_settings(monkeypatch).Exchange.root


# --- repo2docker (Binder, and the image for zero-to-jupyterhub) -----------------------------------------------------

def test_binder_installs_the_pinned_requirements_and_python():
    lines = [line.split("#")[0].strip() for line in (ROOT / "binder" / "requirements.txt").read_text().splitlines()]
    assert [line for line in lines if line] == ["-r ../requirements.txt"], "one home for the pins: requirements.txt"
    runtime = (ROOT / "binder" / "runtime.txt").read_text().strip()
    assert runtime == "python-3.11"  # the Python the pins are tested on (requirements.txt)
    assert "Python 3.11" in (ROOT / "requirements.txt").read_text().splitlines()[0]


def test_binder_post_build_fetches_nothing_at_run_time_and_puts_the_data_in_the_image():
    post_build = ROOT / "binder" / "postBuild"
    assert post_build.stat().st_mode & 0o111, "repo2docker runs postBuild only when it is executable"
    text = post_build.read_text()
    commands = [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]
    assert commands[0] == "set -euo pipefail"
    assert "python -m course_lib.data" in commands  # MNIST at build time (verified or downloaded then)
    for word in ("curl", "wget", "git clone", "http://", "https://", "pip download"):
        assert not any(word in c for c in commands), f"postBuild fetches something itself: {word}"
    assert not (ROOT / "binder" / "start").exists(), "nothing runs when a learner's server starts"


# --- the simulation's arithmetic and output comparison ---------------------------------------------------------------

def test_seat_json_is_a_recorded_measurement():
    assert SEAT["seat_mb"] % classroom.SEAT_STEP_MB == 0
    assert SEAT["seat_mb"] - classroom.SEAT_STEP_MB < SEAT["peak_pss_mb"] <= SEAT["seat_mb"]
    assert SEAT["limit_mb"] == classroom.LIMIT_FACTOR * SEAT["seat_mb"]
    assert SEAT["notebook"] == classroom.NOTEBOOK and SEAT["learners"] >= 2
    fake = [{"peak_pss_mb": SEAT["peak_pss_mb"], "notebook_s": 1, "ready_s": 1}]
    assert classroom.summary(fake, SEAT["hub_and_proxy_pss_mb"], 1)["learners_per_machine"] == \
        SEAT["learners_per_machine"]


def test_summary_rounds_the_seat_up_and_counts_learners():
    reports = [{"peak_pss_mb": 300.0, "notebook_s": 10, "ready_s": 5},
               {"peak_pss_mb": 449.5, "notebook_s": 12, "ready_s": 7}]
    s = classroom.summary(reports, hub_mb=200.0, learners=2)
    assert s["seat_mb"] == 512 and s["limit_mb"] == classroom.LIMIT_FACTOR * 512
    assert s["learners_per_machine"] == math.floor((24 * 1024 - 1024 - 200) / 512) == 45
    assert s["slowest_notebook_s"] == 12 and s["slowest_ready_s"] == 7
    assert classroom.summary([{"peak_pss_mb": 512.0, "notebook_s": 1, "ready_s": 1}], 0, 1)["seat_mb"] == 512
    assert classroom.summary([{"peak_pss_mb": 512.1, "notebook_s": 1, "ready_s": 1}], 0, 1)["seat_mb"] == 576


def test_output_comparison_is_nbvals():
    rules = classroom.sanitizers()
    stored = [{"output_type": "stream", "name": "stdout", "text": ["a 0x7f00aa12\n", "b 12:30:01\n"]},
              {"output_type": "display_data", "data": {"image/png": "AAA", "text/plain": ["<Figure>"]}}]
    fresh = [{"output_type": "stream", "name": "stdout", "text": "a 0x55bbcc01\n"},
             {"output_type": "stream", "name": "stdout", "text": "b 09:02:59  \n"},
             {"output_type": "display_data", "data": {"image/png": "BBB", "text/plain": "<Figure>"}}]
    assert classroom.comparable(fresh, rules) == classroom.comparable(stored, rules)
    wrong = [dict(fresh[0], text="a 0x55bbcc01\nb 09:02:59 extra\n"), fresh[2]]
    assert classroom.comparable(wrong, rules) != classroom.comparable(stored, rules)
    error = [{"output_type": "error", "ename": "ValueError", "evalue": "bad", "traceback": []}]
    assert classroom.comparable(error, rules) == [("error", "ValueError: bad")]

"""JupyterHub for a class on one machine (README, "Teaching with this course").

One JupyterHub serves the class: accounts from the teacher's class list (hub/classlist.csv format, teachers are
admins), passwords set by each learner at first login (jupyterhub-firstuseauthenticator), each learner's own copy
of the course pulled into their home by nbgitpuller when their server opens (its default URL is the nbgitpuller
link), a memory limit per learner from the measured seat size (hub/seat.json), idle servers stopped by
jupyterhub-idle-culler, and nbgrader's exchange shared by everyone (hub/etc/jupyter/nbgrader_config.py).

Settings come from environment variables, so that one file serves the real machine, `make hub` and the classroom
simulation (hub/classroom.py):

    COURSE_HUB_SPAWNER     systemd (default: SystemdSpawner, one transient systemd unit per learner with its
                           memory limit, dynamic users whose homes persist) or local (SimpleLocalProcessSpawner:
                           every server runs as the hub's own user, homes are folders under
                           COURSE_HUB_STATE/home; no isolation, no memory limit: trials and tests only)
    COURSE_HUB_STATE       the hub's state folder: database, cookie secret, passwords, local homes (/srv/jupyterhub)
    COURSE_HUB_CLASS_LIST  the class list CSV (default: hub/classlist.csv beside this file)
    COURSE_HUB_IP, COURSE_HUB_PORT   where the proxy listens (127.0.0.1, 8000); HTTPS is the site's reverse proxy
    COURSE_REPO, COURSE_BRANCH       the course's git repository and branch that nbgitpuller pulls
    COURSE_EXCHANGE        nbgrader's exchange folder (/srv/nbgrader/exchange), also read by nbgrader_config.py
    COURSE_HUB_CULL_AFTER  seconds of inactivity after which a server is stopped (3600)
    COURSE_HUB_SERVICE_TOKEN   when set, a service "classroom" with this API token may manage users and servers
                           (the classroom simulation drives the hub with it)
    COURSE_CHP             the configurable-http-proxy command (default: build/hub/node_modules/.bin/..., `make hub`
                           installs it with npm ci from hub/package-lock.json)
"""

import importlib.util
import json
import os
import sys
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent  # the course's virtual environment: hub and learners' servers share its pins

_spec = importlib.util.spec_from_file_location("classlist", HERE / "classlist.py")
classlist = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(classlist)


def setting(name, default):
    """The environment variable `name`, or `default` (as a string) when it is unset or empty."""
    return os.environ.get(name) or str(default)


c = get_config()  # noqa: F821 (provided by traitlets when it loads this file)

state = Path(setting("COURSE_HUB_STATE", "/srv/jupyterhub"))
state.mkdir(parents=True, exist_ok=True)
exchange = setting("COURSE_EXCHANGE", "/srv/nbgrader/exchange")
seat = json.loads((HERE / "seat.json").read_text(encoding="utf-8"))

# The proxy (pinned in hub/package-lock.json) and the hub on local addresses; HTTPS belongs to the site's reverse proxy.
c.JupyterHub.ip = setting("COURSE_HUB_IP", "127.0.0.1")
c.JupyterHub.port = int(setting("COURSE_HUB_PORT", "8000"))
c.JupyterHub.hub_ip = "127.0.0.1"
c.ConfigurableHTTPProxy.command = [setting("COURSE_CHP", ROOT / "build/hub/node_modules/.bin/configurable-http-proxy")]
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.pid_file = str(state / "jupyterhub-proxy.pid")

# Accounts: the class list; learners choose their password at first login; teachers are admins.
teachers, learners = classlist.read_class_list(setting("COURSE_HUB_CLASS_LIST", HERE / "classlist.csv"))
c.JupyterHub.authenticator_class = "firstuseauthenticator.FirstUseAuthenticator"
c.FirstUseAuthenticator.dbm_path = str(state / "passwords.dbm")
c.FirstUseAuthenticator.create_users = False
c.Authenticator.allowed_users = set(learners)
c.Authenticator.admin_users = set(teachers)

# Each learner's server: the course's environment, JupyterLab, the course pulled by nbgitpuller on every open (a
# learner's own edits survive an update: nbgitpuller's merge rules), nbgrader's exchange, fast single-thread BLAS.
repo, branch = setting("COURSE_REPO", ""), setting("COURSE_BRANCH", "main")
if not repo:
    raise SystemExit("COURSE_REPO is not set: give the git URL of the course repository that nbgitpuller copies "
                     "into each learner's home (e.g. https://git.example.org/teacher/mnist-course.git).")
c.Spawner.cmd = [str(BIN / "jupyterhub-singleuser")]
c.Spawner.default_url = "/git-pull?" + urlencode({
    "repo": repo, "branch": branch, "targetpath": "mnist-course",
    "urlpath": "lab/tree/mnist-course/notebooks/00_welcome_and_data.ipynb"})
c.Spawner.environment = {
    "PATH": f"{BIN}{os.pathsep}/usr/local/bin:/usr/bin:/bin",
    "JUPYTER_CONFIG_PATH": str(HERE / "etc" / "jupyter"),
    "COURSE_EXCHANGE": exchange,
    "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
    "TF_NUM_INTRAOP_THREADS": "1", "TF_NUM_INTEROP_THREADS": "1", "TF_CPP_MIN_LOG_LEVEL": "2",
}
c.Spawner.env_keep = ["LANG", "LC_ALL", "MNIST_DIR", "COURSE_FAST", "PYTHONPATH"]
# Several servers starting at once on two cores take about 30 s each (JupyterHub's default http_timeout).
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180


def learner_identity(spawner):
    """nbgrader files a submission under the OS user name; here servers do not run as the learner's own OS user
    (a shared user locally, jupyter-NAME under systemd), so the hub name is given (nbgrader_config.py reads it).
    Teachers get none: their `nbgrader collect` must see every learner."""
    if not spawner.user.admin:
        spawner.environment["COURSE_STUDENT_ID"] = spawner.user.name


c.Spawner.pre_spawn_hook = learner_identity

if setting("COURSE_HUB_SPAWNER", "systemd") == "local":
    c.JupyterHub.spawner_class = "jupyterhub.spawner.SimpleLocalProcessSpawner"
    c.SimpleLocalProcessSpawner.home_dir_template = str(state / "home" / "{username}")
    if os.geteuid() == 0:  # containers: JupyterLab refuses root without this
        c.Spawner.args = ["--ServerApp.allow_root=True"]
else:
    c.JupyterHub.spawner_class = "systemdspawner.SystemdSpawner"
    c.SystemdSpawner.dynamic_users = True  # no system accounts: homes are /var/lib/private/jupyter-NAME
    c.SystemdSpawner.mem_limit = f"{seat['limit_mb']}M"
    c.SystemdSpawner.readwrite_paths = [exchange]
    c.SystemdSpawner.isolate_tmp = True
    c.SystemdSpawner.isolate_devices = True

# Services: the idle culler; the classroom simulation's driver when it gives a token.
c.JupyterHub.services = [{
    "name": "idle-culler",
    "command": [sys.executable, "-m", "jupyterhub_idle_culler",
                f"--timeout={setting('COURSE_HUB_CULL_AFTER', '3600')}"],
}]
c.JupyterHub.load_roles = [{
    "name": "idle-culler",
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    "services": ["idle-culler"],
}]
if os.environ.get("COURSE_HUB_SERVICE_TOKEN"):
    c.JupyterHub.services.append({"name": "classroom", "api_token": os.environ["COURSE_HUB_SERVICE_TOKEN"]})
    c.JupyterHub.load_roles.append({
        "name": "classroom",
        "scopes": ["admin:users", "admin:servers", "admin:server_state", "tokens", "read:services"],
        "services": ["classroom"],
    })

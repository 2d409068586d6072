# JupyterHub configuration of the room server. Do not run it by hand: `make room`
# (tools/room/room.py) writes the settings file named by CX_ROOM_SETTINGS and starts
# JupyterHub with this file. Nothing secret is kept here: the room password, the admin
# token and the cookie secret live in the git-ignored state folder (.room/ by default).
import json
import os
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from cx_room_hub import RoomAuthenticator, RoomSpawner  # noqa: E402

c = get_config()  # noqa: F821 (provided by JupyterHub)
settings = json.loads(Path(os.environ["CX_ROOM_SETTINGS"]).read_text(encoding="utf-8"))
state = Path(settings["state_dir"])
secrets_dir = state / "secrets"

# --- where it listens: the proxy on the chosen LAN address, everything else on loopback
c.JupyterHub.bind_url = f"http://{settings['ip']}:{settings['port']}/"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = settings["hub_port"]
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{settings['proxy_api_port']}"
c.ConfigurableHTTPProxy.auth_token = (secrets_dir / "proxy-token").read_text().strip()
# the Python implementation of configurable-http-proxy (PyPI), installed in the same venv
_bin = Path(sys.executable).parent
c.ConfigurableHTTPProxy.command = [shutil.which("configurable-http-proxy", path=str(_bin)) or "configurable-http-proxy"]
c.ConfigurableHTTPProxy.pid_file = str(state / "proxy.pid")
c.JupyterHub.cleanup_proxy = True
c.JupyterHub.cleanup_servers = True

# --- state: database and cookie secret in the state folder
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(secrets_dir / "cookie-secret")
c.JupyterHub.pid_file = str(state / "hub.pid")

# --- sign-in: room password + a personal password claimed at first sign-in
c.JupyterHub.authenticator_class = RoomAuthenticator
c.RoomAuthenticator.room_password = (secrets_dir / "room-password").read_text().strip()
c.RoomAuthenticator.password_file = str(secrets_dir / "learners.json")
c.Authenticator.allow_all = True
c.JupyterHub.template_paths = [str(HERE / "templates")]
c.JupyterHub.template_vars = {"room_url": settings["url"]}

# --- the trainer's admin token (for `room.py` and the tests), as a service with admin rights
c.JupyterHub.services = [{"name": "cx-room", "api_token": (secrets_dir / "admin-token").read_text().strip()}]
c.JupyterHub.load_roles = [{"name": "admin", "services": ["cx-room"]}]

# --- learners' servers
c.JupyterHub.spawner_class = RoomSpawner
c.Spawner.cmd = [sys.executable, "-m", "jupyterhub.singleuser"]
c.Spawner.default_url = "/lab/tree/notebooks/00_welcome.ipynb"
c.Spawner.disable_user_config = True
c.Spawner.http_timeout = 60
c.Spawner.start_timeout = 120
c.RoomSpawner.home_dir_template = str(state / "learners" / "{username}")
c.RoomSpawner.edition_dir = str(state / "edition")
c.RoomSpawner.max_kernels = settings["max_kernels"]
c.RoomSpawner.cull_idle_minutes = settings["cull_idle_minutes"]
c.RoomSpawner.room_id = settings["room_id"]
c.Spawner.environment = {"CX_SOLUTIONS": "on" if settings["with_solutions"] else "off"}
c.JupyterHub.active_server_limit = settings["max_learners"]
c.JupyterHub.concurrent_spawn_limit = 10
c.JupyterHub.allow_named_servers = False
c.JupyterHub.shutdown_on_logout = False

c.JupyterHub.log_level = settings.get("log_level", "INFO")

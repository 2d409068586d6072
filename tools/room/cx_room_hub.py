"""The room server's JupyterHub pieces: the sign-in rule and the per-learner spawner.

Loaded by ``tools/room/jupyterhub_config.py`` inside the hub process (``make room``).

Sign-in (:class:`RoomAuthenticator`)
    A learner types a name, the room password (the trainer shows it) and a password of
    their own. The first sign-in under a name claims it and stores a salted hash of that
    personal password; later sign-ins under the name need the same personal password. So
    only people who know the room password can get in, and a learner who knows it still
    cannot sign in as another learner.

Servers (:class:`RoomSpawner`)
    Each learner's Jupyter server runs in ``<state>/learners/<name>/``, which holds a copy
    of the student edition made at the first start. That folder is the server's root: the
    file browser, the contents API and ``/files`` cannot reach outside it, and the hub
    only lets a learner's cookie into that learner's own server. Every process runs as
    the trainer's operating-system user, so code run *in a kernel* can read any file that
    user can (see docs/trainer-guide.md).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import os
import random
import re
import secrets
import shutil
import socket
import threading
from pathlib import Path
from typing import Any

from jupyterhub.auth import Authenticator
from jupyterhub.spawner import SimpleLocalProcessSpawner
from tornado import web
from traitlets import Integer, Unicode

NAME_RULE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")
MIN_PERSONAL_PASSWORD = 4
_PBKDF2_ROUNDS = 200_000


def hash_password(password: str, salt: bytes | None = None) -> str:
    """Return a salted PBKDF2-SHA256 hash of ``password`` as ``salt$hash`` (base64).

    Examples
    --------
    >>> h = hash_password("tulip", salt=b"0123456789abcdef")
    >>> check_password("tulip", h), check_password("tulips", h)
    (True, False)
    """
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, _PBKDF2_ROUNDS)
    return base64.b64encode(salt).decode() + "$" + base64.b64encode(digest).decode()


def check_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches a hash made by :func:`hash_password` (constant time)."""
    try:
        salt_b64, _ = stored.split("$", 1)
        salt = base64.b64decode(salt_b64)
    except ValueError:
        return False
    return hmac.compare_digest(hash_password(password, salt), stored)


class PasswordStore:
    """Learners' personal-password hashes in one JSON file (written atomically, mode 0600)."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()

    def _read(self) -> dict[str, str]:
        if not self.path.exists():
            return {}
        return json.loads(self.path.read_text(encoding="utf-8"))

    def get(self, name: str) -> str | None:
        """The stored hash for ``name``, or None if the name is not claimed yet."""
        with self._lock:
            return self._read().get(name)

    def claim(self, name: str, password: str) -> bool:
        """Store ``password`` for ``name`` if nobody has claimed it; True if this call did."""
        with self._lock:
            data = self._read()
            if name in data:
                return False
            data[name] = hash_password(password)
            tmp = self.path.with_suffix(".tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(data, f, indent=1, sort_keys=True)
            os.replace(tmp, self.path)
            return True

    def forget(self, name: str) -> bool:
        """Remove ``name``'s password so the next sign-in under it sets a new one."""
        with self._lock:
            data = self._read()
            if data.pop(name, None) is None:
                return False
            tmp = self.path.with_suffix(".tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(data, f, indent=1, sort_keys=True)
            os.replace(tmp, self.path)
            return True


class RoomAuthenticator(Authenticator):
    """Room password to get in; a personal password, set at first sign-in, to be yourself."""

    room_password = Unicode("", config=True, help="The password the trainer gives the room.")
    password_file = Unicode("", config=True, help="JSON file of the learners' password hashes.")
    failure_delay = Integer(1, config=True, help="Seconds to wait after a failed sign-in.")

    def validate_username(self, username: str) -> bool:
        return bool(NAME_RULE.match(username))

    def normalize_username(self, username: str) -> str:
        return username.strip().lower()

    async def _refuse(self, message: str) -> None:
        await asyncio.sleep(self.failure_delay)
        raise web.HTTPError(403, message)

    async def authenticate(self, handler: Any, data: dict[str, str]) -> str | None:
        if not self.room_password or not self.password_file:
            raise RuntimeError("RoomAuthenticator needs room_password and password_file")
        name = self.normalize_username(data.get("username", ""))
        personal = data.get("password", "")
        room = data.get("room_password", "").strip()
        if not hmac.compare_digest(room.encode(), self.room_password.encode()):
            await self._refuse("Wrong room password: check it on the trainer's screen.")
        if not NAME_RULE.match(name):
            await self._refuse(
                "Choose a name of 1 to 32 letters a-z, digits, - or _ "
                "(starting with a letter or digit), for example 'sara' or 'ali-2'."
            )
        store = PasswordStore(self.password_file)
        stored = store.get(name)
        if stored is None:
            if len(personal) < MIN_PERSONAL_PASSWORD:
                await self._refuse(
                    f"'{name}' is new: choose a password of your own, at least "
                    f"{MIN_PERSONAL_PASSWORD} characters, and remember it to sign in again."
                )
            if store.claim(name, personal):
                self.log.info("Learner %s claimed their name", name)
                return name
            stored = store.get(name)  # claimed a moment ago by someone else
        if stored is not None and check_password(personal, stored):
            return name
        await self._refuse(
            f"The name '{name}' is taken and that is not its password. If it is yours, "
            "ask the trainer to reset it; otherwise choose another name."
        )
        return None  # not reached


def copy_edition(edition: Path, folder: Path) -> bool:
    """Copy the student edition into a learner's folder the first time; True if copied."""
    if (folder / "notebooks").exists():
        return False
    folder.mkdir(parents=True, exist_ok=True)
    for item in edition.iterdir():
        target = folder / item.name
        if item.is_dir():
            shutil.copytree(item, target, dirs_exist_ok=True)
        else:
            shutil.copy2(item, target)
    return True


def _ephemeral_start() -> int:
    """Where the system's ephemeral ports begin (Linux's setting; 32768 elsewhere, below macOS's 49152)."""
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


_ports_given: set[int] = set()


def learner_port(rng: random.Random | None = None) -> int:
    """A free local port for a learner's server, below the system's ephemeral ports.

    JupyterHub picks a random free port, which the server binds seconds later; a port from the
    ephemeral range can be taken in between by any outgoing connection (the room test once saw a
    learner's server fail with "port already in use"). Ports below that range are only taken by a
    program that binds them itself; each is checked free and handed out once.

    >>> port = learner_port()
    >>> 10000 <= port < max(_ephemeral_start(), 21000) and port in _ports_given
    True
    """
    rng = rng or random.SystemRandom()
    high = max(_ephemeral_start(), 21000)
    low = max(10000, high - 12000)
    for _ in range(500):
        port = rng.randrange(low, high)
        if port in _ports_given:
            continue
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        _ports_given.add(port)
        return port
    raise RuntimeError(f"no free port between {low} and {high} for a learner's server")


class RoomSpawner(SimpleLocalProcessSpawner):
    """A learner's Jupyter server, rooted in their own folder with their own copy of the course."""

    edition_dir = Unicode("", config=True, help="The student edition to copy for each learner.")
    max_kernels = Integer(2, config=True, help="Running kernels allowed per learner.")
    cull_idle_minutes = Integer(
        30, config=True, help="Shut down kernels idle this long with no browser tab (0 = never)."
    )
    room_id = Unicode("", config=True, help="Tag put into every spawned process's environment.")
    kernel_module_dir = Unicode(
        str(Path(__file__).resolve().parent),
        help="Folder holding cx_room_kernels.py and singleuser_config.py",
    )

    def _learner_dir(self) -> Path:
        return Path(self.home_dir)

    def user_env(self, env: dict[str, str]) -> dict[str, str]:
        env = super().user_env(env)
        env["SHELL"] = os.environ.get("SHELL", "/bin/sh")
        env["CX_ROOM_ID"] = self.room_id
        env["PYTHONPATH"] = os.pathsep.join(p for p in (self.kernel_module_dir, os.environ.get("PYTHONPATH", "")) if p)
        env["CX_ROOM_MAX_KERNELS"] = str(self.max_kernels)
        env["CX_ROOM_CULL_MINUTES"] = str(self.cull_idle_minutes)
        env["MPLCONFIGDIR"] = str(self._learner_dir() / ".cache" / "matplotlib")
        return env

    def get_args(self) -> list[str]:
        args = [
            f"--config={Path(self.kernel_module_dir) / 'singleuser_config.py'}",
            f"--ServerApp.root_dir={self._learner_dir()}",
            # the open tabs JupyterLab remembers: in the learner's folder, not in the shared user's home
            f"--LabApp.workspaces_dir={self._learner_dir() / '.lab-workspaces'}",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            args.append("--allow-root")  # Jupyter refuses root unless told; the trainer chose it
        return args + list(self.args)

    async def start(self) -> Any:
        folder = self._learner_dir()
        if self.edition_dir and copy_edition(Path(self.edition_dir), folder):
            self.log.info("Copied the student edition for %s into %s", self.user.name, folder)
        folder.mkdir(parents=True, exist_ok=True)
        if self.port == 0:  # not JupyterHub's random ephemeral port: see learner_port
            self.port = learner_port()
        return await super().start()

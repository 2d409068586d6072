"""The room server (``make room``, tools/room/): sign-in rules, address choice, and one
end-to-end run: start it on loopback, create three learners through the hub's REST API,
open lesson 00 for each in headless Chromium and run its first cells, check that one
learner cannot read another's files through the server, stop it and find no process left.

Needs the room extra (``make room-deps``) and, for the browser part, /usr/bin/chromium.
Locally a missing piece skips with a message; under CI (``CI`` set) missing room packages
fail the test, so CI cannot pass without really running it.
"""

from __future__ import annotations

import doctest
import importlib.util
import json
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import ROOT

ROOM_DIR = ROOT / "tools" / "room"
CHROMIUM = "/usr/bin/chromium"
LEARNERS = ("learner-a", "learner-b", "learner-c")
ROOM_PASSWORD = "test-room-pw"


def _need_room_packages() -> None:
    missing = [
        m for m in ("jupyterhub", "configurable_http_proxy", "segno", "psutil") if importlib.util.find_spec(m) is None
    ]
    if missing:
        msg = (
            f"the room extra is not installed ({', '.join(missing)} missing): "
            "run `make room-deps` (pip install -e .[room])"
        )
        if os.environ.get("CI"):
            pytest.fail("CI must install it: " + msg)
        pytest.skip(msg)


def _load(name: str):
    if str(ROOM_DIR) not in sys.path:
        sys.path.insert(0, str(ROOM_DIR))
    return __import__(name)


# ---------------------------------------------------------------- units (fast)


def test_room_module_doctests():
    _need_room_packages()
    for name in ("room", "cx_room_hub"):
        result = doctest.testmod(_load(name), optionflags=doctest.ELLIPSIS)
        assert result.attempted > 0 and result.failed == 0, name


def test_choose_address_refuses_everything_outside_the_local_network():
    room = _load("room")
    A = room.Address
    addrs = [A("127.0.0.1", "lo"), A("192.168.1.20", "wlan0"), A("10.0.0.7", "eth0"), A("93.184.216.34", "eth1")]
    assert room.choose_address(None, addrs, route_ip="10.0.0.7") == A("10.0.0.7", "eth0")
    assert room.choose_address("wlan0", addrs).ip == "192.168.1.20"
    assert room.choose_address("127.0.0.1", addrs).ip == "127.0.0.1"
    for bad, words in [
        ("0.0.0.0", "every network"),
        ("93.184.216.34", "not a local-network"),
        ("eth1", "no local-network"),
        ("192.168.9.9", "not an address of this machine"),
        ("wlan9", "neither an IPv4 address nor an interface"),
    ]:
        with pytest.raises(room.RoomError, match=words):
            room.choose_address(bad, addrs)
    with pytest.raises(room.RoomError, match="several local networks: 192.168.1.20 .wlan0., 10.0.0.7"):
        room.choose_address(None, addrs, route_ip="172.20.0.1")
    with pytest.raises(room.RoomError, match="no local-network address"):
        room.choose_address(None, [A("127.0.0.1", "lo"), A("93.184.216.34", "eth1")], route_ip="93.184.216.34")


def test_room_password_is_kept_and_secrets_are_private(tmp_path):
    room = _load("room")
    first = room.prepare_state(tmp_path, None, False)
    assert room.prepare_state(tmp_path, None, False) == first  # a restart keeps the password
    assert room.prepare_state(tmp_path, None, True) != first  # --new-password
    assert room.prepare_state(tmp_path, "chosen-pw", False) == "chosen-pw"
    with pytest.raises(room.RoomError, match="at least 6"):
        room.prepare_state(tmp_path, "abc", False)
    secrets_dir = tmp_path / "secrets"
    assert secrets_dir.stat().st_mode & 0o077 == 0
    for f in secrets_dir.iterdir():
        assert f.stat().st_mode & 0o077 == 0, f


def test_personal_passwords_claim_a_name_once(tmp_path):
    _need_room_packages()
    hub = _load("cx_room_hub")
    store = hub.PasswordStore(tmp_path / "learners.json")
    assert store.claim("sara", "tulip")
    assert not store.claim("sara", "other")  # the name is taken
    assert hub.check_password("tulip", store.get("sara"))
    assert not hub.check_password("other", store.get("sara"))
    assert "tulip" not in (tmp_path / "learners.json").read_text()
    assert store.forget("sara") and store.get("sara") is None and not store.forget("sara")


def test_room_auth_rules(tmp_path):
    _need_room_packages()
    import asyncio

    from tornado import web

    hub = _load("cx_room_hub")
    auth = hub.RoomAuthenticator(room_password="pw-123456", password_file=str(tmp_path / "p.json"), failure_delay=0)

    def login(name, room, personal):
        return asyncio.run(auth.authenticate(None, {"username": name, "room_password": room, "password": personal}))

    assert login("Sara ", "pw-123456", "tulip") == "sara"
    assert login("sara", "pw-123456", "tulip") == "sara"
    for args, words in [
        (("sara", "pw-123456", "rose"), "is taken"),
        (("ali", "wrong", "tulip"), "Wrong room password"),
        (("ali", "pw-123456", "ab"), "at least 4"),
        (("../etc", "pw-123456", "tulip"), "letters a-z"),
    ]:
        with pytest.raises(web.HTTPError) as err:
            login(*args)
        assert err.value.status_code == 403 and words in err.value.log_message


# ---------------------------------------------------------------- end to end


class RoomRun:
    """The launcher running in a subprocess, with its output collected."""

    def __init__(self, state: Path, port: int) -> None:
        self.state, self.port = state, port
        self.url = f"http://127.0.0.1:{port}"
        self.lines: list[str] = []
        self.proc = subprocess.Popen(
            [
                sys.executable,
                str(ROOM_DIR / "room.py"),
                "--state",
                str(state),
                "--ip",
                "127.0.0.1",
                "--port",
                str(port),
                "--max-kernels",
                "1",
                "--no-qr",
                "--password",
                ROOM_PASSWORD,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_for_output(self, text: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.output:
            if self.proc.poll() is not None or time.monotonic() > deadline:
                log = self.state / "hub.log"
                tail = log.read_text()[-3000:] if log.exists() else ""
                raise AssertionError(f"no {text!r} from the launcher:\n{self.output}\n--- hub.log\n{tail}")
            time.sleep(0.1)

    def api(self, method: str, path: str, token: str, body: dict | None = None) -> tuple[int, str]:
        req = urllib.request.Request(
            self.url + path,
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"token {token}"},
        )
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()


def _room_pids(room_id: str) -> list[int]:
    import psutil

    found = []
    for p in psutil.process_iter(["pid"]):
        try:
            if p.environ().get("CX_ROOM_ID") == room_id:
                found.append(p.pid)
        except (psutil.Error, OSError):
            pass
    return found


@pytest.fixture
def room_run(tmp_path):
    _need_room_packages()
    room = _load("room")
    run = RoomRun(tmp_path / "state", room.free_port())
    yield run
    if run.proc.poll() is None:  # the test failed before stopping it: clean up
        os.kill(run.proc.pid, signal.SIGINT)
        try:
            run.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            run.proc.kill()
    room_id_file = tmp_path / "state" / "room-id"
    if room_id_file.exists():
        room.kill_room_processes(room_id_file.read_text().strip())


def _sign_in(page, base: str, name: str, personal: str) -> None:
    page.goto(f"{base}/hub/login")
    page.wait_for("!!document.querySelector('#room_password_input')")
    page.js(
        f"""(() => {{
          document.querySelector('#username_input').value = {json.dumps(name)};
          document.querySelector('#room_password_input').value = {json.dumps(ROOM_PASSWORD)};
          document.querySelector('#password_input').value = {json.dumps(personal)};
          document.querySelector('#login_submit').click(); return true; }})()"""
    )


# the first code cells of lesson 00 and a piece of what each must show
FIRST_CELLS = [
    ("tables = {name: datasets.load(name)", "customers"),
    ("customers.head()", "customer_id"),
    ('surveys = tables["nps_surveys"]', "ltr"),
]


def _run_first_cells(page, name: str) -> None:
    """Clear the outputs lesson 00 is committed with (Edit menu), then Shift+Enter through
    its first three code cells, as a learner would."""
    from chromium_cdp import CDPError

    kernels = f"fetch('/user/{name}/api/kernels', {{headers: {{'X-XSRFToken': {page.XSRF}}}}}).then(r => r.json())"
    try:
        page.wait_for(kernels + ".then(k => k.length === 1 && k[0].execution_state === 'idle')", timeout=120)
    except CDPError as exc:  # say what the server had: no kernel, two, or one that never became idle
        raise AssertionError(
            f"{name}'s kernel was not idle after 120 s; the server's kernels: {page.js(kernels)}"
        ) from exc
    page.click(".lm-MenuBar-itemLabel", "Edit")
    page.click(".lm-Menu-itemLabel", "Clear Outputs of All Cells")
    page.wait_for("!document.querySelector('.jp-Notebook .jp-CodeCell .jp-OutputArea-output')")
    page.click(".jp-Notebook .jp-CodeCell .jp-InputPrompt")
    for _ in range(5):  # code, markdown, code, markdown, code
        page.press("Enter", shift=True)
        time.sleep(0.15)


def _code_cell_outputs(page, n: int) -> list[dict]:
    return page.js(
        f"""Array.from(document.querySelectorAll('.jp-Notebook .jp-CodeCell')).slice(0, {n}).map(c => ({{
            source: c.querySelector('.jp-InputArea-editor').textContent,
            prompt: c.querySelector('.jp-InputPrompt').textContent,
            output: c.querySelector('.jp-OutputArea') ? c.querySelector('.jp-OutputArea').textContent : '',
            error: !!c.querySelector('[data-mime-type="application/vnd.jupyter.error"], ' +
                                     '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"] pre')
        }}))"""
    )


def test_room_server_end_to_end(room_run, tmp_path):
    run = room_run
    t0 = time.monotonic()

    def phase(what: str) -> None:
        print(f"[{time.monotonic() - t0:5.1f} s] {what}", flush=True)

    run.wait_for_output("Stop with Ctrl+C", timeout=120)
    phase("room open")
    assert f"http://127.0.0.1:{run.port}/" in run.output
    assert f"Room password:  {ROOM_PASSWORD}" in run.output
    state = run.state
    room_id = (state / "room-id").read_text().strip()
    admin = (state / "secrets" / "admin-token").read_text().strip()

    # three learners and their servers, through the hub's REST API
    status, body = run.api("POST", "/hub/api/users", admin, {"usernames": list(LEARNERS)})
    assert status == 201, body
    with ThreadPoolExecutor(len(LEARNERS)) as pool:  # the hub answers a spawn after <= 10 s
        spawned = list(pool.map(lambda n: run.api("POST", f"/hub/api/users/{n}/server", admin), LEARNERS))
    assert all(status in (201, 202) for status, _ in spawned), spawned
    deadline = time.monotonic() + 120  # generous: under `make test` another worker runs notebooks
    while True:
        users = {u["name"]: u for u in json.loads(run.api("GET", "/hub/api/users", admin)[1])}
        if all(users[n]["servers"].get("", {}).get("ready") for n in LEARNERS):
            break
        assert time.monotonic() < deadline, users
        time.sleep(0.5)
    phase("three servers ready")
    server_pids = [users[n]["servers"][""]["state"]["pid"] for n in LEARNERS]
    for name in LEARNERS:  # each has their own copy of the student edition
        folder = state / "learners" / name
        assert (folder / "notebooks" / "00_welcome.ipynb").exists()
        assert (folder / ".cx-student").exists()

    # a file only learner B has
    secret = "b-only-" + secrets.token_hex(8)
    (state / "learners" / "learner-b" / "notebooks" / "b-secret.txt").write_text(secret)
    status, body = run.api("POST", "/hub/api/users/learner-a/tokens", admin, {"note": "test"})
    a_token = json.loads(body)["token"]

    # learner A's token: their own server yes, B's files no, not by any path
    status, body = run.api("GET", "/user/learner-a/api/contents/notebooks", a_token)
    assert status == 200 and "00_welcome.ipynb" in body
    for path in [
        "/user/learner-b/api/contents/notebooks/b-secret.txt",
        "/user/learner-b/files/notebooks/b-secret.txt",
        "/user/learner-b/api/contents/notebooks",
        "/user/learner-a/api/contents/..%2Flearner-b%2Fnotebooks%2Fb-secret.txt",
        "/user/learner-a/api/contents/notebooks%2F..%2F..%2Flearner-b%2Fnotebooks",
        "/user/learner-a/files/..%2Flearner-b%2Fnotebooks%2Fb-secret.txt",
        "/user/learner-a/api/contents/..%2F..%2Fsecrets%2Froom-password",
        "/user/learner-a/api/contents/.cx-student",
    ]:
        status, body = run.api("GET", path, a_token)
        assert status in (400, 403, 404), (path, status, body[:300])
        assert secret not in body and ROOM_PASSWORD not in body

    phase("token checks done")
    shots = Path(os.environ.get("CX_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    browser_part = Path(CHROMIUM).exists()
    if browser_part:
        from chromium_cdp import Browser

        with Browser(CHROMIUM) as browser:
            pages = {}
            for name in LEARNERS:
                page = browser.new_page()
                _sign_in(page, run.url, name, f"pw-{name}")
                pages[name] = page
            login_shot = browser.new_page(1000, 760)
            login_shot.goto(f"{run.url}/hub/login")
            login_shot.wait_for("!!document.querySelector('#room_password_input')")
            login_shot.screenshot(shots / "room-login.png")
            # knowing the room password is not enough to be someone else
            _sign_in(login_shot, run.url, "learner-a", "not-a-password")
            assert "is taken" in login_shot.wait_for(
                "document.querySelector('.login_error') && document.querySelector('.login_error').textContent"
            )

            phase("signed in")
            for name, page in pages.items():
                page.wait_for(
                    f"location.pathname.startsWith('/user/{name}/lab')"
                    " && document.querySelectorAll('.jp-Notebook .jp-Cell').length > 10",
                    timeout=120,
                )
                _run_first_cells(page, name)
                phase(f"{name}: lab open, cells sent")
            for name, page in pages.items():
                page.wait_for(
                    "Array.from(document.querySelectorAll('.jp-Notebook .jp-CodeCell')).slice(0, 3).every(c =>"
                    " /\\[\\d+\\]/.test(c.querySelector('.jp-InputPrompt').textContent)"
                    " && c.querySelector('.jp-OutputArea-output'))",
                    timeout=120,
                )
                cells = _code_cell_outputs(page, 3)
                for cell, (source, shows) in zip(cells, FIRST_CELLS):
                    assert source in cell["source"], cell
                    assert shows in cell["output"], (name, cell)
                    assert not cell["error"] and "Traceback" not in cell["output"], (name, cell)
                assert [c["prompt"].strip() for c in cells] == ["[1]:", "[2]:", "[3]:"], cells
                # the fourth code cell was not run: still cleared
                assert page.js(
                    "(() => { const c = document.querySelectorAll('.jp-Notebook .jp-CodeCell')[3];"
                    " return c.querySelector('.jp-InputPrompt').textContent.trim() === '[ ]:'"
                    " && !c.querySelector('.jp-OutputArea-output'); })()"
                ), name
            phase("cells checked")
            pages["learner-a"].screenshot(shots / "room-learner-lab.png")

            # learner A's browser session (cookies) cannot open B's server either
            a = pages["learner-a"]
            for path in [
                "/user/learner-b/api/contents/notebooks/b-secret.txt",
                "/user/learner-b/files/notebooks/b-secret.txt",
                "/user/learner-b/lab/tree/notebooks/b-secret.txt",
                "/user/learner-a/files/..%2Flearner-b%2Fnotebooks%2Fb-secret.txt",
            ]:
                status, body = a.fetch_status(path)
                assert status in (400, 403, 404), (path, status, body[:300])
                assert secret not in body
            status, body = a.fetch_status("/user/learner-a/api/contents/notebooks")
            assert status == 200 and "00_welcome.ipynb" in body

    # the kernel limit (--max-kernels 1): A has one kernel, a second is refused
    if not json.loads(run.api("GET", "/user/learner-a/api/kernels", a_token)[1]):
        assert run.api("POST", "/user/learner-a/api/kernels", a_token, {})[0] == 201
    status, body = run.api("POST", "/user/learner-a/api/kernels", a_token, {})
    assert status == 403 and "Limit reached (1 running notebook)" in body, body

    # Ctrl+C stops hub, proxy, servers and kernels
    hub_pid = int((state / "hub.pid").read_text()) if (state / "hub.pid").exists() else None
    proxy_pid = int((state / "proxy.pid").read_text())
    assert _room_pids(room_id), "the room's processes should be tagged with CX_ROOM_ID"
    phase("stopping")
    os.kill(run.proc.pid, signal.SIGINT)
    run.proc.wait(timeout=60)
    phase("stopped")
    run.wait_for_output("room stopped: no room processes left", timeout=5)
    assert run.proc.returncode == 0, run.output
    import psutil

    assert _room_pids(room_id) == []
    for pid in [p for p in (hub_pid, proxy_pid, *server_pids) if p]:
        assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE, pid
    if not browser_part:  # everything else was checked; say loudly what was not
        pytest.skip(
            f"the browser part (lesson 00 in headless Chromium) did not run: {CHROMIUM} is "
            "absent; install it (apt-get install -y chromium). CI must."
        )


def test_learner_servers_get_ports_below_the_ephemeral_range():
    """JupyterHub's random port is ephemeral: an outgoing connection could take it before the server binds it."""
    _need_room_packages()
    import random

    hub = _load("cx_room_hub")
    ports = [hub.learner_port(random.Random(i)) for i in range(20)]
    start = hub._ephemeral_start()
    assert all(10000 <= p < max(start, 21000) for p in ports) and len(set(ports)) == len(ports)

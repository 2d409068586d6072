"""Run the course for a whole room from the trainer's machine (``make room``).

Starts JupyterHub (with the Python configurable-http-proxy) on this machine's local-network
address. Learners open the printed address (or scan the QR code) in any browser on the same
network, sign in with the room password and a name and password of their own, and get
their own copy of the student edition and their own kernels. Ctrl+C stops the hub, the
proxy and every learner's server.

Usage::

    python tools/room/room.py [--ip ADDRESS_OR_INTERFACE] [--port 8000] [--max-kernels 2] ...
    python tools/room/room.py forget NAME     # let a learner who forgot their password choose a new one

State (database, secrets, the learners' folders) lives in ``.room/`` (git-ignored);
``--state DIR`` puts it elsewhere.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
DEFAULT_STATE = ROOT / ".room"
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: easy to read off a projector


class RoomError(Exception):
    """A problem the trainer can fix; printed without a traceback, exit code 2."""


@dataclass(frozen=True)
class Address:
    """An IPv4 address of this machine and the interface that has it."""

    ip: str
    interface: str


def generate_password(groups: int = 3, size: int = 4) -> str:
    """A room password that is easy to read from a screen, e.g. ``'k7mq-x2tp-9abc'``.

    Examples
    --------
    >>> p = generate_password()
    >>> len(p), p.count("-"), set(p) <= set(PASSWORD_ALPHABET + "-")
    (14, 2, True)
    """
    return "-".join("".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(size)) for _ in range(groups))


def is_room_safe(ip: str) -> bool:
    """Whether ``ip`` may be listened on: a loopback or private (local-network) IPv4 address.

    Examples
    --------
    >>> [is_room_safe(a) for a in ("192.168.1.20", "10.0.0.5", "127.0.0.1", "0.0.0.0", "8.8.8.8")]
    [True, True, True, False, False]
    """
    try:
        addr = ipaddress.ip_address(ip)
    except ValueError:
        return False
    if addr.version != 4 or addr.is_unspecified or addr.is_multicast:
        return False
    return addr.is_loopback or addr.is_private


def machine_addresses() -> list[Address]:
    """Every IPv4 address of this machine's network interfaces."""
    import psutil

    found = []
    for iface, addrs in psutil.net_if_addrs().items():
        for a in addrs:
            if a.family == socket.AF_INET:
                found.append(Address(a.address, iface))
    return found


def _default_route_ip() -> str | None:
    """The source address the OS would use for the local network (no packet is sent)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        s.connect(("10.255.255.255", 1))  # UDP connect only picks a route
        return s.getsockname()[0]
    except OSError:
        return None
    finally:
        s.close()


def choose_address(wanted: str | None, addresses: list[Address] | None = None, route_ip: str | None = None) -> Address:
    """Pick the address to listen on, refusing anything outside the local network.

    ``wanted`` is an address (``192.168.1.20``), an interface name (``wlan0``), or None for
    this machine's local-network address.

    Examples
    --------
    >>> addrs = [Address("127.0.0.1", "lo"), Address("192.168.1.20", "wlan0"), Address("93.184.216.34", "eth1")]
    >>> choose_address(None, addrs, route_ip="192.168.1.20").ip
    '192.168.1.20'
    >>> choose_address("wlan0", addrs).ip
    '192.168.1.20'
    >>> choose_address("0.0.0.0", addrs)
    Traceback (most recent call last):
    ...
    room.RoomError: --ip 0.0.0.0 would listen on every network this machine is on, ...
    """
    addresses = machine_addresses() if addresses is None else addresses
    lan = [a for a in addresses if is_room_safe(a.ip) and not ipaddress.ip_address(a.ip).is_loopback]
    listing = ", ".join(f"{a.ip} ({a.interface})" for a in lan) or "none"
    if wanted is None:
        route_ip = _default_route_ip() if route_ip is None else route_ip
        for a in lan:
            if a.ip == route_ip:
                return a
        if len(lan) == 1:
            return lan[0]
        if not lan:
            raise RoomError(
                "This machine has no local-network address (192.168.x.x, 10.x.x.x or "
                "172.16-31.x.x). Connect it to the room's Wi-Fi or network, then run again; "
                "to try the room server alone, use --ip 127.0.0.1."
            )
        raise RoomError(
            f"This machine is on several local networks: {listing}. Choose the one the "
            "learners are on with --ip ADDRESS or --ip INTERFACE."
        )
    by_iface = [a for a in addresses if a.interface == wanted]
    if by_iface:
        safe = [a for a in by_iface if is_room_safe(a.ip)]
        if not safe:
            raise RoomError(
                f"Interface {wanted} has no local-network IPv4 address "
                f"({', '.join(a.ip for a in by_iface)}). Local-network addresses here: {listing}."
            )
        return safe[0]
    try:
        ipaddress.ip_address(wanted)
    except ValueError:
        names = sorted({a.interface for a in addresses})
        raise RoomError(
            f"--ip {wanted} is neither an IPv4 address nor an interface of this machine "
            f"(interfaces: {', '.join(names)})."
        ) from None
    if ipaddress.ip_address(wanted).is_unspecified:
        raise RoomError(
            f"--ip {wanted} would listen on every network this machine is on, including "
            f"public ones. Choose one local-network address: {listing}."
        )
    if not is_room_safe(wanted):
        raise RoomError(
            f"--ip {wanted} is not a local-network (private) IPv4 address, so anyone on the "
            f"internet could reach the room. Choose one of: {listing}."
        )
    for a in addresses:
        if a.ip == wanted:
            return a
    if ipaddress.ip_address(wanted).is_loopback:
        return Address(wanted, "loopback")
    raise RoomError(f"{wanted} is not an address of this machine. Its local-network addresses: {listing}.")


def free_port(ip: str = "127.0.0.1") -> int:
    """A TCP port that is free on ``ip`` right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((ip, 0))
        return s.getsockname()[1]


def _check_port(ip: str, port: int) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind((ip, port))
        except OSError:
            raise RoomError(
                f"Port {port} on {ip} is in use (is a room server or `make lab` already "
                "running?). Stop it, or choose another port with --port."
            ) from None


def _write_secret(path: Path, value: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(value + "\n")


def prepare_state(state: Path, password: str | None, new_password: bool) -> str:
    """Create the state folder and its secrets; return the room password."""
    secrets_dir = state / "secrets"
    secrets_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(secrets_dir, 0o700)
    (state / "learners").mkdir(exist_ok=True)
    for name in ("admin-token", "proxy-token"):
        if not (secrets_dir / name).exists():
            _write_secret(secrets_dir / name, secrets.token_hex(32))
    pw_file = secrets_dir / "room-password"
    if password is not None:
        if len(password) < 6:
            raise RoomError("--password must have at least 6 characters.")
        _write_secret(pw_file, password)
    elif new_password or not pw_file.exists():
        _write_secret(pw_file, generate_password())
    return pw_file.read_text(encoding="utf-8").strip()


def room_processes(room_id: str) -> list:
    """Processes of this user whose environment carries ``CX_ROOM_ID=room_id``."""
    import psutil

    me = os.getpid()
    found = []
    for p in psutil.process_iter(["pid"]):
        if p.pid == me:
            continue
        try:
            if p.environ().get("CX_ROOM_ID") == room_id:
                found.append(p)
        except (psutil.Error, OSError):
            continue
    return found


def kill_room_processes(room_id: str, grace: float = 5.0) -> int:
    """Terminate (then kill) every process of the room; returns how many there were."""
    import psutil

    procs = room_processes(room_id)
    for p in procs:
        try:
            p.terminate()
        except psutil.Error:
            pass
    _, alive = psutil.wait_procs(procs, timeout=grace)
    for p in alive:
        try:
            p.kill()
        except psutil.Error:
            pass
    psutil.wait_procs(alive, timeout=grace)
    return len(procs)


def edition_is_current(state: Path, with_solutions: bool) -> bool:
    """Whether ``state/edition`` was built from the current lessons with the same option."""
    stamp = state / "edition" / ".cx-room-built"
    if not stamp.exists() or stamp.read_text().strip() != f"with_solutions={with_solutions}":
        return False
    sources = [*(ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"), ROOT / "tools" / "build_student.py"]
    return all(p.stat().st_mtime <= stamp.stat().st_mtime for p in sources)


def start_edition_build(state: Path, with_solutions: bool) -> subprocess.Popen | None:
    """Start building the student edition each learner's folder is copied from (None if current)."""
    if edition_is_current(state, with_solutions):
        return None
    stamp = state / "edition" / ".cx-room-built"
    stamp.unlink(missing_ok=True)
    cmd = [sys.executable, str(ROOT / "tools" / "build_student.py"), "--out", str(state / "edition")]
    if with_solutions:
        cmd.append("--with-solutions")
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def finish_edition_build(state: Path, build: subprocess.Popen | None, with_solutions: bool) -> None:
    """Wait for :func:`start_edition_build`; raise :class:`RoomError` with its output on failure."""
    if build is None:
        return
    out, _ = build.communicate()
    if build.returncode != 0:
        raise RoomError(f"Building the student edition (tools/build_student.py) failed:\n{out}")
    (state / "edition" / ".cx-room-built").write_text(f"with_solutions={with_solutions}\n")


def wait_until_up(url: str, proc: subprocess.Popen, log: Path, timeout: float = 90.0) -> None:
    """Wait for the hub's API to answer through the proxy, or fail with the log's tail."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        try:
            with urllib.request.urlopen(url + "hub/api/", timeout=2) as r:
                if r.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    tail = "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-25:])
    raise RoomError(f"The room server did not start. The end of its log ({log}):\n{tail}")


def print_banner(url: str, password: str, args: argparse.Namespace, log: Path) -> None:
    print()
    print("=" * 64)
    print("  The room is open. Learners open this address in any browser")
    print("  on the same network (or scan the QR code):")
    print()
    print(f"      {url}")
    print()
    if not args.no_qr:
        try:
            import segno

            segno.make(url, error="m").terminal(compact=True, border=2)
        except ImportError:
            print("  (install segno to show a QR code here)")
    print(f"  Room password:  {password}")
    print()
    print("  Each learner signs in with a name and a password of their own (the")
    print("  first sign-in sets them) and gets their own copy of the course. Not private:")
    print("  every notebook runs as your user, so learners' code can read each other's")
    print("  folders; use no personal data (trainer guide: 'What the room server protects').")
    print(f"  Limits: {args.max_kernels} running notebook(s) per learner, {args.max_learners} learners.")
    if args.idle_minutes:
        print(f"  A notebook idle {args.idle_minutes} min with no open tab is shut down (its file stays).")
    print(f"  Learners' folders: {Path(args.state) / 'learners'}    log: {log}")
    print("  Stop with Ctrl+C (stops every learner's server too).")
    print("=" * 64, flush=True)


def start(args: argparse.Namespace) -> int:
    if os.name == "nt":
        raise RoomError(
            "The room server runs on Linux or macOS. On Windows, run it inside WSL "
            "(see 'A room server' in docs/trainer-guide.md)."
        )
    state = Path(args.state).resolve()
    address = choose_address(args.ip)
    port = args.port or free_port(address.ip)
    _check_port(address.ip, port)
    url = f"http://{address.ip}:{port}/"
    print(f"==> preparing the room in {state}", flush=True)
    password = prepare_state(state, args.password, args.new_password)

    old_id = (state / "room-id").read_text().strip() if (state / "room-id").exists() else ""
    if old_id:
        n = kill_room_processes(old_id)
        if n:
            print(f"==> stopped {n} processes left over from the last run", flush=True)
    room_id = uuid.uuid4().hex
    (state / "room-id").write_text(room_id + "\n", encoding="utf-8")

    build = start_edition_build(state, args.with_solutions)
    if build is not None:
        print("==> building the student edition each learner gets a copy of", flush=True)

    settings = {
        "state_dir": str(state),
        "ip": address.ip,
        "port": port,
        "url": url,
        "hub_port": free_port(),
        "proxy_api_port": free_port(),
        "room_id": room_id,
        "max_kernels": args.max_kernels,
        "max_learners": args.max_learners,
        "cull_idle_minutes": args.idle_minutes,
        "with_solutions": args.with_solutions,
        "log_level": args.log_level,
    }
    (state / "settings.json").write_text(json.dumps(settings, indent=1), encoding="utf-8")
    env = dict(os.environ, CX_ROOM_SETTINGS=str(state / "settings.json"), CX_ROOM_ID=room_id)
    log = state / "hub.log"
    print(f"==> starting JupyterHub and its proxy on {address.ip} ({address.interface}), port {port}", flush=True)
    with open(log, "a", encoding="utf-8") as logf:
        hub = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(HERE / "jupyterhub_config.py")],
            cwd=state,
            env=env,
            stdout=logf,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    stopping = {"signal": None}

    def on_signal(signum, _frame):
        stopping["signal"] = signum

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    code = 0
    try:
        finish_edition_build(state, build, args.with_solutions)
        wait_until_up(url, hub, log)
        print_banner(url, password, args, log)
        while stopping["signal"] is None and hub.poll() is None:
            time.sleep(0.2)
        if hub.poll() is not None and stopping["signal"] is None:
            print(f"!! JupyterHub stopped by itself (exit code {hub.returncode}); see {log}", flush=True)
            code = 1
    except RoomError:
        code = 1
        raise
    finally:
        print("\n==> stopping the room: learners' servers, proxy and hub ...", flush=True)
        if hub.poll() is None:
            hub.send_signal(signal.SIGTERM)
            try:
                hub.wait(timeout=45)
            except subprocess.TimeoutExpired:
                hub.kill()
                hub.wait()
        left = kill_room_processes(room_id)
        remaining = len(room_processes(room_id))
        if remaining:
            print(f"!! {remaining} room processes could not be stopped", flush=True)
            code = code or 1
        else:
            extra = f" (had to stop {left} stragglers)" if left else ""
            print(f"==> room stopped: no room processes left{extra}", flush=True)
    return code


def forget(args: argparse.Namespace) -> int:
    sys.path.insert(0, str(HERE))
    from cx_room_hub import PasswordStore

    store = PasswordStore(Path(args.state) / "secrets" / "learners.json")
    name = args.name.strip().lower()
    if store.forget(name):
        print(f"==> {name} can now sign in with the room password and choose a new password; their files are kept")
        return 0
    print(f"No learner called {name!r} has signed in to the room in {args.state}.", file=sys.stderr)
    return 2


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        prog="make room",
        description=__doc__.split("\n\n")[0],
    )
    ap.add_argument(
        "--state",
        default=str(DEFAULT_STATE),
        help="folder for the room's database, secrets and learners' folders (default: .room)",
    )
    sub = ap.add_subparsers(dest="command")
    sub.add_parser("start", help="start the room (the default)")
    fg = sub.add_parser("forget", help="clear a learner's personal password so they can set a new one")
    fg.add_argument("name")
    ap.add_argument("--ip", help="address or interface to listen on; by default this machine's local-network address")
    ap.add_argument(
        "--port", type=int, default=8000, help="port learners connect to (default: 8000; 0 = any free port)"
    )
    ap.add_argument(
        "--max-kernels", type=int, default=2, help="running notebooks (kernels) allowed per learner (default: 2)"
    )
    ap.add_argument("--max-learners", type=int, default=40, help="learners' servers running at once (default: 40)")
    ap.add_argument(
        "--idle-minutes",
        type=int,
        default=30,
        help="shut down kernels idle this long with no open tab (default: 30; 0 = never)",
    )
    ap.add_argument("--password", help="use this room password instead of a generated one")
    ap.add_argument("--new-password", action="store_true", help="generate a new room password")
    ap.add_argument("--with-solutions", action="store_true", help="let learners call ex.qN.solution()")
    ap.add_argument("--no-qr", action="store_true", help="do not print the QR code")
    ap.add_argument(
        "--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING"], help="hub log level (default: INFO)"
    )
    args = ap.parse_args(argv)
    if args.max_kernels < 1 or args.max_learners < 1 or args.idle_minutes < 0:
        ap.error("--max-kernels and --max-learners must be at least 1, --idle-minutes at least 0")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        if args.command == "forget":
            return forget(args)
        return start(args)
    except RoomError as e:
        print(f"make room: {e}", file=sys.stderr, flush=True)
        return 2


if __name__ == "__main__":
    sys.exit(main())

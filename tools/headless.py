"""Drive a headless Chromium through the DevTools protocol: open pages, measure, print, capture.

The trainer kit prints slide decks and the answer key to PDF, and its tests open every
built page at 1280x720 to check that nothing overflows, that maths rendered and that
nothing was fetched from the network. All of that needs a real browser; this module
talks to the Chromium already on the machine (``apt-get install chromium``), with no
browser download and no extra package (``websocket-client`` comes with Jupyter).

Chromium is found from the ``CX_CHROMIUM`` environment variable, then ``chromium``,
``chromium-browser``, ``google-chrome`` on the PATH, then the usual macOS location.
It runs with a fresh profile, no sandbox (the machines run as root), no background
networking, and every host name resolved to nothing, so a page cannot fetch from the
network even by mistake; :attr:`Chromium.requests` records every URL a page asked for.

Usage::

    with Chromium(1280, 720) as browser:
        browser.goto(Path("slides/05_nps_pitfalls.html").resolve().as_uri())
        n = browser.evaluate("document.querySelectorAll('.slide').length")
        browser.pdf(Path("handouts/05_nps_pitfalls.pdf"))
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

__all__ = ["Chromium", "find_chromium", "launch", "stop", "BrowserError", "FLAGS"]

_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
_MACOS = "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"


class BrowserError(RuntimeError):
    """Chromium is missing, did not start, or a page failed."""


def find_chromium() -> str | None:
    """The path of a Chromium (or Chrome) executable, or None."""
    env = os.environ.get("CX_CHROMIUM")
    if env:
        return env if Path(env).exists() or shutil.which(env) else None
    for name in _CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return _MACOS if Path(_MACOS).exists() else None


#: How the course runs Chromium: headless, no sandbox (the machines run as root), nothing
#: fetched in the background, no first-run or sync, no extensions, no sound, no scrollbars.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--mute-audio",
    "--hide-scrollbars",
]


def launch(
    executable: str, width: int = 1280, height: int = 720, timeout: float = 60.0, *, block_hosts: bool = True
) -> tuple[subprocess.Popen, str, int, str]:
    """Start Chromium with a fresh profile and the DevTools protocol on a free port.

    Parameters
    ----------
    executable : str
        The Chromium (or Chrome) executable (:func:`find_chromium`).
    width, height : int
        The window size in CSS pixels.
    timeout : float
        Seconds to wait for the browser to start.
    block_hosts : bool
        Resolve every host name to nothing, so that a page cannot fetch from the network
        (addresses such as 127.0.0.1 still work).

    Returns
    -------
    tuple of (subprocess.Popen, str, int, str)
        The process, its profile folder (remove it with :func:`stop`), the DevTools port and
        the path of the browser's DevTools WebSocket.
    """
    profile = tempfile.mkdtemp(prefix="cx-chromium-")
    args = [executable, *FLAGS, *(["--host-resolver-rules=MAP * ~NOTFOUND"] if block_hosts else [])]
    args += [
        f"--user-data-dir={profile}",
        "--remote-debugging-port=0",
        f"--window-size={width},{height}",
        "about:blank",
    ]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    port_file = Path(profile) / "DevToolsActivePort"
    deadline = time.monotonic() + timeout
    while not (port_file.exists() and len(port_file.read_text().splitlines()) >= 2):
        if proc.poll() is not None or time.monotonic() > deadline:
            stop(proc, profile)
            raise BrowserError(f"Chromium ({executable}) did not start.")
        time.sleep(0.05)
    port, path = port_file.read_text().splitlines()[:2]
    return proc, profile, int(port), path


def stop(proc: subprocess.Popen | None, profile: str | Path = "") -> None:
    """End a browser started by :func:`launch` (terminate, then kill) and remove its profile."""
    if proc is not None and proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
    if profile:
        shutil.rmtree(profile, ignore_errors=True)


class Chromium:
    """One headless Chromium with one page, driven over the DevTools protocol."""

    def __init__(
        self, width: int = 1280, height: int = 720, executable: str | None = None, timeout: float = 60.0
    ) -> None:
        self.width, self.height, self.timeout = width, height, timeout
        self.executable = executable or find_chromium()
        if not self.executable:
            raise BrowserError(
                "Chromium was not found. Install it (Debian/Ubuntu: apt-get install -y chromium; "
                "macOS: install Google Chrome) or set CX_CHROMIUM to its path."
            )
        self.requests: list[str] = []
        self._id = 0
        self._events: list[dict] = []

    # --- start and stop ---------------------------------------------------------------
    def __enter__(self) -> Chromium:
        import websocket  # websocket-client, installed with Jupyter

        self._proc, self._profile, port, _ = launch(self.executable, self.width, self.height, self.timeout)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as r:
            targets = json.load(r)
        page = next(t for t in targets if t.get("type") == "page")
        self._ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=self.timeout, suppress_origin=True)
        self.send("Page.enable")
        self.send("Network.enable")
        self.send("Runtime.enable")
        self.viewport(self.width, self.height)
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop()

    def _stop(self) -> None:
        ws = getattr(self, "_ws", None)
        if ws is not None:
            try:
                ws.close()
            except Exception:  # closing a dead socket: nothing left to do
                pass
        stop(getattr(self, "_proc", None), getattr(self, "_profile", ""))

    # --- the protocol -----------------------------------------------------------------
    def send(self, method: str, params: dict | None = None) -> dict:
        """Send one DevTools command and return its result (events are kept)."""
        self._id += 1
        self._ws.send(json.dumps({"id": self._id, "method": method, "params": params or {}}))
        while True:
            msg = json.loads(self._ws.recv())
            if msg.get("id") == self._id:
                if "error" in msg:
                    raise BrowserError(f"{method}: {msg['error'].get('message')}")
                return msg.get("result", {})
            self._event(msg)

    def _event(self, msg: dict) -> None:
        if msg.get("method") == "Network.requestWillBeSent":
            self.requests.append(msg["params"]["request"]["url"])
        self._events.append(msg)

    def _wait_event(self, name: str) -> dict:
        deadline = time.monotonic() + self.timeout
        for i, ev in enumerate(self._events):
            if ev.get("method") == name:
                return self._events.pop(i)
        while time.monotonic() < deadline:
            msg = json.loads(self._ws.recv())
            if msg.get("method") == name:
                self._event(msg)
                self._events.remove(msg)
                return msg
            self._event(msg)
        raise BrowserError(f"timed out waiting for {name}")

    # --- what the kit needs -----------------------------------------------------------
    def viewport(self, width: int, height: int) -> None:
        """Emulate a screen of ``width`` x ``height`` CSS pixels."""
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )

    def goto(self, url: str) -> None:
        """Open ``url`` and wait for its load event and its fonts."""
        self._events.clear()
        result = self.send("Page.navigate", {"url": url})
        if result.get("errorText"):
            raise BrowserError(f"could not open {url}: {result['errorText']}")
        if result.get("loaderId"):  # a new document (not a jump to #fragment within the same one)
            self._wait_event("Page.loadEventFired")
        self.evaluate("document.fonts.ready.then(() => true)")

    def evaluate(self, expression: str) -> Any:
        """Evaluate JavaScript in the page; returns its (JSON) value, awaiting promises."""
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in result:
            detail = result["exceptionDetails"]
            raise BrowserError(
                f"JavaScript error: {detail.get('exception', {}).get('description') or detail.get('text')}"
            )
        return result.get("result", {}).get("value")

    def screenshot(self, path: Path) -> Path:
        """Save what the viewport shows as a PNG."""
        data = self.send("Page.captureScreenshot", {"format": "png"})["data"]
        Path(path).write_bytes(base64.b64decode(data))
        return Path(path)

    def pdf(self, path: Path, **options: Any) -> Path:
        """Print the page to PDF (the page's own @page size and margins; backgrounds printed)."""
        params = {"printBackground": True, "preferCSSPageSize": True, "displayHeaderFooter": False}
        params.update(options)
        data = self.send("Page.printToPDF", params)["data"]
        Path(path).write_bytes(base64.b64decode(data))
        return Path(path)

    def remote_requests(self) -> list[str]:
        """Every URL the pages opened so far asked for that is not a local file or inline data."""
        return [u for u in self.requests if not u.startswith(("file:", "data:", "about:", "blob:"))]

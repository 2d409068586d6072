"""A small headless-Chromium driver over the DevTools protocol, for tests.

Why not Playwright: its Python package drives the browser through a bundled Node.js
program and is pinned to its own browser builds; the course runs on the system's Chromium
(``apt-get install chromium``) and this needs only ``websocket-client``, which Jupyter
already installs.

Each :class:`Page` lives in its own browser context (own cookies), so one browser can
hold several signed-in learners at once.
"""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path
from typing import Any

import websocket
from conftest import load_tool

# Starting and stopping Chromium (its flags, a fresh profile, the DevTools port) is tools/headless.py's
# one launcher, shared with the trainer kit; this module adds isolated pages for several learners.
headless = load_tool("headless")
CHROMIUM = "/usr/bin/chromium"


class CDPError(RuntimeError):
    """The browser answered a command with an error, or a wait timed out."""


class Browser:
    """A headless Chromium started with a fresh profile; use as a context manager."""

    def __init__(self, executable: str = CHROMIUM, timeout: float = 30.0) -> None:
        try:
            self.proc, self.profile, port, path = headless.launch(executable, 1280, 800, timeout, block_hosts=False)
        except headless.BrowserError as exc:
            raise CDPError(str(exc)) from None
        self.ws = websocket.create_connection(f"ws://127.0.0.1:{port}{path}", timeout=timeout, suppress_origin=True)
        self._id = 0

    def send(self, method: str, params: dict | None = None, session: str | None = None, timeout: float = 60.0) -> dict:
        """Send one command and return its result (events received meanwhile are dropped)."""
        self._id += 1
        msg: dict[str, Any] = {"id": self._id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        self.ws.send(json.dumps(msg))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.ws.settimeout(max(0.1, deadline - time.monotonic()))
            reply = json.loads(self.ws.recv())
            if reply.get("id") == self._id:
                if "error" in reply:
                    raise CDPError(f"{method}: {reply['error']}")
                return reply.get("result", {})
        raise CDPError(f"{method}: no answer in {timeout} s")

    def new_page(self, width: int = 1280, height: int = 800) -> Page:
        """A new tab in a new, isolated browser context (its own cookies)."""
        ctx = self.send("Target.createBrowserContext", {"disposeOnDetach": True})["browserContextId"]
        target = self.send("Target.createTarget", {"url": "about:blank", "browserContextId": ctx})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        page = Page(self, session)
        page.call("Page.enable")
        page.call("Runtime.enable")
        page.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )
        page.call("Emulation.setFocusEmulationEnabled", {"enabled": True})
        return page

    def close(self) -> None:
        try:
            if getattr(self, "ws", None):
                try:
                    self.send("Browser.close", timeout=5)
                except Exception:
                    pass
                self.ws.close()
        finally:
            headless.stop(self.proc, self.profile)

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Page:
    """One tab: navigate, evaluate JavaScript, wait, click, type and take screenshots."""

    def __init__(self, browser: Browser, session: str) -> None:
        self.browser = browser
        self.session = session

    def call(self, method: str, params: dict | None = None, timeout: float = 60.0) -> dict:
        return self.browser.send(method, params, session=self.session, timeout=timeout)

    def goto(self, url: str) -> None:
        self.call("Page.navigate", {"url": url})
        self.wait_for("document.readyState === 'complete' && location.href !== 'about:blank'")

    def js(self, expression: str, timeout: float = 60.0) -> Any:
        """Evaluate ``expression`` (promises awaited) and return its JSON value."""
        res = self.call(
            "Runtime.evaluate", {"expression": expression, "awaitPromise": True, "returnByValue": True}, timeout=timeout
        )
        if "exceptionDetails" in res:
            raise CDPError(f"JavaScript error: {res['exceptionDetails']}")
        return res["result"].get("value")

    def wait_for(self, condition: str, timeout: float = 30.0, interval: float = 0.2) -> Any:
        """Poll the JavaScript ``condition`` until it is truthy; return its value."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                value = self.js(condition)
            except CDPError:
                value = None  # page navigating
            if value:
                return value
            if time.monotonic() > deadline:
                raise CDPError(f"timed out after {timeout} s waiting for: {condition}")
            time.sleep(interval)

    def click(self, selector: str, text: str | None = None) -> None:
        """A real mouse click at the centre of the first element matching ``selector``
        (and, if given, whose visible text is ``text``)."""
        find = (
            f"Array.from(document.querySelectorAll({json.dumps(selector)}))"
            f".find(e => {json.dumps(text)} === null || e.innerText.trim() === {json.dumps(text)})"
        )
        box = self.wait_for(
            f"(() => {{ const e = {find}; if (!e) return null;"
            " e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();"
            " return r.width ? {x: r.x + r.width / 2, y: r.y + r.height / 2} : null; })()"
        )
        self.call("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": box["x"], "y": box["y"]})
        for kind in ("mousePressed", "mouseReleased"):
            self.call(
                "Input.dispatchMouseEvent",
                {"type": kind, "x": box["x"], "y": box["y"], "button": "left", "clickCount": 1},
            )

    def press(self, key: str = "Enter", shift: bool = False) -> None:
        """Press and release a key (only Enter and Escape are mapped)."""
        codes = {"Enter": 13, "Escape": 27}
        for kind in ("rawKeyDown", "keyUp"):
            params = {
                "type": kind,
                "key": key,
                "code": key,
                "windowsVirtualKeyCode": codes[key],
                "modifiers": 8 if shift else 0,
            }
            self.call("Input.dispatchKeyEvent", params)
        if key == "Enter" and not shift:
            self.call("Input.dispatchKeyEvent", {"type": "char", "text": "\r"})

    XSRF = "((document.cookie.match(/(?:^|; )_xsrf=([^;]*)/) || [])[1] || '')"

    def fetch_status(self, url: str) -> tuple[int, str]:
        """GET ``url`` from the page as its own scripts would (its cookies and the XSRF
        header Jupyter expects); the final status (after redirects) and the body text."""
        return tuple(
            self.js(
                f"fetch({json.dumps(url)}, {{credentials: 'same-origin', headers: {{'X-XSRFToken': {self.XSRF}}}}})"
                ".then(async r => [r.status, await r.text()])"
            )
        )

    def screenshot(self, path: str | Path) -> Path:
        data = self.call("Page.captureScreenshot", {"format": "png"})["data"]
        path = Path(path)
        path.write_bytes(base64.b64decode(data))
        return path

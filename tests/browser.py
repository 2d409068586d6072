"""Shared helpers for the tests that open built pages in headless Chromium.

Chromium is found by ``tools/headless.py``. Where there is none, the browser tests are
skipped with the reason, except under CI (``CI`` set), where a missing browser fails:
CI must install it (``apt-get install -y chromium``).
"""

from __future__ import annotations

import os

import pytest
from conftest import load_tool

headless = load_tool("headless")

#: JavaScript: formulas left as LaTeX in the visible text (outside code), and how MathML is drawn.
MATH_JS = r"""
(() => {
  const clone = document.body.cloneNode(true);
  clone.querySelectorAll('pre, code, script, style, .highlight, math').forEach(e => e.remove());
  const text = clone.innerText || clone.textContent;
  const raw = [];
  const rx = /\$\$[^$]+\$\$|(?<![\w$\\])\$[^\s$][^$\n]*?[^\s$\\]\$(?!\d)|(?<![\w$\\])\$[^\s$\d]\$|\\\(.+?\\\)|\\\[.+?\\\]/g;
  let m; while ((m = rx.exec(text))) raw.push(m[0].slice(0, 60));
  const maths = [...document.querySelectorAll('math')];
  return {raw, count: maths.length,
          notDrawn: maths.filter(e => !['math', 'block math', 'inline math'].includes(getComputedStyle(e).display)
                                     || e.getBoundingClientRect().height === 0).length};
})()
"""


def chromium_or_skip():
    """A started :class:`Chromium` context manager, or skip (fail under CI) if there is none."""
    if headless.find_chromium() is None:
        message = "Chromium is not installed (apt-get install -y chromium, or set CX_CHROMIUM)"
        if os.environ.get("CI"):
            pytest.fail(message + ": CI must install it")
        pytest.skip(message)
    return headless.Chromium(1280, 720)

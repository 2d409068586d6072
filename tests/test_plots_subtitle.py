"""A finding's subtitle is drawn: it sits above the Axes, so it must not be clipped to them."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np

from cxlib.teaching import plots


def _pixels(title: str, subtitle: str | None) -> np.ndarray:
    fig, ax = plt.subplots(figsize=(4, 3), dpi=50)
    ax.plot([0, 1], [0, 1])
    plots.finding(ax, title, subtitle)
    fig.canvas.draw()
    out = np.asarray(fig.canvas.buffer_rgba()).copy()
    plt.close(fig)
    return out


def test_the_subtitle_of_a_finding_is_drawn():
    # the same title layout (a free second line), with and without the grey subtitle in it
    with_subtitle = _pixels("A finding", "what its interval says")
    without = _pixels("A finding\n", None)
    assert not np.array_equal(with_subtitle, without)


def test_a_one_line_title_set_later_hides_the_subtitle():
    fig, ax = plt.subplots(figsize=(4, 3), dpi=50)
    plots.finding(ax, "A finding", "what its interval says")
    ax.set_title("The lesson's own title", loc="left")
    fig.canvas.draw()
    hidden = np.asarray(fig.canvas.buffer_rgba()).copy()
    plt.close(fig)
    fig, ax = plt.subplots(figsize=(4, 3), dpi=50)
    ax.set_title("The lesson's own title", loc="left")
    fig.canvas.draw()
    plain = np.asarray(fig.canvas.buffer_rgba()).copy()
    plt.close(fig)
    assert np.array_equal(hidden, plain)

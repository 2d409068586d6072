"""A finding's subtitle is drawn above the axes (it was clipped away once, silently)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
from conftest import run_python

from cxlib.teaching import plots


def _pixels(fig) -> np.ndarray:
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba()).copy()


def test_a_finding_s_subtitle_is_drawn_and_a_second_finding_replaces_it():
    fig, ax = plt.subplots()
    plots.finding(ax, "A chart's own title", "its subtitle")
    plots.finding(ax, "The lesson's title", "the lesson's subtitle")
    subtitles = [t for t in ax.texts if t.get_gid() == "cx-subtitle"]
    assert [t.get_text() for t in subtitles] == ["the lesson's subtitle"]
    shown = _pixels(fig)
    subtitles[0].set_visible(False)
    assert (shown != _pixels(fig)).any()  # the subtitle put ink on the figure
    plt.close(fig)


def test_a_one_line_title_set_afterwards_hides_the_subtitle_instead_of_overwriting_it():
    fig, ax = plt.subplots()
    plots.finding(ax, "A chart's own title", "its subtitle")
    ax.set_title("A lesson's one-line title", loc="left")
    before = _pixels(fig)
    [t.set_visible(False) for t in ax.texts if t.get_gid() == "cx-subtitle"]
    assert (before == _pixels(fig)).all()
    plt.close(fig)


def test_a_hidden_subtitle_takes_no_room_in_the_saved_figure():
    """A hidden subtitle once widened every tight PNG by its length (a blank band on the right)."""
    fig, ax = plt.subplots(figsize=(4, 3))
    plots.finding(ax, "A chart's own title", "a long subtitle " * 12)
    shown = fig.get_tightbbox().width
    ax.set_title("A one-line title", loc="left")
    hidden = fig.get_tightbbox().width
    [t.set_visible(False) for t in ax.texts if t.get_gid() == "cx-subtitle"]
    assert hidden == fig.get_tightbbox().width < shown
    plt.close(fig)


def test_use_style_draws_inline_figures_once():
    """In a notebook, pyplot's redraw after each cell is taken out: the inline backend's own
    render (the PNG shown) is the only one. Run in a fresh interpreter with an IPython shell."""

    code = (
        "import matplotlib\n"
        "matplotlib.use('module://matplotlib_inline.backend_inline')\n"
        "from IPython.core.interactiveshell import InteractiveShell\n"
        "shell = InteractiveShell.instance()\n"
        "import matplotlib.pyplot as plt\n"
        "plt.install_repl_displayhook()\n"
        "hooks = shell.events.callbacks['post_execute']\n"
        "assert plt._draw_all_if_interactive in hooks\n"
        "from cxlib.teaching import plots\n"
        "plots.use_style(); plots.use_style()\n"
        "assert plt._draw_all_if_interactive not in shell.events.callbacks['post_execute']\n"
        "plt.switch_backend('module://matplotlib_inline.backend_inline')\n"
        "assert plt._draw_all_if_interactive not in shell.events.callbacks['post_execute']\n"
        "print('ok')\n"
    )
    assert run_python(code).strip() == "ok"


def test_business_case_axis_names_the_interval_level():
    from cxlib.analytics.economics import business_case as bc
    from cxlib.teaching.plots.economics import business_case

    case = bc([0.5, 0.2, 0.05], 200, offer_cost=10, success_rate=0.3, n_draws=200, level=0.8, seed=0)
    axes = business_case(case)
    assert axes[0].get_ylabel() == "thousand USD (80% predictive interval)"
    plt.close("all")

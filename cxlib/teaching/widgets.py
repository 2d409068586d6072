"""Small interactive helpers built on ipywidgets.

A lesson's interactive part must also read well where widgets do not run (nbval, the
HTML site, slides, a code host). Lessons therefore draw a static figure or table next
to every widget, and use :func:`live` to wire controls to what they show.

Examples
--------
>>> import ipywidgets as widgets
>>> seen = []
>>> slider = widgets.IntSlider(value=30, min=10, max=100)
>>> box = live(lambda n: seen.append(n), slider)
>>> slider.value = 60
>>> seen
[30, 60]
>>> len(box.children)   # the control, then the output it drives
2
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as widgets
import pandas as pd

from cxlib.analytics.personas import Segmenter, persona_cards
from cxlib.features import DEFAULT_FEATURES

__all__ = ["live", "explore"]


def _in_kernel() -> bool:
    """True inside a Jupyter kernel (where an Output widget captures what is printed)."""
    from IPython import get_ipython

    return getattr(get_ipython(), "kernel", None) is not None


def live(render: Callable[..., Any], *controls: widgets.ValueWidget) -> widgets.VBox:
    """Controls above an output that ``render`` redraws whenever a control changes.

    Parameters
    ----------
    render : callable
        Called with the controls' current values, in order; it prints or plots. It
        runs once straight away, so the first view needs no interaction.
    *controls : ipywidgets value widgets
        Sliders, text boxes, dropdowns, ...

    Returns
    -------
    ipywidgets.VBox
        The controls and the output; display it (or make it a cell's last line).
    """
    out = widgets.Output()

    def update(change=None) -> None:
        with out:
            if _in_kernel():  # outside a kernel there is nothing to clear (and it would print escape codes)
                out.clear_output(wait=True)
            render(*(c.value for c in controls))

    for control in controls:
        control.observe(update, names="value")
    update()
    return widgets.VBox([*controls, out])


# ----------------------------------------------------------------------------------
# interactive explorer
# ----------------------------------------------------------------------------------
def explore(
    features: pd.DataFrame,
    options: Sequence[str] | None = None,
    default: Sequence[str] | None = None,
    *,
    k: int = 4,
    random_state: int = 0,
):
    """An ipywidgets explorer: pick features and k, see the profile heat map and cards.

    Returns the widget (display it in a notebook). The lesson also shows a static
    figure so it reads well where widgets do not render.

    Parameters
    ----------
    features : pandas.DataFrame
        One row per customer, numeric feature columns.
    options : sequence of str, optional
        The features a learner may pick (default: those of :data:`cxlib.features.DEFAULT_FEATURES` in ``features``).
    default : sequence of str, optional
        The features picked at the start (default: every option).
    k : int
        The number of segments at the start.
    random_state : int
        Seed of k-means.

    Returns
    -------
    ipywidgets.VBox
        The widget.
    """
    import ipywidgets as w
    import matplotlib.pyplot as plt
    from IPython.display import display

    options = list(options or [c for c in DEFAULT_FEATURES if c in features.columns])
    default = [c for c in (default or options) if c in options]
    pick = w.SelectMultiple(options=options, value=tuple(default), rows=min(10, len(options)), description="features")
    kk = w.IntSlider(value=k, min=2, max=8, description="segments k")

    def draw(features_picked: tuple[str, ...], k_value: int) -> None:
        if len(features_picked) < 2:
            print("Pick at least two features.")
            return
        seg = Segmenter(k=k_value, feature_columns=list(features_picked), random_state=random_state).fit(features)
        fig, ax = plt.subplots(figsize=(1.0 + 0.75 * len(features_picked), 1.2 + 0.55 * k_value))
        from cxlib.teaching import plots

        plots.personas.profile(seg, ax=ax)
        plt.show()
        display(persona_cards(features, seg.labels_, z=seg.centers_z_))

    box = live(draw, pick, kk)
    return w.VBox([w.HBox([pick, kk]), box.children[-1]])

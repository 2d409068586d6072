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

from typing import Any, Callable

import ipywidgets as widgets

__all__ = ["live"]


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

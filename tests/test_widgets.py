"""cxlib.widgets: controls wired to the output they redraw."""
from __future__ import annotations

import ipywidgets as widgets

from cxlib.widgets import live


def test_live_renders_at_once_and_on_every_change_with_all_values_in_order():
    calls = []
    a = widgets.IntSlider(value=1, min=0, max=10)
    b = widgets.Dropdown(options=["x", "y"], value="x")
    box = live(lambda n, s: calls.append((n, s)), a, b)
    a.value = 5
    b.value = "y"
    assert calls == [(1, "x"), (5, "x"), (5, "y")]
    assert box.children[:2] == (a, b) and isinstance(box.children[2], widgets.Output)


def test_each_render_starts_from_an_empty_output():
    slider = widgets.IntSlider(value=1)
    box = live(lambda n: None, slider)
    out = box.children[-1]
    out.outputs = ({"output_type": "stream", "name": "stdout", "text": "old"},)
    slider.value = 2
    assert out.outputs == ()

"""cxlib.teaching.widgets: controls wired to the output they redraw."""

from __future__ import annotations

import ipywidgets as widgets

from cxlib.teaching.widgets import live


def test_live_renders_at_once_and_on_every_change_with_all_values_in_order():
    calls = []
    a = widgets.IntSlider(value=1, min=0, max=10)
    b = widgets.Dropdown(options=["x", "y"], value="x")
    box = live(lambda n, s: calls.append((n, s)), a, b)
    a.value = 5
    b.value = "y"
    assert calls == [(1, "x"), (5, "x"), (5, "y")]
    assert box.children[:2] == (a, b) and isinstance(box.children[2], widgets.Output)


def test_each_render_clears_the_output_first_inside_a_kernel(monkeypatch):
    from cxlib.teaching import widgets as cw

    cleared = []
    monkeypatch.setattr(cw, "_in_kernel", lambda: True)
    monkeypatch.setattr(widgets.Output, "clear_output", lambda self, wait=False: cleared.append(wait))
    slider = widgets.IntSlider(value=1)
    live(lambda n: None, slider)
    slider.value = 2
    assert cleared == [True, True]


def test_outside_a_kernel_nothing_is_cleared(monkeypatch):
    cleared = []
    monkeypatch.setattr(widgets.Output, "clear_output", lambda self, wait=False: cleared.append(wait))
    live(lambda n: None, widgets.IntSlider(value=1))
    assert cleared == []

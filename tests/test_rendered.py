"""Stored renderings of the lessons' figures (cxlib.teaching.plots._rendered, issue 17 item 5).

The notebooks themselves run under ``CX_RENDERED=check`` in the test suite (tests/conftest.py):
every figure is drawn and compared with its stored PNG, and the run fails on a difference.
These tests check the key and the printer.
"""

from __future__ import annotations

import base64
import functools
import io
import json
import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pytest
from conftest import run_python
from IPython.core import pylabtools
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from cxlib.teaching import plots
from cxlib.teaching.plots import _rendered

DRAW = """
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from cxlib.teaching import plots
from cxlib.teaching.plots import _rendered
plots.use_style()
fig, axes = plt.subplots(1, 2)
axes[0].plot([1, 2, 3], [3, 1, 2], label="a line")
axes[0].legend()
axes[1].bar(["x", "y"], [2.5, 1.0])
axes[1].set_title("bars")
fig.colorbar(axes[1].scatter([1], [1], c=[0.5]), ax=axes[1])
print(_rendered.figure_key(fig, fmt="png", bbox_inches="tight"))
"""


def _figure(title="a figure", y=(3, 1, 2)):
    plots.use_style()
    fig, ax = plt.subplots()
    ax.plot([1, 2, 3], list(y), label="a line")
    ax.set_title(title)
    ax.legend()
    return fig


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_the_same_figure_has_the_same_key_in_every_process():
    """Matplotlib's transforms keep parents by id(); the key relabels them, and hash seeds do not matter."""
    keys = {run_python(DRAW, env={"PYTHONHASHSEED": seed}).strip() for seed in ("1", "2", "random")}
    assert len(keys) == 1 and len(keys.pop()) == 64


@pytest.mark.parametrize(
    "change",
    [
        lambda fig: fig.axes[0].set_title("another title"),
        lambda fig: fig.axes[0].lines[0].set_ydata([3, 1, 2.000001]),
        lambda fig: fig.axes[0].lines[0].set_color("red"),
        lambda fig: fig.set_dpi(150),
        lambda fig: fig.set_size_inches(8, 3),
        lambda fig: matplotlib.rcParams.__setitem__("lines.dash_joinstyle", "miter"),
    ],
    ids=["title", "data", "colour", "dpi", "size", "a setting"],
)
def test_anything_the_png_depends_on_changes_the_key(change):
    with matplotlib.rc_context():
        fig = _figure()
        before = _rendered.figure_key(fig, fmt="png")
        change(fig)
        assert _rendered.figure_key(fig, fmt="png") != before
    assert _rendered.figure_key(fig, fmt="png", bbox_inches="tight") != _rendered.figure_key(fig, fmt="png")


def test_a_figure_that_cannot_be_pickled_has_no_key():
    fig = _figure()
    fig.axes[0].yaxis.set_major_formatter(FuncFormatter(lambda v, pos: f"{v:.0f} %"))
    assert _rendered.figure_key(fig, fmt="png") is None


def _percent(v, pos):
    return f"{v:.0f} %"


def test_a_figure_naming_notebook_code_has_no_key(monkeypatch):
    """A function defined in the notebook can be redefined under the same name: such a figure is drawn."""
    fig = _figure()
    fig.axes[0].yaxis.set_major_formatter(FuncFormatter(_percent))
    assert _rendered.figure_key(fig, fmt="png") is not None  # a test module's function: keyed by its source
    monkeypatch.setattr(_percent, "__module__", "__main__")
    assert _rendered.figure_key(fig, fmt="png") is None


def test_a_changed_drawing_function_changes_the_key(tmp_path, monkeypatch):
    """The pickle names a formatter by reference; the key holds its module's source, so an edit draws afresh."""
    module = tmp_path / "cx_formatting_probe.py"
    module.write_text("def fmt(v, pos):\n    return f'{v:.0f} %'\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    import cx_formatting_probe

    fig = _figure()
    fig.axes[0].yaxis.set_major_formatter(FuncFormatter(cx_formatting_probe.fmt))
    before = _rendered.figure_key(fig, fmt="png")
    module.write_text("def fmt(v, pos):\n    return f'{v:.1f} %'\n")
    import os

    os.utime(module, ns=(1, 1))  # another modification time, as an edit gives
    assert before is not None and _rendered.figure_key(fig, fmt="png") != before


def test_a_failing_key_draws_the_figure(monkeypatch):
    """The lookup never stops a figure from being shown: any failure in the key means no key."""

    def broken(fig):
        raise AttributeError("a private matplotlib function changed")

    monkeypatch.setattr(_rendered, "_fonts", broken)
    assert _rendered.figure_key(_figure(), fmt="png") is None


def test_the_fonts_matplotlib_ships_are_named_by_their_place_in_it():
    fonts = _rendered._fonts(_figure())
    assert fonts and all(name.startswith("fonts/ttf/") for name, _ in fonts), fonts


def test_the_key_does_not_make_ticks_and_counts_their_labels_font():
    """Asking an axis for its ticks runs its locator and makes every tick (5-20 ms a figure, wasted
    when the stored PNG is shown): the key reads the ticks already made, or their labels' font."""
    fig = _figure()
    axis = fig.axes[0].xaxis
    made = len(axis.get_major_ticks(1))  # matplotlib makes one when the axes are made
    before = _rendered.figure_key(fig, fmt="png")
    assert len(vars(axis)["majorTicks"]) == made, "the key made the ticks"
    fonts = _rendered._fonts(fig)
    axis.get_major_ticks()  # every tick made now (as drawing does): the same fonts
    assert _rendered._fonts(fig) == fonts
    fig.axes[0].tick_params(labelfontfamily="monospace")
    mono = _rendered._fonts(fig)
    assert mono != fonts and any("Mono" in name for name, _ in mono), mono
    assert _rendered.figure_key(fig, fmt="png") != before
    for ax in (axis, fig.axes[0].yaxis):  # no tick made yet (matplotlib's lazy state): the font still counts
        vars(ax).pop("majorTicks")
        vars(ax).pop("minorTicks", None)
    assert _rendered._fonts(fig) == mono and "majorTicks" not in vars(axis)


def _printer(base64_=False):
    calls = []

    def draw(fig, fmt="png", bbox_inches=None, base64=False):
        calls.append(fig)
        return pylabtools.print_figure(fig, fmt, bbox_inches=bbox_inches, base64=False)

    draw_partial = functools.partial(draw, fmt="png", bbox_inches="tight", base64=base64_)
    return _rendered._Stored(draw_partial), calls


@pytest.mark.parametrize("encoded", [False, True])
def test_record_then_use_gives_the_drawn_png_without_drawing(tmp_path, monkeypatch, encoded):
    monkeypatch.setenv("CX_RENDERED_STORE", str(tmp_path))
    printer, calls = _printer(encoded)
    monkeypatch.setenv("CX_RENDERED", "record")
    fig = _figure()
    drawn = printer(fig)
    assert len(calls) == 1 and len(list(tmp_path.glob("*.png"))) == 1
    monkeypatch.setenv("CX_RENDERED", "use")
    assert printer(_figure()) == drawn and len(calls) == 1  # the same figure, built again: looked up
    png = base64.b64decode(drawn) if encoded else drawn
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    printer(_figure(title="not stored"))
    assert len(calls) == 2  # another figure is drawn
    monkeypatch.setenv("CX_RENDERED", "off")
    printer(_figure())
    assert len(calls) == 3  # off: always drawn


def _store_and_report(tmp_path, monkeypatch):
    """A store and a report file of its own for the printer (as the test suite's notebook runs have)."""
    store, report = tmp_path / "store", tmp_path / "report.jsonl"
    monkeypatch.setenv("CX_RENDERED_STORE", str(store))
    monkeypatch.setenv("CX_RENDERED_REPORT", str(report))
    return store, report


def test_check_reports_same_different_and_missing(tmp_path, monkeypatch):
    store, report = _store_and_report(tmp_path, monkeypatch)
    printer, calls = _printer()
    monkeypatch.setenv("CX_RENDERED", "record")
    printer(_figure())
    printer(_figure(title="second"))
    stored = sorted(store.glob("*.png"))
    key = _rendered.figure_key(_figure(title="second"), fmt="png", bbox_inches="tight")
    (store / f"{key}.png").write_bytes(b"not this picture")
    monkeypatch.setenv("CX_RENDERED", "check")
    for title in ("a figure", "second", "third"):
        printer(_figure(title=title))
    verdicts = [json.loads(line)["verdict"] for line in report.read_text().splitlines()]
    assert verdicts == ["same", "different", "missing"] and len(calls) == 5 and len(stored) == 2


def test_check_compares_pixels_not_compressed_bytes(tmp_path, monkeypatch):
    """The same picture compressed otherwise (another zlib) is the same; one changed pixel is not."""
    from PIL import Image

    store, report = _store_and_report(tmp_path, monkeypatch)
    printer, _ = _printer()
    monkeypatch.setenv("CX_RENDERED", "record")
    printer(_figure())
    (path,) = store.glob("*.png")
    with Image.open(path) as im:
        im.load()
    buf = io.BytesIO()
    im.save(buf, format="png", compress_level=1)
    assert buf.getvalue() != path.read_bytes()
    path.write_bytes(buf.getvalue())
    monkeypatch.setenv("CX_RENDERED", "check")
    printer(_figure())
    im.putpixel((0, 0), (1, 2, 3, 255) if im.mode == "RGBA" else (1, 2, 3))
    buf = io.BytesIO()
    im.save(buf, format="png")
    path.write_bytes(buf.getvalue())
    printer(_figure())
    verdicts = [json.loads(line)["verdict"] for line in report.read_text().splitlines()]
    assert verdicts == ["same", "different"]


def test_an_unknown_mode_draws_with_one_warning(monkeypatch):
    monkeypatch.setenv("CX_RENDERED", "maybe")
    _rendered._warn_unknown.cache_clear()
    with pytest.warns(RuntimeWarning, match="CX_RENDERED='maybe' is not a mode .use one of use, off, record, check"):
        assert _rendered.mode() == "off"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert _rendered.mode() == "off"  # warned once


def test_install_wraps_only_the_plain_png_printer():
    from IPython.core.formatters import DisplayFormatter

    class Shell:
        display_formatter = DisplayFormatter()

    shell = Shell()
    assert _rendered.install(shell) is False  # no printer for figures: nothing to wrap
    png = shell.display_formatter.formatters["image/png"]
    png.for_type(Figure, functools.partial(pylabtools.print_figure, fmt="png", bbox_inches="tight", base64=True))
    assert _rendered.install(shell) is True and isinstance(png.lookup_by_type(Figure), _rendered._Stored)
    assert _rendered.install(shell) is True  # idempotent: not wrapped twice
    assert not isinstance(png.lookup_by_type(Figure).draw, _rendered._Stored)
    png.for_type(Figure, functools.partial(pylabtools.retina_figure, base64=True))
    assert _rendered.install(shell) is False  # a retina display: drawn as usual

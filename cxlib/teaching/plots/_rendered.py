"""Stored renderings of the lessons' figures: a notebook does not rasterise a figure it has shown before (private).

A lesson draws every figure as always (its data, its layout, every artist). Only the last step,
turning the finished figure into the PNG the notebook shows, is looked up: it takes 0.1-0.8 s
per figure, a third of a lesson's own time (issue 17 item 5). The key is a SHA-256 of

- the finished figure's whole state: its pickle (what matplotlib saves to restore a figure),
  with the object ids that matplotlib's transforms keep relabelled in order of appearance, so
  the same figure gives the same key in every process;
- matplotlib's settings (``rcParams``), the font files its text is drawn with, the renderer's
  arguments (format, bounding box, dpi), the versions of matplotlib, NumPy, Pillow and FreeType;
- the code the pickle names rather than holds (a formatter's function, an artist's class): the
  source of each such module of the course's own or another package (their version for
  matplotlib, NumPy and Pillow), so a changed drawing function draws afresh.

A figure that differs in anything its PNG depends on has another key and is drawn as usual, so
a learner's own data, a changed lesson or another library version simply draw afresh. A figure
is drawn too when it cannot be pickled (an artist holding a lambda, say), when it names code
defined in the notebook itself (a class or function from ``__main__``, which a learner can
redefine under the same name), or when anything in the key fails: the lookup never stops a figure
from being shown.

``CX_RENDERED`` (environment) chooses the mode: ``use`` (default) looks the PNG up; ``off``
always draws (as does an unknown value, with one warning); ``record`` draws and stores (``tools/precompute.py`` runs the lessons so);
``check`` draws, compares with the stored PNG and appends the verdict to the file named by
``CX_RENDERED_REPORT`` (the test suite runs the notebooks so, and fails on any difference).
``CX_RENDERED_STORE`` names another folder than :data:`STORE` (``tools/precompute.py`` records
into an empty one).
"""

from __future__ import annotations

import base64
import copyreg
import functools
import hashlib
import io
import json
import os
import pickle
import sys
import types
import warnings
from pathlib import Path
from typing import Any

__all__ = ["STORE", "figure_key", "install", "LIBRARIES"]

#: Where the renderings live: ``<key>.png``, one file per figure.
STORE = Path(__file__).with_name("rendered")
#: The libraries whose code turns a figure into PNG bytes.
LIBRARIES = ("matplotlib", "numpy", "pillow")
#: Top-level modules that :data:`LIBRARIES` names (their code is keyed by version, not source).
_VERSIONED = {"matplotlib", "mpl_toolkits", "numpy", "PIL"}
MODES = ("use", "off", "record", "check")


class _Unkeyable(Exception):
    """The figure names code that has no stable identity (defined in the notebook itself)."""


class _Pickler(pickle.Pickler):
    """A pickler whose output does not depend on where objects sit in memory.

    Matplotlib's transforms remember their parents in a dict keyed by ``id()``; those keys are
    replaced by their order of first appearance. A figure's number (pyplot's count of the
    figures opened so far) is left out: it is not drawn. The modules of the classes and
    functions pickled by name are collected in :attr:`modules`.
    """

    def __init__(self, file: io.BytesIO) -> None:
        super().__init__(file, protocol=5)
        self._labels: dict[int, int] = {}
        self.modules: set[str] = set()
        from matplotlib.figure import Figure
        from matplotlib.transforms import TransformNode

        self._node, self._figure = TransformNode, Figure

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, (type, types.FunctionType)):
            self.modules.add(obj.__module__)
            return NotImplemented
        if isinstance(obj, types.BuiltinFunctionType):  # a C function, or a method of the object it is bound to
            if isinstance(obj.__module__, str):
                self.modules.add(obj.__module__)
            return NotImplemented
        if isinstance(obj, self._node):
            state = obj.__getstate__()  # type: ignore[attr-defined]
            parents = state.get("_parents")
            if parents:
                state = {
                    **state,
                    "_parents": {self._labels.setdefault(k, len(self._labels)): v for k, v in parents.items()},
                }
        elif isinstance(obj, self._figure):
            state = {k: v for k, v in obj.__getstate__().items() if k != "_number"}  # type: ignore[attr-defined]
        else:
            return NotImplemented
        return copyreg.__newobj__, (type(obj),), state  # type: ignore[attr-defined]


def figure_key(fig: Any, **print_kwargs: Any) -> str | None:
    """The key of ``fig``'s rendering with ``print_kwargs``, or None when the figure cannot be pickled.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        A finished figure.
    **print_kwargs
        The renderer's arguments (``fmt``, ``bbox_inches``, ...), as IPython's ``print_figure`` takes them.

    Returns
    -------
    str or None
        A SHA-256 (hex) of everything the PNG depends on; None when the figure is to be drawn
        (it cannot be pickled, it names code defined in the notebook, or the key failed).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.plot([1, 2, 3])
    >>> a = figure_key(fig, fmt="png")
    >>> _ = ax.set_title("another figure")
    >>> a != figure_key(fig, fmt="png")
    True
    >>> plt.close(fig)
    """
    import matplotlib as mpl

    if mpl.rcParams["text.usetex"]:  # LaTeX, an outside program, draws the text
        return None
    try:
        buffer = io.BytesIO()
        pickler = _Pickler(buffer)
        pickler.dump(fig)
        h = hashlib.sha256(buffer.getbuffer())
        h.update(_context().encode())
        h.update(repr(_code(pickler.modules)).encode())
        h.update(repr(_fonts(fig)).encode())
        h.update(repr(sorted(print_kwargs.items())).encode())
        h.update(repr(sorted((k, repr(v)) for k, v in mpl.rcParams.items() if k != "backend")).encode())
    except Exception:  # not picklable, notebook code, or anything else: draw the figure
        return None
    return h.hexdigest()


@functools.cache
def _context() -> str:
    """The versions of the libraries that turn a figure into PNG bytes (fixed for a process)."""
    from matplotlib import ft2font

    from cxlib.analytics._precomputed import versions

    return json.dumps({**versions(LIBRARIES), "freetype": ft2font.__freetype_version__})


def _code(modules: set[str]) -> list[tuple[str, str]]:
    """What the code the figure names by reference looks like: a hash of each module's source.

    The standard library and :data:`LIBRARIES` are left out (their versions are in the key);
    a module without a source file (a notebook's ``__main__``) makes the figure unkeyable.
    """
    out = []
    for name in sorted(modules):
        top = name.partition(".")[0]
        if top in _VERSIONED or top in sys.stdlib_module_names or top == "builtins":
            continue
        module = sys.modules.get(name)
        file = getattr(module, "__file__", None)
        if name == "__main__" or not file:
            raise _Unkeyable(name)
        out.append((name, _source_hash(file, os.stat(file).st_mtime_ns)))
    return out


@functools.lru_cache(maxsize=256)
def _source_hash(file: str, mtime_ns: int) -> str:
    """SHA-256 of a source file (cached while its modification time stays the same)."""
    return hashlib.sha256(Path(file).read_bytes()).hexdigest()


def _fonts(fig: Any) -> list[tuple[str, int]]:
    """The font files the figure's text is drawn with (each text's font and its fallbacks).

    Those matplotlib ships are named by their place in it, so a machine with other fonts
    installed finds the same key when the figure uses only matplotlib's own fonts.
    """
    import matplotlib as mpl
    from matplotlib import font_manager

    shipped = Path(mpl.get_data_path())
    props: set[Any] = set()
    _text_props(fig, props)
    found = set()
    for prop in props:
        for font in font_manager.fontManager._find_fonts_by_props(prop):
            path = Path(os.fspath(font))
            found.add(
                (
                    path.relative_to(shipped).as_posix() if path.is_relative_to(shipped) else str(path),
                    getattr(font, "face_index", 0),
                )
            )
    return sorted(found)


def _text_props(artist: Any, props: set[Any]) -> None:
    """Add the font properties of every text in ``artist`` to ``props``, without making an axis' ticks.

    Asked for its ticks (``Figure.findobj`` asks), an axis runs its locator and makes every
    tick: 5-20 ms a figure, wasted when the stored PNG is shown. The ticks already made are
    read (those made at drawing copy the first one's label); with none made, their labels'
    font is counted: the axis' ``labelfontfamily`` (or the default).
    """
    from matplotlib.axis import Axis
    from matplotlib.font_manager import FontProperties
    from matplotlib.text import Text

    if isinstance(artist, Text):
        props.add(artist.get_fontproperties())
    if not isinstance(artist, Axis):
        children = artist.get_children()
    else:
        children = [artist.label, artist.offsetText]
        settings = vars(artist)  # its ticks, when made, and their settings (private to matplotlib: missing means none)
        for made, kw in (
            ("majorTicks", settings.get("_major_tick_kw", {})),
            ("minorTicks", settings.get("_minor_tick_kw", {})),
        ):
            if made in settings:  # made already: their own labels
                children += settings[made]
            else:
                props.add(FontProperties(family=kw.get("labelfontfamily")))
    for child in children:
        _text_props(child, props)


def mode() -> str:
    """The mode that ``CX_RENDERED`` sets (``use`` when unset); an unknown value draws, with one warning."""
    value = os.environ.get("CX_RENDERED", "use").strip().lower() or "use"
    if value not in MODES:
        _warn_unknown(value)
        return "off"
    return value


@functools.cache
def _warn_unknown(value: str) -> None:
    warnings.warn(
        f"CX_RENDERED={value!r} is not a mode (use one of {', '.join(MODES)}): figures are drawn as usual",
        RuntimeWarning,
        stacklevel=3,
    )


class _Stored:
    """IPython's PNG printer for figures, looking the PNG up before drawing it."""

    def __init__(self, draw: functools.partial) -> None:
        self.draw = draw
        self.kwargs = {k: v for k, v in draw.keywords.items() if k != "base64"}
        self.base64 = bool(draw.keywords.get("base64"))

    def __call__(self, fig: Any) -> Any:
        how = mode()
        key = None if how == "off" else figure_key(fig, **self.kwargs)
        store = Path(os.environ.get("CX_RENDERED_STORE") or STORE)
        path = store / f"{key}.png"
        if key is not None and how == "use" and path.is_file():
            data = path.read_bytes()
        else:
            data = self.draw.func(fig, **self.kwargs)
            if data is None:  # an empty figure: nothing to show
                return None
            if key is not None and how == "record":
                store.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
            elif key is not None and how == "check":
                _report(key, data, path)
        return base64.b64encode(data).decode("ascii") if self.base64 else data


def _same_picture(a: bytes, b: bytes) -> bool:
    """Whether two PNGs hold the same pixels (another zlib may compress the same picture to other bytes)."""
    if a == b:
        return True
    from PIL import Image

    try:
        with Image.open(io.BytesIO(a)) as x, Image.open(io.BytesIO(b)) as y:
            return x.mode == y.mode and x.size == y.size and x.tobytes() == y.tobytes()
    except (OSError, ValueError, SyntaxError):  # not a picture Pillow can read: not the same
        return False


def _report(key: str, data: bytes, path: Path) -> None:
    verdict = "missing" if not path.is_file() else "same" if _same_picture(path.read_bytes(), data) else "different"
    report = os.environ.get("CX_RENDERED_REPORT")
    if report:
        with open(report, "a", encoding="utf-8") as f:
            f.write(json.dumps({"key": key, "verdict": verdict, "cwd": os.getcwd()}) + "\n")


def install(shell: Any) -> bool:
    """Make ``shell`` (an IPython shell with the inline backend) look figures' PNGs up before drawing them.

    Parameters
    ----------
    shell : IPython.core.interactiveshell.InteractiveShell
        The running shell.

    Returns
    -------
    bool
        True when the lookup is in place, False when the shell prints figures some other way
        (another format, a retina display: those are drawn as usual).
    """
    from IPython.core import pylabtools
    from matplotlib.figure import Figure

    printer = shell.display_formatter.formatters["image/png"]
    try:
        current = printer.lookup_by_type(Figure)
    except KeyError:
        return False
    if isinstance(current, _Stored):
        return True
    if not (
        isinstance(current, functools.partial)
        and current.func is pylabtools.print_figure
        and current.keywords.get("fmt") == "png"
        and not current.args
    ):
        return False
    printer.for_type(Figure, _Stored(current))
    return True

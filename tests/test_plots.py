"""Every public chart of cxlib.teaching.plots draws on small data (issue 17, "Habits").

Each chart runs with the Agg backend, on the small data of its docstring's example (the
helpers and the concept pictures, which have none, on data given here), and must return a
Figure or Axes (or an array of Axes), put a title on the figure, and raise no warning.
"""

from __future__ import annotations

import doctest
import importlib
import inspect
import pkgutil
import warnings
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

import cxlib.teaching.plots as plots

#: public functions of the plots package that are not charts, and what they are
NOT_CHARTS = {
    "cxlib.teaching.plots.use_style": "sets the style",
    "cxlib.teaching.plots.save": "writes a figure to a file",
    "cxlib.teaching.plots.new_axes": "returns an empty Axes",
    "cxlib.teaching.plots.concepts.simulate_intervals": "simulation behind interval_idea",
    "cxlib.teaching.plots.concepts.coverage": "numbers behind wilson_idea",
    "cxlib.teaching.plots.concepts.simulate_logistic": "simulation behind logistic_idea",
}
#: charts without a docstring example, drawn on small data here
DIRECT = {
    "cxlib.teaching.plots.interval_plot": lambda f: f(
        ["A", "B"], [0.4, 0.6], [0.3, 0.5], [0.5, 0.7], truth=0.5, xlabel="share", title="A is lower than B"
    ),
    "cxlib.teaching.plots.band_plot": lambda f: f(
        [1, 2, 3], [1.0, 2.0, 3.0], [0.5, 1.5, 2.5], [1.5, 2.5, 3.5], ylabel="NPS (points)", title="Rising"
    ),
    "cxlib.teaching.plots.finding": lambda f: f(plots.new_axes(), "Churn doubled", "95% intervals"),
    "cxlib.teaching.plots.concepts.interval_idea": lambda f: f(n=30, draws=10),
    "cxlib.teaching.plots.concepts.wilson_idea": lambda f: f(n=8),
    "cxlib.teaching.plots.concepts.logistic_idea": lambda f: f(n=150),
    "cxlib.teaching.plots.concepts.auc_idea": lambda f: f(n=120),
}


#: charts that leave the title to the lesson (which states the finding with ``plots.finding``):
#: they fail the title check until each draws a title computed from its data. Listed so that
#: the gap is visible; the xfail is strict, so a chart that gains a title must leave this set.
TITLE_LEFT_TO_THE_LESSON = {
    "cxlib.teaching.plots.churn.gains",
    "cxlib.teaching.plots.churn.calibration",
    "cxlib.teaching.plots.churn.targeting",
    "cxlib.teaching.plots.churn.km_by_signal",
    "cxlib.teaching.plots.drivers.monthly",
    "cxlib.teaching.plots.expectations.disconfirmation",
    "cxlib.teaching.plots.feedback.ranking",
    "cxlib.teaching.plots.feedback.funnel",
    "cxlib.teaching.plots.feedback.case_mix",
    "cxlib.teaching.plots.feedback.scorecard",
    "cxlib.teaching.plots.feedback.detection",
    "cxlib.teaching.plots.feedback.agents",
}


def chart_functions() -> list[str]:
    modules = ["cxlib.teaching.plots"] + [
        f"cxlib.teaching.plots.{m.name}" for m in pkgutil.iter_modules(plots.__path__) if not m.name.startswith("_")
    ]
    names = []
    for name in modules:
        mod = importlib.import_module(name)
        exported = getattr(mod, "__all__", None) or [
            n for n, o in vars(mod).items() if inspect.isfunction(o) and o.__module__ == name and not n.startswith("_")
        ]
        names += [f"{name}.{n}" for n in exported if inspect.isfunction(getattr(mod, n))]
    return [n for n in names if n not in NOT_CHARTS]


CHARTS = chart_functions()


def figure_of(result: Any):
    if isinstance(result, plt.Figure):
        return result
    if isinstance(result, np.ndarray) or isinstance(result, (list, tuple)):
        first = np.ravel(np.asarray(result, dtype=object))[0]
        assert isinstance(first, plt.Axes), f"returned {type(first).__name__}s, not Axes"
        return first.figure
    assert isinstance(result, plt.Axes), f"returned {type(result).__name__}, not a Figure or Axes"
    return result.figure


def titles(fig) -> list[str]:
    found = [ax.get_title(loc) for ax in fig.axes for loc in ("center", "left", "right")]
    if fig._suptitle is not None:
        found.append(fig._suptitle.get_text())
    return [t for t in found if t.strip()]


def draw(path: str, monkeypatch) -> list[Any]:
    """Call the chart (directly or through its docstring example); return what each call returned."""
    module_name, name = path.rsplit(".", 1)
    module = importlib.import_module(module_name)
    original = getattr(module, name)
    if path in DIRECT:
        return [DIRECT[path](original)]
    returned: list[Any] = []

    def recording(*args, **kwargs):
        out = original(*args, **kwargs)
        returned.append(out)
        return out

    monkeypatch.setattr(module, name, recording)
    examples = doctest.DocTestParser().get_examples(original.__doc__ or "")
    assert examples, f"{path} has no example in its docstring: add one, or a case to DIRECT"
    scope = dict(vars(module))
    scope[name] = recording
    for example in examples:
        exec(compile(example.source, f"<{path} example>", "exec"), scope)
    assert returned, f"the example of {path} never calls it"
    return returned


@pytest.mark.parametrize("path", CHARTS, ids=[c.removeprefix("cxlib.teaching.plots.") for c in CHARTS])
def test_chart_draws_on_small_data_with_a_title_and_no_warning(path, monkeypatch):
    plt.close("all")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        results = draw(path, monkeypatch)
        for result in results:
            fig = figure_of(result)
            fig.canvas.draw()  # render, so that drawing problems show here
            if not titles(fig) and path in TITLE_LEFT_TO_THE_LESSON:
                plt.close("all")
                pytest.xfail(f"{path} leaves its title to the lesson")
            assert titles(fig), f"{path}: the figure has no title (state the finding)"
            assert path not in TITLE_LEFT_TO_THE_LESSON, (
                f"{path} draws a title now: remove it from TITLE_LEFT_TO_THE_LESSON"
            )
    plt.close("all")


def test_every_chart_is_covered():
    assert len(CHARTS) > 30
    assert set(DIRECT) <= set(CHARTS) and TITLE_LEFT_TO_THE_LESSON <= set(CHARTS)


def test_health_title_claims_only_what_the_decile_intervals_support():
    """No healthy-decile churner: the title gives the ratio the intervals allow, not 'millions of times'."""
    import pandas as pd

    from cxlib.analytics.health import HealthScore
    from cxlib.teaching.plots.health import validation

    rng = np.random.default_rng(0)
    X = pd.DataFrame({"complaints_3m": rng.poisson(1, 2000).astype(float)})
    y = pd.Series((X["complaints_3m"] >= 2) & (rng.random(2000) < 0.5)).astype(int)
    check = HealthScore({"complaints_3m": -1}).fit(X).validate(X, y)
    assert check.deciles["churn_rate"].iloc[-1] == 0
    ax = validation(check)
    text = " ".join([ax.get_title(loc="left"), *(t.get_text() for t in ax.texts)])
    worst, best = check.deciles.iloc[0], check.deciles.iloc[-1]
    assert f"at least {worst['ci_low'] / best['ci_high']:.1f}×" in text
    assert "AUC" in text and "[" in text


def test_lag_titles_name_a_strongest_lag_only_when_its_interval_clears_the_others():
    import pandas as pd

    from cxlib.teaching.plots.drivers import lags

    clear = pd.DataFrame(
        {"lag": [0, 1, 2], "r": [0.1, 0.7, 0.2], "ci_low": [-0.1, 0.5, 0.0], "ci_high": [0.3, 0.8, 0.4]}
    )

    def said(table):
        ax = lags(table, x_name="x", y_name="y")
        return " ".join([ax.get_title(loc="left"), *(t.get_text() for t in ax.texts)])

    assert "strongest at lag 1" in said(clear)
    overlap = clear.assign(ci_low=[-0.1, 0.2, 0.0], ci_high=[0.3, 0.9, 0.4])
    assert "no lag is clearly the strongest" in said(overlap) and "strongest at" not in said(overlap)
    zero = clear.assign(ci_low=[-0.3, -0.1, -0.2], ci_high=[0.5, 0.9, 0.6])
    assert "includes 0" in said(zero)

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

import math

import matplotlib.pyplot as plt
import numpy as np
import pytest

import cxlib.teaching.plots as plots

#: public functions of the plots package that are not charts, and what they are
NOT_CHARTS = {
    "cxlib.teaching.plots.use_style": "sets the style",
    "cxlib.teaching.plots.save": "writes a figure to a file",
    "cxlib.teaching.plots.new_axes": "returns an empty Axes",
    "cxlib.teaching.plots.label_points": "names points on a chart (tested below)",
    "cxlib.teaching.plots.readable": "a column name in plain words",
    "cxlib.teaching.plots.concepts.simulate_intervals": "simulation behind interval_idea",
    "cxlib.teaching.plots.concepts.coverage": "numbers behind wilson_idea",
    "cxlib.teaching.plots.concepts.simulate_logistic": "simulation behind logistic_idea",
    "cxlib.teaching.plots.concepts.picture": "a stored picture, as an IPython Image",
    "cxlib.teaching.plots.concepts.picture_png": "a picture's PNG bytes",
    "cxlib.teaching.plots.concepts.stored_picture": "the stored PNG of a picture, or None",
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
            assert titles(fig), f"{path}: the figure has no title (state the finding)"
    plt.close("all")


def test_every_chart_is_covered():
    assert len(CHARTS) > 30
    assert set(DIRECT) <= set(CHARTS)


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
    assert f"at least {math.floor(worst['ci_low'] / best['ci_high'])}×" in text  # rounded down: a lower bound
    assert f"({100 * worst['ci_low']:.0f}% / {100 * best['ci_high']:.1f}%)" in text  # how 'at least' is read
    assert "AUC" in text and "[" in text


def _overlaps(labels, renderer) -> int:
    boxes = [t.get_window_extent(renderer) for t in labels]
    return sum(bool(a.overlaps(b)) for i, a in enumerate(boxes) for b in boxes[i + 1 :])


def test_point_labels_do_not_overlap_in_a_crowded_corner():
    """Lesson 04's funnel: agents' names in its crowded lower-left corner each find a free place."""
    x = [50, 47, 54, 54, 58, 60, 60, 75]
    y = [0.47, 0.45, 0.335, 0.30, 0.36, 0.37, 0.235, 0.275]
    names = ["A040", "A042", "A043", "A044", "A045", "A048", "A049", "A047"]
    fig, ax = plt.subplots(figsize=(6.8, 3.8))
    ax.scatter(x, y)
    ax.set_xlim(25, 310)
    ax.set_ylim(0.2, 0.95)
    renderer = fig.canvas.get_renderer()
    naive = [
        ax.annotate(n, (a, b), xytext=(4, 2), textcoords="offset points", fontsize=8) for a, b, n in zip(x, y, names)
    ]
    assert _overlaps(naive, renderer) > 0  # the old placement: names on top of one another
    for t in naive:
        t.remove()
    labels = plots.label_points(ax, x, y, names)
    assert [t.get_text() for t in labels] == names
    assert _overlaps(labels, renderer) == 0
    plt.close(fig)


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


# --- the titles the charts compute claim only what their intervals support -----------------------
def _title(ax) -> str:
    return ax.get_title(loc="left").strip()


def test_gains_title_follows_the_auc_interval():
    from cxlib.analytics.churn import evaluate

    rng = np.random.default_rng(3)
    y = rng.integers(0, 2, 400)
    noise = evaluate(y, rng.random(400))
    signal = evaluate(y, np.clip(0.3 * y + 0.7 * rng.random(400), 0, 1))
    assert _title(plots.churn.gains(noise)) == "The ranking cannot be told apart from a random list"
    assert "faster than chance" in _title(plots.churn.gains(signal))
    plt.close("all")


def test_calibration_title_counts_the_bins_whose_interval_misses_the_prediction():
    from cxlib.analytics.churn import evaluate

    rng = np.random.default_rng(4)
    p = rng.uniform(0.05, 0.6, 3000)
    honest = evaluate(rng.random(3000) < p, p)
    doubled = evaluate(rng.random(3000) < p, np.clip(2 * p, 0, 1))
    assert _title(plots.churn.calibration(honest)) == "Predictions agree with observed churn in every bin"
    assert _title(plots.churn.calibration(doubled)).startswith("Predictions miss observed churn in")
    plt.close("all")


def test_km_title_follows_the_log_rank_test():
    rng = np.random.default_rng(5)
    t = rng.integers(1, 13, 600).astype(float)
    same = rng.integers(0, 2, 600)
    groups = np.repeat(["complaint", "no complaint"], 300)
    ax, _ = plots.churn.km_by_signal(t, same, groups)
    assert _title(ax) == "The groups' retention cannot be told apart"
    events = np.r_[np.ones(300, int), rng.random(300) < 0.2]
    ax, _ = plots.churn.km_by_signal(t, events, groups)
    assert _title(ax) == "The group \u201ccomplaint\u201d leaves faster"
    plt.close("all")


def test_ranking_title_names_no_agent_when_the_intervals_overlap_the_overall_rate():
    from cxlib.analytics.feedback import AgentFeedback

    alike = AgentFeedback().fit_counts([40, 41, 39], [50, 50, 50], ["A", "B", "C"])
    assert _title(plots.feedback.agents(alike)).startswith("No agent's interval lies clear of the overall rate")
    apart = AgentFeedback().fit_counts([190, 100, 10], [200, 200, 200], ["A", "B", "C"])
    assert _title(plots.feedback.agents(apart)) == "Clear of the overall rate: 1 above it, 1 below (of 3 agents)"
    plt.close("all")


def test_disconfirmation_title_follows_the_expectation_interval():
    import pandas as pd

    from cxlib.analytics.expectations import disconfirmation

    rng = np.random.default_rng(6)
    d = pd.DataFrame({"perf": rng.integers(0, 3, 400), "expect": rng.normal(size=400)})
    d["sat"] = 7 - 0.5 * d["perf"] + rng.normal(0, 1, 400)
    flat = _title(plots.expectations.disconfirmation(disconfirmation(d, "sat", "perf", "expect")))
    d["sat"] -= 0.8 * d["expect"]
    lower = _title(plots.expectations.disconfirmation(disconfirmation(d, "sat", "perf", "expect")))
    assert flat == "At the same perf, expectations make no clear difference to sat"
    assert lower == "At the same perf, higher expectations go with a lower sat"
    plt.close("all")


def test_a_lesson_title_replaces_the_chart_title_and_subtitle():
    ax = plots.new_axes()
    plots.finding(ax, "chart's own", "chart's subtitle")
    plots.finding(ax, "the lesson's", "the lesson's subtitle")
    assert [t.get_text() for t in ax.texts] == ["the lesson's subtitle"]
    assert _title(ax) == "the lesson's"
    plt.close("all")


def test_interval_plot_keeps_its_legend_out_of_the_rows():
    """A legend's sample dot among the rows read as one more estimate (a student's review): a lone plot has
    its legend right of the axes, a panel of a larger figure none (its x label says what the bars are)."""
    ax = plots.interval_plot(["a", "b", "c"], [1, 2, 3], [0.5, 1.5, 2.5], [1.5, 2.5, 3.5], truth=2.0)
    fig = ax.figure
    fig.canvas.draw()
    legend = ax.get_legend().get_window_extent()
    assert legend.x0 >= ax.get_window_extent().x1
    plt.close(fig)
    fig, (left, right) = plt.subplots(1, 2)
    plots.interval_plot(["a", "b"], [1, 2], [0, 1], [2, 3], ax=left, xlabel="rate (95% interval)")
    assert left.get_legend() is None
    plt.close(fig)

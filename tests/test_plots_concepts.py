"""cxlib.teaching.plots.concepts: the four plain-language pictures (intervals, Wilson, logistic, AUC)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from cxlib.analytics.stats import delong_auc_ci, wilson_interval
from cxlib.teaching import plots
from cxlib.teaching.plots import concepts


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _texts(ax) -> str:
    return " ".join([ax.get_title(loc="left"), *(t.get_text() for t in ax.texts)])


def test_interval_idea_counts_the_intervals_that_cover_the_truth():
    sim = concepts.simulate_intervals(truth=0.35, n=100, draws=40, seed=0)
    lo, hi = wilson_interval(np.round(sim.shares * 100), np.full(40, 100))
    np.testing.assert_allclose(sim.low, lo) and np.testing.assert_allclose(sim.high, hi)
    ax = concepts.interval_idea()
    assert f"{int(sim.covers.sum())} of 40 survey intervals cover the true share" in _texts(ax)
    assert ax.get_xlabel() == "share of customers who would recommend (%)"
    assert ax.figure.get_dpi() == plots._RC["figure.dpi"]
    assert plt.rcParams["savefig.dpi"] == plots._RC["savefig.dpi"]  # the course DPI


def test_interval_idea_is_seeded_and_covers_about_95_percent_in_the_long_run():
    a, b = concepts.simulate_intervals(seed=3), concepts.simulate_intervals(seed=3)
    np.testing.assert_array_equal(a.shares, b.shares)
    assert not np.array_equal(a.shares, concepts.simulate_intervals(seed=4).shares)
    many = concepts.simulate_intervals(draws=4000, seed=1)
    assert 0.935 < many.covers.mean() < 0.965


def test_interval_idea_draws_on_the_axes_it_is_given():
    _, ax = plt.subplots()
    assert concepts.interval_idea(ax=ax, draws=10) is ax
    assert "of 10 survey intervals" in ax.get_title(loc="left")


def test_exact_coverage_agrees_with_a_simulation():
    p = np.array([0.05, 0.3, 0.5])
    wald, wilson = concepts.coverage(12, p)
    rng = np.random.default_rng(0)
    k = rng.binomial(12, p[:, None], size=(3, 20000))
    half = 1.96 * np.sqrt(k / 12 * (1 - k / 12) / 12)
    simulated_wald = ((k / 12 - half <= p[:, None]) & (p[:, None] <= k / 12 + half)).mean(axis=1)
    np.testing.assert_allclose(wald, simulated_wald, atol=0.01)
    assert np.all(wilson > wald)


def test_wilson_idea_states_the_average_coverage_it_computed():
    left, right = concepts.wilson_idea(n=12)
    wald, wilson = concepts.coverage(12, np.linspace(0.01, 0.99, 197))
    assert right.get_title(loc="left") == (
        f"Average coverage: Wald {100 * wald.mean():.0f}%, Wilson {100 * wilson.mean():.0f}%"
    )
    assert wilson.mean() > 0.93 and wald.mean() < 0.85
    assert "collapses at 0 and 12" in left.get_title(loc="left")


def test_logistic_idea_fits_the_simulation_s_curve_and_says_what_one_complaint_does():
    sim = concepts.simulate_logistic(seed=0)
    assert set(np.unique(sim.churned)) == {0, 1}
    ax = concepts.logistic_idea(seed=0)
    text = _texts(ax)
    assert text.startswith("Logistic regression turns a signal into a churn probability between 0 and 1")
    odds = float(text.split("by ")[-1])
    assert abs(np.log(odds) - sim.slope) < 0.25  # the fitted slope is close to the true one
    fitted = next(line for line in ax.get_lines() if line.get_label().startswith("logistic")).get_ydata()
    assert fitted.min() > 0 and fitted.max() < 100 and np.all(np.diff(fitted) > 0)


def test_auc_idea_shows_the_delong_interval_and_the_pair_reading_agrees():
    left, right = concepts.auc_idea(seed=0)
    title = right.get_title(loc="left")
    auc = float(title.split()[1])
    rng = np.random.default_rng(0)
    y = rng.binomial(1, 0.2, size=400)
    score = 1 / (1 + np.exp(-(rng.normal(0, 1, size=400) + 1.3 * y - 1.2)))
    est, _, lo, hi = delong_auc_ci(y, score)
    assert title.startswith(f"AUC {est:.2f} [{lo:.2f}, {hi:.2f}]")
    share = float(right.texts[0].get_text().split("higher ")[1].split("%")[0])
    assert abs(share / 100 - auc) < 0.02  # AUC is the chance a churner outscores a stayer
    assert "overlap" in left.get_title(loc="left")


@pytest.mark.parametrize("draw", ["interval_idea", "wilson_idea", "logistic_idea", "auc_idea"])
def test_each_picture_is_the_same_every_time(draw):
    first = getattr(concepts, draw)()
    again = getattr(concepts, draw)()
    axes_a, axes_b = np.atleast_1d(first), np.atleast_1d(again)
    for a, b in zip(axes_a, axes_b):
        assert _texts(a) == _texts(b)
        for la, lb in zip(a.get_lines(), b.get_lines()):
            np.testing.assert_array_equal(la.get_xydata(), lb.get_xydata())

"""NPS from counts (issue 16), one method per comparison and honest small-n intervals (issue 15), one name per idea (issue 17).

The count-level functions are checked against count tables built here independently
(``pandas.crosstab``-style group-bys, not cxlib's own counting), so that "the row-level
function equals the count-level one" is not true by construction.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxlib.analytics import nps as N
from cxlib.analytics.stats import delong_auc_ci, wilson_interval
from cxlib.errors import CxError, ValidationError

SUMMARY = ["n", "n_missing", "promoters", "passives", "detractors", "nps", "se", "ci_low", "ci_high", "n_eff"]


def independent_counts(df: pd.DataFrame, score: str, keys: list[str], weight: str | None = None) -> pd.DataFrame:
    """The count table of the docstrings, built with plain pandas (no cxlib code)."""
    s = pd.to_numeric(df[score])
    kind = np.select([s >= 9, s >= 7, s >= 0], ["promoters", "passives", "detractors"], "missing")
    frame = df[keys].copy() if keys else pd.DataFrame(index=df.index)
    for k in ("promoters", "passives", "detractors", "missing"):
        frame[k] = (kind == k).astype(int)
        if weight is not None and k != "missing":
            w = df[weight].astype(float)
            frame[f"w_{k}"] = np.where(kind == k, w, 0.0)
            frame[f"w2_{k}"] = np.where(kind == k, w * w, 0.0)
    if not keys:
        return frame.sum().to_frame().T
    return frame.groupby(keys, dropna=False, sort=True).sum().reset_index()


rows = st.lists(
    st.tuples(
        st.one_of(st.integers(0, 10), st.none()),
        st.sampled_from(["a", "b", "c", None]),
        st.sampled_from(["x", "y"]),
        st.floats(0.1, 5.0),
    ),
    min_size=1,
    max_size=80,
)


def same(a: N.NPSResult, b: N.NPSResult) -> bool:
    """Equal results, with NaN equal to NaN (a group without valid answers)."""
    return repr(a.to_dict()) == repr(b.to_dict())


def frame_of(rs: list) -> pd.DataFrame:
    return pd.DataFrame(rs, columns=["ltr", "seg", "region", "w"]).astype({"ltr": "float"})


@settings(max_examples=60, deadline=None, derandomize=True)
@given(rows, st.sampled_from(["wald", "adjusted-wald", "bootstrap"]))
def test_property_nps_by_equals_nps_by_from_counts(rs, method):
    df = frame_of(rs)
    res = N.nps_by(df, "ltr", "seg", method=method, n_boot=200)
    cnt = N.nps_by_from_counts(independent_counts(df, "ltr", ["seg"]), "seg", method=method, n_boot=200)
    pd.testing.assert_frame_equal(res.summary[SUMMARY], cnt.summary[SUMMARY], check_index_type=False)
    assert same(res.overall, cnt.overall)
    one = N.nps(df, "ltr", method=method, n_boot=200)
    assert same(one, N.nps_from_counts(independent_counts(df, "ltr", []), method=method, n_boot=200))


@settings(max_examples=30, deadline=None, derandomize=True)
@given(rows, st.sampled_from(["wald", "adjusted-wald"]))
def test_property_weighted_nps_equals_weighted_counts(rs, method):
    df = frame_of(rs)
    keys = ["seg", "region"]
    res = N.nps_by(df, "ltr", keys, "w", method=method)
    cnt = N.weighted_nps_by_from_counts(independent_counts(df, "ltr", keys, "w"), keys, method=method)
    pd.testing.assert_frame_equal(res.summary[SUMMARY], cnt.summary[SUMMARY], rtol=1e-9, check_index_type=False)
    one = N.nps(df, "ltr", weight_column="w", method=method)
    two = N.weighted_nps_from_counts(independent_counts(df, "ltr", [], "w"), method=method)
    for f in ("n", "n_missing", "nps", "se", "ci_low", "ci_high", "n_eff"):
        a, b = getattr(one, f), getattr(two, f)
        assert (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, rel=1e-9, abs=1e-9), f


def test_nps_counts_is_the_documented_table():
    df = pd.DataFrame({"plan": ["A", "A", "B", None, "B"], "ltr": [10, 6, 7, 9, None], "w": [1.0, 2, 3, 4, 5]})
    got = N.nps_counts(df, "ltr", "plan", "w")
    expect = independent_counts(df, "ltr", ["plan"], "w")
    assert list(got.columns) == ["plan", *N.COUNT_COLUMNS, *N.WEIGHTED_COLUMNS]
    pd.testing.assert_frame_equal(got, expect[got.columns], check_dtype=False)
    assert N.nps_counts([9, None, 3]).iloc[0].tolist() == [1, 0, 1, 1]


def test_partial_counts_add_up_like_a_distributed_query():
    rng = np.random.default_rng(4)
    df = pd.DataFrame({"seg": rng.choice(["p", "q", "r"], 900), "ltr": rng.integers(0, 11, 900).astype(float)})
    df.loc[rng.choice(900, 30, replace=False), "ltr"] = np.nan
    parts = pd.concat([independent_counts(df.iloc[i : i + 225], "ltr", ["seg"]) for i in range(0, 900, 225)])
    assert len(parts) == 12  # the same segment in four partial tables
    res, cnt = N.nps_by(df, "ltr", "seg"), N.nps_by_from_counts(parts, "seg")
    pd.testing.assert_frame_equal(res.summary[SUMMARY], cnt.summary[SUMMARY])
    assert same(N.nps_from_counts(parts), res.overall)  # every row added: the overall NPS


def test_counts_by_hand_and_missing_column_optional():
    r = N.nps_from_counts(pd.DataFrame({"promoters": [180], "passives": [160], "detractors": [60]}), method="wald")
    assert (round(r.ci_low, 1), round(r.ci_high, 1), r.n_missing) == (23.0, 37.0, 0)
    post = N.nps_by_from_counts(
        pd.DataFrame({"seg": ["A", "B"], "promoters": [500, 10], "passives": [400, 40], "detractors": [100, 50]}),
        "seg",
        population={"A": 1, "B": 1},
    )
    assert post.overall.nps == pytest.approx(0.0, abs=1e-9) and post.post_stratified


def test_count_table_errors_name_the_problem():
    good = {"promoters": 1, "passives": 2, "detractors": 3}
    with pytest.raises(ValidationError, match="detractors"):
        N.nps_from_counts({"promoters": 1, "passives": 2})
    with pytest.raises(CxError, match="whole numbers"):
        N.nps_from_counts({**good, "promoters": -1})
    with pytest.raises(CxError, match="whole numbers"):
        N.nps_from_counts({**good, "passives": 2.5})
    with pytest.raises(ValidationError, match="w_promoters"):
        N.weighted_nps_from_counts(good)
    with pytest.raises(CxError, match="bootstrap"):
        N.weighted_nps_by_from_counts(N.nps_counts(frame_of([(9, "a", "x", 1.0)]), "ltr", "seg", "w"), "seg",
                                      method="bootstrap")  # fmt: skip
    with pytest.raises(ValidationError, match="seg"):
        N.nps_by_from_counts(pd.DataFrame([good]), "seg")
    with pytest.raises(CxError, match="table of counts"):
        N.nps_from_counts([1, 2, 3])


# ----------------------------------------------------------------------------- compare
counts3 = st.tuples(st.integers(0, 200), st.integers(0, 200), st.integers(0, 200)).filter(lambda c: sum(c) > 0)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(counts3, counts3, st.sampled_from(["wald", "adjusted-wald"]), st.sampled_from([0.8, 0.9, 0.95, 0.99]))
def test_compare_p_value_interval_and_flag_never_disagree(c1, c2, method, level):
    c = N.compare(N.from_counts(*c1), N.from_counts(*c2), method=method, level=level)
    excludes_zero = c.ci_low > 0 or c.ci_high < 0
    assert c.significant == excludes_zero == (c.p_value < 1 - level), c


def test_compare_used_to_disagree_and_no_longer_does():
    # 0.1 flagged this pair from the adjusted-Wald interval but tested it with the plain SE
    a, b = N.from_counts(19, 1, 0), N.from_counts(14, 3, 3)
    c = N.compare(a, b)
    assert c.significant == (c.p_value < 0.05)
    assert c.z == pytest.approx((c.ci_low + c.ci_high) / 2 / ((c.ci_high - c.ci_low) / 2 / 1.959964), rel=1e-6)


# ------------------------------------------------------------------ small-n coverage
def _coverage(p: tuple[float, float, float], n: int, method: str, reps: int = 4000, seed: int = 17) -> float:
    rng = np.random.default_rng(seed)
    c = rng.multinomial(n, p, size=reps)
    t = pd.DataFrame({"sim": np.arange(reps), "promoters": c[:, 0], "passives": c[:, 1], "detractors": c[:, 2]})
    s = N.nps_by_from_counts(t, "sim", method=method, n_boot=1000, seed=seed).summary
    true = 100 * (p[0] - p[2])
    return float(((s["ci_low"] <= true) & (true <= s["ci_high"])).mean())


def test_bootstrap_under_covers_at_n30_with_90_8_2_as_the_docstring_says():
    """The module docstring says: about 83% for the bootstrap and Wald, about 96% for adjusted-Wald.

    4,000 simulated surveys: a coverage near 0.83 has a binomial sd of 0.006, so +-0.03 is 5 sd;
    the adjusted-Wald bound is 3 sd below 0.95.
    """
    p = (0.90, 0.08, 0.02)
    boot, wald, adj = (_coverage(p, 30, m) for m in ("bootstrap", "wald", "adjusted-wald"))
    sd = math.sqrt(0.95 * 0.05 / 4000)
    assert abs(boot - 0.83) < 0.03 and abs(wald - 0.83) < 0.03, (boot, wald)
    assert adj > 0.95 - 3 * sd, adj
    assert "83%" in N.__doc__ and "under-covers" in N.__doc__


# ------------------------------------------------------------------ levels and names
def test_a_level_of_95_is_an_error_everywhere():
    r = N.from_counts(10, 5, 5)
    calls = [
        lambda: N.nps([9, 6], level=95),
        lambda: N.nps_by(frame_of([(9, "a", "x", 1.0)]), "ltr", "seg", level=95),
        lambda: N.from_counts(1, 2, 3, level=95),
        lambda: N.nps_from_counts({"promoters": 1, "passives": 1, "detractors": 1}, level=95),
        lambda: N.compare(r, r, level=95),
        lambda: N.sample_size((0.4, 0.2), (0.5, 0.1), level=95),
        lambda: N.sample_size_for_margin(5, level=95),
        lambda: wilson_interval(1, 2, level=95),
        lambda: delong_auc_ci([0, 1], [0.1, 0.9], level=95),
    ]
    for call in calls:
        with pytest.raises(CxError, match="level=0.95"):
            call()
    with pytest.raises(CxError, match="between 0 and 1"):
        N.nps([9], level=0)


OLD_NAMES = [
    (N.nps, ([9, 6],), {"conf": 0.9}, "level"),
    (N.nps, (pd.DataFrame({"ltr": [9]}),), {"score": "ltr"}, "score_column"),
    (N.nps, (pd.DataFrame({"ltr": [9], "w": [1.0]}), "ltr"), {"weight": "w"}, "weight_column"),
    (N.nps_by, (frame_of([(9, "a", "x", 1.0)]), "ltr"), {"by": "seg"}, "segment_column"),
    (N.nps_by, (frame_of([(9, "a", "x", 1.0)]),), {"score": "ltr", "by": "seg", "weight": "w", "conf": 0.9}, "level"),
    (N.from_counts, (1, 2, 3), {"conf": 0.9}, "level"),
    (N.compare, (N.from_counts(5, 1, 1), N.from_counts(1, 1, 5)), {"conf": 0.9}, "level"),
    (N.sample_size_for_margin, (5,), {"conf": 0.9}, "level"),
    (N.validate_scores, ([9],), {"column": "ltr"}, "score_column"),
]


@pytest.mark.parametrize("func, args, old, new", OLD_NAMES, ids=lambda x: getattr(x, "__name__", None))
def test_old_argument_names_still_work_with_a_warning(func, args, old, new):
    with pytest.warns(DeprecationWarning, match=new):
        got = func(*args, **old)
    renamed = {func.__deprecated_arguments__[k]: v for k, v in old.items()}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert repr(got) == repr(func(*args, **renamed))


def test_nps_over_time_old_names_and_sample_size_alpha():
    df = pd.DataFrame({"d": pd.to_datetime(["2024-01-05", "2024-02-03"]), "ltr": [10, 3], "w": [1.0, 2.0]})
    with pytest.warns(DeprecationWarning, match="date_column"):
        old = N.nps_over_time(df, score="ltr", date="d", weight="w", conf=0.9)
    new = N.nps_over_time(df, score_column="ltr", date_column="d", weight_column="w", level=0.9)
    pd.testing.assert_frame_equal(old, new)
    assert new.attrs["level"] == 0.9
    with pytest.warns(DeprecationWarning, match=r"level=1 - alpha"):
        assert N.sample_size((0.4, 0.2), (0.45, 0.15), alpha=0.05) == 840
    assert N.sample_size((0.4, 0.2), (0.45, 0.15), level=0.9) < 840


def test_result_attributes_renamed_with_a_warning():
    res = N.nps_by(frame_of([(9, "a", "x", 1.0), (3, "b", "y", 1.0)]), "ltr", "seg", level=0.9)
    assert res.level == res.overall.level == 0.9 and res.segment_columns == ["seg"]
    with pytest.warns(DeprecationWarning, match="level"):
        assert res.overall.conf == 0.9
    with pytest.warns(DeprecationWarning, match="segment_columns"):
        assert res.by == ["seg"]
    with pytest.warns(DeprecationWarning, match="level"):
        assert res.conf == 0.9
    with pytest.warns(DeprecationWarning, match="level"):
        assert N.compare(res["a"], res["b"]).conf == 0.95
    assert N.NPSResult.__module__ == "cxlib.analytics.nps"

"""The simulator's truth tables and the churn snapshot's features.

:func:`snapshot_features` is the documented selection of
:func:`cxlib.features.build_features` bundled as ``churn_snapshot.csv``; the other
helpers compute the true label probabilities (Monte Carlo), the true agent rates and
the summary written to ``truth/summary.json``.
"""

from __future__ import annotations

import threading

import numpy as np
import pandas as pd
from scipy.special import expit
from scipy.stats import norm

from cxlib.simulation._model import _DIFFICULTY, _EXP_MU, _LTR_SD, CHURN_COEFS, PERSONAS, _connected, _ltr_mean, _step

__all__ = ["SNAPSHOT_FEATURES", "SNAPSHOT_SOURCES", "snapshot_features"]


#: Columns of ``churn_snapshot.csv`` (point-in-time features, computed before the cutoff).
SNAPSHOT_FEATURES = {
    "tenure_months": "months since signup at the cutoff",
    "age": "age in years",
    "plan": "plan (Basic, Plus, Premium)",
    "city": "home city",
    "acquisition_channel": "how the customer was won",
    "monthly_fee": "list price of the plan (USD)",
    "products_held": "lines and add-ons in the last month before the cutoff",
    "usage_gb_last": "data used in the last month (GB)",
    "usage_trend": "usage in the last 3 months / the 3 months before (1 = flat)",
    "spend_last": "billed in the last month (USD)",
    "care_contacts_3m": "contacts with customer care in the last 3 months",
    "complaints_3m": "complaints in the last 3 months",
    "unresolved_complaints_3m": "complaints not resolved in the last 3 months",
    "positive_feedback_6m": "compliments in the last 6 months",
    "payment_issues_3m": "months with a payment issue in the last 3 months",
    "payment_issues_6m": "months with a payment issue in the last 6 months",
    "help_video_views_6m": "help videos watched in the last 6 months",
    "help_article_views_6m": "help articles read in the last 6 months",
    "months_since_complaint": "months since the last complaint (99 = none in the window)",
    "last_ltr": "last relationship-survey score before the cutoff (empty = never answered)",
    "last_csat": "last post-contact CSAT before the cutoff (empty = none)",
}


#: The snapshot's columns -> the features of :func:`cxlib.features.build_features` they select. Two keep
#: their 0.1 names (the bundled file does not change): ``products_held`` is ``products_held_last`` and
#: ``usage_trend`` is ``usage_gb_trend``; every other column has the builder's name.
SNAPSHOT_SOURCES = {name: name for name in SNAPSHOT_FEATURES} | {
    "products_held": "products_held_last",
    "usage_trend": "usage_gb_trend",
}

_INTEGER_COLUMNS = (
    "tenure_months",
    "products_held",
    "care_contacts_3m",
    "complaints_3m",
    "unresolved_complaints_3m",
    "positive_feedback_6m",
    "payment_issues_3m",
    "payment_issues_6m",
    "help_video_views_6m",
    "help_article_views_6m",
)


def snapshot_features(tables: dict, cutoff, horizon: int = 3) -> pd.DataFrame:
    """Point-in-time churn features at ``cutoff`` from the simulator's tables (``churn_snapshot.csv``).

    A documented selection (:data:`SNAPSHOT_FEATURES`, :data:`SNAPSHOT_SOURCES`) of what
    :func:`cxlib.features.build_features` computes: only rows dated before ``cutoff``
    are used; the label ``churned`` is 1 when the customer cancels in the ``horizon``
    months from the cutoff; only customers active at the cutoff are included.
    ``months_since_complaint`` is 99 when there was no complaint before it; counts are
    whole numbers and ``usage_trend`` is rounded to 3 decimals.

    Parameters
    ----------
    tables : dict
        The simulator's tables (``activity``, ``customers``, ``nps_surveys``, ``agent_feedback``).
    cutoff : date-like
        First day of a month.
    horizon : int, default 3
        Months after the cutoff in which a cancellation counts.

    Returns
    -------
    DataFrame
        ``customer_id``, the :data:`SNAPSHOT_FEATURES` and ``churned``.

    Examples
    --------
    >>> from cxlib.data import datasets
    >>> tables = {"activity": datasets.load_activity(), "customers": datasets.load_customers(),
    ...           "nps_surveys": datasets.load_nps_surveys(), "agent_feedback": datasets.load_agent_feedback()}
    >>> snapshot_features(tables, "2024-07-01").equals(datasets.load_churn_snapshot())
    True
    """
    from cxlib.features import build_features

    feats = build_features(
        tables["activity"],
        cutoff,
        horizon=horizon,
        customers=tables["customers"],
        surveys=tables.get("nps_surveys"),
        feedback=tables.get("agent_feedback"),
        windows=(1, 3, 6),
    )
    out = feats[["customer_id"]].copy()
    for name, source in SNAPSHOT_SOURCES.items():
        out[name] = feats[source]
    out["months_since_complaint"] = out["months_since_complaint"].fillna(99).astype(int)
    out["usage_trend"] = out["usage_trend"].round(3)
    for col in _INTEGER_COLUMNS:
        out[col] = out[col].astype(int)
    for col in ("last_ltr", "last_csat"):
        out[col] = out[col].astype("Int64")
    out["churned"] = feats["churned"].astype(int)
    return out.reset_index(drop=True)


def _mc_label_probability(
    w, snap, c_idx, horizon, reps, seed, stop: threading.Event | None = None, progress=None
) -> np.ndarray:
    """True P(cancel within ``horizon`` months of the cutoff), by Monte Carlo.

    Replicates run a chunk at a time (the snapshot's customers tiled ``r`` times). After each
    month the rows of the customers who cancelled are dropped (``row`` keeps each surviving
    row's place in the chunk), so every month simulates exactly the replicates still active,
    in the same order and with the same draws as simulating them within the whole chunk. A set
    ``stop`` ends it before the next chunk (the simulation was interrupted; no result is used).
    ``progress``, if given, is called with the number of replicates done after each chunk.
    """
    idx = snap["idx"]
    n = len(idx)
    rng = np.random.default_rng([seed, 7])
    alive_count = np.zeros(n)
    chunk = max(1, 400_000 // max(n, 1))
    done = 0
    while done < reps and not (stop is not None and stop.is_set()):
        r = min(chunk, reps - done)
        row = np.arange(r * n)
        rep_idx = np.tile(idx, r)
        st = {k: np.tile(v, r) for k, v in snap["st"].items()}
        for t in range(c_idx, c_idx + horizon):
            out = _step(w, t, rep_idx, st, rng, record=False)
            stay = np.flatnonzero(~out["churn"])
            row = row[stay]
            if t + 1 < c_idx + horizon:
                rep_idx = rep_idx[stay]
                st = {k: v[stay] for k, v in st.items()}
                st["tenure"] += 1
        alive_count += np.bincount(row % n, minlength=n)
        done += r
        if progress is not None:
            progress(done)
    return np.round(1 - alive_count / reps, 4)


def _truth_customers(w) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": w.customer_ids,
            "persona": np.array(PERSONAS, dtype=object)[w.persona],
            "emotional_connection": np.round(w.connection, 4),
            "connected": _connected(w, np.arange(w.n), w.tenure0.astype(float)).astype(int),
            "price_sensitivity": np.round(w.price_sens, 4),
            "expectation": np.round(w.expectation, 4),
        }
    )


# quantiles of the standard logistic distribution, for exact expectations over the survey noise
_U = np.log((np.arange(200) + 0.5) / 200) - np.log1p(-(np.arange(200) + 0.5) / 200)


def _observed_agent_rates(eta: np.ndarray, agent: np.ndarray, n_agents: int) -> np.ndarray:
    """Expected share satisfied among each agent's *answered* surveys, given their contacts.

    For a contact with latent mean ``eta`` the answer is satisfied when eta + u > 0 and is
    given with probability a(eta + u); both are averaged over the logistic noise u (200
    quantile nodes), on a fine grid of ``eta`` that each contact interpolates.
    """
    if not len(eta):
        return np.full(n_agents, np.nan)
    grid = np.linspace(eta.min() - 0.01, eta.max() + 0.01, 4001)
    lat = grid[:, None] + _U[None, :]
    ans = expit(-1.1 + 0.35 * np.abs(lat - 0.5))
    p_ans = np.interp(eta, grid, ans.mean(axis=1))
    p_sat_ans = np.interp(eta, grid, (ans * (lat > 0)).mean(axis=1))
    num = np.bincount(agent, weights=p_sat_ans, minlength=n_agents)
    den = np.bincount(agent, weights=p_ans, minlength=n_agents)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / den, np.nan)


def _truth_agents(w, rng) -> pd.DataFrame:
    """True P(CSAT 4-5) of each agent on the same reference mix of contacts, and on their own."""
    m = 4000
    ref = np.random.default_rng(12345)
    issue = ref.choice(5, size=m, p=[0.30, 0.23, 0.15, 0.15, 0.17])
    d = _DIFFICULTY[issue]
    conn = ref.beta(3, 3, m)
    wait = np.log1p(3.0 * ref.lognormal(0, 0.6, m))
    out = []
    for a in range(len(w.agent_q)):
        q, emp = w.agent_q[a], w.agent_empathy[a]
        p_fcr = expit(1.3 + q - d)
        tone = 0.4 * emp * 0.8 - 0.6 * (1 - emp) * 0.5
        base = 0.6 + q - 0.5 * d + tone + 0.4 * (conn - 0.5) - 0.15 * wait
        p = p_fcr * expit(base + 1.1) + (1 - p_fcr) * expit(base)
        out.append(p.mean())
    return pd.DataFrame(
        {
            "agent_id": [f"A{i + 1:03d}" for i in range(len(w.agent_q))],
            "true_csat": np.round(out, 4),
            "true_csat_observed": np.round(w.agent_observed, 4),
            "empathy": np.round(w.agent_empathy, 4),
        }
    )


def _summary(w, true_nps, cutoff, horizon, tables) -> dict:
    # causal effect of being connected on P(recommend = 9-10), at the cutoff month's state
    act = tables["activity"]
    months = [str(m.date()) for m in w.calendar]
    return {
        "company": "Simorgh Mobile (fictional mobile operator)",
        "true_nps_by_month": dict(zip(months, [round(v, 2) for v in true_nps])),
        "churn_rate_by_month": {
            str(k.date()): round(float(v), 4) for k, v in act.groupby("month")["churned"].mean().items()
        },
        "churn_model": {"link": "logit", "coefficients": CHURN_COEFS},
        "process_change_month": str(w.calendar[w.change_month].date()) if w.change_month < w.months else None,
        "price_change_month": str(w.calendar[w.price_month].date()) if w.price_month < w.months else None,
        "snapshot_cutoff": str(cutoff.date()),
        "snapshot_horizon_months": horizon,
        "emotional_connection": _connection_effect(w),
        "ltr_model": {
            "mean": "6.9 + 1.6*satisfaction + 1.1*connected + 0.3*log(1 + tenure_years)",
            "sd": _LTR_SD,
            "connected_rule": "emotional_connection + 0.03*tenure_years > 0.62",
        },
    }


def _connection_effect(w) -> dict:
    """True effect of being emotionally connected on recommending (LTR 9-10)."""
    idx = np.arange(w.n)
    s0 = 0.7 * (_EXP_MU[w.persona] - 0.5 * w.expectation)
    ten = w.tenure0.astype(float)
    p1 = norm.sf(8.5, _ltr_mean(s0, 1.0, ten), _LTR_SD)
    p0 = norm.sf(8.5, _ltr_mean(s0, 0.0, ten), _LTR_SD)
    conn = _connected(w, idx, ten).astype(bool)
    p_obs = norm.sf(8.5, _ltr_mean(s0, conn.astype(float), ten), _LTR_SD)
    return {
        "causal_rr_recommend": round(float(p1.mean() / p0.mean()), 3),
        "causal_rr_recommend_respondents": round(w.respondent_rr, 3),
        "observed_rr_recommend_population": round(float(p_obs[conn].mean() / p_obs[~conn].mean()), 3),
        "share_connected": round(float(conn.mean()), 3),
        "note": (
            "causal RR = P(LTR 9-10) if everyone were connected / if no one were, at the start-of-window "
            "satisfaction; causal_rr_recommend_respondents is the same ratio for the relationship-survey "
            "respondents at the time they answered (respondents are happier, so it is smaller); the observed "
            "RR is larger because connected customers have longer tenure and higher satisfaction "
            "(confounding). truth/monthly.csv has each customer's `connected` status month by month."
        ),
    }

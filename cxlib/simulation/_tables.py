"""The simulator's observable tables: activity, contacts, feedback, surveys and customers."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import expit
from scipy.stats import norm

from cxlib.simulation._model import (
    _ACQ,
    _CHANNELS,
    _CITIES,
    _FEEDBACK_COMMENT,
    _FEEDBACK_WARM,
    _FEES,
    _ISSUES,
    _LTR_SD,
    _NPS_OPEN,
    _NPS_REASON,
    _PLANS,
    _REPLY,
    _ids,
    _ltr_mean,
)
from cxlib.simulation._truth import _observed_agent_rates

__all__ = []


def _stack(parts: list[dict], by: tuple[str, str] | None = None) -> pd.DataFrame:
    """One DataFrame from per-month dicts of columns (faster than concatenating frames).

    Each column is concatenated once and becomes its own block (``copy=False``: pandas does
    not copy the columns again to consolidate them). ``by`` sorts the rows by two columns,
    stably (as ``sort_values(list(by), kind="stable")``), before the frame is made.
    """
    sizes = [len(p["cid"]) for p in parts]
    cols = {}
    for key in parts[0]:
        cols[key] = np.concatenate([np.broadcast_to(np.asarray(p[key]), (k,)) for p, k in zip(parts, sizes)])
    if by is not None:
        order = np.lexsort((cols[by[1]], cols[by[0]]))
        cols = {key: col[order] for key, col in cols.items()}
    return pd.DataFrame(cols, copy=False)


def _activity_rows(w, t, idx, out) -> dict:
    return {
        "cid": idx,
        "t": t,
        "usage_gb": np.round(out["usage"], 2),
        "spend": np.round(out["spend"], 2),
        "products_held": out["products"].astype(int),
        "care_contacts": out["contacts"].astype(int),
        "complaints": out["complaints"].astype(int),
        "complaints_resolved": out["complaints_resolved"].astype(int),
        "positive_feedback": out["positive_feedback"].astype(int),
        "payment_issue": out["payment_issue"].astype(int),
        "help_video_views": out["video"].astype(int),
        "help_article_views": out["article"].astype(int),
        "churned": out["churn"].astype(int),
    }


def _contact_rows(w, t, idx, out, rng) -> dict:
    r = out["contacts_rows"]
    m = len(r["owner"])
    start = w.calendar[t]
    days = rng.integers(0, start.days_in_month, m)
    minutes = rng.integers(8 * 60, 21 * 60, m)
    ts = start + pd.to_timedelta(days, unit="D") + pd.to_timedelta(minutes, unit="min")
    tone_txt = np.empty(m, dtype=object)
    for ti, key in enumerate(("warm", "neutral", "curt")):
        sel = r["tone"] == ti
        tone_txt[sel] = np.array(_REPLY[key], dtype=object)[rng.integers(0, 4, sel.sum())]
    csat = r["csat"]
    comment = np.full(m, "", dtype=object)
    leave = rng.random(m) < 0.45
    for score in range(1, 6):
        sel = leave & (csat == score)
        pool = np.array(_FEEDBACK_COMMENT[score], dtype=object)
        comment[sel] = pool[rng.integers(0, len(pool), sel.sum())]
    warm = leave & (rng.random(m) < expit(-4.0 + 7.0 * w.connection[idx[r["owner"]]]))
    for good, replies in ((True, _FEEDBACK_WARM[True]), (False, _FEEDBACK_WARM[False])):
        sel = warm & ((csat >= 3) == good)
        comment[sel] = comment[sel] + " " + np.array(replies, dtype=object)[rng.integers(0, len(replies), sel.sum())]
    return {
        "cid": idx[r["owner"]],
        "timestamp": np.asarray(ts),
        "agent": r["agent"],
        "channel": np.array(_CHANNELS, dtype=object)[r["channel"]],
        "issue_type": np.array(_ISSUES, dtype=object)[r["issue"]],
        "proactive": r["proactive"].astype(int),
        "wait_minutes": np.round(r["wait"], 1),
        "handle_minutes": np.round(r["handle"], 1),
        "resolved_first_contact": r["fcr"].astype(int),
        "agent_reply": tone_txt,
        "answered": r["answered"],
        "csat": csat,
        "effort": r["effort"].astype(int),
        "comment": comment,
        "_eta": r["eta"],
    }


def _survey_rows(w, t, idx, out, state, rng) -> dict:
    n = len(idx)
    invited = rng.random(n) < 0.25
    s, conn = out["s"], w.connection[idx]
    answer = invited & (rng.random(n) < expit(-0.6 + 1.8 * s + 1.0 * (conn - 0.5)))
    a = np.flatnonzero(answer)
    tenure = state["tenure"][idx[a]]
    mu = _ltr_mean(s[a], out["connected"][a], tenure)
    ltr = np.clip(np.round(mu + rng.normal(0, _LTR_SD, len(a))), 0, 10).astype(int)
    k = len(a)
    polite = np.where(rng.random(k) < 0.85, 5, np.where(rng.random(k) < 0.8, 4, 3))
    shock = w.shock(t, idx[a])
    val = 3.2 + 0.8 * s[a] - 1.2 * w.price_sens[idx[a]] * shock - 0.6 * (w.plan[idx[a]] == 2) + rng.normal(0, 0.8, k)
    net = 3.6 + 1.8 * w.network(t) + 0.4 * s[a] + rng.normal(0, 0.8, k)
    sup = 3.4 + 0.6 * s[a] - 0.5 * (t >= w.change_month) + rng.normal(0, 0.9, k)
    ratings = {"value_for_money": val, "network_quality": net, "ease_of_support": sup}
    ratings = {key: np.clip(np.round(v), 1, 5).astype(int) for key, v in ratings.items()}
    c_a, ps_a = conn[a], w.price_sens[idx[a]]
    p_never = np.clip(0.05 + 0.55 * c_a - 0.25 * ps_a, 0.02, 0.9)
    u = rng.random(k)
    shop = np.where(
        u < p_never * 0.4,
        "never",
        np.where(u < p_never, "rarely", np.where(u < p_never + (1 - p_never) * 0.55, "sometimes", "often")),
    )
    disc = np.clip(np.round(4 + 30 * c_a * (1 - 0.5 * ps_a) - 5 * ps_a + rng.normal(0, 7, k)), 0, 60).astype(int)
    # comments: an opener whose warmth is driven by the latent emotional connection
    # (at every score), then a reason about the best/worst rated attribute
    group = np.where(ltr >= 9, "promoter", np.where(ltr >= 7, "passive", "detractor"))
    warm = rng.random(k) < expit(-4.0 + 7.0 * conn[a])
    opener = np.empty(k, dtype=object)
    for (g, is_warm), pool in _NPS_OPEN.items():
        sel = (group == g) & (warm == is_warm)
        opener[sel] = np.array(pool, dtype=object)[rng.integers(0, len(pool), sel.sum())]
    # the true causal effect of connection on recommending, for these respondents
    mu1 = _ltr_mean(s[a], 1.0, tenure)
    mu0 = _ltr_mean(s[a], 0.0, tenure)
    effect = (norm.sf(8.5, mu1, _LTR_SD), norm.sf(8.5, mu0, _LTR_SD))
    names = list(ratings)
    mat = np.column_stack([ratings[nm] for nm in names])
    pick = np.where(ltr >= 7, mat.argmax(axis=1), mat.argmin(axis=1))
    reason = np.empty(k, dtype=object)
    for j, nm in enumerate(names):
        for good in (True, False):
            sel = (pick == j) & ((ltr >= 7) == good)
            reasons = np.array(_NPS_REASON[nm][good], dtype=object)
            reason[sel] = reasons[rng.integers(0, len(reasons), sel.sum())]
    comment = np.where(rng.random(k) < 0.8, opener + " " + reason, "")
    day = rng.integers(3, 25, k)
    return {
        "cid": idx[a],
        "survey_date": np.asarray(w.calendar[t] + pd.to_timedelta(day, unit="D")),
        "tenure_months": tenure.astype(int),
        "ltr": ltr,
        "friendly_polite": polite,
        **ratings,
        "shop_around": shop,
        "switch_discount_pct": disc,
        "comment": comment,
        "_p_rec_connected": effect[0],
        "_p_rec_unconnected": effect[1],
    }


def _assemble(w, act_parts, con_parts, srv_parts, churn_month) -> dict:
    cal = w.calendar
    ids = w.customer_ids
    seen = np.zeros(w.n, bool)
    act = _stack(act_parts)
    seen[act["cid"].to_numpy()] = True
    act.insert(0, "customer_id", ids[act.pop("cid").to_numpy()])
    act.insert(1, "month", cal[act.pop("t").to_numpy()])
    churn_date = pd.Series(pd.NaT, index=range(w.n), dtype="datetime64[ns]")
    has = churn_month >= 0
    rng_days = (np.arange(w.n) * 7919) % 27 + 1  # deterministic day within the churn month
    churn_date[has] = (cal[churn_month[has]] + pd.to_timedelta(rng_days[has], unit="D")).to_numpy()
    customers = pd.DataFrame(
        {
            "customer_id": ids,
            "signup_date": w.signup,
            "age": w.age,
            "city": np.array(_CITIES, dtype=object)[w.city],
            "acquisition_channel": np.array(_ACQ, dtype=object)[w.channel_acq],
            "acquisition_cost": np.round(w.acq_cost, 2),
            "plan": np.array(_PLANS, dtype=object)[w.plan],
            "monthly_fee": _FEES[w.plan],
            "status": np.where(has, "churned", "active"),
            "churn_date": churn_date,
        }
    )[seen].reset_index(drop=True)
    agents = pd.DataFrame(
        {
            "agent_id": _ids("A", np.arange(len(w.agent_q)), len(w.agent_q), width=3),
            "team": w.agent_team,
            "channel": np.array(_CHANNELS, dtype=object)[w.agent_channel],
            "hire_date": pd.DatetimeIndex(w.agent_hire).normalize(),
        }
    )
    con = _stack(con_parts, by=("timestamp", "cid"))
    con.insert(0, "interaction_id", _ids("I", np.arange(len(con)), 10**6))
    con.insert(1, "customer_id", ids[con.pop("cid").to_numpy()])
    ag = con.pop("agent").to_numpy()
    con.insert(2, "agent_id", agents["agent_id"].to_numpy()[ag])
    con.insert(3, "team", w.agent_team.astype(object)[ag])
    w.agent_observed = _observed_agent_rates(con.pop("_eta").to_numpy(), ag, len(w.agent_q))
    fb = con.loc[
        con["answered"].to_numpy(),  # only the columns the feedback table keeps
        ["interaction_id", "customer_id", "agent_id", "team", "channel", "timestamp", "csat", "effort", "comment"],
    ]
    fb = fb.assign(date=fb["timestamp"].dt.normalize())
    fb.insert(0, "response_id", _ids("F", np.arange(len(fb)), 10**6))
    feedback = fb[
        [
            "response_id",
            "interaction_id",
            "customer_id",
            "agent_id",
            "team",
            "channel",
            "date",
            "csat",
            "effort",
            "comment",
        ]
    ].reset_index(drop=True)
    interactions = con.drop(columns=["answered", "csat", "effort", "comment"])
    srv = _stack(srv_parts, by=("survey_date", "cid"))
    w.respondent_rr = float(srv.pop("_p_rec_connected").mean() / srv.pop("_p_rec_unconnected").mean())
    srv.insert(0, "response_id", _ids("R", np.arange(len(srv)), 10**5))
    cid = srv.pop("cid").to_numpy()
    srv.insert(1, "customer_id", ids[cid])
    srv.insert(3, "plan", np.array(_PLANS, dtype=object)[w.plan[cid]])
    srv.insert(4, "city", np.array(_CITIES, dtype=object)[w.city[cid]])
    return {
        "customers": customers,
        "activity": act,
        "agents": agents,
        "interactions": interactions,
        "agent_feedback": feedback,
        "nps_surveys": srv,
    }

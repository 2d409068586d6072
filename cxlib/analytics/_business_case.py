"""The CX business case: a retention campaign's ROI with its uncertainty (part of :mod:`cxlib.analytics.economics`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from cxlib._deprecation import renamed_arguments
from cxlib.analytics.stats import check_level, z_value
from cxlib.checks import require_columns
from cxlib.errors import CxError

if TYPE_CHECKING:  # the churn package imports scikit-learn: economics only needs the name
    from cxlib.analytics.churn.targeting import TargetingResult

__all__ = ["BusinessCase", "business_case", "business_case_from_table", "holdout_se", "holdout_size"]


# =====================================================================================
# 5. the CX business case
# =====================================================================================
@dataclass
class BusinessCase:
    """A retention campaign's ROI with its uncertainty (see :func:`business_case`).

    Attributes
    ----------
    summary : DataFrame
        One row per metric (``customers_contacted``, ``expected_saves``, ``value_saved``,
        ``cost``, ``net``, ``roi`` and, with outcomes, ``realised_*``): ``estimate`` and the
        predictive interval ``low``, ``high``.
    draws : DataFrame
        The seeded simulated campaigns: one row per draw, the same metrics and the
        ``success_rate`` drawn.
    targeting : TargetingResult
        The profit curve the contact list comes from.
    contacted : ndarray of int
        Positions of the customers on the contact list.
    assumptions : dict
        The offer cost, success rate and its prior strength, incentive, interval level,
        number of customers scored and seed.
    notes : list of str
        Readable lines on how the rows were computed.
    p : ndarray or None
        The churn probabilities the case was computed from.
    value : ndarray or None
        The value saved per kept customer, one per customer.
    """

    summary: pd.DataFrame
    draws: pd.DataFrame = field(repr=False)
    targeting: TargetingResult = field(repr=False)
    contacted: np.ndarray = field(repr=False)
    assumptions: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)
    p: np.ndarray | None = field(repr=False, default=None)
    value: np.ndarray | None = field(repr=False, default=None)

    def __getitem__(self, metric: str) -> float:
        return float(self.summary.loc[metric, "estimate"])

    def __repr__(self) -> str:
        s = self.summary
        lines = [
            f"BusinessCase ({self.assumptions.get('n_customers', '?')} customers scored; "
            f"{100 * self.assumptions.get('level', 0.95):g}% interval from {len(self.draws)} seeded draws)"
        ]
        for m, r in s.iterrows():
            fmt = "{:.0%}" if m == "roi" else "{:,.0f}"
            if str(m).startswith("realised_"):  # churn observed, the offer's success still assumed
                band = "(observed)" if m == "realised_churners" else "(observed churn, assumed success rate)"
            elif pd.isna(r.estimate):  # an ROI with nobody contacted
                band = "(nobody contacted)"
            else:
                band = f"[{fmt.format(r.low)}, {fmt.format(r.high)}]"
            shown = "n/a" if pd.isna(r.estimate) else fmt.format(r.estimate)
            lines.append(f"  {m:20s} {shown:>10s}  {band}")
        return "\n".join(lines)


def _beta_ab(mean: float, strength: float) -> tuple[float, float]:
    return mean * strength, (1 - mean) * strength


def _campaign_draws(
    rng: np.random.Generator, pc: np.ndarray, vc: np.ndarray, s_draw: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Simulated campaigns on the contact list, one per success rate in ``s_draw``.

    For campaign i: who churns (uniform < p), then who of them is saved (uniform < s_i); the
    uniforms are drawn campaign by campaign, churn first (the order of a loop over campaigns,
    so a seed gives the same draws), in blocks of campaigns to keep memory small.
    Returns the saves, the value kept and the customers who would have stayed, per campaign.
    """
    n, n_draws = len(pc), len(s_draw)
    saves, kept, stayers = np.empty(n_draws), np.empty(n_draws), np.empty(n_draws)
    block = max(1, 1_000_000 // max(2 * n, 1))
    for start in range(0, n_draws, block):
        stop = min(start + block, n_draws)
        u = rng.random((stop - start, 2, n))
        churn = u[:, 0, :] < pc
        saved = churn & (u[:, 1, :] < s_draw[start:stop, None])
        saves[start:stop] = saved.sum(axis=1)
        kept[start:stop] = np.where(saved, vc, 0.0).sum(axis=1)
        stayers[start:stop] = n - churn.sum(axis=1)
    return saves, kept, stayers


def business_case(
    p,
    value,
    *,
    offer_cost: float,
    success_rate: float,
    success_strength: float = 20.0,
    incentive: float = 0.0,
    n_draws: int = 2000,
    seed: int = 0,
    level: float = 0.95,
    y=None,
) -> BusinessCase:
    """One-page ROI of a retention campaign, with a seeded predictive interval.

    The plan uses :func:`cxlib.analytics.churn.targeting_profit`: contact every customer whose
    expected profit :math:`p_i s V_i - c - (1-p_i) g` is positive (the peak of the
    profit curve). The point estimates are expectations under the model's
    probabilities and the assumed success rate:

    * customers contacted, n; expected saves = s·Σp_i; value saved = s·Σp_iV_i;
    * cost = n·c + g·Σ(1−p_i); net = value saved − cost; ROI = net / cost.

    The interval repeats the planned campaign ``n_draws`` times on the same list: the
    success rate is drawn from Beta(s·k, (1−s)·k) with k = ``success_strength``, and
    who churns and who is saved are drawn (Bernoulli p_i, then Bernoulli s). The list,
    and so the contact cost n·c, is the plan: it is fixed, not resampled (only the
    incentive wasted on customers who would have stayed varies with who churns). It is
    a **predictive** interval for the campaign's result, assuming the probabilities are
    calibrated.

    Parameters
    ----------
    p : array of float
        Churn probabilities (0-1), one per customer.
    value : float or array
        Value saved when a would-be churner is kept (e.g. CLV), USD.
    offer_cost, success_rate, incentive : as in :func:`cxlib.analytics.churn.targeting_profit`
    success_strength : float, default 20
        Prior strength (pseudo-count) of the Beta prior on the success rate.
    n_draws : int, default 2000
        Simulated campaigns behind the interval (at least 100).
    seed : int, default 0
        Seed of the simulated campaigns.
    level : float, default 0.95
        Coverage of the predictive interval.
    y : array of 0/1, optional
        Actual outcomes: adds ``realised`` rows (value saved on the actual churners, in
        expectation over the offer's success).

    Returns
    -------
    BusinessCase
        ``summary`` (metric × estimate, low, high), ``draws``, ``targeting`` (the
        :class:`~cxlib.analytics.churn.TargetingResult`), ``contacted`` (positions of the
        customers on the list), ``p`` and ``value`` (the inputs, to rerun with other
        assumptions), ``plot()``.

    Examples
    --------
    Two customers worth contacting (p = 0.5 and 0.2 at V = 200, c = 10, s = 0.3):

    >>> bc = business_case([0.5, 0.2, 0.05], 200, offer_cost=10, success_rate=0.3, n_draws=200)
    >>> bc["customers_contacted"], round(bc["expected_saves"], 2), bc["value_saved"], bc["cost"], bc["net"]
    (2.0, 0.21, 42.0, 20.0, 22.0)
    >>> round(bc["roi"], 2)
    1.1
    """
    from cxlib.analytics.churn import targeting_profit

    if not 0 < success_rate < 1:
        raise CxError(
            f"success_rate is the share of would-be churners the offer keeps, strictly between 0 and 1; "
            f"got {success_rate}."
        )
    if success_strength <= 0:
        raise CxError(f"success_strength (the prior's pseudo-count) must be positive; got {success_strength}.")
    if n_draws < 100:
        raise CxError(f"n_draws must be at least 100 for a stable interval; got {n_draws}.")
    level = check_level(level)
    p = np.asarray(p, float)
    tr = targeting_profit(p, value, offer_cost=offer_cost, success_rate=success_rate, incentive=incentive, y=y)
    V = np.broadcast_to(np.asarray(value, float), p.shape).astype(float)
    if np.any(np.isnan(V)) or np.any(V < 0):
        raise CxError("value must be numbers ≥ 0 (the value saved when a would-be churner stays).")
    pi = p * success_rate * V - offer_cost - (1 - p) * incentive
    contacted = np.flatnonzero(pi > 0)
    pc, vc = p[contacted], V[contacted]
    n = len(contacted)
    cost = n * offer_cost + incentive * float(np.sum(1 - pc))
    saved = success_rate * float(np.sum(pc * vc))
    est = {
        "customers_contacted": float(n),
        "expected_saves": success_rate * float(pc.sum()),
        "value_saved": saved,
        "cost": cost,
        "net": saved - cost,
        "roi": (saved - cost) / cost if cost > 0 else np.nan,
    }
    # predictive draws on the planned list (its size and contact cost are fixed) ---------
    rng = np.random.default_rng(seed)
    a, b = _beta_ab(success_rate, success_strength)
    s_draw = rng.beta(a, b, size=n_draws)
    saves, value_kept, stayers = _campaign_draws(rng, pc, vc, s_draw)
    c_all = n * offer_cost + incentive * stayers
    with np.errstate(invalid="ignore", divide="ignore"):
        roi_all = np.where(c_all > 0, (value_kept - c_all) / c_all, np.nan)
    rows = np.column_stack([np.full(n_draws, float(n)), saves, value_kept, c_all, value_kept - c_all, roi_all])
    draws = pd.DataFrame(rows, columns=list(est))
    draws["success_rate"] = s_draw
    q = [(1 - level) / 2, 1 - (1 - level) / 2]
    summary = pd.DataFrame({"estimate": pd.Series(est)})
    summary["low"] = draws[list(est)].quantile(q[0]).to_numpy()
    summary["high"] = draws[list(est)].quantile(q[1]).to_numpy()
    notes = []
    if y is not None:
        yy = np.asarray(y, float)[contacted]
        real_saved = success_rate * float(np.sum(yy * vc))
        real_cost = n * offer_cost + incentive * float(np.sum(1 - yy))
        summary.loc["realised_churners", ["estimate", "low", "high"]] = [float(yy.sum()), np.nan, np.nan]
        summary.loc["realised_net", ["estimate", "low", "high"]] = [real_saved - real_cost, np.nan, np.nan]
        notes.append("realised rows use the actual outcomes of the contacted customers and the assumed success rate")
    summary.index.name = "metric"
    return BusinessCase(
        summary=summary,
        draws=draws,
        targeting=tr,
        contacted=contacted,
        assumptions={
            "offer_cost": offer_cost,
            "success_rate": success_rate,
            "success_strength": success_strength,
            "incentive": incentive,
            "level": level,
            "n_customers": len(p),
            "seed": seed,
        },
        notes=notes,
        p=p,
        value=V,
    )


def holdout_se(churn_rate: float, success_rate: float, n_per_arm):
    """Standard error of an offer's success rate as a randomised holdout measures it.

    Half of a list is contacted, half held out. The success rate is read as
    :math:`\\hat s = 1 - \\hat q_c / \\hat q_h`, one minus the churn among the contacted over the churn
    among the held out (:math:`q_c = q(1 - s)`, :math:`q_h = q`). By the delta method,

    .. math:: \\operatorname{SE}(\\hat s) = \\sqrt{\\frac{(1 - s)(1 - q_c) + (1 - s)^2 (1 - q)}{q\\, n}}

    A measurement with this standard error is worth about :math:`s(1-s)/\\operatorname{SE}^2` would-be
    churners in the prior's strength (``success_strength`` of :func:`business_case`). The
    approximation holds when the held-out half expects about 30 churners or more
    (:math:`q\\,n \\ge 30`); with fewer it understates the spread (by 20-40% near 12).

    Parameters
    ----------
    churn_rate : float
        The list's churn rate without a call, :math:`q` (0-1).
    success_rate : float
        The offer's success rate, :math:`s` (0-1): the share of would-be churners it keeps.
    n_per_arm : int or array of int
        Customers in each half (contacted, held out).

    Returns
    -------
    float or numpy.ndarray
        The standard error of :math:`\\hat s`.

    Examples
    --------
    >>> round(float(holdout_se(0.27, 0.30, 236)), 3)
    0.121
    """
    q, s = float(churn_rate), float(success_rate)
    if not (0 < q <= 1 and 0 <= s < 1):
        raise CxError(
            f"churn_rate must be in (0, 1] and success_rate in [0, 1); got {churn_rate!r} and {success_rate!r}."
        )
    qc = q * (1 - s)
    n = np.asarray(n_per_arm, dtype=float)
    if not np.all(n > 0):  # NaN fails too
        raise CxError(f"n_per_arm must be a positive number of customers; got {n_per_arm!r}.")
    out = np.sqrt(((1 - s) * (1 - qc) + (1 - s) ** 2 * (1 - q)) / (q * n))
    return float(out) if out.ndim == 0 else out


def holdout_size(churn_rate: float, success_rate: float, margin: float, *, level: float = 0.95) -> int:
    """Customers needed in each half of a randomised holdout to measure the success rate to ± ``margin``.

    The smallest :math:`n` with :math:`z \\cdot` :func:`holdout_se` :math:`\\le` ``margin``.

    Parameters
    ----------
    churn_rate, success_rate : float
        As in :func:`holdout_se`.
    margin : float
        Half-width of the interval wanted for the success rate (e.g. 0.05).
    level : float, default 0.95
        Confidence level of that interval.

    Returns
    -------
    int
        Customers per half (contacted, and as many held out).

    Examples
    --------
    >>> holdout_size(0.27, 0.30, 0.05)
    5267
    """
    if not 0 < margin < 1:
        raise CxError(f"margin must be between 0 and 1 (a share of the success rate); got {margin!r}.")
    z = z_value(level)
    return int(np.ceil((z * holdout_se(churn_rate, success_rate, 1) / margin) ** 2))


def _check_margin_rate(margin_rate: float) -> None:
    if not 0 < margin_rate <= 1:
        raise CxError(f"margin_rate is the share of revenue kept as margin, in (0, 1]; got {margin_rate}.")


def customer_values(
    monthly_revenue: Any,
    churned: Any,
    *,
    margin_rate: float = 0.35,
    annual_discount: float = 0.10,
    horizon: int = 3,
) -> tuple[np.ndarray, float]:
    """What keeping each customer is worth, in the course's one convention (margin lifetime value).

    Monthly retention is read from the outcomes, r = (1 − churn rate)^(1/horizon); each
    customer's value is :func:`cxlib.analytics.economics.clv` of their monthly margin
    (``margin_rate`` × monthly revenue) with that r and the monthly equivalent of
    ``annual_discount``, margin counted at the start of each month. Lessons 01, 06 and 07
    and :func:`business_case_from_table` value a saved customer this way.

    Parameters
    ----------
    monthly_revenue : array-like of float
        Each customer's monthly revenue (no blanks, never negative).
    churned : array-like of 0/1
        Whether each customer churned within ``horizon`` months (the retention estimate).
    margin_rate : float, default 0.35
        Share of revenue kept as margin (an assumption: state it).
    annual_discount : float, default 0.10
        Yearly discount rate.
    horizon : int, default 3
        Months over which ``churned`` counts churn.

    Returns
    -------
    (numpy.ndarray, float)
        Each customer's value, and the monthly retention used.

    Examples
    --------
    >>> v, r = customer_values([20.0, 40.0], [0, 1], horizon=1)
    >>> round(r, 2), [round(float(x), 1) for x in v]
    (0.5, [13.9, 27.8])
    """
    from cxlib.analytics.economics import clv, monthly_rate

    spend = np.asarray(monthly_revenue, dtype=float)
    y = np.asarray(churned, dtype=float)
    if len(spend) != len(y) or len(y) == 0 or np.isnan(spend).any() or (spend < 0).any():
        raise CxError("customer_values() needs one revenue (a number of 0 or more) and one outcome per customer.")
    _check_margin_rate(margin_rate)
    r = float((1 - y.mean()) ** (1 / horizon))
    values = np.asarray(clv(margin_rate * spend, min(r, 1 - 1e-9), monthly_rate(annual_discount)), float)
    return values, r


@renamed_arguments(horizon_months="horizon")
def business_case_from_table(
    df: pd.DataFrame,
    *,
    id_column: str = "customer_id",
    target_column: str = "churned",
    value_column: str = "spend_last",
    margin_rate: float = 0.35,
    offer_cost: float = 10.0,
    success_rate: float = 0.3,
    horizon: int = 3,
    annual_discount: float = 0.10,
    success_strength: float = 20.0,
    folds: int = 5,
    n_draws: int = 2000,
    seed: int = 0,
) -> BusinessCase:
    """The whole business case from a customer-level churn table (any company's export).

    1. :func:`cxlib.analytics.churn.clean_features` reads the target (0/1, yes/no, ...) and
       types the features; :class:`cxlib.analytics.churn.ChurnModel` gives **out-of-fold**
       churn probabilities (stratified ``folds``-fold, seeded), so no customer is
       scored by a model that saw their outcome.
    2. Monthly retention is read from the table: r = (1 − churn rate)^(1/horizon).
    3. The value saved per customer is their CLV: :func:`cxlib.analytics.economics.clv` with margin
       ``margin_rate`` × ``value_column`` (monthly revenue), r and the monthly
       equivalent of ``annual_discount`` (start-of-period convention).
    4. :func:`business_case` with the offer assumptions.

    Rows with a blank target are excluded; rows with a blank or non-numeric value
    get the median value. Both are counted in ``notes`` and ``assumptions``.

    Parameters
    ----------
    df : DataFrame
        One row per customer: id, churn target, monthly revenue and features.
    id_column, target_column, value_column : str
        Column names.
    margin_rate : float, default 0.35
        Share of revenue kept as margin.
    offer_cost, success_rate, success_strength, n_draws, seed
        As in :func:`business_case`.
    horizon : int, default 3
        Months in which the target counts churn.
    annual_discount : float, default 0.10
        Yearly discount rate of the CLV.
    folds : int, default 5
        Cross-validation folds of the out-of-fold probabilities.

    Returns
    -------
    BusinessCase
        With ``assumptions`` (retention, margin, ids, ...) and ``notes``.

    Examples
    --------
    >>> from cxlib.data import datasets
    >>> bc = business_case_from_table(datasets.load_churn_snapshot(), n_draws=200)
    >>> bool(bc["net"] > 0), bool(bc.summary.loc["net", "low"] < bc["net"] < bc.summary.loc["net", "high"])
    (True, True)
    """
    from cxlib.analytics.churn import ChurnModel, clean_features, parse_target
    from cxlib.data.io import to_numbers

    require_columns(df, [id_column, target_column, value_column], "business_case_from_table()")
    _check_margin_rate(margin_rate)
    if horizon < 1:
        raise CxError(f"horizon (the months in which the target counts churn) must be ≥ 1; got {horizon}.")
    table = clean_features(df, target_column, id_column=id_column)
    keep = parse_target(df[target_column], target_column)[0].notna().to_numpy()
    y = table.y.to_numpy()
    p = ChurnModel(random_state=seed).oof_predict(table.X, y, folds=folds, seed=seed)
    raw = df.loc[keep, value_column]
    spend = raw if pd.api.types.is_numeric_dtype(raw) else to_numbers(raw, errors="coerce", name=value_column)
    spend = spend.where(spend >= 0)
    n_value_missing = int(spend.isna().sum())
    if n_value_missing == len(spend):
        raise CxError(f"the value column {value_column!r} has no usable number (monthly revenue per customer).")
    spend = spend.fillna(spend.median()).to_numpy(float)
    V, r = customer_values(spend, y, margin_rate=margin_rate, annual_discount=annual_discount, horizon=horizon)
    bc = business_case(
        p,
        V,
        offer_cost=offer_cost,
        success_rate=success_rate,
        success_strength=success_strength,
        n_draws=n_draws,
        seed=seed,
        y=y,
    )
    bc.notes = (
        table.notes()
        + (
            [f"{n_value_missing} customer(s) with a blank or negative {value_column!r} valued at the median"]
            if n_value_missing
            else []
        )
        + bc.notes
    )
    bc.assumptions.update(
        {
            "monthly_retention": r,
            "margin_rate": margin_rate,
            "annual_discount": annual_discount,
            "n_excluded_blank_target": table.n_missing_target,
            "n_value_imputed": n_value_missing,
            "mean_value": float(V.mean()),
            "ids": df.loc[keep, id_column].to_numpy(),
        }
    )
    return bc

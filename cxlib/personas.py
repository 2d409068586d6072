"""Personas from data: RFM scores, customer segmentation, stability and persona cards.

A persona (Cooper 1999) is a short, named description of a group of customers that
staff can picture. Article 001 asks for personas with a name and personality
("Anne, 35, looks for a video tutorial herself"; "John, 42, needs clear step-by-step
instructions on a web page"). This module makes such personas *from behaviour*, and
keeps every trait tied to a number:

``rfm``
    recency / frequency / monetary quintile scores, the transparent baseline.
``customer_features``
    one row per customer of behavioural features built from the customers,
    activity, interactions and survey tables.
``Segmenter``
    log-transform skewed columns, standardise, k-means; the number of segments
    chosen by mean silhouette (Rousseeuw 1987) with a minimum segment size, and
    stability checked by bootstrap (adjusted Rand index, Hubert & Arabie 1985;
    per-segment Jaccard, Hennig 2007).
``persona_cards``
    one card per segment: a name built from the features that clearly differ,
    age band, channel and support-content preference, needs, size, stability,
    centroid z-scores, and a list of traits the data does **not** support.
``compare_segments``, ``rate_by_segment``
    agreement with another labelling (e.g. the simulator's true personas) and an
    outcome rate per segment with Wilson intervals.

Examples
--------
>>> from sklearn.datasets import make_blobs
>>> X, _ = make_blobs(n_samples=300, centers=[[0, 0], [8, 0], [0, 8]], random_state=1)
>>> X = pd.DataFrame(X, columns=["a", "b"])
>>> seg = Segmenter(random_state=0).fit(X)
>>> seg.k_
3
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

import numpy as np
import pandas as pd

from cxlib.errors import CxError, Problem, ValidationError

__all__ = [
    "rfm", "customer_features", "DEFAULT_FEATURES", "Segmenter", "StabilityResult",
    "choose_k", "stability", "persona_cards", "PersonaCard", "PersonaCards", "Trait",
    "compare_segments", "SegmentComparison", "rate_by_segment", "best_match",
    "explore", "default_features",
]

#: Features used for segmentation when none are given: who the customer is and how
#: they use the service. Outcome-like columns (care contacts, complaints, tenure, survey
#: answers, churn) are left out on purpose, so they can *test* the personas afterwards.
DEFAULT_FEATURES = [
    "age", "usage_gb", "spend", "products_held", "help_video_views", "help_article_views",
    "digital_contact_share",
]

#: Words for a feature that is clearly high / low in a segment (used in names and traits).
FEATURE_WORDS: dict[str, tuple[str, str, str]] = {
    # column: (label for the number, word when high, word when low)
    "age": ("median age (years)", "older", "younger"),
    "tenure_months": ("tenure (months)", "long-standing", "newer"),
    "usage_gb": ("data use (GB/month)", "heavy data users", "light data users"),
    "spend": ("spend (USD/month)", "high spenders", "low spenders"),
    "products_held": ("products held", "multi-product", "single-product"),
    "care_contacts": ("care contacts per month", "frequent contacts", "rare contacts"),
    "complaints": ("complaints per month", "complaint-prone", "rarely complain"),
    "help_views": ("help views per month", "self-service users", "rarely use self-service"),
    "help_video_views": ("help videos watched per month", "video watchers", "rarely watch help videos"),
    "help_article_views": ("help pages read per month", "help-page readers", "rarely read help pages"),
    "video_share": ("share of help views that are videos", "video learners", "web-page readers"),
    "digital_contact_share": ("share of contacts by chat/email", "digital contact", "phone/store contact"),
    "monthly_fee": ("monthly fee (USD)", "premium plan", "budget plan"),
}

#: Traits no behavioural table can show; every card warns against adding them.
UNSUPPORTED_ALWAYS = (
    "personality, motives and attitudes (e.g. 'loves new tech')",
    "gender, family, job or income",
    "a single 'typical' age: ages in a segment spread widely (see the age band)",
)

_CHANNELS = ("phone", "chat", "email", "store")


# ----------------------------------------------------------------------------------
# validation helpers
# ----------------------------------------------------------------------------------
def _require_columns(df: pd.DataFrame, columns: Sequence[str], source: str) -> None:
    if not isinstance(df, pd.DataFrame):
        raise CxError(f"{source}: expected a pandas DataFrame, got {type(df).__name__}. "
                      "Load your file with cxlib.io.read_table or pandas.read_csv first.")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        have = ", ".join(map(str, list(df.columns)[:12]))
        raise ValidationError([Problem("missing column", column=c,
                                       fix=f"Add the column or pass the name your file uses "
                                           f"(columns found: {have}).") for c in missing],
                              source=source)


def _numeric_problems(df: pd.DataFrame, columns: Sequence[str]) -> list[Problem]:
    problems = []
    for c in columns:
        s = df[c]
        if not (pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)):
            bad = pd.to_numeric(s, errors="coerce").isna() & s.notna()
            rows = tuple(int(i) + 2 for i in np.flatnonzero(bad.to_numpy())[:5])
            problems.append(Problem("not a number column", column=c, rows=rows,
                                    values=tuple(s[bad].head(5).tolist()), count=int(bad.sum()),
                                    fix="Segment on numeric features only; encode categories "
                                        "as shares or 0/1 columns first, or drop this feature."))
            continue
        na = s.isna().to_numpy()
        if na.any():
            rows = tuple(int(i) + 2 for i in np.flatnonzero(na)[:5])
            problems.append(Problem("missing values", column=c, rows=rows, values=(None,) * len(rows),
                                    count=int(na.sum()),
                                    fix="Fill them deliberately (e.g. 0 views) or drop those "
                                        "customers before segmenting, and report how many."))
        elif not np.isfinite(s.to_numpy(dtype=float)).all():
            inf = ~np.isfinite(s.to_numpy(dtype=float))
            problems.append(Problem("infinite values", column=c, count=int(inf.sum()),
                                    rows=tuple(int(i) + 2 for i in np.flatnonzero(inf)[:5]),
                                    fix="Check the division that produced them."))
    return problems


# ----------------------------------------------------------------------------------
# RFM
# ----------------------------------------------------------------------------------
def _quintile(x: pd.Series, bins: int) -> pd.Series:
    """Score 1..bins by ``pd.qcut(x.rank(method="first"), bins)``; higher x, higher score."""
    return pd.qcut(x.rank(method="first"), bins, labels=list(range(1, bins + 1))).astype(int)


def rfm(df: pd.DataFrame, id: str = "customer_id", date: str = "date", amount: str = "amount",
        *, asof: Any = None, bins: int = 5) -> pd.DataFrame:
    """Recency, frequency and monetary scores (1..``bins``) per customer.

    Parameters
    ----------
    df : DataFrame
        One row per purchase (or per billed month).
    id, date, amount : str
        Column names of the customer id, the purchase date and the amount.
    asof : date-like, optional
        The day recency is measured from; default the day after the last date in ``df``.
    bins : int
        Number of score levels (5 = quintiles).

    Returns
    -------
    DataFrame indexed by customer with ``recency_days`` (days from the last purchase to
    ``asof``), ``frequency`` (number of rows), ``monetary`` (sum of ``amount``), the scores
    ``R``, ``F``, ``M`` (each 1..bins; R = bins is the *most recent*), ``rfm_code``
    (e.g. ``"545"``) and ``rfm_score`` (R + F + M).

    Notes
    -----
    Scores are quantiles of ``x.rank(method="first")`` so ties are broken by row order
    and every score level holds the same number of customers (± 1). Rows whose amount
    or date is missing are an error, not silently dropped.

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": list("AABBBCDDDDE"),
    ...     "date": pd.to_datetime(["2024-01-01", "2024-03-01", "2024-02-01", "2024-02-15",
    ...         "2024-03-20", "2024-01-10", "2024-03-01", "2024-03-05", "2024-03-10",
    ...         "2024-03-30", "2023-12-01"]),
    ...     "amount": [10, 10, 5, 5, 5, 100, 20, 20, 20, 20, 1]})
    >>> rfm(tx, asof="2024-04-01")[["recency_days", "frequency", "monetary", "rfm_code"]]
                 recency_days  frequency  monetary rfm_code
    customer_id
    A                      31          2        20      333
    B                      12          3        15      442
    C                      82          1       100      215
    D                       2          4        80      554
    E                     122          1         1      121
    """
    _require_columns(df, [id, date, amount], "rfm")
    problems = _numeric_problems(df, [amount])
    dates = pd.to_datetime(df[date], errors="coerce")
    bad = dates.isna().to_numpy()
    if bad.any():
        rows = tuple(int(i) + 2 for i in np.flatnonzero(bad)[:5])
        problems.append(Problem("not a date", column=date, rows=rows, count=int(bad.sum()),
                                values=tuple(df[date][bad].head(5).tolist()),
                                fix="Dates must be like 2024-03-31; fix or remove those rows."))
    if problems:
        raise ValidationError(problems, source="rfm")
    d = pd.DataFrame({"id": df[id].to_numpy(), "date": dates.to_numpy(), "amount": df[amount].to_numpy()})
    g = d.groupby("id", sort=True)
    out = pd.DataFrame({"last": g["date"].max(), "frequency": g.size(), "monetary": g["amount"].sum()})
    if len(out) < bins:
        raise CxError(f"rfm: {len(out)} customers cannot be split into {bins} score levels; "
                      f"use bins <= {len(out)} or more customers.")
    ref = pd.Timestamp(asof) if asof is not None else d["date"].max() + pd.Timedelta(days=1)
    out["recency_days"] = (ref - out["last"]).dt.days
    if (out["recency_days"] < 0).any():
        raise CxError("rfm: some purchases are after `asof`; pass a later asof or filter the rows.")
    out["R"] = _quintile(-out["recency_days"], bins)
    out["F"] = _quintile(out["frequency"], bins)
    out["M"] = _quintile(out["monetary"], bins)
    out["rfm_code"] = out["R"].astype(str) + out["F"].astype(str) + out["M"].astype(str)
    out["rfm_score"] = out[["R", "F", "M"]].sum(axis=1)
    out.index.name = id
    return out[["recency_days", "frequency", "monetary", "R", "F", "M", "rfm_code", "rfm_score"]]


def rfm_segment(scores: pd.DataFrame) -> pd.Series:
    """Name classic RFM groups from ``R`` and ``F`` scores (5 levels).

    ``champions`` (R ≥ 4, F ≥ 4), ``loyal`` (R ≥ 3, F ≥ 3), ``new`` (R ≥ 4, F ≤ 2),
    ``at risk`` (R ≤ 2, F ≥ 3), ``lost`` (R ≤ 2, F ≤ 2), else ``needs attention``.

    Examples
    --------
    >>> rfm_segment(pd.DataFrame({"R": [5, 3, 5, 1, 1, 3], "F": [5, 3, 1, 4, 1, 1]})).tolist()
    ['champions', 'loyal', 'new', 'at risk', 'lost', 'needs attention']
    """
    _require_columns(scores, ["R", "F"], "rfm_segment")
    r, f = scores["R"], scores["F"]
    conds = [(r >= 4) & (f >= 4), (r >= 3) & (f >= 3), (r >= 4) & (f <= 2), (r <= 2) & (f >= 3),
             (r <= 2) & (f <= 2)]
    names = ["champions", "loyal", "new", "at risk", "lost"]
    return pd.Series(np.select(conds, names, default="needs attention"), index=scores.index,
                     name="rfm_segment")


__all__.append("rfm_segment")


# ----------------------------------------------------------------------------------
# feature table
# ----------------------------------------------------------------------------------
def customer_features(customers: pd.DataFrame, activity: pd.DataFrame,
                      interactions: pd.DataFrame | None = None, surveys: pd.DataFrame | None = None,
                      *, id: str = "customer_id", until: Any = None) -> pd.DataFrame:
    """One row per customer of behavioural features for segmentation.

    Parameters
    ----------
    customers : DataFrame
        The customers table (``customer_id``, ``age``, ``signup_date``, ``plan``,
        ``monthly_fee``, ``city``).
    activity : DataFrame
        One row per customer and month (``month``, ``usage_gb``, ``spend``,
        ``products_held``, ``care_contacts``, ``complaints``, ``help_video_views``,
        ``help_article_views``).
    interactions : DataFrame, optional
        Support contacts with ``channel`` (phone, chat, email, store) and ``timestamp``;
        gives the contact-channel shares and the preferred channel.
    surveys : DataFrame, optional
        NPS survey answers with ``ltr`` and ``survey_date``; gives ``ltr_mean`` and
        ``n_surveys`` (kept for *checking* personas, not in :data:`DEFAULT_FEATURES`).
    id : str
        The customer id column.
    until : date-like, optional
        Use only activity months, contacts and surveys *before* this date and only
        customers active in the month before it and not cancelled before it (a
        ``churned`` column of ``activity``, if present, marks the month a customer
        cancelled). These are point-in-time features, so a later outcome such as
        churn after ``until`` can test the personas without circularity. Default: all rows.

    Returns
    -------
    DataFrame indexed by customer id. Per-month means of the activity counts, then
    ``tenure_months`` (signup to ``until`` or to the last active month), ``help_views``
    (videos + articles per month), ``video_share`` (share of help views that are videos,
    smoothed as (videos + 1) / (videos + articles + 2) so customers who never opened
    help sit at 0.5 instead of being dropped), ``digital_contact_share`` (chat + email
    over all contacts, smoothed the same way), ``preferred_channel`` (most used contact
    channel, ``"none"`` without contacts), ``contacts_<channel>`` per month, and the
    descriptive columns ``plan``, ``city``, ``monthly_fee`` from ``customers``.
    ``attrs["n_excluded"]`` counts customers left out because they had no activity.

    Examples
    --------
    >>> cust = pd.DataFrame({"customer_id": ["C1", "C2"], "age": [30, 50],
    ...     "signup_date": pd.to_datetime(["2023-01-01", "2022-01-01"]),
    ...     "plan": ["Basic", "Plus"], "monthly_fee": [10.0, 20.0], "city": ["Tehran", "Shiraz"]})
    >>> act = pd.DataFrame({"customer_id": ["C1", "C1", "C2"],
    ...     "month": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-01-01"]),
    ...     "usage_gb": [4.0, 6.0, 1.0], "spend": [10.0, 12.0, 20.0], "products_held": [1, 1, 2],
    ...     "care_contacts": [0, 2, 1], "complaints": [0, 0, 1],
    ...     "help_video_views": [3, 3, 0], "help_article_views": [0, 0, 2]})
    >>> f = customer_features(cust, act)
    >>> f[["usage_gb", "help_views", "video_share"]].round(3)
                 usage_gb  help_views  video_share
    customer_id
    C1                5.0         3.0        0.875
    C2                1.0         2.0        0.250
    """
    act_cols = ["month", "usage_gb", "spend", "products_held", "care_contacts", "complaints",
                "help_video_views", "help_article_views"]
    _require_columns(customers, [id, "age", "signup_date"], "customer_features: customers")
    _require_columns(activity, [id] + act_cols, "customer_features: activity")
    problems = _numeric_problems(activity, act_cols[1:]) + _numeric_problems(customers, ["age"])
    if problems:
        raise ValidationError(problems, source="customer_features")
    act = activity.copy()
    act["month"] = pd.to_datetime(act["month"])
    if until is not None:
        until = pd.Timestamp(until)
        act = act[act["month"] < until]
        last_month = until - pd.DateOffset(months=1)
        active = act.loc[act["month"] >= last_month, id].unique()
        if "churned" in act.columns:  # cancelled before the cutoff: not active at it
            gone = act.loc[pd.to_numeric(act["churned"], errors="coerce").eq(1), id].unique()
            active = np.setdiff1d(active, gone)
        act = act[act[id].isin(active)]
    g = act.groupby(id, sort=True)
    means = g[act_cols[1:]].mean()
    out = means.rename(columns={})
    out["months_active"] = g.size()
    out["help_views"] = means["help_video_views"] + means["help_article_views"]
    vids, arts = g["help_video_views"].sum(), g["help_article_views"].sum()
    out["video_share"] = (vids + 1) / (vids + arts + 2)
    cust = customers.drop_duplicates(id).set_index(id)
    n_excluded = int((~cust.index.isin(out.index)).sum())
    out = out.join(cust[[c for c in ("age", "signup_date", "plan", "monthly_fee", "city")
                         if c in cust.columns]], how="left")
    end = until if until is not None else g["month"].max() + pd.DateOffset(months=1)
    signup = pd.to_datetime(out["signup_date"])
    out["tenure_months"] = ((end - signup).dt.days / 30.4375).round(1)
    out = out.drop(columns=["signup_date"])
    if interactions is not None:
        _require_columns(interactions, [id, "channel"], "customer_features: interactions")
        it = interactions
        if until is not None and "timestamp" in it.columns:
            it = it[pd.to_datetime(it["timestamp"]) < until]
        counts = pd.crosstab(it[id], it["channel"]).reindex(columns=_CHANNELS, fill_value=0)
        counts = counts.reindex(out.index, fill_value=0)
        total = counts.sum(axis=1)
        for ch in _CHANNELS:
            out[f"contacts_{ch}"] = counts[ch] / out["months_active"]
        digital = counts["chat"] + counts["email"]
        out["digital_contact_share"] = (digital + 1) / (total + 2)
        pref = counts.idxmax(axis=1).where(total > 0, "none")
        out["preferred_channel"] = pref
    if surveys is not None:
        _require_columns(surveys, [id, "ltr"], "customer_features: surveys")
        sv = surveys
        if until is not None and "survey_date" in sv.columns:
            sv = sv[pd.to_datetime(sv["survey_date"]) < until]
        s = sv.groupby(id)["ltr"].agg(["mean", "size"])
        out["ltr_mean"] = s["mean"].reindex(out.index)
        out["n_surveys"] = s["size"].reindex(out.index).fillna(0).astype(int)
    out.index.name = id
    out.attrs["n_excluded"] = n_excluded
    return out


def default_features(table: pd.DataFrame) -> list[str]:
    """The :data:`DEFAULT_FEATURES` that ``table`` has (for an analyst's own feature table).

    Examples
    --------
    >>> default_features(pd.DataFrame(columns=["age", "spend", "city"]))
    ['age', 'spend']
    """
    feats = [c for c in DEFAULT_FEATURES if c in table.columns]
    if len(feats) < 2:
        raise CxError(f"default_features: the table has {len(feats)} of the default features "
                      f"({', '.join(DEFAULT_FEATURES)}); pass FEATURES = [...] with at least two "
                      "numeric columns of your table.")
    return feats


# ----------------------------------------------------------------------------------
# segmentation
# ----------------------------------------------------------------------------------
def _skewed(X: pd.DataFrame, threshold: float = 1.0) -> list[str]:
    """Non-negative columns with skewness above ``threshold`` (money and counts)."""
    return [c for c in X.columns if (X[c] >= 0).all() and X[c].skew() > threshold]


def _one_thread():
    """Run k-means single-threaded: on a shared machine OpenMP threads oversubscribe the
    cores (a 1 s fit became 30 s in our tests), and one thread also makes the floating-point
    reductions, hence the labels, identical on every machine."""
    try:
        from threadpoolctl import threadpool_limits  # installed with scikit-learn
    except ImportError:  # pragma: no cover
        from contextlib import nullcontext

        return nullcontext()
    return threadpool_limits(limits=1)


def _kmeans(Z: np.ndarray, k: int, random_state: int, n_init: int):
    from sklearn.cluster import KMeans

    with _one_thread():
        return KMeans(n_clusters=k, n_init=n_init, random_state=random_state).fit(Z)


def _silhouette(Z: np.ndarray, labels: np.ndarray, sample_size: int | None, random_state: int) -> float:
    from sklearn.metrics import silhouette_score

    if len(np.unique(labels)) < 2:
        return float("nan")
    n = len(Z)
    size = None if sample_size is None or n <= sample_size else sample_size
    return float(silhouette_score(Z, labels, sample_size=size, random_state=random_state))


def choose_k(Z: np.ndarray | pd.DataFrame, k_range: Iterable[int] = range(2, 9), *,
             min_size: float = 0.05, random_state: int = 0, n_init: int = 10,
             sample_size: int | None = 3000) -> pd.DataFrame:
    """Mean silhouette and smallest segment share for each k (on already-scaled data).

    The chosen k (``chosen`` column True) has the highest mean silhouette among the
    k whose smallest segment holds at least ``min_size`` of the customers. Silhouette
    is computed on a seeded subsample of ``sample_size`` rows when there are more.

    Examples
    --------
    >>> from sklearn.datasets import make_blobs
    >>> Z, _ = make_blobs(n_samples=200, centers=4, random_state=3)
    >>> t = choose_k(Z, range(2, 7))
    >>> int(t.loc[t["chosen"], "k"].iloc[0])
    4
    """
    Z = np.asarray(Z, dtype=float)
    rows = []
    for k in k_range:
        if k < 2 or k >= len(Z):
            raise CxError(f"choose_k: k = {k} needs 2 <= k < number of rows ({len(Z)}).")
        km = _kmeans(Z, k, random_state, n_init)
        sizes = np.bincount(km.labels_, minlength=k)
        rows.append({"k": k, "silhouette": _silhouette(Z, km.labels_, sample_size, random_state),
                     "smallest_share": sizes.min() / len(Z), "inertia": float(km.inertia_)})
    t = pd.DataFrame(rows)
    t["eligible"] = t["smallest_share"] >= min_size
    pool = t[t["eligible"]] if t["eligible"].any() else t
    t["chosen"] = t.index == pool["silhouette"].idxmax()
    return t


@dataclass
class StabilityResult:
    """Bootstrap stability of a segmentation.

    Attributes
    ----------
    ari : ndarray
        Adjusted Rand index between the original labels and each bootstrap refit, on the
        customers in that resample (1 = identical partition, ~0 = chance agreement).
    jaccard : DataFrame
        Per segment: the mean over resamples of the best Jaccard overlap with a refit
        segment, and Hennig's (2007) verdict (≥ 0.75 stable, < 0.5 dissolved).
    n_boot : int
    """

    ari: np.ndarray
    jaccard: pd.DataFrame
    n_boot: int

    @property
    def ari_mean(self) -> float:
        return float(np.mean(self.ari))

    @property
    def ari_interval(self) -> tuple[float, float]:
        """The 2.5% and 97.5% quantiles of the bootstrap ARIs."""
        lo, hi = np.quantile(self.ari, [0.025, 0.975])
        return float(lo), float(hi)

    @property
    def summary(self) -> pd.DataFrame:
        return self.jaccard

    def __repr__(self) -> str:
        lo, hi = self.ari_interval
        verdicts = ", ".join(f"{s}: {j:.2f} ({v})" for s, j, v in
                             zip(self.jaccard.index, self.jaccard["jaccard"], self.jaccard["verdict"]))
        return (f"StabilityResult(n_boot={self.n_boot}, mean ARI={self.ari_mean:.2f} "
                f"[{lo:.2f}, {hi:.2f}]; Jaccard by segment: {verdicts})")


def _verdict(j: float) -> str:
    return "stable" if j >= 0.75 else ("dissolved" if j < 0.5 else "doubtful")


def stability(Z: np.ndarray | pd.DataFrame, labels: Sequence[int], k: int | None = None, *,
              n_boot: int = 20, random_state: int = 0, n_init: int = 3) -> StabilityResult:
    """Bootstrap stability of a k-means partition of scaled data ``Z``.

    Each resample draws the customers with replacement, refits k-means with the same k,
    and compares the refit labels with ``labels`` on the distinct customers drawn:
    the adjusted Rand index (Hubert & Arabie 1985) for the whole partition, and for
    each original segment the best Jaccard overlap |C ∩ D| / |C ∪ D| with a refit
    segment D (Hennig 2007).

    Examples
    --------
    >>> from sklearn.datasets import make_blobs
    >>> Z, y = make_blobs(n_samples=150, centers=[[0, 0], [8, 0], [0, 8]], random_state=0)
    >>> r = stability(Z, y, n_boot=5)
    >>> r.ari_mean > 0.9
    True
    """
    from sklearn.metrics import adjusted_rand_score

    Z = np.asarray(Z, dtype=float)
    labels = np.asarray(labels)
    if len(labels) != len(Z):
        raise CxError(f"stability: {len(labels)} labels for {len(Z)} rows; they must match.")
    segs = np.unique(labels)
    k = int(k or len(segs))
    if k < 2 or len(Z) <= k:
        raise CxError(f"stability: need 2 <= k < rows; got k = {k} with {len(Z)} rows.")
    rng = np.random.default_rng(random_state)
    aris, jac = [], {s: [] for s in segs}
    for b in range(n_boot):
        draw = rng.integers(0, len(Z), len(Z))  # the bootstrap sample, with repeats
        fitted = _kmeans(Z[draw], k, int(rng.integers(2**31 - 1)), n_init)
        idx = np.unique(draw)
        with _one_thread():
            new = fitted.predict(Z[idx])
        old = labels[idx]
        aris.append(adjusted_rand_score(old, new))
        onehot_new = np.eye(k, dtype=bool)[new]
        for s in segs:
            c = old == s
            inter = (onehot_new & c[:, None]).sum(axis=0)
            union = c.sum() + onehot_new.sum(axis=0) - inter
            jac[s].append(float(np.max(np.where(union > 0, inter / np.maximum(union, 1), 0))))
    jt = pd.DataFrame({"jaccard": {s: float(np.mean(v)) for s, v in jac.items()}})
    jt["verdict"] = jt["jaccard"].map(_verdict)
    jt.index.name = "segment"
    return StabilityResult(ari=np.asarray(aris), jaccard=jt, n_boot=n_boot)


class Segmenter:
    """k-means segmentation with the course's preprocessing and evidence for k.

    Parameters
    ----------
    k : int, optional
        Number of segments; None chooses it by :func:`choose_k` over ``k_range``.
    features : list of str, optional
        Columns to segment on; default every numeric column of the table given to ``fit``.
    log : "auto", list of str or None
        Columns to ``log1p``-transform before standardising: ``"auto"`` picks the
        non-negative columns with skewness > 1 (money and counts).
    k_range : iterable of int
        Candidate k when ``k`` is None (default 2..8).
    min_size : float
        Smallest acceptable segment, as a share of customers, when choosing k.
    random_state : int
        Seed of k-means (and of the silhouette subsample).
    n_init : int
        k-means restarts.

    Attributes
    ----------
    k_ : int
    features_ : list of str
    log_features_ : list of str
    labels_ : Series
        Segment (0..k-1, numbered by decreasing size) per row of the fitted table.
    centers_z_ : DataFrame
        Segment centroids in standard-deviation units (after the log transform).
    selection_ : DataFrame or None
        The :func:`choose_k` table when k was chosen from the data.
    silhouette_ : float

    Examples
    --------
    >>> from sklearn.datasets import make_blobs
    >>> X, _ = make_blobs(n_samples=300, centers=[[0, 0], [10, 0], [0, 10]], random_state=0)
    >>> seg = Segmenter(random_state=0).fit(pd.DataFrame(X, columns=["x", "y"]))
    >>> seg.k_, seg.summary["size"].tolist()
    (3, [100, 100, 100])
    """

    def __init__(self, k: int | None = None, features: Sequence[str] | None = None, *,
                 log: str | Sequence[str] | None = "auto", k_range: Iterable[int] = range(2, 9),
                 min_size: float = 0.05, random_state: int = 0, n_init: int = 10,
                 sample_size: int | None = 3000) -> None:
        self.k = k
        self.features = list(features) if features is not None else None
        self.log = log
        self.k_range = list(k_range)
        self.min_size = min_size
        self.random_state = random_state
        self.n_init = n_init
        self.sample_size = sample_size

    # -- preprocessing ----------------------------------------------------------------
    def _check(self, X: pd.DataFrame) -> list[str]:
        if not isinstance(X, pd.DataFrame):
            raise CxError(f"Segmenter: expected a DataFrame of features, got {type(X).__name__}.")
        feats = self.features if self.features is not None else \
            [c for c in X.columns if pd.api.types.is_numeric_dtype(X[c]) and not pd.api.types.is_bool_dtype(X[c])]
        if not feats:
            raise CxError("Segmenter: no numeric feature columns; pass features=[...].")
        _require_columns(X, feats, "Segmenter")
        problems = _numeric_problems(X, feats)
        if problems:
            raise ValidationError(problems, source="Segmenter")
        ks = [self.k] if self.k is not None else self.k_range
        if self.k is not None and self.k < 2:
            raise CxError(f"Segmenter: k = {self.k}; a segmentation needs at least 2 segments.")
        if len(X) <= max(ks):
            raise CxError(f"Segmenter: {len(X)} rows are too few for k = {max(ks)} segments; "
                          "use a smaller k or more customers (at least ~30 per segment).")
        return list(feats)

    def _transform(self, X: pd.DataFrame) -> np.ndarray:
        T = X[self.features_].astype(float).copy()
        for c in self.log_features_:
            T[c] = np.log1p(T[c].clip(lower=0))
        return ((T - self.mean_) / self.scale_).to_numpy()

    def fit(self, X: pd.DataFrame, y: Any = None) -> "Segmenter":
        """Fit on a customer-level feature table (one row per customer)."""
        self.features_ = self._check(X)
        F = X[self.features_].astype(float)
        if self.log == "auto":
            self.log_features_ = _skewed(F)
        else:
            self.log_features_ = [c for c in (self.log or []) if c in self.features_]
            neg = [c for c in self.log_features_ if (F[c] < 0).any()]
            if neg:
                raise CxError(f"Segmenter: cannot log-transform columns with negative values: {neg}.")
        T = F.copy()
        for c in self.log_features_:
            T[c] = np.log1p(T[c])
        self.mean_ = T.mean()
        self.scale_ = T.std(ddof=0).replace(0, 1.0)
        Z = self._transform(X)
        self.selection_ = None
        if self.k is None:
            self.selection_ = choose_k(Z, self.k_range, min_size=self.min_size, random_state=self.random_state,
                                       n_init=self.n_init, sample_size=self.sample_size)
            self.k_ = int(self.selection_.loc[self.selection_["chosen"], "k"].iloc[0])
        else:
            self.k_ = int(self.k)
        km = _kmeans(Z, self.k_, self.random_state, self.n_init)
        # renumber segments by decreasing size (ties by centroid order) so labels are stable
        sizes = np.bincount(km.labels_, minlength=self.k_)
        order = np.lexsort((np.arange(self.k_), -sizes))
        remap = np.empty(self.k_, dtype=int)
        remap[order] = np.arange(self.k_)
        self._remap = remap
        self.model_ = km
        self.labels_ = pd.Series(remap[km.labels_], index=X.index, name="segment")
        centers = km.cluster_centers_[order]
        self.centers_z_ = pd.DataFrame(centers, columns=self.features_)
        self.centers_z_.index.name = "segment"
        self.silhouette_ = _silhouette(Z, km.labels_, self.sample_size, self.random_state)
        self._X = X
        self._Z = Z
        return self

    def predict(self, X: pd.DataFrame) -> pd.Series:
        """Segment of each row of a feature table with the fitted columns."""
        self._check_fitted()
        _require_columns(X, self.features_, "Segmenter.predict")
        problems = _numeric_problems(X, self.features_)
        if problems:
            raise ValidationError(problems, source="Segmenter.predict")
        with _one_thread():
            pred = self.model_.predict(self._transform(X))
        return pd.Series(self._remap[pred], index=X.index, name="segment")

    def fit_predict(self, X: pd.DataFrame, y: Any = None) -> pd.Series:
        return self.fit(X).labels_

    def transform(self, X: pd.DataFrame) -> np.ndarray:
        """The log-transformed, standardised features (the space k-means works in)."""
        self._check_fitted()
        return self._transform(X)

    def _check_fitted(self) -> None:
        if not hasattr(self, "model_"):
            raise CxError("This Segmenter is not fitted yet: call fit(features) first.")

    # -- results ----------------------------------------------------------------------
    @property
    def summary(self) -> pd.DataFrame:
        """Per segment: size, share, then the centroid z-score of each feature."""
        self._check_fitted()
        sizes = self.labels_.value_counts().reindex(range(self.k_), fill_value=0)
        out = pd.DataFrame({"size": sizes, "share": sizes / sizes.sum()})
        out.index.name = "segment"
        return out.join(self.centers_z_.add_prefix("z_"))

    def profile(self, X: pd.DataFrame | None = None, stat: str = "median") -> pd.DataFrame:
        """Per segment, the ``stat`` (median/mean) of each column of ``X`` in its own units."""
        self._check_fitted()
        X = self._X if X is None else X
        num = X.select_dtypes("number")
        return num.groupby(self.labels_.reindex(X.index)).agg(stat)

    def stability(self, n_boot: int = 20, random_state: int | None = None, n_init: int = 3) -> StabilityResult:
        """Bootstrap stability of the fitted partition (see :func:`stability`)."""
        self._check_fitted()
        rs = self.random_state if random_state is None else random_state
        self.stability_ = stability(self._Z, self.labels_.to_numpy(), self.k_, n_boot=n_boot,
                                    random_state=rs, n_init=n_init)
        return self.stability_

    def plot(self, ax=None):
        """Mean silhouette against k (when k was chosen from the data); returns the Axes."""
        from cxlib import plots

        self._check_fitted()
        ax = plots.new_axes(ax)
        if self.selection_ is None:
            ax.text(0.5, 0.5, f"k = {self.k_} was fixed, not chosen", ha="center", transform=ax.transAxes)
            return ax
        t = self.selection_
        ax.plot(t["k"], t["silhouette"], "o-", color=plots.COLORS["main"], label="mean silhouette")
        bad = t[~t["eligible"]]
        if len(bad):
            ax.plot(bad["k"], bad["silhouette"], "x", color=plots.COLORS["bad"], ms=10,
                    label=f"a segment < {self.min_size:.0%} of customers")
        best = t[t["chosen"]].iloc[0]
        ax.plot([best["k"]], [best["silhouette"]], "o", ms=14, mfc="none", color=plots.COLORS["contrast"],
                label=f"chosen k = {int(best['k'])}")
        ax.set_xlabel("number of segments k")
        ax.set_ylabel("mean silhouette (−1 to 1)")
        ax.set_xticks(t["k"])
        ax.set_ylim(min(0.0, float(t["silhouette"].min()) - 0.05), max(0.5, float(t["silhouette"].max()) + 0.1))
        ax.set_title(f"Silhouette picks k = {int(best['k'])} (higher = better separated)", loc="left")
        ax.legend(fontsize=9)
        return ax

    def plot_profile(self, ax=None):
        """Heat map of the centroid z-scores (segments × features); returns the Axes."""
        import matplotlib.pyplot as plt

        from cxlib import plots

        self._check_fitted()
        if ax is None:
            plots.use_style()
            _, ax = plt.subplots(figsize=(1.0 + 0.75 * len(self.features_), 1.2 + 0.55 * self.k_))
        z = self.centers_z_
        lim = max(1.0, float(np.abs(z.to_numpy()).max()))
        im = ax.imshow(z.to_numpy(), cmap="RdBu_r", vmin=-lim, vmax=lim, aspect="auto")
        for i in range(z.shape[0]):
            for j in range(z.shape[1]):
                v = z.iat[i, j]
                ax.text(j, i, f"{v:+.1f}", ha="center", va="center", fontsize=9,
                        color="white" if abs(v) > 0.6 * lim else "black")
        sizes = self.labels_.value_counts().reindex(range(self.k_), fill_value=0)
        ax.set_yticks(range(self.k_), [f"segment {s} (n={n})" for s, n in sizes.items()])
        ax.set_xticks(range(z.shape[1]), z.columns, rotation=35, ha="right")
        ax.grid(False)
        ax.figure.colorbar(im, ax=ax, label="centroid (SD from the mean)", shrink=0.8)
        ax.set_title("Segment profiles: how far each segment sits from the average customer", loc="left")
        return ax

    def __repr__(self) -> str:
        if not hasattr(self, "model_"):
            return f"Segmenter(k={self.k}, features={self.features}, unfitted)"
        sizes = self.labels_.value_counts().sort_index().tolist()
        how = "chosen by silhouette" if self.selection_ is not None else "fixed"
        return (f"Segmenter(k={self.k_} ({how}), {len(self.features_)} features, n={len(self.labels_)}, "
                f"sizes={sizes}, silhouette={self.silhouette_:.2f})")


# ----------------------------------------------------------------------------------
# persona cards
# ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Trait:
    """One line on a persona card, with the numbers that back it."""

    text: str
    feature: str
    value: float
    overall: float
    z: float
    used: bool = True

    def __str__(self) -> str:
        note = "" if self.used else " [not used to build the segment]"
        return f"{self.text} ({_fmt(self.value)} vs {_fmt(self.overall)} overall; z = {self.z:+.1f}){note}"


def _fmt(v: float) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return "n/a"
    if abs(v) < 1 and v != 0:
        return f"{v:.2f}"
    return f"{v:.1f}" if abs(v) < 100 else f"{v:,.0f}"


@dataclass
class PersonaCard:
    """A data-backed persona: every trait carries the number behind it.

    Attributes
    ----------
    segment : int
    name : str
        Built from the features that clearly differ (|z| ≥ ``strong``).
    size, share : int, float
    age_band : str
        Interquartile range and median of age, e.g. ``"29–41 (median 35)"``.
    median_age : float
    channel : str
        Preferred support channel with the share of members who prefer it.
    content : str
        The support content that serves them best, with its evidence.
    needs : list of str
    traits : list of Trait
        Every feature with |z| ≥ ``moderate``, strongest first.
    z : dict
        Centroid z-score of every segmentation feature.
    stability : float or None
        Mean bootstrap Jaccard (Hennig 2007) if a stability check was run.
    warnings : list of str
        Traits the data does *not* support; do not put them on the card.
    alias : str or None
        An illustrative (fictional) first name attached by the analyst.
    """

    segment: int
    name: str
    size: int
    share: float
    age_band: str
    median_age: float
    channel: str
    content: str
    content_kind: str
    needs: list
    traits: list
    z: dict
    stability: float | None = None
    warnings: list = field(default_factory=list)
    alias: str | None = None

    @property
    def title(self) -> str:
        head = f"Segment {self.segment}: {self.name}"
        if self.alias:
            head = f"“{self.alias}” (fictional name) · " + head
        return head

    def to_dict(self) -> dict:
        return {"segment": self.segment, "name": self.name, "alias": self.alias, "size": self.size,
                "share": self.share, "age_band": self.age_band, "median_age": self.median_age,
                "channel": self.channel, "content": self.content, "content_kind": self.content_kind,
                "needs": list(self.needs), "traits": [str(t) for t in self.traits], "z": dict(self.z),
                "stability": self.stability, "warnings": list(self.warnings)}

    def __str__(self) -> str:
        stab = "not checked" if self.stability is None else f"{self.stability:.2f} ({_verdict(self.stability)})"
        lines = [self.title,
                 f"  size: {self.size:,} customers ({self.share:.0%}); stability (Jaccard): {stab}",
                 f"  age: {self.age_band}",
                 f"  channel: {self.channel}",
                 f"  best support content: {self.content}"]
        lines += ["  needs: " + n for n in self.needs]
        lines += ["  trait: " + str(t) for t in self.traits]
        lines += ["  NOT supported by the data: " + w for w in self.warnings]
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        e = html.escape
        stab = "not checked" if self.stability is None else f"{self.stability:.2f} ({_verdict(self.stability)})"
        colour = {"video": "#0072B2", "web page": "#009E73", "phone or store": "#E69F00"}.get(self.content_kind, "#999")
        rows = "".join(f"<tr><td style='padding:1px 8px 1px 0'>{e(t.text)}</td>"
                       f"<td style='text-align:right'>{e(_fmt(t.value))}</td>"
                       f"<td style='text-align:right;color:#666'>{e(_fmt(t.overall))}</td>"
                       f"<td style='text-align:right'>{t.z:+.1f}</td></tr>" for t in self.traits)
        needs = "".join(f"<li>{e(n)}</li>" for n in self.needs)
        warns = "".join(f"<li>{e(w)}</li>" for w in self.warnings)
        return (f"<div style='border:1px solid #ccc;border-left:6px solid {colour};border-radius:4px;"
                f"padding:8px 12px;margin:6px 0;max-width:640px;font-size:13px'>"
                f"<div style='font-weight:bold;font-size:15px'>{e(self.title)}</div>"
                f"<div style='color:#555'>{self.size:,} customers ({self.share:.0%}) · stability {e(stab)}</div>"
                f"<div><b>Age:</b> {e(self.age_band)}</div>"
                f"<div><b>Channel:</b> {e(self.channel)}</div>"
                f"<div><b>Best support content:</b> {e(self.content)}</div>"
                + (f"<div><b>Needs:</b><ul style='margin:2px 0'>{needs}</ul></div>" if needs else "")
                + (f"<table style='font-size:12px'><tr><th style='text-align:left'>trait</th><th>segment</th>"
                   f"<th>overall</th><th>z</th></tr>{rows}</table>" if rows else "")
                + f"<div style='color:#D55E00'><b>Not supported by the data — do not add:</b>"
                  f"<ul style='margin:2px 0'>{warns}</ul></div></div>")


class PersonaCards(list):
    """A list of :class:`PersonaCard` that renders as cards in Jupyter and as text."""

    def __str__(self) -> str:
        return "\n\n".join(str(c) for c in self)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        return "".join(c._repr_html_() for c in self)

    def table(self) -> pd.DataFrame:
        """One row per card: the headline fields."""
        return pd.DataFrame([{"segment": c.segment, "alias": c.alias, "name": c.name, "size": c.size,
                              "share": round(c.share, 3), "median_age": c.median_age,
                              "channel": c.channel, "content": c.content_kind,
                              "stability": c.stability} for c in self]).set_index("segment")

    def by_segment(self, segment: int) -> PersonaCard:
        for c in self:
            if c.segment == segment:
                return c
        raise CxError(f"no card for segment {segment}; segments are {[c.segment for c in self]}.")


def _content_choice(video_share: float, help_views: float, overall_help: float,
                    phone_store_share: float | None) -> tuple[str, str]:
    """Pick the support content from the numbers; returns (kind, sentence with evidence)."""
    low_self_service = help_views < 0.5 * overall_help
    if low_self_service and phone_store_share is not None and phone_store_share >= 0.5:
        return ("phone or store",
                f"a person on the phone or in a store: they open little self-service help "
                f"({help_views:.1f} views/month vs {overall_help:.1f} overall) and "
                f"{phone_store_share:.0%} of their contacts are by phone or in store")
    if video_share >= 0.6:
        return ("video", f"video tutorials: {video_share:.0%} of their help views are videos")
    if video_share <= 0.4:
        return ("web page", f"step-by-step web pages: {1 - video_share:.0%} of their help views are articles")
    return ("mixed", f"no clear preference: {video_share:.0%} of their help views are videos")


def persona_cards(features: pd.DataFrame, labels: pd.Series | Sequence[int], *,
                  z: pd.DataFrame | None = None, stability: StabilityResult | None = None,
                  age: str = "age", strong: float = 0.5, moderate: float = 0.3,
                  aliases: dict | None = None) -> PersonaCards:
    """Generate one persona card per segment, every trait backed by a number.

    Parameters
    ----------
    features : DataFrame
        The customer feature table (one row per customer), e.g. from
        :func:`customer_features`. Used columns when present: ``age``, ``video_share``,
        ``help_views``, ``preferred_channel``, ``care_contacts``, ``complaints`` and the
        segmentation features.
    labels : Series or sequence
        Segment of each row of ``features``.
    z : DataFrame, optional
        Centroid z-scores (segments × features), e.g. ``Segmenter.centers_z_``. Default:
        standardised segment means of the numeric columns of :data:`FEATURE_WORDS`.
    stability : StabilityResult, optional
        Adds each segment's bootstrap Jaccard to its card.
    strong, moderate : float
        |z| needed for a feature to enter the name / the trait list.
    aliases : dict, optional
        ``{segment: "Anne"}``: an illustrative first name; the card says it is fictional.

    Examples
    --------
    >>> f = pd.DataFrame({"age": [25, 27, 29, 55, 60, 58],
    ...     "video_share": [.8, .9, .85, .2, .1, .15], "help_views": [3, 4, 5, 3, 4, 2]})
    >>> cards = persona_cards(f, [0, 0, 0, 1, 1, 1], aliases={0: "Anne"})
    >>> cards[0].name, cards[0].content_kind, cards[0].median_age
    ('video learners · younger', 'video', 27.0)
    >>> cards[1].content_kind
    'web page'
    """
    if not isinstance(features, pd.DataFrame):
        raise CxError("persona_cards: features must be a DataFrame (one row per customer).")
    labels = pd.Series(np.asarray(labels), index=features.index, name="segment") \
        if not isinstance(labels, pd.Series) else labels.reindex(features.index)
    if len(labels) != len(features) or labels.isna().any():
        raise CxError("persona_cards: every row of `features` needs a segment label "
                      f"({int(labels.isna().sum())} rows have none).")
    if len(features) == 0:
        raise CxError("persona_cards: the feature table is empty.")
    num_cols = [c for c in features.columns if c in FEATURE_WORDS
                and pd.api.types.is_numeric_dtype(features[c])]
    sd = features[num_cols].std(ddof=0).replace(0, 1.0)
    z_raw = (features[num_cols].groupby(labels).mean() - features[num_cols].mean()) / sd
    if z is None:
        z = z_raw
    overall_med = features[num_cols].median()
    seg_med = features[num_cols].groupby(labels).median()
    seg_mean = features[num_cols].groupby(labels).mean()
    overall_mean = features[num_cols].mean()
    jacc = stability.jaccard["jaccard"] if stability is not None else None
    aliases = aliases or {}
    cards = PersonaCards()
    n = len(features)
    for s in sorted(labels.unique()):
        members = features[labels == s]
        zs = z.loc[s] if s in z.index else pd.Series(dtype=float)
        zs = zs[[c for c in zs.index if c in FEATURE_WORDS]] if len(zs) else zs
        ordered = zs.reindex(zs.abs().sort_values(ascending=False).index)
        traits, words = [], []
        for feat, zv in ordered.items():
            if abs(zv) < moderate or feat not in seg_med.columns:
                continue
            label, hi, lo = FEATURE_WORDS[feat]
            stat_seg = seg_med.at[s, feat] if feat == "age" else seg_mean.at[s, feat]
            stat_all = overall_med[feat] if feat == "age" else overall_mean[feat]
            traits.append(Trait(f"{hi if zv > 0 else lo}: {label}", feat, float(stat_seg),
                                float(stat_all), float(zv)))
            if abs(zv) >= strong and len(words) < 2:
                words.append(hi if zv > 0 else lo)
        others = z_raw.loc[s].drop([c for c in zs.index if c in z_raw.columns])
        for feat, zv in others.reindex(others.abs().sort_values(ascending=False).index).items():
            if abs(zv) >= moderate:
                label, hi, lo = FEATURE_WORDS[feat]
                stat_seg = seg_med.at[s, feat] if feat == "age" else seg_mean.at[s, feat]
                stat_all = overall_med[feat] if feat == "age" else overall_mean[feat]
                traits.append(Trait(f"{hi if zv > 0 else lo}: {label}", feat, float(stat_seg),
                                    float(stat_all), float(zv), used=False))
        name = " · ".join(words) if words else "average customers (no feature differs clearly)"
        if age in members.columns:
            q1, med, q3 = members[age].quantile([0.25, 0.5, 0.75])
            age_band, median_age = f"{q1:.0f}–{q3:.0f} (median {med:.0f}; middle half of members)", float(med)
        else:
            age_band, median_age = "unknown (no age column)", float("nan")
        phone_store = None
        if "preferred_channel" in members.columns:
            pref = members["preferred_channel"].value_counts(normalize=True)
            pref_contact = pref.drop("none", errors="ignore")
            if len(pref_contact):
                top = pref_contact.index[0]
                channel = (f"{top} ({pref_contact.iloc[0]:.0%} of members prefer it; "
                           f"{pref.get('none', 0):.0%} never contacted support)")
            else:
                channel = "none: members never contacted support"
            phone_store = float(pref.get("phone", 0) + pref.get("store", 0)) / max(1e-9, 1 - pref.get("none", 0))
        elif "digital_contact_share" in members.columns:
            d = float(members["digital_contact_share"].mean())
            channel = (f"chat/email ({d:.0%} of contacts)" if d >= 0.5 else f"phone/store ({1 - d:.0%} of contacts)")
            phone_store = 1 - d
        else:
            channel = "unknown (no contact-channel data)"
        if "video_share" in members.columns and "help_views" in members.columns:
            kind, content = _content_choice(float(members["video_share"].mean()),
                                            float(members["help_views"].mean()),
                                            float(features["help_views"].mean()), phone_store)
        else:
            kind, content = "unknown", "unknown (no help-content data)"
        needs = []
        for feat, what in (("care_contacts", "more support contacts"), ("complaints", "more complaints")):
            if feat in z_raw.columns and z_raw.at[s, feat] >= moderate:
                needs.append(f"{what}: {seg_mean.at[s, feat]:.2f}/month vs {overall_mean[feat]:.2f} overall")
        if kind in ("video", "web page", "phone or store"):
            needs.append(f"help as {kind}: {content.split(': ', 1)[-1]}")
        warnings = [f"any difference in {FEATURE_WORDS[f][0]}: z = {v:+.2f}, close to the average customer"
                    for f, v in zs.items() if abs(v) < moderate / 2 and f in FEATURE_WORDS]
        warnings += list(UNSUPPORTED_ALWAYS)
        j = float(jacc[s]) if jacc is not None and s in jacc.index else None
        if j is not None and j < 0.75:
            warnings.insert(0, f"that this segment is a real group: bootstrap Jaccard {j:.2f} < 0.75 "
                               f"({_verdict(j)}, Hennig 2007)")
        cards.append(PersonaCard(segment=int(s), name=name, size=int(len(members)), share=len(members) / n,
                                 age_band=age_band, median_age=median_age, channel=channel, content=content,
                                 content_kind=kind, needs=needs, traits=traits,
                                 z={k: round(float(v), 3) for k, v in zs.items()}, stability=j,
                                 warnings=warnings, alias=aliases.get(s)))
    return cards


def best_match(z: pd.DataFrame, direction: dict[str, int]) -> int:
    """The segment whose centroid best matches a description such as ``{"age": -1, "video_share": +1}``.

    Scores each segment by Σ sign·z over the named features and returns the best.

    Examples
    --------
    >>> z = pd.DataFrame({"age": [-1.0, 0.9], "video_share": [0.8, -0.7]})
    >>> best_match(z, {"age": -1, "video_share": +1}), best_match(z, {"age": +1, "video_share": -1})
    (0, 1)
    """
    _require_columns(z, list(direction), "best_match")
    score = sum(np.sign(v) * z[c] for c, v in direction.items())
    return int(score.idxmax())


# ----------------------------------------------------------------------------------
# comparison and outcomes
# ----------------------------------------------------------------------------------
@dataclass
class SegmentComparison:
    """Agreement between two labellings of the same customers."""

    ari: float
    crosstab: pd.DataFrame
    n: int

    def __repr__(self) -> str:
        return f"SegmentComparison(ARI={self.ari:.2f}, n={self.n})\n{self.crosstab}"

    def _repr_html_(self) -> str:
        return f"<p><b>Adjusted Rand index {self.ari:.2f}</b> (n = {self.n:,})</p>" + self.crosstab.to_html()


def compare_segments(found: pd.Series, other: pd.Series, *, names: tuple[str, str] = ("segment", "persona")
                     ) -> SegmentComparison:
    """Adjusted Rand index and crosstab between two labellings (aligned on the index).

    Examples
    --------
    >>> a = pd.Series([0, 0, 1, 1], index=list("wxyz")); b = pd.Series(["p", "p", "q", "q"], index=list("wxyz"))
    >>> compare_segments(a, b).ari
    1.0
    """
    from sklearn.metrics import adjusted_rand_score

    both = pd.concat([found.rename(names[0]), other.rename(names[1])], axis=1, join="inner").dropna()
    if len(both) == 0:
        raise CxError("compare_segments: the two labellings share no customers (check the index).")
    ari = float(adjusted_rand_score(both[names[0]], both[names[1]]))
    return SegmentComparison(ari=ari, crosstab=pd.crosstab(both[names[0]], both[names[1]]), n=len(both))


def rate_by_segment(labels: pd.Series, outcome: pd.Series, *, alpha: float = 0.05) -> pd.DataFrame:
    """Rate of a 0/1 outcome per segment with a Wilson interval (aligned on the index).

    Rows whose outcome is missing are left out and counted in ``n_missing``.

    Examples
    --------
    >>> lab = pd.Series([0] * 10 + [1] * 10)
    >>> out = pd.Series([1] * 2 + [0] * 8 + [1] * 6 + [0] * 4)
    >>> rate_by_segment(lab, out).round(3)[["n", "rate", "ci_low", "ci_high"]]
              n  rate  ci_low  ci_high
    segment
    0        10   0.2   0.057    0.510
    1        10   0.6   0.313    0.832
    """
    from statsmodels.stats.proportion import proportion_confint

    both = pd.concat([labels.rename("segment"), outcome.rename("y")], axis=1, join="inner")
    if len(both) == 0:
        raise CxError("rate_by_segment: labels and outcome share no index values.")
    y = both["y"].dropna()
    bad = ~y.isin([0, 1, True, False])
    if bad.any():
        raise ValidationError([Problem("outcome is not 0/1", column=str(outcome.name), count=int(bad.sum()),
                                       values=tuple(y[bad].head(5).tolist()),
                                       fix="Code the outcome as 1 (happened) or 0 (did not).")],
                              source="rate_by_segment")
    miss = both["y"].isna().groupby(both["segment"]).sum()
    g = both.dropna(subset=["y"]).groupby("segment")["y"]
    k, n = g.sum().astype(int), g.size()
    lo, hi = proportion_confint(k, n, alpha=alpha, method="wilson")
    return pd.DataFrame({"n": n, "events": k, "rate": k / n, "ci_low": lo, "ci_high": hi,
                         "n_missing": miss.reindex(n.index).astype(int)})


# ----------------------------------------------------------------------------------
# interactive explorer
# ----------------------------------------------------------------------------------
def explore(features: pd.DataFrame, options: Sequence[str] | None = None,
            default: Sequence[str] | None = None, *, k: int = 4, random_state: int = 0):
    """An ipywidgets explorer: pick features and k, see the profile heat map and cards.

    Returns the widget (display it in a notebook). The lesson also shows a static
    figure so it reads well where widgets do not render.
    """
    import ipywidgets as w
    import matplotlib.pyplot as plt
    from IPython.display import display

    options = list(options or [c for c in DEFAULT_FEATURES if c in features.columns])
    default = [c for c in (default or options) if c in options]
    pick = w.SelectMultiple(options=options, value=tuple(default), rows=min(10, len(options)),
                            description="features")
    kk = w.IntSlider(value=k, min=2, max=8, description="segments k")
    out = w.Output()

    def draw(*_):
        with out:
            out.clear_output(wait=True)
            if len(pick.value) < 2:
                print("Pick at least two features.")
                return
            seg = Segmenter(k=kk.value, features=list(pick.value), random_state=random_state).fit(features)
            fig, ax = plt.subplots(figsize=(1.0 + 0.75 * len(pick.value), 1.2 + 0.55 * kk.value))
            seg.plot_profile(ax=ax)
            plt.show()
            display(persona_cards(features, seg.labels_, z=seg.centers_z_))

    pick.observe(draw, "value")
    kk.observe(draw, "value")
    draw()
    return w.VBox([w.HBox([pick, kk]), out])

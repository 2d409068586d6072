"""The groups of features of :func:`cxlib.features.build_features`, one function per source table.

Each function returns ``{feature name: values}`` (one value per customer of the
population, in the order of ``frame.ids``), named by :mod:`cxlib.features.names`.
Everything is vectorised with ``numpy.bincount`` on integer codes.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from cxlib.checks import require_columns
from cxlib.features._frame import ActivityFrame, month_index, read_dates
from cxlib.features.names import RECENCY, signal_name

__all__ = ["Windows", "activity_features", "customer_features", "contact_features", "answer_features"]

#: Support channels whose counts and shares are features.
CHANNELS = ("phone", "chat", "email", "store")


class Windows:
    """The windows (months before the cutoff) and the two that define trends."""

    def __init__(self, windows: Sequence[int]):
        self.all = tuple(sorted({int(w) for w in windows}))
        self.mid = self.all[min(1, len(self.all) - 1)]
        self.max = self.all[-1]


class _Rows:
    """Sums and means per customer over a subset of rows (codes ``c``, months back ``a``)."""

    def __init__(self, c: np.ndarray, a: np.ndarray, n: int):
        self.c, self.a, self.n = c, a, n

    def sum(self, v: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
        if mask is None:
            return np.bincount(self.c, weights=v, minlength=self.n)
        return np.bincount(self.c[mask], weights=v[mask], minlength=self.n)

    def mean(self, v: np.ndarray, ok: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
        s = self.sum(v, mask)
        k = self.sum(ok.astype(float), mask)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(k > 0, s / np.where(k > 0, k, 1), np.nan)

    def recency(self, hit: np.ndarray) -> np.ndarray:
        since = pd.Series(self.a[hit]).groupby(self.c[hit]).min()
        return since.reindex(range(self.n)).to_numpy(dtype=float)


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)


def _values(activity: pd.DataFrame, col: str, sel: np.ndarray, n_missing: dict) -> tuple[np.ndarray, np.ndarray]:
    """(values with blanks as 0, non-blank mask) of an activity column (or the derived unresolved complaints)."""
    if col == "unresolved_complaints":
        c, ok_c = _values(activity, "complaints", sel, {})
        r, ok_r = _values(activity, "complaints_resolved", sel, {})
        ok = ok_c & ok_r
        v = np.where(ok, np.maximum(c - r, 0.0), 0.0)
    else:
        raw = activity[col].to_numpy(dtype=float, na_value=np.nan)[sel]
        ok = ~np.isnan(raw)
        v = np.where(ok, raw, 0.0)
    n_missing[col] = int((~ok).sum())
    return v, ok


def _available(activity: pd.DataFrame, col: str) -> bool:
    if col == "unresolved_complaints":
        return {"complaints", "complaints_resolved"} <= set(activity.columns)
    return col in activity.columns


def _counts(rows: _Rows, v, ok, name: str, w: Windows, stats: set, out: dict) -> None:
    if "sum" in stats:
        for win in w.all:
            out[f"{name}_{win}m"] = rows.sum(v, rows.a < win)
    if "total" in stats:
        out[f"{name}_total"] = rows.sum(v)
    if "mean" in stats:
        out[f"{name}_mean"] = rows.mean(v, ok)
    if "recency" in stats and name in RECENCY:
        out[f"months_since_{RECENCY[name]}"] = rows.recency((v > 0) & ok)


def _levels(rows: _Rows, v, ok, name: str, w: Windows, stats: set, out: dict) -> None:
    a = rows.a
    last = rows.mean(v, ok, a == 0)
    if "last" in stats:
        out[f"{name}_last"] = last
    if "window_mean" in stats:
        for win in (x for x in w.all if x > 1):
            out[f"{name}_mean_{win}m"] = rows.mean(v, ok, a < win)
    hist = rows.mean(v, ok)
    if "mean" in stats:
        out[f"{name}_mean"] = hist
    recent = rows.mean(v, ok, a < w.mid)
    if "trend" in stats and w.max > w.mid:
        out[f"{name}_trend"] = _ratio(recent, rows.mean(v, ok, (a >= w.mid) & (a < w.max)))
    if "change" in stats and w.mid >= 2:
        out[f"{name}_change"] = np.log1p(last) - np.log1p(rows.mean(v, ok, (a >= 1) & (a < w.mid)))
    if "vs_history" in stats:
        out[f"{name}_vs_history"] = _ratio(recent, hist)


def activity_features(
    activity: pd.DataFrame,
    frame: ActivityFrame,
    w: Windows,
    stats: set,
    count_columns: Sequence[str],
    level_columns: Sequence[str],
    n_missing: dict,
) -> dict[str, np.ndarray]:
    """``months_active``, ``churned_before`` (population "all") and the count and level signals."""
    sel = np.flatnonzero(frame.history)
    rows = _Rows(frame.code[sel], frame.age[sel], frame.n)
    out: dict[str, np.ndarray] = {"months_active": rows.sum(np.ones(len(sel)))}
    if frame.population == "all" and frame.churn is not None:
        out["churned_before"] = (rows.sum(frame.churn[sel].astype(float)) > 0).astype(int)
    for col in (c for c in count_columns if _available(activity, c)):
        v, ok = _values(activity, col, sel, n_missing)
        _counts(rows, v, ok, signal_name(col), w, stats, out)
    if "shares" in stats and {"help_video_views", "help_article_views"} <= set(activity.columns):
        vid, ok_v = _values(activity, "help_video_views", sel, {})
        art, ok_a = _values(activity, "help_article_views", sel, {})
        out["help_views_mean"] = rows.mean(vid, ok_v) + rows.mean(art, ok_a)
        vt, at = rows.sum(vid), rows.sum(art)
        out["video_share"] = (vt + 1) / (vt + at + 2)
    for col in (c for c in level_columns if c in activity.columns):
        v, ok = _values(activity, col, sel, n_missing)
        _levels(rows, v, ok, signal_name(col), w, stats, out)
    return out


def customer_features(
    customers: pd.DataFrame,
    frame: ActivityFrame,
    *,
    id_column: str,
    signup_column: str,
    static_columns: Sequence[str],
) -> dict[str, np.ndarray]:
    """``tenure_months`` (at the cutoff, or when the customer left) and the columns known at signup."""
    require_columns(customers, [id_column], "the customers table", "customers")
    cu = customers.drop_duplicates(id_column).set_index(id_column).reindex(frame.ids)
    out: dict[str, np.ndarray] = {}
    if signup_column in cu.columns:
        sd = read_dates(cu[signup_column], signup_column, "customers")
        sel = np.flatnonzero(frame.history)
        youngest = pd.Series(frame.age[sel]).groupby(frame.code[sel]).min().reindex(range(frame.n)).fillna(0)
        end_m = frame.cutoff_month - youngest.to_numpy(dtype=np.int64)
        end = pd.to_datetime(end_m.astype("datetime64[M]"))
        tenure = np.round((end - pd.DatetimeIndex(sd)).days.to_numpy(dtype=float) / 30.44)
        out["tenure_months"] = np.where(tenure < 0, np.nan, tenure)
    for col in (c for c in static_columns if c in cu.columns):
        out[col] = cu[col].to_numpy()
    return out


def _dated_rows(df, frame, pos, id_column, date_column, table) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Rows of ``df`` dated in the history of ``frame`` and their customer positions and months back."""
    require_columns(df, [id_column, date_column], f"the {table} table", table)
    dt = read_dates(df[date_column], date_column, table)
    m = month_index(dt.to_numpy())
    keep = (dt < frame.cutoff).to_numpy() & df[id_column].isin(pos.index).to_numpy()
    if frame.since_month is not None:
        keep &= m >= frame.since_month
    code = pos.reindex(df.loc[keep, id_column]).to_numpy()
    return df.loc[keep], code, frame.cutoff_month - 1 - m[keep]


def contact_features(
    interactions: pd.DataFrame,
    frame: ActivityFrame,
    w: Windows,
    stats: set,
    months_active: np.ndarray,
    *,
    id_column: str,
    time_column: str,
) -> dict[str, np.ndarray]:
    """Contacts, proactive contacts, first-contact resolutions and channels from the interactions table."""
    d, code, a = _dated_rows(interactions, frame, frame.positions(), id_column, time_column, "interactions")
    rows = _Rows(code, a, frame.n)
    signals: dict[str, np.ndarray] = {"contacts": np.ones(len(d))}
    for col, name in (("proactive", "proactive_contacts"), ("resolved_first_contact", "first_contact_resolutions")):
        if col in d.columns:
            signals[name] = pd.to_numeric(d[col], errors="coerce").fillna(0).to_numpy(dtype=float)
    if "channel" in d.columns:
        for ch in CHANNELS:
            signals[f"contacts_{ch}"] = (d["channel"] == ch).to_numpy(dtype=float)
    out: dict[str, np.ndarray] = {}
    for name, v in signals.items():
        _counts(rows, v, np.ones(len(v), bool), name, w, stats - {"mean", "recency"}, out)
        if "mean" in stats:
            out[f"{name}_mean"] = rows.sum(v) / months_active
    if "contact_means" in stats:
        for col in ("resolved_first_contact", "wait_minutes"):
            if col in d.columns:
                v = pd.to_numeric(d[col], errors="coerce").to_numpy(dtype=float)
                ok = ~np.isnan(v)
                out[f"{col}_mean_{w.mid}m"] = rows.mean(np.where(ok, v, 0.0), ok, a < w.mid)
    if "shares" in stats and "channel" in d.columns:
        counts = np.column_stack([rows.sum(signals[f"contacts_{ch}"]) for ch in CHANNELS])
        total = counts.sum(axis=1)
        out["digital_contact_share"] = (counts[:, 1] + counts[:, 2] + 1) / (total + 2)
        out["preferred_channel"] = np.where(
            total > 0, np.asarray(CHANNELS, dtype=object)[counts.argmax(axis=1)], "none"
        )
    return out


def answer_features(
    df: pd.DataFrame,
    frame: ActivityFrame,
    stats: set,
    *,
    id_column: str,
    date_column: str,
    columns: Sequence[str],
    event: str,
    count_name: str,
    table: str,
) -> dict[str, np.ndarray]:
    """The last answer, its recency, the mean answer and the number of answers before the cutoff."""
    require_columns(df, [id_column, date_column, *columns], f"the {table} table", table)
    d, code, a = _dated_rows(df, frame, frame.positions(), id_column, date_column, table)
    dates = read_dates(d[date_column], date_column, table).to_numpy()
    order = np.argsort(dates, kind="stable")
    out: dict[str, np.ndarray] = {}
    for i, col in enumerate(columns):
        score = pd.to_numeric(d[col], errors="coerce").to_numpy(dtype=float)
        ok = ~np.isnan(score)
        if "last" in stats:
            o = order[ok[order]]
            last = pd.Series(score[o]).groupby(code[o]).last()
            out[f"last_{col}"] = last.reindex(range(frame.n)).to_numpy(dtype=float)
        if "recency" in stats and i == 0:
            out[f"months_since_{event}"] = _Rows(code, a, frame.n).recency(ok)
        if "mean" in stats:
            out[f"{col}_mean"] = _Rows(code, a, frame.n).mean(np.where(ok, score, 0.0), ok)
    if "total" in stats or "mean" in stats:  # the number of answers goes with their mean
        out[f"{count_name}_total"] = np.bincount(code, minlength=frame.n).astype(float)
    return out

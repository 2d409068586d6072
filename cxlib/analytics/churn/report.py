"""The churn analysis of ``cx churn`` and of lesson 06's "In practice", as one library function.

:func:`churn_report` takes a customer-level table (one row per customer: features and
a churn target), cleans it (:func:`~cxlib.analytics.churn.clean_features`), validates a
:class:`~cxlib.analytics.churn.ChurnModel` honestly (out-of-fold, or on a later cutoff
with a date column), runs the leakage alarm and lists the drivers with their intervals.
The :class:`ChurnReport` it returns prints as the command's report and converts to JSON.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from cxlib.analytics.churn.evaluation import ChurnEvaluation
from cxlib.analytics.churn.leakage import LeakageWarning, leakage_checks, warn_alarms
from cxlib.analytics.churn.model import ChurnModel, CleanTable, clean_features
from cxlib.analytics.churn.validation import time_validate
from cxlib.errors import CxError

__all__ = ["ChurnReport", "churn_report"]

_MODELS = {"logistic": "logistic regression (L2, C=0.1)", "hgb": "histogram gradient boosting"}


@dataclass
class ChurnReport:
    """The result of :func:`churn_report`: validation, drivers, alarms and what was done to the data.

    Attributes
    ----------
    evaluation : ChurnEvaluation
        Out-of-sample scores of the predictions, with the leakage alarms.
    table : CleanTable
        The cleaned customer table the model was fitted on.
    drivers : DataFrame
        The model's drivers with their intervals, fitted on the whole table.
    model : str
        The model in words, e.g. ``"logistic regression (L2, C=0.1)"``.
    validation : str
        How the predictions were validated (out-of-fold, or time-based on snapshots).
    target_column : str
        The churn target's column name.
    target_mapping : dict
        How each target value was read as 0/1.
    notes : list of str
        Readable lines on what was done to the data.
    """

    evaluation: ChurnEvaluation = field(repr=False)
    table: CleanTable = field(repr=False)
    drivers: pd.DataFrame = field(repr=False)
    model: str
    validation: str
    target_column: str
    target_mapping: dict
    notes: list = field(default_factory=list)

    @property
    def alarms(self) -> list:
        """The leakage alarms (see :func:`~cxlib.analytics.churn.leakage_checks`)."""
        return list(self.evaluation.alarms)

    def scores(self, data: pd.DataFrame, id_column: str | None = None, date_column: str | None = None) -> pd.DataFrame:
        """Per-customer churn scores: id, out-of-fold probability and risk decile (1 = riskiest).

        The scored rows are those the validation predicted: every row with a known outcome,
        or, with time-based validation (``date_column``), the rows of the latest cutoff.

        Parameters
        ----------
        data : pandas.DataFrame
            The table given to :func:`churn_report`.
        id_column : str, optional
            Its customer id column (default: the row number).
        date_column : str, optional
            The snapshot date column, as given to :func:`churn_report`.

        Returns
        -------
        pandas.DataFrame
            ``id_column`` (or ``row``), ``probability`` and ``decile``, riskiest first
            (:func:`cxlib.analytics.churn.risk_scores`).
        """
        from cxlib.analytics.churn.scores import risk_scores

        idx = self.table.index if self.table.index is not None else data.index
        ids = data.loc[idx, id_column] if id_column else pd.Series(idx, index=idx)
        if date_column:
            dates = pd.to_datetime(data.loc[idx, date_column])
            ids = ids[(dates == dates.max()).to_numpy()]
        return risk_scores(self.evaluation.p, ids.to_numpy(), id_name=id_column or "row")

    def to_dict(self, top: int = 10) -> dict:
        """The report as a JSON-friendly dict (the output of ``cx churn --json``).

        Parameters
        ----------
        top : int, default 10
            How many ranked drivers to list.

        Returns
        -------
        dict
        """
        ev, t = self.evaluation, self.table
        ranked = self.drivers[self.drivers["rank"].notna()].head(top)
        unclear = self.drivers[self.drivers["rank"].isna()]
        return {
            "n": ev.n,
            "n_rows": t.n_rows,
            "n_missing_target": t.n_missing_target,
            "churn_rate": ev.churn_rate,
            "n_churners": int(ev.y.sum()),
            **{k: getattr(ev, k) for k in ("auc", "auc_ci_low", "auc_ci_high")},
            "auc_ci_method": f"DeLong {ev.level:.0%}",
            **{k: getattr(ev, k) for k in ("pr_auc", "pr_auc_ci_low", "pr_auc_ci_high", "pr_auc_ci_method")},
            **{k: getattr(ev, k) for k in ("top_decile_lift", "brier", "brier_baseline")},
            **{k: getattr(ev, k) for k in ("accuracy", "accuracy_nobody_churns")},
            "model": self.model,
            "validation": self.validation,
            "target": self.target_column,
            "target_mapping": self.target_mapping,
            "numeric_features": t.numeric,
            "text_features": t.categorical,
            "dropped_columns": t.dropped,
            "text_as_blank": t.n_text_as_missing,
            "drivers": [
                {
                    "feature": r.feature,
                    "direction": r.direction,
                    "effect": round(r.effect, 4),
                    "ci_low": round(r.ci_low, 4),
                    "ci_high": round(r.ci_high, 4),
                    "plain": r.plain,
                }
                for r in ranked.itertuples()
            ],
            "no_clear_direction": unclear["feature"].tolist(),
            "leakage_alarms": [a.message for a in self.alarms],
            "notes": list(self.notes),
        }

    def to_text(self, name: str = "the table", top: int = 10) -> str:
        """The readable report of ``cx churn``.

        Parameters
        ----------
        name : str
            What the table is called in the heading (e.g. the file name).
        top : int, default 10
            How many ranked drivers to list.

        Returns
        -------
        str
        """
        return _text(self.to_dict(top), name)

    def __repr__(self) -> str:
        ev = self.evaluation
        alarm = f"; {len(self.alarms)} leakage alarm(s)" if self.alarms else ""
        return (
            f"ChurnReport({self.model}; {self.validation}: n={ev.n}, ROC AUC {ev.auc:.3f} "
            f"[{ev.auc_ci_low:.3f}, {ev.auc_ci_high:.3f}], top-decile lift {ev.top_decile_lift:.2f}{alarm})"
        )


def _lines_scores(r: dict) -> list[str]:
    used = "customers scored" if "time-based" in r["validation"] else "customers used"
    blank = f" ({r['n_missing_target']:,} with a blank target excluded)" if r["n_missing_target"] else ""
    return [
        f"  {used:<18} {r['n']:,} of {r['n_rows']:,} rows{blank}",
        f"  churners           {r['n_churners']:,} ({r['churn_rate']:.1%})",
        f"  features           {len(r['numeric_features'])} numeric, {len(r['text_features'])} text",
        f"  model              {r['model']}; {r['validation']}",
        "",
        f"  ROC AUC            {r['auc']:.3f}  [{r['auc_ci_low']:.3f}, {r['auc_ci_high']:.3f}] "
        f"({r['auc_ci_method']}; 0.5 = coin toss)",
        f"  PR AUC             {r['pr_auc']:.3f}  [{r['pr_auc_ci_low']:.3f}, {r['pr_auc_ci_high']:.3f}] "
        f"({r['pr_auc_ci_method']}; baseline = churn rate {r['churn_rate']:.3f})",
        f"  top-decile lift    {r['top_decile_lift']:.2f}  (the riskiest 10% churn {r['top_decile_lift']:.1f}x "
        f"as often as average; at most {1 / r['churn_rate']:.1f})",
        f"  Brier score        {r['brier']:.4f}  (predicting the churn rate for all: {r['brier_baseline']:.4f})",
        f'  accuracy at 0.5    {r["accuracy"]:.3f}  ("nobody churns" scores {r["accuracy_nobody_churns"]:.3f}: '
        "do not judge churn models by accuracy)",
    ]


def _text(r: dict, name: str) -> str:
    lines = [f"Churn model on {name}", ""] + _lines_scores(r)
    if r["leakage_alarms"]:
        lines += ["", "  LEAKAGE ALARM (recorded after the outcome?):"]
        lines += [f"    ! {a}" for a in r["leakage_alarms"]]
    lines += ["", "  Drivers of predicted risk, 95% intervals (associations, not causes):"]
    for d in r["drivers"]:
        lines.append(f"    {d['plain']}  [{d['ci_low']:+.3f}, {d['ci_high']:+.3f}]")
    if not r["drivers"]:
        lines.append("    none: every interval includes 0")
    unclear = [str(f) for f in r["no_clear_direction"]]
    if unclear:
        more = f" and {len(unclear) - 8} more" if len(unclear) > 8 else ""
        lines.append(f"    no clear direction (interval includes 0): {', '.join(unclear[:8])}{more}")
    if r["notes"]:
        lines += ["", "  Notes on the data:"] + [f"    - {n}" for n in r["notes"]]
    return "\n".join(lines)


def _all_columns(df: pd.DataFrame, t: CleanTable, id_column: str | None) -> pd.DataFrame:
    """The model's columns plus those the cleaning dropped (a one-value column may be a leak through its blanks)."""
    X = t.X.copy()
    for c in t.dropped:
        if c != id_column and c in df.columns:
            X[c] = df.loc[t.index, c].to_numpy()
    return X


def _time_based(df, t, date_column, model, dayfirst, horizon, drop_overlapping, id_column) -> ChurnEvaluation:
    from cxlib.data.io import to_dates

    dates = to_dates(df.loc[t.index, date_column], errors="coerce", dayfirst=dayfirst, name=date_column)
    if dates.isna().any():
        raise CxError(
            f"{int(dates.isna().sum())} value(s) in the date column {date_column!r} are not dates; "
            f"write them as YYYY-MM-DD."
        )
    stacked = t.X.assign(__cutoff__=dates.to_numpy(), __target__=t.y.to_numpy())
    ids = None
    if id_column is not None:
        stacked["__id__"] = df.loc[t.index, id_column].to_numpy()
        ids = "__id__"
    return time_validate(
        stacked,
        "__cutoff__",
        "__target__",
        id_column=ids,
        model=model,
        horizon=horizon,
        drop_overlapping=drop_overlapping,
    )


def churn_report(
    df: pd.DataFrame,
    target_column: str,
    id_column: str | None = None,
    *,
    model: str = "logistic",
    folds: int = 5,
    seed: int = 0,
    date_column: str | None = None,
    dayfirst: bool | None = None,
    horizon: int | None = None,
    drop_overlapping: bool = False,
    notes: Any = (),
) -> ChurnReport:
    """An honest churn model on a customer-level table: validation, leakage alarm, drivers with intervals.

    Without ``date_column``, out-of-fold predictions from stratified K-fold
    cross-validation are scored; with it (a stacked table of snapshots) the model is
    trained on the earlier cutoffs and tested on the latest
    (:func:`~cxlib.analytics.churn.time_validate`; the dates are read as
    :func:`cxlib.data.io.to_dates` reads a column). The drivers come from the model
    refitted on every row.

    Parameters
    ----------
    df : DataFrame
        One row per customer (and cutoff): the target, an optional id and features.
    target_column : str
        The churn target (0/1, yes/no, churned/active, ...).
    id_column : str, optional
        The customer id (default ``customer_id`` when present).
    model : {"logistic", "hgb"}
        Logistic regression (interpretable) or histogram gradient boosting.
    folds, seed : int
        Cross-validation folds and the seed of the folds, the model and the resamples.
    date_column : str, optional
        The cutoff of each row of a stacked table (time-based validation).
    dayfirst : bool, optional
        How to read dates whose order the column does not show.
    horizon : int, optional
        The label horizon in months (time-based validation; default from the data).
    drop_overlapping : bool, default False
        Leave out training cutoffs whose labels overlap the test period instead of refusing.
    notes : sequence of str
        Notes about how the table was read, put first in the report's notes.

    Returns
    -------
    ChurnReport

    Examples
    --------
    >>> from cxlib.data import datasets
    >>> r = churn_report(datasets.load_churn_snapshot(), "churned", "customer_id")
    >>> r.validation, round(r.evaluation.auc, 2), r.alarms
    ('5-fold stratified out-of-fold, seed 0', 0.85, [])
    >>> r.drivers.iloc[0]["plain"]
    'plan = Plus → lower churn risk'
    """
    if model not in _MODELS:
        raise CxError(f"model must be 'logistic' or 'hgb'; got {model!r}.")
    if id_column is None and "customer_id" in df.columns and target_column != "customer_id":
        id_column = "customer_id"
    if date_column is not None and date_column not in df.columns:
        raise CxError(f"date column {date_column!r} not found; the columns are: {', '.join(map(str, df.columns))}.")
    t = clean_features(df.drop(columns=[date_column]) if date_column else df, target_column, id_column=id_column)
    m = ChurnModel(kind=model, random_state=seed)
    with warnings.catch_warnings():  # the alarm runs once below, on every column of the table
        warnings.simplefilter("ignore", LeakageWarning)
        if date_column:
            ev = _time_based(df, t, date_column, m, dayfirst, horizon, drop_overlapping, id_column)
            validation = ev.method.split(": ", 1)[1] + " (time-based)"
        else:
            ev = m.cross_validate(t.X, t.y, folds=folds, seed=seed)
            validation = f"{folds}-fold stratified out-of-fold, seed {seed}"
    ev.alarms = leakage_checks(_all_columns(df, t, id_column), t.y.to_numpy(), auc=ev.auc)
    warn_alarms(ev.alarms, stacklevel=2)
    return ChurnReport(
        evaluation=ev,
        table=t,
        drivers=m.fit(t.X, t.y).drivers(),
        model=_MODELS[model],
        validation=validation,
        target_column=target_column,
        target_mapping=df.attrs.get("target_labels") or t.target_mapping,
        notes=list(notes) + t.notes(),
    )

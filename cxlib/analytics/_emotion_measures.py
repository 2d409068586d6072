"""Measures of emotional connection from text, and how to validate a measure (part of :mod:`cxlib.analytics.emotion`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cxlib._deprecation import renamed_arguments
from cxlib.analytics._emotion_base import _binary, _LevelAlias
from cxlib.analytics.stats import delong_auc_ci, z_value
from cxlib.checks import require_columns
from cxlib.errors import CxError, Problem, ValidationError

__all__ = ["connection_from_text", "MeasureValidity", "measure_validity"]


# ----------------------------------------------------------------------------------------------
# A text-based measure of emotional connection, and how to validate a measure
# ----------------------------------------------------------------------------------------------
@renamed_arguments(customer="id_column", text="text_column")
def connection_from_text(
    comments: pd.DataFrame,
    id_column: str = "customer_id",
    text_column: str = "comment",
    *,
    lexicon=None,
    threshold: float = 0.5,
) -> pd.DataFrame:
    """A per-customer emotional-connection measure from the words in their comments.

    Each comment is searched for emotion (attachment) words with
    :func:`cxlib.analytics.text.emotion_words`; a customer's score is the **share of
    their comments that contain such words** (pool every source you have:
    survey comments, post-contact feedback, ...). Blank and non-English
    comments do not count as comments; a customer with none gets NaN, not 0.

    Parameters
    ----------
    comments : pandas.DataFrame
        One row per comment.
    id_column, text_column : str
        The customer id and the comment columns.
    lexicon : list or dict, optional
        Words to look for (default :data:`cxlib.analytics.text.ATTACHMENT_WORDS`).
    threshold : float
        ``connected_text`` is 1 when ``share >= threshold`` (default 0.5).

    Returns
    -------
    pandas.DataFrame
        Indexed by customer: ``n_comments`` (searched), ``n_emotional``,
        ``share`` (NaN with no comment) and ``connected_text`` (1/0, NaN with
        no comment). ``attrs``: ``n_customers``, ``n_without_comment``,
        ``n_comments``, ``n_blank``, ``n_non_english``, ``threshold``.

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"customer_id": ["A", "A", "B", "B", "C"],
    ...                   "comment": ["I love this company.", "Calls drop.", "Fine for now.",
    ...                               "Solid operator.", "   "]})
    >>> connection_from_text(c)
                 n_comments  n_emotional  share  connected_text
    customer_id
    A                     2            1    0.5             1.0
    B                     2            0    0.0             0.0
    C                     0            0    NaN             NaN
    >>> connection_from_text(c).attrs["n_without_comment"]
    1
    """
    from cxlib.analytics.text import emotion_words

    require_columns(comments, [id_column, text_column], "the comments table", "comments")
    if not (0 < threshold <= 1):
        raise CxError(f"threshold must be a share in (0, 1]; got {threshold!r}.")
    ids = comments[id_column]
    if ids.isna().any():
        rows = tuple(int(p) + 2 for p in np.flatnonzero(ids.isna().to_numpy())[:5])
        raise ValidationError(
            [
                Problem(
                    "missing customer id",
                    column=id_column,
                    rows=rows,
                    count=int(ids.isna().sum()),
                    fix="Drop or fill the rows without a customer id before measuring.",
                )
            ],
            source="connection_from_text",
        )
    e = emotion_words(comments[text_column], lexicon)
    g = pd.DataFrame(
        {
            id_column: ids.to_numpy(),
            "searched": e["status"].eq("ok").to_numpy(),
            "emo": e["has_emotion"].fillna(0).to_numpy(),
        }
    ).groupby(id_column, sort=True)
    out = pd.DataFrame({"n_comments": g["searched"].sum().astype(int), "n_emotional": g["emo"].sum().astype(int)})
    out["share"] = (out["n_emotional"] / out["n_comments"]).where(out["n_comments"] > 0)
    out["connected_text"] = (out["share"] >= threshold).astype(float).where(out["share"].notna())
    out.attrs.update(
        {
            "n_customers": int(len(out)),
            "n_without_comment": int(out["share"].isna().sum()),
            "n_comments": int(e.attrs["n_searched"]),
            "n_blank": int(e.attrs["n_blank"]),
            "n_non_english": int(e.attrs["n_non_english"]),
            "threshold": float(threshold),
        }
    )
    return out


@dataclass(frozen=True)
class MeasureValidity(_LevelAlias):
    """How well a score ranks a true 0/1 status (see :func:`measure_validity`).

    Attributes
    ----------
    auc : float
        ROC AUC of the score against the 0/1 status (0.5 = no better than chance).
    ci_low, ci_high : float
        DeLong interval of the AUC at ``level``.
    n : int
        Customers with both a score and a status.
    n_positive : int
        Of whom with status 1.
    n_missing : int
        Customers left out because their score or status was missing.
    level : float
        Confidence level of the interval (0-1).
    """

    auc: float
    ci_low: float
    ci_high: float
    n: int
    n_positive: int
    n_missing: int = 0
    level: float = 0.95

    def __repr__(self) -> str:
        return (
            f"MeasureValidity(AUC={self.auc:.3f} [{self.ci_low:.3f}, {self.ci_high:.3f}] at "
            f"{self.level:.0%}; n={self.n}, {self.n_positive} positive"
            + (f"; {self.n_missing} missing" if self.n_missing else "")
            + ")"
        )


@renamed_arguments(confidence="level")
def measure_validity(truth, score, *, level: float = 0.95) -> MeasureValidity:
    """ROC AUC of ``score`` for a true 0/1 status, with a DeLong interval.

    The AUC is the probability that a randomly chosen true positive (e.g. a
    truly connected customer) scores higher than a randomly chosen negative
    (ties count half): 0.5 is a coin, 1 a perfect measure. The interval is
    AUC +- z * SE with DeLong's (1988) standard error, clipped to [0, 1].
    Pairs where either value is missing are left out and counted.

    Parameters
    ----------
    truth : array-like of 0/1
        The true status (missing values allowed).
    score : array-like of float
        Higher means "more likely positive".
    level : float, default 0.95
        Confidence level of the interval.

    Returns
    -------
    MeasureValidity
        ``auc``, ``ci_low``, ``ci_high``, ``n``, ``n_positive``, ``n_missing``.

    Examples
    --------
    >>> measure_validity([0, 0, 1, 1, None], [0.1, 0.4, 0.35, 0.8, 0.2])
    MeasureValidity(AUC=0.750 [0.057, 1.000] at 95%; n=4, 2 positive; 1 missing)
    """
    z = z_value(level)
    y = pd.Series(list(truth) if not isinstance(truth, pd.Series) else truth.to_numpy(), dtype=object)
    s = pd.to_numeric(pd.Series(list(score) if not isinstance(score, pd.Series) else score.to_numpy()), errors="coerce")
    if len(y) != len(s):
        raise CxError(f"truth and score must have the same length; got {len(y)} and {len(s)}.")
    problems: list = []
    yb = _binary(pd.DataFrame({"truth": y}), "truth", problems)
    if problems:
        raise ValidationError(problems, source="measure_validity")
    keep = (yb.notna() & s.notna()).to_numpy()
    yv, sv = yb[keep].to_numpy().astype(int), s[keep].to_numpy()
    if yv.min(initial=1) == yv.max(initial=0) or len(yv) == 0:
        raise CxError("an AUC needs both true positives and true negatives among the non-missing rows.")
    auc, se, _, _ = delong_auc_ci(yv, sv)
    lo, hi = np.clip(auc + np.array([-z, z]) * se, 0, 1)
    return MeasureValidity(
        auc=float(auc),
        ci_low=float(lo),
        ci_high=float(hi),
        n=int(keep.sum()),
        n_positive=int(yv.sum()),
        n_missing=int((~keep).sum()),
        level=level,
    )

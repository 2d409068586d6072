"""Exercises of lesson 02 (personas from data).

Every expected answer is computed from the bundled data with :mod:`cxlib.analytics.personas`
(the same calls the lesson makes), never typed in.

Examples
--------
>>> from cxlib.teaching.exercises import ____, lesson02 as ex
>>> ex.q1.check(____).status
'unattempted'
>>> ex.q2.check("row order").status
'correct'
>>> ex.q6.check(lambda j: "stable" if j >= 0.75 else ("doubtful" if j >= 0.5 else "dissolved")).status
'correct'
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import pandas as pd

from cxlib.teaching.exercises import (
    ChoiceExercise,
    FunctionExercise,
    NumericExercise,
    OpenExercise,
    PandasExercise,
    as_number,
    exercise,
)

__all__ = ["q1", "q2", "q3", "q4", "q5", "q6"]

#: The day RFM recency is measured from in the lesson (the day after the window ends).
ASOF = "2025-01-01"
#: Point-in-time cutoff of exercise 4 and the months after it in which churn is counted.
CUTOFF = "2024-07-01"
HORIZON = 6


@lru_cache(maxsize=1)
def _rfm() -> pd.DataFrame:
    from cxlib.analytics import personas
    from cxlib.data import datasets

    r = personas.rfm(datasets.load_activity(), date_column="month", amount_column="spend", asof=ASOF)
    r["group"] = personas.rfm_segment(r)
    return r


@lru_cache(maxsize=1)
def _segments() -> tuple[pd.DataFrame, pd.Series]:
    """The lesson's feature table and its 4 segments (default features, seed 0)."""
    from cxlib import features
    from cxlib.analytics import personas
    from cxlib.data import datasets

    f = features.customer_features(datasets.load_customers(), datasets.load_activity(), datasets.load_interactions())
    seg = personas.Segmenter(k=4, feature_columns=features.DEFAULT_FEATURES, random_state=0).fit(f)
    return f, seg.labels_


@lru_cache(maxsize=1)
def _segments_at_cutoff() -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """Point-in-time features at :data:`CUTOFF`, their 4 segments and churn in the next HORIZON months."""
    from cxlib import features
    from cxlib.analytics import personas
    from cxlib.data import datasets

    act = datasets.load_activity()
    f = features.customer_features(datasets.load_customers(), act, datasets.load_interactions(), cutoff=CUTOFF)
    seg = personas.Segmenter(k=4, feature_columns=features.DEFAULT_FEATURES, random_state=0).fit(f)
    return f, seg.labels_, features.later_churn(act, CUTOFF, horizon=HORIZON)


def _full_window_churn() -> float:
    """The old, circular answer: status at the end of the window in the full-window segments."""
    from cxlib.data import datasets

    _, lab = _segments()
    st = datasets.load_customers().set_index("customer_id")["status"].eq("churned")
    return float(st.reindex(lab.index).astype(float).groupby(lab).mean()[_segment_by("help_article_views_mean")])


def _segment_by(feature: str) -> int:
    f, lab = _segments()
    return int(f[feature].groupby(lab).mean().idxmax())


def _close(a: float, b: float, tol: float = 0.0051) -> bool:
    return math.isclose(a, b, abs_tol=tol)


@exercise
class q1(NumericExercise):
    prompt = (
        "Score every customer with RFM from the `activity` table (one row per active month; "
        "`date_column='month'`, `amount_column='spend'`, `asof='2025-01-01'`) and name the groups with "
        "`P.rfm_segment`. **How many customers fall in the `lost` group?**"
    )
    hints = (
        "RFM scores each customer on recency, frequency and money from their active months; the "
        "prompt gives the arguments to pass.",
        "`P.rfm` returns one row of scores per customer; `P.rfm_segment` turns those scores into a "
        "group name per customer.",
        "Compare the group names with `'lost'`: the sum of a True/False column counts the Trues.",
    )
    solution_code = (
        "r = P.rfm(activity, date_column='month', amount_column='spend', asof='2025-01-01')\n"
        "answer = (P.rfm_segment(r) == 'lost').sum()"
    )
    rel_tol = 0.0

    def expected(self) -> int:
        return int((_rfm()["group"] == "lost").sum())

    def diagnose(self, answer: Any, expected: Any) -> str | None:
        counts = _rfm()["group"].value_counts()
        for name, n in counts.items():
            if int(as_number(answer)) == int(n) and name != "lost":
                return f"{int(n)} is the size of the `{name}` group; the question asks for `lost`."
        return None


@exercise
class q2(ChoiceExercise):
    prompt = (
        "Every customer billed in December 2024 has the **same** recency (31 days), yet "
        "they get different R scores. What decides which? Choose `'recency'`, "
        "`'row order'` or `'spend'`."
    )
    choices = ("recency", "row order", "spend")
    why_not = {
        "recency": "their recency is identical (31 days), so it cannot separate them.",
        "spend": "R is computed from recency alone; spend enters only M.",
    }
    hints = (
        "R is `pd.qcut(x.rank(method='first'), 5)` of minus the recency.",
        "`rank(method='first')` breaks ties by the order of the rows.",
    )
    solution_code = "answer = 'row order'"
    solution_text = (
        "ties are broken by `rank(method='first')`, i.e. by the order of the rows in the file: "
        "in a subscription business R among active customers is arbitrary, and RFM "
        "mostly re-discovers who has already left."
    )

    def expected(self) -> str:
        return "row order"


@exercise
class q3(NumericExercise):
    prompt = (
        "Segment the customers with `P.Segmenter(k=4, feature_columns=features.DEFAULT_FEATURES, "
        "random_state=0)`. **What is the median age of the segment whose members watch the "
        "most help videos per month** (the data behind article 001's 'Anne')?"
    )
    hints = (
        "Fit the segmentation first: its `labels_` give each customer's segment number.",
        "Group the `help_video_views_mean` column by those labels and take the mean; the segment "
        "with the largest mean is the one you want (`.idxmax()`).",
        "Keep the rows of that segment (a True/False mask on the labels) and take the median of their `age`.",
    )
    solution_code = (
        "seg = P.Segmenter(k=4, feature_columns=features.DEFAULT_FEATURES, random_state=0).fit(feats)\n"
        "s = feats['help_video_views_mean'].groupby(seg.labels_).mean().idxmax()\n"
        "answer = feats.loc[seg.labels_ == s, 'age'].median()"
    )
    abs_tol = 0.5
    rel_tol = 0.0
    unit = " years"

    def expected(self) -> float:
        f, lab = _segments()
        return float(f.loc[lab == _segment_by("help_video_views_mean"), "age"].median())

    def diagnose(self, answer: Any, expected: Any) -> str | None:
        f, lab = _segments()
        a = as_number(answer)
        if _close(a, 35, 0.01):
            return "35 is Anne's age in article 001, an illustration; the question asks what the data say."
        if _close(a, float(f.loc[lab == _segment_by("help_video_views_mean"), "age"].mean()), 0.05):
            return "that is the mean age; the card reports the median."
        if _close(a, float(f["age"].median()), 0.01):
            return "that is the median age of all customers, not of the video-watching segment."
        return None


@exercise
class q6(FunctionExercise):
    prompt = (
        "Write a function `verdict(jaccard)` that returns Hennig's (2007) verdict on a "
        "segment's mean bootstrap Jaccard: `'stable'` from 0.75 up, `'dissolved'` below 0.5, "
        "`'doubtful'` in between."
    )
    hints = (
        "Three verdicts, two thresholds: test the higher threshold first, then the lower one; "
        "whatever is left lies in between.",
        "Check the boundaries: 0.75 is stable, 0.5 is doubtful.",
    )
    solution_code = (
        "def verdict(jaccard):\n"
        "    if jaccard >= 0.75:\n        return 'stable'\n"
        "    if jaccard < 0.5:\n        return 'dissolved'\n"
        "    return 'doubtful'\n"
        "answer = verdict"
    )

    def cases(self) -> list:
        return [
            ((0.9,), "stable"),
            ((0.75,), "stable"),
            ((0.7499,), "doubtful"),
            ((0.5,), "doubtful"),
            ((0.4999,), "dissolved"),
            ((0.0,), "dissolved"),
            ((1.0,), "stable"),
        ]


@exercise
class q4(PandasExercise, NumericExercise):
    prompt = (
        "**Compute it with pandas.** Personas should differ on an outcome **not used to build them**, "
        "measured **after** the data that built them. Segment the customers active on 1 July 2024 "
        "on features from before that day only (`features.customer_features(customers, activity, "
        "interactions, cutoff='2024-07-01')`, then `P.Segmenter(k=4, "
        "feature_columns=features.DEFAULT_FEATURES, random_state=0)`). With pandas, find the segment "
        "that reads the most step-by-step help pages (the data behind 'John') and the share of its "
        "customers who cancelled in the **six months after** the cutoff "
        "(`features.later_churn(activity, '2024-07-01', horizon=6)`: 1 = cancelled)."
    )
    hints = (
        "Build the point-in-time feature table and segment it as the prompt says: segment "
        "numbers differ from the full-window segmentation.",
        "Group the `help_article_views_mean` column of the point-in-time table by the segment "
        "labels (`labels_`), take each segment's mean, and keep the segment with the largest (`.idxmax()`).",
        "`later_churn` is a 0/1 Series indexed by customer, like the labels: group it by the labels "
        "too, and the mean of a 0/1 column is a share. Pick your segment's row by its label.",
    )
    solution_code = (
        "feats_t0 = features.customer_features(customers, activity, interactions, cutoff='2024-07-01')\n"
        "seg_t0 = P.Segmenter(k=4, feature_columns=features.DEFAULT_FEATURES, random_state=0).fit(feats_t0)\n"
        "later = features.later_churn(activity, '2024-07-01', horizon=6)\n"
        "s = feats_t0['help_article_views_mean'].groupby(seg_t0.labels_).mean().idxmax()\n"
        "answer = later.groupby(seg_t0.labels_).mean()[s]"
    )
    cxlib_equivalent = "cxlib.analytics.personas.rate_by_segment"
    scale = "share"
    abs_tol = 0.0051
    rel_tol = 0.0

    def _rates(self) -> pd.Series:
        f, lab, later = _segments_at_cutoff()
        return later.reindex(lab.index).astype(float).groupby(lab).mean()

    def _john(self) -> int:
        f, lab, _ = _segments_at_cutoff()
        return int(f["help_article_views_mean"].groupby(lab).mean().idxmax())

    def expected(self) -> float:
        return float(self._rates()[self._john()])

    def diagnose(self, answer: Any, expected: Any) -> str | None:
        for reading in self.readings(answer):
            a = reading.value
            if _close(a, 1 - expected):
                return "that is the share still active; the question asks for the share that cancelled."
            if _close(a, _full_window_churn()):
                return (
                    "that is the churn by the end of the window in the full-window segmentation, which "
                    "is circular (features averaged over the months the churn happened in); use the "
                    "point-in-time features and the churn after 1 July 2024."
                )
            for s, v in self._rates().items():
                if _close(a, v) and s != self._john():
                    return f"that is segment {s}'s churn rate; pick the segment with the most help-page reads."
        return None


def _low_spenders(f: pd.DataFrame, lab: pd.Series) -> int:
    """The segment with the lowest mean monthly spend."""
    return int(f["spend_mean"].groupby(lab).mean().idxmin())


@lru_cache(maxsize=1)
def _five_segments() -> dict[str, Any]:
    """What k = 5 does to the lesson's four segments: the weakest segment, its Jaccard, where it comes from."""
    from cxlib import features
    from cxlib.analytics import personas

    f, four = _segments()
    five = personas.Segmenter(k=5, feature_columns=features.DEFAULT_FEATURES, random_state=0).fit(f)
    jaccard = five.stability(n_boot=20).jaccard["jaccard"]
    weakest = int(jaccard.idxmin())
    low = _low_spenders(f, four)
    members = four == low
    return {
        "weakest": weakest,
        "weakest_jaccard": float(jaccard[weakest]),
        "weakest_size": int((five.labels_ == weakest).sum()),
        "low_to_weakest": float((five.labels_[members] == weakest).mean()),
        "low_largest_part": float(five.labels_[members].value_counts(normalize=True).max()),
    }


@exercise
class q5(OpenExercise):
    prompt = (
        "**A fifth persona on the wall? (open question, for discussion).** Section 3 compared the "
        "stability of k = 2 to 6. Segment the customers with k = 5 (and, if you like, k = 3) and "
        "compare with the four cards: which segment splits or merges, and how stable is what "
        "comes out? In three or four sentences for the CX team: would you tell support staff about "
        "a fifth persona, and what would the card of the **low-spending** segment say, with a number "
        "behind every line, its churn after 1 July 2024 (section 7) included?"
    )
    hints = (
        "`P.Segmenter(k=5, ...)` on the same features; its `stability(n_boot=20)` gives each "
        "segment's Jaccard, and Hennig's thresholds (0.75, 0.5) say what it is worth.",
        "`pd.crosstab(seg.labels_, five.labels_)` shows where the members of each of the four "
        "segments go when there are five.",
        "For the card, start from `cards.by_segment(...)` of the low-spending segment, then add its "
        "churn after 1 July 2024 with its interval (section 7); leave out what the data cannot show.",
    )
    model_answer = (
        "With k = 5 the low-spending segment breaks up: its largest part keeps only "
        "{low_largest_part:.0%} of its members, and {low_to_weakest:.0%} of them go to a new segment of "
        "{weakest_size:,} customers whose mean bootstrap Jaccard is {weakest_jaccard:.2f} ({verdict}), "
        "so it re-forms differently on each resample and I would not tell staff about a fifth persona; "
        "four segments are stable (Jaccard at least {four_min_jaccard:.2f}). The card for the low "
        "spenders (k = 4): {low_size:,} customers ({low_share:.0%}), median age {low_age:.0f} (middle "
        "half {low_age_band}), spend {low_spend:.1f} against {all_spend:.1f} USD a month, mostly on "
        "the {low_channel}, no clear help-content preference; {low_churn:.0%} [{low_churn_low:.0%}, "
        "{low_churn_high:.0%}] of those active on 1 July 2024 cancelled in the next six months. Price, "
        "not help content, is their problem; the card claims nothing about personality or motives."
    )
    look_for = (
        "which segment splits with k = 5 and the new segment's Jaccard with Hennig's verdict",
        "a decision on the fifth persona that follows from its stability",
        "a card with a number behind every line: size, age band, spend, channel, later churn with its interval",
        "no invented traits (personality, motives, family)",
    )
    self_check = (
        "Did you give the Jaccard of the segment you would add or drop, and what it means?",
        "Does every line of your card carry a number from the data?",
        "Did you leave out what the data cannot show?",
    )

    def facts(self) -> dict[str, Any]:
        from cxlib.analytics import personas
        from cxlib.analytics.personas.segmentation import _verdict

        f, four = _segments()
        five = _five_segments()
        low = _low_spenders(f, four)
        members = f[four == low]
        f_t0, lab_t0, later = _segments_at_cutoff()
        churn = personas.rate_by_segment(lab_t0, later).loc[_low_spenders(f_t0, lab_t0)]
        channel = members["preferred_channel"].value_counts(normalize=True)
        return {
            **five,
            "verdict": _verdict(five["weakest_jaccard"]),
            "four_min_jaccard": float(_four_stability()["jaccard"].min()),
            "low_size": len(members),
            "low_share": len(members) / len(f),
            "low_age": float(members["age"].median()),
            "low_age_band": f"{members['age'].quantile(0.25):.0f}-{members['age'].quantile(0.75):.0f}",
            "low_spend": float(members["spend_mean"].mean()),
            "all_spend": float(f["spend_mean"].mean()),
            "low_channel": f"{channel.idxmax()} ({channel.max():.0%} prefer it)",
            "low_churn": float(churn["rate"]),
            "low_churn_low": float(churn["ci_low"]),
            "low_churn_high": float(churn["ci_high"]),
        }


@lru_cache(maxsize=1)
def _four_stability() -> pd.DataFrame:
    from cxlib import features
    from cxlib.analytics import personas

    f, _ = _segments()
    seg = personas.Segmenter(k=4, feature_columns=features.DEFAULT_FEATURES, random_state=0).fit(f)
    return seg.stability(n_boot=20).jaccard

"""Exercises of lesson 03 (emotional connection): text tone, risk ratios, causality.

The expected answers are computed from the bundled data, never typed in.

Examples
--------
>>> from cxlib.teaching.exercises import lesson03 as ex, ____
>>> ex.q1.check(____).status
'unattempted'
>>> ex.q1.check(ex.q1.expected_value()).status
'correct'
>>> ex.q4.check("c").status
'incorrect'
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cxlib.teaching.exercises import (
    ChoiceExercise,
    FunctionExercise,
    NumericExercise,
    OpenExercise,
    PandasExercise,
    as_number,
    exercise,
)

__all__ = ["q1", "q2", "q3", "q4", "q5", "q6", "respondents"]


def respondents():
    """The bundled NPS answers with each respondent's true connection at the time of answering.

    ``connected`` is the simulator's survey-time status from ``truth.monthly`` (the month of the
    answer), which follows ``truth.summary["ltr_model"]["connected_rule"]``:
    emotional_connection + 0.03 * tenure in years > 0.62.

    Returns
    -------
    pandas.DataFrame
        The NPS survey answers with ``month`` and the true ``connected`` status added.
    """
    from cxlib.data import datasets

    truth = datasets.load_truth()
    nps = datasets.load_nps_surveys()
    month = nps["survey_date"].dt.to_period("M").dt.to_timestamp()
    return nps.assign(month=month).merge(
        truth.monthly[["customer_id", "month", "connected"]],
        on=["customer_id", "month"],
        how="left",
        validate="many_to_one",
    )


@exercise
class q1(NumericExercise):
    prompt = (
        "Of the **detractors** (score 0-6) in `nps_surveys`, how many left **no comment** (empty or "
        "only spaces)? A blank comment is missing, not 'neutral'. Then count the promoters' (9-10) too: "
        "do the comments speak for every score alike?"
    )
    hints = (
        "First keep the detractors' rows: a score from 0 to 6 (6 is a detractor too).",
        "`score_texts` counts blank comments for you: look at `.attrs` of its result (a dictionary of counts).",
        "Score the detractors' `comment` column and take the count in `.attrs` whose name says *blank*.",
    )
    solution_code = (
        "detractors = nps[nps['ltr'] <= 6]\n"
        "s = score_texts(detractors['comment'], progress=False)\n"
        "answer = s.attrs['n_blank']"
    )
    rel_tol = 0.0

    @staticmethod
    def _blanks(rows: Any) -> int:
        from cxlib.analytics.text import score_texts
        from cxlib.data import datasets

        nps = datasets.load_nps_surveys()
        return int(score_texts(nps.loc[rows(nps), "comment"], progress=False).attrs["n_blank"])

    def expected(self) -> int:
        return self._blanks(lambda d: d["ltr"] <= 6)

    def diagnose(self, answer: Any, expected: Any) -> str | None:
        got = int(as_number(answer))
        if got == self._blanks(lambda d: slice(None)):  # every answer
            return "that counts the blank comments of every answer; the question asks for the detractors' only."
        if got == self._blanks(lambda d: d["ltr"] < 6):
            return "a score of 6 is a detractor too: keep `ltr <= 6`."
        if got == self._blanks(lambda d: d["ltr"] >= 9):
            return "those are the promoters' blank comments (9-10); detractors score 0-6."
        return None


@exercise
class q2(FunctionExercise):
    prompt = (
        "Write a function `tone(compound, positive=0.05, negative=-0.05)` that returns "
        "`'positive'` when compound >= positive, `'negative'` when compound <= negative, and "
        "`'neutral'` otherwise (Hutto & Gilbert's convention). Mind the boundaries."
    )
    hints = (
        "Three labels, two thresholds: test one threshold, then the other; whatever is left is neutral.",
        "Use `>=` and `<=`: exactly 0.05 is positive, exactly -0.05 negative.",
        "Each test can end the function with its own `return`; the last line returns the label for what is left.",
    )
    solution_code = (
        "def tone(compound, positive=0.05, negative=-0.05):\n"
        "    if compound >= positive:\n        return 'positive'\n"
        "    if compound <= negative:\n        return 'negative'\n"
        "    return 'neutral'\n\nanswer = tone"
    )

    def cases(self):
        return [
            ((0.05,), "positive"),
            ((0.0499,), "neutral"),
            ((-0.05,), "negative"),
            ((-0.0499,), "neutral"),
            ((0.9,), "positive"),
            ((-0.7,), "negative"),
            ((0.3, 0.5, -0.5), "neutral"),
            ((-0.5, 0.5, -0.5), "negative"),
        ]


@exercise
class q3(PandasExercise, NumericExercise):
    prompt = (
        "Article 001 says 44% of emotionally connected customers rarely or never shop around. With pandas "
        "(no cxlib function), compute the **risk ratio** of answering 'rarely' or 'never' to `shop_around` "
        "for connected vs not-connected respondents (use `ex.respondents()`, or the frame built in the "
        "lesson). Give the ratio (connected / not connected)."
    )
    hints = (
        "A risk ratio divides two shares: the share with the outcome among the connected respondents, by the "
        "same share among the others.",
        "Make a True/False column for the outcome from `shop_around` (`.isin(...)` with the two answers); the "
        "mean of a True/False column is a share.",
        "Group by the `connected` column to get both shares at once, then divide the share of group 1 by the "
        "share of group 0 (pick them by their label with `.loc`).",
    )
    solution_code = (
        "r = ex.respondents()\n"
        "r['loyal'] = r['shop_around'].isin(['rarely', 'never'])\n"
        "shares = r.groupby('connected')['loyal'].mean()\n"
        "answer = shares.loc[1] / shares.loc[0]"
    )
    cxlib_equivalent = "cxlib.analytics.emotion.risk_ratio_table"
    rel_tol = 0.01

    def _table(self):
        nps = respondents()
        nps["loyal"] = nps["shop_around"].isin(["rarely", "never"]).astype(int)
        return nps

    def expected(self) -> float:
        from cxlib.analytics.emotion import risk_ratio_table

        return float(risk_ratio_table(self._table(), "connected", "loyal").rr)

    def diagnose(self, answer: Any, expected: Any) -> str | None:
        nps, a = self._table(), as_number(answer)
        share = nps.loc[nps["connected"] == 1, "loyal"].mean()
        if np.isclose(a, share, rtol=0.01) or np.isclose(a, 100 * share, rtol=0.01):
            return "that is the share among connected customers; the ratio divides it by the share among the others."
        if np.isclose(a, 1 / expected, rtol=0.01):
            return "that is the ratio the other way round: put the connected group on top."
        never = nps["shop_around"].eq("never").groupby(nps["connected"]).mean()
        if np.isclose(a, never.loc[1] / never.loc[0], rtol=0.01):
            return "count 'rarely' as well as 'never'."
        return None


@exercise
class q4(ChoiceExercise):
    prompt = (
        "Section 4 printed three ratios for being a promoter, connected vs not: the crude ratio, the "
        "ratio adjusted for tenure, plan, age, acquisition channel and the attribute ratings, and the "
        "simulator's true causal effect for these respondents. The adjusted ratio lies between the "
        "other two. Which conclusion is best?\n\n"
        "- **a**: connection causes a rise in recommending as large as the crude ratio, so the article's 3x is "
        "confirmed.\n"
        "- **b**: part of the raw ratio is confounding (longer-tenured, more satisfied customers are "
        "both more connected and more likely to recommend); adjustment moves the estimate towards "
        "the true effect, but only an experiment shows what *raising* connection would do.\n"
        "- **c**: the adjusted ratio is the causal effect, so any campaign that raises connection "
        "will multiply promoters by the adjusted ratio.\n"
        "- **d**: the association is spurious: connection has no effect on recommending."
    )
    choices = ("a", "b", "c", "d")
    why_not = {
        "a": "the raw ratio mixes the effect of connection with tenure and satisfaction; it is not causal.",
        "c": "adjustment removes only the confounders you measured (here satisfaction is seen only through "
        "noisy ratings, and the adjusted ratio is still above the truth), and a "
        "campaign changes connection in ways the data never saw: only an experiment shows its effect.",
        "d": "the adjusted interval is far above 1 and the simulator's true effect is about 2: connection does matter.",
    }
    hints = (
        "Compare the crude, adjusted and true ratios: which way does adjustment move the estimate?",
        "Adjustment removes the part of a ratio that comes from measured differences between the "
        "groups (confounders); it does not show what *changing* connection would do.",
    )
    solution_text = "b: adjustment removes measured confounding; causation needs an experiment."

    def expected(self) -> str:
        return "b"


@exercise
class q5(NumericExercise):
    prompt = (
        "How good is a text measure built from the **survey comments alone**? Build "
        "`connection_from_text` from `nps[['customer_id', 'comment']]` only (no support feedback), "
        "join its `share` to `respondents()` by `customer_id`, and give the **AUC** of `share` for the "
        "true `connected` status (`measure_validity`). Is it better or worse than the lesson's measure "
        "that pools both sources?"
    )
    hints = (
        "Only the survey comments go into the measure this time: select the id and comment "
        "columns of `nps` before you build it.",
        "`connection_from_text` gives one row per customer with a `share`; join it to "
        "`ex.respondents()` on `customer_id`.",
        "`measure_validity` takes the true status first and the score second; read the `.auc` of "
        "its result and compare it with the lesson's measure.",
    )
    solution_code = (
        "m = connection_from_text(nps[['customer_id', 'comment']])\n"
        "r = ex.respondents().join(m, on='customer_id')\n"
        "answer = measure_validity(r['connected'], r['share']).auc"
    )
    solution_text = "Fewer comments per customer make a noisier share: the AUC is lower than with both sources."
    rel_tol = 0.005

    def _auc(self, pooled: bool) -> float:
        import pandas as pd

        from cxlib.analytics.emotion import connection_from_text, measure_validity
        from cxlib.data import datasets

        r = respondents()
        comments = r[["customer_id", "comment"]]
        if pooled:
            comments = pd.concat(
                [comments, datasets.load_agent_feedback()[["customer_id", "comment"]]], ignore_index=True
            )
        m = connection_from_text(comments)
        r = r.join(m, on="customer_id")
        return float(measure_validity(r["connected"], r["share"]).auc)

    def expected(self) -> float:
        return self._auc(pooled=False)

    def diagnose(self, answer: Any, expected: Any) -> str | None:
        a = as_number(answer)
        if np.isclose(a, 1 - expected, rtol=0.005):
            return (
                "that is 1 - AUC: a higher share should mean 'more likely connected'; check the order of the arguments."
            )
        if np.isclose(a, self._auc(pooled=True), rtol=0.005):
            return "that AUC pools the support feedback too; the question asks for the survey comments alone."
        return None


#: What section 4 adjusts the promoter ratio for (the lesson's ``confounders``).
CONFOUNDERS = ["log_tenure", "plan", "age", "acquisition_channel", "value_for_money", "network_quality",
               "ease_of_support"]  # fmt: skip


def promoter_frame():
    """:func:`respondents` with the promoter outcome, the text measure and section 4's confounders.

    As the lesson builds them: ``promoter`` (ltr 9-10), ``connected_text`` (half or more of a
    customer's survey and support comments use emotion words), ``age`` and
    ``acquisition_channel`` from the customers table and ``log_tenure`` = log(1 + tenure in years).

    Returns
    -------
    pandas.DataFrame
        One row per survey answer.
    """
    import pandas as pd

    from cxlib.analytics.emotion import connection_from_text
    from cxlib.data import datasets

    r = respondents()
    comments = pd.concat(
        [r[["customer_id", "comment"]], datasets.load_agent_feedback()[["customer_id", "comment"]]], ignore_index=True
    )
    text = connection_from_text(comments, "customer_id", "comment", threshold=0.5)
    customers = datasets.load_customers()[["customer_id", "age", "acquisition_channel"]]
    r = r.join(text[["connected_text"]], on="customer_id").merge(customers, on="customer_id", how="left")
    return r.assign(promoter=(r["ltr"] >= 9).astype(int), log_tenure=np.log1p(r["tenure_months"] / 12))


@exercise
class q6(OpenExercise):
    prompt = (
        '**Discuss.** Your board has read that emotionally connected customers are "3x more likely to '
        'recommend" and wants to fund a programme expecting three times as many promoters. In four or five '
        "sentences, using this lesson's numbers, tell them what the ratio is on this company, whether it is "
        "the effect of connection, and what you would need to see before quoting such a figure."
    )
    hints = (
        "Start with section 3: the promoter shares of connected and other respondents, their ratio and its "
        "interval. Does the interval include 3? And with connection read from comments?",
        "Section 4: which customers are more connected *and* recommend more for other reasons? What does "
        "adjusting for them do to the ratio, and how does it compare with the simulator's true effect?",
        "End with what would convince you before quoting a vendor's figure: its outcome and base rate, how "
        "connection was measured, its interval, and what kind of study.",
    )
    model_answer = (
        "On this company connected respondents are promoters {p1:.0%} of the time against {p0:.0%} for the "
        "others: a ratio of {rr:.1f} [{lo:.1f}, {hi:.1f}], whose interval {three} 3, and only {rr_text:.1f} "
        "when connection is read from comments, as an analyst would have to. And the ratio is not the effect of "
        "connection: longer-tenured and more satisfied customers are both more connected and more likely to "
        "recommend; adjusting for tenure, plan, age, channel and the ratings brings it to {adj:.1f} "
        "[{adj_lo:.1f}, {adj_hi:.1f}], probably still too high: the simulator's true effect is {true:.1f}. So a "
        "programme that raised connection should not plan on three times as many promoters, and only a "
        'randomised test would show what it does. Before quoting any "3x" I would ask which outcome and '
        "base rate it is about, how connection was measured and validated, its interval, what it was "
        "adjusted for, and whether an experiment backs it; the article's figure is unverified."
    )
    look_for = (
        "the ratio with its interval and base rates, not a bare '3x'",
        "the text measure gives a smaller ratio (misclassification pulls it towards 1)",
        "confounding by tenure and satisfaction; the adjusted ratio is nearer the true effect",
        "only an experiment shows what raising connection would do",
        "what to ask of a vendor figure: outcome, measure, interval, design",
    )
    self_check = (
        "Did you quote a ratio with its interval, and the two shares it divides?",
        "Did you say why the raw ratio is not what a programme would achieve?",
        "Did you say what study would settle it?",
    )

    def facts(self) -> dict[str, Any]:
        from cxlib.analytics.emotion import adjusted_risk_ratio, risk_ratio_table
        from cxlib.data import datasets

        r = promoter_frame()
        crude = risk_ratio_table(r, "connected", "promoter")
        text = risk_ratio_table(r, "connected_text", "promoter")
        adj = adjusted_risk_ratio(r, "connected", "promoter", CONFOUNDERS, method="logistic")
        true = datasets.load_truth().summary["emotional_connection"]["causal_rr_recommend_respondents"]
        return {
            "p1": crude.risk_exposed,
            "p0": crude.risk_unexposed,
            "rr": crude.rr,
            "lo": crude.ci_low,
            "hi": crude.ci_high,
            "three": "excludes" if crude.excludes(3) else "includes",
            "rr_text": text.rr,
            "adj": adj.rr,
            "adj_lo": adj.ci_low,
            "adj_hi": adj.ci_high,
            "true": float(true),
        }

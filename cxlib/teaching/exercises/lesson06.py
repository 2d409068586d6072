"""Exercises of lesson 06 (churn from loyalty signals): accuracy trap, lift by hand, leakage, the
retention plan (an open question), targeting.

The expected answers are computed from the bundled data and from :mod:`cxlib.analytics.churn`,
never typed in.

Examples
--------
>>> from cxlib.teaching.exercises import ____, lesson06 as ex
>>> ex.q1.check(____).status
'unattempted'
>>> ex.q1.check(ex.q1.expected_value()).status
'correct'
>>> ex.q3.check("a").status
'incorrect'
>>> ex.q4.check("Contact everyone.").status
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

__all__ = ["q1", "q2", "q3", "q4", "q5", "q6", "OFFER_COST", "SUCCESS_RATE", "MARGIN_RATE"]

#: The campaign of the lesson's section 5 (and of the open question q4): cost per contact in USD,
#: share of would-be churners the offer keeps, and the margin on revenue.
OFFER_COST, SUCCESS_RATE, MARGIN_RATE = 10.0, 0.3, 0.35


def _snapshot_with_truth():
    from cxlib.data import datasets

    snap = datasets.load_churn_snapshot()
    p = datasets.load_truth().churn_probability.set_index("customer_id")["p_churn"]
    return snap, p.reindex(snap["customer_id"]).to_numpy()


@exercise
class q1(NumericExercise):
    prompt = (
        'The trivial rule "nobody churns" predicts 0 for every customer in `churn_snapshot`. '
        "What **accuracy** (share of customers classified correctly, 0-1) does it reach?"
    )
    hints = (
        "Every stayer is classified correctly and every churner wrongly.",
        "So the accuracy is the share of stayers: what is left when you take the churners away.",
        "The mean of the 0/1 `churned` column is the share of churners.",
    )
    solution_code = "answer = 1 - snap['churned'].mean()"
    solution_text = "The rule is right for every stayer, so its accuracy is one minus the churn rate:"
    scale = "share"
    abs_tol = 0.001

    def expected(self) -> float:
        from cxlib.data import datasets

        return float(1 - datasets.load_churn_snapshot()["churned"].mean())

    def diagnose(self, answer: Any, expected: Any) -> str | None:
        if self.read_as(answer, 1 - expected):  # 0.074, 7.4 or "7.4%"
            return "that is the churn rate (the share it gets wrong); accuracy is the share it gets right."
        return None


@exercise
class q2(PandasExercise, NumericExercise):
    prompt = (
        "With pandas: rank the snapshot's customers by their **true** churn probability "
        "(`truth.churn_probability`, column `p_churn`) and compute the **top-decile lift** of that "
        "oracle: the churn rate among the 10% of customers with the highest probability divided by "
        "the overall churn rate."
    )
    hints = (
        "Put each customer's true probability next to the snapshot: `truth.churn_probability` has one "
        "row per customer, so make `customer_id` its index and look each snapshot customer up in it.",
        "Sort the customers from the highest probability down and keep the first tenth of the rows "
        "(a tenth of the number of customers, rounded).",
        "The lift is the churn rate (the mean of the 0/1 `churned` column) of that tenth divided by the "
        "churn rate of every customer.",
    )
    solution_code = (
        "p_true = truth.churn_probability.set_index('customer_id')['p_churn']\n"
        "ranked = snap.assign(p_true=snap['customer_id'].map(p_true))"
        ".sort_values('p_true', ascending=False)\n"
        "top = ranked.head(round(len(ranked) / 10))\n"
        "answer = top['churned'].mean() / snap['churned'].mean()"
    )
    cxlib_equivalent = "cxlib.analytics.churn.top_decile_lift"
    rel_tol = 0.01

    def expected(self) -> float:
        from cxlib.analytics.churn import top_decile_lift

        snap, p = _snapshot_with_truth()
        return top_decile_lift(snap["churned"], p)

    def diagnose(self, answer: Any, expected: Any) -> str | None:
        snap, p = _snapshot_with_truth()
        y = snap["churned"].to_numpy()
        top = np.argsort(-p, kind="stable")[: int(round(0.1 * len(y)))]
        bottom = np.argsort(p, kind="stable")[: int(round(0.1 * len(y)))]
        if abs(as_number(answer) - y[top].mean()) < 0.005:
            return "that is the churn rate in the top decile; divide it by the overall churn rate."
        if abs(as_number(answer) - y[bottom].mean() / y.mean()) < 0.01 * expected + 0.005:
            return "that is the lift of the 10% with the *lowest* probability: sort from the highest down."
        if as_number(answer) > 1 / y.mean():
            return f"a lift cannot exceed 1 / churn rate = {1 / y.mean():.1f}."
        return None


@exercise
class q3(ChoiceExercise):
    prompt = (
        "An analyst builds a training table in July 2024 for the cutoff 2024-04-01. Which column "
        "**leaks** the label?\n\n"
        "- `a`: complaints in the 3 months before the cutoff\n"
        "- `b`: months since the customer was last seen in the activity table as exported today\n"
        "- `c`: tenure in months at the cutoff\n"
        "- `d`: the last NPS answer given before the cutoff"
    )
    choices = ("a", "b", "c", "d")
    hints = (
        "A leak uses information from after the cutoff, i.e. from the period the label measures.",
        "For each column ask: when was it read? A value read today can depend on what the customer "
        "did after the cutoff.",
    )
    solution_code = "answer = 'b'"
    solution_text = (
        "'Last seen' read from today's table is set by what happened after the cutoff: a customer "
        "who left in May is 'last seen' in May. At the next cutoff everyone active was seen last "
        "month, so the column carries no information and the model fails."
    )
    why_not = {
        "a": "complaints before the cutoff are known at the cutoff: a legitimate, point-in-time feature.",
        "c": "tenure at the cutoff depends only on the signup date: legitimate.",
        "d": "an answer given before the cutoff is known at the cutoff (beware non-response, but it is not a leak).",
    }

    def expected(self) -> str:
        return "b"


def _plan_facts() -> dict[str, Any]:
    """The numbers of the retention plan (q4), computed as the lesson computes them."""
    from cxlib.analytics import churn as C
    from cxlib.analytics import economics
    from cxlib.data import datasets

    snap = datasets.load_churn_snapshot()
    X, y = snap.drop(columns=["customer_id", "churned"]), snap["churned"]
    ev = C.ChurnModel().cross_validate(X, y, folds=5, seed=0)
    value, _ = economics.customer_values(snap["spend_last"], y, margin_rate=MARGIN_RATE)
    plan = C.targeting_profit(ev.p, value, offer_cost=OFFER_COST, success_rate=SUCCESS_RATE, y=y)
    facts: dict[str, Any] = {}
    for column, key in (("payment_issues_3m", "pay"), ("unresolved_complaints_3m", "unres")):
        rate = y.groupby(snap[column] > 0).mean()
        facts[f"{key}_with"], facts[f"{key}_without"] = float(rate[True]), float(rate[False])
    mean_value = float(np.mean(value))
    facts.update(
        value=mean_value,
        offer_cost=OFFER_COST,
        success=SUCCESS_RATE,
        break_even=OFFER_COST / (SUCCESS_RATE * mean_value),
        best_share=plan.best_share,
        best_n=plan.best_n,
        best_profit=plan.best_profit,
        auc=ev.auc,
        auc_low=ev.auc_ci_low,
        auc_high=ev.auc_ci_high,
    )
    return facts


@exercise
class q4(OpenExercise):
    prompt = (
        "Open question, for discussion. Your CFO asks for a retention campaign next quarter. In a few "
        "sentences (a string between quotes): which signals you will score customers on, how you will "
        "check for leakage, what a contact is worth (value, offer cost, success rate), how you will "
        "measure the real success rate, and which number you would report to the board, with what interval."
    )
    hints = (
        "Walk through the lesson's sections in order: the signals (section 1), leakage (2), how good "
        "the scores are (3) and the money (5).",
        "For the money, write the rule that says when one contact pays, then name the one number in it "
        "that nobody has measured yet, and how you would measure it.",
        "For the board, think of what it can check a year later: money measured on customers, not a "
        "score of the model.",
    )
    model_answer = (
        "Score every customer active at the cutoff on signals known before it: payment problems and "
        "unresolved complaints of the last three months (churn within three months was {pay_with:.0%} after "
        "a payment problem against {pay_without:.0%} without, and {unres_with:.0%} against {unres_without:.0%} "
        "after an unresolved complaint), compliments, usage and tenure. Check for leakage by asking of every "
        "column whether it was known on the cutoff date, and by validating on a later cutoff, because "
        "cross-validation shares the leak. A saved customer is worth about {value:,.0f} USD of margin "
        "lifetime value; at {offer_cost:.0f} USD per contact and an assumed success rate of {success:.0%}, a "
        "contact pays above a churn probability of about {break_even:.0%} for an average customer, and the "
        "model's list says to contact the riskiest {best_share:.0%} ({best_n} customers) for an expected "
        "{best_profit:,.0f} USD. That rests on the assumed success rate, so keep a randomised holdout: a "
        "random part of the list gets no offer, and the difference in churn between the contacted and the "
        "held-out customers measures it. Report to the board the campaign's net value measured against the "
        "holdout, with its 95% interval; the model's ROC AUC ({auc:.2f}, 95% interval {auc_low:.2f} to "
        "{auc_high:.2f}) says how well it ranks customers, not what the campaign earns."
    )
    look_for = (
        "signals known before the cutoff (payment problems, unresolved complaints), built point in time",
        "a leakage check that validates on a later cutoff, not only across folds",
        "what a contact is worth: margin lifetime value, offer cost and success rate (contact when p·s·V > c)",
        "a randomised holdout that measures the success rate instead of assuming it",
        "for the board: the campaign's net value against the holdout, with its interval (not accuracy or AUC)",
    )
    self_check = (
        "Would you have known every signal you named on the cutoff date?",
        "Is your success rate an assumption or a measurement, and how would you measure it?",
        "Does the number you report to the board carry an interval?",
    )

    def facts(self) -> dict[str, Any]:
        return _plan_facts()


@exercise
class q5(FunctionExercise):
    prompt = (
        "Write `expected_profit(p, value, cost, success)`: the expected profit of contacting one "
        "customer with churn probability `p`, when the offer keeps a would-be churner with probability "
        "`success`, saves `value` and every contact costs `cost` (no incentive wasted on stayers)."
    )
    hints = (
        "Only would-be churners (probability p) can be saved, and only with probability success.",
        "The saved value is earned only when both happen: the customer would churn, and the offer "
        "keeps them; multiply the two probabilities by the value.",
        "The cost is paid for every contact, churner or not: subtract it from the expected saved value.",
    )
    solution_code = "def expected_profit(p, value, cost, success):\n    return p * success * value - cost"

    def cases(self):
        from cxlib.analytics.churn import targeting_profit

        out = []
        for p, v, c, s in [(0.5, 200, 10, 0.3), (0.05, 200, 10, 0.3), (0.2, 360, 15, 0.25), (0.0, 100, 5, 0.5)]:
            out.append(
                (
                    (p, v, c, s),
                    float(targeting_profit([p], v, offer_cost=c, success_rate=s).curve["expected_profit"].iloc[1]),
                )
            )
        return out


@exercise
class q6(NumericExercise):
    prompt = (
        "Say a saved customer is worth 360 USD in margin lifetime value. The retention "
        "offer costs 20 USD per contact and keeps 25% of would-be churners. Above what churn "
        "probability does a contact pay for itself (the break-even probability)?"
    )
    hints = (
        "A contact pays when its expected saving, p × success rate × value, is larger than its cost.",
        "At the break-even probability the expected saving equals the cost: write that equation and solve it for p.",
    )
    solution_code = "answer = 20 / (0.25 * 360)"
    scale = "share"
    abs_tol = 0.001

    def expected(self) -> float:
        from cxlib.analytics.churn import targeting_profit

        return float(
            targeting_profit([0.5], 360, offer_cost=20, success_rate=0.25).break_even_probability or float("nan")
        )

    def diagnose(self, answer: Any, expected: Any) -> str | None:
        if self.read_as(answer, 20 / 360):  # 0.056, 5.6 or "5.6%"
            return "you left out the success rate: only 25% of would-be churners are kept."
        if self.read_as(answer, 1 / expected, tol=0.05):  # 4.5: s·V / c
            return "the fraction is upside down: the break-even probability is the cost over what a save brings, c / (s·V)."
        return None

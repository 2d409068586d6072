"""Exercises of lesson 06 (churn from loyalty signals): accuracy trap, lift, leakage, targeting.

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
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cxlib.teaching.exercises import ChoiceExercise, FunctionExercise, NumericExercise, as_number, exercise

__all__ = ["q1", "q2", "q3", "q4", "q5"]


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
    abs_tol = 0.001

    def expected(self) -> float:
        from cxlib.data import datasets

        return float(1 - datasets.load_churn_snapshot()["churned"].mean())

    def diagnose(self, answer: Any, expected: Any) -> str | None:
        a = as_number(answer)
        if abs(a - (1 - expected)) < 0.001:
            return "that is the churn rate (the share it gets wrong); accuracy is the share it gets right."
        if a > 1:
            return "give a share between 0 and 1, not a percentage."
        return None


@exercise
class q2(NumericExercise):
    prompt = (
        "Rank the snapshot's customers by their **true** churn probability (`truth.churn_probability`) "
        "and compute the **top-decile lift** of that oracle: the churn rate among the 10% with the "
        "highest probability divided by the overall churn rate."
    )
    hints = (
        "`cxlib.analytics.churn.top_decile_lift(y, p)` does it; align the truth to the snapshot's customer order first.",
        "Make `customer_id` the index of `truth.churn_probability`, take its `p_churn` column and "
        "put it in the snapshot's customer order with `.reindex(...)`.",
    )
    solution_code = (
        "from cxlib.analytics.churn import top_decile_lift\n"
        "p = truth.churn_probability.set_index('customer_id')['p_churn'].reindex(snap['customer_id'])\n"
        "answer = top_decile_lift(snap['churned'], p)"
    )
    rel_tol = 0.01

    def expected(self) -> float:
        from cxlib.analytics.churn import top_decile_lift

        snap, p = _snapshot_with_truth()
        return top_decile_lift(snap["churned"], p)

    def diagnose(self, answer: Any, expected: Any) -> str | None:
        snap, p = _snapshot_with_truth()
        y = snap["churned"].to_numpy()
        top = np.argsort(-p, kind="stable")[: int(round(0.1 * len(y)))]
        if abs(as_number(answer) - y[top].mean()) < 0.005:
            return "that is the churn rate in the top decile; divide it by the overall churn rate."
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


@exercise
class q4(FunctionExercise):
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
class q5(NumericExercise):
    prompt = (
        "Say a saved customer is worth 360 USD in margin lifetime value. The retention "
        "offer costs 20 USD per contact and keeps 25% of would-be churners. Above what churn "
        "probability does a contact pay for itself (the break-even probability)?"
    )
    hints = (
        "Contact when p x success x value > cost; solve for p.",
        "`targeting_profit([0.5], 360, offer_cost=20, success_rate=0.25).break_even_probability`",
    )
    solution_code = "answer = 20 / (0.25 * 360)"
    abs_tol = 0.001

    def expected(self) -> float:
        from cxlib.analytics.churn import targeting_profit

        return float(
            targeting_profit([0.5], 360, offer_cost=20, success_rate=0.25).break_even_probability or float("nan")
        )

    def diagnose(self, answer: Any, expected: Any) -> str | None:
        if abs(as_number(answer) - 20 / 360) < 0.001:
            return "you left out the success rate: only 25% of would-be churners are kept."
        return None

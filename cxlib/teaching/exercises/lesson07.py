"""Exercises of lesson 07 (expectations and the ROI of CX): Kano, retention economics, the 18% claim,
break-even targeting and the capstone business case for Premium customers.

Expected answers are computed with ``cxlib`` (and the bundled data), never typed in.

Examples
--------
>>> from cxlib.teaching.exercises import ____, lesson07 as ex
>>> ex.q1.check(____).status
'unattempted'
>>> ex.q1.check("must-be").status
'correct'
>>> print(ex.q2.check(22.45))
Incorrect: 22.4% is the change under the Gupta–Lehmann–Stuart (end-of-period) convention; the question asks for the start-of-period one, m(1+d)/(1+d−r).
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

from cxlib.teaching.exercises import ChoiceExercise, NumericExercise, as_number, exercise

__all__ = ["q1", "q2", "q3", "q4", "q5"]


@exercise
class q1(ChoiceExercise):
    prompt = (
        'Kano. Asked about **free Wi-Fi in the store**, a customer answers *neutral* to "How do you feel '
        'if the store **has** it?" and *dislike* to "...if it does **not** have it?". Which Kano '
        "category is this answer?"
    )
    choices = ("attractive", "one-dimensional", "must-be", "indifferent", "reverse", "questionable")
    why_not = {
        "attractive": "an attractive (delighting) feature is *liked* when present; this customer is neutral about having it.",
        "one-dimensional": "one-dimensional needs *like* when present and *dislike* when absent; here presence is only neutral.",
        "indifferent": "indifferent means neither presence nor absence matters; this customer dislikes its absence.",
        "reverse": "reverse means the customer prefers *not* having it.",
        "questionable": "questionable pairs contradict each other (like both, or dislike both); these do not.",
    }
    hints = (
        "Look the pair (functional = neutral, dysfunctional = dislike) up in the Kano table.",
        "A feature whose absence displeases while its presence leaves the customer neutral is one "
        "the customer takes for granted: find the Kano category that means this.",
        "`cxlib.analytics.expectations.kano_classify` takes the functional answer first and the "
        "dysfunctional answer second.",
    )
    solution_code = (
        "from cxlib.analytics.expectations import kano_classify\nanswer = kano_classify('neutral', 'dislike')"
    )
    solution_text = (
        "Taken for granted when there, resented when missing: a basic (must-be), like the teddy bear once copied."
    )

    def expected(self) -> str:
        from cxlib.analytics.expectations import kano_classify

        return kano_classify("neutral", "dislike")


@exercise
class q2(NumericExercise):
    prompt = (
        "Retention economics. Margin **100 per year**, discount rate **10%**, retention rises from **0.70 to "
        "0.75** (5 points). By how many **percent** does the CLV rise under the **start-of-period** "
        "convention (cxlib's default)? Answer in percent, e.g. 12.3."
    )
    hints = (
        "`cxlib.analytics.economics.retention_economics(margin, [r], discount)` has a `clv_change_pct` column.",
        "Or by hand: CLV = m(1+d)/(1+d−r); compare r = 0.75 with r = 0.70.",
    )
    solution_code = (
        "from cxlib.analytics.economics import retention_economics\n"
        "answer = retention_economics(100, [0.70], 0.10)['clv_change_pct'].iloc[0]"
    )
    rel_tol = 0.005

    def expected(self) -> float:
        from cxlib.analytics.economics import retention_economics

        return float(retention_economics(100, [0.70], 0.10)["clv_change_pct"].iloc[0])

    def diagnose(self, answer: Any, expected: Any) -> str | None:
        from cxlib.analytics.economics import retention_economics

        a = as_number(answer)
        end = float(retention_economics(100, [0.70], 0.10, convention="end")["clv_change_pct"].iloc[0])
        if math.isclose(a, end, rel_tol=0.005):
            return (
                f"{end:.1f}% is the change under the Gupta–Lehmann–Stuart (end-of-period) convention; the "
                "question asks for the start-of-period one, m(1+d)/(1+d−r)."
            )
        if math.isclose(a, expected / 100, rel_tol=0.005):
            return "that is a share; give the answer in percent (multiply by 100)."
        if math.isclose(a, 100 * (0.30 / 0.25 - 1), rel_tol=0.01):
            return "that is the rise in expected lifetime without discounting; CLV also discounts future margins."
        return None


@exercise
class q3(NumericExercise):
    prompt = (
        'Article 002\'s **[unverified]** claim: "5% more retention cut the cost per policy by 18%". Read 5% as '
        "**5 points** and say that the service cost per year is **5% of the acquisition cost**. What yearly "
        "retention before the change makes the claim come out exactly? (Three decimals.)"
    )
    hints = (
        "Cost per customer per year = A(1−r) + S; +Δ points cut it by AΔ/(A(1−r)+S).",
        "Set that cut equal to 0.18 with Δ = 0.05 and S = 0.05·A: A cancels out, and you can solve for r by hand.",
        "`cxlib.analytics.economics.retention_for_cost_cut` does it: pass the cut, the rise in "
        "points and the service-to-acquisition ratio (as a list); read its `retention` column.",
    )
    solution_code = (
        "from cxlib.analytics.economics import retention_for_cost_cut\n"
        "answer = retention_for_cost_cut(0.18, 0.05, service_to_acquisition=[0.05])['retention'].iloc[0]"
    )
    abs_tol = 0.0015
    rel_tol = 0.0

    def expected(self) -> float:
        from cxlib.analytics.economics import retention_for_cost_cut

        return float(retention_for_cost_cut(0.18, 0.05, service_to_acquisition=[0.05])["retention"].iloc[0])

    def diagnose(self, answer: Any, expected: Any) -> str | None:
        from cxlib.analytics.economics import retention_for_cost_cut

        a = as_number(answer)
        if math.isclose(
            a,
            float(retention_for_cost_cut(0.18, 0.05, service_to_acquisition=[0.0])["retention"].iloc[0]),
            abs_tol=0.0015,
        ):
            return "that ignores the service cost; add S/A = 0.05 (r = 1 − Δ/c + S/A)."
        rel = float(
            retention_for_cost_cut(0.18, 0.05, service_to_acquisition=[0.05], relative=True)["retention"].iloc[0]
        )
        if math.isclose(a, rel, abs_tol=0.0015):
            return "that reads '5% more' as r × 1.05; the question says 5 points (r + 0.05)."
        if a > 1:
            return "retention is a share between 0 and 1 (e.g. 0.8), not a percentage."
        return None


@exercise
class q4(NumericExercise):
    prompt = (
        "Targeting. A retention offer costs **10 USD** per contact and keeps **30%** of the would-be churners "
        "it reaches; a customer is worth **300 USD** of lifetime value. Above which **churn probability** "
        "does contacting a customer pay? (Three decimals.)"
    )
    hints = (
        "Contact when p·s·V > c.",
        "Solve p = c/(s·V); `cxlib.analytics.churn.targeting_profit` reports it as `break_even_probability`.",
    )
    solution_code = (
        "from cxlib.analytics.churn import targeting_profit\n"
        "answer = targeting_profit([0.5], 300, offer_cost=10, success_rate=0.3).break_even_probability"
    )
    abs_tol = 0.0015
    rel_tol = 0.0

    def expected(self) -> float:
        from cxlib.analytics.churn import targeting_profit

        return float(
            targeting_profit([0.5], 300, offer_cost=10, success_rate=0.3).break_even_probability or float("nan")
        )

    def diagnose(self, answer: Any, expected: Any) -> str | None:
        a = as_number(answer)
        if math.isclose(a, 10 / 300, abs_tol=0.0015):
            return "that forgets the success rate: the offer saves only 30% of the churners it reaches (c / (s·V))."
        if math.isclose(a, 0.3 * 300 / 10, rel_tol=0.01):
            return "the fraction is upside down: p = c / (s·V)."
        return None


@lru_cache(maxsize=1)
def _premium_case():
    from cxlib.analytics.economics import business_case_from_table
    from cxlib.data import datasets

    snap = datasets.load_churn_snapshot()
    return business_case_from_table(snap[snap["plan"] == "Premium"].reset_index(drop=True), n_draws=500, seed=0)


@exercise
class q5(NumericExercise):
    prompt = (
        "Capstone warm-up. Run the business case on **Premium** customers only: "
        "`business_case_from_table(snap[snap['plan'] == 'Premium'].reset_index(drop=True), n_draws=500, seed=0)` "
        "with the default assumptions (margin 35%, offer 10 USD, success 30%). How many Premium customers "
        "should be **contacted**?"
    )
    hints = (
        "Filter the snapshot first, then call `cxlib.analytics.economics.business_case_from_table` on the filtered table.",
        "The result can be read like a dictionary: look for the entry that counts the customers to contact.",
    )
    solution_code = (
        "from cxlib.analytics.economics import business_case_from_table\n"
        "premium = snap[snap['plan'] == 'Premium'].reset_index(drop=True)\n"
        "bc = business_case_from_table(premium, n_draws=500, seed=0)\n"
        "answer = bc['customers_contacted']"
    )
    abs_tol = 0.5
    rel_tol = 0.0

    def expected(self) -> float:
        return _premium_case()["customers_contacted"]

    def diagnose(self, answer: Any, expected: Any) -> str | None:
        from cxlib.data import datasets

        snap = datasets.load_churn_snapshot()
        a = as_number(answer)
        if math.isclose(a, float((snap["plan"] == "Premium").sum()), abs_tol=0.5):
            return "that is every Premium customer; the plan contacts only those whose expected profit is positive."
        if not 0 <= a <= (snap["plan"] == "Premium").sum():
            return "the number contacted must be between 0 and the number of Premium customers."
        return None

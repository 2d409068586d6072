"""Exercises of lesson 07 (expectations and the ROI of CX): Kano, retention per channel (with pandas),
the 18% claim, paying the retention team (an open question), break-even targeting, the capstone
business case for Premium customers and the CLV conventions.

Expected answers, and the numbers of the open question's model answer, are computed with ``cxlib``
(and the bundled data), never typed in.

Examples
--------
>>> from cxlib.teaching.exercises import ____, lesson07 as ex
>>> ex.q1.check(____).status
'unattempted'
>>> ex.q1.check("must-be").status
'correct'
>>> print(ex.q7.check(22.45))
Incorrect: 22.4% is the change under the Gupta–Lehmann–Stuart (end-of-period) convention; the question asks for the start-of-period one, m(1+d)/(1+d−r).
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

from cxlib.teaching.exercises import (
    ChoiceExercise,
    NumericExercise,
    OpenExercise,
    PandasExercise,
    SeriesExercise,
    as_number,
    exercise,
)

__all__ = ["q1", "q2", "q3", "q4", "q5", "q6", "q7"]


def _near(q: NumericExercise, answer: Any, value: float, *, abs_tol: float = 0.0015, rel_tol: float = 0.0) -> bool:
    """True when one reading of ``answer`` on ``q``'s scale (as given, or as a share or percent) is ``value``."""
    return any(math.isclose(r.value, value, abs_tol=abs_tol, rel_tol=rel_tol) for r in q.readings(answer))


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


def _channel_economics():
    """Simorgh's retention per acquisition channel, as lesson 07's retention section computes it."""
    from cxlib.analytics.economics import customer_economics
    from cxlib.data import datasets

    table = customer_economics(datasets.load_activity(), datasets.load_customers())
    return table[table["group"] != "all"].set_index("group")


@exercise
class q2(PandasExercise, SeriesExercise):
    prompt = (
        "**With pandas.** The retention section uses one yearly retention for every customer. Compute it "
        "for each **acquisition channel**: in `activity` (one row per customer and month) `churned` is 1 in "
        "the month a customer cancels, and each customer's channel is in `customers`. Monthly retention = "
        "1 − cancellations / customer-months; yearly retention = monthly retention to the power 12. "
        "Answer with one number per channel (a Series, e.g. the result of a `groupby`)."
    )
    hints = (
        "First give every row of `activity` its customer's `acquisition_channel`: look it up in `customers` "
        "by `customer_id` (`map` with a Series indexed by id, or `merge`).",
        "Per channel, the mean of a 0/1 column is a share: here, cancellations per customer-month, the "
        "monthly churn rate.",
        "Monthly retention is 1 minus that rate, and a year is 12 months in a row: raise it to the 12th power.",
    )
    solution_code = (
        "channel = activity['customer_id'].map(customers.set_index('customer_id')['acquisition_channel'])\n"
        "monthly_churn = activity['churned'].groupby(channel).mean()\n"
        "answer = (1 - monthly_churn) ** 12"
    )
    solution_text = (
        "Referral customers keep best and partner customers worst, and their intervals do not overlap "
        "(`economics.customer_economics` gives them): +5 points are worth more where retention is higher."
    )
    cxlib_equivalent = "cxlib.analytics.economics.customer_economics"
    scale = "share"
    abs_tol = 0.0051  # whole percents (a rounded 0.80) are accepted
    rel_tol = 0.0

    def expected(self) -> Any:
        return _channel_economics()["retention"] ** 12

    def diagnose(self, answer: Any, expected: Any) -> str | None:
        monthly = _channel_economics()["retention"]
        mistakes = (
            (monthly, "those are monthly retentions; a year is 12 months in a row: raise them to the power 12."),
            (1 - monthly, "those are monthly churn rates; retention is 1 minus the churn rate, then to the power 12."),
            (1 - monthly**12, "those are the shares lost in a year; retention is the share kept (1 minus that)."),
            (
                1 - 12 * (1 - monthly),
                "that takes 12 × the monthly churn from 1; retention compounds: (1 − monthly churn) to the power 12.",
            ),
        )
        for values, message in mistakes:
            if self.compare(answer, values):
                return message
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
    scale = "share"
    decimals = 3  # as the prompt asks ("Three decimals.")
    abs_tol = 0.0015
    rel_tol = 0.0

    def expected(self) -> float:
        from cxlib.analytics.economics import retention_for_cost_cut

        return float(retention_for_cost_cut(0.18, 0.05, service_to_acquisition=[0.05])["retention"].iloc[0])

    def diagnose(self, answer: Any, expected: Any) -> str | None:
        from cxlib.analytics.economics import retention_for_cost_cut

        no_service = float(retention_for_cost_cut(0.18, 0.05, service_to_acquisition=[0.0])["retention"].iloc[0])
        if _near(self, answer, no_service):
            return "that ignores the service cost; add S/A = 0.05 (r = 1 − Δ/c + S/A)."
        rel = float(
            retention_for_cost_cut(0.18, 0.05, service_to_acquisition=[0.05], relative=True)["retention"].iloc[0]
        )
        if _near(self, answer, rel):
            return "that reads '5% more' as r × 1.05; the question says 5 points (r + 0.05)."
        return None


@lru_cache(maxsize=1)
def _lesson_case():
    """The capstone's business case and the same list with the success rate known (the lesson's cells)."""
    from cxlib.analytics.economics import business_case, business_case_from_table
    from cxlib.data import datasets

    case = business_case_from_table(datasets.load_churn_snapshot(), seed=0)
    known = business_case(case.p, case.value, offer_cost=10.0, success_rate=0.3, success_strength=1e6)
    return case, known


@exercise
class q4(OpenExercise):
    prompt = (
        '**Discussion (open question).** Article 002 says "reward behaviours that raise retention"; '
        'article 000 says "cut CX metrics from bonuses". Say the retention team is paid on **saves**, '
        "counted as contacted customers who did not leave. What would the team do to the targeting list, "
        "and how would a randomised holdout protect the business case? Answer in three or four sentences, "
        "with at least one number from the business case above."
    )
    hints = (
        "Start from the business case above: of the customers on the list, how many would have left without "
        "a call, and how many would have stayed anyway?",
        "A 'save' counted as 'contacted and stayed' also counts customers the offer did not change. Which "
        "customers are the cheapest to 'save' that way?",
        "A holdout is a random part of the eligible list that nobody calls. What does comparing the two "
        "groups' churn measure, and which number of the business case is it?",
    )
    model_answer = (
        "Paid on saves counted this way, the team would add customers who stay anyway (low churn risk, "
        "easy 'saves') and avoid the hard cases. On the model's list of {contacted} customers about "
        "{churners:.0f} would leave without a call, so about {stayers:.0f} would count as 'saved' with no "
        "effect of the offer, which really keeps about {saves:.0f}: the count would credit the team with "
        "about {ratio:.0f} times the saves the offer makes, and each low-risk customer added costs "
        "{offer_cost:.0f} USD and adds almost nothing. A randomised holdout (a random part of the eligible "
        "list, not contacted) measures the incremental saves: churn in the holdout minus churn among the "
        "contacted. Pay on that difference, if at all, and keep the list drawn by the model, not by the "
        "team. The holdout also measures the offer's success rate, the biggest unknown, but only roughly: "
        "with about {churners:.0f} would-be churners on the list, split between the contacted and the held-out "
        "halves, one pilot measures it no better than the lesson's prior does. Known exactly, it would narrow "
        "the net value's interval from [{net_low:,.0f}, {net_high:,.0f}] USD to [{known_low:,.0f}, "
        "{known_high:,.0f}] USD; getting close to that takes holdouts pooled over many campaigns."
    )
    look_for = (
        "gross 'saves' include customers who would have stayed anyway, so the team would pad the list "
        "with low-risk customers (or avoid hard cases)",
        "a number from the business case (the list size, the expected churners or saves on it)",
        "a randomised holdout measures the incremental effect: churn of the contacted against churn of "
        "a comparable group not contacted",
        "pay (if at all) on the incremental saves, and keep the list drawn by the model",
    )
    self_check = (
        "Did you say who the team would add to (or keep off) the list, and why?",
        "Did you say what the holdout group is compared with, and what that difference measures?",
        "Did you use a number from the business case above?",
    )
    min_words = 25

    def facts(self) -> dict[str, Any]:
        case, known = _lesson_case()
        listed = case.p[case.contacted]
        churners = float(listed.sum())
        saves = case["expected_saves"]
        stayers = len(listed) - churners
        net = case.summary.loc["net"]
        known_net = known.summary.loc["net"]
        return {
            "contacted": len(listed),
            "churners": churners,
            "stayers": stayers,
            "saves": saves,
            "ratio": (stayers + saves) / saves,
            "offer_cost": case.assumptions["offer_cost"],
            "net_low": float(net["low"]),
            "net_high": float(net["high"]),
            "known_low": float(known_net["low"]),
            "known_high": float(known_net["high"]),
        }


@exercise
class q5(NumericExercise):
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
    scale = "share"
    decimals = 3  # as the prompt asks ("Three decimals.")
    abs_tol = 0.0015
    rel_tol = 0.0

    def expected(self) -> float:
        from cxlib.analytics.churn import targeting_profit

        return float(
            targeting_profit([0.5], 300, offer_cost=10, success_rate=0.3).break_even_probability or float("nan")
        )

    def diagnose(self, answer: Any, expected: Any) -> str | None:
        if _near(self, answer, 10 / 300):
            return "that forgets the success rate: the offer saves only 30% of the churners it reaches (c / (s·V))."
        if math.isclose(as_number(answer), 0.3 * 300 / 10, rel_tol=0.01):
            return "the fraction is upside down: p = c / (s·V)."
        return None


@lru_cache(maxsize=1)
def _premium_case():
    from cxlib.analytics.economics import business_case_from_table
    from cxlib.data import datasets

    snap = datasets.load_churn_snapshot()
    return business_case_from_table(snap[snap["plan"] == "Premium"].reset_index(drop=True), n_draws=500, seed=0)


@exercise
class q6(NumericExercise):
    prompt = (
        "Capstone warm-up. Run the business case on **Premium** customers only: "
        "`business_case_from_table(snapshot[snapshot['plan'] == 'Premium'].reset_index(drop=True), "
        "n_draws=500, seed=0)` "
        "with the default assumptions (margin 35%, offer 10 USD, success 30%). How many Premium customers "
        "should be **contacted**?"
    )
    hints = (
        "Filter the snapshot first, then call `cxlib.analytics.economics.business_case_from_table` on the filtered table.",
        "The result can be read like a dictionary: look for the entry that counts the customers to contact.",
    )
    solution_code = (
        "from cxlib.analytics.economics import business_case_from_table\n"
        "premium = snapshot[snapshot['plan'] == 'Premium'].reset_index(drop=True)\n"
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


@exercise
class q7(NumericExercise):
    prompt = (
        "Retention economics: the two CLV conventions. Margin **100 per year**, discount rate **10%**, retention rises from **0.70 to "
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
    scale = "percent"
    rel_tol = 0.005

    def expected(self) -> float:
        from cxlib.analytics.economics import retention_economics

        return float(retention_economics(100, [0.70], 0.10)["clv_change_pct"].iloc[0])

    def diagnose(self, answer: Any, expected: Any) -> str | None:
        from cxlib.analytics.economics import retention_economics

        end = float(retention_economics(100, [0.70], 0.10, convention="end")["clv_change_pct"].iloc[0])
        if _near(self, answer, end, rel_tol=0.005):
            return (
                f"{end:.1f}% is the change under the Gupta–Lehmann–Stuart (end-of-period) convention; the "
                "question asks for the start-of-period one, m(1+d)/(1+d−r)."
            )
        if _near(self, answer, 100 * (0.30 / 0.25 - 1), rel_tol=0.01):
            return "that is the rise in expected lifetime without discounting; CLV also discounts future margins."
        return None
